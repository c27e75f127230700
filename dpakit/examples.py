"""The example organisations: complete answers files for the demo, the documentation and golden tests.

Each example is a JSON answers file in ``dpakit/data/examples/<id>.json`` (the format a user exports),
describing one of the fictional organisations of the shared brief. They are validated when loaded: a
broken example file is a content error, an unknown example name is the user's (``InputError``).
"""

from __future__ import annotations

import json

from pydantic import ValidationError

from .answers_file import dump_answers
from .content import DATA_DIR, display_path, format_validation_error
from .errors import ContentError, InputError
from .models import Answers

EXAMPLES_DIR = DATA_DIR / "examples"

EXAMPLES: dict[str, tuple[str, str]] = {
    "fynbos": (
        "Fynbos Coffee Roasters (Pty) Ltd",
        "Cape Town coffee roaster and online shop on HubSpot (US hosting); a local agency runs its newsletters. "
        "South Africa's POPIA.",
    ),
    "nordlicht": (
        "Nordlicht Software GmbH",
        "Munich SaaS company on Salesforce (EU hosting) with a US lead-generation contractor and lead scoring. "
        "EU and UK GDPR, transfers to the US.",
    ),
    "golden_state": (
        "Golden State Outfitters Inc.",
        "San Diego retailer on Zoho CRM with 300,000 California customers, ad-network sharing and a support "
        "outsourcer. California CCPA/CPRA.",
    ),
    "brightwave": (
        "Brightwave Digital Ltd",
        "Manchester marketing agency working in its clients' HubSpot as a processor, with sub-processors in "
        "Ireland and the US. UK and EU GDPR.",
    ),
}
"""Example id → (organisation name, one-line description), in display order."""


def list_examples() -> list[tuple[str, str, str]]:
    """``(id, organisation name, description)`` for every example, in display order."""
    return [(key, name, description) for key, (name, description) in EXAMPLES.items()]


def load_example(name: str) -> Answers:
    """The answers of example ``name``; an unknown name raises ``InputError`` listing the valid ones."""
    if name not in EXAMPLES:
        raise InputError(f"no example called {name!r}; choose one of: {', '.join(EXAMPLES)}")
    path = EXAMPLES_DIR / f"{name}.json"
    file = display_path(path)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ContentError(file, "example file not found") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ContentError(file, f"not valid JSON: {exc}") from None
    try:
        return Answers.model_validate(raw)
    except ValidationError as exc:
        raise ContentError(file, format_validation_error(exc)) from None


def example_json(name: str) -> str:
    """Example ``name`` as an answers file: indented JSON in model key order, ending in a newline."""
    return dump_answers(load_example(name))
