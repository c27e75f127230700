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
from typing import Any

__version__ = "0.1.0"

# exported name -> submodule, or (submodule, attribute) where the two names differ
_EXPORTS: dict[str, str | tuple[str, str]] = {
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
    "load_library": "drafting.clauses",
    "select_clauses": "drafting.clauses",
    "term_coverage": ("drafting.coverage", "coverage"),
    "draft_dpa": "drafting.draft",
    "draft_batch": "drafting.batch",
    # review
    "read_document": "review.reading",
    "review_document": "review.report",
    # storage and the consultant workspace
    "Store": "workspace.store",
    "ScopedStore": "workspace.access",
    "Viewer": "workspace.access",
    "export_organisation": "workspace.archive",
    "import_organisation": "workspace.archive",
    "compare": "workspace.archive",
    "redline_docx": ("workspace.redline", "redline"),
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
