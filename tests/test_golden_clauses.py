"""Golden cases as data: which clauses and schedules each example organisation's DPA contains.

Each ``tests/cases/<example>.clauses.toml`` names the example, the regimes in scope, the schedules present
(in document order, with their headings), the SCC modules, and classifies every *conditional* clause of
the library as included or excluded. A lawyer can add a case without writing Python; adding a
conditional clause to the library means classifying it in every case.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from dpakit.analysis import analyse
from dpakit.clauses import SCHEDULE_SECTIONS, load_library, schedules_present, select_clauses
from dpakit.coverage import check_coverage
from dpakit.examples import load_example
from dpakit.requirements import load_catalogue

CASES_DIR = Path(__file__).resolve().parent / "cases"
CASE_FILES = sorted(CASES_DIR.glob("*.clauses.toml"))


def _case(path: Path) -> dict:
    with path.open("rb") as fh:
        return tomllib.load(fh)


@pytest.fixture(scope="module")
def library():
    return load_library()


def test_there_is_a_case_for_every_example_organisation():
    assert sorted(_case(p)["example"] for p in CASE_FILES) == ["brightwave", "fynbos", "golden_state", "nordlicht"]


@pytest.fixture(scope="module", params=CASE_FILES, ids=lambda p: p.name.split(".")[0])
def golden(request, library):
    case = _case(request.param)
    facts = analyse(load_example(case["example"])).facts
    return case, facts, select_clauses(facts, library)


def test_the_case_classifies_every_conditional_clause_exactly_once(golden, library):
    case, _, _ = golden
    conditional = {c.id for c in library.clauses if c.when is not None}
    include, exclude = set(case["include"]), set(case["exclude"])
    assert not include & exclude
    assert include | exclude == conditional


def test_the_expected_clauses_are_included_and_no_others(golden, library):
    case, _, selected = golden
    ids = [s.id for s in selected]
    always = [c.id for c in library.clauses if c.when is None]
    assert set(ids) == set(always) | set(case["include"])
    assert not set(ids) & set(case["exclude"])


def test_the_regimes_and_scc_modules_are_as_expected(golden):
    case, facts, _ = golden
    assert sorted(facts["regimes"]) == sorted(case["regimes"])
    assert facts["transfer.scc_modules"] == case["scc_modules"]


MODULE_CLAUSES = {2: "eu-scc-module-two", 3: "eu-scc-module-three", 4: "eu-scc-module-four"}


def test_the_scc_module_paragraphs_match_the_modules_chosen(golden):
    case, _, selected = golden
    chosen = [s.id for s in selected if s.id.startswith("eu-scc-module-")]
    assert chosen == [MODULE_CLAUSES[m] for m in case["scc_modules"]]


def test_exactly_the_expected_schedules_are_present_in_order_with_headings(golden):
    case, _, selected = golden
    present = schedules_present(selected)
    assert present == case["schedules"]
    assert set(SCHEDULE_SECTIONS) - set(present) == set(SCHEDULE_SECTIONS) - set(case["schedules"])
    headings = list(dict.fromkeys(s.section_heading for s in selected if s.schedule is not None))
    assert headings == case["headings"]


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
