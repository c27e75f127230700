"""Golden risk cases as data (``tests/cases/*.risk.toml``): for each example organisation, the laws in
scope, the transfer mechanisms and SCC modules, the findings a lawyer would expect (with minimum
severity and the requirement IDs they must cite) and findings that must not appear. A lawyer can add a
case without writing Python."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from dpakit.analysis import analyse
from dpakit.examples import load_example
from dpakit.risk import SEVERITIES, load_rules, score

CASES = sorted((Path(__file__).parent / "cases").glob("*.risk.toml"))


def load_case(path: Path) -> dict:
    with path.open("rb") as fh:
        return tomllib.load(fh)


def test_there_is_a_case_for_every_example():
    assert {load_case(p)["example"] for p in CASES} == {"fynbos", "nordlicht", "golden_state", "brightwave"}


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.name.split(".")[0])
def test_golden_risk_case(path: Path):
    case = load_case(path)
    known = {r.id for r in load_rules()}
    analysis = analyse(load_example(case["example"]))
    report = score(analysis)

    assert analysis.regimes_in_scope == case["regimes"]

    for expected in case.get("transfer", []):
        flows = [f for f in analysis.transfers.flows
                 if f.regime == expected["regime"] and f.to_country == expected["to_country"]]
        assert flows, f"no {expected['regime']} flow to {expected['to_country']}"
        for flow in flows:
            assert flow.mechanism == expected["mechanism"], flow
            assert flow.scc_module == expected.get("scc_module"), flow
            assert flow.tia_required == expected["tia_required"], flow

    for expected in case.get("finding", []):
        assert expected["rule"] in known, f"case names an unknown rule {expected['rule']}"
        assert expected["rule"] in report.rule_ids, f"expected {expected['rule']}: {expected['why']}"
        finding = report.finding(expected["rule"])
        assert SEVERITIES.index(finding.severity) <= SEVERITIES.index(expected["severity_at_least"]), finding
        assert set(expected["cites"]) <= set(finding.requirements), finding.requirements
        assert finding.reasons, "a finding must name the answers that triggered it"

    for rule_id in case.get("absent", []):
        assert rule_id in known, f"case names an unknown rule {rule_id}"
        assert rule_id not in report.rule_ids, f"{rule_id} should not fire for {case['example']}"
