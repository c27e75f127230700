"""Documents page: one DPA per agreement — choose the agreement (or draft them all), see which clauses its
DPA will contain and why, generate it, download DOCX and PDF, and read what is left "before you sign".

Documents are kept in the database (with their SHA-256, the answers they came from and the clause library
version), never in ``st.session_state``: downloads read the bytes from the store when clicked.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

import streamlit as st

from dpakit import (
    ConverterMissing,
    DpakitError,
    analyse,
    convert_to_pdf,
    default_questionnaire,
    dpa_file_name,
    draft_dpa,
    included_clauses,
    load_library,
    missing_measures,
    plan_dpa,
    soffice_path,
)
from ui import state
from ui.text import md
from ui.wizard import agreement_label, require_assessment

PDF_TIMEOUT = 120
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_LAST = "documents_last_generated"  # session keeps only the document ids, never the bytes
_ALL = "documents_all_generated"  # the ids of the DPAs drafted by "Draft every agreement"

assessment = require_assessment()
store = state.get_store()
questionnaire = default_questionnaire()
all_answers = assessment.answers
org_name = all_answers.organisation.legal_name or store.organisation(assessment.organisation_id).name

st.title("Documents")
st.write(
    "Generate a first draft of the data processing agreement from your answers: one DPA per agreement. It is "
    "a draft for review by a qualified lawyer, not legal advice."
)

ids = all_answers.agreement_ids
agreement_id = state.current_agreement_id(all_answers)
if state.requested_agreement_id() != agreement_id:
    state.open_agreement(agreement_id)
select_key = f"documents_agreement:{assessment.id}"
st.session_state[select_key] = agreement_id  # the URL decides, as on the agreement page


def _switch() -> None:
    state.open_agreement(st.session_state[select_key])


st.selectbox(
    "Agreement",
    ids,
    key=select_key,
    format_func=lambda i: agreement_label(all_answers, i),
    on_change=_switch,
    help="Each agreement (processing relationship) gets its own DPA, drafted from its own scope, "
    "countries, sub-processors and measures. Add agreements on the agreement page of the questionnaire.",
)
answers = all_answers.focused(agreement_id)
counterparty = answers.agreement.counterparty_name


def _file_name(agreement: str, suffix: str = ".docx") -> str:
    return dpa_file_name(org_name, all_answers.agreement_by_id(agreement).counterparty_name, agreement, suffix)


def _before_you_sign(draft) -> list[str]:
    """The drafted result's "before you sign" items as text (none until drafting provides them)."""
    items = getattr(draft, "before_you_sign", None) or []
    out = []
    for item in items:
        text = str(getattr(item, "text", None) or item)
        path = getattr(item, "answer_path", None)
        out.append(f"{text} (question: {questionnaire.label(path)})" if path else text)
    return out


left, right = st.columns([3, 2])
with left:
    st.selectbox("Document", ["Data processing agreement (DPA)"], key="documents_kind")
with right:
    comments = st.toggle(
        "Reviewer comments on each clause",
        value=True,
        key="documents_comments",
        help="Each clause carries a Word comment saying why it is included, which "
        "requirements it serves and its version. Turn off for a clean copy.",
    )

try:
    analysis = analyse(answers)
    library = load_library()
    selected, coverage = plan_dpa(analysis, library)
except DpakitError as err:
    state.show_error(err, "The draft cannot be prepared: ")
    st.stop()

st.caption(f"Clause library {library.version} · {len(selected)} clauses")
for line in coverage.summary():
    st.caption(line)

st.subheader("What the DPA will contain, and why")
rows = [
    {
        "No.": c.reference,
        "Clause": c.title,
        "Part": c.section,
        "Why": c.reason,
        "Requirements": ", ".join(c.requirements),
        "Version": c.version,
    }
    for c in included_clauses(selected)
]
st.dataframe(rows, hide_index=True, key="documents_clauses")

missing = missing_measures(answers)
if missing:
    with st.expander(f"{len(missing)} security measure(s) not confirmed — left out of Annex III", expanded=False):
        st.write(
            "Annex III lists only measures you confirmed are in place. These are not in the draft; "
            "put them in place (the action plan says how) and update your answers:"
        )
        st.markdown("\n".join(f"- {md(m.sentence())}" for m in missing))

if not coverage.complete:
    gaps = "; ".join(f"{code}: {', '.join(ids)}" for code, ids in coverage.missing.items())
    state.show_error(f"No clause serves these mandatory requirements, so the DPA cannot be drafted — {gaps}")
    st.stop()


def _generate(agreement: str, agreement_analysis) -> tuple[str, list[str]]:
    """Draft and store the DPA of one agreement; its document id and "before you sign" items."""
    draft = draft_dpa(agreement_analysis, library, comments=comments)
    record = store.save_document(
        assessment.id,
        "dpa",
        _file_name(agreement),
        draft.docx,
        all_answers,
        library.version,
        {"comments": comments},
        agreement_id=agreement,
    )
    return record.id, _before_you_sign(draft)


generate, draft_all = st.columns([1, 1])
if generate.button(
    f"Generate the DPA with {md(counterparty)}" if counterparty else "Generate the DPA",
    type="primary",
    key="documents_generate",
    icon=":material/description:",
):
    try:
        with st.spinner("Drafting…"):
            doc_id, items = _generate(agreement_id, analysis)
        st.session_state[_LAST] = {"docx": doc_id, "pdf": None, "agreement": agreement_id, "before_you_sign": items}
        st.session_state.pop(_ALL, None)
    except DpakitError as err:
        state.show_error(err, "The draft could not be generated: ")
if len(ids) > 1 and draft_all.button(
    f"Draft every agreement ({len(ids)} DPAs)", key="documents_generate_all", icon=":material/library_books:"
):
    done: dict[str, str] = {}
    try:
        with st.spinner("Drafting…"):
            for other in ids:
                done[other] = _generate(
                    other, analysis if other == agreement_id else analyse(all_answers.focused(other))
                )[0]
    except DpakitError as err:
        state.show_error(err, f"The DPA with {md(agreement_label(all_answers, other))} could not be generated: ")
    st.session_state[_ALL] = done


def _content(document_id: str):
    return lambda: store.document_content(document_id)


def _pdf(document_id: str, comments_on: bool) -> None:
    """Convert in a worker thread with a timeout, then store the PDF like any other document."""
    data = store.document_content(document_id)
    with st.status("Converting to PDF with LibreOffice…", expanded=False) as status:
        with ThreadPoolExecutor(max_workers=1) as pool:
            future = pool.submit(convert_to_pdf, data, timeout=PDF_TIMEOUT, name="dpa")
            try:
                pdf = future.result(timeout=PDF_TIMEOUT + 10)
            except ConverterMissing as err:
                status.update(label="PDF not available", state="error")
                st.info(str(err), icon=":material/info:")
                return
            except (DpakitError, FutureTimeout) as err:
                status.update(label="PDF conversion failed", state="error")
                state.show_error(str(err) or "LibreOffice did not answer in time")
                return
        record = store.save_document(
            assessment.id,
            "dpa_pdf",
            _file_name(agreement_id, ".pdf"),
            pdf,
            all_answers,
            library.version,
            {"comments": comments_on, "from": document_id},
            agreement_id=agreement_id,
        )
        st.session_state[_LAST] = {**st.session_state.get(_LAST, {}), "pdf": record.id}
        status.update(label="PDF ready", state="complete")


last = st.session_state.get(_LAST)
documents = {d.id: d for d in store.documents(assessment.id)}
done_all = st.session_state.get(_ALL) or {}
if done_all:
    with st.container(border=True, key="documents_all_result"):
        st.success(f"{len(done_all)} DPAs are ready, one per agreement.", icon=":material/task_alt:")
        for other, doc_id in done_all.items():
            if doc_id in documents:
                st.download_button(
                    f"Download the DPA with {md(agreement_label(all_answers, other))}"
                    if other in ids
                    else f"Download {md(documents[doc_id].filename)}",
                    data=_content(doc_id),
                    file_name=documents[doc_id].filename,
                    mime=DOCX_MIME,
                    key=f"documents_download_all_{other}",
                    icon=":material/download:",
                    on_click="ignore",
                )
if last and last.get("docx") in documents and last.get("agreement", agreement_id) == agreement_id:
    doc = documents[last["docx"]]
    with st.container(border=True, key="documents_result"):
        items = last.get("before_you_sign") or []
        if items:
            st.warning(
                f"The DPA is drafted, but not ready for signature: {len(items)} point(s) to settle first.",
                icon=":material/edit_note:",
            )
        else:
            st.success("The DPA is ready.", icon=":material/task_alt:")
        st.write("SHA-256 of the DOCX (the same answers and clause library always give the same hash):")
        st.code(doc.sha256, language=None)
        c1, c2 = st.columns(2)
        c1.download_button(
            "Download DOCX",
            data=_content(doc.id),
            file_name=doc.filename,
            mime=DOCX_MIME,
            key="documents_download_docx",
            icon=":material/download:",
            on_click="ignore",
        )
        pdf_id = last.get("pdf")
        if pdf_id and pdf_id in documents:
            c2.download_button(
                "Download PDF",
                data=_content(pdf_id),
                file_name=documents[pdf_id].filename,
                mime="application/pdf",
                key="documents_download_pdf",
                icon=":material/download:",
                on_click="ignore",
            )
        elif soffice_path() is None:
            c2.info(
                "PDF needs LibreOffice, which is not installed here. The DOCX opens in Word or LibreOffice.",
                icon=":material/info:",
            )
        elif c2.button("Make a PDF", key="documents_make_pdf", icon=":material/picture_as_pdf:"):
            _pdf(doc.id, bool(doc.options.get("comments", True)))
            st.rerun()
    if items:
        with st.container(border=True, key="documents_before_you_sign"):
            st.subheader("Before you sign", anchor=False)
            st.write(
                "The draft is not ready for signature until this list is empty. Settle each point (answer the "
                "question, or agree it with the other party), then generate the DPA again:"
            )
            st.markdown("\n".join(f"- {md(item)}" for item in items))

st.subheader("History")
if not documents:
    st.caption("No document generated yet for this assessment.")
else:
    st.dataframe(
        [
            {
                "Generated": d.created_at,
                "Agreement": agreement_label(all_answers, d.agreement_id)
                if getattr(d, "agreement_id", None) in ids
                else (getattr(d, "agreement_id", None) or "—"),
                "File": d.filename,
                "SHA-256": d.sha256,
                "Clause library": d.library_version,
                "Comments": "yes" if d.options.get("comments", True) else "no",
                "Size": f"{d.size:,} bytes",
                "Answers SHA-256": d.answers_sha256[:12],
            }
            for d in documents.values()
        ],
        hide_index=True,
        key="documents_history",
    )
    with st.expander("Download an earlier document"):
        for d in list(documents.values())[:20]:
            st.download_button(
                f"{md(d.filename)} · {d.created_at} · {d.sha256[:12]}",
                data=_content(d.id),
                file_name=d.filename,
                mime=DOCX_MIME if d.filename.endswith(".docx") else "application/pdf",
                key=f"documents_history_{d.id}",
                on_click="ignore",
            )
