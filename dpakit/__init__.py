"""dpakit: privacy house-keeping for organisations that use a CRM.

The public API, in the order of the spine: answers → regimes and transfers → requirements → risk
findings and clauses → documents, scores and review reports. Pages and the command line import from
here. Names are loaded on first use (PEP 562), so ``import dpakit`` stays cheap for the command line.

    >>> from dpakit import load_example, analyse, score
    >>> report = score(analyse(load_example("fynbos")))
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

_EXPORTS: dict[str, str] = {
    # answers and questions
    "Answers": "models",
    "SCHEMA_VERSION": "models",
    "dump_answers": "answers_file",
    "parse_answers": "answers_file",
    "load_example": "examples",
    "list_examples": "examples",
    "default_questionnaire": "questionnaire",
    "progress": "questionnaire",
    # the condition language
    "evaluate": "conditions",
    "parse_condition": "conditions",
    # analysis
    "Analysis": "analysis",
    "analyse": "analysis",
    "determine_regimes": "regimes",
    "analyse_transfers": "transfers",
    "load_catalogue": "requirements",
    "load_vendors": "vendors",
    # risk and plan
    "RiskReport": "risk",
    "score": "risk",
    "load_rules": "risk",
    "action_plan": "actions",
    "deadline_cards": "deadlines",
    # drafting
    "load_library": "clauses",
    "select_clauses": "clauses",
    "coverage": "coverage",
    "draft_dpa": "drafting",
    "draft_batch": "batch",
    # review
    "read_document": "document_text",
    "review_document": "review",
    # storage and the consultant workspace
    "Store": "store",
    "ScopedStore": "access",
    "Viewer": "access",
    "export_organisation": "workspace",
    "import_organisation": "workspace",
    "compare": "workspace",
    "redline": "redline",
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
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'dpakit' has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
