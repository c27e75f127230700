"""Agreements in the store: migration m005 upgrades version-1 databases with every answer intact, and an
assessment's agreements are added, copied, answered and removed with each change in the log."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database

from dpakit.errors import InputError, NotFound
from dpakit.models import SCOPE_FIELDS, Answers
from dpakit.workspace import store as store_module
from dpakit.workspace.store import Store

V1_DIR = Path(__file__).parent / "fixtures" / "v1"
V1_FILES = sorted(V1_DIR.glob("*.json"))
STAMP = "2025-06-01T09:00:00+00:00"


def _v1_database(path: Path) -> dict[str, dict]:
    """A database as dpakit wrote it before agreements (migrations up to m004), holding each version-1
    example as an assessment, a logged change to an agreement answer, and a drafted document."""
    db = Database(path)
    store_module.migrations.apply(db, stop_before="m005_agreements")
    db.table("organisations").insert(
        {"id": "o_old0000001", "name": "Old Ltd", "created_at": STAMP, "updated_at": STAMP}
    )
    stored = {}
    for n, file in enumerate(V1_FILES):
        data = json.loads(file.read_text(encoding="utf-8"))
        assert data["schema_version"] == 1 and "agreement" in data
        ident = f"a_old{n:08d}"
        stored[ident] = data
        db.table("assessments").insert(
            {
                "id": ident,
                "organisation_id": "o_old0000001",
                "title": file.stem,
                "status": "in_progress",
                "schema_version": 1,
                "answers": json.dumps(data),
                "section": "agreement",
                "copied_from": None,
                "created_at": STAMP,
                "updated_at": STAMP,
            }
        )
        db.table("answer_events").insert(
            {
                "assessment_id": ident,
                "field": "agreement.breach_notice_hours",
                "old_value": "null",
                "new_value": json.dumps(data["agreement"]["breach_notice_hours"]),
                "source": "wizard",
                "user": None,
                "at": STAMP,
            }
        )
        db.table("documents").insert(
            {
                "id": f"d_old{n:08d}",
                "assessment_id": ident,
                "kind": "dpa",
                "filename": "dpa.docx",
                "sha256": "0" * 64,
                "answers_sha256": "0" * 64,
                "answers": json.dumps(data),
                "library_version": "old",
                "options": "{}",
                "size": 3,
                "content": b"old",
                "created_at": STAMP,
            }
        )
    db.close()
    return stored


def _leaves(value, prefix=""):
    """Every (path, value) leaf of a JSON value."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(item, f"{prefix}.{key}" if prefix else key)
    else:
        yield prefix, value


def test_a_version_1_database_migrates_with_every_answer_intact(tmp_path: Path):
    assert len(V1_FILES) >= 4
    path = tmp_path / "old.db"
    before = _v1_database(path)
    store = Store(path)  # runs m005
    for ident, data in before.items():
        raw = sqlite3.connect(path).execute("SELECT schema_version, answers FROM assessments WHERE id = ?", [ident])
        version, text = raw.fetchone()
        after = json.loads(text)
        assert version == 2 and after["schema_version"] == 2
        [agreement] = after["agreements"]
        assert agreement["id"] == "main"
        # Every version-1 answer is where version 2 keeps it, with the same value.
        for leaf, value in _leaves({k: v for k, v in data.items() if k != "schema_version"}):
            section, _, rest = leaf.partition(".")
            if section == "agreement":
                assert agreement[rest] == value, leaf
            else:
                got = after[section]
                for part in rest.split("."):
                    got = got[part]
                assert got == value, leaf
        # The scope is the organisation's own, flagged as still to be narrowed.
        for field, org_path in SCOPE_FIELDS.items():
            org_section, org_field = org_path.split(".")
            assert agreement[field] == data[org_section].get(org_field), field
        assert agreement["scope_confirmed"] == "no"
        assessment = store.assessment(ident)
        assert assessment.unreadable == ""
        assert assessment.answers == Answers.model_validate(data)
        # The history of an agreement answer is the history of the upgraded agreement's field.
        [event] = store.events(ident)
        assert event.field == "agreements.main.breach_notice_hours"
        assert event.new_value == data["agreement"]["breach_notice_hours"]
        [document] = store.documents(ident)
        assert document.agreement_id == "main"
        assert store.document_answers(document.id) == Answers.model_validate(data)


def test_the_migration_leaves_unreadable_answers_for_the_list_to_show(tmp_path: Path):
    path = tmp_path / "old.db"
    _v1_database(path)
    db = Database(path)
    db.execute("UPDATE assessments SET answers = 'not json' WHERE id = 'a_old00000000'")
    db.close()
    store = Store(path)
    listed = {a.id: a for a in store.assessments("o_old0000001")}
    assert listed["a_old00000000"].unreadable.startswith("cannot be read")
    assert all(a.unreadable == "" for ident, a in listed.items() if ident != "a_old00000000")


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "dpakit.db")


def test_agreements_are_added_answered_copied_and_removed_with_each_change_logged(store: Store):
    org = store.create_organisation("Acme Ltd")
    item = store.create_assessment(org.id)
    store.set_answer(item.id, "agreements.main.counterparty_name", "Mail Co")
    call_centre = store.add_agreement(item.id, "Call Centre (Pty) Ltd")
    assert call_centre == "call-centre-pty-ltd"
    store.set_answer(item.id, f"agreements.{call_centre}.breach_notice_hours", 24)
    answers = store.assessment(item.id).answers
    assert answers.agreement_ids == ["main", call_centre]
    assert answers.agreement_by_id(call_centre).counterparty_name == "Call Centre (Pty) Ltd"
    assert answers.agreement_by_id("main").breach_notice_hours is None  # never cross-written
    copy = store.copy_agreement(item.id, call_centre, "Call Centre Two")
    assert store.assessment(item.id).answers.agreement_by_id(copy).breach_notice_hours == 24
    fields = [e.field for e in store.events(item.id)]
    assert f"agreements.{call_centre}.breach_notice_hours" in fields
    assert f"agreements.{copy}.breach_notice_hours" in fields
    store.remove_agreement(item.id, call_centre)
    assert store.assessment(item.id).answers.agreement_ids == ["main", copy]
    cleared = [e for e in store.events(item.id) if e.field == f"agreements.{call_centre}.breach_notice_hours"]
    assert [e.new_value for e in cleared] == [24, None]
    store.remove_agreement(item.id, copy)
    with pytest.raises(InputError, match="at least one"):
        store.remove_agreement(item.id, "main")
    with pytest.raises(NotFound):
        store.remove_agreement(item.id, "nope")
    with pytest.raises(NotFound):
        store.copy_agreement(item.id, "nope")
    with pytest.raises(NotFound, match="no agreement"):
        store.set_answer(item.id, "agreements.nope.counterparty_name", "x")
    assert store.assessment(item.id).answers.agreement_ids == ["main"]


def test_a_document_records_the_agreement_it_was_drafted_for(store: Store):
    org = store.create_organisation("Acme Ltd")
    item = store.create_assessment(org.id)
    record = store.save_document(item.id, "dpa", "dpa.docx", b"x", Answers(), "v", agreement_id="main")
    assert record.agreement_id == "main"
    assert [d.agreement_id for d in store.documents(item.id)] == ["main"]
    assert store.document(record.id).agreement_id == "main"
