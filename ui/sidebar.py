"""The sidebar: which assessment is open, how far along it is, and when answers are saved."""

from __future__ import annotations

import streamlit as st

from dpakit import DpakitError, dump_answers
from ui import state
from ui.text import md

SAVED_NOTE = (
    ":material/cloud_done: Answers are saved as you go: choices at once, short text after a pause in typing. "
    "Long text boxes and numbers are saved when you press Enter or leave the box."
)


def render() -> None:
    with st.sidebar:
        try:
            assessment = state.current_assessment()
        except DpakitError as exc:
            state.show_error(exc)
            return
        if assessment is None:
            st.caption("No assessment open. Start or open one on the start page.")
            _local_notice()
            return
        org = state.get_store().organisation(assessment.organisation_id)
        st.markdown(f"**{md(org.name)}**")
        st.caption(md(assessment.title))
        overall = state.assessment_progress(assessment)
        st.progress(overall.ratio, text=f"{overall.answered} of {overall.visible} questions answered")
        lines = []
        for sec in overall.sections:
            mark = "✓" if sec.complete else f"{sec.answered}/{sec.visible}"
            lines.append(f"- {sec.title}: {mark}")
        st.markdown("\n".join(lines))
        if overall.not_sure:
            st.caption(f"{len(overall.not_sure)} answer(s) marked “not sure” — listed on the review page.")
        saved = st.session_state.get("_last_saved")
        st.caption(SAVED_NOTE + (f" Last saved {saved}." if saved else ""))
        answers = assessment.answers
        st.download_button(  # produced on click: nothing is serialised or uploaded on ordinary reruns
            "Export answers (JSON)",
            lambda: dump_answers(answers),
            file_name=_file_name(org.name),
            mime="application/json",
            icon=":material/download:",
            key="sidebar-export",
            on_click="ignore",
        )
        _local_notice()


def _file_name(name: str) -> str:
    safe = "".join(ch if ch.isalnum() else "-" for ch in name.lower()).strip("-")
    return f"{'-'.join(filter(None, safe.split('-')))[:60] or 'answers'}.answers.json"


def _local_notice() -> None:
    """Say who is working: the single local user, or the signed-in user of a hosted install (and sign-out)."""
    viewer = state.current_viewer()
    if not viewer.hosted:
        st.caption(":material/lock: Single-user mode on this computer: the data stays in a local database file.")
        return
    st.caption(f":material/person: Signed in as {md(viewer.label)}. You see only your organisations.")
    if st.button("Sign out", icon=":material/logout:", key="sidebar-logout"):
        st.logout()
