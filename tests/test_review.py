"""The review core: the detection data is tied to the catalogue, the method's rules, statuses with
explanations, vendor context, the outputs (JSON, Markdown, DOCX) and the command line."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from docx_checks import check_package

from dpakit.cli import main
from dpakit.docx_render import document_text, undeclared_variables
from dpakit.errors import ContentError, InputError
from dpakit.requirements import load_catalogue
from dpakit.review.reading import read_text
from dpakit.review.report import (
    DETECTION_DIR,
    REVIEW_REGIMES,
    REVIEW_TEMPLATE,
    ReviewReportContext,
    check_detection,
    load_detection,
    normalise_phrase,
    parse_regimes,
    review_document,
    review_docx,
    review_json,
    review_markdown,
    tokenize,
)

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "review"


def doc(text: str):
    return read_text(text, name="test")


def status(text: str, term: str, regimes=("eu_gdpr",)):
    report = review_document(doc(text), list(regimes), "controller", transfers=True)
    return next(r for r in report.results if r.id == term)


def test_every_mandatory_term_of_the_review_regimes_has_detection_data_and_nothing_else_does():
    detection = load_detection()
    catalogue = load_catalogue()
    wanted = {r.id for regime in REVIEW_REGIMES for r in catalogue.mandatory_terms(regime)}
    assert set(detection.terms) == wanted
    assert check_detection()[0].startswith(f"review detection: {len(wanted)} terms")


def test_the_detection_readme_documents_every_key_of_the_format():
    readme = (DETECTION_DIR / "README.md").read_text()
    for key in (
        "window",
        "scope",
        "ordered",
        "ignore",
        "weak_if_missing",
        "weak_if_present",
        "concept",
        "any",
        "[[signal]]",
        "@name",
        "`#`",
        "`^`",
        "word*",
    ):
        assert key in readme, key


def test_bad_detection_data_names_the_file_and_term(tmp_path):
    (tmp_path / "concepts.toml").write_text('[concepts]\nx = ["a b"]\n')
    (tmp_path / "t.toml").write_text('[[term]]\nid = "GDPR-28-9"\n[[term.group]]\nconcept = "c"\nany = ["@nope"]\n')
    with pytest.raises(ContentError, match=r"t\.toml: GDPR-28-9: unknown concept '@nope'"):
        load_detection(tmp_path)
    (tmp_path / "t.toml").write_text('[[term]]\nid = "GDPR-28-9"\n[[term.group]]\nconcept = "c"\nany = ["authoris*"]\n')
    with pytest.raises(ContentError, match="-iz spelling"):
        load_detection(tmp_path)


def test_text_and_phrases_are_normalised_alike():
    assert [t.word for t in tokenize("Sub-processor’s authorisation, e-mail; non-compliance")] == [
        "subprocessor",
        "s",
        "authorization",
        "email",
        "noncompliance",
    ]
    assert normalise_phrase("sub processor*") == ("subprocessor*",)
    assert normalise_phrase("^Purposes") == ("^", "purposes")
    assert normalise_phrase("within # hours") == ("within", "#", "hours")


def test_a_deletion_clause_without_return_is_weak_and_says_why():
    result = status(
        "End of the services\n\nOn termination the Vendor shall delete all Customer personal data.", "GDPR-28-3-g"
    )
    assert result.status == "weak"
    assert "not a return" in result.because
    assert result.ask_for and result.citation.startswith("GDPR Art 28(3)(g)")


def test_a_breach_notice_without_a_time_frame_is_weak_and_with_one_is_found():
    weak = status("Security incidents\n\nVendor will notify Customer of any Security Incident.", "GDPR-33-2")
    assert weak.status == "weak" and "time frame" in weak.because
    found = status(
        "Security incidents\n\nVendor will notify Customer of any Security Incident within 48 hours.", "GDPR-33-2"
    )
    assert found.status == "found"
    assert "“notify”" in found.because and "“within 48”" in found.because


def test_a_found_term_quotes_the_passage_with_its_location():
    result = status(
        "# Addendum\n\n## Confidentiality\n\nAll Vendor personnel are bound by a duty of confidentiality.",
        "GDPR-28-3-b",
    )
    assert result.status == "found"
    assert result.evidence[0].quote == "All Vendor personnel are bound by a duty of confidentiality."
    assert result.evidence[0].location == "paragraph 3, under “Addendum › Confidentiality”"
    assert result.because.startswith("matched because, within 40 words, it says — ")


def test_a_missing_term_says_what_was_looked_for_and_what_to_ask_for():
    result = status("Nothing relevant here.", "GDPR-28-4-b")
    assert result.status == "missing" and result.evidence == ()
    assert result.because.startswith("not found: no section mentions all of — sub-processor")
    assert "remains fully liable" in result.ask_for


def test_qualified_audit_rights_are_weak():
    result = status(
        "Audits\n\nVendor will make available information and allow audits by Customer; Customer "
        "shall have no right to audit beyond our SOC 2 report.",
        "GDPR-28-3-h",
    )
    assert result.status == "weak" and "replaced or limited" in result.because


def test_long_passages_are_trimmed_around_the_match():
    filler = "This sentence is filler text about nothing in particular. " * 30
    result = status(
        f"Breach\n\n{filler}Vendor will notify Customer of a data breach without undue delay. {filler}", "GDPR-33-2"
    )
    quote = result.evidence[0].quote
    assert quote.startswith("…") and quote.endswith("…") and "without undue delay" in quote and len(quote) < 600


def test_transfer_terms_follow_the_text_the_choice_or_the_assessment():
    plain = doc("Confidentiality\n\nStaff are bound by confidentiality.")
    auto = review_document(plain, ["eu_gdpr", "uk_gdpr"], "controller")
    assert {s.id for s in auto.skipped} == {"GDPR-46-2-c", "SCC914-C14", "UK-IDTA-2"}
    assert "does not mention international transfers" in auto.transfers_reason
    forced = review_document(plain, ["eu_gdpr"], "controller", transfers=True)
    assert {"GDPR-46-2-c", "SCC914-C14"} <= {r.id for r in forced.results} and not forced.skipped
    mentions = doc("Transfers\n\nData may be transferred outside the EEA under the Standard Contractual Clauses.")
    assert not review_document(mentions, ["eu_gdpr"], "controller").skipped
    facts = {"transfer.eu_scc": True, "transfer.uk_addendum": False}
    by_facts = review_document(plain, ["eu_gdpr", "uk_gdpr"], "controller", facts=facts)
    assert [s.id for s in by_facts.skipped] == ["UK-IDTA-2"]


def test_terms_shared_by_eu_and_uk_gdpr_are_checked_once_with_both_regimes():
    report = review_document(doc("Text."), ["eu_gdpr", "uk_gdpr"], "controller", transfers=False)
    ids = [r.id for r in report.results]
    assert len(ids) == len(set(ids))
    assert next(r for r in report.results if r.id == "GDPR-28-9").regimes == ("eu_gdpr", "uk_gdpr")


@pytest.mark.parametrize("value", ["", "gdpr", "eu_gdpr,lgpd", []])
def test_unknown_or_unsupported_regimes_are_input_errors(value):
    with pytest.raises(InputError):
        parse_regimes(value)


def test_the_role_must_be_controller_or_processor():
    with pytest.raises(InputError, match="role"):
        review_document(doc("x"), ["ccpa"], "vendor")  # type: ignore[arg-type]


def test_a_known_crm_vendor_adds_what_to_check_outside_the_text():
    text = (
        "HubSpot Data Processing Agreement\n\nThis DPA forms part of the HubSpot Customer Terms between "
        "HubSpot, Inc. and Customer.\n\nSub-processors\n\nHubSpot will notify Customer of any new "
        "Sub-processor at least 30 days before it processes Customer Data, and Customer may object."
    )
    report = review_document(doc(text), ["eu_gdpr"], "controller")
    vendor = report.vendor
    assert vendor is not None and vendor.vendor_id == "hubspot"
    assert vendor.subprocessor_url == "https://legal.hubspot.com/sub-processors-page"
    assert "DPF List" in vendor.dpf_status
    assert vendor.subprocessor_notice.startswith("30 days, as stated in paragraph")
    assert vendor.checks and "Check outside the text: HubSpot" in review_markdown(report)
    assert review_document(doc("A DPA with no vendor name."), ["eu_gdpr"], "controller").vendor is None


def test_markdown_escapes_document_text():
    text = "Breach\n\nVendor will notify Customer of a data breach without undue delay. <img src=x> **b** [l](u)"
    report = review_document(read_text(text, name="<evil>.md"), ["eu_gdpr"], "controller")
    out = review_markdown(report)
    assert "# DPA review: \\<evil\\>\\.md" in out
    assert not re.search(r"(?<!\\)<img", out)
    assert "\\<img src\\=x\\>" in out and "\\*\\*b\\*\\*" in out


def test_json_is_the_report_model_with_counts():
    report = review_document(doc("Nothing."), ["ccpa"], "processor")
    data = json.loads(review_json(report))
    assert data["counts"] == {"found": 0, "weak": 0, "missing": 15}
    assert data["role"] == "processor" and data["regimes"] == ["ccpa"]
    assert {r["status"] for r in data["results"]} == {"missing"}


def test_the_docx_report_is_valid_literal_reproducible_and_marked_as_a_draft():
    hostile = "Breach\n\nVendor will notify Customer of a data breach within 24 hours. {{ 7*7 }} {% if x %} & <b>"
    report = review_document(read_text(hostile, name="a&b.txt"), ["eu_gdpr"], "controller")
    data = review_docx(report)
    assert data == review_docx(report)
    check_package(data, allowed_literals=["{{ 7*7 }}", "{% if x %}"])
    text = document_text(data)
    assert "Draft for review by a qualified lawyer — not legal advice" in text
    assert "“Vendor will notify Customer of a data breach within 24 hours. {{ 7*7 }} {% if x %} & <b>”" in text
    assert "a&b.txt (pasted text)" in text
    for heading in ("Missing (", "Weak (", "Found (", "How this review works"):
        assert heading in text


def test_the_template_uses_exactly_the_context_fields_and_matches_its_build_script():
    assert undeclared_variables(REVIEW_TEMPLATE) == set(ReviewReportContext.model_fields)
    import subprocess
    import sys

    run = subprocess.run(
        [sys.executable, str(ROOT / "templates" / "build_review_report.py"), "--check"], capture_output=True, text=True
    )
    assert run.returncode == 0, run.stdout + run.stderr


# --- the command line --------------------------------------------------------------------------------


def test_cli_review_prints_json_and_writes_reports(tmp_path, capsys):
    out_docx, out_md = tmp_path / "r.docx", tmp_path / "r.md"
    code = main(
        [
            "review",
            str(FIXTURES / "brisk_terms.txt"),
            "--regimes",
            "eu_gdpr,uk_gdpr",
            "--docx",
            str(out_docx),
            "--markdown",
            str(out_md),
        ]
    )
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    assert data["document"] == "brisk_terms.txt" and data["counts"]["missing"] > 0
    assert out_docx.read_bytes()[:2] == b"PK" and out_md.read_text().startswith("# DPA review")


def test_cli_review_text_format(capsys):
    assert (
        main(
            [
                "review",
                str(FIXTURES / "karoo_operator.md"),
                "--regimes",
                "popia",
                "--role",
                "controller",
                "--format",
                "text",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "4 found, 0 weak, 0 missing" in out and "[FOUND  ] POPIA-20" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--regimes", "eu_gdpr,mars"], "unknown regime code(s) mars"),
        (["--regimes", "eu_gdpr", "--transfers", "yes"], None),
    ],
)
def test_cli_review_bad_regimes_exit_2_with_one_line(args, message, capsys):
    code = main(["review", str(FIXTURES / "brisk_terms.txt"), *args])
    if message is None:
        assert code == 0
        return
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and message in err


def test_cli_review_bad_documents_exit_2_with_one_line(tmp_path, capsys):
    cases = {"empty.txt": b"", "fake.docx": b"plain", "image.pdf": b"plain text"}
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
        assert main(["review", str(tmp_path / name), "--regimes", "ccpa"]) == 2
        err = capsys.readouterr().err
        assert err.startswith("dpakit review: ") and err.count("\n") == 1, err
    assert main(["review", str(tmp_path / "missing.pdf"), "--regimes", "ccpa"]) == 2
    assert "no such file" in capsys.readouterr().err
