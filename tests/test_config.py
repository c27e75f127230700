"""The shipped Streamlit configuration: no error details reach a browser."""

from __future__ import annotations

import tomllib

from conftest import REPO_ROOT
from streamlit.config import ShowErrorDetailsConfigOptions


def _config() -> dict:
    with open(REPO_ROOT / ".streamlit" / "config.toml", "rb") as fh:
        return tomllib.load(fh)


def test_no_traceback_type_or_message_of_an_error_is_shown_to_a_user():
    value = _config()["client"]["showErrorDetails"]
    # "none": a generic message only. "full", "stacktrace", "type" and the legacy true/false all show more
    # (false means "stacktrace" in Streamlit 1.67).
    assert value == ShowErrorDetailsConfigOptions.NONE.value == "none"


def test_the_hosting_guide_says_the_same():
    guide = (REPO_ROOT / "docs" / "hosting.md").read_text(encoding="utf-8")
    assert 'showErrorDetails = "none"' in guide
