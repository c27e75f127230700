"""Review a DPA in a real browser: upload a DOCX, see the report by status, download the report DOCX."""

from __future__ import annotations

import io

import docx
import pytest
from playwright.sync_api import Page, expect

from dpakit.analysis import analyse
from dpakit.drafting.draft import draft_dpa
from dpakit.examples import load_example
from e2e.harness import AppServer, screenshot, wait_for_app

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def open_review_page(page: Page, app_server: AppServer) -> None:
    page.goto(app_server.url)
    wait_for_app(page)
    page.get_by_test_id("stSidebarNavLink").filter(has_text="Review a DPA").click()
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Review a DPA")).to_be_visible()


def test_upload_a_docx_see_the_report_and_download_it(app_server: AppServer, page: Page, tmp_path):
    dpa = tmp_path / "nordlicht-dpa.docx"
    dpa.write_bytes(draft_dpa(analyse(load_example("nordlicht"))).docx)

    open_review_page(page, app_server)

    page.locator(".st-key-review_upload input[type='file']").set_input_files(str(dpa))
    wait_for_app(page)
    page.locator(".st-key-review_run button").click()
    wait_for_app(page)
    screenshot(page, "review-report")

    assert page.get_by_test_id("stException").count() == 0
    metrics = page.get_by_test_id("stMetricValue").all_inner_texts()
    assert metrics == ["26", "0", "0"], metrics
    main = page.get_by_test_id("stMain")
    expect(main).to_contain_text("Found (26)")
    expect(main).to_contain_text("GDPR-28-3-g")
    expect(main).to_contain_text("Missing (0)")

    with page.expect_download() as info:
        page.locator(".st-key-review_download_docx button").click()
    download = info.value
    assert download.suggested_filename == "review-nordlicht-dpa.docx"
    data = tmp_path / "report.docx"
    download.save_as(data)
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(data.read_bytes())).paragraphs)
    assert "DPA review report" in text
    assert "Draft for review by a qualified lawyer" in text
    assert "nordlicht-dpa.docx (Word document)" in text
    assert "26 mandatory terms checked" in text


def test_a_wrong_file_type_shows_a_message(app_server: AppServer, page: Page, tmp_path):
    fake = tmp_path / "vendor.docx"
    fake.write_bytes(b"this is not a word document")
    open_review_page(page, app_server)
    page.locator(".st-key-review_upload input[type='file']").set_input_files(str(fake))
    wait_for_app(page)
    page.locator(".st-key-review_run button").click()
    wait_for_app(page)
    assert page.get_by_test_id("stException").count() == 0
    expect(page.get_by_test_id("stAlert")).to_contain_text("not a Word document")


def test_a_pdf_and_a_docx_bomb_get_messages_and_the_app_stays_responsive(app_server: AppServer, page: Page, tmp_path):
    # Issue 13: a 64 KB PDF of 400 pages ran for minutes in the server; a 0.5 MB DOCX with a 480 MB styles
    # part took gigabytes. Each now gets its message, and the page answers the next upload at once.
    from test_upload_limits import HEAVY, HUGE, shared_stream_pdf, small_docx, with_part

    pdf = tmp_path / "bundle.pdf"
    pdf.write_bytes(shared_stream_pdf(400, HEAVY))
    bomb = tmp_path / "vendor.docx"
    styles = b'<?xml version="1.0"?><w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    bomb.write_bytes(with_part(small_docx(), "word/styles.xml", HUGE, head=styles))
    open_review_page(page, app_server)
    for path, message in ((pdf, "has 400 pages; the limit is 300"), (bomb, "480 MB; the limit is 100 MB")):
        page.locator(".st-key-review_upload input[type='file']").set_input_files(str(path))
        wait_for_app(page)
        page.locator(".st-key-review_run button").click()
        wait_for_app(page)
        assert page.get_by_test_id("stException").count() == 0
        expect(page.get_by_test_id("stAlert").first).to_contain_text(message)
    good = tmp_path / "dpa.docx"
    good.write_bytes(draft_dpa(analyse(load_example("nordlicht"))).docx)
    page.locator(".st-key-review_upload input[type='file']").set_input_files(str(good))
    wait_for_app(page)
    page.locator(".st-key-review_run button").click()
    wait_for_app(page)
    expect(page.get_by_test_id("stMain")).to_contain_text("Found (26)")
