"""Where the app keeps its state: the database, and which assessment this browser tab is on.

A browser refresh or a server restart starts a new, empty Streamlit session, so nothing that matters
lives only in ``st.session_state``: every answer is saved in the database as it changes, and the URL
carries the opaque assessment id (``?a=…``), re-set on every run because page navigation clears it.
"""

from __future__ import annotations

import streamlit as st

from dpakit.errors import DpakitError, NotFound, StoreError
from dpakit.store import Assessment, Store

QUERY_KEY = "a"
_SESSION_KEY = "assessment_id"


@st.cache_resource(show_spinner=False)
def _store_for(path: str | None) -> Store:
    return Store(path)


def get_store() -> Store:
    """The store for the configured database (``DPAKIT_DB``), shared by all sessions."""
    import os

    return _store_for(os.environ.get("DPAKIT_DB"))


def database_ready() -> bool:
    """Open the database; if it cannot be used (damaged, not a dpakit database), show why and say so."""
    try:
        get_store()
    except StoreError as exc:
        show_error(exc, prefix="dpakit cannot use its database: ")
        return False
    return True


def current_assessment_id() -> str | None:
    """The assessment this tab works on: from the session, else from the URL."""
    ident = st.session_state.get(_SESSION_KEY)
    if not ident:
        ident = st.query_params.get(QUERY_KEY)
    return ident or None


def current_assessment() -> Assessment | None:
    """The current assessment, freshly read; ``None`` when there is none or the id is unknown."""
    ident = current_assessment_id()
    if not ident:
        return None
    try:
        return get_store().assessment(ident)
    except NotFound:
        forget_assessment()
        st.session_state["_unknown_assessment"] = ident
        return None


def open_assessment(assessment_id: str) -> None:
    """Make ``assessment_id`` this tab's assessment and put it in the URL."""
    st.session_state[_SESSION_KEY] = assessment_id
    st.query_params[QUERY_KEY] = assessment_id


def forget_assessment() -> None:
    st.session_state.pop(_SESSION_KEY, None)
    if QUERY_KEY in st.query_params:
        del st.query_params[QUERY_KEY]


def keep_in_url() -> None:
    """Re-set ``?a=`` after navigation cleared it, so a refresh comes back to the same assessment."""
    ident = current_assessment_id()
    if ident:
        st.session_state[_SESSION_KEY] = ident
        if st.query_params.get(QUERY_KEY) != ident:
            st.query_params[QUERY_KEY] = ident


def link_params() -> dict[str, str]:
    """Query parameters for ``st.page_link``/``st.switch_page`` that keep the assessment."""
    ident = current_assessment_id()
    return {QUERY_KEY: ident} if ident else {}


def show_error(err: DpakitError | str, prefix: str = "") -> None:
    """The one place that turns dpakit's errors into a message for the user."""
    st.error(f"{prefix}{err}", icon=":material/error:")
