"""One widget per question kind; each saves its answer the moment it changes.

Widget keys contain the assessment id, the field path and the page (``scope``): two assessments never
share widget state, and neither do the workshop page and a section page showing the same question.
(Streamlit gives a keyed widget a new element id on each page; a key shared between pages arrived with
its state still present, so the seeding was skipped and the widget came up empty — and the next edit
saved that empty value over the real answer.)

The database is the truth, never a widget's leftover state: for each widget key the session keeps the
saved answer the widget was last seeded with or saved as (``_records()``; a table's under
``record_key``). Whenever the widget's
state is missing, or the saved answer differs from that record (another tab, another page, a pre-fill
changed it), the widget is re-seeded from the database. Every change goes straight to
``Store.set_answer`` from the widget's callback. An invalid value is not saved: the message says what
to fix and the saved answer stays as it was (the typed text stays in the box to be corrected).

Short text boxes commit while typing, after a pause (``live=TEXT_LIVE``); long text boxes and numbers
commit when the user presses Enter (Ctrl+Enter in a long box) or leaves the box — Streamlit has no
live mode for them — and the page says so.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any

import streamlit as st

from dpakit import DpakitError, InputError, Question, Store, countries, default_questionnaire
from ui import state

YESNO = ("yes", "no", "not_sure")
YESNO_LABELS = {"yes": "Yes", "no": "No", "not_sure": "Not sure"}
NOT_SURE = "not_sure"
TEXT_LIVE = "1s"  # a short text box saves after this pause in typing
LONG_TEXT_NOTE = "Saved when you leave the box or press Ctrl+Enter."
_FAILED = object()


def widget_key(assessment_id: str, field: str, part: str = "", *, scope: str = "") -> str:
    """The widget key of one question on one page: ``scope`` is ``""`` on its section page, else the page."""
    return f"q{'@' + scope if scope else ''}:{assessment_id}:{field}{':' + part if part else ''}"


def error_key(key: str) -> str:
    return f"err:{key}"


def record_key(key: str) -> str:
    """Where the session keeps the saved answer (widget form) that widget ``key`` was seeded with or saved as."""
    return f"seeded:{key}"


_RECORDS = "_seeded"
_NONE = object()


def _records() -> dict[str, Any]:
    """The records of every one-key widget, in one session entry (widget key → seed).

    One entry rather than one per widget: Streamlit copies the whole session state for every keyed radio it
    draws (``filtered_state``), so each extra key costs every widget of the page on every rerun.
    """
    records = st.session_state.get(_RECORDS)
    if records is None:
        records = st.session_state[_RECORDS] = {}
    return records


def _reseed(keys: tuple[str, ...], seed: Any, apply: Callable[[Any], None]) -> None:
    """Seed the widget(s) from the saved answer unless they hold exactly what was last seeded or saved.

    A widget whose state is gone (first drawn, page switch, hidden and shown again) is seeded; so is one
    whose saved answer changed behind its back. A widget holding the user's own pending or refused edit of
    an unchanged answer is left alone.
    """
    records = _records()
    if all(k in st.session_state for k in keys) and records.get(keys[0], _NONE) == seed:
        return
    apply(seed)
    records[keys[0]] = seed


@st.cache_data(show_spinner=False)
def _country_names() -> dict[str, str]:
    return {code: c.name for code, c in countries().items()}


def _save(
    store: Store, assessment_id: str, field: str, value: Any, key: str, seed_of: Callable[[Any], Any] | None = None
) -> Any:
    """Save one answer; return the answer as stored (``_FAILED`` if it was refused, with the reason shown).

    With ``seed_of``, record the stored answer in widget form for ``key``, so the next run knows the
    widget already shows what is saved.
    """
    try:
        # The CRM vendor answer also pre-fills its vendor's facts: the core decides which, in one transaction.
        after, changes = store.set_answer_with_prefill(assessment_id, field, value, user=state.signed_in_email())
    except InputError as exc:
        st.session_state[error_key(key)] = f"Not saved: {exc}. Your previous answer is kept."
        return _FAILED
    except DpakitError as exc:  # the database refused (read-only, damaged): say so, no traceback
        st.session_state[error_key(key)] = f"Not saved: {exc}"
        return _FAILED
    st.session_state.pop(error_key(key), None)
    st.session_state["_last_saved"] = time.strftime("%H:%M:%S")
    stored = after.flat_all()[field]
    if seed_of is not None:
        _records()[key] = seed_of(stored)
    # Pre-filled answers differ from their widgets' records now, so those widgets re-seed on this rerun.
    if changes:
        st.session_state["_prefilled"] = sorted(changes)
    return stored


def _text_to_value(text: str | None) -> str | None:
    if text is None:
        return None
    return text if text.strip() else None


STALE_NOTE = "no longer among your answers"


def answer_path(question: Question, agreement_id: str | None) -> str:
    """Where a question's answer is saved: an agreement's question in that agreement
    (``"agreements.<id>.field"``), any other at its own path."""
    if agreement_id is not None and question.section == "agreement":
        return f"agreements.{agreement_id}.{question.field.partition('.')[2]}"  # models.agreement_path
    return question.field


def options_from_note(question: Question) -> str:
    """Where an ``options_from`` question's choices come from, in words."""
    questionnaire = default_questionnaire()
    source = questionnaire.question(question.options_from or "")
    title = questionnaire.section(source.section).title
    return f"The choices are taken from your answers in '{title}' ({source.label})."


def render_question(
    store: Store,
    assessment_id: str,
    question: Question,
    value: Any,
    *,
    scope: str = "",
    agreement_id: str | None = None,
    facts: Mapping[str, Any] | None = None,
    label: str | None = None,
) -> None:
    """Draw one question's widget, seeded with ``value`` (the saved answer).

    ``scope`` names the page when it is not the question's own section page (e.g. ``"workshop"``).
    ``agreement_id`` is the agreement an agreement question is about: its answer is saved there and its
    widget key names it, so two agreements never share a widget. ``facts`` (the flat answers) lets a
    question with ``options_from`` offer only the values the organisation chose there (plus any value
    already saved, flagged as no longer among the answers). ``label`` replaces the question's label.
    """
    path = answer_path(question, agreement_id)
    key = widget_key(assessment_id, path, scope=scope)
    label = label or question.label
    kind = question.kind

    def simple(seed_of: Callable[[Any], Any], read: Callable[[Any], Any] = lambda v: v) -> Callable[[], None]:
        """Seed a one-key widget from the database; return its on_change callback, which saves it."""
        _reseed((key,), seed_of(value), lambda seed: st.session_state.__setitem__(key, seed))
        return lambda: _save(store, assessment_id, path, read(st.session_state[key]), key, seed_of)

    if kind in ("text", "email", "textarea"):
        save = simple(lambda v: v or "", _text_to_value)
        common = dict(key=key, on_change=save, placeholder=question.placeholder or None)
        if kind == "textarea":
            st.text_area(label, height=100, **common)
        else:
            st.text_input(label, live=TEXT_LIVE, **common)

    elif kind == "number":
        _number(store, assessment_id, question, value, key, path, label)

    elif kind == "yesno":
        save = simple(lambda v: v if v in YESNO else None)
        st.radio(
            label, YESNO, index=None, key=key, horizontal=True, format_func=YESNO_LABELS.__getitem__, on_change=save
        )

    elif kind == "choice":
        values = [o.value for o in question.options]
        save = simple(lambda v: v if v in values else None)
        if len(values) <= 4:
            st.radio(
                label,
                values,
                index=None,
                key=key,
                format_func=question.option_label,
                on_change=save,
                captions=[o.help for o in question.options] if any(o.help for o in question.options) else None,
            )
        else:
            st.selectbox(
                label,
                values,
                index=None,
                key=key,
                format_func=question.option_label,
                on_change=save,
                placeholder="Choose one…",
            )

    elif kind == "multichoice":
        values = [o.value for o in question.options]
        format_func = question.option_label
        if question.options_from is not None and facts is not None:
            chosen = facts.get(question.options_from) or []
            stale = [v for v in (value or []) if v in values and v not in chosen]
            values = [v for v in values if v in chosen] + stale

            def format_func(v: Any) -> str:
                text = question.option_label(v)
                return f"{text} ({STALE_NOTE})" if v in stale else text

            st.caption(f":material/filter_alt: {options_from_note(question)}")
            if not chosen:
                st.info("Nothing to choose from yet: answer that question first.", icon=":material/info:")
            if stale:
                names = ", ".join(question.option_label(v) for v in stale)
                st.warning(
                    f"Saved here but {STALE_NOTE}: {names}. Remove it, or add it back to your answers there.",
                    icon=":material/warning:",
                )
        save = simple(lambda v: [x for x in (v or []) if x in values], list)
        st.multiselect(
            label,
            values,
            key=key,
            format_func=format_func,
            placeholder="Choose all that apply…",
            on_change=save,
        )

    elif kind == "country":
        names = _country_names()
        save = simple(lambda v: v if v in names else None)
        st.selectbox(
            label,
            list(names),
            index=None,
            key=key,
            format_func=lambda c: f"{names[c]} ({c})",
            placeholder="Type to search for a country…",
            on_change=save,
        )

    elif kind == "countries":
        names = _country_names()
        save = simple(lambda v: [c for c in (v or []) if c in names], list)
        st.multiselect(
            label,
            list(names),
            key=key,
            format_func=lambda c: f"{names[c]} ({c})",
            placeholder="Type to search; choose all that apply…",
            on_change=save,
        )

    elif kind == "table":
        _table(store, assessment_id, question, value, key, path, label)

    else:  # pragma: no cover - the Kind literal is closed
        raise AssertionError(kind)

    st.caption(question.help)
    if kind in ("textarea", "number"):
        st.caption(f":material/info: {LONG_TEXT_NOTE if kind == 'textarea' else NUMBER_NOTE}")
    message = st.session_state.get(error_key(key))
    if message:
        st.error(message, icon=":material/error:")


NUMBER_NOTE = "Saved when you press Enter or leave the box."


def _number(store: Store, assessment_id: str, question: Question, value: Any, key: str, path: str, label: str) -> None:
    ns_key = f"{key}:not_sure"

    def seed_of(v: Any) -> tuple[int | None, bool]:
        return (v if isinstance(v, int) and not isinstance(v, bool) else None, v == NOT_SURE)

    def apply(seed: tuple[int | None, bool]) -> None:
        st.session_state[key], st.session_state[ns_key] = seed

    _reseed((key, ns_key), seed_of(value), apply)

    def save(answer: Any) -> None:
        _save(store, assessment_id, path, answer, key, seed_of)

    def save_number() -> None:
        number = st.session_state[key]
        if st.session_state.get(ns_key) and number is not None:
            st.session_state[ns_key] = False
        save(None if number is None else int(number))

    def save_not_sure() -> None:
        if st.session_state[ns_key]:
            save(NOT_SURE)
        else:
            number = st.session_state.get(key)
            save(None if number is None else int(number))

    cols = st.columns([3, 1], vertical_alignment="bottom") if question.allow_not_sure else [st.container()]
    with cols[0]:
        st.number_input(
            label,
            min_value=0,
            step=1,
            key=key,
            on_change=save_number,
            disabled=bool(st.session_state.get(ns_key)),
            placeholder="Type a number",
        )
    if question.allow_not_sure:
        with cols[1]:
            st.checkbox("Not sure", key=ns_key, on_change=save_not_sure)


def _table_rows(question: Question, value: Any) -> list[dict[str, str]]:
    """A saved table answer as the editor shows it: every column, ``""`` for nothing."""
    columns = [c.name for c in question.columns]
    return [{c: (row.get(c) if row.get(c) is not None else "") for c in columns} for row in (value or [])]


def _comparable(question: Question, rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """Rows as they are sent to the store: empty cells left out (except the first column)."""
    first = question.columns[0].name
    return [{c: v for c, v in r.items() if v != "" or c == first} for r in rows]


def _table(store: Store, assessment_id: str, question: Question, value: Any, key: str, path: str, label: str) -> None:
    """A table answer in ``st.data_editor``, saved whenever every row is complete.

    The editor keeps its edits as a delta against the frame it was first given, so it is given the same
    frame (``base``) on every run until the saved table changes behind its back. (Re-reading the frame
    from the database after each save changed the editor's identity and its base under the user's hands:
    rows and cells typed meanwhile were dropped or shown without being saved.) The record holds what
    this editor last saved (``sent``) and the saved table that produced (``saved``).
    """
    import pandas as pd

    columns = [c.name for c in question.columns]
    saved_rows = _table_rows(question, value)
    record = record_key(key)
    state = st.session_state.get(record)
    mounted = state is not None and state["editor_key"] in st.session_state
    if not mounted or state["saved"] != saved_rows:
        generation = 0 if state is None else state["generation"] + 1
        state = {
            "generation": generation,
            "editor_key": key if generation == 0 else f"{key}:v{generation}",
            "base": saved_rows,
            "saved": saved_rows,
            "sent": _comparable(question, saved_rows),
        }
        st.session_state[record] = state
    frame = pd.DataFrame(state["base"], columns=columns).astype("string")
    config: dict[str, Any] = {}
    names = _country_names()
    for col in question.columns:
        if col.kind == "country":
            config[col.name] = st.column_config.SelectboxColumn(col.label, options=list(names), help=col.help or None)
        elif col.kind == "yesno":
            config[col.name] = st.column_config.SelectboxColumn(col.label, options=list(YESNO), help=col.help or None)
        else:
            # Not ``required=`` here: the editor then holds a new row back from the server until its
            # required cells are filled, so the row showed on screen, was never saved and could not be
            # flagged. The check below flags it instead ("Not saved yet — row n needs: …").
            config[col.name] = st.column_config.TextColumn(
                f"{col.label} (required)" if col.required else col.label, help=col.help or None
            )
    st.markdown(f"**{label}**")
    edited = st.data_editor(
        frame, key=state["editor_key"], num_rows="dynamic", column_config=config, hide_index=True, width="stretch"
    )
    new_rows = []
    problems = []
    for index, record_row in enumerate(edited.to_dict("records"), start=1):
        clean = {c: (str(v).strip() if v is not None and not pd.isna(v) else "") for c, v in record_row.items()}
        if not any(clean.values()):
            continue
        missing = [col.label for col in question.columns if col.required and not clean[col.name]]
        if missing:
            problems.append(f"row {index} needs: {', '.join(missing)}")
            continue
        new_rows.append(clean)
    if problems:
        st.warning(
            "Not saved yet — " + "; ".join(problems) + ". Changes to this table are saved once every row is complete.",
            icon=":material/warning:",
        )
        return
    new_rows = _comparable(question, new_rows)
    if new_rows != state["sent"]:
        stored = _save(store, assessment_id, path, new_rows or None, key)
        if stored is not _FAILED:
            state["sent"] = new_rows
            state["saved"] = _table_rows(question, stored)
