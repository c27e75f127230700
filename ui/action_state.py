"""Saving one field of an action-plan item (owner, due date, status, notes) from a widget callback."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from dpakit import DpakitError


def save_action_field(store, assessment_id: str, action_id: str, field: str, key: str, error_key: str) -> None:
    """Save the widget ``key``'s value as ``field`` of the action at once; a refusal goes to ``error_key``."""
    value = st.session_state.get(key)
    if isinstance(value, dt.date):
        value = value.isoformat()
    try:
        store.set_action_state(assessment_id, action_id, **{field: value if value is not None else ""})
    except DpakitError as err:
        st.session_state[error_key] = str(err)
    else:
        st.session_state["_last_saved"] = dt.datetime.now().strftime("%H:%M:%S")
