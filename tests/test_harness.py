"""The browser harness itself, on a throw-away Streamlit script (not the dpakit app)."""

import textwrap
import urllib.request

import pytest
from e2e.harness import AppServer, AppServerError, wait_for_app
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

SCRIPT = textwrap.dedent("""
    import os
    import streamlit as st

    st.title("Harness check")
    st.caption(f"db={os.environ['DPAKIT_DB']}")
    if st.button("Press me", key="press"):
        st.write("pressed")
    else:
        st.write("not pressed")
""")


@pytest.fixture
def toy_server(tmp_path):
    script = tmp_path / "toy_app.py"
    script.write_text(SCRIPT)
    server = AppServer(script, tmp_path / "toy.db")
    server.start()
    yield server
    server.stop()


def test_the_server_answers_its_health_check(toy_server):
    with urllib.request.urlopen(f"{toy_server.url}/_stcore/health", timeout=5) as response:
        assert response.read() == b"ok"
    assert toy_server.url.startswith("http://127.0.0.1:")


def test_the_browser_sees_the_button_and_clicking_it_reruns_the_script(toy_server, page: Page):
    page.goto(toy_server.url)
    wait_for_app(page)
    main = page.get_by_test_id("stMain")
    expect(main).to_contain_text("not pressed")
    expect(main).to_contain_text(f"db={toy_server.db_path}")
    page.locator(".st-key-press").get_by_role("button", name="Press me").click()
    wait_for_app(page)
    expect(main).to_contain_text("pressed")
    expect(main).not_to_contain_text("not pressed")


def test_restart_keeps_the_port_and_the_page_reconnects(toy_server, page: Page):
    port = toy_server.port
    page.goto(toy_server.url)
    wait_for_app(page)
    toy_server.restart()
    assert toy_server.port == port and toy_server.healthy()
    page.reload()
    wait_for_app(page)
    expect(page.get_by_test_id("stMain")).to_contain_text("not pressed")


def test_a_killed_server_is_down_until_restarted(toy_server):
    toy_server.kill()
    assert not toy_server.is_running() and not toy_server.healthy()
    toy_server.restart()
    assert toy_server.healthy()


def test_a_script_that_cannot_start_reports_the_server_log(tmp_path):
    server = AppServer(tmp_path / "missing.py", tmp_path / "x.db")
    with pytest.raises(AppServerError, match="server log"):
        server.start(timeout=30)
    server.stop()


def test_an_exception_in_the_script_is_visible_to_the_smoke_test_selector(tmp_path, page: Page):
    script = tmp_path / "broken_app.py"
    script.write_text('import streamlit as st\nst.write("before")\nraise RuntimeError("boom")\n')
    with AppServer(script, tmp_path / "broken.db") as server:
        page.goto(server.url)
        wait_for_app(page)
        expect(page.get_by_test_id("stException")).to_contain_text("boom")


@pytest.mark.parametrize(("in_ci", "outcome"), [(True, pytest.fail.Exception), (False, pytest.skip.Exception)])
def test_a_missing_tool_fails_in_ci_and_skips_elsewhere(monkeypatch, in_ci, outcome):
    import conftest

    monkeypatch.setattr(conftest, "IN_CI", in_ci)
    with pytest.raises(outcome, match="no-such-tool-dpakit"):
        conftest.require_tool("no-such-tool-dpakit")
    assert conftest.require_tool("sh").endswith("/sh")
