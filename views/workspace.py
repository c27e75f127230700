"""Organisations: the consultant's client list. Per organisation its assessments by date with score and
status; copy one forward for the yearly review; export the complete record as one ZIP, import one, delete
an organisation with everything that belongs to it; assign members when hosted.

Everything goes through the scoped store (``state.get_store()``), so a user sees and changes only the
organisations they belong to. The work is done by ``dpakit.workspace.archive``; this page only shows and asks.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from dpakit import (
    MEMBER_ROLES,
    DpakitError,
    analyse,
    export_filename,
    export_organisation,
    import_organisation,
    progress,
    score,
)
from ui import state
from ui.pages import REVIEW, resume_page
from ui.text import md

SHOWN = 50
STATUS = {"in_progress": "In progress", "complete": "Complete"}
UNREADABLE = "cannot be read (written by a newer dpakit?)"

store = state.get_store()
viewer = store.viewer


@st.cache_data(show_spinner=False, max_entries=5000)
def _score(answers_json: str) -> tuple[int, str]:
    from dpakit import Answers

    overall = score(analyse(Answers.model_validate_json(answers_json))).overall
    return overall.score, overall.rating


def _open(assessment_id: str, section: str | None) -> None:
    state.open_assessment(assessment_id)
    target = resume_page(section)  # an unknown saved section (older/newer record) opens the first one
    st.switch_page(target.path, query_params={state.QUERY_KEY: assessment_id})


st.title("Organisations")
if viewer.hosted:
    st.caption(f"Signed in as {md(viewer.label)}. You see the organisations you are a member of.")
else:
    st.caption("Single-user mode on this computer: every organisation in the local database is listed.")

flash = st.session_state.pop("workspace_flash", None)
if flash:
    st.success(flash, icon=":material/task_alt:")

search = st.text_input("Search organisations", key="workspace_search", placeholder="Part of a name…", max_chars=200)

if viewer.can_create_organisations:
    with st.expander("Add an organisation", icon=":material/add_business:"):
        with st.form("workspace_new", border=False, clear_on_submit=True):
            name = st.text_input("Organisation name", max_chars=300, key="workspace_new_name")
            if st.form_submit_button("Add", type="primary", icon=":material/add:"):
                try:
                    org = store.create_organisation(name)
                    created = store.create_assessment(org.id, title=f"{dt.date.today().year} assessment")
                    store.set_answer(created.id, "organisation.legal_name", org.name, source="start")
                except DpakitError as err:
                    state.show_error(err)
                else:
                    st.session_state["workspace_flash"] = f"Added {md(org.name)} with a first assessment."
                    st.rerun()

listed = store.organisation_page(search, sort="name", limit=SHOWN)  # one bounded query, stored progress
if not listed.total:
    st.info(
        "No organisation matches." if search else "No organisation yet. Add one above or on the start page.",
        icon=":material/info:",
    )
elif listed.not_shown:
    st.caption(f"{listed.total} organisations; showing the first {SHOWN} — search to narrow the list.")
progress_of = {a.id: a for summary in listed.organisations for a in summary.assessments}
assessments_of = store.assessments_of([summary.organisation.id for summary in listed.organisations])

for org in (summary.organisation for summary in listed.organisations):
    manage = viewer.can_manage(org.id)
    with st.container(border=True, key=f"workspace_org_{org.id}"):
        st.subheader(md(org.name), anchor=False)
        assessments = assessments_of[org.id]  # newest first
        titles = {a.id: a.title for a in assessments}
        rows = []
        for a in assessments:
            if a.unreadable:  # shown, never scored: one bad row must not hide the others
                rows.append(
                    {
                        "Assessment": a.title,
                        "Started": (a.created_at or "")[:10],
                        "Last change": (a.updated_at or "")[:16].replace("T", " "),
                        "Status": UNREADABLE,
                        "Answered": "",
                        "Risk score": None,
                        "Rating": "",
                        "Copied from": "",
                    }
                )
                continue
            done = progress_of.get(a.id) or progress(a.answers)  # stored; counted only if added meanwhile
            points, rating = _score(a.answers.model_dump_json())
            rows.append(
                {
                    "Assessment": a.title,
                    "Started": a.created_at[:10],
                    "Last change": a.updated_at[:16].replace("T", " "),
                    "Status": STATUS.get(a.status, a.status),
                    "Answered": f"{done.answered}/{done.visible}",
                    "Risk score": points,
                    "Rating": rating,
                    "Copied from": titles.get(a.copied_from, "") if a.copied_from else "",
                }
            )
        if rows:
            st.dataframe(rows, hide_index=True, key=f"workspace_table_{org.id}")
        for a in assessments:
            if a.unreadable:
                st.warning(
                    f"{md(a.title)} · {md((a.created_at or '')[:10])}: {UNREADABLE}. The rest of this "
                    "organisation is unaffected; the export below keeps it exactly as stored, and it can be "
                    "deleted with the organisation.",
                    icon=":material/warning:",
                )
                continue
            left, open_col, copy_col, status_col = st.columns([4, 1, 2, 2], vertical_alignment="center")
            left.text(f"{a.title} · {a.created_at[:10]}")
            if open_col.button("Open", key=f"workspace_open_{a.id}", icon=":material/open_in_new:"):
                _open(a.id, a.section)
            if manage and copy_col.button(
                "Copy forward",
                key=f"workspace_copy_{a.id}",
                icon=":material/content_copy:",
                help="Start this year's review from these answers; the old one stays as it was.",
            ):
                try:
                    new = store.copy_forward(a.id, title=f"{dt.date.today().year} review")
                except DpakitError as err:
                    state.show_error(err)
                else:
                    st.session_state["workspace_flash"] = f"Copied “{md(a.title)}” forward as “{md(new.title)}”."
                    state.open_assessment(new.id)
                    st.rerun()
            toggle_to = "in_progress" if a.status == "complete" else "complete"
            if status_col.button(
                "Reopen" if a.status == "complete" else "Mark complete", key=f"workspace_status_{a.id}"
            ):
                try:
                    store.update_assessment(a.id, status=toggle_to)
                except DpakitError as err:
                    state.show_error(err)
                else:
                    st.rerun()
        if not manage:
            continue
        export_col, _ = st.columns([2, 3])
        export_col.download_button(
            "Export everything (ZIP)",
            data=lambda org_id=org.id: export_organisation(store, org_id),
            file_name=export_filename(org.name),
            mime="application/zip",
            key=f"workspace_export_{org.id}",
            icon=":material/archive:",
            on_click="ignore",
            help="Answers of every assessment, generated documents, a manifest with SHA-256 hashes and the "
            "change log (CSV), in one file that another dpakit can import.",
        )
        if viewer.hosted:
            with st.expander("Members"):
                members = store.memberships(org_id=org.id)
                st.dataframe(
                    [{"User": m.user, "Role": m.role} for m in members],
                    hide_index=True,
                    key=f"workspace_members_{org.id}",
                )
                with st.form(f"workspace_member_form_{org.id}", border=False, clear_on_submit=True):
                    email = st.text_input("E-mail address", key=f"workspace_member_email_{org.id}")
                    role = st.selectbox(
                        "Role",
                        MEMBER_ROLES,
                        key=f"workspace_member_role_{org.id}",
                        help="A consultant manages the organisation; a client sees it and answers.",
                    )
                    if st.form_submit_button("Add or change member"):
                        try:
                            store.set_membership(email, org.id, role)
                        except DpakitError as err:
                            state.show_error(err)
                        else:
                            st.rerun()
        with st.expander("Delete this organisation", icon=":material/delete_forever:"):
            st.write(
                "Deletes the organisation, all its assessments, documents, action plan and change log from "
                "the database, and reclaims the space so no trace is left. Export it first if you may need it."
            )
            typed = st.text_input("Type the organisation's name to confirm", key=f"workspace_delete_name_{org.id}")
            if st.button(
                "Delete for good",
                type="primary",
                key=f"workspace_delete_{org.id}",
                disabled=" ".join(typed.split()) != org.name,
            ):
                try:
                    store.delete_organisation(org.id)
                except DpakitError as err:
                    state.show_error(err)
                else:
                    if state.current_assessment_id() in {a.id for a in assessments}:
                        state.forget_assessment()
                    st.session_state["workspace_flash"] = f"Deleted {md(org.name)} and everything belonging to it."
                    st.rerun()

if viewer.can_create_organisations:
    st.subheader("Import an organisation", anchor=False)
    st.caption(
        "A ZIP exported from dpakit (above, “Export everything”). Every file is checked against the "
        "manifest before anything is saved; a damaged or altered archive changes nothing."
    )
    upload = st.file_uploader("Organisation record (ZIP)", type=["zip"], key="workspace_import_file")
    as_copy = st.checkbox("Import as a copy (new ids), e.g. next to the original", key="workspace_import_copy")
    if upload is not None and st.button("Import", type="primary", key="workspace_import", icon=":material/upload:"):
        try:
            result = import_organisation(store, upload.getvalue(), copy=as_copy)
        except DpakitError as err:  # the message may quote member and file names from the archive
            state.show_error(md(err), "Nothing was imported: ")
        else:
            st.session_state["workspace_flash"] = (
                f"Imported {md(result.name)}: {result.assessments} assessment(s), {result.documents} document(s), "
                f"{result.events} logged change(s)."
            )
            st.rerun()

st.page_link(REVIEW.path, label="Review the open assessment", icon=REVIEW.icon, query_params=state.link_params())
