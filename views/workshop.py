"""Workshop mode: a presenter view for a projector. One question at a time in large type, saved as it is
answered; Page Down / Page Up (what presenter remotes send) move on and back; then action owners and due
dates assigned with the client in the room.

The only HTML here is the static stylesheet below; every question and answer goes through normal widgets.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from dpakit import action_plan, analyse, default_questionnaire, is_visible, progress
from ui import state
from ui.action_state import save_action_field
from ui.text import md
from ui.widgets import render_question
from ui.wizard import require_assessment

LARGE_TYPE = """
<style>
.st-key-workshop_stage p, .st-key-workshop_stage label p { font-size: 1.6rem !important; line-height: 1.35; }
.st-key-workshop_stage label p { font-size: 2.2rem !important; font-weight: 600; }
.st-key-workshop_stage input, .st-key-workshop_stage textarea,
.st-key-workshop_stage [data-baseweb="select"] { font-size: 1.5rem !important; }
.st-key-workshop_stage [data-testid="stCaptionContainer"] p { font-size: 1.2rem !important; }
.st-key-workshop_actions p, .st-key-workshop_actions label p { font-size: 1.25rem !important; }
</style>
"""

assessment = require_assessment()
store = state.get_store()
st.markdown(LARGE_TYPE, unsafe_allow_html=True)  # static CSS of ours; never user text

org = store.organisation(assessment.organisation_id)
st.title(f"Workshop: {md(org.name)}", anchor=False)
mode = st.segmented_control("Show", ["Questions", "Actions"], default="Questions", key="workshop_mode")

index_key = f"workshop_index:{assessment.id}"
questionnaire = default_questionnaire()
agreement_id = state.current_agreement_id(assessment.answers)  # the agreement chosen on the agreement page
facts = assessment.answers.focused(agreement_id).flat()
visible = [(s, q) for s in questionnaire.sections for q in s.questions if is_visible(q, facts)]


def _move(step: int) -> None:
    st.session_state[index_key] = max(0, min(len(visible) - 1, st.session_state.get(index_key, 0) + step))


def _jump() -> None:
    st.session_state[index_key] = st.session_state["workshop_jump"]


if mode != "Actions":
    index = max(0, min(len(visible) - 1, st.session_state.get(index_key, 0)))
    st.session_state[index_key] = index
    done = progress(assessment.answers, questionnaire)
    st.progress((index + 1) / len(visible), text=f"Question {index + 1} of {len(visible)} · {done.answered} answered")
    section, question = visible[index]
    with st.container(border=True, key="workshop_stage"):
        agreement = assessment.answers.agreement_by_id(agreement_id)
        where = (
            f" · agreement with {md(agreement.counterparty_name or agreement_id)}" if section.id == "agreement" else ""
        )
        st.caption(section.title + where)
        render_question(
            store,
            assessment.id,
            question,
            facts[question.field],
            scope="workshop",
            agreement_id=agreement_id,
            facts=facts,
        )
    back, forward = st.columns(2)
    back.button(
        "Previous",
        key="workshop_prev",
        icon=":material/arrow_back:",
        shortcut="PageUp",
        on_click=_move,
        args=(-1,),
        disabled=index == 0,
        width="stretch",
    )
    forward.button(
        "Next",
        key="workshop_next",
        icon=":material/arrow_forward:",
        shortcut="PageDown",
        on_click=_move,
        args=(1,),
        disabled=index == len(visible) - 1,
        width="stretch",
        type="primary",
    )
    st.caption("Keyboard or presenter remote: Page Down for the next question, Page Up for the previous one.")
    st.session_state["workshop_jump"] = index
    st.selectbox(
        "Jump to a question",
        range(len(visible)),
        key="workshop_jump",
        on_change=_jump,
        format_func=lambda k: f"{k + 1}. {visible[k][1].label}",
    )
else:
    st.caption("Agree an owner and a due date for each action with the client; each is saved as you type.")
    plan = action_plan(analyse(assessment.answers), dt.date.today(), store.action_states(assessment.id))

    def _save(action_id: str, field: str, key: str) -> None:
        save_action_field(store, assessment.id, action_id, field, key, "workshop_error")

    error = st.session_state.pop("workshop_error", None)
    if error:
        state.show_error(error, "Not saved: ")
    if not plan.items:
        st.success("No actions from the answers given so far.", icon=":material/check:")
    with st.container(key="workshop_actions"):
        for number, item in enumerate(plan.items, start=1):
            with st.container(border=True, key=f"workshop_action_{item.id}"):
                st.markdown(f"**{number}. {md(item.title)}** · priority {item.priority}")
                owner_col, due_col = st.columns([3, 2])
                owner_key, due_key = f"workshop_owner_{item.id}", f"workshop_due_{item.id}"
                owner_col.text_input(
                    "Owner",
                    value=item.owner,
                    key=owner_key,
                    max_chars=200,
                    placeholder=item.owner_role,
                    on_change=_save,
                    args=(item.id, "owner", owner_key),
                )
                due_col.date_input(
                    "Due date",
                    value=dt.date.fromisoformat(item.due),
                    key=due_key,
                    on_change=_save,
                    args=(item.id, "due_date", due_key),
                )
