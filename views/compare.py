"""Compare versions: two assessments of an organisation, or two DPAs generated for it.

Shows the answers that changed (question labels, old → new as text), findings that are new, resolved or
changed in severity, the change in the overall score, and — for two DPAs — a redline DOCX with native Word
tracked changes. User text is shown in tables (plain text) or escaped for Markdown, never as HTML.
"""

from __future__ import annotations

import dataclasses

import streamlit as st

from dpakit import Answers, DpakitError, compare, redline_docx
from ui import state
from ui.text import md
from ui.wizard import agreement_label

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CHANGE = {"new": "New finding", "resolved": "Resolved", "severity": "Severity changed"}

store = state.get_store()

st.title("Compare versions")
st.caption(
    "What changed between two assessments (say, last year's and this year's review) or between two "
    "generated DPAs — answers, findings, score, and a redline a lawyer can open in Word."
)

organisations = store.organisations()
if not organisations:
    st.info("No organisation yet: start one on the start page.", icon=":material/info:")
    st.stop()

current = state.current_assessment()
names = {o.id: o.name for o in organisations}
ids = list(names)
org_id = st.selectbox(
    "Organisation",
    ids,
    format_func=names.get,
    key="compare_org",
    index=ids.index(current.organisation_id) if current and current.organisation_id in names else 0,
)
# newest first; one this version cannot read (a newer dpakit wrote it) has nothing to compare
assessments = [a for a in store.assessments(org_id) if not a.unreadable]
what = st.radio("Compare", ["Two assessments", "Two generated DPAs"], horizontal=True, key="compare_what")


@st.cache_data(show_spinner=False, max_entries=200)
def _compare(old_json: str, new_json: str, agreement_id: str | None = None):
    old, new = Answers.model_validate_json(old_json), Answers.model_validate_json(new_json)
    if agreement_id is not None:  # findings as that agreement's DPA sees them; answers of it alone
        old = old.focused(agreement_id) if agreement_id in old.agreement_ids else old
        new = new.focused(agreement_id) if agreement_id in new.agreement_ids else new
    result = compare(old, new)
    if agreement_id is not None:
        mine = f"agreements.{agreement_id}."
        kept = [c for c in result.answers if not c.field.startswith("agreements.") or c.field.startswith(mine)]
        result = dataclasses.replace(result, answers=kept)
    return result


def _show(old: Answers, new: Answers, agreement_id: str | None = None) -> None:
    """The changes between two answer sets; every agreement's, by agreement, or only ``agreement_id``'s."""
    result = _compare(old.model_dump_json(), new.model_dump_json(), agreement_id)
    c1, c2, c3 = st.columns(3)
    c1.metric(
        "Overall risk score",
        result.score_after,
        delta=result.score_change or None,
        delta_color="inverse",
        help="0–100, higher is riskier (see “How we score”). The arrow shows the change from the older version.",
    )
    c2.metric("Answers changed", len(result.answers))
    c3.metric("Findings changed", len(result.findings))
    st.caption(f"Rating: {result.rating_before} → {result.rating_after}")
    st.subheader("Changed answers", anchor=False)
    if result.answers:
        st.dataframe(
            [{"Section": c.section, "Question": c.question, "Before": c.old, "After": c.new} for c in result.answers],
            hide_index=True,
            key="compare_answers",
        )
        with st.expander("As text"):
            st.markdown("\n".join(f"- **{md(c.question)}**: ~~{md(c.old)}~~ → {md(c.new)}" for c in result.answers))
    else:
        st.caption("The answers are the same.")
    st.subheader("Findings", anchor=False)
    if result.findings:
        st.dataframe(
            [
                {
                    "Finding": f.title,
                    "Rule": f.rule_id,
                    "Change": CHANGE[f.change],
                    "Before": f.old_severity or "—",
                    "After": f.new_severity or "—",
                }
                for f in result.findings
            ],
            hide_index=True,
            key="compare_findings",
        )
    else:
        st.caption("The same findings, with the same severity.")


def _iso_z(stamp: str) -> str:
    return stamp[:19] + "Z"


if what == "Two assessments":
    if len(assessments) < 2:
        st.info(
            "This organisation has one assessment. Copy it forward on the Organisations page to start a "
            "review, then compare the two.",
            icon=":material/info:",
        )
        st.stop()
    labels = {a.id: f"{a.title} (started {a.created_at[:10]})" for a in assessments}
    newest = current.id if current and current.id in labels else assessments[0].id
    older = next((a.copied_from for a in assessments if a.id == newest and a.copied_from in labels), None)
    older = older or next(a.id for a in assessments if a.id != newest)
    a_ids = list(labels)
    left, right = st.columns(2)
    old_id = left.selectbox("Older", a_ids, index=a_ids.index(older), format_func=labels.get, key="compare_old")
    new_id = right.selectbox("Newer", a_ids, index=a_ids.index(newest), format_func=labels.get, key="compare_new")
    _show(store.assessment(old_id).answers, store.assessment(new_id).answers)
else:
    docs = [(a, d) for a in assessments for d in store.documents(a.id) if d.kind == "dpa"]
    # A DPA is compared with a DPA of the same agreement: choose the agreement when there are several.
    agreement_names: dict[str, str] = {}
    for a, d in docs:
        ident = getattr(d, "agreement_id", None) or ""
        if ident not in agreement_names:
            known = ident in a.answers.agreement_ids
            agreement_names[ident] = (
                agreement_label(a.answers, ident) if known else (ident or "(no agreement recorded)")
            )
    chosen_agreement: str | None = None
    if len(agreement_names) > 1:
        agreement_ids = list(agreement_names)
        preferred = state.requested_agreement_id()
        chosen_agreement = st.selectbox(
            "Agreement",
            agreement_ids,
            index=agreement_ids.index(preferred) if preferred in agreement_ids else 0,
            format_func=agreement_names.get,
            key="compare_agreement",
            help="Each agreement has its own DPA: the two DPAs compared are of the agreement chosen here.",
        )
        docs = [(a, d) for a, d in docs if (getattr(d, "agreement_id", None) or "") == chosen_agreement]
    elif agreement_names:
        chosen_agreement = next(iter(agreement_names)) or None
    if len(docs) < 2:
        st.info(
            "Generate a DPA for two assessments (or twice for one) on the Documents page, then compare them.",
            icon=":material/info:",
        )
        st.stop()
    labels = {d.id: f"{a.title} · generated {d.created_at[:16].replace('T', ' ')} · {d.sha256[:10]}" for a, d in docs}
    records = {d.id: d for _, d in docs}
    d_ids = list(labels)  # newest assessment first, newest document first within it
    left, right = st.columns(2)
    old_doc = left.selectbox("Older DPA", d_ids, index=1, format_func=labels.get, key="compare_old_doc")
    new_doc = right.selectbox("Newer DPA", d_ids, index=0, format_func=labels.get, key="compare_new_doc")
    old_rec, new_rec = records[old_doc], records[new_doc]
    if old_rec.sha256 == new_rec.sha256:
        st.info("These two documents are identical (same SHA-256).", icon=":material/info:")

    def _redline() -> bytes:
        data, _ = redline_docx(
            store.document_content(old_doc),
            store.document_content(new_doc),
            date=_iso_z(new_rec.created_at),
            title="DPA redline",
        )
        return data

    try:
        st.download_button(
            "Download the redline (DOCX with tracked changes)",
            data=_redline,
            file_name=f"{new_rec.filename.removesuffix('.docx')}-redline-{new_rec.created_at[:10]}.docx",
            mime=DOCX_MIME,
            key="compare_redline",
            type="primary",
            icon=":material/difference:",
            on_click="ignore",
            help="The newer DPA with every difference from the older one as a Word tracked "
            "change (author “dpakit”): accept or reject them in Word or LibreOffice.",
        )
        _show(store.document_answers(old_doc), store.document_answers(new_doc), chosen_agreement)
    except DpakitError as err:
        state.show_error(err)
