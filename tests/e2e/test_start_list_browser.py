"""The start page's bounded list in a real browser: with more organisations than it shows, one that is not
on the first page is found with the search box and opened; the opened assessment survives a reload, and the
start page offers to continue it (issue 18)."""

import secrets

import pytest
from playwright.sync_api import Page, expect

from dpakit.workspace.store import Store
from e2e.harness import AppServer, assessment_id, go_to, wait_for_app

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
NEWER = 25


def test_search_the_start_page_list_open_an_organisation_and_reload(app_server: AppServer, page: Page):
    token = secrets.token_hex(3)
    store = Store(app_server.db_path)
    needle = store.create_organisation(f"Needle {token} Ltd")
    wanted = store.create_assessment(needle.id, title="Needle review")
    store.set_answer(wanted.id, "organisation.legal_name", f"Needle {token} Ltd")
    for n in range(NEWER):  # changed after the needle: it is not on the first page
        org = store.create_organisation(f"Haystack {token} {n:02}")
        store.create_assessment(org.id, title="First assessment")
    store.close()

    page.goto(app_server.url)
    wait_for_app(page)
    expanders = page.get_by_test_id("stExpander")
    expect(expanders.filter(has_text=f"Haystack {token} {NEWER - 1:02}")).to_have_count(1)
    expect(expanders.filter(has_text=f"Needle {token}")).to_have_count(0)
    expect(page.get_by_text("not shown. Search by name to find one.")).to_be_visible()

    box = page.locator(".st-key-start-search input")
    box.fill(f"needle {token}")
    box.press("Enter")
    wait_for_app(page)
    expect(expanders).to_have_count(1)
    expect(expanders.first).to_contain_text(f"Needle {token} Ltd")
    expanders.first.get_by_text(f"Needle {token} Ltd").click()
    expect(page.get_by_text("Needle review — started")).to_be_visible()
    page.locator(f".st-key-open-{wanted.id}").get_by_role("button").click()
    wait_for_app(page)
    assert assessment_id(page) == wanted.id
    expect(page.get_by_test_id("stException")).to_have_count(0)

    page.reload()
    wait_for_app(page)
    assert assessment_id(page) == wanted.id  # the URL carries it across the new session
    expect(page.get_by_test_id("stException")).to_have_count(0)
    go_to(page, "Start")
    expect(page.get_by_text("Continue where you left off")).to_be_visible()
    expect(page.get_by_text(f"Needle {token} Ltd — Needle review")).to_be_visible()
