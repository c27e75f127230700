"""Validate every content file the product reads; used by ``python -m dpakit check`` and the tests.

Each check loads one kind of content through its own loader (which raises ``ContentError`` naming the
file and item on the first problem) and returns a one-line summary. The loaders also check every fact a
condition names: a question's ``visible_if`` may name answer fields and answers-stage facts only (and no
literal list of countries), rules and regimes any documented fact (``data/facts.toml``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path


def _questions(folder: Path | None = None) -> str:
    from .questionnaire import QUESTIONS_DIR, load_questionnaire

    q = load_questionnaire(folder or QUESTIONS_DIR)
    return f"questions: {len(q.questions())} in {len(q.sections)} sections"


def _facts() -> str:
    from .facts import derived_keys

    stages = ", ".join(f"{len(derived_keys(stage))} {stage}" for stage in ("answers", "regimes", "transfers"))
    return f"derived facts: {len(derived_keys())} ({stages})"


def _requirements() -> str:
    from .requirements import load_catalogue

    cat = load_catalogue()
    return f"requirements: {len(cat.ids())} in the catalogue"


def _vendors() -> str:
    from .vendors import load_vendors

    return f"CRM vendor profiles: {len(load_vendors())}"


def _countries() -> str:
    from .jurisdictions import countries

    return f"countries: {len(countries())}"


def _regimes() -> str:
    from .regimes import load_regimes

    return f"regimes: {len(load_regimes())}"


def _rules() -> str:
    from .risk import load_rules

    rules = load_rules()
    return f"risk rules: {len(rules)} in {len({r.area for r in rules})} areas"


def _clauses() -> str:
    from .drafting.clauses import load_library
    from .drafting.coverage import library_coverage
    from .requirements import load_catalogue

    library = load_library()
    report = library_coverage(library, load_catalogue())
    lines = "\n".join(f"  coverage — {line}" for line in report.summary())
    return f"clauses: {len(library.clauses)} (library version {library.version})\n{lines}"


def _annexes() -> str:
    from .drafting.annexes import load_annex_content, measures

    content = load_annex_content()
    return f"annexes: {len(measures())} security measures, {len(content.wording)} answer wordings"


def _authorities() -> str:
    from .authorities import authorities

    return f"supervisory authorities below the national level: {len(authorities())}"


def _review_detection() -> str:
    from .review.report import check_detection

    return "\n".join(check_detection())


CHECKS: list[Callable[[], str]] = [
    _facts,
    _requirements,
    _vendors,
    _countries,
    _authorities,
    _regimes,
    _rules,
    _clauses,
    _annexes,
    _review_detection,
]


def run_checks(questions_dir: Path | None = None) -> Iterator[str]:
    """Run every check in turn; the first invalid file raises ``ContentError``.

    ``questions_dir`` checks another copy of the question files (e.g. one being edited).
    """
    yield _questions(questions_dir)
    for check in CHECKS:
        yield check()
    yield "all content files are valid"


# --- answers: choices the law does not allow ------------------------------------------------------


def answer_problems(answers) -> list[str]:
    """What in one assessment's answers the drafting would have to refuse, each message naming the answer to
    change: for every agreement, a Clause 17 or 18 choice of the EU SCCs outside the EU/EEA for Modules 1–3
    (only an EU Member State's law that allows third-party-beneficiary rights, and its courts; Module 4 alone
    may take any country's law). Empty when nothing is refused. ``dpakit validate`` and the wizard can show them.
    """
    from .analysis import analyse, analyse_agreement

    problems: list[str] = []
    organisation_wide = analyse(answers)
    for agreement_id in answers.agreement_ids:
        scc = analyse_agreement(organisation_wide, agreement_id).transfers.scc
        name = answers.agreement_by_id(agreement_id).counterparty_name or agreement_id
        for message in scc.refused if scc is not None else ():
            problems.append(f"Agreement with {name} ({agreement_id}): {message}")
    return problems
