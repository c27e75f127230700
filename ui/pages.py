"""The app's pages, declared once: ``app.py`` navigates over them, pages link to each other with them."""

from __future__ import annotations

from dataclasses import dataclass

from dpakit.questionnaire import default_questionnaire


@dataclass(frozen=True)
class PageSpec:
    path: str
    title: str
    icon: str
    url_path: str


START = PageSpec("pages/start.py", "Start", ":material/home:", "start")
REVIEW = PageSpec("pages/review_answers.py", "Review your answers", ":material/checklist:", "review")
DOCUMENTS = PageSpec("pages/documents.py", "Documents", ":material/description:", "documents")
RESULTS = PageSpec("pages/results.py", "Results", ":material/monitoring:", "results")
ACTION_PLAN = PageSpec("pages/action_plan.py", "Action plan", ":material/task_alt:", "action-plan")
HOW_WE_SCORE = PageSpec("pages/how_we_score.py", "How we score", ":material/help:", "how-we-score")
WORKSPACE = PageSpec("pages/workspace.py", "Organisations", ":material/business_center:", "workspace")
COMPARE = PageSpec("pages/compare.py", "Compare versions", ":material/difference:", "compare")
AUDIT_LOG = PageSpec("pages/audit_log.py", "Change log", ":material/history:", "audit-log")
WORKSHOP = PageSpec("pages/workshop.py", "Workshop mode", ":material/co_present:", "workshop")
WORKSPACE_PAGES = (WORKSPACE, WORKSHOP, COMPARE, AUDIT_LOG)
REVIEW_DPA = PageSpec("pages/review_dpa.py", "Review a DPA", ":material/fact_check:", "review-dpa")
TOOLS_PAGES = (REVIEW_DPA,)


def section_pages() -> list[PageSpec]:
    """One wizard page per questionnaire section, in order (file ``pages/section_<id>.py``)."""
    return [
        PageSpec(f"pages/section_{s.id}.py", s.title, s.icon or ":material/edit_note:", s.id)
        for s in default_questionnaire().sections
    ]


def section_page(section_id: str) -> PageSpec:
    for spec in section_pages():
        if spec.url_path == section_id:
            return spec
    raise KeyError(section_id)
