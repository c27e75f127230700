"""The coverage guarantee: every mandatory DPA term of every regime in scope is served by some clause."""

from __future__ import annotations

import pytest

from dpakit.drafting.clauses import select_clauses
from dpakit.drafting.coverage import LIBRARY_REGIMES, check_coverage, coverage, library_coverage
from dpakit.errors import CoverageGap


def _all_transfers(regimes):
    return {
        "regimes": regimes,
        "agreement.subprocessor_authorisation": "general",
        "transfer.eu_scc": True,
        "transfer.uk_addendum": True,
        "transfer.uk_idta": False,
        "transfer.dpf": False,
        "transfer.popia_72": True,
    }


@pytest.mark.parametrize("regime", LIBRARY_REGIMES)
def test_the_library_serves_every_mandatory_term_of_each_regime(library, catalogue, regime):
    report = library_coverage(library, catalogue).regimes[regime]
    assert report.missing == []
    assert report.percent == 100.0
    assert set(report.served) == {t.id for t in catalogue.mandatory_terms(regime)}


def test_the_check_summary_reads_per_regime(library, catalogue):
    lines = library_coverage(library, catalogue).summary()
    assert lines[0].startswith("EU GDPR: ") and lines[0].endswith("(100 %)")
    assert len(lines) == len(LIBRARY_REGIMES)


def test_removing_the_breach_clause_leaves_exactly_the_processor_breach_notice_unserved(library, catalogue):
    report = library_coverage(library.without("personal-data-breaches"), catalogue)
    # POPIA's immediate notice (s.21(2)) is still served by the POPIA schedule's own clause.
    assert report.missing == {"eu_gdpr": ["GDPR-33-2"], "uk_gdpr": ["GDPR-33-2"]}


def test_removing_both_sub_processor_clauses_leaves_exactly_the_sub_processing_terms(library, catalogue):
    report = library_coverage(library.without("subprocessors-general", "subprocessors-specific"), catalogue)
    expected = ["GDPR-28-2-a", "GDPR-28-2-b", "GDPR-28-3-d", "GDPR-28-4-a", "GDPR-28-4-b"]
    assert report.missing == {"eu_gdpr": expected, "uk_gdpr": expected}


def test_removing_any_clause_leaves_exactly_the_terms_only_it_serves(library, catalogue):
    for clause in library.clauses:
        others = {req for c in library.clauses if c.id != clause.id for req in c.requirements}
        report = library_coverage(library.without(clause.id), catalogue)
        for regime in LIBRARY_REGIMES:
            mandatory = [t.id for t in catalogue.mandatory_terms(regime)]
            expected = [t for t in mandatory if t in clause.requirements and t not in others]
            assert report.regimes[regime].missing == expected, (clause.id, regime)


@pytest.mark.parametrize(
    "regimes", [["eu_gdpr", "uk_gdpr"], ["ccpa"], ["popia"], ["eu_gdpr", "uk_gdpr", "ccpa", "popia"]]
)
def test_a_selection_covers_every_regime_in_scope(library, catalogue, regimes):
    facts = _all_transfers(regimes)
    report = check_coverage(facts, select_clauses(facts, library), catalogue)
    assert report.complete and list(report.regimes) == regimes


def test_a_gap_in_a_selection_is_refused_naming_the_missing_terms(library, catalogue):
    facts = _all_transfers(["eu_gdpr", "uk_gdpr"])
    selected = [s for s in select_clauses(facts, library) if s.id != "eu-scc-incorporation"]
    with pytest.raises(CoverageGap) as caught:
        check_coverage(facts, selected, catalogue)
    assert caught.value.missing == {"eu_gdpr": ["GDPR-46-2-c"]}
    assert "GDPR-46-2-c" in str(caught.value)


def test_a_conditional_term_is_required_only_when_its_condition_holds(library, catalogue):
    facts = {**_all_transfers(["eu_gdpr", "uk_gdpr"]), "transfer.eu_scc": False, "transfer.uk_addendum": False}
    report = coverage(facts, select_clauses(facts, library), catalogue)
    assert report.complete
    assert set(report.regimes["eu_gdpr"].not_required) == {"GDPR-46-2-c", "SCC914-C14"}
    assert report.regimes["uk_gdpr"].not_required == ["UK-IDTA-2"]
    assert "GDPR-46-2-c" not in report.regimes["eu_gdpr"].served


def test_served_terms_name_the_clauses_that_serve_them(library, catalogue):
    facts = _all_transfers(["popia"])
    report = coverage(facts, select_clauses(facts, library), catalogue)
    served = report.regimes["popia"].served
    assert served["POPIA-21-2"] == ["personal-data-breaches", "popia-security-compromises"]
    assert served["POPIA-72-1-a"] == ["popia-transfers"]


def test_no_regime_in_scope_means_nothing_to_cover(library, catalogue):
    report = check_coverage({}, select_clauses({}, library), catalogue)
    assert report.regimes == {} and report.complete
