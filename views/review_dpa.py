"""Review a DPA: upload a vendor's (or customer's) DPA or paste its text, and see which mandatory terms are
found, weak or missing, with the quoted passages and what to ask for.

The page only reads widgets, calls ``dpakit.review.report`` and shows the result. Document text is shown escaped
(``ui.text.md``), never interpreted. The report itself is small and kept in the session as JSON; the DOCX
and Markdown downloads are produced when clicked.
"""

from __future__ import annotations

import streamlit as st

from dpakit import (
    REGIME_NAMES,
    REVIEW_DISCLAIMER,
    REVIEW_REGIMES,
    REVIEW_STATUS_LABELS,
    REVIEW_STATUSES,
    DpakitError,
    ReviewReport,
    read_document,
    read_text,
    review_document,
    review_docx,
    review_markdown,
    role_sentence,
)
from ui import state
from ui.text import md

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_REPORT = "review_report_json"
_ICONS = {"found": ":material/check_circle:", "weak": ":material/warning:", "missing": ":material/cancel:"}
_TRANSFERS = {
    "auto": "Check them if the document mentions international transfers",
    "assessment": "Follow my assessment",
    "yes": "Check them",
    "no": "Do not check them",
}

st.title("Review a DPA")
st.write(
    "Check an existing data processing agreement — for example the DPA your CRM vendor publishes — "
    "against the terms the law requires. dpakit looks for each term's wording and quotes what it found."
)
st.caption(REVIEW_DISCLAIMER)

# --- what to review against ------------------------------------------------------------------------
assessment = state.current_assessment()
analysis = None
if assessment is not None:
    try:
        from dpakit import analyse

        analysis = analyse(assessment.answers)
    except DpakitError as err:
        state.show_error(err, "Your assessment could not be analysed: ")

default_regimes = ["eu_gdpr", "uk_gdpr"]
default_role = "controller"
if analysis is not None:
    in_scope = [c for c in analysis.regimes_in_scope + analysis.regimes_possible if c in REVIEW_REGIMES]
    default_regimes = in_scope or default_regimes
    default_role = "processor" if analysis.facts.get("role.processor") else "controller"
    st.info(
        f"Regimes and role are taken from your assessment {md(assessment.title)}; change them here if "
        "this DPA is for another relationship.",
        icon=":material/assignment:",
    )

left, right = st.columns(2)
with left:
    regimes = st.multiselect(
        "Laws to check against",
        list(REVIEW_REGIMES),
        default=default_regimes,
        format_func=lambda c: REGIME_NAMES[c],
        key="review_regimes",
    )
    role = st.radio(
        "Your role under this DPA",
        ["controller", "processor"],
        index=0 if default_role == "controller" else 1,
        horizontal=True,
        key="review_role",
        format_func=lambda r: (
            "Controller (you use the vendor)" if r == "controller" else "Processor (you serve a customer)"
        ),
    )
with right:
    options = ["assessment", "auto", "yes", "no"] if analysis is not None else ["auto", "yes", "no"]
    transfers = st.selectbox(
        "Transfer terms (SCCs, UK Addendum, POPIA s.72)", options, format_func=_TRANSFERS.get, key="review_transfers"
    )

# --- the document ----------------------------------------------------------------------------------
source = st.radio(
    "Document",
    ["upload", "paste"],
    horizontal=True,
    key="review_source",
    format_func=lambda s: "Upload a file" if s == "upload" else "Paste the text",
)
if source == "upload":
    upload = st.file_uploader(
        "DPA as DOCX, PDF (with a text layer), TXT or Markdown", type=["docx", "pdf", "txt", "md"], key="review_upload"
    )
    pasted = None
else:
    upload = None
    pasted = st.text_area(
        "DPA text", height=240, key="review_paste", placeholder="Paste the whole DPA here, headings included."
    )

if st.button("Review the DPA", type="primary", key="review_run", icon=":material/fact_check:"):
    st.session_state.pop(_REPORT, None)
    try:
        if upload is not None:
            doc = read_document(upload.getvalue(), name=upload.name)
        elif pasted and pasted.strip():
            doc = read_text(pasted, name="pasted text")
        else:
            doc = None
            st.warning("Upload a file or paste the text of the DPA first.")
        if doc is not None:
            with st.spinner("Reading the DPA…"):
                report = review_document(
                    doc,
                    regimes,
                    role,
                    transfers={"yes": True, "no": False}.get(transfers),
                    facts=analysis.facts if transfers == "assessment" and analysis is not None else None,
                )
            st.session_state[_REPORT] = report.model_dump_json()
    except DpakitError as err:  # the message quotes the uploaded file's name: user text
        state.show_error(md(err), "This document cannot be reviewed: ")

raw = st.session_state.get(_REPORT)
if not raw:
    st.stop()
report = ReviewReport.model_validate_json(raw)

# --- the report ------------------------------------------------------------------------------------
st.divider()
st.header(f"Report: {md(report.document)}")
counts = report.counts()
found, weak, missing = st.columns(3)
found.metric("Found", counts["found"])
weak.metric("Weak", counts["weak"])
missing.metric("Missing", counts["missing"])
st.write(md(report.summary()))
st.caption(md(role_sentence(report.role)) + "  \n" + md(f"Transfer terms: {report.transfers_reason}."))

downloads = st.columns(2)
stem = "".join(c if c.isalnum() or c in "-_" else "-" for c in report.document.rsplit(".", 1)[0])[:60] or "dpa"
downloads[0].download_button(
    "Download report (DOCX)",
    data=lambda: review_docx(report),
    file_name=f"review-{stem}.docx",
    mime=DOCX_MIME,
    key="review_download_docx",
    icon=":material/download:",
    on_click="ignore",
)
downloads[1].download_button(
    "Download report (Markdown)",
    data=lambda: review_markdown(report).encode(),
    file_name=f"review-{stem}.md",
    mime="text/markdown",
    key="review_download_md",
    icon=":material/download:",
    on_click="ignore",
)

if report.vendor is not None:
    v = report.vendor
    with st.container(border=True, key="review_vendor"):
        st.subheader(f"Check outside the text: {md(v.name)}")
        st.write(md(f"The text names {v.name} ({v.mentions} mentions). If this is {v.name}'s own DPA, check:"))
        st.markdown(
            "\n".join(
                f"- {md(line)}"
                for line in [
                    f"DPF certification: {v.dpf_status}",
                    f"Sub-processor list: {v.subprocessor_url}",
                    f"Notice period for new sub-processors: {v.subprocessor_notice}",
                    *v.checks,
                ]
            )
        )

for status in REVIEW_STATUSES:
    items = report.by_status(status)
    st.subheader(f"{REVIEW_STATUS_LABELS[status]} ({len(items)})", anchor=f"review-{status}")
    if not items:
        st.caption("None.")
    for r in items:
        label = f"{_ICONS[status]} {md(r.id)} — {md(r.title)}"
        with st.expander(label, expanded=status != "found"):
            for ev in r.evidence:
                with st.container(border=True):
                    st.markdown(md(f"“{ev.quote}”"))
                    st.caption(md(ev.location))
            st.write(md(r.because))
            if r.ask_for:
                st.markdown(f"**{'Ask for' if report.role == 'controller' else 'Propose'}:** {md(r.ask_for)}")
            st.caption(md(f"{r.citation} · {r.url} · source status {r.legal_status}"))

if report.skipped:
    st.subheader("Not checked")
    st.markdown("\n".join(f"- {md(s.id)} — {md(s.title)}: {md(s.reason)}" for s in report.skipped))
