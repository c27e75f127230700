"""dpakit: privacy house-keeping for organisations that use a CRM.

The public API, in the order of the spine: answers → regimes and transfers → requirements → risk
findings and clauses → documents, scores and review reports. Pages and the command line import from
here. Names are loaded on first use (PEP 562), so ``import dpakit`` stays cheap for the command line.
No exported name is also the name of a submodule: after ``import dpakit.workspace.redline`` the attribute
``dpakit.workspace.redline`` *is* that module, so an export of the same name would return a module or a function
depending on what was imported first (the functions are exported as ``term_coverage`` and ``redline_docx``).

    >>> from dpakit import load_example, analyse, score
    >>> report = score(analyse(load_example("fynbos")))
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# What type checkers and editors see: the same names from the same places, kept equal to ``_EXPORTS`` by
# tests/test_public_api.py. At run time nothing is imported until a name is used (``__getattr__``).
# ruff: noqa: F401 (these imports are the re-exports; ``__all__`` is computed, so ruff cannot tell)
if TYPE_CHECKING:
    from .actions import EFFORTS as ACTION_EFFORTS
    from .actions import STATUSES as ACTION_STATUSES
    from .actions import action_plan
    from .actions import to_csv as action_plan_csv
    from .actions import to_docx as action_plan_docx
    from .actions import to_markdown as action_plan_markdown
    from .analysis import Analysis, analyse
    from .answers_file import dump_answers, parse_answers
    from .checks import answer_problems, run_checks
    from .conditions import evaluate, parse_condition
    from .deadlines import TOPICS as DEADLINE_TOPICS
    from .deadlines import deadline_cards
    from .docx_render import ConverterMissing, convert_to_pdf, soffice_path
    from .drafting.annexes import missing_measures
    from .drafting.batch import batch_summary, draft_batch, export_documents
    from .drafting.clauses import load_library, select_clauses
    from .drafting.coverage import coverage as term_coverage
    from .drafting.draft import draft_dpa, included_clauses
    from .drafting.draft import plan as plan_dpa
    from .errors import (
        AnswersFileError,
        ContentError,
        CoverageGap,
        DocumentInputError,
        DpakitError,
        DraftingError,
        Forbidden,
        InputError,
        NotFound,
        StoreError,
    )
    from .examples import example_json, list_examples, load_example
    from .jurisdictions import countries
    from .models import SCHEMA_VERSION, Answers, agreement_path, dpa_file_name
    from .questionnaire import (
        Progress,
        Question,
        answer_text,
        default_questionnaire,
        is_visible,
        progress,
        question_facts,
    )
    from .regimes import determine_regimes
    from .requirements import REGIME_NAMES, load_catalogue
    from .review.detection import REVIEW_REGIMES
    from .review.reading import read_document, read_path, read_text
    from .review.report import DISCLAIMER as REVIEW_DISCLAIMER
    from .review.report import STATUS_LABELS as REVIEW_STATUS_LABELS
    from .review.report import STATUSES as REVIEW_STATUSES
    from .review.report import (
        ReviewReport,
        parse_regimes,
        review_document,
        review_docx,
        review_json,
        review_markdown,
        review_text,
        role_sentence,
    )
    from .risk import AREAS as RISK_AREAS
    from .risk import METHOD as SCORING_METHOD
    from .risk import RiskReport, full_report, heatmap_cells, load_rules, report_text, rule_regimes, score, severity_of
    from .transfers import analyse_transfers
    from .vendors import load_vendors, prefill_source
    from .workspace.access import ScopedStore, Viewer, admins_from_env, hosted_from_env
    from .workspace.archive import (
        audit_csv,
        compare,
        export_filename,
        export_organisation,
        import_organisation,
        question_label,
        value_text,
    )
    from .workspace.records import ROLES as MEMBER_ROLES
    from .workspace.redline import redline as redline_docx
    from .workspace.store import Assessment, Store

# exported name -> submodule, or (submodule, attribute) where the two names differ
_EXPORTS: dict[str, str | tuple[str, str]] = {
    # answers and questions
    "Answers": "models",
    "SCHEMA_VERSION": "models",
    "agreement_path": "models",
    "dpa_file_name": "models",
    "answer_problems": "checks",
    "dump_answers": "answers_file",
    "parse_answers": "answers_file",
    "load_example": "examples",
    "list_examples": "examples",
    "example_json": "examples",
    "default_questionnaire": "questionnaire",
    "Question": "questionnaire",
    "is_visible": "questionnaire",
    "answer_text": "questionnaire",
    "progress": "questionnaire",
    "Progress": "questionnaire",
    "question_facts": "questionnaire",
    "countries": "jurisdictions",
    # where a pre-filled answer came from (the vendor fact), while it still has the pre-filled value
    "prefill_source": "vendors",
    # the condition language
    "evaluate": "conditions",
    "parse_condition": "conditions",
    # analysis
    "Analysis": "analysis",
    "analyse": "analysis",
    "determine_regimes": "regimes",
    "REGIME_NAMES": "requirements",
    "analyse_transfers": "transfers",
    "load_catalogue": "requirements",
    "load_vendors": "vendors",
    # risk and plan (the risk report as data and text; the action plan and its three exports)
    "RiskReport": "risk",
    "score": "risk",
    "load_rules": "risk",
    "RISK_AREAS": ("risk", "AREAS"),
    "SCORING_METHOD": ("risk", "METHOD"),
    "severity_of": "risk",
    "rule_regimes": "risk",
    "heatmap_cells": "risk",
    "full_report": "risk",
    "report_text": "risk",
    "action_plan": "actions",
    "ACTION_STATUSES": ("actions", "STATUSES"),
    "ACTION_EFFORTS": ("actions", "EFFORTS"),
    "action_plan_csv": ("actions", "to_csv"),
    "action_plan_docx": ("actions", "to_docx"),
    "action_plan_markdown": ("actions", "to_markdown"),
    "deadline_cards": "deadlines",
    "DEADLINE_TOPICS": ("deadlines", "TOPICS"),
    # drafting (plan_dpa: the clause selection and coverage a draft would have, without rendering it)
    "load_library": "drafting.clauses",
    "select_clauses": "drafting.clauses",
    "term_coverage": ("drafting.coverage", "coverage"),
    "plan_dpa": ("drafting.draft", "plan"),
    "included_clauses": "drafting.draft",
    "missing_measures": "drafting.annexes",
    "draft_dpa": "drafting.draft",
    "export_documents": "drafting.batch",
    "draft_batch": "drafting.batch",
    "batch_summary": "drafting.batch",
    # PDF from DOCX through LibreOffice (soffice_path is None when it is not installed)
    "convert_to_pdf": "docx_render",
    "soffice_path": "docx_render",
    "ConverterMissing": "docx_render",
    # review of an existing DPA: reading it, the report and its formats
    "read_document": "review.reading",
    "read_path": "review.reading",
    "read_text": "review.reading",
    "review_document": "review.report",
    "ReviewReport": "review.report",
    "REVIEW_REGIMES": "review.detection",
    "REVIEW_STATUSES": ("review.report", "STATUSES"),
    "REVIEW_STATUS_LABELS": ("review.report", "STATUS_LABELS"),
    "REVIEW_DISCLAIMER": ("review.report", "DISCLAIMER"),
    "parse_regimes": "review.report",
    "role_sentence": "review.report",
    "review_docx": "review.report",
    "review_json": "review.report",
    "review_markdown": "review.report",
    "review_text": "review.report",
    # storage and the consultant workspace (hosting switches read from the environment; the change log)
    "Store": "workspace.store",
    "Assessment": "workspace.store",
    "MEMBER_ROLES": ("workspace.records", "ROLES"),
    "ScopedStore": "workspace.access",
    "Viewer": "workspace.access",
    "hosted_from_env": "workspace.access",
    "admins_from_env": "workspace.access",
    "export_organisation": "workspace.archive",
    "import_organisation": "workspace.archive",
    "export_filename": "workspace.archive",
    "compare": "workspace.archive",
    "audit_csv": "workspace.archive",
    "question_label": "workspace.archive",
    "value_text": "workspace.archive",
    "redline_docx": ("workspace.redline", "redline"),
    # content checks (``python -m dpakit check``)
    "run_checks": "checks",
    # errors
    "DpakitError": "errors",
    "ContentError": "errors",
    "InputError": "errors",
    "AnswersFileError": "errors",
    "DocumentInputError": "errors",
    "StoreError": "errors",
    "NotFound": "errors",
    "Forbidden": "errors",
    "DraftingError": "errors",
    "CoverageGap": "errors",
}

__all__ = sorted([*_EXPORTS, "__version__"])


def __getattr__(name: str) -> Any:
    target = _EXPORTS.get(name)
    if target is None:
        raise AttributeError(f"module 'dpakit' has no attribute {name!r}")
    module, attribute = target if isinstance(target, tuple) else (target, name)
    value = getattr(import_module(f".{module}", __name__), attribute)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
