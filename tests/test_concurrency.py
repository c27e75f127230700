"""20 sessions against one running server: 20 browser pages, each on a different organisation, save
answers for a bounded time. No write is lost, no page shows another session's organisation, and
"database is locked" never happens (not on a page, not in the server log).

Each round types a new value into every page without waiting, so the server handles 20 reruns that
each save an answer at the same time; then it waits for all of them. The database must then hold, per
assessment, exactly the values typed, in order, in its change log, and the last one as the answer.
"""

from __future__ import annotations

import secrets
import time

import pytest
from conftest import REPO_ROOT
from e2e.harness import AppServer, wait_for_app

from dpakit.questionnaire import default_questionnaire
from dpakit.workspace.store import Store

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

SESSIONS = 20
MIN_ROUNDS = 3
DURATION_S = 10  # keep typing rounds until this much time has passed (after MIN_ROUNDS)
FIELD = "organisation.registration_number"
SECTION = default_questionnaire().section("organisation").title


def test_twenty_sessions_lose_no_write_and_see_only_their_own_organisation(browser, tmp_path):
    db_path = tmp_path / "concurrency.db"
    store = Store(db_path)
    sessions = []
    for n in range(SESSIONS):
        token = f"Org{n:02d}x{secrets.token_hex(3)}"
        org = store.create_organisation(f"{token} Ltd")
        assessment = store.create_assessment(org.id, title=f"{token} review")
        store.set_answer(assessment.id, "organisation.legal_name", f"{token} Ltd")
        sessions.append({"token": token, "id": assessment.id, "typed": []})

    server = AppServer(REPO_ROOT / "app.py", db_path, cwd=REPO_ROOT, log_path=tmp_path / "server.log")
    server.start()
    contexts = []
    try:
        for s in sessions:
            context = browser.new_context(viewport={"width": 1200, "height": 900})
            context.set_default_timeout(60_000)
            contexts.append(context)
            s["page"] = context.new_page()
            s["page"].goto(f"{server.url}/?a={s['id']}")
        for s in sessions:
            wait_for_app(s["page"], timeout=60_000)
            s["page"].get_by_test_id("stSidebarNavLink").filter(has_text=SECTION).first.click()
        for s in sessions:
            wait_for_app(s["page"], timeout=60_000)
            s["box"] = s["page"].locator(f".st-key-question-{FIELD.replace('.', '__')} input").first

        started, rounds = time.monotonic(), 0
        while rounds < MIN_ROUNDS or time.monotonic() - started < DURATION_S:
            for s in sessions:  # all 20 save at once...
                value = f"{s['token']}-{rounds:03d}"
                s["box"].fill(value)
                s["box"].press("Tab")
                s["typed"].append(value)
            for s in sessions:  # ...then wait for every rerun to finish
                wait_for_app(s["page"], timeout=60_000, settle_ms=0)
            rounds += 1
        elapsed = time.monotonic() - started

        others = {s["token"] for s in sessions}
        for s in sessions:
            page = s["page"]
            text = page.locator("body").inner_text()
            assert s["token"] in text
            assert not (others - {s["token"]}) & set(_words(text)), f"{s['token']} sees another organisation"
            assert page.get_by_test_id("stException").count() == 0
            assert "locked" not in text.lower() and "busy" not in text.lower()
    finally:
        for context in contexts:
            context.close()
        server.stop()

    log = server.log_tail(10_000)
    assert "database is locked" not in log and "Traceback" not in log, log[-3000:]
    writes = 0
    for s in sessions:
        logged = [e.new_value for e in store.events(s["id"]) if e.field == FIELD]
        assert logged == s["typed"], f"{s['token']}: lost or reordered writes"
        assert store.assessment(s["id"]).answers.get(FIELD) == s["typed"][-1]
        writes += len(logged)
    assert writes == SESSIONS * rounds
    print(
        f"\nconcurrency: {SESSIONS} sessions, {rounds} rounds, {writes} writes saved and logged, "
        f"0 lost, 0 'database is locked', {elapsed:.1f} s"
    )


def _words(text: str) -> list[str]:
    return [w.split("-")[0] for w in text.replace("\n", " ").split()]
