"""Start page: start, resume, load an example, or import an answers file."""

import streamlit as st

from dpakit import DpakitError, list_examples, load_example, parse_answers, progress
from ui import state
from ui.pages import REVIEW, resume_page, section_pages
from ui.text import md

store = state.get_store()
current = state.current_assessment()

SHOWN = 20
"""Organisations listed at first; "Show more" adds as many again (the list is one bounded query)."""
SORTS = {"recent": "Most recent change", "name": "Name (A–Z)", "newest": "Newest organisation first"}

st.title("dpakit")
st.markdown(
    "Get your CRM's privacy house in order. Answer plain-language questions about how you use your CRM "
    "and where you do business; dpakit works out which privacy laws apply, explains the risks, and "
    "drafts a data processing agreement and an action plan.  \n"
    "*Everything dpakit produces is a draft for review by a qualified lawyer.*"
)

if current is not None:
    org = store.organisation(current.organisation_id)
    with st.container(border=True):
        st.subheader("Continue where you left off")
        done = progress(current.answers)
        st.write(f"{md(org.name)} — {md(current.title)}: {done.answered} of {done.visible} questions answered.")
        target = resume_page(current.section)
        st.page_link(
            target.path,
            label=f"Continue with “{target.title}”",
            icon=":material/play_arrow:",
            query_params=state.link_params(),
        )

new_col, demo_col = st.columns(2)
with new_col, st.container(border=True):
    st.subheader("Start a new assessment")
    with st.form("new-assessment", clear_on_submit=False, border=False):
        name = st.text_input("Organisation name", max_chars=300, placeholder="e.g. Fynbos Coffee Roasters")
        if st.form_submit_button("Start", type="primary", icon=":material/add:"):
            try:
                org = store.create_organisation(name)
                created = store.create_assessment(org.id, title="First assessment")
                store.set_answer(created.id, "organisation.legal_name", org.name, source="start")
            except DpakitError as exc:
                state.show_error(exc)
            else:
                state.open_assessment(created.id)
                st.switch_page(section_pages()[0].path, query_params={"a": created.id})

with demo_col, st.container(border=True):
    st.subheader("Try an example organisation")
    examples = {key: (name, description) for key, name, description in list_examples()}
    choice = st.selectbox("Example", list(examples), format_func=lambda k: examples[k][0], key="example-choice")
    st.caption(examples[choice][1])
    if st.button("Load this example", icon=":material/science:", key="load-example"):
        try:
            answers = load_example(choice)
            org = store.create_organisation(f"{examples[choice][0]} (example)")
            created = store.create_assessment(org.id, answers, title="Example assessment", source="example")
        except DpakitError as exc:  # e.g. a read-only database
            state.show_error(exc)
        else:
            state.open_assessment(created.id)
            st.switch_page(REVIEW.path, query_params={"a": created.id})

with st.container(border=True):
    st.subheader("Import an answers file")
    st.caption("A .json file exported from dpakit (sidebar → Export answers). Nothing is changed until you confirm.")
    upload = st.file_uploader("Answers file", type=["json"], key="import-file")
    if upload is not None:
        try:
            imported = parse_answers(upload.getvalue(), name=f"“{upload.name}”")
        except DpakitError as exc:  # the message quotes the uploaded file's name: user text
            state.show_error(md(exc))
        else:
            count = progress(imported).answered
            name = imported.organisation.legal_name or upload.name.removesuffix(".json")
            st.success(f"“{md(upload.name)}” is a valid answers file for {md(name)} ({count} answers).")
            if st.button("Import as a new assessment", type="primary", key="import-new"):
                org = store.create_organisation(name)
                created = store.create_assessment(org.id, imported, title="Imported assessment", source="import")
                state.open_assessment(created.id)
                st.switch_page(REVIEW.path, query_params={"a": created.id})
            if current is not None:
                existing = progress(current.answers).answered
                confirm = st.checkbox(
                    f"Replace the {existing} answers of the open assessment with this file's answers",
                    key="import-confirm",
                )
                if st.button("Replace the open assessment's answers", disabled=not confirm, key="import-replace"):
                    store.set_answers(current.id, imported, source="import")
                    st.switch_page(REVIEW.path, query_params={"a": current.id})

listed = store.organisation_page(
    st.session_state.get("start-search", ""),
    sort=st.session_state.get("start-sort", "recent"),
    limit=st.session_state.get("start-limit", SHOWN),
)
if listed.total or st.session_state.get("start-search"):
    st.subheader("Your organisations")
    search_col, sort_col = st.columns([3, 2])
    search_col.text_input("Search organisations", key="start-search", placeholder="Part of a name…", max_chars=200)
    sort_col.selectbox("Sort by", list(SORTS), format_func=SORTS.__getitem__, key="start-sort")
    if not listed.total:
        st.info("No organisation matches.", icon=":material/info:")
    for summary in listed.organisations:
        with st.expander(md(summary.organisation.name)):
            for item in summary.assessments:
                left, right = st.columns([4, 1], vertical_alignment="center")
                if item.unreadable:  # shown, never opened: the Organisations page can export or delete it
                    left.text(f"{item.title} — {item.unreadable}")
                    continue
                left.text(f"{item.title} — started {item.created_at[:10]}, {item.answered}/{item.visible} answered")
                if right.button("Open", key=f"open-{item.id}"):
                    state.open_assessment(item.id)
                    target = resume_page(item.section)
                    st.switch_page(target.path, query_params={"a": item.id})
    if listed.not_shown:
        st.caption(
            f"Showing {len(listed.organisations)} of {listed.total} organisations; {listed.not_shown} not shown. "
            "Search by name to find one."
        )
        if st.button("Show more", key="start-more", icon=":material/expand_more:"):
            st.session_state["start-limit"] = st.session_state.get("start-limit", SHOWN) + SHOWN
            st.rerun()
