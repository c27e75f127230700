"""The consultant's yearly review in a real browser: two organisations, an assessment copied forward,
changed answers, a DPA generated for each year, and the redline downloaded — it opens in python-docx with
native tracked changes and converts in LibreOffice."""

import io
import re
import secrets
import zipfile

import docx
import pytest
from conftest import require_tool
from docx_checks import check_package, convert_to_pdf, pdf_text
from playwright.sync_api import Page, expect

from dpakit.workspace.store import Store
from e2e.harness import AppServer, assessment_id, go_to, screenshot, wait_for_app

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def generate_dpa(page: Page) -> None:
    go_to(page, "Documents")
    page.get_by_role("button", name=re.compile("^Generate the DPA")).click()
    wait_for_app(page)
    expect(page.get_by_text(re.compile(r"^The DPA is (ready|drafted)"))).to_be_visible()


def answer(page: Page, field: str, text: str) -> None:
    box = page.locator(f".st-key-question-{field.replace('.', '__')}").locator("input, textarea").first
    box.fill(text)
    box.press("Tab")
    wait_for_app(page)


def test_copy_forward_change_answers_and_download_the_redline(app_server: AppServer, page: Page, tmp_path):
    require_tool("soffice")
    token = secrets.token_hex(3)
    # organisation 1: an example with complete answers, and its first DPA
    page.goto(app_server.url)
    wait_for_app(page)
    page.get_by_test_id("stSelectbox").filter(has_text="Example").click()
    page.get_by_role("option", name=re.compile("Nordlicht")).click()
    wait_for_app(page)
    page.get_by_role("button", name="Load this example").click()
    wait_for_app(page)
    first = assessment_id(page)
    generate_dpa(page)

    # organisation 2, added on the workspace page
    go_to(page, "Organisations")
    page.get_by_text("Add an organisation").click()
    page.get_by_label("Organisation name").fill(f"Second Client {token} Ltd")
    page.get_by_role("button", name="Add", exact=True).click()
    wait_for_app(page)
    expect(page.get_by_text(f"Added Second Client {token} Ltd")).to_be_visible()

    # the yearly review: copy forward, change answers, draft again
    page.locator(f".st-key-workspace_copy_{first}").get_by_role("button").click()
    wait_for_app(page)
    expect(page.get_by_text(re.compile("^Copied “"))).to_be_visible()
    go_to(page, "Your organisation")
    second = assessment_id(page)
    assert second != first
    answer(page, "organisation.legal_name", f"Nordlicht Software AG {token}")
    go_to(page, "The agreement")
    answer(page, "agreement.services", "Hosting and support of the CRM, plus analytics.")
    generate_dpa(page)

    store = Store(app_server.db_path)
    assert store.assessment(second).copied_from == first
    assert store.assessment(second).answers.organisation.legal_name == f"Nordlicht Software AG {token}"
    assert len(store.documents(first)) == 1 and len(store.documents(second)) == 1
    assert any(o.name == f"Second Client {token} Ltd" for o in store.organisations())

    # compare the two DPAs and download the redline
    go_to(page, "Compare versions")
    page.get_by_test_id("stRadioGroup").get_by_text("Two generated DPAs").click()
    wait_for_app(page)
    expect(page.get_by_text("Changed answers")).to_be_visible()
    screenshot(page, "compare-dpas")
    with page.expect_download() as info:
        page.get_by_role("button", name=re.compile("Download the redline")).click()
    target = tmp_path / "redline.docx"
    info.value.save_as(target)
    data = target.read_bytes()

    check_package(data)
    document = docx.Document(io.BytesIO(data))
    body = document.element.body
    deleted = "".join(t.text or "" for t in body.iter(f"{W}delText"))
    inserted = "".join(t.text or "" for i in body.iter(f"{W}ins") for t in i.iter(f"{W}t"))
    assert "GmbH" in deleted and f"AG {token}" in inserted
    assert "analytics" in inserted
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        xml = zf.read("word/document.xml").decode()
    assert 'w:author="dpakit"' in xml
    pdf = convert_to_pdf(target, tmp_path)
    assert f"AG {token}" in pdf_text(pdf)


def test_workshop_mode_moves_on_with_the_presenter_keys(app_server: AppServer, page: Page):
    store = Store(app_server.db_path)
    org = store.create_organisation(f"Workshop Client {secrets.token_hex(3)}")
    assessment = store.create_assessment(org.id)
    page.goto(f"{app_server.url}/?a={assessment.id}")
    wait_for_app(page)
    go_to(page, "Workshop mode")
    expect(page.get_by_text(re.compile(r"^Question 1 of \d+"))).to_be_visible()
    page.get_by_text(re.compile(r"^Question 1 of")).click()  # focus the page, not an input
    page.keyboard.press("PageDown")
    wait_for_app(page)
    expect(page.get_by_text(re.compile(r"^Question 2 of \d+"))).to_be_visible()
    page.keyboard.press("PageUp")
    wait_for_app(page)
    expect(page.get_by_text(re.compile(r"^Question 1 of \d+"))).to_be_visible()
    screenshot(page, "workshop-mode")
