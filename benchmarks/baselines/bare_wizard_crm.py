"""A bare Streamlit page with the widgets of dpakit's CRM section page (the heaviest), and nothing else.

The baseline for the questionnaire-interaction benchmark on the heaviest page: the same title, intro,
progress bar and 11 bordered question containers as dpakit shows for the nordlicht example — a 6-option
choice as a radio, a country selectbox and a countries multiselect over 250 countries, a 12-option
selectbox, four horizontal yes/no/not-sure radios, two text inputs, an 8-option multiselect and a
``st.data_editor`` table (six columns, two of them select boxes, one of 250 countries; one row), each
with an on-change callback and a help caption — two links' worth of columns and the sidebar of
``bare_wizard.py``, under the same ``st.navigation`` menu of 20 pages. No database, no questionnaire
model and no dpakit import.
"""

import pandas as pd
import streamlit as st

YESNO = ("yes", "no", "not_sure")
LABELS = {"yes": "Yes", "no": "No", "not_sure": "Not sure"}
COUNTRIES = {f"{chr(65 + i // 26)}{chr(65 + i % 26)}": f"Country number {i}" for i in range(250)}
VENDORS = ["salesforce", "hubspot", "zoho", "pipedrive", "dynamics", "other"]
REGIONS = [f"region_{i}" for i in range(12)]
INTEGRATIONS = [f"integration_{i}" for i in range(8)]
COLUMNS = ["name", "service", "country", "address", "dpf_certified", "dpa_in_place"]
ROWS = [
    {
        "name": "Pipeline Growth Partners LLC",
        "service": "Lead research and qualification inside the CRM",
        "country": "AB",
        "address": "500 Congress Avenue, Austin",
        "dpf_certified": "yes",
        "dpa_in_place": "yes",
    }
]


def changed(key: str) -> None:
    st.session_state["_last_saved"] = key


def country(code: str) -> str:
    return f"{COUNTRIES[code]} ({code})"


def question(kind: str, name: str, options=()) -> None:
    with st.container(border=True, key=f"question-{name}"):
        common = dict(key=name, on_change=changed, args=(name,))
        if kind == "radio":
            st.radio(f"Question {name}?", options, index=None, **common)
        elif kind == "yesno":
            st.radio(f"Question {name}?", YESNO, index=None, horizontal=True, format_func=LABELS.__getitem__, **common)
        elif kind == "country":
            st.selectbox(
                f"Question {name}?",
                list(COUNTRIES),
                index=None,
                format_func=country,
                placeholder="Type to search for a country…",
                **common,
            )
        elif kind == "countries":
            st.multiselect(
                f"Question {name}?",
                list(COUNTRIES),
                format_func=country,
                placeholder="Type to search; choose all that apply…",
                **common,
            )
        elif kind == "select":
            st.selectbox(f"Question {name}?", options, index=None, placeholder="Choose one…", **common)
        elif kind == "multi":
            st.multiselect(f"Question {name}?", options, placeholder="Choose all that apply…", **common)
        elif kind == "text":
            st.text_input(f"Question {name}?", **common)
        elif kind == "table":
            st.markdown("**Who else processes the data?**")
            frame = pd.DataFrame(ROWS, columns=COLUMNS).astype("string")
            config = {
                "name": st.column_config.TextColumn("Name (required)", help="Who"),
                "service": st.column_config.TextColumn("Service", help="What"),
                "country": st.column_config.SelectboxColumn("Country", options=list(COUNTRIES), help="Where"),
                "address": st.column_config.TextColumn("Address", help="Address"),
                "dpf_certified": st.column_config.SelectboxColumn("DPF", options=list(YESNO), help="DPF"),
                "dpa_in_place": st.column_config.SelectboxColumn("DPA", options=list(YESNO), help="DPA"),
            }
            edited = st.data_editor(
                frame, key=name, num_rows="dynamic", column_config=config, hide_index=True, width="stretch"
            )
            edited.to_dict("records")
        st.caption("Why this matters, in one or two sentences of help text.")


def page() -> None:
    """The CRM section page."""
    with st.sidebar:
        st.markdown("**Example organisation**")
        st.caption("First assessment")
        st.progress(0.5, text="37 of 74 questions answered")
        st.markdown("\n".join(f"- Section {i}: {i}/9" for i in range(9)))
        st.caption("Every answer is saved as you go.")
        st.download_button("Export answers (JSON)", "{}", file_name="answers.json", on_click="ignore")

    st.title("Your CRM")
    st.markdown("Now tell us about your CRM (customer relationship management) system: who provides it.")
    st.progress(0.4, text="6 of 11 questions answered in this section")
    question("select", "q0", VENDORS)
    question("country", "q1")
    question("select", "q2", REGIONS)
    question("countries", "q3")
    question("yesno", "q4")
    question("yesno", "q5")
    question("text", "q6")
    question("text", "q7")
    question("yesno", "q8")
    question("multi", "q9", INTEGRATIONS)
    question("table", "q10")
    left, right = st.columns(2)
    left.markdown("Back: Your agreement")
    right.markdown("Next: The data")


def other() -> None:
    st.title("Another page")


SECTIONS = {"": 1, "Questionnaire": 10, "Results": 4, "Workspace": 5}
pages, n = {}, 0
for section, count in SECTIONS.items():
    pages[section] = []
    for _ in range(count):
        n += 1
        pages[section].append(
            st.Page(page if n == 4 else other, title=f"Page {n}", url_path=f"page-{n}", default=n == 4)
        )
st.navigation(pages).run()
