"""dpakit: the Streamlit entry point. Declares the pages and the sidebar; pages do the rest.

Run with ``make run`` (or ``python -m streamlit run app.py``). The server listens on localhost only
(``.streamlit/config.toml``); answers are kept in the SQLite file named by ``DPAKIT_DB``.
"""

import streamlit as st

from dpakit import DpakitError
from ui import sidebar, state
from ui.pages import (
    ACTION_PLAN,
    DOCUMENTS,
    HOW_WE_SCORE,
    RESULTS,
    REVIEW,
    START,
    TOOLS_PAGES,
    WORKSPACE_PAGES,
    section_pages,
)

st.set_page_config(page_title="dpakit — privacy for CRM users", page_icon=":material/shield_person:", layout="wide")

wizard = [st.Page(p.path, title=p.title, icon=p.icon, url_path=p.url_path) for p in section_pages()]
pages = {
    "": [st.Page(START.path, title=START.title, icon=START.icon, url_path=START.url_path, default=True)],
    "Questionnaire": [*wizard, st.Page(REVIEW.path, title=REVIEW.title, icon=REVIEW.icon, url_path=REVIEW.url_path)],
    "Results": [
        st.Page(p.path, title=p.title, icon=p.icon, url_path=p.url_path)
        for p in (RESULTS, ACTION_PLAN, DOCUMENTS, HOW_WE_SCORE)
    ],
    "Workspace": [st.Page(p.path, title=p.title, icon=p.icon, url_path=p.url_path) for p in WORKSPACE_PAGES],
    "Tools": [st.Page(p.path, title=p.title, icon=p.icon, url_path=p.url_path) for p in TOOLS_PAGES],
}

navigation = st.navigation(pages, expanded=True)
if not state.database_ready():  # damaged or unreadable: say so, change nothing
    st.stop()
if not state.require_login():  # hosted: nothing but the sign-in screen until signed in
    st.stop()
state.keep_in_url()
sidebar.render()
try:
    navigation.run()
except DpakitError as exc:  # e.g. a read-only database refusing a save: a message, not a traceback
    state.show_error(exc)
