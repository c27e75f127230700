"""A wizard section page: its visible questions, each saved as it changes, and the way on."""

from __future__ import annotations

import streamlit as st

from dpakit import DpakitError, default_questionnaire, is_visible, progress, question_facts
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
    agreement_id = state.current_agreement_id(assessment.answers)
    if section_id == "agreement":
        agreement_id = agreement_bar(store, assessment)
    answers = assessment.answers.focused(agreement_id)  # "agreement.x" reads the agreement being edited
    processor_side = section_id == "agreement" and answers.agreement.our_role == "processor"
    if processor_side:
        st.info(PROCESSOR_NOTE, icon=":material/swap_horiz:")
    st.markdown(section.intro)
    # the agreement section counts the agreement shown; the others are the same for every agreement
    overall = progress(answers) if section_id == "agreement" else state.assessment_progress(assessment)
    section_progress = next(p for p in overall.sections if p.section == section_id)
    st.progress(
        section_progress.ratio,
        text=f"{section_progress.answered} of {section_progress.visible} questions answered in this section",
    )

    facts = question_facts(answers)  # flat answers + derived facts, once (not per question)
    for question in section.questions:
        if not is_visible(question, facts):
            continue
        with st.container(border=True, key=f"question-{question.key}"):
            render_question(
                store,
                assessment.id,
                question,
                facts[question.field],
                agreement_id=agreement_id,
                facts=facts,
                label=PROCESSOR_LABELS.get(question.field) if processor_side else None,
            )
            note = prefill_note(question, answers)
            if note:
                st.caption(note)

    _way_on(section_id)


PROCESSOR_NOTE = (
    "You do the work for a client in this agreement, so **you are the service provider**: the questions "
    "below about the service provider's scope, access, countries, sub-processors and security measures are "
    "about **your own** service and measures for this client. The other party is your client."
)

PROCESSOR_LABELS = {
    "agreement.counterparty_name": "What is the full legal name of your client?",
    "agreement.counterparty_address": "What is your client's registered address?",
    "agreement.counterparty_country": "In which country is your client established?",
    "agreement.counterparty_contact_name": "Who is your contact person at your client?",
    "agreement.services": "What do you do with your client's data?",
    "agreement.scope_purposes": "For which purposes do you handle your client's data?",
    "agreement.scope_data_categories": "Which kinds of information do you see or receive from this client?",
    "agreement.scope_special_categories": "Which kinds of sensitive information do you see for this client?",
    "agreement.scope_subject_categories": "Whose details do you handle for this client?",
    "agreement.scope_sources": "Where does the data you handle for this client come from?",
    "agreement.scope_confirmed": "Have you checked that the choices above cover only what you touch for this client?",
    "agreement.access": "How do you reach your client's data?",
    "agreement.processes_in": "In which countries do you store or handle your client's data?",
    "agreement.accessed_from": "From which other countries can your staff or suppliers reach the data?",
    "agreement.retention": "How long may you keep your client's data?",
    "agreement.subprocessors": "Which other companies do you use for this work (your sub-processors)?",
    "agreement.processor_access_control": "Do you give your staff access to the data only as far as their work needs it?",
    "agreement.processor_mfa": "Do you require two-step login for the accounts that reach the data?",
    "agreement.processor_encryption_in_transit": "Do you encrypt the data when you send it over networks?",
    "agreement.processor_encryption_at_rest": "Do you encrypt the data where you store it?",
    "agreement.processor_backups": "Do you keep backups you can restore the data from?",
    "agreement.processor_logging": "Do you record who accessed or changed the data?",
    "agreement.processor_staff_confidentiality": "Are your staff bound to keep the data confidential?",
    "agreement.processor_incident_response": "Do you have a written plan for handling a data breach?",
    "agreement.processor_testing": "Do you test and review your security regularly?",
    "agreement.processor_certifications": "Which security certifications do you yourselves hold?",
    "agreement.subprocessor_authorisation": "How should you get your client's approval to use other companies "
    "(sub-processors)?",
    "agreement.breach_notice_hours": "Within how many hours must you tell your client about a data breach?",
}
"""The agreement questions as the processor reads them (``our_role == "processor"``): "the service
provider" is the respondent."""


def agreement_label(answers, agreement_id: str) -> str:
    """An agreement as the selector lists it: the counterparty's name (with the id when unnamed or shared)."""
    names = [a.counterparty_name for a in answers.agreements]
    name = answers.agreement_by_id(agreement_id).counterparty_name
    if not name:
        return f"Unnamed agreement ({agreement_id})"
    return f"{name} ({agreement_id})" if names.count(name) > 1 else name


_CONFIRM_REMOVE = "agreement_confirm_remove"
_AGREEMENT_ERROR = "agreement_error"


def agreement_bar(store, assessment) -> str:
    """Which agreement this page edits (kept in the URL as ``&g=``), and adding, copying and removing
    agreements. Returns the id of the agreement to show."""
    answers = assessment.answers
    ids = answers.agreement_ids
    current = state.current_agreement_id(answers)
    if state.requested_agreement_id() != current:
        state.open_agreement(current)
    name_key = f"agreement-new-name:{assessment.id}"
    select_key = f"agreement-select:{assessment.id}"
    st.session_state[select_key] = current  # the URL and the database decide, not a leftover widget state

    def switch() -> None:
        st.session_state.pop(_CONFIRM_REMOVE, None)
        state.open_agreement(st.session_state[select_key])

    def add(copy: bool) -> None:
        name = (st.session_state.get(name_key) or "").strip()
        if not name:
            st.session_state[_AGREEMENT_ERROR] = "Type the other party's name first, then add the agreement."
            return
        try:
            if copy:
                new_id = store.copy_agreement(assessment.id, current, name, user=state.signed_in_email())
            else:
                new_id = store.add_agreement(assessment.id, name, user=state.signed_in_email())
        except DpakitError as exc:
            st.session_state[_AGREEMENT_ERROR] = f"Not added: {exc}"
            return
        st.session_state.pop(_AGREEMENT_ERROR, None)
        st.session_state[name_key] = ""
        state.open_agreement(new_id)

    def remove() -> None:
        try:
            store.remove_agreement(assessment.id, current, user=state.signed_in_email())
        except DpakitError as exc:
            st.session_state[_AGREEMENT_ERROR] = f"Not removed: {exc}"
            return
        st.session_state.pop(_CONFIRM_REMOVE, None)
        state.open_agreement(next(i for i in ids if i != current))

    with st.container(border=True, key="agreement-bar"):
        st.selectbox(
            "Agreement you are editing",
            ids,
            key=select_key,
            format_func=lambda i: agreement_label(answers, i),
            on_change=switch,
            help="An assessment holds one agreement (DPA) per service provider or client. The answers on this "
            "page are saved to the agreement chosen here.",
        )
        left, mid, right = st.columns([3, 1, 1], vertical_alignment="bottom")
        left.text_input(
            "Other party of a new agreement",
            key=name_key,
            placeholder="e.g. Table Mountain Digital (Pty) Ltd",
            help="Add an empty agreement with this other party, or copy the one you are editing (its scope, "
            "measures and terms) under this name.",
        )
        mid.button("Add an agreement", key="agreement-add", icon=":material/add:", on_click=add, args=(False,))
        right.button("Copy this one", key="agreement-copy", icon=":material/content_copy:", on_click=add, args=(True,))
        message = st.session_state.pop(_AGREEMENT_ERROR, None)
        if message:
            st.error(message, icon=":material/error:")
        if len(ids) > 1:
            if st.session_state.get(_CONFIRM_REMOVE) == current:
                st.warning(
                    f"Remove the agreement with {agreement_label(answers, current)}? Its answers are deleted from "
                    "this assessment (the change log keeps them).",
                    icon=":material/warning:",
                )
                yes, no = st.columns(2)
                yes.button("Yes, remove it", key="agreement-remove-confirm", type="primary", on_click=remove)
                no.button(
                    "Cancel", key="agreement-remove-cancel", on_click=lambda: st.session_state.pop(_CONFIRM_REMOVE)
                )
            else:
                st.button(
                    "Remove this agreement",
                    key="agreement-remove",
                    icon=":material/delete:",
                    on_click=lambda: st.session_state.__setitem__(_CONFIRM_REMOVE, current),
                )
        else:
            st.caption("This is the assessment's only agreement: it cannot be removed.")
    return current


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
