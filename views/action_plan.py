"""Action plan page: the findings turned into actions; owner, due date and status are saved as they change.

The plan itself is built by ``dpakit.actions`` from the risk report and the saved states; this page only
shows it, saves edits through ``Store.set_action_state`` at once, and offers the exports, whose bytes are
produced when a download button is clicked (never kept in the session).
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from dpakit import (
    ACTION_EFFORTS,
    ACTION_STATUSES,
    DpakitError,
    action_plan,
    action_plan_csv,
    action_plan_docx,
    action_plan_markdown,
    analyse,
)
from ui import state
from ui.action_state import save_action_field
from ui.pages import RESULTS
from ui.text import md
from ui.wizard import require_assessment

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PRIORITY_ICONS = {
    "critical": ":material/error:",
    "high": ":material/warning:",
    "medium": ":material/info:",
    "low": ":material/check_circle:",
}

assessment = require_assessment()
store = state.get_store()

st.title("Action plan")
st.caption(
    "What to do about the findings, most urgent first. Owner, due date and status are saved as you "
    "change them. The plan is a draft for review by a qualified lawyer."
)

start = st.date_input(
    "Plan start date",
    value=dt.date.today(),
    key="plan-start",
    help="Suggested due dates count from this date: critical 2 weeks, high 1 month, "
    "medium 2 months, low 3 months, plus time for bigger pieces of work.",
)


def build():
    return action_plan(analyse(assessment.answers), start, store.action_states(assessment.id))


try:
    plan = build()
except DpakitError as err:
    state.show_error(err, "The action plan cannot be built: ")
    st.stop()


def _save(action_id: str, field: str, key: str) -> None:
    save_action_field(store, assessment.id, action_id, field, key, "_action_error")


error = st.session_state.pop("_action_error", None)
if error:
    state.show_error(error, "Not saved: ")

done = sum(1 for i in plan.items if i.status in ("done", "not_applicable"))
st.progress(
    0.0 if not plan.items else done / len(plan.items),
    text=f"{done} of {len(plan.items)} actions done or not applicable",
)

st.subheader("Download")
c1, c2, c3 = st.columns(3)
c1.download_button(
    "Word (DOCX)",
    data=lambda: action_plan_docx(build()),
    file_name="action-plan.docx",
    mime=DOCX_MIME,
    key="download-docx",
    icon=":material/description:",
    on_click="ignore",
)
c2.download_button(
    "Markdown",
    data=lambda: action_plan_markdown(build()),
    file_name="action-plan.md",
    mime="text/markdown",
    key="download-md",
    icon=":material/article:",
    on_click="ignore",
)
c3.download_button(
    "CSV (spreadsheet)",
    data=lambda: action_plan_csv(build()),
    file_name="action-plan.csv",
    mime="text/csv",
    key="download-csv",
    icon=":material/table:",
    on_click="ignore",
)

if not plan.items:
    st.success("Nothing to do from the answers given so far.", icon=":material/check:")
    st.page_link(RESULTS.path, label="See the results", icon=RESULTS.icon, query_params=state.link_params())
    st.stop()

st.subheader(f"{len(plan.items)} actions")
statuses = list(ACTION_STATUSES)
for number, item in enumerate(plan.items, start=1):
    with st.container(border=True, key=f"action-{item.id}"):
        st.markdown(f"#### {number}. {md(item.title)}")
        st.caption(
            f"{PRIORITY_ICONS[item.priority]} Priority **{item.priority}** · effort {ACTION_EFFORTS[item.effort]} · "
            f"suggested owner: {md(item.owner_role)} · fixes {md(', '.join(item.findings))}"
        )
        owner_col, due_col, status_col = st.columns([3, 2, 2])
        owner_key, due_key, status_key = f"owner-{item.id}", f"due-{item.id}", f"status-{item.id}"
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
        status_col.selectbox(
            "Status",
            statuses,
            index=statuses.index(item.status) if item.status in statuses else 0,
            format_func=ACTION_STATUSES.get,
            key=status_key,
            on_change=_save,
            args=(item.id, "status", status_key),
        )
        with st.expander("Steps and requirements"):
            st.markdown("\n".join(f"{n}. {md(step)}" for n, step in enumerate(item.steps, start=1)))
            st.caption("Requirements: " + md(", ".join(item.requirements)))
