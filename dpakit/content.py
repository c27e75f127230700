"""The only reader of content files (questions, requirements, rules, vendors, regimes, clauses).

Content is data that lawyers and consultants may edit; it is validated when it is read, and every
problem is reported as a ``ContentError`` that names the file and the item.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from .errors import ContentError

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = PACKAGE_DIR / "data"
PROJECT_DIR = PACKAGE_DIR.parent
CLAUSES_DIR = PROJECT_DIR / "clauses"
TEMPLATES_DIR = PROJECT_DIR / "templates"

M = TypeVar("M", bound=BaseModel)


def display_path(path: Path) -> str:
    """A path as a content author recognises it: relative to the project where possible."""
    try:
        return str(path.resolve().relative_to(PROJECT_DIR))
    except ValueError:
        return str(path)


def read_toml(path: Path) -> dict[str, Any]:
    """Parse one TOML file; any error becomes a ContentError naming the file."""
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise ContentError(display_path(path), "file not found") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ContentError(display_path(path), f"not valid TOML: {exc}") from None


def parse_toml_text(text: str, source: str) -> dict[str, Any]:
    """Parse TOML held in a string (e.g. clause front matter); errors name ``source``."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ContentError(source, f"not valid TOML: {exc}") from None


def format_validation_error(exc: ValidationError) -> str:
    """One line per problem: ``location: message``."""
    parts = []
    for err in exc.errors(include_url=False):
        loc = ".".join(str(p) for p in err["loc"]) or "(top level)"
        parts.append(f"{loc}: {err['msg']}")
    return "; ".join(parts)


def validate_item(model: type[M], data: Any, file: str, item: str | None = None) -> M:
    """Validate ``data`` as ``model``; a failure becomes a ContentError naming file and item."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ContentError(file, format_validation_error(exc), item) from None


def toml_files(folder: Path) -> list[Path]:
    """The ``*.toml`` files of a folder, in a stable order."""
    return sorted(p for p in folder.glob("*.toml") if p.is_file())


def ensure_unique(ids: Iterable[tuple[str, str]], what: str) -> None:
    """Raise a ContentError for the first id that appears twice; ``ids`` is (id, file) pairs."""
    seen: dict[str, str] = {}
    for ident, file in ids:
        if ident in seen:
            raise ContentError(file, f"duplicate {what} id (also in {seen[ident]})", ident)
        seen[ident] = file
