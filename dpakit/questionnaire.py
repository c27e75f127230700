"""Question specs (one TOML file per wizard section), visibility and progress.

The questions are data in ``dpakit/data/questions/*.toml``. Each question fills exactly one answer field
(``"section.field"``), says in plain words what is asked, helps with an example, and may be shown only
when its ``visible_if`` condition holds. ``visible_if`` tests the answers and the facts derived from them
alone (stage ``answers`` of ``data/facts.toml``: ``org.in_eea``, ``org.in_eea_or_uk`` …), so a condition
never lists the EEA countries itself. A question may also be flagged ``safeguard``: "yes" means a safeguard
is in place (risk rules may test it only as ``ne "yes"``). Progress counts only the questions that are
visible; "not sure" counts as answered but is listed so that it can be revisited. The format is documented
in ``dpakit/data/README.md``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from . import conditions as cond
from .content import DATA_DIR, display_path, ensure_unique, read_toml, toml_files, validate_item
from .errors import ContentError
from .facts import answer_facts, derive_answer_facts, derived_keys
from .models import NOT_SURE, SECTION_MODELS, Answers, field_paths

QUESTIONS_DIR = DATA_DIR / "questions"
MAX_LISTED_COUNTRIES = 9
"""A condition may list a few countries; a longer list is a set (the EEA …) to test as a fact instead."""

Kind = Literal[
    "text",
    "textarea",
    "email",
    "number",
    "yesno",
    "choice",
    "multichoice",
    "country",
    "countries",
    "table",
]


class Option(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    value: str | int | bool
    label: str = Field(min_length=1)
    help: str = ""


class Column(BaseModel):
    """A column of a ``table`` question (a list of records, e.g. sub-processors)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    label: str
    kind: Literal["text", "country", "yesno"] = "text"
    required: bool = False
    help: str = ""


class Question(BaseModel):
    """One question of the wizard: the answer field it fills, its plain-words label and help, its widget
    kind and options, and the condition (``visible_if``) under which it is shown."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    field: str
    label: str = Field(min_length=3)
    help: str = Field(min_length=10)
    kind: Kind
    options: tuple[Option, ...] = ()
    options_from: str | None = None
    """For ``multichoice``: take the options of the question filling this field (an agreement's scope offers
    the organisation's own purposes, data and people); the wizard offers only those the organisation chose."""
    columns: tuple[Column, ...] = ()
    allow_not_sure: bool = False
    placeholder: str = ""
    visible_if: cond.Condition | None = None
    prefilled_by: str | None = None
    """Free text naming what may pre-fill this answer (e.g. "CRM vendor profile"); shown to the user."""
    optional: bool = False
    """An optional refinement (e.g. an SCC option override): never counted as missing in progress."""
    safeguard: bool = False
    """A yes/no answer where "yes" means a safeguard is in place: rules may test it only as ``ne "yes"``
    outside any ``not`` (checked when the rules are loaded), so that adding a safeguard never raises a score."""

    @model_validator(mode="after")
    def _options_fit_kind(self) -> Question:
        needs_options = self.kind in ("choice", "multichoice")
        if self.options_from is not None:
            if self.kind != "multichoice" or self.options:
                raise ValueError("options_from belongs to a multichoice question without options of its own")
            return self
        if needs_options and not self.options:
            raise ValueError(f"a {self.kind} question needs options")
        if not needs_options and self.options:
            raise ValueError(f"a {self.kind} question takes no options")
        if (self.kind == "table") != bool(self.columns):
            raise ValueError("columns belong to table questions, and a table question needs them")
        if self.safeguard and self.kind != "yesno":
            raise ValueError("only a yesno question can be a safeguard")
        return self

    @property
    def section(self) -> str:
        return self.field.partition(".")[0]

    @property
    def key(self) -> str:
        """A stable identifier usable in widget keys and URLs."""
        return self.field.replace(".", "__")

    def option_label(self, value: Any) -> str:
        for option in self.options:
            if option.value == value:
                return option.label
        return str(value)


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    title: str
    intro: str
    order: int
    icon: str = ""
    questions: tuple[Question, ...]

    def visible(self, answers: Answers) -> list[Question]:
        facts = question_facts(answers)
        return [q for q in self.questions if is_visible(q, facts)]


class _SectionFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    section: dict[str, Any]
    question: list[dict[str, Any]] = Field(default_factory=list)


@dataclass(frozen=True)
class Questionnaire:
    sections: tuple[Section, ...]

    def section(self, section_id: str) -> Section:
        for section in self.sections:
            if section.id == section_id:
                return section
        raise KeyError(section_id)

    def questions(self) -> list[Question]:
        return [q for s in self.sections for q in s.questions]

    def question(self, field: str) -> Question:
        for q in self.questions():
            if q.field == field:
                return q
        raise KeyError(field)

    def label(self, field: str) -> str:
        try:
            return self.question(field).label
        except KeyError:
            return field

    def safeguards(self) -> list[str]:
        """The answer fields whose questions are flagged ``safeguard``, in questionnaire order."""
        return [q.field for q in self.questions() if q.safeguard]


def visibility_keys() -> list[str]:
    """Every key a ``visible_if`` may test: the answer field paths and the derived facts of stage answers."""
    return field_paths() + derived_keys("answers")


def question_facts(source: Answers | Mapping[str, Any]) -> Mapping[str, Any]:
    """The facts a ``visible_if`` is evaluated against: the flat answers plus the answer-stage derived facts.

    ``source`` is the answers, or their flat mapping (``Answers.flat()``), which gets the derived facts added.
    """
    if isinstance(source, Answers):
        return answer_facts(source)
    if all(key in source for key in derived_keys("answers")):
        return source
    return {**source, **derive_answer_facts(source)}


def is_visible(question: Question, facts: Answers | Mapping[str, Any]) -> bool:
    """Whether ``question`` is shown, given the answers (or their flat mapping, or ``question_facts``)."""
    if question.visible_if is None:
        return True
    return cond.evaluate(question.visible_if, question_facts(facts)).value


def why_visible(question: Question, facts: Answers | Mapping[str, Any]) -> cond.Verdict:
    """The evaluation record of a question's ``visible_if`` (``explain.explain`` turns it into words)."""
    return cond.evaluate(question.visible_if or cond.ALWAYS, question_facts(facts))


def load_section(path: Path) -> Section:
    file = display_path(path)
    raw = validate_item(_SectionFile, read_toml(path), file)
    questions = []
    for index, item in enumerate(raw.question, start=1):
        name = str(item.get("field", f"question #{index}"))
        questions.append(validate_item(Question, item, file, name))
    section = validate_item(Section, {**raw.section, "questions": questions}, file, "[section]")
    known = set(field_paths())
    visible_keys = set(visibility_keys())
    for q in section.questions:
        if q.field not in known:
            raise ContentError(file, "fills no answer field (no such field in the answers model)", q.field)
        if q.section != section.id:
            raise ContentError(file, f"belongs to section {q.section!r}, not {section.id!r}", q.field)
        if q.visible_if is not None:
            for ref in cond.referenced_fields(q.visible_if):
                if ref not in visible_keys:
                    raise ContentError(
                        file,
                        f"visible_if names an unknown field {ref!r} (use an answer path or an answers-stage fact)",
                        q.field,
                    )
            _check_country_lists(q, file)
        _check_option_values(q, file)
    return section


def _resolve_options_from(sections: list[Section]) -> list[Section]:
    """Each ``options_from`` question gets the options of the question it names (a multichoice with options
    of its own), checked against its own field."""
    by_field = {q.field: q for s in sections for q in s.questions}
    out = []
    for section in sections:
        questions = []
        for q in section.questions:
            if q.options_from is not None:
                source = by_field.get(q.options_from)
                file = f"{section.id}.toml"
                if source is None or source.kind != "multichoice" or source.options_from is not None:
                    raise ContentError(file, f"options_from {q.options_from!r} names no multichoice question", q.field)
                q = q.model_copy(update={"options": source.options})
                _check_option_values(q, file)
            questions.append(q)
        out.append(section.model_copy(update={"questions": tuple(questions)}))
    return out


def _check_country_lists(q: Question, file: str) -> None:
    """A visible_if never spells out a set of countries: the sets are facts read from countries.toml."""
    from .jurisdictions import countries

    codes = countries()
    for leaf in cond.leaves(q.visible_if or cond.ALWAYS):
        listed = [v for v in getattr(leaf, "values", ()) if isinstance(v, str) and v.upper() in codes]
        if len(listed) > MAX_LISTED_COUNTRIES:
            raise ContentError(
                file,
                f"visible_if lists {len(listed)} country codes; test a fact instead "
                "(org.in_eea, org.in_eea_or_uk … in dpakit/data/facts.toml)",
                q.field,
            )


def _check_option_values(q: Question, file: str) -> None:
    """Every option must be a value the answers model accepts for that field."""
    base = Answers()
    for option in q.options:
        value = [option.value] if q.kind == "multichoice" else option.value
        try:
            base.with_value(q.field, value)
        except ValidationError:
            raise ContentError(file, f"option {option.value!r} is not a valid value", q.field) from None


def load_questionnaire(folder: Path = QUESTIONS_DIR) -> Questionnaire:
    sections = [load_section(p) for p in toml_files(folder)]
    ensure_unique(((s.id, f"{s.id}.toml") for s in sections), "section")
    ensure_unique(((q.field, f"{q.section}.toml") for s in sections for q in s.questions), "question")
    sections = _resolve_options_from(sections)
    sections.sort(key=lambda s: s.order)
    return Questionnaire(tuple(sections))


@lru_cache(maxsize=1)
def default_questionnaire() -> Questionnaire:
    return load_questionnaire()


# --- progress -------------------------------------------------------------------------------------


def is_answered(value: Any) -> bool:
    return value is not None and value != ""


def is_not_sure(value: Any) -> bool:
    return value == NOT_SURE or (isinstance(value, list) and NOT_SURE in value)


@dataclass(frozen=True)
class SectionProgress:
    section: str
    title: str
    visible: int
    answered: int
    not_sure: tuple[str, ...]
    unanswered: tuple[str, ...]

    @property
    def complete(self) -> bool:
        return self.answered == self.visible

    @property
    def ratio(self) -> float:
        return 1.0 if self.visible == 0 else self.answered / self.visible


@dataclass(frozen=True)
class Progress:
    """How far the answers are, section by section (see ``progress``)."""

    sections: tuple[SectionProgress, ...]

    @property
    def visible(self) -> int:
        return sum(s.visible for s in self.sections)

    @property
    def answered(self) -> int:
        return sum(s.answered for s in self.sections)

    @property
    def ratio(self) -> float:
        return 1.0 if self.visible == 0 else self.answered / self.visible

    @property
    def not_sure(self) -> list[str]:
        return [f for s in self.sections for f in s.not_sure]


PROGRESS_RULES = 1
"""Bumped when how ``progress`` counts changes in code (not in content), so stored progress is recomputed."""
_STAMPS: dict[int, tuple[Questionnaire, str]] = {}


def progress_stamp(questionnaire: Questionnaire | None = None) -> str:
    """A digest of what ``progress`` depends on besides the answers: the questions (their fields, visibility,
    optional flags) and the counting rules. Progress stored with another stamp was computed against other
    content, and is stale."""
    questionnaire = questionnaire or default_questionnaire()
    known = _STAMPS.get(id(questionnaire))
    if known is not None and known[0] is questionnaire:
        return known[1]
    digest = hashlib.sha256(f"rules {PROGRESS_RULES}\n".encode())
    for section in questionnaire.sections:
        digest.update(section.model_dump_json().encode())
    stamp = digest.hexdigest()[:16]
    _STAMPS[id(questionnaire)] = (questionnaire, stamp)
    return stamp


def progress(answers: Answers, questionnaire: Questionnaire | None = None) -> Progress:
    """How many of the questions shown to these answers are answered, per section and in all (optional
    questions count only once answered)."""
    questionnaire = questionnaire or default_questionnaire()
    facts = question_facts(answers)
    out = []
    for section in questionnaire.sections:
        shown = [
            q for q in section.questions if is_visible(q, facts) and (not q.optional or is_answered(facts[q.field]))
        ]
        answered = [q.field for q in shown if is_answered(facts[q.field])]
        out.append(
            SectionProgress(
                section=section.id,
                title=section.title,
                visible=len(shown),
                answered=len(answered),
                not_sure=tuple(f for f in answered if is_not_sure(facts[f])),
                unanswered=tuple(q.field for q in shown if q.field not in answered),
            )
        )
    return Progress(tuple(out))


SECTION_IDS = tuple(SECTION_MODELS)


# --- answers as words ---------------------------------------------------------------------------

YESNO_WORDS = {"yes": "Yes", "no": "No", "not_sure": "Not sure"}


def answer_text(question: Question, value: Any) -> str:
    """An answer as a person reads it (option labels, country names, "Not sure", "—" if unanswered)."""
    from .jurisdictions import country_name

    if value is None or value == "" or value == []:
        return "—"
    if value == NOT_SURE:
        return "Not sure"
    match question.kind:
        case "yesno":
            return YESNO_WORDS.get(value, str(value))
        case "choice":
            return question.option_label(value)
        case "multichoice":
            return ", ".join(question.option_label(v) for v in value)
        case "country":
            return country_name(value)
        case "countries":
            return ", ".join(country_name(v) for v in value)
        case "number":
            return f"{value:,}" if isinstance(value, int) else str(value)
        case "table":
            rows = []
            for row in value:
                cells = []
                for col in question.columns:
                    cell = row.get(col.name)
                    if cell in (None, ""):
                        continue
                    if col.kind == "country":
                        cell = country_name(cell)
                    elif col.kind == "yesno":
                        cell = f"{col.label}: {YESNO_WORDS.get(cell, cell)}"
                    cells.append(str(cell))
                rows.append(" · ".join(cells))
            return "; ".join(rows)
    return str(value)
