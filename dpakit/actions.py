"""The action plan: what to do about the findings, in which order, by whom and by when.

``build_plan(report, start, states)`` turns a risk report into action items, one per action id (an action
that fixes several findings appears once, listing them all). Each item takes the priority of the worst
finding it fixes and a suggested due date counted from ``start``; the owner, due date, status and notes a
user saved (``Store.action_states``) override the defaults. Exports: Markdown, CSV and DOCX (from the Word
template ``templates/action_plan.docx``). Every export says it is a draft for review by a qualified lawyer.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Protocol

from .content import TEMPLATES_DIR
from .requirements import REGIME_NAMES
from .risk import SEVERITIES, ActionSpec, Finding, RiskReport, Severity

ACTION_PLAN_TEMPLATE = TEMPLATES_DIR / "action_plan.docx"

STATUSES: dict[str, str] = {
    "open": "Open",
    "in_progress": "In progress",
    "done": "Done",
    "not_applicable": "Not applicable",
}
EFFORTS: dict[str, str] = {"S": "Small (hours)", "M": "Medium (days)", "L": "Large (weeks)"}
DUE_DAYS: dict[Severity, int] = {"critical": 14, "high": 30, "medium": 60, "low": 90}
"""Days from the start date to the suggested due date, by the priority of an item."""
EFFORT_DAYS: dict[str, int] = {"S": 0, "M": 14, "L": 30}
"""Extra days for bigger pieces of work."""

DRAFT_NOTICE = (
    "Draft for review by a qualified lawyer. This plan was generated from the answers given in dpakit; "
    "it is not legal advice and may be incomplete."
)


class SavedState(Protocol):
    owner: str
    due_date: str
    status: str
    notes: str


@dataclass(frozen=True)
class ActionItem:
    id: str
    title: str
    steps: tuple[str, ...]
    owner_role: str
    effort: str
    priority: Severity
    score: int
    findings: tuple[str, ...]
    finding_titles: tuple[str, ...]
    requirements: tuple[str, ...]
    suggested_due: str
    owner: str = ""
    due_date: str = ""
    status: str = "open"
    notes: str = ""

    @property
    def due(self) -> str:
        """The due date in force: the one saved by a user, else the suggested one."""
        return self.due_date or self.suggested_due

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "priority": self.priority,
            "score": self.score,
            "effort": self.effort,
            "owner_role": self.owner_role,
            "owner": self.owner,
            "due": self.due,
            "suggested_due": self.suggested_due,
            "status": self.status,
            "notes": self.notes,
            "findings": list(self.findings),
            "requirements": list(self.requirements),
            "steps": list(self.steps),
        }


@dataclass(frozen=True)
class ActionPlan:
    items: tuple[ActionItem, ...]
    start: dt.date
    organisation: str = ""
    regimes: tuple[str, ...] = ()

    def item(self, action_id: str) -> ActionItem:
        for item in self.items:
            if item.id == action_id:
                return item
        raise KeyError(action_id)

    @property
    def open_items(self) -> list[ActionItem]:
        return [i for i in self.items if i.status not in ("done", "not_applicable")]


def suggested_due(start: dt.date, priority: Severity, effort: str) -> dt.date:
    return start + dt.timedelta(days=DUE_DAYS[priority] + EFFORT_DAYS.get(effort, 0))


def action_plan(
    analysis: Any,
    start: dt.date | None = None,
    states: Mapping[str, SavedState] | None = None,
    report: RiskReport | None = None,
) -> ActionPlan:
    """The plan for an analysis: scores it (unless ``report`` is given) and builds the plan.

    ``start`` defaults to today; pass it explicitly for reproducible output.
    """
    from .risk import score

    report = report or score(analysis)
    return build_plan(
        report,
        start or dt.date.today(),
        states,
        organisation=analysis.answers.organisation.legal_name or "",
        regimes=report.in_scope,
    )


def build_plan(
    report: RiskReport,
    start: dt.date,
    states: Mapping[str, SavedState] | None = None,
    *,
    organisation: str = "",
    regimes: Sequence[str] | None = None,
) -> ActionPlan:
    """One item per action id, worst first; saved owner/due date/status/notes merged in."""
    grouped: dict[str, list[Finding]] = {}
    specs: dict[str, ActionSpec] = {}
    for finding in report.findings:
        for action in finding.actions:
            grouped.setdefault(action.id, []).append(finding)
            specs.setdefault(action.id, action)
    items = []
    for action_id, findings in grouped.items():
        spec = specs[action_id]
        worst = min(findings, key=lambda f: (SEVERITIES.index(f.severity), -f.score))
        requirements = tuple(dict.fromkeys(ref for f in findings for ref in f.requirements))
        item = ActionItem(
            id=action_id,
            title=spec.title,
            steps=spec.steps,
            owner_role=spec.owner_role,
            effort=spec.effort,
            priority=worst.severity,
            score=worst.score,
            findings=tuple(f.rule_id for f in findings),
            finding_titles=tuple(f.title for f in findings),
            requirements=requirements,
            suggested_due=suggested_due(start, worst.severity, spec.effort).isoformat(),
        )
        saved = (states or {}).get(action_id)
        if saved is not None:
            item = replace(
                item,
                owner=saved.owner or "",
                due_date=saved.due_date or "",
                status=saved.status or "open",
                notes=saved.notes or "",
            )
        items.append(item)
    items.sort(key=lambda i: (SEVERITIES.index(i.priority), -i.score, "SML".index(i.effort), i.id))
    in_scope = tuple(report.in_scope if regimes is None else regimes)
    return ActionPlan(tuple(items), start, organisation, in_scope)


# --- exports --------------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&\"'=^])")


def escape_markdown(text: object) -> str:
    """Text shown literally in Markdown: every significant character backslash-escaped, one line."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def _md_cell(text: object) -> str:
    return escape_markdown(text) or " "


def to_markdown(plan: ActionPlan) -> str:
    """The action plan as Markdown: a summary table, then each action with its steps and requirements."""
    e = escape_markdown
    organisation, regimes = plan.organisation, plan.regimes
    who = f" — {e(organisation)}" if organisation else ""
    lines = [f"# Privacy action plan{who}", "", f"*{e(DRAFT_NOTICE)}*", ""]
    if regimes:
        lines += [f"Laws considered: {e(', '.join(REGIME_NAMES.get(r, r) for r in regimes))}", ""]
    lines += [f"Start date: {plan.start.isoformat()} · {len(plan.items)} actions", ""]
    lines += ["| # | Priority | Action | Owner | Due | Status |", "|---|---|---|---|---|---|"]
    for n, item in enumerate(plan.items, start=1):
        owner = item.owner or item.owner_role
        lines.append(
            f"| {n} | {item.priority} | {_md_cell(item.title)} | {_md_cell(owner)} | {item.due} | "
            f"{STATUSES.get(item.status, item.status)} |"
        )
    lines.append("")
    for n, item in enumerate(plan.items, start=1):
        lines += [f"## {n}. {e(item.title)}", ""]
        lines.append(f"- **Priority:** {item.priority} (worst finding score {item.score})")
        lines.append(f"- **Effort:** {EFFORTS.get(item.effort, item.effort)}")
        lines.append(f"- **Owner:** {e(item.owner) if item.owner else '—'} (suggested role: {e(item.owner_role)})")
        lines.append(f"- **Due:** {item.due}")
        lines.append(f"- **Status:** {STATUSES.get(item.status, item.status)}")
        lines.append(
            f"- **Fixes:** {e('; '.join(f'{r} {t}' for r, t in zip(item.findings, item.finding_titles, strict=True)))}"
        )
        lines.append(f"- **Requirements:** {e(', '.join(item.requirements))}")
        if item.notes:
            lines.append(f"- **Notes:** {e(item.notes)}")
        lines += ["", "Steps:", ""]
        lines += [f"{i}. {e(step)}" for i, step in enumerate(item.steps, start=1)]
        lines.append("")
    return "\n".join(lines)


CSV_COLUMNS = (
    "number",
    "action_id",
    "title",
    "priority",
    "score",
    "effort",
    "owner_role",
    "owner",
    "due_date",
    "suggested_due",
    "status",
    "findings",
    "requirements",
    "steps",
    "notes",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: object) -> str:
    """A cell a spreadsheet will not execute: text starting with = + - @ (or tab/CR) gets a leading '."""
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def to_csv(plan: ActionPlan) -> str:
    """The action plan as CSV, one row per action (no cell starts a spreadsheet formula)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for n, item in enumerate(plan.items, start=1):
        row = (
            n,
            item.id,
            item.title,
            item.priority,
            item.score,
            item.effort,
            item.owner_role,
            item.owner,
            item.due,
            item.suggested_due,
            item.status,
            " ".join(item.findings),
            " ".join(item.requirements),
            " | ".join(item.steps),
            item.notes,
        )
        writer.writerow([csv_safe(v) for v in row])
    return out.getvalue()


def docx_context(plan: ActionPlan) -> dict[str, Any]:
    """The values the action-plan template prints (plain strings; the renderer escapes them)."""
    organisation, regimes = plan.organisation, plan.regimes
    return {
        "organisation": organisation or "(organisation not named)",
        "draft_notice": DRAFT_NOTICE,
        "start": plan.start.isoformat(),
        "regimes": ", ".join(REGIME_NAMES.get(r, r) for r in regimes) or "none determined yet",
        "count": str(len(plan.items)),
        "items": [
            {
                "number": str(n),
                "title": item.title,
                "priority": item.priority,
                "effort": EFFORTS.get(item.effort, item.effort),
                "owner": item.owner or "—",
                "owner_role": item.owner_role,
                "due": item.due,
                "status": STATUSES.get(item.status, item.status),
                "fixes": "; ".join(f"{r} {t}" for r, t in zip(item.findings, item.finding_titles, strict=True)),
                "requirements": ", ".join(item.requirements),
                "notes": item.notes,
                "steps": list(item.steps),
            }
            for n, item in enumerate(plan.items, start=1)
        ],
    }


def to_docx(plan: ActionPlan, template: Path = ACTION_PLAN_TEMPLATE) -> bytes:
    """The action plan as a Word document (byte-reproducible for the same plan)."""
    from .docx_render import make_reproducible, render_template

    data = render_template(template, docx_context(plan))
    return make_reproducible(data, title="Privacy action plan", subject=plan.organisation)
