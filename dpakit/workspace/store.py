"""Persistence: organisations, assessments (answers), the answer-change log and generated documents.

One SQLite file (``DPAKIT_DB``, default ``data/dpakit.db``), written through sqlite-utils, in WAL mode.
Every operation opens its own short-lived connection, so the store is safe to use from Streamlit's
script threads, download callbacks and a batch job at once. Read-modify-write operations (saving one
answer) run in ``BEGIN IMMEDIATE`` transactions: two tabs saving different answers to the same
assessment never drop each other's change (last write per field wins).

A database file that is corrupt or read-only is reported as a ``StoreError`` with a clear message, and
is never overwritten or "repaired".
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple

from pydantic import TypeAdapter, ValidationError
from sqlite_utils import Database, Migrations

from ..answers_file import answers_sha256
from ..content import PROJECT_DIR
from ..errors import InputError, NotFound, StoreError
from ..models import SCHEMA_VERSION, Answers, clean_name, split_path
from ..vendors import PREFILL_TRIGGER, prefill_changes
from .records import (
    ASSESSMENT_STATUSES,
    DOCUMENT_KINDS,
    ROLES,
    TABLES,
    ActionStatus,
    AssessmentStatus,
    DocumentKind,
    MembershipRow,
    OrganisationRow,
)

DEFAULT_DB = PROJECT_DIR / "data" / "dpakit.db"
ENV_VAR = "DPAKIT_DB"

migrations = Migrations("dpakit")

DPAKIT_TABLES = frozenset(TABLES)
"""The tables dpakit creates (one record model each, ``records.TABLES``): a database file holding tables but
none of these belongs to another program."""

# The migrations are history: they stay as they were written, and a test checks that the schema they build
# has exactly the columns of the record models in ``records`` (a new column is a new migration and a new
# field there).


@migrations()
def m001_initial(db: Database) -> None:
    db.table("organisations").create(
        {"id": str, "name": str, "created_at": str, "updated_at": str}, pk="id", not_null={"name"}
    )
    db.table("assessments").create(
        {
            "id": str,
            "organisation_id": str,
            "title": str,
            "status": str,
            "schema_version": int,
            "answers": str,
            "section": str,
            "copied_from": str,
            "created_at": str,
            "updated_at": str,
        },
        pk="id",
        foreign_keys=[("organisation_id", "organisations", "id")],
        not_null={"organisation_id", "answers"},
    )
    db.table("assessments").create_index(["organisation_id"])
    db.table("answer_events").create(
        {
            "id": int,
            "assessment_id": str,
            "field": str,
            "old_value": str,
            "new_value": str,
            "source": str,
            "user": str,
            "at": str,
        },
        pk="id",
        foreign_keys=[("assessment_id", "assessments", "id")],
    )
    db.table("answer_events").create_index(["assessment_id", "id"])
    db.table("documents").create(
        {
            "id": str,
            "assessment_id": str,
            "kind": str,
            "filename": str,
            "sha256": str,
            "answers_sha256": str,
            "answers": str,
            "library_version": str,
            "options": str,
            "size": int,
            "content": bytes,
            "created_at": str,
        },
        pk="id",
        foreign_keys=[("assessment_id", "assessments", "id")],
    )
    db.table("documents").create_index(["assessment_id"])
    db.table("action_items").create(
        {
            "assessment_id": str,
            "action_id": str,
            "owner": str,
            "due_date": str,
            "status": str,
            "notes": str,
            "updated_at": str,
        },
        pk=("assessment_id", "action_id"),
        foreign_keys=[("assessment_id", "assessments", "id")],
    )


@migrations(transactional=False)
def m002_wal(db: Database) -> None:
    db.enable_wal()


@migrations()
def m003_memberships(db: Database) -> None:
    """Who may see which organisation when dpakit is hosted (``dpakit.workspace.access``).

    No foreign key to ``organisations``: ``delete_organisation`` removes the organisation row first and
    then these rows (``_after_delete``).
    """
    db.table("memberships").create(
        {"user": str, "organisation_id": str, "role": str, "created_at": str},
        pk=("user", "organisation_id"),
        not_null={"role"},
    )
    db.table("memberships").create_index(["organisation_id"])


@migrations()
def m004_stored_progress(db: Database) -> None:
    """Each assessment's progress (questions answered of those shown), stored with the stamp of the
    questionnaire it was counted against (``questionnaire.progress_stamp``), so lists need not recount it.

    Existing rows are counted here; one whose answers cannot be read keeps ``NULL`` and is counted (or shown
    as unreadable) when a list meets it.
    """
    table = db.table("assessments")
    for name, kind in (("answered", int), ("visible", int), ("progress_stamp", str)):
        table.add_column(name, kind)
    rows = list(db.query("SELECT id, answers FROM assessments"))
    for row in rows:
        counted = _counted(row["answers"])
        if counted is not None:
            db.execute(
                "UPDATE assessments SET answered = ?, visible = ?, progress_stamp = ? WHERE id = ?",
                [*counted, row["id"]],
            )
    db.table("assessments").create_index(["organisation_id", "updated_at"], if_not_exists=True)


@migrations()
def m005_agreements(db: Database) -> None:
    """Answers version 2: an assessment holds agreements (``models.upgrade_v1``).

    Every stored version-1 assessment is rewritten as version 2 (its one agreement becomes agreement
    ``"main"``, nothing dropped), its log entries ``agreement.x`` become ``agreements.main.x`` so the history
    of a field stays one history, and documents record the agreement they were drafted for (``"main"`` for
    those drafted before). A document keeps the answers it was drafted from as they were (they are read
    through the same upgrade). Answers that cannot be read are left as they are, to be shown as unreadable.
    All in the migration's one transaction.
    """
    from ..models import upgrade

    for row in list(db.query("SELECT id, answers FROM assessments")):
        try:
            data = json.loads(row["answers"])
        except ValueError:
            continue
        if not isinstance(data, dict) or data.get("schema_version", 1) != 1:
            continue
        try:
            answers = Answers.model_validate(upgrade(data))
        except ValidationError:
            continue
        db.execute(
            "UPDATE assessments SET answers = ?, schema_version = ?, answered = ?, visible = ?, progress_stamp = ? "
            "WHERE id = ?",
            [answers.model_dump_json(), answers.schema_version, *_counted_answers(answers), row["id"]],
        )
    db.execute(
        "UPDATE answer_events SET field = 'agreements.main.' || substr(field, length('agreement.') + 1) "
        "WHERE field LIKE 'agreement.%'"
    )
    db.table("documents").add_column("agreement_id", str)
    db.execute("UPDATE documents SET agreement_id = 'main'")


def _counted_answers(answers: Answers) -> tuple[int, int, str]:
    """``(answered, visible, stamp)`` of answers, as the progress columns store them."""
    from ..questionnaire import default_questionnaire, progress, progress_stamp

    questionnaire = default_questionnaire()
    done = progress(answers, questionnaire)
    return done.answered, done.visible, progress_stamp(questionnaire)


def _counted(answers_json: str) -> tuple[int, int, str] | None:
    """``_counted_answers`` of stored answers text; ``None`` when they cannot be read."""
    try:
        return _counted_answers(Answers.model_validate_json(answers_json))
    except ValidationError:
        return None


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def new_id(prefix: str) -> str:
    """An opaque, unguessable identifier, safe in URLs (e.g. ``a_3q9X…``)."""
    return f"{prefix}_{secrets.token_urlsafe(12)}"


Organisation = OrganisationRow
"""An organisation, exactly its row (``records.OrganisationRow``)."""
Membership = MembershipRow
"""Who holds which role in an organisation, exactly its row (``records.MembershipRow``)."""

# The other return values decode their row (answers, logged values, options) and leave out what a page does
# not need (a document's bytes); their fields carry the column types of ``records`` (a test compares them).


@dataclass(frozen=True)
class Assessment:
    id: str
    organisation_id: str
    title: str
    status: AssessmentStatus
    answers: Answers
    section: str | None
    copied_from: str | None
    created_at: str
    updated_at: str
    unreadable: str = ""
    """Why the saved answers cannot be read (a newer dpakit wrote them, or they fail validation); then
    ``answers`` is empty and stands for nothing. Only ``Store.assessments`` returns such placeholders,
    so one bad row does not hide the others; every other read raises ``StoreError`` instead."""


@dataclass(frozen=True)
class AnswerEvent:
    id: int
    assessment_id: str
    field: str
    old_value: Any
    new_value: Any
    source: str
    user: str | None
    at: str


@dataclass(frozen=True)
class DocumentRecord:
    id: str
    assessment_id: str
    kind: DocumentKind
    filename: str
    sha256: str
    answers_sha256: str
    library_version: str
    options: dict[str, Any]
    size: int
    created_at: str
    agreement_id: str | None = None
    """The agreement a DPA was drafted for (``None`` for documents of the whole assessment)."""


def normalise_user(user: str) -> str:
    """Users are e-mail addresses, compared without case or surrounding space."""
    return user.strip().lower()


@dataclass(frozen=True)
class ActionState:
    action_id: str
    owner: str
    due_date: str
    status: ActionStatus
    notes: str


class AnswerSaved(NamedTuple):
    """What ``Store.set_answer_with_prefill`` saved: the answers as saved, and the answers it pre-filled."""

    answers: Answers
    prefilled: dict[str, Any]
    """Field path -> the value pre-filled (``None``: a previous vendor's fact cleared); empty when none."""


@dataclass(frozen=True)
class AssessmentSummary:
    """An assessment as a list shows it: no answers, its progress as stored (``Store.organisation_page``)."""

    id: str
    title: str
    status: AssessmentStatus
    section: str | None
    created_at: str
    updated_at: str
    answered: int
    visible: int
    unreadable: str = ""
    """As ``Assessment.unreadable``: why the answers cannot be read (then the counts are 0)."""


@dataclass(frozen=True)
class OrganisationSummary:
    """An organisation in a list: its row, its assessments (newest first) and when anything last changed."""

    organisation: Organisation
    assessments: tuple[AssessmentSummary, ...]
    last_change: str


@dataclass(frozen=True)
class OrganisationPage:
    """One bounded page of organisations (``Store.organisation_page``) and how many matched in all."""

    organisations: tuple[OrganisationSummary, ...]
    total: int

    @property
    def not_shown(self) -> int:
        return self.total - len(self.organisations)


ORGANISATION_SORTS: dict[str, str] = {
    "recent": "last_change DESC, o.id",
    "name": "o.name COLLATE NOCASE, o.id",
    "newest": "o.created_at DESC, o.id",
}
"""How ``Store.organisation_page`` may sort: by the latest change (to it or any of its assessments), by name,
or newest organisation first."""


_ACTION_STATUS: TypeAdapter[ActionStatus] = TypeAdapter(ActionStatus)


def _action_status(value: str) -> ActionStatus:
    try:
        return _ACTION_STATUS.validate_python(value)
    except ValidationError:
        raise InputError(f"unknown status {value!r}") from None


def _named(path: Path) -> str:
    """How messages name the database: the setting and the file name, never the server's folders."""
    return f"the database file {path.name!r} ({ENV_VAR})"


def _describe_sqlite_error(path: Path, exc: sqlite3.Error) -> str:
    text = str(exc)
    code = getattr(exc, "sqlite_errorcode", None)
    if "not a database" in text or "malformed" in text:
        return (
            f"{_named(path)} is damaged or is not a dpakit database; it has not been changed. "
            f"Restore it from a backup, or point {ENV_VAR} at another file."
        )
    if code == sqlite3.SQLITE_FULL or "database or disk is full" in text:
        return (
            f"the disk holding {_named(path)} is full, so this change was not saved; what was saved before "
            "is intact. Free some space on the server and try again."
        )
    if "readonly" in text or "read-only" in text:
        return f"{_named(path)} is read-only, so nothing can be saved; your data in it is untouched."
    if "unable to open" in text:
        return f"{_named(path)} cannot be opened (check the folder exists and may be written)."
    if "locked" in text or "busy" in text:
        return "the database is busy; please try again in a moment."
    return f"database error on {_named(path)}: {text.replace(str(path), path.name)}"


class Store:
    """All reads and writes of dpakit's database."""

    def __init__(self, path: str | Path | None = None):
        self.path = Path(path or os.environ.get(ENV_VAR) or DEFAULT_DB)
        self._migrate()
        # Held open, never used: while one connection stays open, closing a per-operation connection is
        # not the last close, so SQLite does not checkpoint and delete the WAL every time (that cost
        # about 0.4 ms per operation; checkpoints still run automatically as the WAL grows).
        self._keeper: sqlite3.Connection | None = None
        try:
            self._keeper = sqlite3.connect(self.path, check_same_thread=False)
            self._keeper.execute("SELECT count(*) FROM sqlite_master").fetchall()  # joins the WAL
        except sqlite3.Error:  # only an optimisation: every operation still opens its own connection
            self._keeper = None

    def close(self) -> None:
        """Release the idle connection (operations still work afterwards; each opens its own)."""
        if self._keeper is not None:
            self._keeper.close()
            self._keeper = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- connection ----------------------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=30, check_same_thread=False, isolation_level=None)

    @contextmanager
    def _db(self) -> Iterator[Database]:
        try:
            conn = self._connect()
        except sqlite3.Error as exc:
            raise StoreError(_describe_sqlite_error(self.path, exc)) from None
        try:
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA busy_timeout = 30000")
            yield Database(conn)
        except sqlite3.Error as exc:
            raise StoreError(_describe_sqlite_error(self.path, exc)) from None
        finally:
            conn.close()

    @contextmanager
    def _write(self) -> Iterator[Database]:
        """A write transaction that takes the write lock up front (no lost read-modify-write)."""
        with self._db() as db:
            db.conn.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                # Some errors (a full disk, an I/O error) have rolled the transaction back already; a
                # second ROLLBACK would replace the real reason with "no transaction is active".
                if db.conn.in_transaction:
                    db.conn.execute("ROLLBACK")
                raise
            db.conn.execute("COMMIT")

    def _migrate(self) -> None:
        # Never open() the database file here: closing any descriptor of it drops every POSIX lock this
        # process holds on it, so another process would delete the WAL under a live connection (lost
        # saves). Everything is checked through SQLite, which keeps such descriptors open while locked.
        if self.path.is_dir():
            raise StoreError(
                f"{ENV_VAR} names a folder ({self.path.name!r}), not a database file: set it to a file "
                f"inside that folder, e.g. {ENV_VAR}=…/{self.path.name}/dpakit.db"
            )
        if not self.path.exists():
            if not self.path.parent.exists():
                self.path.parent.mkdir(parents=True, exist_ok=True)
        else:
            with self._db() as db:  # reads only: a foreign file is left exactly as it was
                names = {r[0] for r in db.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if names and not names & DPAKIT_TABLES:
                raise StoreError(
                    f"{_named(self.path)} belongs to another program (it holds tables, none of them "
                    f"dpakit's); it has not been changed. Point {ENV_VAR} at a dpakit database or a new file."
                )
        with self._db() as db:
            if migrations.pending(db):
                migrations.apply(db)

    # --- organisations -------------------------------------------------------------------------

    def create_organisation(self, name: str) -> Organisation:
        name = clean_name(name)
        if not name:
            raise InputError("give the organisation a name")
        stamp = now()
        org = Organisation(id=new_id("o"), name=name[:300], created_at=stamp, updated_at=stamp)
        with self._write() as db:
            db.table("organisations").insert(org.model_dump())
        return org

    def organisation(self, org_id: str) -> Organisation:
        with self._db() as db:
            rows = list(db.query("SELECT * FROM organisations WHERE id = ?", [org_id]))
        if not rows:
            raise NotFound(f"no organisation {org_id!r}")
        return Organisation.model_construct(**rows[0])

    def organisations(self, search: str = "", ids: Sequence[str] | None = None) -> list[Organisation]:
        where, params = ["1=1"], []
        if search:
            where.append("name LIKE ? ESCAPE '\\'")
            params.append("%" + search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%")
        if ids is not None:
            if not ids:
                return []
            where.append(f"id IN ({','.join('?' * len(ids))})")
            params.extend(ids)
        with self._db() as db:
            rows = db.table("organisations").rows_where(" AND ".join(where), params, order_by="name COLLATE NOCASE")
            return [Organisation.model_construct(**r) for r in rows]

    def organisation_page(
        self, search: str = "", *, sort: str = "recent", limit: int = 20, ids: Sequence[str] | None = None
    ) -> OrganisationPage:
        """At most ``limit`` organisations whose name contains ``search`` (any case), sorted by ``sort`` (one of
        ``ORGANISATION_SORTS``), each with its assessments and their stored progress, in one query; ``ids``
        restricts the list to these organisations (``None``: all). ``total`` counts every match.

        Progress counted against other content (``questionnaire.progress_stamp``) is recounted for the rows
        shown and saved again, so it is counted once per change of the answers or of the questionnaire.
        """
        from ..questionnaire import progress_stamp

        if sort not in ORGANISATION_SORTS:
            raise InputError(f"unknown order {sort!r} (one of: {', '.join(ORGANISATION_SORTS)})")
        if ids is not None and not ids:
            return OrganisationPage((), 0)
        where, params = ["1=1"], []
        if search:
            where.append("o.name LIKE ? ESCAPE '\\'")
            params.append("%" + search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%")
        if ids is not None:
            where.append("o.id IN (SELECT value FROM json_each(?))")
            params.append(json.dumps(list(ids)))
        current = progress_stamp()
        sql = f"""
            WITH page AS (
                SELECT o.*, max(o.updated_at, coalesce(
                        (SELECT max(x.updated_at) FROM assessments x WHERE x.organisation_id = o.id), '')
                    ) AS last_change,
                    count(*) OVER () AS total
                FROM organisations o WHERE {" AND ".join(where)}
                ORDER BY {ORGANISATION_SORTS[sort]} LIMIT ?
            )
            SELECT p.id AS o_id, p.name, p.created_at AS o_created_at, p.updated_at AS o_updated_at, p.last_change,
                p.total, a.id, a.title, a.status, a.section, a.created_at, a.updated_at, a.answered, a.visible,
                CASE WHEN a.progress_stamp = ? AND a.schema_version <= ? THEN NULL ELSE a.answers END AS stale
            FROM page p LEFT JOIN assessments a ON a.organisation_id = p.id
            ORDER BY {ORGANISATION_SORTS[sort].replace("o.", "p.")}, a.created_at DESC, a.id
        """
        with self._db() as db:
            rows = list(db.query(sql, [*params, max(0, limit), current, SCHEMA_VERSION]))
        total = rows[0]["total"] if rows else self._count_organisations(where, params)
        recounted: list[tuple[int, int, str, str, str]] = []
        found: dict[str, tuple[Organisation, str, list[AssessmentSummary]]] = {}
        for row in rows:
            if row["o_id"] not in found:
                org = Organisation.model_construct(
                    id=row["o_id"], name=row["name"], created_at=row["o_created_at"], updated_at=row["o_updated_at"]
                )
                found[row["o_id"]] = (org, row["last_change"], [])
            if row["id"] is None:
                continue
            answered, visible, unreadable = row["answered"] or 0, row["visible"] or 0, ""
            if row["stale"] is not None:
                try:
                    answered, visible, stamp = _counted_answers(Answers.model_validate_json(row["stale"]))
                except ValidationError as exc:
                    answered, visible, unreadable = 0, 0, _unreadable_reason({"answers": row["stale"]}, exc)
                else:
                    recounted.append((answered, visible, stamp, row["id"], row["stale"]))
            found[row["o_id"]][2].append(
                AssessmentSummary(
                    id=row["id"],
                    title=row["title"],
                    status=row["status"],
                    section=row["section"],
                    created_at=row["created_at"],
                    updated_at=row["updated_at"],
                    answered=answered,
                    visible=visible,
                    unreadable=unreadable,
                )
            )
        if recounted:
            self._save_recounted(recounted)
        return OrganisationPage(
            tuple(OrganisationSummary(org, tuple(items), last) for org, last, items in found.values()), total
        )

    def _count_organisations(self, where: list[str], params: list[Any]) -> int:
        with self._db() as db:
            return db.execute(f"SELECT count(*) FROM organisations o WHERE {' AND '.join(where)}", params).fetchone()[0]

    def _save_recounted(self, recounted: list[tuple[int, int, str, str, str]]) -> None:
        """Store progress recounted by a list, unless the answers changed meanwhile (then they were counted
        with them). Only a saving: a database that cannot be written shows the list all the same."""
        try:
            with self._write() as db:
                db.conn.executemany(
                    "UPDATE assessments SET answered = ?, visible = ?, progress_stamp = ? WHERE id = ? AND answers = ?",
                    recounted,
                )
        except StoreError:
            pass

    def rename_organisation(self, org_id: str, name: str) -> None:
        name = clean_name(name)
        if not name:
            raise InputError("give the organisation a name")
        with self._write() as db:
            self._require(db, "organisations", org_id)
            db.table("organisations").update(org_id, {"name": name[:300], "updated_at": now()})

    def delete_organisation(self, org_id: str) -> None:
        """Erase an organisation and everything that belongs to it, then reclaim the space."""
        with self._write() as db:
            self._require(db, "organisations", org_id)
            ids = [r["id"] for r in db.query("SELECT id FROM assessments WHERE organisation_id = ?", [org_id])]
            for table in ("answer_events", "documents", "action_items"):
                db.execute(
                    f"DELETE FROM {table} WHERE assessment_id IN "
                    "(SELECT id FROM assessments WHERE organisation_id = ?)",
                    [org_id],
                )
            db.execute("DELETE FROM assessments WHERE organisation_id = ?", [org_id])
            db.execute("DELETE FROM organisations WHERE id = ?", [org_id])
            self._after_delete(db, org_id, ids)
        with self._db() as db:
            # Deleted rows can linger in free pages and the WAL; erase means erase.
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            db.execute("VACUUM")

    def _after_delete(self, db: Database, org_id: str, assessment_ids: list[str]) -> None:
        """Hook for tables added by later migrations that refer to an organisation."""
        db.execute("DELETE FROM memberships WHERE organisation_id = ?", [org_id])

    # --- assessments ---------------------------------------------------------------------------

    def create_assessment(
        self,
        org_id: str,
        answers: Answers | None = None,
        title: str = "",
        source: str = "new",
        copied_from: str | None = None,
        user: str | None = None,
    ) -> Assessment:
        answers = answers or Answers()
        stamp = now()
        assessment_id = new_id("a")
        title = clean_name(title) or f"Assessment {stamp[:10]}"
        with self._write() as db:
            self._require(db, "organisations", org_id)
            db.table("assessments").insert(
                {
                    "id": assessment_id,
                    "organisation_id": org_id,
                    "title": title[:200],
                    "status": "in_progress",
                    "schema_version": answers.schema_version,
                    "answers": answers.model_dump_json(),
                    **_progress_columns(answers),
                    "section": None,
                    "copied_from": copied_from,
                    "created_at": stamp,
                    "updated_at": stamp,
                }
            )
            self._log_changes(db, assessment_id, Answers(), answers, source, user, stamp)
        return self.assessment(assessment_id)

    def assessment(self, assessment_id: str) -> Assessment:
        with self._db() as db:
            return self._read_assessment(db, assessment_id)

    def _read_assessment(self, db: Database, assessment_id: str, *, lenient: bool = False) -> Assessment:
        # Plain SQL on the hot paths (each answer saved reads and writes here): sqlite-utils' table
        # helpers look up the schema on every call, which was most of the statements run.
        rows = list(db.query("SELECT * FROM assessments WHERE id = ?", [assessment_id]))
        if not rows:
            raise NotFound(f"no assessment {assessment_id!r}")
        return self._assessment_of_row(rows[0], lenient=lenient)

    @staticmethod
    def _assessment_of_row(row: dict[str, Any], *, lenient: bool = False) -> Assessment:
        assessment_id = row["id"]
        unreadable = ""
        try:
            answers = Answers.model_validate_json(row["answers"])
        except ValidationError as exc:
            unreadable = _unreadable_reason(row, exc)
            if not lenient:
                raise StoreError(f"the saved answers of assessment {assessment_id} {unreadable}") from None
            answers = Answers()
        return Assessment(
            id=row["id"],
            organisation_id=row["organisation_id"],
            title=row["title"],
            status=row["status"],
            answers=answers,
            section=row["section"],
            copied_from=row["copied_from"],
            created_at=row["created_at"],
            updated_at=row["updated_at"],
            unreadable=unreadable,
        )

    def assessments(self, org_id: str) -> list[Assessment]:
        """An organisation's assessments, newest first. One whose answers cannot be read is listed as a
        placeholder with ``unreadable`` set (and empty answers), so it never hides the others."""
        with self._db() as db:
            ids = [
                r["id"]
                for r in db.query(
                    "SELECT id FROM assessments WHERE organisation_id = ? ORDER BY created_at DESC", [org_id]
                )
            ]
            return [self._read_assessment(db, i, lenient=True) for i in ids]

    def assessments_of(self, org_ids: Sequence[str]) -> dict[str, list[Assessment]]:
        """``assessments`` of several organisations in one query: organisation id -> its assessments, newest
        first (an organisation without any, or unknown, maps to an empty list)."""
        found: dict[str, list[Assessment]] = {org_id: [] for org_id in org_ids}
        if not found:
            return found
        with self._db() as db:
            rows = db.query(
                "SELECT * FROM assessments WHERE organisation_id IN (SELECT value FROM json_each(?)) "
                "ORDER BY created_at DESC",
                [json.dumps(list(found))],
            )
            for row in rows:
                found[row["organisation_id"]].append(self._assessment_of_row(row, lenient=True))
        return found

    def set_answer(
        self, assessment_id: str, path: str, value: Any, source: str = "wizard", user: str | None = None
    ) -> Answers:
        """Save one answer now, and log the change. Returns the answers as saved.

        An invalid value raises ``InputError`` and changes nothing.
        """
        return self._save_answer(assessment_id, path, value, source, user, prefill=False).answers

    def set_answer_with_prefill(
        self, assessment_id: str, path: str, value: Any, source: str = "wizard", user: str | None = None
    ) -> AnswerSaved:
        """Save one answer as ``set_answer`` does and, when it changes the CRM vendor
        (``vendors.PREFILL_TRIGGER``), the answers that vendor's profile pre-fills
        (``vendors.prefill_changes``: never one the user chose themselves), all in one transaction.

        The user's change is logged with ``source``, each pre-filled answer with source ``"prefill"``, at
        the same time. Returns the answers as saved and what was pre-filled. An invalid value (the user's or
        a pre-filled one) raises ``InputError`` and changes nothing.
        """
        return self._save_answer(assessment_id, path, value, source, user, prefill=True)

    def _save_answer(
        self, assessment_id: str, path: str, value: Any, source: str, user: str | None, *, prefill: bool
    ) -> AnswerSaved:
        split_path(path)
        with self._write() as db:
            current = self._read_assessment(db, assessment_id).answers
            try:
                answered = current.with_value(path, value)
            except ValidationError as exc:
                raise InputError(_validation_message(exc)) from None
            except KeyError:  # the path is a field, so the agreement is not there (removed in another tab)
                raise NotFound(f"no agreement for {path!r} in assessment {assessment_id!r}") from None
            if answered.get(path) == current.get(path):
                return AnswerSaved(current, {})
            changes = prefill_changes(current, answered) if prefill and path == PREFILL_TRIGGER else {}
            updated = answered
            for field, new_value in changes.items():
                try:
                    updated = updated.with_value(field, new_value)
                except ValidationError as exc:
                    raise InputError(f"{field}: {_validation_message(exc)}") from None
            stamp = self._write_answers(db, assessment_id, updated)
            self._log_changes(db, assessment_id, current, answered, source, user, stamp)
            self._log_changes(db, assessment_id, answered, updated, "prefill", user, stamp)
        return AnswerSaved(updated, changes)

    def set_answers(
        self, assessment_id: str, answers: Answers, source: str = "import", user: str | None = None
    ) -> Answers:
        """Replace every answer at once (an import or a pre-fill), logging each field that changed."""
        with self._write() as db:
            current = self._read_assessment(db, assessment_id).answers
            stamp = now()
            db.table("assessments").update(
                assessment_id,
                {
                    "answers": answers.model_dump_json(),
                    "schema_version": answers.schema_version,
                    "updated_at": stamp,
                    **_progress_columns(answers),
                },
            )
            self._log_changes(db, assessment_id, current, answers, source, user, stamp)
        return answers

    # --- agreements (processing relationships) ---------------------------------------------------

    def add_agreement(
        self, assessment_id: str, name: str = "", user: str | None = None, *, copy_of: str | None = None
    ) -> str:
        """Add an agreement to an assessment and return its new id (a slug of ``name``, made unique).

        The new agreement's counterparty name is ``name``; with ``copy_of`` it starts as a copy of that
        agreement's answers (the terms and scope of a similar relationship), otherwise empty. Logged as
        answers changed.
        """
        from ..models import Agreement

        with self._write() as db:
            current = self._read_assessment(db, assessment_id).answers
            agreement_id = current.new_agreement_id(name)
            values: dict[str, Any] = {}
            if copy_of is not None:
                try:
                    values = current.agreement_by_id(copy_of).model_dump(mode="json")
                except KeyError:
                    raise NotFound(f"no agreement {copy_of!r} in assessment {assessment_id!r}") from None
            clean = clean_name(name)
            values.update(id=agreement_id, counterparty_name=clean or values.get("counterparty_name"))
            try:
                updated = current.with_agreement(Agreement.model_validate(values))
            except ValidationError as exc:
                raise InputError(_validation_message(exc)) from None
            self._store_answers(db, assessment_id, current, updated, "agreement", user)
        return agreement_id

    def copy_agreement(self, assessment_id: str, agreement_id: str, name: str = "", user: str | None = None) -> str:
        """A new agreement starting from a copy of ``agreement_id``'s answers; returns its id."""
        return self.add_agreement(assessment_id, name, user, copy_of=agreement_id)

    def remove_agreement(self, assessment_id: str, agreement_id: str, user: str | None = None) -> None:
        """Remove an agreement (its answers are logged as cleared). The last one cannot be removed."""
        with self._write() as db:
            current = self._read_assessment(db, assessment_id).answers
            try:
                updated = current.without_agreement(agreement_id)
            except KeyError:
                raise NotFound(f"no agreement {agreement_id!r} in assessment {assessment_id!r}") from None
            except ValueError as exc:
                raise InputError(str(exc)) from None
            self._store_answers(db, assessment_id, current, updated, "agreement", user)

    def _store_answers(
        self, db: Database, assessment_id: str, current: Answers, updated: Answers, source: str, user: str | None
    ) -> None:
        stamp = self._write_answers(db, assessment_id, updated)
        self._log_changes(db, assessment_id, current, updated, source, user, stamp)

    @staticmethod
    def _write_answers(db: Database, assessment_id: str, answers: Answers) -> str:
        """Write an assessment's answers and their progress; returns the time stamp written."""
        stamp = now()
        db.execute(
            "UPDATE assessments SET answers = ?, updated_at = ?, answered = ?, visible = ?, progress_stamp = ? "
            "WHERE id = ?",
            [answers.model_dump_json(), stamp, *_counted_answers(answers), assessment_id],
        )
        return stamp

    def set_section(self, assessment_id: str, section: str) -> None:
        with self._write() as db:
            self._require(db, "assessments", assessment_id)
            db.execute("UPDATE assessments SET section = ? WHERE id = ?", [section, assessment_id])

    def update_assessment(self, assessment_id: str, *, title: str | None = None, status: str | None = None) -> None:
        changes: dict[str, Any] = {"updated_at": now()}
        if title is not None:
            changes["title"] = clean_name(title)[:200] or "Assessment"
        if status is not None:
            if status not in ASSESSMENT_STATUSES:
                raise InputError(f"unknown status {status!r}")
            changes["status"] = status
        with self._write() as db:
            self._require(db, "assessments", assessment_id)
            db.table("assessments").update(assessment_id, changes)

    def copy_forward(self, assessment_id: str, title: str = "", user: str | None = None) -> Assessment:
        """Start a new assessment from a previous one's answers (the yearly review)."""
        old = self.assessment(assessment_id)
        return self.create_assessment(
            old.organisation_id, old.answers, title=title, source="copy", copied_from=old.id, user=user
        )

    def _log_changes(
        self,
        db: Database,
        assessment_id: str,
        old: Answers,
        new: Answers,
        source: str,
        user: str | None,
        stamp: str,
    ) -> None:
        before, after = old.flat_all(), new.flat_all()
        rows = [
            {
                "assessment_id": assessment_id,
                "field": path,
                "old_value": json.dumps(before.get(path), ensure_ascii=False),
                "new_value": json.dumps(after[path], ensure_ascii=False),
                "source": source,
                "user": user,
                "at": stamp,
            }
            for path in after
            if before.get(path) != after[path]
        ]
        # An agreement removed: each of its answered fields is logged as cleared.
        rows += [
            {
                "assessment_id": assessment_id,
                "field": path,
                "old_value": json.dumps(value, ensure_ascii=False),
                "new_value": "null",
                "source": source,
                "user": user,
                "at": stamp,
            }
            for path, value in before.items()
            if path not in after and value is not None
        ]
        if rows:
            db.conn.executemany(
                "INSERT INTO answer_events (assessment_id, field, old_value, new_value, source, user, at) "
                "VALUES (:assessment_id, :field, :old_value, :new_value, :source, :user, :at)",
                rows,
            )

    def events(self, assessment_id: str) -> list[AnswerEvent]:
        with self._db() as db:
            rows = db.table("answer_events").rows_where("assessment_id = ?", [assessment_id], order_by="id")
            return [
                AnswerEvent(
                    id=r["id"],
                    assessment_id=r["assessment_id"],
                    field=r["field"],
                    old_value=json.loads(r["old_value"]),
                    new_value=json.loads(r["new_value"]),
                    source=r["source"],
                    user=r["user"],
                    at=r["at"],
                )
                for r in rows
            ]

    # --- documents -----------------------------------------------------------------------------

    def save_document(
        self,
        assessment_id: str,
        kind: str,
        filename: str,
        content: bytes,
        answers: Answers,
        library_version: str,
        options: dict[str, Any] | None = None,
        agreement_id: str | None = None,
    ) -> DocumentRecord:
        """Record a generated document with its hash, the answers it came from, the library version and,
        for a DPA, the agreement it was drafted for."""
        if kind not in DOCUMENT_KINDS:
            raise InputError(f"unknown kind of document {kind!r} (one of: {', '.join(DOCUMENT_KINDS)})")
        record = {
            "id": new_id("d"),
            "assessment_id": assessment_id,
            "kind": kind,
            "filename": filename,
            "sha256": hashlib.sha256(content).hexdigest(),
            "answers_sha256": answers_sha256(answers),
            "answers": answers.model_dump_json(),
            "library_version": library_version,
            "options": json.dumps(options or {}, sort_keys=True),
            "size": len(content),
            "content": content,
            "created_at": now(),
            "agreement_id": agreement_id,
        }
        with self._write() as db:
            self._require(db, "assessments", assessment_id)
            db.table("documents").insert(record)
        return self._document_record(record)

    def documents(self, assessment_id: str) -> list[DocumentRecord]:
        with self._db() as db:
            rows = db.query(
                "SELECT id, assessment_id, kind, filename, sha256, answers_sha256, library_version, options, "
                "size, created_at, agreement_id FROM documents WHERE assessment_id = ? ORDER BY created_at DESC",
                [assessment_id],
            )
            return [self._document_record(r) for r in rows]

    def document_content(self, document_id: str) -> bytes:
        with self._db() as db:
            rows = list(db.query("SELECT content FROM documents WHERE id = ?", [document_id]))
        if not rows:
            raise NotFound(f"no document {document_id!r}")
        return rows[0]["content"]

    def document_answers(self, document_id: str) -> Answers:
        with self._db() as db:
            rows = list(db.query("SELECT answers FROM documents WHERE id = ?", [document_id]))
        if not rows:
            raise NotFound(f"no document {document_id!r}")
        return Answers.model_validate_json(rows[0]["answers"])

    @staticmethod
    def _document_record(row: dict[str, Any]) -> DocumentRecord:
        return DocumentRecord(
            id=row["id"],
            assessment_id=row["assessment_id"],
            kind=row["kind"],
            filename=row["filename"],
            sha256=row["sha256"],
            answers_sha256=row["answers_sha256"],
            library_version=row["library_version"],
            options=json.loads(row["options"] or "{}"),
            size=row["size"],
            created_at=row["created_at"],
            agreement_id=row.get("agreement_id"),
        )

    # --- action plan state ---------------------------------------------------------------------

    def action_states(self, assessment_id: str) -> dict[str, ActionState]:
        with self._db() as db:
            rows = db.table("action_items").rows_where("assessment_id = ?", [assessment_id])
            return {
                r["action_id"]: ActionState(
                    r["action_id"], r["owner"] or "", r["due_date"] or "", r["status"] or "open", r["notes"] or ""
                )
                for r in rows
            }

    def set_action_state(
        self,
        assessment_id: str,
        action_id: str,
        *,
        owner: str | None = None,
        due_date: str | None = None,
        status: str | None = None,
        notes: str | None = None,
    ) -> ActionState:
        new_status = None if status is None else _action_status(status)
        if due_date:
            try:
                datetime.strptime(due_date, "%Y-%m-%d")
            except ValueError:
                raise InputError("a due date must look like 2027-01-31") from None
        with self._write() as db:
            self._require(db, "assessments", assessment_id)
            rows = list(
                db.table("action_items").rows_where("assessment_id = ? AND action_id = ?", [assessment_id, action_id])
            )
            row = rows[0] if rows else {"owner": "", "due_date": "", "status": "open", "notes": ""}
            merged = {
                "assessment_id": assessment_id,
                "action_id": action_id,
                "owner": (owner if owner is not None else row["owner"] or "")[:200],
                "due_date": due_date if due_date is not None else row["due_date"] or "",
                "status": new_status or row["status"] or "open",
                "notes": (notes if notes is not None else row["notes"] or "")[:5000],
                "updated_at": now(),
            }
            db.table("action_items").upsert(merged, pk=("assessment_id", "action_id"))
        return ActionState(
            action_id, merged["owner"], merged["due_date"], _action_status(merged["status"]), merged["notes"]
        )

    # --- memberships (hosted use; ``dpakit.workspace.access`` decides what they allow) ------------------------

    def memberships(self, *, user: str | None = None, org_id: str | None = None) -> list[Membership]:
        where, params = ["1=1"], []
        if user is not None:
            where.append("user = ?")
            params.append(normalise_user(user))
        if org_id is not None:
            where.append("organisation_id = ?")
            params.append(org_id)
        with self._db() as db:
            rows = db.table("memberships").rows_where(" AND ".join(where), params, order_by="user, organisation_id")
            return [Membership.model_construct(**r) for r in rows]

    def set_membership(self, user: str, org_id: str, role: str) -> Membership:
        """Give ``user`` (an e-mail address) ``role`` in an organisation (replacing any earlier role)."""
        user = normalise_user(user)
        if not user or "@" not in user:
            raise InputError("a member is named by an e-mail address (name@example.com)")
        if role not in ROLES:
            raise InputError(f"unknown role {role!r} (one of: {', '.join(ROLES)})")
        membership = Membership(user=user, organisation_id=org_id, role=role, created_at=now())
        with self._write() as db:
            self._require(db, "organisations", org_id)
            db.table("memberships").upsert(membership.model_dump(), pk=("user", "organisation_id"))
        return membership

    def remove_membership(self, user: str, org_id: str) -> None:
        with self._write() as db:
            db.execute("DELETE FROM memberships WHERE user = ? AND organisation_id = ?", [normalise_user(user), org_id])

    # --- ownership look-ups (for access checks) -------------------------------------------------

    def organisation_of_assessment(self, assessment_id: str) -> str:
        with self._db() as db:
            rows = list(db.query("SELECT organisation_id FROM assessments WHERE id = ?", [assessment_id]))
        if not rows:
            raise NotFound(f"no assessment {assessment_id!r}")
        return rows[0]["organisation_id"]

    def organisation_of_document(self, document_id: str) -> str:
        with self._db() as db:
            rows = list(
                db.query(
                    "SELECT a.organisation_id FROM documents d JOIN assessments a ON a.id = d.assessment_id "
                    "WHERE d.id = ?",
                    [document_id],
                )
            )
        if not rows:
            raise NotFound(f"no document {document_id!r}")
        return rows[0]["organisation_id"]

    def document(self, document_id: str) -> DocumentRecord:
        with self._db() as db:
            rows = list(
                db.query(
                    "SELECT id, assessment_id, kind, filename, sha256, answers_sha256, library_version, options, "
                    "size, created_at, agreement_id FROM documents WHERE id = ?",
                    [document_id],
                )
            )
        if not rows:
            raise NotFound(f"no document {document_id!r}")
        return self._document_record(rows[0])

    # --- an organisation's complete record, as rows (``dpakit.workspace.archive`` packs and checks them) ----

    RECORD_TABLES = ("assessments", "answer_events", "documents", "action_items")

    def export_rows(self, org_id: str) -> dict[str, Any]:
        """Every row that belongs to an organisation, read in one snapshot.

        ``{"organisation": row, "assessments": [...], "answer_events": [...] (in log order, without
        their local id), "documents": [... with content bytes], "action_items": [...]}``. Memberships
        are not part of the record: they name this installation's users.
        """
        with self._db() as db:
            db.conn.execute("BEGIN")
            try:
                rows = list(db.table("organisations").rows_where("id = ?", [org_id]))
                if not rows:
                    raise NotFound(f"no organisation {org_id!r}")
                owned = "assessment_id IN (SELECT id FROM assessments WHERE organisation_id = ?)"
                record = {
                    "organisation": rows[0],
                    "assessments": list(
                        db.table("assessments").rows_where("organisation_id = ?", [org_id], order_by="created_at, id")
                    ),
                    "answer_events": [
                        {k: v for k, v in r.items() if k != "id"}
                        for r in db.table("answer_events").rows_where(owned, [org_id], order_by="id")
                    ],
                    "documents": list(db.table("documents").rows_where(owned, [org_id], order_by="created_at, id")),
                    "action_items": list(
                        db.table("action_items").rows_where(owned, [org_id], order_by="assessment_id, action_id")
                    ),
                }
            finally:
                db.conn.execute("COMMIT")
        return record

    def import_rows(self, record: dict[str, Any]) -> Organisation:
        """Insert a record shaped like ``export_rows`` in one transaction: all of it, or nothing.

        Refuses (``InputError``) when any of its organisation, assessment or document ids exists here.
        """
        org = record["organisation"]
        with self._write() as db:
            clashes = []
            if list(db.query("SELECT 1 FROM organisations WHERE id = ?", [org["id"]])):
                clashes.append(f"organisation {org['id']}")
            for table, kind in (("assessments", "assessment"), ("documents", "document")):
                for row in record[table]:
                    if list(db.query(f"SELECT 1 FROM {table} WHERE id = ?", [row["id"]])):
                        clashes.append(f"{kind} {row['id']}")
            if clashes:
                raise InputError(
                    "this installation already holds "
                    + ", ".join(clashes[:3])
                    + (f" and {len(clashes) - 3} more" if len(clashes) > 3 else "")
                    + "; import it as a copy, or delete the existing organisation first"
                )
            db.table("organisations").insert(org)
            assessments = [{**row, **_progress_of_row(row)} for row in record["assessments"]]
            for table in self.RECORD_TABLES:
                rows = assessments if table == "assessments" else record[table]
                if rows:
                    db.table(table).insert_all(rows)
        return Organisation.model_construct(**org)

    # --- helpers -------------------------------------------------------------------------------

    @staticmethod
    def _require(db: Database, table: str, ident: str) -> None:
        if not list(db.query(f"SELECT 1 FROM {table} WHERE id = ?", [ident])):
            kind = table.rstrip("s")
            raise NotFound(f"no {kind} {ident!r}")


def _progress_columns(answers: Answers) -> dict[str, Any]:
    answered, visible, stamp = _counted_answers(answers)
    return {"answered": answered, "visible": visible, "progress_stamp": stamp}


def _progress_of_row(row: dict[str, Any]) -> dict[str, Any]:
    """The progress columns of an assessment row (an archive's rows do not carry them: they are recounted)."""
    counted = _counted(row["answers"])
    if counted is None:
        return {"answered": None, "visible": None, "progress_stamp": None}
    return dict(zip(("answered", "visible", "progress_stamp"), counted, strict=True))


def _unreadable_reason(row: dict[str, Any], exc: ValidationError) -> str:
    """Why saved answers cannot be read, in words for the user (not pydantic's dump of the value)."""
    version = row.get("schema_version")
    try:
        version = json.loads(row["answers"]).get("schema_version", version)
    except (ValueError, TypeError, AttributeError):
        pass
    if isinstance(version, int) and version > SCHEMA_VERSION:
        return (
            f"cannot be read: they were written by a newer dpakit (answers version {version}; this one "
            f"reads version {SCHEMA_VERSION})"
        )
    return f"cannot be read (written by a newer dpakit?): {exc.error_count()} value(s) fail validation"


def _validation_message(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors(include_url=False):
        msg = err["msg"]
        if err["type"] == "string_too_long":
            msg = f"that is too long (at most {err['ctx']['max_length']:,} characters)"
        elif err["type"] == "string_pattern_mismatch" and "@" in str(err.get("ctx", {}).get("pattern", "")):
            msg = "that does not look like an e-mail address (name@example.com)"
        parts.append(msg)
    return "; ".join(dict.fromkeys(parts)) or "that value is not valid"
