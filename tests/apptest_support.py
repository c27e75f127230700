"""Helpers for AppTest page tests: open the real app on a page, with an assessment in the URL.

Use with the ``app_db`` fixture (``tests/conftest.py``), which points the app at a fresh database.
"""

from __future__ import annotations

from conftest import REPO_ROOT
from streamlit.testing.v1 import AppTest

APP = str(REPO_ROOT / "app.py")
TIMEOUT = 60


def open_page(
    page: str,
    assessment_id: str | None = None,
    *,
    user: dict | None = None,
    secrets: dict | None = None,
    agreement_id: str | None = None,
) -> AppTest:
    """Run ``app.py`` (with ``?a=assessment_id``, and ``&g=agreement_id`` when given), switch to ``page`` and
    check nothing raised.

    ``user`` fakes ``st.user`` (e.g. ``{"email": …, "is_logged_in": True}``); ``secrets`` sets ``st.secrets``.
    """
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for name, value in (secrets or {}).items():
        at.secrets[name] = value
    if user is not None:
        at.user = user
    if assessment_id:
        at.query_params["a"] = assessment_id
    if agreement_id:
        at.query_params["g"] = agreement_id
    at.run()
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def has_key(at: AppTest, key: str) -> bool:
    """Whether an element with this user key is on the page (AppTest raises KeyError otherwise)."""
    try:
        at.get_by_key(key)
    except KeyError:
        return False
    return True
