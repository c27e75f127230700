"""Where the app keeps its state: the database, and which assessment this browser tab is on.

A browser refresh or a server restart starts a new, empty Streamlit session, so nothing that matters
lives only in ``st.session_state``: every answer is saved in the database as it changes, and the URL
carries the opaque assessment id (``?a=…``) and the agreement being edited (``&g=…``), both re-set on every
run because page navigation clears them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import streamlit as st

from dpakit import (
    Answers,
    Assessment,
    DpakitError,
    NotFound,
    ScopedStore,
    Store,
    StoreError,
    Viewer,
    admins_from_env,
    hosted_from_env,
    progress,
)

if TYPE_CHECKING:
    from dpakit import Progress

QUERY_KEY = "a"
AGREEMENT_KEY = "g"
_SESSION_KEY = "assessment_id"
_AGREEMENT_SESSION_KEY = "agreement_id"
_MEMO_ATTR = "_dpakit_run_memo"


def _this_run() -> dict:
    """A dict that lives for one script run of this session (a fresh one outside a run).

    Streamlit gives every run a new ``cursors`` dict on the run context; the memo is kept beside it and
    dropped when it is replaced, so nothing in it outlives the run (a widget callback of the next run, which
    saves an answer, never sees it). Nothing is written to ``st.session_state``.
    """
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx(suppress_warning=True)
    if ctx is None:
        return {}
    held = getattr(ctx, _MEMO_ATTR, None)
    if held is None or held[0] is not ctx.cursors:
        held = (ctx.cursors, {})
        setattr(ctx, _MEMO_ATTR, held)
    return held[1]


@st.cache_resource(show_spinner=False)
def _store_for(path: str | None) -> Store:
    return Store(path)


def get_store() -> ScopedStore:
    """The store for the configured database (``DPAKIT_DB``), answering for the current viewer only.

    Locally the viewer sees everything; when hosted, only their organisations (``dpakit.workspace.access``): an
    assessment id in the URL that belongs to another organisation is "not found", like a wrong one.
    """
    return ScopedStore(_shared_store(), current_viewer())


def _shared_store() -> Store:
    import os

    path = os.environ.get("DPAKIT_DB")
    memo = _this_run()  # a run asks several times; the cache_resource lookup hashes and locks each time
    held = memo.get("store")
    if held is None or held[0] != path:
        held = memo["store"] = (path, _store_for(path))
    return held[1]


def hosted() -> bool:
    """Hosted for a team (``DPAKIT_HOSTED=1`` or an ``[auth]`` section in secrets): login required."""
    return hosted_from_env() or _auth_configured()


def _auth_configured() -> bool:
    memo = _this_run()
    if "auth_configured" not in memo:  # asked several times a run; reading the secrets is not free
        try:
            memo["auth_configured"] = "auth" in st.secrets
        except Exception:  # no secrets file at all: Streamlit raises rather than answering "no"
            memo["auth_configured"] = False
    return memo["auth_configured"]


def signed_in_email() -> str | None:
    """Who is signed in, the one way the app asks: the e-mail address of a signed-in user, else ``None``.

    It names the user everywhere — their memberships (``current_viewer``) and the change log (who saved an
    answer) — so it is the address or nothing: never a display name, which two people may share. On a local
    install nobody signs in and the log records no one.
    """
    try:
        if st.user.is_logged_in:
            email = st.user.get("email")
            return str(email) if email else None
    except (AttributeError, KeyError):
        pass
    return None


def current_viewer() -> Viewer:
    """Who this session works for: the local user, a signed-in user with their memberships, or nobody."""
    if not hosted():
        return Viewer.local()
    email = signed_in_email()
    if email is None:
        return Viewer.nobody()
    return Viewer.signed_in(_shared_store(), email, admins_from_env())


def require_login() -> bool:
    """When hosted, show the sign-in screen until the user has signed in; ``True`` when the app may go on."""
    if not hosted() or signed_in_email():
        return True
    st.title("dpakit")
    st.write("This dpakit is shared by a team and holds personal data: sign in to see your organisations.")
    if not _auth_configured():
        show_error(
            "sign-in is not configured on this server: add an [auth] section to "
            ".streamlit/secrets.toml (see docs/hosting.md)."
        )
    elif st.button("Sign in", type="primary", icon=":material/login:", key="login"):
        st.login()
    return False


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


def current_assessment(*, this_run: bool = False) -> Assessment | None:
    """The current assessment, freshly read; ``None`` when there is none or the id is unknown.

    ``this_run=True`` takes the one already read earlier in this script run (the sidebar reads it before
    the page runs, and nothing is saved in between), else reads it. Only for a page that has not written
    to the assessment in this run.
    """
    ident = current_assessment_id()
    if not ident:
        return None
    memo = _this_run()
    if this_run and memo.get("assessment_id") == ident:
        return memo["assessment"]
    try:
        assessment = get_store().assessment(ident)
    except NotFound:
        forget_assessment()
        st.session_state["_unknown_assessment"] = ident
        return None
    memo["assessment_id"], memo["assessment"] = ident, assessment
    return assessment


def assessment_progress(assessment: Assessment) -> Progress:
    """``progress`` of the assessment's answers with the default questionnaire, computed once a run for
    the same assessment object (the sidebar's overall figure and the section page's share it)."""
    memo = _this_run()
    held = memo.get("progress")
    if held is None or held[0] is not assessment:
        held = (assessment, progress(assessment.answers))
        memo["progress"] = held
    return held[1]


def open_assessment(assessment_id: str) -> None:
    """Make ``assessment_id`` this tab's assessment and put it in the URL (another assessment's agreement
    is dropped: its ids are not this one's)."""
    if current_assessment_id() != assessment_id:
        st.session_state.pop(_AGREEMENT_SESSION_KEY, None)
        if AGREEMENT_KEY in st.query_params:
            del st.query_params[AGREEMENT_KEY]
    st.session_state[_SESSION_KEY] = assessment_id
    st.query_params[QUERY_KEY] = assessment_id


def forget_assessment() -> None:
    st.session_state.pop(_SESSION_KEY, None)
    st.session_state.pop(_AGREEMENT_SESSION_KEY, None)
    for key in (QUERY_KEY, AGREEMENT_KEY):
        if key in st.query_params:
            del st.query_params[key]


def requested_agreement_id() -> str | None:
    """The agreement this tab works on, as asked for (``&g=``, else the session: a link naming an agreement
    opens it, a navigation that cleared the URL keeps the one in use); not checked against any answers."""
    ident = st.query_params.get(AGREEMENT_KEY)
    if not ident:
        ident = st.session_state.get(_AGREEMENT_SESSION_KEY)
    return ident or None


def current_agreement_id(answers: Answers) -> str:
    """The agreement of ``answers`` this tab works on: the one asked for when the answers have it, else the
    first (a removed or mistyped id falls back rather than failing)."""
    ident = requested_agreement_id()
    return ident if ident in answers.agreement_ids else answers.agreement_ids[0]


def open_agreement(agreement_id: str) -> None:
    """Make ``agreement_id`` this tab's agreement and put it in the URL (``&g=``)."""
    st.session_state[_AGREEMENT_SESSION_KEY] = agreement_id
    st.query_params[AGREEMENT_KEY] = agreement_id


def keep_in_url() -> None:
    """Re-set ``?a=`` (and ``&g=``) after navigation cleared them, so a refresh comes back to the same
    assessment and agreement."""
    ident = current_assessment_id()
    if ident:
        st.session_state[_SESSION_KEY] = ident
        if st.query_params.get(QUERY_KEY) != ident:
            st.query_params[QUERY_KEY] = ident
        agreement = requested_agreement_id()
        if agreement:
            st.session_state[_AGREEMENT_SESSION_KEY] = agreement
            if st.query_params.get(AGREEMENT_KEY) != agreement:
                st.query_params[AGREEMENT_KEY] = agreement


def link_params() -> dict[str, str]:
    """Query parameters for ``st.page_link``/``st.switch_page`` that keep the assessment and agreement."""
    ident = current_assessment_id()
    if not ident:
        return {}
    agreement = requested_agreement_id()
    return {QUERY_KEY: ident, AGREEMENT_KEY: agreement} if agreement else {QUERY_KEY: ident}


def show_error(err: DpakitError | str, prefix: str = "") -> None:
    """The one place that turns dpakit's errors into a message for the user."""
    st.error(f"{prefix}{err}", icon=":material/error:")
