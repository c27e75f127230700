"""Golden cases as data: for each organisation, the regimes, transfer flows and facts a lawyer expects (the
``[regimes]``, ``[transfers]`` and ``[facts]`` tables of ``tests/cases/<org>.toml``; the format, with
every key, is ``tests/golden.py`` and ``tests/cases/README.md``). A lawyer can add a case without writing
Python. Flows are matched on regime + to_country (+ to_name if given); fact keys are checked when the case
is loaded.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from golden import Flow, GoldenCase, case_and_analysis, case_files, load_cases

from dpakit.analysis import Analysis
from dpakit.examples import EXAMPLES
from dpakit.transfers import TransferFlow

CASES = case_files()


@pytest.fixture(scope="module", params=CASES, ids=[p.stem for p in CASES])
def case(request: pytest.FixtureRequest) -> tuple[GoldenCase, Analysis]:
    path: Path = request.param
    return case_and_analysis(path)


def test_every_example_has_a_golden_regimes_case():
    assert {c.example for c in load_cases().values()} == set(EXAMPLES)


def test_regimes_are_as_expected(case: tuple[GoldenCase, Analysis]):
    expected, result = case
    status = {d.code: d.status for d in result.regimes}
    regimes = expected.regimes
    assert sorted(result.regimes_in_scope) == sorted(regimes.applies)
    for key, codes in (("not_applicable", regimes.not_applicable), ("may_apply", regimes.may_apply)):
        for code in codes:
            assert status[code] == key, f"{code}: expected {key}, got {status[code]}"


def test_every_regime_that_applies_gives_reasons_with_facts(case: tuple[GoldenCase, Analysis]):
    _, result = case
    for decision in result.regimes:
        if decision.status != "not_applicable":
            assert decision.reasons and all(r.text and r.facts for r in decision.reasons)


def _matching(flows: tuple[TransferFlow, ...], want: Flow) -> list[TransferFlow]:
    return [
        f
        for f in flows
        if f.regime == want.regime
        and f.to_country == want.to_country
        and (want.to_name is None or f.to_name == want.to_name)
    ]


def test_transfer_flows_are_as_expected(case: tuple[GoldenCase, Analysis]):
    expected, result = case
    transfers = expected.transfers
    flows = result.transfers.flows
    for want in transfers.flow:
        found = _matching(flows, want)
        assert len(found) == 1, f"expected one flow like {want}, found {[(f.regime, f.to_name) for f in flows]}"
        got = found[0]
        assert got.mechanism == want.mechanism, (want, got.mechanism)
        assert got.scc_module == want.scc_module, (want, got.scc_module)
        assert got.tia_required == want.tia_required, (want, got.tia_required)
    if transfers.only_listed:
        listed = {id(f) for want in transfers.flow for f in _matching(flows, want)}
        extra = [(f.regime, f.to_name, f.mechanism) for f in flows if f.needs_mechanism and id(f) not in listed]
        assert extra == []


def test_transfer_instruments_are_as_expected(case: tuple[GoldenCase, Analysis]):
    expected, result = case
    transfers, analysis = expected.transfers, result.transfers
    assert (analysis.scc is not None) == transfers.scc
    assert (analysis.uk is not None) == transfers.uk
    assert analysis.popia_72 == transfers.popia_72
    if analysis.scc is not None:
        assert list(analysis.scc.modules) == transfers.scc_modules
        assert analysis.scc.governing_law == transfers.scc_governing_law
        assert analysis.scc.forum == transfers.scc_forum
    if analysis.uk is not None:
        assert list(analysis.uk.instruments) == transfers.uk_instruments


def test_derived_facts_are_as_expected(case: tuple[GoldenCase, Analysis]):
    expected, result = case
    for key, value in expected.facts.items():
        assert result.facts[key] == value, f"{key}: expected {value!r}, got {result.facts[key]!r}"
