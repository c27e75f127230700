"""Faults in a real browser: the server killed mid-walk, a damaged or read-only database, two tabs.

- SIGKILL of the server in the middle of a walk-through: after a restart every answer given before the
  kill is back, in the browser and in the database.
- A damaged or read-only database file: the app says so in plain words (no traceback) and the file's
  bytes are unchanged.
- Two tabs on one assessment, answering in turn with stale screens: nothing is lost, and for one field
  the last write wins.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
from pathlib import Path

import pytest
from conftest import REPO_ROOT, require_tool
from playwright.sync_api import Browser, Page, expect

from dpakit.examples import load_example
from dpakit.questionnaire import default_questionnaire
from dpakit.workspace.store import Store
from e2e.harness import (
    ARTIFACTS,
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

QUESTIONNAIRE = default_questionnaire()
ORGANISATION = QUESTIONNAIRE.section("organisation").title
SECURITY = QUESTIONNAIRE.section("security").title


def assert_no_page_not_found(page: Page) -> None:
    """A deep link (``/security?a=…``) must open that page, even as the first session after a start.

    Streamlit runs a folder named ``pages/`` beside the entry script in its old pages-folder mode on the
    first session of a process, which showed "Page not found" over deep links; the page scripts live in
    ``views/`` for that reason. This guards against the regression.
    """
    assert page.get_by_role("dialog").filter(has_text="Page not found").count() == 0


def checked(page: Page, field: str, label: str):
    return expect(question(page, field).get_by_role("radio", name=label, exact=True)).to_be_checked()


def test_answers_given_before_a_sigkill_are_there_after_the_restart(app_server: AppServer, page: Page):
    page.goto(app_server.url)
    wait_for_app(page)
    page.get_by_label("Organisation name").fill("Killed Mid-Walk Ltd")
    page.get_by_role("button", name="Start").click()
    wait_for_app(page)
    ident = assessment_id(page)
    answer_text(page, "organisation.registration_number", "HRB 4711")
    answer_choice(page, "organisation.has_dpo", "Yes")
    go_to(page, SECURITY)
    answer_choice(page, "security.mfa_enforced", "No")
    answer_choice(page, "security.sso", "Not sure")
    # The walk goes on: a click whose rerun may or may not reach the server before it dies.
    question(page, "security.backups").get_by_text("Yes", exact=True).click()
    app_server.kill()

    saved = Store(app_server.db_path).assessment(ident).answers
    assert (saved.organisation.registration_number, saved.organisation.has_dpo) == ("HRB 4711", "yes")
    assert (saved.security.mfa_enforced, saved.security.sso) == ("no", "not_sure")

    app_server.start()
    page.reload()
    wait_for_app(page)
    assert_no_page_not_found(page)
    assert assessment_id(page) == ident
    expect(page.get_by_role("heading", name=SECURITY)).to_be_visible()
    checked(page, "security.mfa_enforced", "No")
    checked(page, "security.sso", "Not sure")
    go_to(page, ORGANISATION)
    expect(question(page, "organisation.registration_number").locator("input")).to_have_value("HRB 4711")
    checked(page, "organisation.has_dpo", "Yes")
    assert page.get_by_test_id("stException").count() == 0
    screenshot(page, "faults-after-sigkill")


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _damaged(path: Path) -> str | None:
    path.write_bytes(b"SQLite format 3\x00" + os.urandom(16_384))
    return None


def _read_only(path: Path) -> str | None:
    store = Store(path)
    org = store.create_organisation("Read Only GmbH")
    created = store.create_assessment(org.id, load_example("nordlicht"))
    if os.geteuid() == 0:  # root ignores file modes; an immutable file it cannot write
        subprocess.run([require_tool("chattr"), "+i", str(path)], check=True)
    else:
        path.chmod(0o444)
    return created.id


def _writable_again(path: Path) -> None:
    if os.geteuid() == 0:
        subprocess.run(["chattr", "-i", str(path)], check=False)
    path.chmod(0o644)


@pytest.mark.parametrize(
    ("fault", "message"),
    [("damaged", "is damaged or is not a dpakit database"), ("read_only", "is read-only, so nothing can be saved")],
)
def test_a_bad_database_file_gives_a_clear_message_and_is_never_changed(
    browser: Browser, tmp_path: Path, fault: str, message: str
):
    db = tmp_path / "app.db"
    ident = {"damaged": _damaged, "read_only": _read_only}[fault](db)
    before = _sha256(db)
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        with AppServer(REPO_ROOT / "app.py", db, cwd=REPO_ROOT, log_path=ARTIFACTS / f"faults-{fault}.log") as server:
            page = context.new_page()
            if ident is None:
                page.goto(server.url)
            else:  # open the assessment on a wizard page and try to change an answer
                page.goto(f"{server.url}/security?a={ident}")
            wait_for_app(page)
            assert_no_page_not_found(page)
            if ident is not None:
                expect(page.get_by_role("heading", name=SECURITY)).to_be_visible()
                old = load_example("nordlicht").security.sso
                question(page, "security.sso").get_by_text("No" if old == "yes" else "Yes", exact=True).click()
                wait_for_app(page)
            alerts = page.get_by_test_id("stAlertContentError")
            expect(alerts.filter(has_text=message).first).to_be_visible()
            assert page.get_by_test_id("stException").count() == 0
            screenshot(page, f"faults-{fault}-database")
    finally:
        context.close()
        if fault == "read_only":
            _writable_again(db)
    assert _sha256(db) == before, "the database file was changed"
    if ident is not None:
        assert Store(db).assessment(ident).answers.security.sso == load_example("nordlicht").security.sso


def test_two_tabs_on_one_assessment_do_not_lose_each_others_answers(app_server: AppServer, browser: Browser):
    store = Store(app_server.db_path)
    org = store.create_organisation("Two Tabs AG")
    ident = store.create_assessment(org.id, load_example("nordlicht")).id  # sso yes, backups yes
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        tab1, tab2 = context.new_page(), context.new_page()
        for tab in (tab1, tab2):
            tab.goto(f"{app_server.url}/security?a={ident}")
            wait_for_app(tab)
            assert_no_page_not_found(tab)
            expect(tab.get_by_role("heading", name=SECURITY)).to_be_visible()

        answer_choice(tab1, "security.sso", "Not sure")
        answer_choice(tab2, "security.backups", "No")  # tab2 still shows sso "Yes"
        answer_choice(tab1, "security.access_reviews", "Yes")  # tab1 still shows backups "Yes"
        answer_choice(tab2, "security.sso", "No")  # same field: the last write wins
        answers = store.assessment(ident).answers.security
        assert (answers.sso, answers.backups, answers.access_reviews) == ("no", "no", "yes")
        assert answers.mfa_enforced == load_example("nordlicht").security.mfa_enforced

        for tab in (tab1, tab2):
            tab.reload()
            wait_for_app(tab)
            checked(tab, "security.sso", "No")
            checked(tab, "security.backups", "No")
            checked(tab, "security.access_reviews", "Yes")
            assert tab.get_by_test_id("stException").count() == 0
    finally:
        context.close()
