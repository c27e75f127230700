"""Golden risk cases as data (the ``[risk]`` table of ``tests/cases/<org>.toml``, format in ``tests/golden.py``):
for each organisation, the laws in scope, the transfer mechanisms and SCC modules, the findings a lawyer
would expect (with minimum severity and the requirement IDs they must cite) and findings that must not
appear. A lawyer can add a case without writing Python; rule and requirement IDs are checked when the case
is loaded."""

from __future__ import annotations

from pathlib import Path

import pytest
from golden import case_and_analysis, case_files, load_cases

from dpakit.risk import SEVERITIES, score

CASES = case_files()


def test_there_is_a_case_for_every_example():
    assert {c.example for c in load_cases().values()} == {"fynbos", "nordlicht", "golden_state", "brightwave"}


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_golden_risk_case(path: Path):
    case, analysis = case_and_analysis(path)
    expected_risk = case.risk
    report = score(analysis)

    assert analysis.regimes_in_scope == case.regimes.applies

    for expected in expected_risk.transfer:
        # Onward transfers (an importer already outside the area passing the data to its own sub-processor)
        # are covered by the terms of the transfer to that importer and have no mechanism of their own.
        flows = [
            f
            for f in analysis.transfers.flows
            if f.regime == expected.regime and f.to_country == expected.to_country and not f.onward
        ]
        assert flows, f"no {expected.regime} flow to {expected.to_country}"
        for flow in flows:
            assert flow.mechanism == expected.mechanism, flow
            assert flow.scc_module == expected.scc_module, flow
            assert flow.tia_required == expected.tia_required, flow

    for expected in expected_risk.finding:
        assert expected.rule in report.rule_ids, f"expected {expected.rule}: {expected.why}"
        finding = report.finding(expected.rule)
        assert SEVERITIES.index(finding.severity) <= SEVERITIES.index(expected.severity_at_least), finding
        assert set(expected.cites) <= set(finding.requirements), finding.requirements
        assert finding.reasons, "a finding must name the answers that triggered it"

    for rule_id in expected_risk.absent:
        assert rule_id not in report.rule_ids, f"{rule_id} should not fire for {case.organisation}"
