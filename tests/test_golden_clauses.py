"""Golden cases as data: which clauses and schedules each organisation's DPA contains.

The ``[clauses]`` table of ``tests/cases/<org>.toml`` (format: ``tests/golden.py``) lists the schedules
present (in document order, with their headings) and classifies every *conditional* clause of the library
as included or excluded; the regimes in scope and the SCC modules come from the case's ``[regimes]`` and
``[transfers]`` tables. A lawyer can add a case without writing Python; adding a conditional clause to
the library means classifying it in every case.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from golden import case_and_analysis, case_files, load_cases

from dpakit.drafting.clauses import SCHEDULE_SECTIONS, schedules_present, select_clauses
from dpakit.drafting.coverage import check_coverage
from dpakit.requirements import load_catalogue

CASE_FILES = case_files()


def test_there_is_a_case_for_every_example_organisation():
    assert sorted(c.example for c in load_cases().values()) == ["brightwave", "fynbos", "golden_state", "nordlicht"]


@pytest.fixture(scope="module", params=CASE_FILES, ids=lambda p: p.stem)
def golden(request, library):
    path: Path = request.param
    case, analysis = case_and_analysis(path)
    facts = analysis.facts
    return case, facts, select_clauses(facts, library)


def test_the_case_classifies_every_conditional_clause_exactly_once(golden, library):
    case, _, _ = golden
    conditional = {c.id for c in library.clauses if c.when is not None}
    include, exclude = set(case.clauses.include), set(case.clauses.exclude)
    assert not include & exclude
    assert include | exclude == conditional


def test_the_expected_clauses_are_included_and_no_others(golden, library):
    case, _, selected = golden
    ids = [s.id for s in selected]
    always = [c.id for c in library.clauses if c.when is None]
    assert set(ids) == set(always) | set(case.clauses.include)
    assert not set(ids) & set(case.clauses.exclude)


def test_the_regimes_and_scc_modules_are_as_expected(golden):
    case, facts, _ = golden
    assert sorted(facts["regimes"]) == sorted(case.regimes.applies)
    assert facts["transfer.scc_modules"] == case.transfers.scc_modules


MODULE_CLAUSES = {2: "eu-scc-module-two", 3: "eu-scc-module-three", 4: "eu-scc-module-four"}


def test_the_scc_module_paragraphs_match_the_modules_chosen(golden):
    case, _, selected = golden
    chosen = [s.id for s in selected if s.id.startswith("eu-scc-module-")]
    assert chosen == [MODULE_CLAUSES[m] for m in case.transfers.scc_modules]


def test_exactly_the_expected_schedules_are_present_in_order_with_headings(golden):
    case, _, selected = golden
    present = schedules_present(selected)
    assert present == case.clauses.schedules
    assert set(SCHEDULE_SECTIONS) - set(present) == set(SCHEDULE_SECTIONS) - set(case.clauses.schedules)
    headings = list(dict.fromkeys(s.section_heading for s in selected if s.schedule is not None))
    assert headings == case.clauses.headings


def test_every_mandatory_term_of_every_regime_in_scope_is_served(golden):
    _, facts, selected = golden
    report = check_coverage(facts, selected, load_catalogue())
    assert set(report.regimes) == set(facts["regimes"])
    for regime in report.regimes.values():
        assert regime.percent == 100.0, regime.summary()


def test_every_included_conditional_clause_says_why(golden):
    _, _, selected = golden
    for s in selected:
        if s.clause.when is not None:
            assert s.verdict.value and s.verdict.because, s.id
            assert s.reason().startswith("Included because"), s.id
