"""One record model per table: the name and type of every column dpakit stores, defined once.

    OrganisationRow, AssessmentRow, AnswerEventRow, DocumentRow, ActionItemRow, MembershipRow
    TABLES["assessments"] is AssessmentRow
    column_types(AssessmentRow) == {"id": str, ..., "schema_version": int, ...}

Each model is a row as the table holds it (JSON columns as their text, content as bytes), with the checks
a row must pass: ids have the shape ``new_id`` gives them, names and titles are clean single lines of
bounded length, a status, role or section is one the app has, dates are dates, a logged field is a question
and its values answers to it. Everything else derives from these models:

- the migrations in ``store`` create exactly these columns (kept as SQL history; a test compares the live
  schema with ``column_types``);
- the store's return values: ``Organisation`` and ``Membership`` are these models, the others
  (``Assessment``, ``AnswerEvent``, ``DocumentRecord``, ``ActionState``) decode a row's JSON and type
  their fields with the aliases defined here (``AssessmentStatus``, ``ActionStatus``, ``Role``, …); the
  store's checks of a status or a role read the same ``Literal``;
- the import of an organisation record (``archive``) validates its manifest with models made by
  ``derived_model`` from these: the same fields, types and checks, less the columns the manifest does not
  carry, plus the names of the files that do.
"""

from __future__ import annotations

import json
import types
from datetime import datetime
from typing import Annotated, Any, ClassVar, Literal, Union, get_args, get_origin

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    TypeAdapter,
    ValidationError,
    create_model,
    model_validator,
)

from ..models import (
    SCHEMA_VERSION,
    AgreementId,
    AssessmentTitle,
    OrganisationName,
    clean_line,
    clean_text,
    field_annotation,
    split_path,
)

# --- column types --------------------------------------------------------------------------------


def _timestamp(value: str) -> str:
    if len(value) > 40:
        raise ValueError("that is too long for a timestamp")
    try:
        datetime.fromisoformat(value)
    except ValueError:
        raise ValueError("that is not a date and time (ISO 8601, e.g. 2026-11-01T10:00:00+00:00)") from None
    return value


def _date_or_blank(value: str) -> str:
    if value:
        try:
            datetime.strptime(value, "%Y-%m-%d")
        except ValueError:
            raise ValueError("that is not a date (e.g. 2027-01-31)") from None
    return value


def _known_section(value: str) -> str:
    from ..questionnaire import default_questionnaire

    known = [s.id for s in default_questionnaire().sections]
    if value not in known:
        raise ValueError(f"{value[:40]!r} is not a section of the questionnaire")
    return value


def _known_field(value: str) -> str:
    try:
        split_path(value)
    except KeyError:
        raise ValueError(f"{value[:60]!r} is not a question of the questionnaire") from None
    return value


def _json_text(value: str) -> str:
    try:
        json.loads(value)
    except (ValueError, RecursionError):
        raise ValueError("that is not JSON text") from None
    return value


OrganisationId = Annotated[str, StringConstraints(pattern=r"^o_[A-Za-z0-9_-]{8,64}$")]
AssessmentId = Annotated[str, StringConstraints(pattern=r"^a_[A-Za-z0-9_-]{8,64}$")]
DocumentId = Annotated[str, StringConstraints(pattern=r"^d_[A-Za-z0-9_-]{8,64}$")]
"""Ids as ``store.new_id`` makes them (a prefix and URL-safe characters), nothing else."""
Timestamp = Annotated[str, AfterValidator(_timestamp)]
DueDate = Annotated[str, AfterValidator(_date_or_blank)]
Line = Annotated[str, AfterValidator(clean_line)]
Sha256 = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
JsonText = Annotated[str, AfterValidator(_json_text)]
SchemaVersion = Annotated[int, Field(ge=1, le=SCHEMA_VERSION)]
Section = Annotated[str, AfterValidator(_known_section)]
AnswerField = Annotated[str, AfterValidator(_known_field)]
ActionId = Annotated[str, StringConstraints(pattern=r"^A-[A-Z0-9]+(-[A-Z0-9]+)*$", max_length=100)]
Owner = Annotated[Line, StringConstraints(max_length=200)]
Notes = Annotated[str, AfterValidator(clean_text), StringConstraints(max_length=5000)]
User = Annotated[Line, StringConstraints(max_length=320)]
Source = Annotated[Line, StringConstraints(max_length=1000)]
Count = Annotated[int, Field(ge=0)]

AssessmentStatus = Literal["in_progress", "complete"]
ActionStatus = Literal["open", "in_progress", "done", "not_applicable"]
Role = Literal["consultant", "client"]
"""A consultant works on the organisations assigned to them; a client sees their own organisation only."""
DocumentKind = Literal["dpa", "dpa_pdf"]
"""What ``views/documents.py`` saves; the store and the import refuse any other kind of document."""
DocumentOptions = dict[
    Annotated[str, StringConstraints(max_length=100)],
    bool | int | Annotated[str, StringConstraints(max_length=200)] | None,
]
"""How a document was made (``{"comments": true}``), stored as JSON text in ``documents.options``."""


def _options_json(value: str) -> str:
    try:
        TypeAdapter(DocumentOptions).validate_json(value)
    except (ValidationError, RecursionError):
        raise ValueError("that is not a document's options (an object of short names and values)") from None
    return value


# --- one model per table -------------------------------------------------------------------------


class Record(BaseModel):
    """A row of one of dpakit's tables (``table``), column by column."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    table: ClassVar[str]


class OrganisationRow(Record):
    table: ClassVar[str] = "organisations"
    id: OrganisationId
    name: OrganisationName
    created_at: Timestamp
    updated_at: Timestamp


class AssessmentRow(Record):
    table: ClassVar[str] = "assessments"
    id: AssessmentId
    organisation_id: OrganisationId
    title: AssessmentTitle
    status: AssessmentStatus
    schema_version: SchemaVersion
    answers: JsonText
    """The answers as ``Answers.model_dump_json`` writes them."""
    section: Section | None
    copied_from: AssessmentId | None
    created_at: Timestamp
    updated_at: Timestamp
    answered: Count | None = None
    visible: Count | None = None
    progress_stamp: Annotated[str, StringConstraints(max_length=64)] | None = None
    """Progress as the store counted it when the answers last changed, and the stamp of the questionnaire it
    was counted against (``questionnaire.progress_stamp``); derived, so an exported record leaves them out."""


PROGRESS_COLUMNS = frozenset({"answered", "visible", "progress_stamp"})
"""The assessment columns the store derives from the answers (recounted on import, never exported)."""


class LoggedAnswers(BaseModel):
    """The check every answer-log entry passes (a base of the models that declare ``field``,
    ``old_value`` and ``new_value``): its old and new values are answers to its field."""

    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="after")
    def _values_are_answers(self) -> Any:
        values = self.__dict__
        field = values["field"]
        answer = TypeAdapter(field_annotation(field) | None)
        for name in ("old_value", "new_value"):
            try:
                answer.validate_python(json.loads(values[name]))
            except (ValueError, ValidationError, RecursionError):
                raise ValueError(f"{name} is not a valid answer to {field}") from None
        return self


class AnswerEventRow(Record, LoggedAnswers):
    table: ClassVar[str] = "answer_events"
    id: int
    """The entry's place in this database's log (not part of an exported record)."""
    assessment_id: AssessmentId
    field: AnswerField
    old_value: str
    new_value: str
    """The values as JSON text (``null`` for unanswered)."""
    source: Source | None
    user: User | None
    at: Timestamp


class DocumentRow(Record):
    table: ClassVar[str] = "documents"
    id: DocumentId
    assessment_id: AssessmentId
    kind: DocumentKind
    filename: Annotated[Line, StringConstraints(min_length=1, max_length=200)]
    sha256: Sha256
    answers_sha256: Sha256
    answers: JsonText
    library_version: Annotated[Line, StringConstraints(max_length=100)]
    options: Annotated[str, AfterValidator(_options_json)]
    size: Annotated[int, Field(ge=0)]
    content: bytes
    created_at: Timestamp
    agreement_id: AgreementId | None = None
    """The agreement a DPA was drafted for (migration m005; ``None`` for the action plan)."""


class ActionItemRow(Record):
    table: ClassVar[str] = "action_items"
    assessment_id: AssessmentId
    action_id: ActionId
    owner: Owner | None
    due_date: DueDate | None
    status: ActionStatus | None
    notes: Notes | None
    updated_at: Timestamp | None


class MembershipRow(Record):
    table: ClassVar[str] = "memberships"
    user: str
    """An e-mail address, as ``store.normalise_user`` writes it."""
    organisation_id: str
    """Not checked here: memberships are written only by ``Store.set_membership``, which checks that the
    organisation exists (and they are never part of an exported record)."""
    role: Role
    created_at: Timestamp


RECORDS: tuple[type[Record], ...] = (
    OrganisationRow,
    AssessmentRow,
    AnswerEventRow,
    DocumentRow,
    ActionItemRow,
    MembershipRow,
)
TABLES: dict[str, type[Record]] = {model.table: model for model in RECORDS}
"""Table name -> its record model, for every table dpakit creates."""

ROLES: tuple[str, ...] = get_args(Role)
ASSESSMENT_STATUSES: tuple[str, ...] = get_args(AssessmentStatus)
ACTION_STATUSES: tuple[str, ...] = get_args(ActionStatus)
DOCUMENT_KINDS: tuple[str, ...] = get_args(DocumentKind)


# --- what derives from them ----------------------------------------------------------------------


def base_type(annotation: Any) -> Any:
    """The Python type a column annotation stores, without ``None``, ``Annotated`` checks or literals:
    ``AssessmentId | None`` -> ``str``, ``AssessmentStatus`` -> ``str``, ``SchemaVersion`` -> ``int``."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return base_type(get_args(annotation)[0])
    if origin is Literal:
        kinds = {type(v) for v in get_args(annotation)}
        return kinds.pop() if len(kinds) == 1 else annotation
    if origin in (Union, types.UnionType):
        kinds = {base_type(a) for a in get_args(annotation) if a is not type(None)}
        return kinds.pop() if len(kinds) == 1 else annotation
    return annotation


def is_optional(annotation: Any) -> bool:
    return get_origin(annotation) in (Union, types.UnionType) and type(None) in get_args(annotation)


def column_types(model: type[Record]) -> dict[str, Any]:
    """Column name -> the Python type sqlite-utils maps it to (``str`` TEXT, ``int`` INTEGER, ``bytes`` BLOB)."""
    return {name: base_type(info.annotation) for name, info in model.model_fields.items()}


def derived_model(
    name: str,
    record: type[Record],
    *,
    exclude: set[str] | frozenset[str] = frozenset(),
    base: type[BaseModel] | None = None,
    **fields: Any,
) -> type[BaseModel]:
    """A model with the fields of ``record`` (the same types and checks) but those in ``exclude``, plus
    ``fields`` (``name=(type, default)`` as for ``pydantic.create_model``; a name of ``record`` given here
    replaces its type, in its place). ``extra="forbid"``; ``base`` adds checks over several fields."""
    missing = set(exclude) - set(record.model_fields)
    if missing:
        raise KeyError(f"{record.__name__} has no field {sorted(missing)}")
    definitions: dict[str, Any] = {
        n: fields.get(n, (info.annotation, info)) for n, info in record.model_fields.items() if n not in exclude
    }
    definitions.update(fields)  # a replaced field keeps its place, new ones come last
    if base is None:
        return create_model(name, __config__=ConfigDict(extra="forbid"), **definitions)
    return create_model(name, __base__=base, **definitions)


__all__ = [
    "ACTION_STATUSES",
    "ASSESSMENT_STATUSES",
    "DOCUMENT_KINDS",
    "PROGRESS_COLUMNS",
    "RECORDS",
    "ROLES",
    "TABLES",
    "ActionItemRow",
    "ActionStatus",
    "AnswerEventRow",
    "AssessmentRow",
    "AssessmentStatus",
    "DocumentKind",
    "DocumentOptions",
    "DocumentRow",
    "LoggedAnswers",
    "MembershipRow",
    "OrganisationRow",
    "Record",
    "Role",
    "base_type",
    "column_types",
    "derived_model",
]
