"""One DPA per processing relationship (issue 10), checked on every example and every golden agreement case.

Golden: each case's expectations (names present and absent, the flows it governs with their exporter and
importer, the SCC modules, the Clause 13 authority, the exact "Before you sign" answers).
Enumerating, for every agreement of every example and case: no DPA names anyone outside its relationship;
Annex II is exactly the agreement's scope; Annex III credits the Processor with no certification it does not
hold; every flow the agreement governs appears in Annex I with its exporter and importer; Clause 13 is never
left to be completed; "Before you sign" is empty exactly when nothing rests on a no, not sure or blank
answer, and each item names its answer. And a version-1 answers file of each example imports, upgrades and
drafts, with the copied scope listed before signature.
"""

from __future__ import annotations

import functools
import re
import tomllib
from pathlib import Path

import pytest
from docx_checks import docx_text
from golden_agreements import agreement_case_files, load_agreement_case

from dpakit.analysis import analyse, analyse_agreement
from dpakit.answers_file import parse_answers
from dpakit.content import DATA_DIR
from dpakit.drafting.draft import draft_dpa
from dpakit.examples import EXAMPLES, load_example
from dpakit.models import SCOPE_FIELDS, Answers

V1_FILES = sorted((Path(__file__).parent / "fixtures" / "v1").glob("*.json"))
CASES = {p.stem: load_agreement_case(p) for p in agreement_case_files()}
SOURCES: dict[str, Answers] = {
    **{f"example:{name}": load_example(name) for name in EXAMPLES},
    **{f"case:{name}": case.answers for name, case in CASES.items()},
}
AGREEMENTS = [(source, agreement_id) for source, answers in SOURCES.items() for agreement_id in answers.agreement_ids]
GOLDEN = [(name, expected) for name, case in CASES.items() for expected in case.agreement]
WORDINGS = tomllib.loads((DATA_DIR / "annexes.toml").read_text(encoding="utf-8"))["wording"]
SCOPE_WORDINGS = {"purposes": "scope_purposes", "data": "scope_data_categories",
                  "special": "scope_special_categories", "subjects": "scope_subject_categories"}  # fmt: skip
NOT_YES = (None, "", "no", "not_sure", "not_confirmed")


def _id(item) -> str:
    return f"{item[0]}/{item[1] if isinstance(item[1], str) else item[1].id}"


@functools.cache
def drafted(source: str, agreement_id: str):
    """(answers in focus, the agreement analysis, the draft, its text) for one agreement."""
    answers = SOURCES[source].focused(agreement_id)
    analysis = analyse_agreement(analyse(answers), agreement_id)
    draft = draft_dpa(analyse(answers))
    return answers, analysis, draft, docx_text(draft.docx)


def section(text: str, start: str, end: str | None) -> str:
    """The text from the last heading line starting with ``start`` up to the next starting with ``end``."""
    starts = [m.start() for m in re.finditer(rf"(?m)^{re.escape(start)}\b", text)]
    assert starts, f"no heading {start!r}"
    body = text[starts[-1] :]
    if end is not None:
        cut = re.search(rf"(?m)^{re.escape(end)}\b", body[len(start) :])
        body = body[: len(start) + cut.start()] if cut else body
    return body


def _normalised(path: str | None, agreement_id: str) -> str | None:
    prefix = f"agreements.{agreement_id}."
    return "agreement." + path[len(prefix) :] if path and path.startswith(prefix) else path


def _relationship_names(answers: Answers) -> set[str]:
    agreement = answers.agreement
    own = {answers.organisation.legal_name, agreement.counterparty_name}
    own |= {p.name for p in agreement.subprocessors or []}
    return {n for n in own if n}


def _outsiders(answers: Answers) -> set[str]:
    """Names in the assessment that belong to other relationships: other agreements' counterparties and
    sub-processors, and the organisation's own processors that are not in this relationship."""
    others = {p.name for p in answers.crm.processors or []}
    for agreement in answers.agreements:
        if agreement.id != answers.focus:
            others.add(agreement.counterparty_name or "")
            others |= {p.name for p in agreement.subprocessors or []}
    own = _relationship_names(answers)
    return {n for n in others if n and not any(n in o or o in n for o in own)}


# --- golden ------------------------------------------------------------------------------------------


def test_every_case_has_several_parties_and_the_three_kinds_are_there():
    assert len(CASES) >= 3
    assert max(len(case.agreement) for case in CASES.values()) >= 3  # one organisation, three DPAs
    roles = {a.our_role for case in CASES.values() for a in case.answers.agreements}
    assert roles == {"controller", "processor"}


@pytest.mark.parametrize("item", GOLDEN, ids=_id)
def test_golden_agreement(item):
    name, expected = item
    answers, analysis, draft, text = drafted(f"case:{name}", expected.id)
    for who in expected.names:
        assert who in text, f"{who} missing from the DPA"
    for who in expected.absent:
        assert who not in text, f"{who} is outside this relationship but named in its DPA"
    flows = [f for f in analysis.transfers.flows if f.needs_mechanism]
    assert sorted({f.scc_module for f in flows if f.scc_module}) == expected.scc_modules
    for want in expected.flow:
        matching = [
            f
            for f in flows
            if (f.regime, f.exporter.name, f.importer.name, f.mechanism, f.scc_module)
            == (want.regime, want.exporter, want.importer, want.mechanism, want.scc_module)
        ]
        assert matching, f"no flow {want} among {[(f.regime, f.exporter, f.importer, f.mechanism) for f in flows]}"
    if expected.clause13 is not None:
        assert expected.clause13 in text
    listed = {_normalised(c.answer_path, expected.id) for c in draft.before_you_sign}
    assert listed == set(expected.before_you_sign), [c.text for c in draft.before_you_sign]


# --- enumerating, over every agreement of every example and case -------------------------------------


@pytest.mark.parametrize("item", AGREEMENTS, ids=_id)
def test_no_dpa_names_anyone_outside_its_relationship(item):
    answers, analysis, _, text = drafted(*item)
    named = sorted(n for n in _outsiders(answers) if n in text)
    assert named == [], f"named in the DPA with {answers.agreement.counterparty_name}: {named}"
    own = _relationship_names(answers)
    for flow in analysis.transfers.flows:
        assert flow.governed_by == answers.focus
        assert flow.importer.name in own or flow.importer.name in text, flow


@pytest.mark.parametrize("item", AGREEMENTS, ids=_id)
def test_annex_ii_is_exactly_the_agreement_s_scope(item):
    answers, _, _, text = drafted(*item)
    annex = section(text, "Annex II", "Annex III")
    agreement = answers.agreement
    for table, field in SCOPE_WORDINGS.items():
        scope = getattr(agreement, field) or []
        words = WORDINGS[table]["values"]
        chosen = [words[v] for v in scope if v in words]
        for value, wording in words.items():
            if value in scope:
                assert wording in annex, f"{field} {value!r} is in scope but not in Annex II"
            elif not any(wording in c for c in chosen):
                assert wording not in annex, f"{field} {value!r} is not in this agreement's scope"
    org = {f: answers.get(p) or [] for f, p in SCOPE_FIELDS.items()}
    for field, values in org.items():
        outside = set(getattr(agreement, field) or []) - set(values)
        if agreement.scope_confirmed == "yes":
            assert outside == set(), f"{field} names values the organisation does not have: {outside}"


@pytest.mark.parametrize("item", AGREEMENTS, ids=_id)
def test_annex_iii_credits_only_the_processor_s_own_certifications(item):
    answers, _, _, text = drafted(*item)
    annex = section(text, "Annex III", "Annex IV")
    held = set(answers.agreement.processor_certifications or [])
    for value, wording in WORDINGS["certifications"]["values"].items():
        if value not in held:
            assert wording not in annex, f"Annex III credits {wording!r}, which the Processor did not say it holds"


@pytest.mark.parametrize("item", AGREEMENTS, ids=_id)
def test_every_flow_in_annex_i_names_its_exporter_and_importer(item):
    _, analysis, _, text = drafted(*item)
    annex = section(text, "Annex I", "Annex II")
    for flow in analysis.transfers.flows:
        if flow.needs_mechanism:
            assert flow.exporter.name in annex, flow
            assert flow.importer.name in annex, flow


@pytest.mark.parametrize("item", AGREEMENTS, ids=_id)
def test_clause_13_is_never_left_to_be_completed(item):
    *_, text = drafted(*item)
    assert "[to be completed: competent supervisory authority" not in text
    assert "the authority of the Land" not in text


@pytest.mark.parametrize("item", AGREEMENTS, ids=_id)
def test_before_you_sign_lists_exactly_what_rests_on_no_not_sure_or_blank(item):
    answers, _, draft, text = drafted(*item)
    items = draft.before_you_sign
    bracketed = re.findall(r"\[(?:Before signature|to be completed)[^\]]*\]", text, flags=re.IGNORECASE)
    assert bool(items) == bool(bracketed), bracketed[:3]
    for condition in items:
        assert condition.text in text
        if condition.answer_path is not None:
            assert (
                answers.get(condition.answer_path) in NOT_YES
                or answers.get(condition.answer_path) == []
                or (isinstance(answers.get(condition.answer_path), list))
            ), condition
            assert condition.answer in condition.text, f"{condition.text!r} does not name its answer"
    for text_found in bracketed:
        assert any(text_found in c.text or c.text in text_found for c in items), f"not listed: {text_found}"


# --- version-1 answers files ----------------------------------------------------------------------


@pytest.mark.parametrize("path", V1_FILES, ids=lambda p: p.stem)
def test_a_version_1_answers_file_imports_upgrades_and_drafts(path: Path):
    answers = parse_answers(path.read_bytes(), path.name)
    assert answers.schema_version == 2 and answers.agreement_ids == ["main"]
    assert answers.agreement.scope_confirmed == "no"
    draft = draft_dpa(analyse(answers))
    paths = {_normalised(c.answer_path, "main") for c in draft.before_you_sign}
    assert "agreement.scope_confirmed" in paths, "the copied scope must be confirmed before signature"
