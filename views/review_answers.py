"""Review page: every answer on one screen, with a way back to edit each."""

import streamlit as st

from dpakit import answer_text, default_questionnaire, is_visible, progress
from ui import state
from ui.pages import section_page
from ui.text import md
from ui.wizard import agreement_label, require_assessment

assessment = require_assessment()
questionnaire = default_questionnaire()
facts = assessment.answers.flat()
overall = progress(assessment.answers, questionnaire)

st.title("Review your answers")
st.write(
    f"{overall.answered} of {overall.visible} questions answered. Click **Edit** next to any answer to "
    "change it; changes are saved as you make them."
)
if overall.not_sure:
    with st.container(border=True):
        st.markdown(f"**{len(overall.not_sure)} answer(s) marked “not sure”** — worth checking with a colleague:")
        st.markdown("\n".join(f"- {questionnaire.label(f)}" for f in overall.not_sure))

params = state.link_params()
answers = assessment.answers


def _rows(section, facts, link: dict[str, str]) -> None:
    page = section_page(section.id)
    for question in section.questions:
        if not is_visible(question, facts):
            continue
        value = facts[question.field]
        left, mid, right = st.columns([5, 5, 1], vertical_alignment="center")
        left.markdown(question.label)
        # Answers are user data: shown with st.text, never interpreted as Markdown or HTML.
        mid.text(answer_text(question, value))
        with right:
            st.page_link(page.path, label="Edit", icon=":material/edit:", query_params={**link, "q": question.field})


for section, sec_progress in zip(questionnaire.sections, overall.sections, strict=True):
    if section.id != "agreement":
        st.subheader(f"{section.title} — {sec_progress.answered}/{sec_progress.visible}")
        _rows(section, facts, params)
        continue
    # one block per agreement, each with its own progress and edit links that open that agreement (&g=)
    for agreement_id in answers.agreement_ids:
        focused = answers.focused(agreement_id)
        mine = next(p for p in progress(focused, questionnaire).sections if p.section == section.id)
        st.subheader(f"{section.title} — {md(agreement_label(answers, agreement_id))} — {mine.answered}/{mine.visible}")
        _rows(section, focused.flat(), {**params, state.AGREEMENT_KEY: agreement_id})
