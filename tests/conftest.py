"""Fixtures shared by the whole suite. Kept small: anything specific lives next to its tests.

- ``IN_CI`` / ``require_tool(name)``: external binaries (chromium, soffice, pdftoppm, ...) are
  required in CI (a missing one *fails* the test) and optional on a developer machine (skip).
  Tests must never skip in CI.
- Hypothesis profiles ``ci`` (200 examples), ``dev`` (50) and ``fuzz`` (10 000), chosen by
  ``HYPOTHESIS_PROFILE``; default ``ci`` when ``CI=true``, else ``dev``. ``make fuzz`` runs the
  tests marked ``fuzz`` with the fuzz profile.
- ``tmp_db_path``: a path for a fresh SQLite file; ``isolated_db``: the same path, also set as
  ``DPAKIT_DB`` for the test (the app and the store read their database path from it).
- ``store``: a fresh ``Store`` on ``tmp_db_path``, the environment untouched (core tests).
  ``app_db``: the ``Store`` of the database the app under AppTest uses (``isolated_db``, single-user
  mode); ``nordlicht``: the Nordlicht example's assessment ("2025 review") in it (page tests).
- ``example_file(name)``: an example organisation's answers file written into ``tmp_path`` (CLI tests).
- ``library`` / ``catalogue``: the shipped clause library and requirements catalogue, loaded once per module.
- ``REPO_ROOT`` / ``repo_root``: the checkout's root, from this file's location.
- ``browser`` (session) and ``page`` (per test: a new context with downloads accepted, 1400×1000,
  a screenshot in ``tests/e2e/artifacts/`` when the test fails): Debian's Chromium through
  Playwright; see ``tests/e2e/harness.py`` for the helpers and ``tests/e2e/conftest.py`` for the
  ``app_server`` fixture.
- ``CALL_REPORT``: each test's call-phase report, stashed on the item so fixtures can act on
  failure (the browser ``page`` fixture saves a screenshot).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from hypothesis import HealthCheck, settings

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Playwright

    from dpakit import Assessment, Store
    from dpakit.drafting.clauses import ClauseLibrary
    from dpakit.requirements import Catalogue

REPO_ROOT = Path(__file__).resolve().parents[1]
IN_CI = os.environ.get("CI") == "true"

settings.register_profile("ci", max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("fuzz", max_examples=10_000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if IN_CI else "dev"))


CALL_REPORT = pytest.StashKey[pytest.TestReport]()


def pytest_configure(config: pytest.Config) -> None:
    # Markers the harness uses; registered here so --strict-markers accepts them even without xdist.
    config.addinivalue_line("markers", "fuzz: long-running property tests; run with `make fuzz`")
    config.addinivalue_line("markers", "xdist_group(name): run in the same pytest-xdist worker")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    report = yield
    if report.when == "call":
        item.stash[CALL_REPORT] = report
    return report


def require_tool(name: str) -> str:
    """Return the full path of executable ``name``; fail in CI, skip elsewhere, when it is missing.

    CI installs every tool the suite needs (``.ci/run``), so a missing one there is a broken
    environment, not a reason to skip silently.
    """
    path = shutil.which(name)
    if path is None:
        reason = f"required tool {name!r} not found on PATH"
        if IN_CI:
            pytest.fail(f"{reason} (CI must install it: see .ci/run)", pytrace=False)
        pytest.skip(f"{reason}; install it to run this test (CI installs it via .ci/run)")
    return path


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture
def tmp_db_path(tmp_path: Path) -> Path:
    """Where a fresh SQLite database may be created; nothing exists there yet."""
    return tmp_path / "dpakit-test.db"


@pytest.fixture
def isolated_db(tmp_db_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """``tmp_db_path``, set as ``DPAKIT_DB`` for the duration of the test."""
    monkeypatch.setenv("DPAKIT_DB", str(tmp_db_path))
    return tmp_db_path


# --- browser fixtures (Playwright is imported only by tests that use them) ----------------------


@pytest.fixture(scope="session")
def playwright_session() -> Iterator[Playwright]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_session: Playwright) -> Iterator[Browser]:
    """Debian's Chromium, headless; one per test session (per xdist worker)."""
    from e2e.harness import launch_browser

    require_tool("chromium")
    browser = launch_browser(playwright_session)
    yield browser
    browser.close()


@pytest.fixture
def page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A fresh context (downloads accepted, 1400×1000) and page; a screenshot if the test fails."""
    from e2e.harness import RUN_TIMEOUT_MS, screenshot

    context = browser.new_context(accept_downloads=True, viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(RUN_TIMEOUT_MS)
    page = context.new_page()
    yield page
    report = request.node.stash.get(CALL_REPORT, None)
    if report is not None and report.failed:
        try:
            print(f"screenshot of the failing page: {screenshot(page, request.node.name + '-failed')}")
        except Exception as exc:  # a crashed page must not hide the test's own failure
            print(f"no failure screenshot: {exc}")
    context.close()


@pytest.fixture
def store(tmp_db_path: Path) -> Store:
    """A fresh store on a temporary file; nothing in the environment points at it."""
    from dpakit import Store

    return Store(tmp_db_path)


@pytest.fixture
def app_db(isolated_db: Path, monkeypatch: pytest.MonkeyPatch) -> Store:
    """A fresh database the app under AppTest uses (``DPAKIT_DB``), in single-user mode; the ``Store``."""
    from dpakit import Store

    monkeypatch.delenv("DPAKIT_HOSTED", raising=False)
    return Store(isolated_db)


@pytest.fixture
def nordlicht(app_db: Store) -> Assessment:
    """Nordlicht Software GmbH with one assessment, "2025 review", holding the example's answers."""
    from dpakit import load_example

    org = app_db.create_organisation("Nordlicht Software GmbH")
    return app_db.create_assessment(org.id, load_example("nordlicht"), title="2025 review")


@pytest.fixture
def example_file(tmp_path: Path) -> Callable[[str], Path]:
    """``example_file("fynbos")``: that example's answers file, written as ``<tmp_path>/fynbos.json``."""
    from dpakit import example_json

    def write(name: str) -> Path:
        path = tmp_path / f"{name}.json"
        path.write_text(example_json(name), encoding="utf-8")
        return path

    return write


@pytest.fixture(scope="module")
def library() -> ClauseLibrary:
    """The shipped clause library, loaded once per test module."""
    from dpakit import load_library

    return load_library()


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    """The shipped requirements catalogue, loaded once per test module."""
    from dpakit import load_catalogue

    return load_catalogue()
