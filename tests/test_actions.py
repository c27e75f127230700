"""The action plan: one item per action, prioritised by the worst finding it fixes, saved state merged,
and exports that keep user text literal (Markdown escaped, CSV formula-safe, DOCX via the template)."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from dpakit.actions import (
    ACTION_PLAN_TEMPLATE,
    DRAFT_NOTICE,
    action_plan,
    build_plan,
    csv_safe,
    docx_context,
    escape_markdown,
    to_csv,
    to_docx,
    to_markdown,
)
from dpakit.analysis import analyse
from dpakit.docx_render import document_text, undeclared_variables
from dpakit.examples import load_example
from dpakit.risk import SEVERITIES, score
from dpakit.workspace.store import ActionState

START = dt.date(2027, 1, 4)
HOSTILE = '=HYPERLINK("http://evil") <b>{{ 7*7 }}</b> **bold** & Sons'


def plan_for(name: str, states=None):
    return action_plan(analyse(load_example(name)), START, states)


def test_each_action_appears_once_listing_every_finding_it_fixes():
    report = score(analyse(load_example("fynbos")))
    plan = build_plan(report, START)
    ids = [i.id for i in plan.items]
    assert len(ids) == len(set(ids))
    for finding in report.findings:
        for action in finding.actions:
            assert finding.rule_id in plan.item(action.id).findings


def test_shared_actions_take_the_worst_priority_and_all_requirements():
    facts = {"regimes": ["eu_gdpr", "popia"], "role.processor": False}
    plan = build_plan(score(facts), START)
    schedule = plan.item("A-RET-SCHEDULE")
    assert schedule.findings == ("R-RET-01", "R-RET-02")
    assert "GDPR-5-1-e" in schedule.requirements and "POPIA-14-1" in schedule.requirements


def test_items_are_ordered_by_priority_then_score():
    plan = plan_for("golden_state")
    ranks = [(SEVERITIES.index(i.priority), -i.score) for i in plan.items]
    assert ranks == sorted(ranks)
    assert plan.items[0].priority == "critical"


def test_suggested_due_dates_count_from_the_start_by_priority_and_effort():
    plan = plan_for("fynbos")
    mfa = plan.item("A-SEC-MFA")
    assert mfa.priority == "critical" and mfa.effort == "S"
    assert mfa.suggested_due == "2027-01-18" == mfa.due


def test_saved_owner_due_date_and_status_override_the_defaults():
    saved = {"A-SEC-MFA": ActionState("A-SEC-MFA", "Thandi", "2027-01-10", "in_progress", "ask HubSpot")}
    item = plan_for("fynbos", saved).item("A-SEC-MFA")
    assert (item.owner, item.due, item.status, item.notes) == ("Thandi", "2027-01-10", "in_progress", "ask HubSpot")
    assert item.suggested_due == "2027-01-18"


def test_markdown_escapes_user_text_and_says_it_is_a_draft():
    saved = {"A-SEC-MFA": ActionState("A-SEC-MFA", HOSTILE, "", "open", "line1\nline2 [x](javascript:y)")}
    text = to_markdown(plan_for("fynbos", saved))
    assert escape_markdown(HOSTILE) in text
    assert "<b>" not in text and "**bold**" not in text and "[x](" not in text
    assert escape_markdown(DRAFT_NOTICE) in text


def test_csv_cells_cannot_run_as_formulas():
    for bad in ("=1+1", "+1", "-1", "@SUM(A1)", "\t=1"):
        assert csv_safe(bad).startswith("'")
    assert csv_safe("fine") == "fine"
    saved = {"A-SEC-MFA": ActionState("A-SEC-MFA", HOSTILE, "", "open", "-2+3")}
    rows = list(csv.DictReader(io.StringIO(to_csv(plan_for("fynbos", saved)))))
    mfa = next(r for r in rows if r["action_id"] == "A-SEC-MFA")
    assert mfa["owner"] == "'" + HOSTILE and mfa["notes"] == "'-2+3"
    assert len(rows) == len(plan_for("fynbos").items)


def test_the_docx_uses_every_template_variable_and_keeps_user_text_literal():
    assert undeclared_variables(ACTION_PLAN_TEMPLATE) == set(docx_context(plan_for("fynbos")))
    saved = {"A-SEC-MFA": ActionState("A-SEC-MFA", HOSTILE, "", "done", "")}
    text = document_text(to_docx(plan_for("fynbos", saved)))
    assert HOSTILE in text
    assert "Draft for review by a qualified lawyer" in text
    assert "{{" not in text.replace(HOSTILE, "") and "{%" not in text


def test_the_docx_is_byte_reproducible():
    assert to_docx(plan_for("nordlicht")) == to_docx(plan_for("nordlicht"))


def test_every_example_renders_in_all_three_formats():
    for name in ("fynbos", "nordlicht", "golden_state", "brightwave"):
        plan = plan_for(name)
        assert plan.items
        assert to_docx(plan)[:2] == b"PK"
        assert to_markdown(plan).startswith("# Privacy action plan")
        assert to_csv(plan).startswith("number,action_id,")


def test_the_template_is_what_the_build_script_makes():
    import subprocess
    import sys

    from dpakit.content import PROJECT_DIR

    result = subprocess.run(
        [sys.executable, str(PROJECT_DIR / "templates/build_action_plan_template.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_action_plan_docx_passes_package_checks():
    from tests.docx_checks import check_package

    saved = {"A-SEC-MFA": ActionState("A-SEC-MFA", HOSTILE, "", "open", "")}
    text = check_package(to_docx(plan_for("fynbos", saved)), allowed_literals=[HOSTILE])
    assert "Privacy action plan" in text


@pytest.mark.libreoffice
def test_libreoffice_converts_the_action_plan_to_pdf(tmp_path):
    from tests.conftest import require_tool
    from tests.docx_checks import convert_to_pdf, pdf_text

    require_tool("soffice")
    path = tmp_path / "action-plan.docx"
    path.write_bytes(to_docx(plan_for("golden_state")))
    pdf = convert_to_pdf(path, tmp_path)
    assert "Do Not Sell" in pdf_text(pdf)
