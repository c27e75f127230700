"""A wizard section page: its visible questions, each saved as it changes, and the way on."""

from __future__ import annotations

import streamlit as st

from dpakit import DpakitError, default_questionnaire, is_visible, question_facts
from ui import state
from ui.pages import REVIEW, START, section_pages
from ui.widgets import render_question


def require_assessment():
    """The open assessment, or a friendly stop with the way to the start page."""
    assessment = state.current_assessment(this_run=True)
    if assessment is None:
        unknown = st.session_state.pop("_unknown_assessment", None)
        if unknown:
            st.warning(
                "The assessment in this link was not found. It may have been deleted, or the link is "
                "incomplete. Start or open one on the start page.",
                icon=":material/warning:",
            )
        else:
            st.info(
                "Open or start an assessment first: your answers are saved to it as you go.", icon=":material/info:"
            )
        st.page_link(START.path, label="Go to the start page", icon=START.icon)
        st.stop()
    return assessment


def render_section(section_id: str) -> None:
    store = state.get_store()
    assessment = require_assessment()
    questionnaire = default_questionnaire()
    section = questionnaire.section(section_id)
    if assessment.section != section_id:
        try:
            store.set_section(assessment.id, section_id)
        except DpakitError as exc:  # a read-only database: the answers can still be read
            state.show_error(exc)

    st.title(section.title)
    st.markdown(section.intro)
    section_progress = next(p for p in state.assessment_progress(assessment).sections if p.section == section_id)
    st.progress(
        section_progress.ratio,
        text=f"{section_progress.answered} of {section_progress.visible} questions answered in this section",
    )

    facts = question_facts(assessment.answers)  # flat answers + derived facts, once (not per question)
    for question in section.questions:
        if not is_visible(question, facts):
            continue
        with st.container(border=True, key=f"question-{question.key}"):
            render_question(store, assessment.id, question, facts[question.field])
            note = prefill_note(question, assessment.answers)
            if note:
                st.caption(note)

    _way_on(section_id)


def prefill_note(question, answers) -> str | None:
    """Say where a pre-filled answer came from, while it still has the pre-filled value."""
    if not question.prefilled_by:
        return None
    from dpakit import prefill_source

    return prefill_source(answers, question.field)


def _way_on(section_id: str) -> None:
    pages = section_pages()
    index = next(i for i, p in enumerate(pages) if p.url_path == section_id)
    params = state.link_params()
    left, right = st.columns(2)
    with left:
        if index > 0:
            prev = pages[index - 1]
            st.page_link(prev.path, label=f"Back: {prev.title}", icon=":material/arrow_back:", query_params=params)
    with right:
        nxt = pages[index + 1] if index + 1 < len(pages) else REVIEW
        st.page_link(nxt.path, label=f"Next: {nxt.title}", icon=":material/arrow_forward:", query_params=params)
