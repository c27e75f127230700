"""One helper says who is signed in (``ui.state.signed_in_email``): the e-mail address or nobody. The change
log records it for every saved answer — the address when signed in, no one on a local install."""

import ast

import pytest
import streamlit as st
from apptest_support import open_page
from conftest import REPO_ROOT

from ui import state
from ui.widgets import widget_key

FIELD = "organisation.registration_number"


class FakeUser(dict):
    """What ``st.user`` answers: ``is_logged_in`` plus the identity provider's claims."""

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


@pytest.mark.parametrize(
    ("user", "expected"),
    [
        (FakeUser(is_logged_in=True, email="ann@example.com", name="Ann"), "ann@example.com"),
        (FakeUser(is_logged_in=True, name="Ann"), None),  # a display name is not an identity
        (FakeUser(is_logged_in=True, email=""), None),
        (FakeUser(is_logged_in=False, email="ann@example.com"), None),
        (FakeUser(), None),  # no auth configured: st.user has no is_logged_in at all
    ],
)
def test_the_signed_in_user_is_their_email_address_or_nobody(monkeypatch, user, expected):
    monkeypatch.setattr(st, "user", user)
    assert state.signed_in_email() == expected


def test_only_the_one_helper_reads_st_user():
    """Pages and helpers ask ``state.signed_in_email()``; none reads ``st.user`` itself (two helpers once
    disagreed: one fell back to the display name)."""
    readers = set()
    for path in [*REPO_ROOT.glob("ui/*.py"), *REPO_ROOT.glob("views/*.py"), REPO_ROOT / "app.py"]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr == "user" and getattr(node.value, "id", None) == "st":
                readers.add(str(path.relative_to(REPO_ROOT)))
    assert readers == {"ui/state.py"}


def _save_registration_number(assessment_id: str, value: str, user: dict | None) -> None:
    at = open_page("views/section_organisation.py", assessment_id, user=user)
    at.text_input(key=widget_key(assessment_id, FIELD)).input(value).run()
    assert not at.exception, [e.value for e in at.exception]


def test_a_local_save_is_logged_without_a_user(app_db, nordlicht):
    _save_registration_number(nordlicht.id, "HRB 1", None)
    last = app_db.events(nordlicht.id)[-1]
    assert (last.field, last.new_value, last.user) == (FIELD, "HRB 1", None)


def test_a_signed_in_save_is_logged_with_the_email_address_not_the_name(app_db, nordlicht):
    _save_registration_number(nordlicht.id, "HRB 2", {"is_logged_in": True, "email": "ann@example.com", "name": "Ann"})
    last = app_db.events(nordlicht.id)[-1]
    assert (last.field, last.new_value, last.user) == (FIELD, "HRB 2", "ann@example.com")


def test_a_user_without_an_email_address_is_logged_as_no_one_not_by_their_display_name(app_db, nordlicht):
    _save_registration_number(nordlicht.id, "HRB 3", {"is_logged_in": True, "name": "Ann"})
    last = app_db.events(nordlicht.id)[-1]
    assert (last.field, last.new_value, last.user) == (FIELD, "HRB 3", None)
