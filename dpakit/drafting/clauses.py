"""The clause library: one Markdown file per clause with TOML front matter, validated at load.

A clause file is ``clauses/<section>/<id>.md``::

    +++
    id = "confidentiality"
    title = "Confidentiality"
    section = "core"
    order = 50
    requirements = ["GDPR-28-3-b"]
    regimes = ["eu_gdpr", "uk_gdpr"]
    version = "1.0.0"
    last_reviewed = 2026-11-29
    drafting_note = "Why the clause exists and what a lawyer may adjust."
    +++
    The Processor shall ensure that ... [[breach_notice_hours]] hours ...

The body is a restricted Markdown subset (paragraphs, ``**bold**``, ``*italic*``, ordered and bullet lists
nested up to three levels, ``[[placeholder]]``s). It is parsed *here*, once, into typed blocks and runs;
a placeholder becomes a run of its own with empty text, and its value is inserted later, by the DOCX
layer, as literal text — a user's value is never parsed as Markdown. Anything outside the subset
(headings, HTML, links, images, code, tables, block quotes, rules, hard breaks) fails closed with a
``ContentError`` naming the file and the clause. ``clauses/README.md`` documents the format.

Selection: ``select_clauses(facts, library)`` keeps the clauses whose ``when`` condition holds (a clause
without ``when`` always applies), in document order, numbered, each with the ``Verdict`` that says why.

Document order and numbering:

* ``core`` then ``final`` clauses form the body of the DPA, numbered ``"1"``, ``"2"``, … continuously
  (the general clauses of ``final`` come last in the body, before the signatures);
* then the schedules present, in the order of ``SECTIONS``; schedules are numbered 1, 2, … *in the order
  they appear in this document* (a DPA with only the POPIA schedule has "Schedule 1 — South Africa
  (POPIA)"), and their clauses are numbered ``"1"``, ``"2"``, … within each schedule.
  ``SelectedClause.schedule`` holds the schedule number and ``SelectedClause.section_heading`` the
  heading ("Schedule 1 — EU international transfers"). Clause bodies refer to schedules by name, never by
  number, so they read correctly whichever schedules are present.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from markdown_it import MarkdownIt
from markdown_it.token import Token
from pydantic import BaseModel, ConfigDict, Field, field_validator

from ..conditions import Condition, Verdict, evaluate, parse_condition, referenced_fields
from ..content import CLAUSES_DIR, display_path, ensure_unique, parse_toml_text, validate_item
from ..errors import ContentError, DpakitError
from .placeholders import PLACEHOLDER_RE, PLACEHOLDERS

__all__ = [
    "SECTIONS",
    "SCHEDULE_SECTIONS",
    "Block",
    "Clause",
    "ClauseLibrary",
    "Run",
    "SelectedClause",
    "load_library",
    "parse_body",
    "parse_clause_text",
    "select_clauses",
]

SectionId = Literal["core", "final", "schedule_eu_scc", "schedule_uk", "schedule_ccpa", "schedule_popia"]

SECTIONS: dict[str, str] = {
    "core": "Terms",
    "final": "General",
    "schedule_eu_scc": "EU international transfers",
    "schedule_uk": "UK international transfers",
    "schedule_ccpa": "California (CCPA/CPRA)",
    "schedule_popia": "South Africa (POPIA)",
}
"""Section ids in document order, with their display titles (schedules get "Schedule N — " in front)."""

BODY_SECTIONS: tuple[str, ...] = ("core", "final")
SCHEDULE_SECTIONS: tuple[str, ...] = tuple(s for s in SECTIONS if s.startswith("schedule_"))

MAX_LIST_DEPTH = 3
FRONT_MATTER = re.compile(r"\A\+\+\+[ \t]*\r?\n(.*?)\r?\n\+\+\+[ \t]*(?:\r?\n|\Z)(.*)\Z", re.DOTALL)
VERSION_RE = r"^\d+\.\d+\.\d+$"
ID_RE = r"^[a-z0-9]+(-[a-z0-9]+)*$"

# --- the typed body ------------------------------------------------------------------------------


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Run(_Frozen):
    """A stretch of text with one formatting; a placeholder run has ``placeholder`` set and no text."""

    text: str = ""
    bold: bool = False
    italic: bool = False
    placeholder: str | None = None


class Block(_Frozen):
    """A paragraph (``level`` 0) or a list item (``level`` 1–3; ``ordered`` says numbered or bulleted)."""

    kind: Literal["paragraph", "list_item"]
    level: int = Field(ge=0, le=MAX_LIST_DEPTH)
    ordered: bool = False
    runs: tuple[Run, ...]

    @property
    def text(self) -> str:
        """The block's text with placeholders shown as ``[[name]]`` (for search, review and tests)."""
        return "".join(f"[[{r.placeholder}]]" if r.placeholder else r.text for r in self.runs)


class Clause(_Frozen):
    """One clause: its front matter, its Markdown body and the parsed blocks."""

    id: str = Field(pattern=ID_RE)
    title: str = Field(min_length=1)
    section: SectionId
    order: int = Field(ge=0)
    when: Condition | None = None
    requirements: tuple[str, ...] = Field(min_length=1)
    regimes: tuple[str, ...] = Field(min_length=1)
    version: str = Field(pattern=VERSION_RE)
    last_reviewed: datetime.date
    drafting_note: str = Field(min_length=1)
    defines: tuple[str, ...] = ()
    body: str
    blocks: tuple[Block, ...]
    file: str

    @field_validator("requirements", "regimes", "defines")
    @classmethod
    def _no_repeats(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if len(set(value)) != len(value):
            raise ValueError("an entry is listed twice")
        return value

    @property
    def placeholders(self) -> list[str]:
        """The placeholder names the body uses, in order of first use."""
        return list(dict.fromkeys(r.placeholder for b in self.blocks for r in b.runs if r.placeholder))

    @property
    def text(self) -> str:
        """The body as plain text, one block per line, placeholders as ``[[name]]``."""
        return "\n".join(b.text for b in self.blocks)


class ClauseLibrary(_Frozen):
    """Every clause, in document order (section, then order), and the library's content hash."""

    clauses: tuple[Clause, ...]
    version: str

    def get(self, clause_id: str) -> Clause:
        for clause in self.clauses:
            if clause.id == clause_id:
                return clause
        raise KeyError(f"no clause with id {clause_id!r}")

    def ids(self) -> list[str]:
        return [c.id for c in self.clauses]

    def __len__(self) -> int:
        return len(self.clauses)

    def without(self, *clause_ids: str) -> ClauseLibrary:
        """A copy without the named clauses (for coverage tests and 'what if' checks)."""
        unknown = [i for i in clause_ids if i not in self.ids()]
        if unknown:
            raise KeyError(f"no clause with id(s) {unknown}")
        kept = tuple(c for c in self.clauses if c.id not in clause_ids)
        return ClauseLibrary(clauses=kept, version=self.version + "-minus-" + "-".join(sorted(clause_ids)))


# --- parsing the body ----------------------------------------------------------------------------


def _markdown() -> MarkdownIt:
    # Tables and strikethrough are switched on only so that they are *recognised* and refused.
    # ``typographer`` with only smart quotes turns straight quotes into typographic ones; the other
    # replacements are left off because they would turn a list reference like "(c)" into a symbol.
    md = MarkdownIt("commonmark", {"html": False, "typographer": True})
    md.enable(["table", "strikethrough", "smartquotes"])
    return md


_MD = _markdown()
_MD_HTML = MarkdownIt("commonmark", {"html": True})

_FORBIDDEN_BLOCKS = {
    "heading_open": "headings",
    "blockquote_open": "block quotes",
    "code_block": "code blocks (lines indented by four spaces outside a list)",
    "fence": "code blocks",
    "hr": "horizontal rules",
    "table_open": "tables",
    "html_block": "HTML",
}
_FORBIDDEN_INLINE = {
    "link_open": "links",
    "image": "images",
    "code_inline": "inline code",
    "html_inline": "HTML",
    "hardbreak": "hard line breaks (end the paragraph instead)",
    "s_open": "strikethrough",
}


def parse_body(body: str, file: str = "<text>", clause_id: str | None = None) -> tuple[Block, ...]:
    """Parse a clause body into blocks; anything outside the restricted subset raises ``ContentError``."""

    def fail(message: str) -> ContentError:
        return ContentError(file, message, clause_id)

    for token in _walk(_MD_HTML.parse(body)):
        if token.type in ("html_block", "html_inline"):
            raise fail(f"HTML is not allowed in a clause body: {token.content.strip()[:60]!r}")
    env: dict[str, Any] = {}
    tokens = _MD.parse(body, env)
    if env.get("references"):
        raise fail("link reference definitions are not allowed in a clause body")

    blocks: list[Block] = []
    lists: list[bool] = []  # open lists, innermost last: True = ordered
    item_has_text: list[bool] = []
    for token in tokens:
        kind = token.type
        if kind in _FORBIDDEN_BLOCKS:
            raise fail(f"{_FORBIDDEN_BLOCKS[kind]} are not allowed in a clause body (line {_line(token)})")
        if kind in ("ordered_list_open", "bullet_list_open"):
            if len(lists) == MAX_LIST_DEPTH:
                raise fail(f"lists may be nested at most {MAX_LIST_DEPTH} levels deep (line {_line(token)})")
            start = token.attrGet("start")
            if start not in (None, 1, "1"):
                raise fail(f"a numbered list must start at 1 (line {_line(token)}); numbering is automatic")
            lists.append(kind == "ordered_list_open")
        elif kind in ("ordered_list_close", "bullet_list_close"):
            lists.pop()
        elif kind == "list_item_open":
            item_has_text.append(False)
        elif kind == "list_item_close":
            if not item_has_text.pop():
                raise fail(f"empty list item (line {_line(token)})")
        elif kind == "inline":
            runs = _runs(token, fail)
            if lists:
                if item_has_text[-1]:
                    raise fail(f"a list item may hold only one paragraph (line {_line(token)})")
                item_has_text[-1] = True
                blocks.append(Block(kind="list_item", level=len(lists), ordered=lists[-1], runs=runs))
            else:
                blocks.append(Block(kind="paragraph", level=0, ordered=False, runs=runs))
        elif kind in ("paragraph_open", "paragraph_close"):
            continue
        else:  # pragma: no cover - every CommonMark block token is handled above
            raise fail(f"unsupported Markdown element {kind!r}")
    if not blocks:
        raise fail("the clause body is empty")
    return tuple(blocks)


def _walk(tokens: list[Token]):
    for token in tokens:
        yield token
        if token.children:
            yield from _walk(token.children)


def _line(token: Token) -> int:
    return token.map[0] + 1 if token.map else 0


def _runs(inline: Token, fail) -> tuple[Run, ...]:
    bold = italic = False
    runs: list[Run] = []
    for child in inline.children or []:
        kind = child.type
        if kind in _FORBIDDEN_INLINE:
            raise fail(f"{_FORBIDDEN_INLINE[kind]} are not allowed in a clause body (line {_line(inline)})")
        if kind == "strong_open":
            bold = True
        elif kind == "strong_close":
            bold = False
        elif kind == "em_open":
            italic = True
        elif kind == "em_close":
            italic = False
        elif kind == "softbreak":
            runs.append(Run(text=" ", bold=bold, italic=italic))
        elif kind == "text":
            runs.extend(_split_placeholders(child.content, bold, italic, fail, _line(inline)))
        else:
            raise fail(f"unsupported Markdown element {kind!r} (line {_line(inline)})")
    return _merge(runs)


def _split_placeholders(text: str, bold: bool, italic: bool, fail, line: int) -> list[Run]:
    runs: list[Run] = []
    pos = 0
    for match in PLACEHOLDER_RE.finditer(text):
        if match.start() > pos:
            runs.append(Run(text=text[pos : match.start()], bold=bold, italic=italic))
        name = match.group(1)
        if name not in PLACEHOLDERS:
            raise fail(
                f"unknown placeholder [[{name}]] (line {line}); the vocabulary is in dpakit/drafting/placeholders.py"
            )
        runs.append(Run(text="", bold=bold, italic=italic, placeholder=name))
        pos = match.end()
    if pos < len(text):
        runs.append(Run(text=text[pos:], bold=bold, italic=italic))
    for run in runs:
        if run.placeholder is None and ("[[" in run.text or "]]" in run.text):
            raise fail(f"malformed placeholder in {run.text.strip()[:60]!r} (line {line}); write [[name]]")
    return runs


def _merge(runs: list[Run]) -> tuple[Run, ...]:
    merged: list[Run] = []
    for run in runs:
        prev = merged[-1] if merged else None
        if (
            prev is not None
            and run.placeholder is None
            and prev.placeholder is None
            and (prev.bold, prev.italic) == (run.bold, run.italic)
        ):
            merged[-1] = Run(text=prev.text + run.text, bold=run.bold, italic=run.italic)
        else:
            merged.append(run)
    return tuple(merged)


# --- reading clause files --------------------------------------------------------------------------


def _known_fields() -> set[str]:
    from ..models import field_paths

    try:
        from ..facts import fact_keys

        derived = set(fact_keys())
    except (ImportError, ContentError):  # pragma: no cover - while dpakit/facts.py is being written
        derived = set(_DERIVED_FACTS_FALLBACK)
    return set(field_paths()) | derived


_DERIVED_FACTS_FALLBACK = (
    "regimes",
    "role.controller",
    "role.processor",
    "transfer.eu_scc",
    "transfer.uk_addendum",
    "transfer.uk_idta",
    "transfer.dpf",
    "transfer.popia_72",
    "transfer.scc_modules",
    "data.special",
)


def parse_clause_text(
    text: str,
    file: str,
    *,
    known_fields: set[str] | None = None,
    known_requirements: set[str] | None = None,
) -> Clause:
    """Parse and validate one clause file's text; every problem is a ``ContentError`` naming ``file``.

    ``known_fields`` / ``known_requirements`` switch on the checks that ``when`` names only known facts
    and that every requirement id exists (``load_library`` always passes both).
    """
    match = FRONT_MATTER.match(text.lstrip("\ufeff"))
    if not match:
        raise ContentError(file, "a clause file starts with TOML front matter between two '+++' lines")
    front_text, body = match.groups()
    front = parse_toml_text(front_text, file)
    clause_id = str(front.get("id") or Path(file).stem)
    data = dict(front)
    if "when" in data:
        try:
            data["when"] = parse_condition(data["when"])
        except Exception as exc:  # pydantic.ValidationError
            raise ContentError(file, f"when is not a valid condition: {_short(exc)}", clause_id) from None
        if known_fields is not None:
            unknown = [f for f in referenced_fields(data["when"]) if f not in known_fields]
            if unknown:
                raise ContentError(file, f"when names unknown field(s) {unknown}", clause_id)
    blocks = parse_body(body, file, clause_id)
    data.update(body=body.strip() + "\n", blocks=blocks, file=file)
    clause = validate_item(Clause, data, file, clause_id)
    from ..requirements import REGIME_NAMES

    bad_regimes = [r for r in clause.regimes if r not in REGIME_NAMES]
    if bad_regimes:
        raise ContentError(file, f"unknown regime code(s) {bad_regimes}", clause_id)
    if known_requirements is not None:
        missing = [r for r in clause.requirements if r not in known_requirements]
        if missing:
            raise ContentError(file, f"requirement id(s) not in the catalogue: {', '.join(missing)}", clause_id)
    return clause


def _short(exc: Exception) -> str:
    from pydantic import ValidationError

    from ..content import format_validation_error

    return format_validation_error(exc) if isinstance(exc, ValidationError) else str(exc)


def clause_files(folder: Path) -> list[Path]:
    """The clause files of a library folder: ``<section>/<id>.md``, in a stable order."""
    return sorted(p for p in Path(folder).glob("*/*.md") if p.is_file())


def library_hash(folder: Path) -> str:
    """First 12 hex digits of the SHA-256 of every clause file's relative path and bytes, sorted."""
    digest = hashlib.sha256()
    for path in clause_files(folder):
        rel = path.relative_to(folder).as_posix().encode()
        data = path.read_bytes()
        digest.update(len(rel).to_bytes(4, "big") + rel + len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()[:12]


def load_library(folder: Path = CLAUSES_DIR) -> ClauseLibrary:
    """Read and validate every clause in ``folder``; cached for the project's own ``clauses/``."""
    if Path(folder).resolve() == CLAUSES_DIR.resolve():
        return _load_default_library()
    return _load(Path(folder))


@functools.lru_cache(maxsize=1)
def _load_default_library() -> ClauseLibrary:
    return _load(CLAUSES_DIR)


def _load(folder: Path) -> ClauseLibrary:
    from ..requirements import load_catalogue

    files = clause_files(folder)
    if not files:
        raise ContentError(display_path(folder), "no clause files found (expected <section>/<id>.md)")
    known_fields = _known_fields()
    known_requirements = set(load_catalogue().ids())
    clauses = []
    for path in files:
        file = display_path(path)
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            raise ContentError(file, f"not UTF-8 text: {exc}") from None
        clause = parse_clause_text(text, file, known_fields=known_fields, known_requirements=known_requirements)
        if path.parent.name != clause.section:
            raise ContentError(file, f"section {clause.section!r} but the file is in {path.parent.name}/", clause.id)
        if path.stem != clause.id:
            raise ContentError(file, f"the file name must be the clause id ({clause.id}.md)", clause.id)
        clauses.append(clause)
    ensure_unique(((c.id, c.file) for c in clauses), "clause")
    positions = [((c.section, str(c.order)), c.file) for c in clauses]
    ensure_unique(((f"{s} order {o}", f) for (s, o), f in positions), "section/order")
    section_rank = {s: i for i, s in enumerate(SECTIONS)}
    ordered = sorted(clauses, key=lambda c: (section_rank[c.section], c.order, c.id))
    return ClauseLibrary(clauses=tuple(ordered), version=library_hash(folder))


# --- selection ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SelectedClause:
    """A clause chosen for a document, its number there, and the verdict that says why it is included.

    ``number`` is ``"1"``, ``"2"``, … continuously through the body (``core`` then ``final``) and restarts
    at ``"1"`` in each schedule. ``schedule`` is the schedule's number in this document (``None`` in the
    body); ``section_heading`` is ``""`` in the body and e.g. "Schedule 1 — EU international transfers".
    """

    clause: Clause
    verdict: Verdict
    number: str
    schedule: int | None = None
    section_heading: str = ""

    @property
    def id(self) -> str:
        return self.clause.id

    @property
    def section(self) -> str:
        return self.clause.section

    @property
    def title(self) -> str:
        return self.clause.title

    @property
    def reference(self) -> str:
        """How another clause or a comment cites it: "clause 7" or "paragraph 2 of Schedule 1"."""
        if self.schedule is None:
            return f"clause {self.number}"
        return f"paragraph {self.number} of Schedule {self.schedule}"

    def reason(self) -> str:
        """Why the clause is included, in words, from the verdict (the reviewer comment builds on this)."""
        if self.clause.when is None or not self.verdict.because:
            return "Included in every DPA."
        try:
            from ..explain import explain

            parts = [reason.text for reason in explain(self.verdict)]
        except (ImportError, DpakitError):  # pragma: no cover - fall back to the raw facts
            parts = [_describe(t) for t in self.verdict.because]
        return "Included because: " + "; ".join(parts) + "."


def _describe(test) -> str:
    actual = test.actual if test.actual is not None else "not answered"
    expected = test.expected
    if isinstance(expected, tuple):
        expected = ", ".join(str(v) for v in expected)
    verbs = {
        "eq": f"is {expected}",
        "ne": f"is not {expected}",
        "in": f"is one of {expected}",
        "contains": f"includes {expected}",
        "contains_any": f"includes one of {expected}",
        "answered": "is answered",
        "gte": f"is at least {expected}",
        "lte": f"is at most {expected}",
    }
    claim = verbs.get(test.op, f"{test.op} {expected}")
    held = test.held != test.negated
    return f"{test.field} {claim if held else 'does not hold: ' + claim} (value: {actual})"


def select_clauses(facts: Mapping[str, Any], library: ClauseLibrary | None = None) -> list[SelectedClause]:
    """The clauses whose ``when`` holds for ``facts``, in document order, numbered (see module doc)."""
    library = library or load_library()
    chosen: list[tuple[Clause, Verdict]] = []
    for clause in library.clauses:
        verdict = evaluate(clause.when, facts) if clause.when is not None else Verdict(True, ())
        if verdict.value:
            chosen.append((clause, verdict))
    result: list[SelectedClause] = []
    body_number = 0
    schedule_numbers: dict[str, int] = {}
    within: dict[str, int] = {}
    for clause, verdict in chosen:
        if clause.section in BODY_SECTIONS:
            body_number += 1
            result.append(SelectedClause(clause, verdict, str(body_number)))
            continue
        schedule = schedule_numbers.setdefault(clause.section, len(schedule_numbers) + 1)
        within[clause.section] = within.get(clause.section, 0) + 1
        heading = f"Schedule {schedule} — {SECTIONS[clause.section]}"
        result.append(SelectedClause(clause, verdict, str(within[clause.section]), schedule, heading))
    return result


def schedules_present(selected: list[SelectedClause]) -> list[str]:
    """The schedule section ids present in a selection, in document order."""
    return list(dict.fromkeys(s.section for s in selected if s.schedule is not None))
