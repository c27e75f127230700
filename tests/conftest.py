"""Fixtures shared by the whole suite. Kept small: anything specific lives next to its tests.

- ``IN_CI`` / ``require_tool(name)``: external binaries (chromium, soffice, pdftoppm, ...) are
  required in CI (a missing one *fails* the test) and optional on a developer machine (skip).
  Tests must never skip in CI.
- Hypothesis profiles ``ci`` (200 examples), ``dev`` (50) and ``fuzz`` (10 000), chosen by
  ``HYPOTHESIS_PROFILE``; default ``ci`` when ``CI=true``, else ``dev``. ``make fuzz`` runs the
  tests marked ``fuzz`` with the fuzz profile.
- ``tmp_db_path``: a path for a fresh SQLite file; ``isolated_db``: the same path, also set as
  ``DPAKIT_DB`` for the test (the app and the store read their database path from it).
- ``REPO_ROOT`` / ``repo_root``: the checkout's root, from this file's location.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

REPO_ROOT = Path(__file__).resolve().parents[1]
IN_CI = os.environ.get("CI") == "true"

settings.register_profile("ci", max_examples=200, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", max_examples=50)
settings.register_profile("fuzz", max_examples=10_000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if IN_CI else "dev"))


def pytest_configure(config: pytest.Config) -> None:
    # pyproject's marker list belongs to someone else; register the harness's own marker here so
    # --strict-markers accepts it.
    config.addinivalue_line("markers", "fuzz: long-running property tests; run with `make fuzz`")


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
