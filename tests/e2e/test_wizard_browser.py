"""The main questionnaire journey in a real browser: answers survive a reload and a server restart."""

import pytest
from playwright.sync_api import Page, expect

from dpakit.questionnaire import default_questionnaire
from dpakit.workspace.store import Store
from e2e.harness import (
    AppServer,
    answer_choice,
    answer_text,
    assessment_id,
    go_to,
    question,
    screenshot,
    wait_for_app,
)

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

SECURITY = default_questionnaire().section("security").title
ORGANISATION = default_questionnaire().section("organisation").title


def check_answers_are_back(page: Page) -> None:
    expect(page.get_by_role("heading", name=SECURITY)).to_be_visible()
    mfa = question(page, "security.mfa_enforced")
    expect(mfa.get_by_role("radio", name="No", exact=True)).to_be_checked()
    expect(question(page, "security.backups").get_by_role("radio", name="Not sure")).to_be_checked()
    go_to(page, ORGANISATION)
    expect(question(page, "organisation.registration_number").locator("input")).to_have_value("2019/123456/07")
    expect(question(page, "organisation.has_dpo").get_by_role("radio", name="No", exact=True)).to_be_checked()


def test_answers_survive_a_reload_and_a_server_restart(app_server: AppServer, page: Page):
    page.goto(app_server.url)
    wait_for_app(page)
    page.get_by_label("Organisation name").fill("Fynbos Coffee Roasters (Pty) Ltd")
    page.get_by_role("button", name="Start").click()
    wait_for_app(page)
    expect(page.get_by_role("heading", name=ORGANISATION)).to_be_visible()
    ident = assessment_id(page)

    answer_text(page, "organisation.registration_number", "2019/123456/07")
    answer_choice(page, "organisation.has_dpo", "No")
    go_to(page, SECURITY)
    answer_choice(page, "security.mfa_enforced", "No")
    answer_choice(page, "security.backups", "Not sure")
    assert assessment_id(page) == ident, "navigation lost the assessment id"
    screenshot(page, "wizard-before-reload")

    saved = Store(app_server.db_path).assessment(ident).answers
    assert saved.organisation.registration_number == "2019/123456/07"
    assert saved.security.mfa_enforced == "no"

    page.reload()
    wait_for_app(page)
    assert assessment_id(page) == ident
    check_answers_are_back(page)

    go_to(page, SECURITY)
    app_server.restart()
    page.reload()
    wait_for_app(page)
    assert assessment_id(page) == ident
    check_answers_are_back(page)
    screenshot(page, "wizard-after-restart")


def test_the_demo_organisation_loads_and_every_section_can_be_walked(app_server: AppServer, page: Page):
    page.goto(app_server.url)
    wait_for_app(page)
    page.get_by_role("button", name="Load this example").click()
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Review your answers")).to_be_visible()
    links = page.get_by_test_id("stSidebarNavLink")
    for index in range(links.count()):
        href = links.nth(index).get_attribute("href")
        links.nth(index).click()
        wait_for_app(page)
        assert page.get_by_test_id("stException").count() == 0, href
        assert page.get_by_role("dialog").count() == 0, href
    screenshot(page, "wizard-walked")
