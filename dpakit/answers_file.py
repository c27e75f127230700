"""Answers files: the portable JSON a user exports, keeps, e-mails and imports again.

The file is the answers model as JSON with its ``schema_version``. Reading one never trusts it: size,
JSON syntax, shape, version and every value are checked, and a problem becomes an ``AnswersFileError``
whose message says what is wrong and what to do. Older schema versions are upgraded here, in one
place, so files keep working across releases.
"""

from __future__ import annotations

import hashlib
import json

from pydantic import ValidationError

from .errors import AnswersFileError
from .models import SCHEMA_VERSION, UPGRADES, Answers

MAX_FILE_BYTES = 2_000_000
"""An answers file is a few kilobytes; anything near this size is not one."""


__all__ = ["MAX_FILE_BYTES", "UPGRADES", "answers_sha256", "describe_errors", "dump_answers", "parse_answers"]


def answers_sha256(answers: Answers) -> str:
    """SHA-256 of the answers in canonical JSON (sorted keys, no spaces): the digest a stored document,
    a batch manifest and an organisation record carry, so each can say which answers it was made from."""
    canonical = json.dumps(answers.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def dump_answers(answers: Answers) -> str:
    """Stable, human-readable JSON (same answers → same bytes)."""
    return json.dumps(answers.model_dump(mode="json"), indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def parse_answers(data: bytes | str, name: str = "the file") -> Answers:
    """Read an answers file; raise ``AnswersFileError`` with a clear reason if it is not usable."""
    size = len(data.encode() if isinstance(data, str) else data)
    if size == 0:
        raise AnswersFileError(f"{name} is empty; export an answers file from dpakit and try again")
    if size > MAX_FILE_BYTES:
        raise AnswersFileError(
            f"{name} is {size / 1_000_000:.1f} MB; an answers file is at most {MAX_FILE_BYTES // 1_000_000} MB"
        )
    try:
        text = data.decode("utf-8-sig") if isinstance(data, bytes) else data
        raw = json.loads(text)
    except UnicodeDecodeError:
        raise AnswersFileError(f"{name} is not a text file; choose the .json file dpakit exported") from None
    except json.JSONDecodeError as exc:
        raise AnswersFileError(f"{name} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
    except RecursionError:
        raise AnswersFileError(f"{name} nests lists or objects too deeply to be an answers file") from None
    except ValueError as exc:  # e.g. a number of more than 4,300 digits (Python's int_max_str_digits)
        raise AnswersFileError(f"{name} is not usable JSON ({str(exc)[:120]})") from None
    if not isinstance(raw, dict):
        raise AnswersFileError(f"{name} does not hold a set of answers (expected a JSON object)")
    version = raw.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise AnswersFileError(f"{name} has no schema_version; it does not look like a dpakit answers file")
    if version > SCHEMA_VERSION:
        raise AnswersFileError(
            f"{name} was written by a newer dpakit (schema version {version}); this one reads up to "
            f"version {SCHEMA_VERSION}. Update dpakit to import it."
        )
    while version < SCHEMA_VERSION:
        upgrade = UPGRADES.get(version)
        if upgrade is None:
            raise AnswersFileError(f"{name} has schema version {version}, which this dpakit cannot read")
        raw = upgrade(raw)
        version = raw["schema_version"]
    try:
        return Answers.model_validate(raw)
    except ValidationError as exc:
        raise AnswersFileError(f"{name} has invalid answers: {describe_errors(exc)}") from None


def describe_errors(exc: ValidationError, limit: int = 5) -> str:
    """``section.field: problem`` for the first few problems, and how many more there are."""
    errors = exc.errors(include_url=False)
    parts = []
    for err in errors[:limit]:
        loc = ".".join(str(p) for p in err["loc"])
        msg = err["msg"]
        if err["type"] == "extra_forbidden":
            msg = "not a dpakit answer field"
        parts.append(f"{loc}: {msg}")
    more = len(errors) - limit
    return "; ".join(parts) + (f"; and {more} more" if more > 0 else "")
