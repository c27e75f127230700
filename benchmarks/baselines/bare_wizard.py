"""A bare Streamlit page with the widgets of dpakit's security section page, and nothing else.

The baseline for the questionnaire-interaction and memory benchmarks: the same title, intro, progress bar,
15 bordered question containers (14 horizontal yes/no/not-sure radios and one multiselect, each with a
help caption and an on-change callback), two links' worth of columns and a sidebar with a progress bar,
a section list and a download button, under an ``st.navigation`` menu of 20 pages in three sections
(as dpakit's) — but no database, no questionnaire model and no dpakit import. The other 19 pages are
empty functions: only the page shown is measured.
"""

import streamlit as st

YESNO = ("yes", "no", "not_sure")
LABELS = {"yes": "Yes", "no": "No", "not_sure": "Not sure"}
QUESTIONS = [f"q{i}" for i in range(15)]
CERTIFICATIONS = ["iso27001", "soc2", "eu_cloud_coc", "cyber_essentials", "none", "not_sure"]


def changed(key: str) -> None:
    st.session_state["_last_saved"] = key


def page() -> None:
    """The security section page."""
    with st.sidebar:
        st.markdown("**Example organisation**")
        st.caption("First assessment")
        st.progress(0.5, text="37 of 74 questions answered")
        st.markdown("\n".join(f"- Section {i}: {i}/9" for i in range(9)))
        st.caption("Every answer is saved as you go.")
        st.download_button("Export answers (JSON)", "{}", file_name="answers.json", on_click="ignore")

    st.title("Keeping the data safe")
    st.markdown("Every privacy law requires *appropriate* security. These questions cover everyday measures.")
    st.progress(0.4, text="6 of 15 questions answered in this section")
    for name in QUESTIONS:
        with st.container(border=True, key=f"question-{name}"):
            if name == "q12":
                st.multiselect(
                    "Which certifications does the CRM vendor hold?",
                    CERTIFICATIONS,
                    key=name,
                    placeholder="Choose all that apply…",
                    on_change=changed,
                    args=(name,),
                )
            else:
                st.radio(
                    f"Question {name}?",
                    YESNO,
                    index=None,
                    key=name,
                    horizontal=True,
                    format_func=LABELS.__getitem__,
                    on_change=changed,
                    args=(name,),
                )
            st.caption("Why this matters, in one or two sentences of help text.")
    left, right = st.columns(2)
    left.markdown("Back: Where you do business")
    right.markdown("Next: People's requests")


def other() -> None:
    st.title("Another page")


SECTIONS = {"": 1, "Questionnaire": 10, "Results": 4, "Workspace": 5}
pages, n = {}, 0
for section, count in SECTIONS.items():
    pages[section] = []
    for _ in range(count):
        n += 1
        pages[section].append(
            st.Page(page if n == 9 else other, title=f"Page {n}", url_path=f"page-{n}", default=n == 9)
        )
st.navigation(pages).run()
