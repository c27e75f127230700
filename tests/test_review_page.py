"""AppTest for the Review a DPA page: paste or upload, the report by status, errors as messages."""

from __future__ import annotations

from apptest_support import open_page
from conftest import REPO_ROOT
from streamlit.testing.v1 import AppTest

from dpakit.examples import load_example

PAGE = "views/review_dpa.py"
FIXTURES = REPO_ROOT / "tests" / "fixtures" / "review"


def review_page(assessment_id: str | None = None) -> AppTest:
    return open_page(PAGE, assessment_id)


def _texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [s.value for s in at.subheader] + [h.value for h in at.header]
    parts += [e.label for e in at.expander] + [c.value for c in at.caption]
    return "\n".join(parts)


def test_the_page_offers_the_review_regimes_and_asks_for_a_document(app_db):
    at = review_page()
    assert at.title[0].value == "Review a DPA"
    assert at.multiselect(key="review_regimes").value == ["eu_gdpr", "uk_gdpr"]
    assert at.radio(key="review_role").value == "controller"
    at.button(key="review_run").click().run()
    assert [w.value for w in at.warning] == ["Upload a file or paste the text of the DPA first."]


def test_pasted_text_is_reviewed_and_shown_by_status(app_db):
    at = review_page()
    at.radio(key="review_source").set_value("paste").run()
    at.text_area(key="review_paste").set_value((FIXTURES / "brisk_terms.txt").read_text()).run()
    at.button(key="review_run").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert [m.label for m in at.metric] == ["Found", "Weak", "Missing"]
    text = _texts(at)
    assert "Missing (" in text and "Weak (" in text and "Found (" in text
    assert "GDPR\\-28\\-3\\-g" in text  # ids are escaped like all text
    assert "Ask for" in text
    assert len(at.get("download_button")) == 2


def test_an_uploaded_docx_is_reviewed(app_db, tmp_path):
    from dpakit.analysis import analyse
    from dpakit.drafting.draft import draft_dpa

    data = draft_dpa(analyse(load_example("golden_state"))).docx
    at = review_page()
    at.multiselect(key="review_regimes").set_value(["ccpa"]).run()
    at.file_uploader(key="review_upload").set_value(("golden-state-dpa.docx", data, "application/octet-stream"))
    at.run()
    at.button(key="review_run").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert [m.value for m in at.metric] == ["15", "0", "0"]


def test_a_bad_document_gives_a_message_not_a_traceback(app_db):
    at = review_page()
    at.file_uploader(key="review_upload").set_value(("vendor.docx", b"%PDF-1.4 not really", "application/pdf"))
    at.run()
    at.button(key="review_run").click().run()
    assert not at.exception
    assert len(at.error) == 1 and "not a Word document" in at.error[0].value
    assert not at.metric


def test_an_uploaded_file_name_in_an_error_is_escaped_never_interpreted(app_db):
    at = review_page()
    name = "[click](http://x) :red[red] <b>x</b>.docx"
    at.file_uploader(key="review_upload").set_value((name, b"%PDF-1.4 not really", "application/pdf"))
    at.run()
    at.button(key="review_run").click().run()
    assert not at.exception
    shown = at.error[0].value
    assert "\\[click\\]\\(http\\:" in shown and "\\:red\\[red\\]" in shown and "<b>" not in shown


def test_document_text_is_escaped_never_interpreted(app_db):
    at = review_page()
    at.radio(key="review_source").set_value("paste").run()
    hostile = (
        "Personal data breaches\n\nThe Vendor will notify the Customer of a personal data breach "
        "without undue delay. **bold** <script>alert(1)</script> [link](http://x) :red[red]"
    )
    at.text_area(key="review_paste").set_value(hostile).run()
    at.button(key="review_run").click().run()
    shown = "\n".join(m.value for m in at.markdown)
    assert "<script>" not in shown.replace("\\<script\\>", "")
    assert "\\*\\*bold\\*\\*" in shown and "\\[link\\]" in shown and "\\:red\\[red\\]" in shown


def test_regimes_and_role_come_from_the_open_assessment(app_db):
    org = app_db.create_organisation("Brightwave Digital Ltd")
    assessment = app_db.create_assessment(org.id, load_example("brightwave"))
    at = review_page(assessment.id)
    assert sorted(at.multiselect(key="review_regimes").value) == ["eu_gdpr", "uk_gdpr"]
    assert at.radio(key="review_role").value == "processor"
    assert at.selectbox(key="review_transfers").value == "assessment"
