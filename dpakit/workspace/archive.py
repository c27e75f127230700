"""The consultant's workspace: an organisation's complete record as one ZIP, the audit log as CSV, and
what changed between two assessments.

    data = export_organisation(store, org_id)            # bytes of a ZIP
    result = import_organisation(other_store, data)       # all of it, or nothing (InputError says why)
    text = audit_csv(store.events(assessment_id))         # a spreadsheet cannot execute any cell
    diff = compare(old_answers, new_answers)              # changed answers, findings and score

The ZIP holds ``manifest.json`` (every row's metadata and every member's SHA-256), one answers file per
assessment (the same format as the sidebar's export), each generated document with the answers it came
from, the answer-change log as JSON (exact, used by the import) and as CSV (for people).

An import trusts nothing: the archive's size, member count, total uncompressed size (counted while
reading, not taken from the headers), member names, the manifest's shape and version, every hash, every
answers file (``parse_answers``) and every field of every row and log entry — against what this dpakit
knows: sections, statuses, document kinds, questions and their answers, dates, id shapes, lengths — are
checked before the database is touched; every problem is reported with the record it is in, and the rows
then go in in one transaction. Through a ``ScopedStore`` (``ScopedStore.import_record``) a hosted user
who is not an admin always gets fresh ids, and the log's entries are attributed to the importer.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import stat
import zipfile
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from ..actions import csv_safe
from ..answers_file import answers_sha256, describe_errors, dump_answers, parse_answers
from ..errors import InputError
from ..models import Answers
from ..safezip import directory_count, fixed_zip
from .records import (
    PROGRESS_COLUMNS,
    ActionItemRow,
    AnswerEventRow,
    AssessmentRow,
    DocumentOptions,
    DocumentRow,
    LoggedAnswers,
    OrganisationRow,
    Record,
    derived_model,
)
from .store import AnswerEvent, new_id

FORMAT = "dpakit-organisation-record"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
AUDIT_JSON = "audit-log.json"
AUDIT_CSV = "audit-log.csv"

MAX_ARCHIVE_BYTES = 100_000_000
MAX_MEMBERS = 5_000
MAX_TOTAL_BYTES = 300_000_000
_SAFE_NAME = re.compile(r"^[A-Za-z0-9_-][A-Za-z0-9._-]*(/[A-Za-z0-9_-][A-Za-z0-9._-]*)*$")


# --- the manifest (validated on import) ----------------------------------------------------------
#
# Every field of every row is checked against what this dpakit knows before anything is written, with the
# record models of ``records`` (one per table): the manifest's row models below are derived from them, so a
# column's type and checks are written once. A record the app could not show is refused, record by record,
# instead of failing later on a page.


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


ManifestOrganisation = derived_model("ManifestOrganisation", OrganisationRow)
ManifestAssessment = derived_model(
    "ManifestAssessment",
    AssessmentRow,
    exclude={"organisation_id", "answers", *PROGRESS_COLUMNS},
    answers_file=(str, ...),
)
"""An assessment's row less its organisation (the record's) and its answers (in ``answers_file``)."""
ManifestDocument = derived_model(
    "ManifestDocument",
    DocumentRow,
    exclude={"answers", "content"},
    options=(DocumentOptions, ...),
    file=(str, ...),
    answers_file=(str, ...),
)
"""A document's row less its bytes (in ``file``) and answers (in ``answers_file``); options as JSON, not text."""
ManifestAction = derived_model("ManifestAction", ActionItemRow)
LogEntry = derived_model("LogEntry", AnswerEventRow, exclude={"id"}, base=LoggedAnswers)
"""An answer-log entry less its place in the exporting database's log (the list's order keeps it)."""
MANIFEST_ROWS: dict[str, tuple[type[Record], type[BaseModel]]] = {
    "organisation": (OrganisationRow, ManifestOrganisation),
    "assessments": (AssessmentRow, ManifestAssessment),
    "documents": (DocumentRow, ManifestDocument),
    "action_items": (ActionItemRow, ManifestAction),
    "answer_events": (AnswerEventRow, LogEntry),
}
"""Each part of a record: the table's record model and the manifest model derived from it."""


class FileEntry(_Strict):
    path: str
    sha256: str
    size: int


class AuditLogEntry(_Strict):
    file: str
    csv: str
    events: int


class Manifest(_Strict):
    """The envelope; its rows are checked one by one (``_check_rows``), so a problem names its record."""

    format: Literal["dpakit-organisation-record"]
    format_version: int
    generator: str
    exported_at: str
    organisation: dict[str, Any]
    assessments: list[dict[str, Any]]
    documents: list[dict[str, Any]]
    action_items: list[dict[str, Any]]
    audit_log: AuditLogEntry
    files: list[FileEntry]


def _problems(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors(include_url=False):
        loc = ".".join(str(p) for p in err["loc"])
        msg = err["msg"].removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            msg = "not a field dpakit knows"
        elif err["type"] == "missing":
            msg = "missing"
        elif err["type"] in ("too_long", "string_too_long"):
            msg = f"that is too long (at most {err['ctx']['max_length']:,} characters)"
        elif err["type"] in ("too_short", "string_too_short"):
            msg = "that is blank"
        parts.append(f"{loc}: {msg}" if loc else msg)
    return "; ".join(dict.fromkeys(parts))


def _label(kind: str, raw: Any, n: int | None) -> str:
    ident = (raw.get("id") or raw.get("action_id")) if isinstance(raw, dict) else None
    return kind + (f" {n}" if n else "") + (f" ({str(ident)[:70]})" if isinstance(ident, str) and ident else "")


def _check_rows(model: type[BaseModel], rows: list[Any], kind: str, problems: list[str]) -> list[Any]:
    """Each row validated against ``model``; a problem is added to ``problems`` as "<record>: <what>"."""
    checked = []
    for n, raw in enumerate(rows, start=1):
        try:
            checked.append(model.model_validate(raw))
        except ValidationError as exc:
            number = n if model is not ManifestOrganisation else None  # a record has one organisation
            problems.append(f"{_label(kind, raw, number)}: {_problems(exc)}")
    return checked


def _refuse(problems: list[str], limit: int = 8) -> None:
    if problems:
        more = len(problems) - limit
        raise InputError(
            "the record does not fit this dpakit, so nothing was imported: "
            + " | ".join(problems[:limit])
            + (f" | and {more} more" if more > 0 else "")
        )


@dataclass(frozen=True)
class ImportResult:
    organisation_id: str
    name: str
    assessments: int
    documents: int
    events: int
    id_map: dict[str, str] = field(default_factory=dict)  # old id -> new id (an import as a copy)


# --- export --------------------------------------------------------------------------------------


def _safe_filename(name: str) -> str:
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip(".-") or "document"
    return cleaned[:80]


def _generator() -> str:
    from .. import __version__

    return f"dpakit {__version__}"


def _answers_member(stored: str) -> bytes:
    """The answers file for a stored answers column. Answers this version cannot read (written by a newer
    dpakit, say) are exported exactly as stored rather than failing the export: nothing is lost, and the
    version that wrote them can import them again (this one refuses them with a message on import)."""
    try:
        return dump_answers(Answers.model_validate_json(stored)).encode()
    except ValidationError:
        return stored.encode() if stored.endswith("\n") else (stored + "\n").encode()


def export_organisation(store: Any, org_id: str, *, exported_at: str | None = None) -> bytes:
    """An organisation's complete record as ZIP bytes (``store``: a ``Store`` or a ``ScopedStore``)."""
    rows = store.export_rows(org_id)
    members: dict[str, bytes] = {}
    assessments = []
    for row in rows["assessments"]:
        path = f"assessments/{row['id']}/answers.json"
        members[path] = _answers_member(row["answers"])
        meta = {k: row[k] for k in ManifestAssessment.model_fields if k != "answers_file"}
        assessments.append({**meta, "answers_file": path})
    documents = []
    for row in rows["documents"]:
        folder = f"assessments/{row['assessment_id']}/documents/{row['id']}"
        file = f"{folder}/{_safe_filename(row['filename'])}"
        answers_file = f"{folder}/answers.json"
        members[file] = row["content"]
        members[answers_file] = _answers_member(row["answers"])
        meta = {k: row[k] for k in ManifestDocument.model_fields if k not in ("file", "answers_file", "options")}
        documents.append(
            {**meta, "options": json.loads(row["options"] or "{}"), "file": file, "answers_file": answers_file}
        )
    events = [{k: r[k] for k in LogEntry.model_fields} for r in rows["answer_events"]]
    members[AUDIT_JSON] = (json.dumps(events, ensure_ascii=False, indent=1) + "\n").encode()
    members[AUDIT_CSV] = audit_csv(_as_events(events)).encode("utf-8-sig")
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "generator": _generator(),
        "exported_at": exported_at or datetime.now(UTC).isoformat(timespec="seconds"),
        "organisation": {k: rows["organisation"][k] for k in ManifestOrganisation.model_fields},
        "assessments": assessments,
        "documents": documents,
        "action_items": [{k: r[k] for k in ManifestAction.model_fields} for r in rows["action_items"]],
        "audit_log": {"file": AUDIT_JSON, "csv": AUDIT_CSV, "events": len(events)},
        "files": [
            {"path": p, "sha256": hashlib.sha256(b).hexdigest(), "size": len(b)} for p, b in sorted(members.items())
        ],
    }
    members[MANIFEST] = (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode()
    return fixed_zip(members, order=lambda name: (name != MANIFEST, name))  # the manifest first


def export_filename(name: str, when: str | None = None) -> str:
    """The download name of an organisation record: a slug of its name and the date (``acme-2026-12-03.dpakit.zip``)."""
    stamp = (when or datetime.now(UTC).isoformat())[:10]
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:60] or "organisation"
    return f"{slug}-{stamp}.dpakit.zip"


# --- import --------------------------------------------------------------------------------------


def _read_members(data: bytes, *, max_archive: int, max_members: int, max_total: int) -> dict[str, bytes]:
    if len(data) > max_archive:
        raise InputError(f"the archive is {len(data) / 1e6:.1f} MB; at most {max_archive / 1e6:.0f} MB is accepted")
    declared = directory_count(data)  # before zipfile builds one ZipInfo per (claimed) member
    if declared is not None and declared > max_members:
        raise InputError(f"the archive has {declared:,} members; at most {max_members:,} are accepted")
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        raise InputError("this is not a ZIP file (or it is truncated); export it again from dpakit") from None
    with zf:
        infos = zf.infolist()
        if len(infos) > max_members:
            raise InputError(f"the archive has {len(infos):,} members; at most {max_members:,} are accepted")
        members: dict[str, bytes] = {}
        total = 0
        for info in infos:
            name = info.filename
            if not _SAFE_NAME.match(name) or ".." in name.split("/"):
                raise InputError(f"the archive holds a member with an unsafe name ({name[:80]!r})")
            if name in members:
                raise InputError(f"the archive holds {name!r} twice")
            if info.flag_bits & 0x1:
                raise InputError(f"{name} is encrypted; dpakit archives are not")
            if stat.S_ISLNK(info.external_attr >> 16):
                raise InputError(f"{name} is a symbolic link; dpakit archives hold none")
            if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                raise InputError(f"{name} uses a compression dpakit does not write")
            chunks = []
            try:
                with zf.open(info) as fh:
                    while chunk := fh.read(1 << 16):
                        total += len(chunk)
                        if total > max_total:
                            raise InputError(
                                f"the archive unpacks to more than {max_total / 1e6:.0f} MB; that is not a "
                                "dpakit record (or it is a zip bomb)"
                            )
                        chunks.append(chunk)
            except (zipfile.BadZipFile, EOFError, OSError, zlib.error) as exc:
                raise InputError(f"{name} in the archive is damaged ({exc})") from None
            members[name] = b"".join(chunks)
    return members


def read_record(
    data: bytes,
    *,
    max_archive: int = MAX_ARCHIVE_BYTES,
    max_members: int = MAX_MEMBERS,
    max_total: int = MAX_TOTAL_BYTES,
) -> dict[str, Any]:
    """Check an exported ZIP completely and return its rows (shaped like ``Store.export_rows``)."""
    members = _read_members(data, max_archive=max_archive, max_members=max_members, max_total=max_total)
    if MANIFEST not in members:
        raise InputError("the archive has no manifest.json; it is not a dpakit organisation record")
    try:
        raw = json.loads(members[MANIFEST].decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:  # ValueError: bad JSON, or a 5,000-digit number
        raise InputError(f"manifest.json is not valid JSON ({str(exc)[:200]})") from None
    except RecursionError:
        raise InputError("manifest.json nests lists or objects too deeply to be a dpakit manifest") from None
    if isinstance(raw, dict) and raw.get("format") == FORMAT and raw.get("format_version") != FORMAT_VERSION:
        raise InputError(
            f"this record has format version {raw.get('format_version')!r}; this dpakit reads version "
            f"{FORMAT_VERSION}. Use the dpakit that exported it, or a newer one."
        )
    try:
        manifest = Manifest.model_validate(raw)
    except ValidationError as exc:
        raise InputError(f"manifest.json is not a dpakit organisation record: {describe_errors(exc)}") from None

    listed = {f.path: f for f in manifest.files}
    unexpected = sorted(set(members) - set(listed) - {MANIFEST})
    if unexpected:
        raise InputError(f"the archive holds files its manifest does not list: {', '.join(unexpected[:3])}")
    for entry in manifest.files:
        content = members.get(entry.path)
        if content is None:
            raise InputError(f"{entry.path} is listed in the manifest but missing from the archive")
        if len(content) != entry.size or hashlib.sha256(content).hexdigest() != entry.sha256:
            raise InputError(f"{entry.path} does not match its SHA-256 in the manifest (changed or damaged)")

    def member(path: str) -> bytes:
        if path not in listed:
            raise InputError(f"the manifest refers to {path}, which it does not list")
        return members[path]

    problems: list[str] = []
    organisation = _check_rows(ManifestOrganisation, [manifest.organisation], "the organisation", problems)
    rows = _check_rows(ManifestAssessment, manifest.assessments, "assessment", problems)
    doc_rows = _check_rows(ManifestDocument, manifest.documents, "document", problems)
    item_rows = _check_rows(ManifestAction, manifest.action_items, "action", problems)
    _refuse(problems)
    org = organisation[0].model_dump()
    ids = {a.id for a in rows}
    if len(ids) != len(rows):
        raise InputError("the record lists an assessment twice")
    if len({d.id for d in doc_rows}) != len(doc_rows):
        raise InputError("the record lists a document twice")
    if len({(i.assessment_id, i.action_id) for i in item_rows}) != len(item_rows):
        raise InputError("the record lists an action of an assessment twice")
    assessments = []
    for n, a in enumerate(rows, start=1):
        if a.copied_from is not None and a.copied_from not in ids:
            problems.append(f"assessment {n} ({a.id}): copied_from: names an assessment that is not in the record")
        answers = parse_answers(member(a.answers_file), name=a.answers_file)
        row = a.model_dump(exclude={"answers_file"})
        assessments.append(
            {
                **row,
                "organisation_id": org["id"],
                "answers": answers.model_dump_json(),
                "schema_version": answers.schema_version,
            }
        )
    documents = []
    for d in doc_rows:
        if d.assessment_id not in ids:
            raise InputError(f"document {d.id} belongs to an assessment that is not in the record")
        content = member(d.file)
        if hashlib.sha256(content).hexdigest() != d.sha256 or len(content) != d.size:
            raise InputError(f"document {d.filename} ({d.id}) does not match its recorded SHA-256")
        answers = parse_answers(member(d.answers_file), name=d.answers_file)
        if answers_sha256(answers) != d.answers_sha256:
            raise InputError(f"the answers of document {d.id} do not match the hash recorded with it")
        row = d.model_dump(exclude={"file", "answers_file", "options"})
        documents.append(
            {
                **row,
                "options": json.dumps(d.options, sort_keys=True),
                "content": content,
                "answers": answers.model_dump_json(),
            }
        )
    items = []
    for n, item in enumerate(item_rows, start=1):
        if item.assessment_id not in ids:
            problems.append(f"action {n} ({item.action_id}): belongs to an assessment that is not in the record")
        items.append(item.model_dump())
    events = _read_events(member(manifest.audit_log.file), ids, problems)
    _refuse(problems)
    if len(events) != manifest.audit_log.events:
        raise InputError("the audit log does not hold as many changes as the manifest says")
    return {
        "organisation": org,
        "assessments": assessments,
        "answer_events": events,
        "documents": documents,
        "action_items": items,
    }


def _read_events(content: bytes, assessment_ids: set[str], problems: list[str]) -> list[dict[str, Any]]:
    try:
        raw = json.loads(content.decode("utf-8"))
        if not isinstance(raw, list):
            raise ValueError("expected a list")
    except (UnicodeDecodeError, ValueError) as exc:
        raise InputError(f"{AUDIT_JSON} is not a valid audit log: {str(exc)[:200]}") from None
    except RecursionError:
        raise InputError(f"{AUDIT_JSON} nests lists or objects too deeply to be an audit log") from None
    rows = [r.model_dump() for r in _check_rows(LogEntry, raw, f"{AUDIT_JSON} entry", problems)]
    for n, row in enumerate(rows, start=1):
        if row["assessment_id"] not in assessment_ids:
            problems.append(f"{AUDIT_JSON} entry {n}: belongs to an assessment that is not in the record")
    return rows


IMPORTED = "imported"


def attribute_imported_events(events: Iterable[dict[str, Any]], importer: str | None) -> list[dict[str, Any]]:
    """Log entries from an archive, attributed to the person importing it (``None`` locally).

    An archive can claim any author, so the claimed one never becomes the entry's ``user``: every entry's
    ``source`` is marked as imported, and a claimed author is kept there as what the record says
    (``wizard · imported; the record says by ann@…``).
    """
    out = []
    for e in events:
        claimed = e.get("user")
        source = f"{e.get('source') or ''} · {IMPORTED}".lstrip(" ·")
        if claimed and claimed != importer:
            source += f"; the record says by {claimed}"
        out.append({**e, "user": importer, "source": source})
    return out


def as_copy(record: dict[str, Any], *, mark_as_copy: bool = True) -> tuple[dict[str, Any], dict[str, str]]:
    """The same record under fresh ids (for importing next to the original); also the id mapping.

    ``mark_as_copy`` adds "(imported copy)" to the organisation's name.
    """
    mapping = {record["organisation"]["id"]: new_id("o")}
    mapping.update({a["id"]: new_id("a") for a in record["assessments"]})
    mapping.update({d["id"]: new_id("d") for d in record["documents"]})
    name = record["organisation"]["name"]
    org = {
        **record["organisation"],
        "id": mapping[record["organisation"]["id"]],
        "name": name[:285] + " (imported copy)" if mark_as_copy else name,
    }
    assessments = [
        {**a, "id": mapping[a["id"]], "organisation_id": org["id"], "copied_from": mapping.get(a["copied_from"])}
        for a in record["assessments"]
    ]
    documents = [
        {**d, "id": mapping[d["id"]], "assessment_id": mapping[d["assessment_id"]]} for d in record["documents"]
    ]
    return {
        "organisation": org,
        "assessments": assessments,
        "documents": documents,
        "answer_events": [{**e, "assessment_id": mapping[e["assessment_id"]]} for e in record["answer_events"]],
        "action_items": [{**i, "assessment_id": mapping[i["assessment_id"]]} for i in record["action_items"]],
    }, mapping


def import_organisation(store: Any, data: bytes, *, copy: bool = False, **limits: int) -> ImportResult:
    """Check ``data`` (an exported ZIP) and add the organisation to ``store``; on any problem, nothing changes.

    With ``copy=True`` every id is new, so a record can be imported next to its original. Through a
    ``ScopedStore`` (the app) a hosted user who is not an admin always gets new ids — the archive's own
    ids could otherwise be probed — and every change-log entry is attributed to the importer. A plain
    ``Store`` (the command line, a restore) keeps the record as it is.
    """
    record = read_record(data, **limits)
    if hasattr(store, "import_record"):
        org, mapping = store.import_record(record, copy=copy)
    else:
        mapping = {}
        if copy:
            record, mapping = as_copy(record)
        org = store.import_rows(record)
    return ImportResult(
        org.id, org.name, len(record["assessments"]), len(record["documents"]), len(record["answer_events"]), mapping
    )


# --- the audit log as CSV ------------------------------------------------------------------------

AUDIT_COLUMNS = ("when", "who", "assessment_id", "field", "question", "old_answer", "new_answer", "source")


def _as_events(rows: Iterable[dict[str, Any]]) -> list[AnswerEvent]:
    return [
        AnswerEvent(
            id=n,
            assessment_id=r["assessment_id"],
            field=r["field"],
            old_value=json.loads(r["old_value"]),
            new_value=json.loads(r["new_value"]),
            source=r["source"] or "",
            user=r["user"],
            at=r["at"],
        )
        for n, r in enumerate(rows, 1)
    ]


def question_field(field_path: str) -> str:
    """The questionnaire's field for an answer path: one agreement's ``"agreements.<id>.field"`` is asked as
    ``"agreement.field"``; any other path is its own."""
    if field_path.startswith("agreements.") and field_path.count(".") >= 2:
        return "agreement." + field_path.split(".", 2)[2]
    return field_path


def value_text(field_path: str, value: Any) -> str:
    """An answer as a person reads it (labels, country names), for the log and the comparison."""
    from ..questionnaire import answer_text, default_questionnaire

    try:
        return answer_text(default_questionnaire().question(question_field(field_path)), value)
    except KeyError:
        return "—" if value in (None, "", []) else json.dumps(value, ensure_ascii=False)


def question_label(field_path: str) -> str:
    """The wizard's label for an answer field, as the change log and comparisons show it."""
    from ..questionnaire import default_questionnaire

    return default_questionnaire().label(question_field(field_path))


def audit_csv(events: Sequence[AnswerEvent]) -> str:
    """The answer-change log as CSV; no cell starts with = + - @ (formula injection), who is blank locally."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(AUDIT_COLUMNS)
    for e in events:
        row = (
            e.at,
            e.user or "",
            e.assessment_id,
            e.field,
            question_label(e.field),
            value_text(e.field, e.old_value),
            value_text(e.field, e.new_value),
            e.source or "",
        )
        writer.writerow([csv_safe(v) for v in row])
    return out.getvalue()


# --- comparison of two assessments (or of the answers two documents came from) -------------------


@dataclass(frozen=True)
class AnswerChange:
    field: str
    section: str
    question: str
    old: str
    new: str


@dataclass(frozen=True)
class FindingChange:
    rule_id: str
    title: str
    change: Literal["new", "resolved", "severity"]
    old_severity: str | None
    new_severity: str | None


@dataclass(frozen=True)
class Comparison:
    answers: list[AnswerChange]
    findings: list[FindingChange]
    score_before: int
    score_after: int
    rating_before: str
    rating_after: str

    @property
    def score_change(self) -> int:
        return self.score_after - self.score_before


def changed_answers(old: Answers, new: Answers) -> list[AnswerChange]:
    """Every answer that differs, in questionnaire order, as text (labels, not codes).

    Agreements are compared by id (``Answers.flat_all``: ``"agreements.<id>.field"``), so the answers of two
    agreements never mix; an agreement only one side has shows its answers as added or removed. An
    agreement's answers carry its counterparty in the section (``"The agreement: Karoo Books CC"``).
    """
    from ..questionnaire import default_questionnaire

    questionnaire = default_questionnaire()
    titles = {q.field: s.title for s in questionnaire.sections for q in s.questions}
    order = {q.field: n for n, q in enumerate(questionnaire.questions())}
    before, after = old.flat_all(), new.flat_all()
    agreement_ids = list(dict.fromkeys([*old.agreement_ids, *new.agreement_ids]))
    names = {a.id: a.counterparty_name for a in [*old.agreements, *new.agreements] if a.counterparty_name}
    first_agreement_question = min((n for f, n in order.items() if f.startswith("agreement.")), default=0)

    def agreement_of(path: str) -> str | None:
        return path.split(".", 2)[1] if path.startswith("agreements.") else None

    def sort_key(path: str) -> tuple[int, int, int, str]:
        rank = order.get(question_field(path), 10_000)
        agreement = agreement_of(path)
        if agreement is None:
            return (rank, 0, 0, path)
        return (first_agreement_question, agreement_ids.index(agreement), rank, path)  # one agreement at a time

    def section(path: str) -> str:
        field = question_field(path)
        title = titles.get(field, field.split(".")[0])
        agreement = agreement_of(path)
        return f"{title}: {names.get(agreement, agreement)}" if agreement else title

    fields = sorted((f for f in {**before, **after} if before.get(f) != after.get(f)), key=sort_key)
    return [
        AnswerChange(
            f,
            section(f),
            questionnaire.label(question_field(f)),
            value_text(f, before.get(f)),
            value_text(f, after.get(f)),
        )
        for f in fields
    ]


def compare(old: Answers, new: Answers) -> Comparison:
    """Changed answers, findings that are new, resolved or changed in severity, and the overall score."""
    from ..analysis import analyse
    from ..risk import score

    before, after = score(analyse(old)), score(analyse(new))
    old_f = {f.rule_id: f for f in before.findings}
    new_f = {f.rule_id: f for f in after.findings}
    findings = [FindingChange(r, f.title, "new", None, f.severity) for r, f in new_f.items() if r not in old_f]
    findings += [FindingChange(r, f.title, "resolved", f.severity, None) for r, f in old_f.items() if r not in new_f]
    findings += [
        FindingChange(r, f.title, "severity", old_f[r].severity, f.severity)
        for r, f in new_f.items()
        if r in old_f and old_f[r].severity != f.severity
    ]
    return Comparison(
        changed_answers(old, new),
        findings,
        before.overall.score,
        after.overall.score,
        before.overall.rating,
        after.overall.rating,
    )
