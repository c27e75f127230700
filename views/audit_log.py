"""Change log: every answer change of the open assessment — when, who (when signed in), what, old → new —
viewable and downloadable as CSV (no cell a spreadsheet would run as a formula)."""

from __future__ import annotations

import streamlit as st

from dpakit import audit_csv, question_label, value_text
from ui import state
from ui.wizard import require_assessment

assessment = require_assessment()
store = state.get_store()

st.title("Change log")
if store.viewer.hosted:
    st.caption("Every change to an answer, with who made it and when.")
else:
    st.caption(
        "Every change to an answer and when it was made. In single-user mode nobody signs in, so the log "
        "does not say who; hosted with sign-in, it does (see docs/hosting.md)."
    )

events = store.events(assessment.id)
st.download_button(
    "Download the log (CSV)",
    data=lambda: audit_csv(store.events(assessment.id)),
    file_name=f"change-log-{assessment.id}.csv",
    mime="text/csv",
    key="audit_download",
    icon=":material/table:",
    on_click="ignore",
)
needle = st.text_input("Filter by question", key="audit_filter", placeholder="e.g. encryption", max_chars=100)
names = {a.id: a.counterparty_name or a.id for a in assessment.answers.agreements}
rows = []
for e in reversed(events):  # newest first
    question = question_label(e.field)
    if e.field.startswith("agreements."):  # which agreement, by its counterparty (or id, once removed)
        agreement_id = e.field.split(".", 2)[1]
        question = f"{names.get(agreement_id, agreement_id)}: {question}"
    if needle and needle.lower() not in question.lower() and needle.lower() not in e.field.lower():
        continue
    rows.append(
        {
            "When (UTC)": e.at[:19].replace("T", " "),
            "Who": e.user or "—",
            "Question": question,
            "Before": value_text(e.field, e.old_value),
            "After": value_text(e.field, e.new_value),
            "How": e.source,
        }
    )
st.caption(f"{len(rows)} of {len(events)} changes")
st.dataframe(rows, hide_index=True, key="audit_table")
