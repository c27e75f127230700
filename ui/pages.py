"""The app's pages, declared once: ``app.py`` navigates over them, pages link to each other with them."""

from __future__ import annotations

from dataclasses import dataclass

from dpakit import default_questionnaire


@dataclass(frozen=True)
class PageSpec:
    path: str
    title: str
    icon: str
    url_path: str


START = PageSpec("views/start.py", "Start", ":material/home:", "start")
REVIEW = PageSpec("views/review_answers.py", "Review your answers", ":material/checklist:", "review")
DOCUMENTS = PageSpec("views/documents.py", "Documents", ":material/description:", "documents")
RESULTS = PageSpec("views/results.py", "Results", ":material/monitoring:", "results")
ACTION_PLAN = PageSpec("views/action_plan.py", "Action plan", ":material/task_alt:", "action-plan")
HOW_WE_SCORE = PageSpec("views/how_we_score.py", "How we score", ":material/help:", "how-we-score")
WORKSPACE = PageSpec("views/workspace.py", "Organisations", ":material/business_center:", "workspace")
COMPARE = PageSpec("views/compare.py", "Compare versions", ":material/difference:", "compare")
AUDIT_LOG = PageSpec("views/audit_log.py", "Change log", ":material/history:", "audit-log")
WORKSHOP = PageSpec("views/workshop.py", "Workshop mode", ":material/co_present:", "workshop")
WORKSPACE_PAGES = (WORKSPACE, WORKSHOP, COMPARE, AUDIT_LOG)
REVIEW_DPA = PageSpec("views/review_dpa.py", "Review a DPA", ":material/fact_check:", "review-dpa")
TOOLS_PAGES = (REVIEW_DPA,)


def section_pages() -> list[PageSpec]:
    """One wizard page per questionnaire section, in order (file ``views/section_<id>.py``)."""
    return [
        PageSpec(f"views/section_{s.id}.py", s.title, s.icon or ":material/edit_note:", s.id)
        for s in default_questionnaire().sections
    ]


def section_page(section_id: str) -> PageSpec:
    for spec in section_pages():
        if spec.url_path == section_id:
            return spec
    raise KeyError(section_id)


def resume_page(section_id: str | None) -> PageSpec:
    """The page to continue an assessment on: its last section, or the first one when it has none or the
    saved one is not a section this dpakit has (a record from elsewhere, an older version)."""
    if section_id:
        try:
            return section_page(section_id)
        except KeyError:
            pass
    return section_pages()[0]
