"""Golden cases as data: for each example organisation, the regimes, transfer flows and facts a lawyer
expects (``tests/cases/<example>.regimes.toml``). A lawyer can add a case without writing Python.

Case format::

    example = "<example id>"                 # dpakit.examples.load_example
    [regimes]
    applies = [...]                          # exactly the regimes that apply
    not_applicable = [...]; may_apply = [...] # each listed regime has that status
    [transfers]
    only_listed = true                       # every flow needing a mechanism is listed below
    scc = true|false; uk = true|false; popia_72 = true|false
    scc_modules = [..]; scc_governing_law = "XX"; scc_forum = "XX"; uk_instruments = [..]
    [[transfers.flow]]                       # matched on regime + to_country (+ to_name if given)
    regime, to_country, to_name?, mechanism, scc_module? (absent = none), tia_required
    [facts]                                  # derived facts, by key, with their expected values
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from dpakit.analysis import Analysis, analyse
from dpakit.examples import EXAMPLES, load_example
from dpakit.facts import fact_keys
from dpakit.transfers import TransferFlow

CASES_DIR = Path(__file__).resolve().parent / "cases"
CASES = sorted(CASES_DIR.glob("*.regimes.toml"))
FLOW_KEYS = {"regime", "to_country", "to_name", "mechanism", "scc_module", "tia_required"}


def load_case(path: Path) -> dict[str, Any]:
    with path.open("rb") as fh:
        return tomllib.load(fh)


@pytest.fixture(scope="module", params=CASES, ids=[p.name.split(".")[0] for p in CASES])
def case(request: pytest.FixtureRequest) -> tuple[dict[str, Any], Analysis]:
    data = load_case(request.param)
    return data, analyse(load_example(data["example"]))


def test_every_example_has_a_golden_regimes_case():
    assert {load_case(p)["example"] for p in CASES} == set(EXAMPLES)


def test_regimes_are_as_expected(case: tuple[dict[str, Any], Analysis]):
    expected, result = case
    status = {d.code: d.status for d in result.regimes}
    regimes = expected["regimes"]
    assert sorted(result.regimes_in_scope) == sorted(regimes["applies"])
    for key in ("not_applicable", "may_apply"):
        for code in regimes.get(key, []):
            assert status[code] == key, f"{code}: expected {key}, got {status[code]}"


def test_every_regime_that_applies_gives_reasons_with_facts(case: tuple[dict[str, Any], Analysis]):
    _, result = case
    for decision in result.regimes:
        if decision.status != "not_applicable":
            assert decision.reasons and all(r.text and r.facts for r in decision.reasons)


def _matching(flows: tuple[TransferFlow, ...], want: dict[str, Any]) -> list[TransferFlow]:
    return [f for f in flows if f.regime == want["regime"] and f.to_country == want["to_country"]
            and ("to_name" not in want or f.to_name == want["to_name"])]


def test_transfer_flows_are_as_expected(case: tuple[dict[str, Any], Analysis]):
    expected, result = case
    transfers = expected["transfers"]
    flows = result.transfers.flows
    for want in transfers.get("flow", []):
        assert set(want) <= FLOW_KEYS, f"unknown keys {set(want) - FLOW_KEYS}"
        found = _matching(flows, want)
        assert len(found) == 1, f"expected one flow like {want}, found {[(f.regime, f.to_name) for f in flows]}"
        got = found[0]
        assert got.mechanism == want["mechanism"], (want, got.mechanism)
        assert got.scc_module == want.get("scc_module"), (want, got.scc_module)
        assert got.tia_required == want["tia_required"], (want, got.tia_required)
    if transfers.get("only_listed"):
        listed = {id(f) for want in transfers.get("flow", []) for f in _matching(flows, want)}
        extra = [(f.regime, f.to_name, f.mechanism) for f in flows if f.needs_mechanism and id(f) not in listed]
        assert extra == []


def test_transfer_instruments_are_as_expected(case: tuple[dict[str, Any], Analysis]):
    expected, result = case
    transfers, analysis = expected["transfers"], result.transfers
    assert (analysis.scc is not None) == transfers["scc"]
    assert (analysis.uk is not None) == transfers["uk"]
    assert analysis.popia_72 == transfers["popia_72"]
    if analysis.scc is not None:
        assert list(analysis.scc.modules) == transfers["scc_modules"]
        assert analysis.scc.governing_law == transfers["scc_governing_law"]
        assert analysis.scc.forum == transfers["scc_forum"]
    if analysis.uk is not None:
        assert list(analysis.uk.instruments) == transfers["uk_instruments"]


def test_derived_facts_are_as_expected(case: tuple[dict[str, Any], Analysis]):
    expected, result = case
    for key, value in expected.get("facts", {}).items():
        assert key in fact_keys(), f"unknown fact {key}"
        assert result.facts[key] == value, f"{key}: expected {value!r}, got {result.facts[key]!r}"
