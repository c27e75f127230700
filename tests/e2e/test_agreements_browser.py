"""Two agreements on one assessment in a real browser (issue 10): add a second agreement, answer a question
in each, reload, and find both answers intact and unmixed, with the agreement in the URL (``&g=``)."""

import re

import pytest
from playwright.sync_api import Page, expect

from dpakit.questionnaire import default_questionnaire
from dpakit.workspace.store import Store
from e2e.harness import AppServer, answer_text, assessment_id, go_to, question, screenshot, wait_for_app

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

AGREEMENT = default_questionnaire().section("agreement").title
MAIN = "agreement.main_agreement_name"
NAME = "agreement.counterparty_name"


def agreement_in_url(page: Page) -> str:
    match = re.search(r"[?&]g=([\w-]+)", page.url)
    assert match, f"no agreement id in {page.url}"
    return match.group(1)


def value_of(page: Page, field: str):
    return question(page, field).locator("input").first


def choose_agreement(page: Page, label: str) -> None:
    page.get_by_test_id("stSelectbox").filter(has_text="Agreement you are editing").get_by_role("combobox").click()
    page.get_by_role("option", name=label, exact=True).click()
    wait_for_app(page)


def test_two_agreements_keep_their_own_answers_through_a_reload(app_server: AppServer, page: Page):
    page.goto(app_server.url)
    wait_for_app(page)
    page.get_by_label("Organisation name").fill("Fynbos Coffee Roasters (Pty) Ltd")
    page.get_by_role("button", name="Start").click()
    wait_for_app(page)
    ident = assessment_id(page)
    go_to(page, AGREEMENT)
    expect(page.get_by_role("heading", name=AGREEMENT)).to_be_visible()
    first = agreement_in_url(page)

    answer_text(page, NAME, "Table Mountain Digital (Pty) Ltd")
    answer_text(page, MAIN, "Marketing Services Agreement")

    page.locator("[class*='st-key-agreement-new-name'] input").fill("Karoo Books CC")
    page.get_by_role("button", name="Add an agreement").click()
    wait_for_app(page)
    second = agreement_in_url(page)
    assert second != first and second == "karoo-books-cc"
    expect(value_of(page, NAME)).to_have_value("Karoo Books CC")
    expect(value_of(page, MAIN)).to_have_value("")  # a new agreement starts empty, not with the first's answer
    answer_text(page, MAIN, "Bookkeeping Terms 2026")
    screenshot(page, "agreements-second-answered")

    saved = Store(app_server.db_path).assessment(ident).answers
    assert saved.agreement_ids == [first, second]
    assert saved.agreement_by_id(first).main_agreement_name == "Marketing Services Agreement"
    assert saved.agreement_by_id(second).main_agreement_name == "Bookkeeping Terms 2026"

    page.reload()
    wait_for_app(page)
    assert assessment_id(page) == ident and agreement_in_url(page) == second
    expect(value_of(page, NAME)).to_have_value("Karoo Books CC")
    expect(value_of(page, MAIN)).to_have_value("Bookkeeping Terms 2026")

    choose_agreement(page, "Table Mountain Digital (Pty) Ltd")
    assert agreement_in_url(page) == first
    expect(value_of(page, NAME)).to_have_value("Table Mountain Digital (Pty) Ltd")
    expect(value_of(page, MAIN)).to_have_value("Marketing Services Agreement")

    page.reload()
    wait_for_app(page)
    assert agreement_in_url(page) == first
    expect(value_of(page, MAIN)).to_have_value("Marketing Services Agreement")
    choose_agreement(page, "Karoo Books CC")
    expect(value_of(page, MAIN)).to_have_value("Bookkeeping Terms 2026")
    screenshot(page, "agreements-after-reload")

    after = Store(app_server.db_path).assessment(ident).answers
    assert after.agreement_by_id(first).main_agreement_name == "Marketing Services Agreement"
    assert after.agreement_by_id(first).counterparty_name == "Table Mountain Digital (Pty) Ltd"
    assert after.agreement_by_id(second).main_agreement_name == "Bookkeeping Terms 2026"
    assert after.agreement_by_id(second).counterparty_name == "Karoo Books CC"
    assert page.get_by_test_id("stException").count() == 0
