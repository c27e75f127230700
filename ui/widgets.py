"""One widget per question kind; each saves its answer the moment it changes.

Widget keys contain the assessment id and the field path, so two assessments never share widget state.
A widget's value is seeded from the database when it is first drawn (after a refresh, a restart or a
page switch), and every change goes straight to ``Store.set_answer`` from the widget's callback. An
invalid value is not saved: the message says what to fix and the saved answer stays as it was.
"""

from __future__ import annotations

import time
from typing import Any

import streamlit as st

from dpakit.errors import DpakitError, InputError
from dpakit.jurisdictions import countries
from dpakit.questionnaire import Question
from dpakit.store import Store
from dpakit.vendors import PREFILL_TRIGGER, prefill_changes

YESNO = ("yes", "no", "not_sure")
YESNO_LABELS = {"yes": "Yes", "no": "No", "not_sure": "Not sure"}
NOT_SURE = "not_sure"


def widget_key(assessment_id: str, field: str, part: str = "") -> str:
    return f"q:{assessment_id}:{field}{':' + part if part else ''}"


def error_key(key: str) -> str:
    return f"err:{key}"


@st.cache_data(show_spinner=False)
def _country_names() -> dict[str, str]:
    return {code: c.name for code, c in countries().items()}


def _save(store: Store, assessment_id: str, field: str, value: Any, key: str) -> None:
    user = current_user()
    try:
        before = store.assessment(assessment_id).answers if field == PREFILL_TRIGGER else None
        after = store.set_answer(assessment_id, field, value, source="wizard", user=user)
        changes = prefill_changes(before, after) if before is not None else {}
        for path, new_value in changes.items():
            store.set_answer(assessment_id, path, new_value, source="prefill", user=user)
    except InputError as exc:
        st.session_state[error_key(key)] = f"Not saved: {exc}. Your previous answer is kept."
        return
    except DpakitError as exc:  # the database refused (read-only, damaged): say so, no traceback
        st.session_state[error_key(key)] = f"Not saved: {exc}"
        return
    st.session_state.pop(error_key(key), None)
    st.session_state["_last_saved"] = time.strftime("%H:%M:%S")
    for path in changes:  # pre-filled widgets re-seed from the database on this rerun
        for stale in [k for k in st.session_state if str(k).startswith(widget_key(assessment_id, path))]:
            del st.session_state[stale]
    if changes:
        st.session_state["_prefilled"] = sorted(changes)


def current_user() -> str | None:
    """The signed-in user's e-mail when the app is hosted with login; ``None`` on a local install."""
    try:
        if st.user.is_logged_in:
            return st.user.get("email") or st.user.get("name")
    except (AttributeError, KeyError):
        pass
    return None


def _text_to_value(text: str | None) -> str | None:
    if text is None:
        return None
    return text if text.strip() else None


def render_question(store: Store, assessment_id: str, question: Question, value: Any) -> None:
    """Draw one question's widget, seeded with ``value`` (the saved answer)."""
    key = widget_key(assessment_id, question.field)
    label = question.label
    kind = question.kind

    if kind in ("text", "email", "textarea"):
        if key not in st.session_state:
            st.session_state[key] = value or ""
        common = dict(
            key=key,
            on_change=lambda: _save(store, assessment_id, question.field, _text_to_value(st.session_state[key]), key),
            placeholder=question.placeholder or None,
        )
        if kind == "textarea":
            st.text_area(label, height=100, **common)
        else:
            st.text_input(label, **common)

    elif kind == "number":
        _number(store, assessment_id, question, value, key)

    elif kind == "yesno":
        if key not in st.session_state:
            st.session_state[key] = value if value in YESNO else None
        st.radio(
            label, YESNO, index=None, key=key, horizontal=True, format_func=YESNO_LABELS.__getitem__,
            on_change=lambda: _save(store, assessment_id, question.field, st.session_state[key], key),
        )

    elif kind == "choice":
        values = [o.value for o in question.options]
        if key not in st.session_state:
            st.session_state[key] = value if value in values else None
        save = lambda: _save(store, assessment_id, question.field, st.session_state[key], key)  # noqa: E731
        if len(values) <= 4:
            st.radio(label, values, index=None, key=key, format_func=question.option_label, on_change=save,
                     captions=[o.help for o in question.options] if any(o.help for o in question.options) else None)
        else:
            st.selectbox(label, values, index=None, key=key, format_func=question.option_label, on_change=save,
                         placeholder="Choose one…")

    elif kind == "multichoice":
        values = [o.value for o in question.options]
        if key not in st.session_state:
            st.session_state[key] = [v for v in (value or []) if v in values]
        st.multiselect(
            label, values, key=key, format_func=question.option_label, placeholder="Choose all that apply…",
            on_change=lambda: _save(store, assessment_id, question.field, list(st.session_state[key]), key),
        )

    elif kind == "country":
        names = _country_names()
        if key not in st.session_state:
            st.session_state[key] = value if value in names else None
        st.selectbox(
            label, list(names), index=None, key=key, format_func=lambda c: f"{names[c]} ({c})",
            placeholder="Type to search for a country…",
            on_change=lambda: _save(store, assessment_id, question.field, st.session_state[key], key),
        )

    elif kind == "countries":
        names = _country_names()
        if key not in st.session_state:
            st.session_state[key] = [c for c in (value or []) if c in names]
        st.multiselect(
            label, list(names), key=key, format_func=lambda c: f"{names[c]} ({c})",
            placeholder="Type to search; choose all that apply…",
            on_change=lambda: _save(store, assessment_id, question.field, list(st.session_state[key]), key),
        )

    elif kind == "table":
        _table(store, assessment_id, question, value, key)

    else:  # pragma: no cover - the Kind literal is closed
        raise AssertionError(kind)

    st.caption(question.help)
    message = st.session_state.get(error_key(key))
    if message:
        st.error(message, icon=":material/error:")


def _number(store: Store, assessment_id: str, question: Question, value: Any, key: str) -> None:
    ns_key = widget_key(assessment_id, question.field, "not_sure")
    if key not in st.session_state:
        st.session_state[key] = value if isinstance(value, int) else None
        st.session_state[ns_key] = value == NOT_SURE

    def save_number() -> None:
        number = st.session_state[key]
        if st.session_state.get(ns_key) and number is not None:
            st.session_state[ns_key] = False
        _save(store, assessment_id, question.field, None if number is None else int(number), key)

    def save_not_sure() -> None:
        if st.session_state[ns_key]:
            _save(store, assessment_id, question.field, NOT_SURE, key)
        else:
            number = st.session_state.get(key)
            _save(store, assessment_id, question.field, None if number is None else int(number), key)

    cols = st.columns([3, 1], vertical_alignment="bottom") if question.allow_not_sure else [st.container()]
    with cols[0]:
        st.number_input(
            question.label, min_value=0, step=1, key=key, on_change=save_number,
            disabled=bool(st.session_state.get(ns_key)), placeholder="Type a number",
        )
    if question.allow_not_sure:
        with cols[1]:
            st.checkbox("Not sure", key=ns_key, on_change=save_not_sure)


def _table(store: Store, assessment_id: str, question: Question, value: Any, key: str) -> None:
    import pandas as pd

    columns = [c.name for c in question.columns]
    rows = [{c: (row.get(c) if row.get(c) is not None else "") for c in columns} for row in (value or [])]
    frame = pd.DataFrame(rows, columns=columns).astype("string")
    config: dict[str, Any] = {}
    names = _country_names()
    for col in question.columns:
        if col.kind == "country":
            config[col.name] = st.column_config.SelectboxColumn(col.label, options=list(names), help=col.help or None)
        elif col.kind == "yesno":
            config[col.name] = st.column_config.SelectboxColumn(col.label, options=list(YESNO), help=col.help or None)
        else:
            config[col.name] = st.column_config.TextColumn(col.label, help=col.help or None, required=col.required)
    st.markdown(f"**{question.label}**")
    edited = st.data_editor(frame, key=key, num_rows="dynamic", column_config=config, hide_index=True,
                            width="stretch")
    new_rows = []
    problems = []
    for index, record in enumerate(edited.to_dict("records"), start=1):
        clean = {c: (str(v).strip() if v is not None and not pd.isna(v) else "") for c, v in record.items()}
        if not any(clean.values()):
            continue
        missing = [col.label for col in question.columns if col.required and not clean[col.name]]
        if missing:
            problems.append(f"row {index} needs: {', '.join(missing)}")
            continue
        new_rows.append({c: v for c, v in clean.items() if v != "" or c == columns[0]})
    if problems:
        st.warning("Not saved yet — " + "; ".join(problems) + ".", icon=":material/warning:")
        return
    saved = [{c: v for c, v in r.items() if v != "" or c == columns[0]} for r in rows]
    if new_rows != saved:
        _save(store, assessment_id, question.field, new_rows or None, key)
