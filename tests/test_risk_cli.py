"""``python -m dpakit score`` and ``plan``: the report keys, the three plan files, and exit 2 on bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dpakit.cli import main


@pytest.fixture
def fynbos(example_file) -> Path:
    return example_file("fynbos")


def test_score_prints_regimes_transfers_findings_areas_and_overall_as_json(fynbos, capsys):
    assert main(["score", str(fynbos)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {"regimes", "transfers", "findings", "areas", "overall"} <= set(data)
    assert [r["code"] for r in data["regimes"] if r["status"] == "applies"] == ["popia"]
    assert data["regimes"][0]["reasons"]
    flow = next(f for f in data["transfers"]["flows"] if f["to_country"] == "US")
    assert flow["mechanism"] == "popia_72_agreement" and flow["scc_module"] is None and flow["tia_required"] is False
    finding = next(f for f in data["findings"] if f["rule_id"] == "R-SEC-01")
    assert finding["severity"] == "critical" and finding["score"] == 20
    assert finding["requirements"] and finding["explanation"]
    assert any(t["field"] == "security.mfa_enforced" for t in finding["triggering_answers"])


def test_score_as_text(fynbos, capsys):
    assert main(["score", str(fynbos), "--format", "text"]) == 0
    out = capsys.readouterr().out
    assert "South Africa POPIA" in out and "R-SEC-01" in out and "Overall risk:" in out


def test_nordlicht_transfer_uses_module_two_with_a_tia(example_file, capsys):
    assert main(["score", str(example_file("nordlicht"))]) == 0
    flows = json.loads(capsys.readouterr().out)["transfers"]["flows"]
    # the contractor's own US sub-processor is an onward transfer under the contractor's SCCs (no mechanism)
    us = [f for f in flows if f["to_country"] == "US" and f["regime"] == "eu_gdpr" and f["mechanism"] != "none_needed"]
    assert us and all(f["scc_module"] == 2 and f["tia_required"] for f in us)


def test_plan_writes_docx_markdown_and_csv(fynbos, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["plan", str(fynbos), "--out", str(out), "--start", "2027-01-04"]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["action-plan.csv", "action-plan.docx", "action-plan.md"]
    assert (out / "action-plan.docx").read_bytes()[:2] == b"PK"
    assert "2027-01-18" in (out / "action-plan.csv").read_text()


@pytest.mark.parametrize("content", [b"{not json", b'{"schema_version": 99}', b"\xff\xfe", b""])
def test_a_bad_answers_file_exits_2_with_one_line(tmp_path, capsys, content):
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    assert main(["score", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("dpakit score:") and err.count("\n") == 1


def test_a_missing_file_or_bad_start_date_exits_2(tmp_path, fynbos, capsys):
    assert main(["plan", str(tmp_path / "nope.json"), "--out", str(tmp_path)]) == 2
    assert main(["plan", str(fynbos), "--out", str(tmp_path), "--start", "31/01/2027"]) == 2
    assert "not a date" in capsys.readouterr().err
