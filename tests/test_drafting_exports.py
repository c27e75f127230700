"""Exports: draft/draft-batch commands, manifest.json beside the files, LibreOffice conversion."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from dpakit.cli import main
from dpakit.drafting.batch import draft_batch, export_documents
from dpakit.drafting.manifest import read_manifest, verify_manifest
from dpakit.examples import EXAMPLES, example_json, load_example
from tests.conftest import require_tool
from tests.docx_checks import check_package, convert_to_pdf, pdf_pages, pdf_text

START = dt.date(2026, 1, 1)
FILES = ["dpa.docx", "action-plan.docx", "action-plan.md", "action-plan.csv", "report.json", "manifest.json"]


def test_export_writes_every_file_and_a_manifest_that_verifies(tmp_path):
    result = export_documents(load_example("nordlicht"), tmp_path, start=START)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(FILES)
    manifest = read_manifest(tmp_path)
    assert [f["name"] for f in manifest["files"]] == FILES[:-1]
    assert manifest["files"][0]["sha256"] == result.dpa_sha256
    assert manifest["library_version"] and len(manifest["answers_sha256"]) == 64
    assert verify_manifest(tmp_path) == []
    (tmp_path / "dpa.docx").write_bytes(b"tampered")
    assert verify_manifest(tmp_path) == ["dpa.docx: changed since it was generated (SHA-256 differs)"]


def test_the_same_answers_give_the_same_files(tmp_path):
    export_documents(load_example("fynbos"), tmp_path / "a", start=START)
    export_documents(load_example("fynbos"), tmp_path / "b", start=START)
    for name in FILES:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_report_json_has_the_score_and_the_clauses_with_reasons(tmp_path):
    export_documents(load_example("golden_state"), tmp_path, start=START)
    report = json.loads((tmp_path / "report.json").read_text())
    assert report["risk"]["findings"]
    clauses = report["dpa"]["clauses"]
    assert all(c["reason"] and c["requirements"] for c in clauses)
    assert any(c["id"].startswith("ccpa-") for c in clauses)


def test_cli_draft_and_no_comments(tmp_path, capsys):
    answers = tmp_path / "nl.json"
    answers.write_text(example_json("nordlicht"))
    assert (
        main(["draft", str(answers), "--out", str(tmp_path / "out"), "--no-comments", "--start-date", "2026-01-01"])
        == 0
    )
    out = capsys.readouterr().out
    assert "dpa.docx SHA-256" in out and "shown in Annex III as a condition" in out
    assert read_manifest(tmp_path / "out")["files"][0]["options"] == {"comments": False}


def test_cli_draft_reports_a_bad_file_in_one_line(tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    assert main(["draft", str(bad), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("dpakit draft: ") and "Traceback" not in err


def test_batch_drafts_each_file_into_its_own_folder_and_survives_a_bad_one(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for name in EXAMPLES:
        (src / f"{name}.json").write_text(example_json(name))
    (src / "broken.json").write_text('{"schema_version": 99}')
    items = draft_batch(src, tmp_path / "out", jobs=2, start=START)
    by_source = {i.source.rsplit("/", 1)[-1]: i for i in items}
    assert not by_source["broken.json"].ok and by_source["broken.json"].message
    for name in EXAMPLES:
        item = by_source[f"{name}.json"]
        assert item.ok, item.message
        assert verify_manifest(tmp_path / "out" / name) == []


@pytest.mark.libreoffice
@pytest.mark.parametrize("name", list(EXAMPLES))
def test_each_example_dpa_converts_to_pdf_in_libreoffice(name, tmp_path):
    require_tool("soffice")
    export_documents(load_example(name), tmp_path, start=START)
    check_package((tmp_path / "dpa.docx").read_bytes())
    pdf = convert_to_pdf(tmp_path / "dpa.docx", tmp_path / "pdf")
    assert pdf_pages(pdf) >= 10
    text = pdf_text(pdf)
    assert "Annex IV" in text and "Draft for review by a qualified lawyer" in text
