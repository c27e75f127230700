"""Documents page: see which clauses the DPA will contain and why, generate it, download DOCX and PDF.

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
    draft_dpa,
    included_clauses,
    load_library,
    missing_measures,
    plan_dpa,
    soffice_path,
)
from ui import state
from ui.text import md
from ui.wizard import require_assessment

PDF_TIMEOUT = 120
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_LAST = "documents_last_generated"  # session keeps only the document ids, never the bytes

assessment = require_assessment()
store = state.get_store()

st.title("Documents")
st.write(
    "Generate a first draft of the data processing agreement from your answers. It is a draft for "
    "review by a qualified lawyer, not legal advice."
)

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
    analysis = analyse(assessment.answers)
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

missing = missing_measures(assessment.answers)
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

if st.button("Generate the DPA", type="primary", key="documents_generate", icon=":material/description:"):
    try:
        with st.spinner("Drafting…"):
            draft = draft_dpa(analysis, library, comments=comments)
            record = store.save_document(
                assessment.id,
                "dpa",
                "dpa.docx",
                draft.docx,
                assessment.answers,
                library.version,
                {"comments": comments},
            )
        st.session_state[_LAST] = {"docx": record.id, "pdf": None}
    except DpakitError as err:
        state.show_error(err, "The draft could not be generated: ")


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
            "dpa.pdf",
            pdf,
            assessment.answers,
            library.version,
            {"comments": comments_on, "from": document_id},
        )
        st.session_state[_LAST] = {**st.session_state.get(_LAST, {}), "pdf": record.id}
        status.update(label="PDF ready", state="complete")


last = st.session_state.get(_LAST)
documents = {d.id: d for d in store.documents(assessment.id)}
if last and last.get("docx") in documents:
    doc = documents[last["docx"]]
    with st.container(border=True, key="documents_result"):
        st.success("The DPA is ready.", icon=":material/task_alt:")
        st.write("SHA-256 of the DOCX (the same answers and clause library always give the same hash):")
        st.code(doc.sha256, language=None)
        c1, c2 = st.columns(2)
        c1.download_button(
            "Download DOCX",
            data=_content(doc.id),
            file_name="dpa.docx",
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
                file_name="dpa.pdf",
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

st.subheader("History")
if not documents:
    st.caption("No document generated yet for this assessment.")
else:
    st.dataframe(
        [
            {
                "Generated": d.created_at,
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
