"""AppTest for the results, action-plan and how-we-score pages."""

from __future__ import annotations

import datetime as dt
import re

from apptest_support import has_key
from apptest_support import open_page as app_on

from dpakit.analysis import analyse
from dpakit.examples import load_example
from dpakit.risk import load_rules, score
from dpakit.workspace.store import Store


def make(db: Store, name: str, legal_name: str | None = None):
    answers = load_example(name)
    if legal_name is not None:
        answers = answers.with_value("organisation.legal_name", legal_name)
    org = db.create_organisation(answers.organisation.legal_name or name)
    return db.create_assessment(org.id, answers)


def test_results_page_shows_laws_heat_map_findings_and_deadlines(app_db):
    assessment = make(app_db, "fynbos")
    at = app_on("views/results.py", assessment.id)
    assert at.title[0].value == "Results"
    assert any("South Africa POPIA" in e.label for e in at.expander)
    assert len(at.get("vega_lite_chart")) == 2  # heat map and area bars
    report = score(analyse(assessment.answers))
    titles = " ".join(e.label for e in at.expander)
    for finding in report.findings:
        assert finding.title in titles
    assert has_key(at, "heatmap") and has_key(at, "finding-R-SEC-01") and has_key(at, "deadline-POPIA-25")
    text = " ".join(m.value for m in at.markdown)
    assert "POPIA\\-19\\-1" in text or "POPIA-19-1" in text
    assert "30 calendar days" in text


def test_results_page_shows_california_deadlines(app_db):
    at = app_on("views/results.py", make(app_db, "golden_state").id)
    text = " ".join(m.value for m in at.markdown)
    assert "45 calendar days" in text and "15 business days" in text
    assert any("Do Not Sell" in e.label for e in at.expander)


def test_results_page_without_an_assessment_points_to_the_start(app_db):
    at = app_on("views/results.py", None)
    assert at.info and "Open or start an assessment" in at.info[0].value


def test_action_plan_page_saves_owner_due_date_and_status_at_once(app_db):
    assessment = make(app_db, "fynbos")
    at = app_on("views/action_plan.py", assessment.id)
    assert at.title[0].value == "Action plan"
    for key in ("download-docx", "download-md", "download-csv"):
        assert has_key(at, key)
    at.text_input(key="owner-A-SEC-MFA").set_value("Thandi <script>").run()
    assert not at.exception
    at.date_input(key="due-A-SEC-MFA").set_value(dt.date(2027, 2, 1)).run()
    at.selectbox(key="status-A-SEC-MFA").set_value("in_progress").run()
    assert not at.exception
    saved = app_db.action_states(assessment.id)["A-SEC-MFA"]
    assert (saved.owner, saved.due_date, saved.status) == ("Thandi <script>", "2027-02-01", "in_progress")
    again = app_on("views/action_plan.py", assessment.id)  # a new session reads the saved state
    assert again.text_input(key="owner-A-SEC-MFA").value == "Thandi <script>"
    assert again.selectbox(key="status-A-SEC-MFA").value == "in_progress"


def test_action_plan_page_keeps_hostile_saved_text_literal(app_db):
    assessment = make(app_db, "nordlicht", legal_name="**Evil** <img src=x> {{ 7*7 }}")
    hostile = "=cmd|' /C calc'!A0 <img src=x> **x**"
    first = app_on("views/action_plan.py", assessment.id).text_input[0].key.removeprefix("owner-")
    app_db.set_action_state(assessment.id, first, owner=hostile)
    at = app_on("views/action_plan.py", assessment.id)
    assert at.text_input(key=f"owner-{first}").value == hostile
    # The organisation's name reaches the sidebar only escaped (``\\<img``), never as raw HTML.
    assert not any(re.search(r"(?<!\\)<img", m.value) for m in at.markdown)


def test_how_we_score_page_explains_the_method_and_lists_every_rule(app_db):
    at = app_on("views/how_we_score.py", None)
    assert at.title[0].value == "How we score"
    assert "likelihood × impact" in at.markdown[0].value
    assert len(at.dataframe[0].value) == len(load_rules())
