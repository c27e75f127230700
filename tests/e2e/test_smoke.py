"""The real app starts, renders without an exception and offers its pages in the sidebar."""

import pytest
from playwright.sync_api import Page

from e2e.harness import AppServer, screenshot, wait_for_app

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_the_app_renders_its_first_page_and_sidebar_navigation(app_server: AppServer, page: Page):
    page_errors: list[str] = []
    page.on("pageerror", lambda error: page_errors.append(str(error)))

    page.goto(app_server.url)
    wait_for_app(page)
    screenshot(page, "smoke-start")

    exceptions = page.get_by_test_id("stException")
    assert exceptions.count() == 0, exceptions.all_inner_texts()
    links = page.get_by_test_id("stSidebarNavLink")
    links.first.wait_for(state="attached")
    assert links.count() >= 1
    assert page.get_by_test_id("stMain").inner_text().strip(), "the main area is empty"
    assert page_errors == []


def test_every_sidebar_page_renders_without_an_exception(app_server: AppServer, page: Page):
    page.goto(app_server.url)
    wait_for_app(page)
    links = page.get_by_test_id("stSidebarNavLink")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert hrefs
    for href in hrefs:
        links.and_(page.locator(f"[href='{href}']")).first.click()
        wait_for_app(page)
        exceptions = page.get_by_test_id("stException")
        if exceptions.count():
            screenshot(page, f"smoke-exception-{href.rstrip('/').rsplit('/', 1)[-1]}")
        assert exceptions.count() == 0, (href, exceptions.all_inner_texts())
