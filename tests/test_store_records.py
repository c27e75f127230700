"""One record model per table (``dpakit.workspace.records``): the schema the migrations build has exactly
its columns, the store's return values carry its column types, and the import of an organisation record
validates every field with the same type and checks."""

import dataclasses
import types
import typing
from typing import Annotated, Union, get_args, get_origin

import pytest
from pydantic import ValidationError
from sqlite_utils import Database

from dpakit.errors import InputError
from dpakit.models import Answers
from dpakit.workspace import archive
from dpakit.workspace import store as store_module
from dpakit.workspace.records import (
    RECORDS,
    TABLES,
    AssessmentRow,
    MembershipRow,
    OrganisationRow,
    column_types,
    is_optional,
)
from dpakit.workspace.store import ActionState, AnswerEvent, Assessment, DocumentRecord, Store

MIGRATIONS_TABLE = "_sqlite_migrations"


@pytest.fixture
def live(tmp_path):
    path = tmp_path / "live.db"
    Store(path).close()
    return Database(path)


def test_the_migrations_create_exactly_the_tables_that_have_a_record_model(live):
    assert set(live.table_names()) - {MIGRATIONS_TABLE} == set(TABLES)
    assert store_module.DPAKIT_TABLES == set(TABLES)
    assert len(TABLES) == len(RECORDS)


@pytest.mark.parametrize("table", sorted(TABLES))
def test_the_live_schema_has_exactly_the_columns_and_types_of_the_record_model(live, table):
    assert live.table(table).columns_dict == column_types(TABLES[table])


@pytest.mark.parametrize("table", sorted(TABLES))
def test_a_not_null_column_is_never_optional_in_its_record(live, table):
    model = TABLES[table]
    not_null = {c.name for c in live.table(table).columns if c.notnull}
    for name in not_null:
        assert not is_optional(model.model_fields[name].annotation), f"{table}.{name} is NOT NULL"


def _plain(annotation):
    """An annotation without ``Annotated`` checks and without ``None``: ``AssessmentId | None`` -> ``str``."""
    if get_origin(annotation) is Annotated:
        return _plain(get_args(annotation)[0])
    if get_origin(annotation) in (Union, types.UnionType):
        kept = {_plain(a) for a in get_args(annotation) if a is not type(None)}
        return kept.pop() if len(kept) == 1 else frozenset(kept)
    return annotation


DECODED = {
    Assessment: ("assessments", {"answers"}),
    AnswerEvent: ("answer_events", {"old_value", "new_value"}),
    DocumentRecord: ("documents", {"options"}),
    ActionState: ("action_items", set()),
}
"""Each of the store's other return values, its table, and the fields it returns decoded from JSON text."""


@pytest.mark.parametrize("view", DECODED, ids=lambda v: v.__name__)
def test_the_store_s_return_values_carry_the_column_types_of_their_record(view):
    table, decoded = DECODED[view]
    record = TABLES[table]
    hints = typing.get_type_hints(view)
    shared = [f.name for f in dataclasses.fields(view) if f.name in record.model_fields and f.name not in decoded]
    assert shared, view
    for name in shared:
        assert _plain(hints[name]) == _plain(record.model_fields[name].annotation), f"{view.__name__}.{name}"


def test_organisations_and_memberships_are_returned_as_their_records(store):
    assert store_module.Organisation is OrganisationRow
    assert store_module.Membership is MembershipRow
    org = store.create_organisation("Acme Ltd")
    assert store.organisation(org.id) == org
    member = store.set_membership("Ann@Example.com", org.id, "client")
    assert store.memberships(org_id=org.id) == [member]
    assert isinstance(member, MembershipRow)


def test_the_status_of_an_assessment_is_one_of_its_record_s_literal(store):
    org = store.create_organisation("Acme Ltd")
    a = store.create_assessment(org.id)
    for status in typing.get_args(AssessmentRow.model_fields["status"].annotation):
        store.update_assessment(a.id, status=status)
        assert store.assessment(a.id).status == status
    with pytest.raises(InputError, match="unknown status"):
        store.update_assessment(a.id, status="archived")


def test_a_document_of_a_kind_the_record_does_not_know_is_refused(store):
    org = store.create_organisation("Acme Ltd")
    a = store.create_assessment(org.id)
    with pytest.raises(InputError, match="unknown kind of document"):
        store.save_document(a.id, "spreadsheet", "x.xlsx", b"x", Answers(), "v")
    assert store.documents(a.id) == []


EXCLUDED = {
    "organisation": set(),
    "assessments": {"organisation_id", "answers", "answered", "visible", "progress_stamp"},  # progress: recounted
    "documents": {"answers", "content"},
    "action_items": set(),
    "answer_events": {"id"},
}
REPLACED = {"documents": {"options"}}  # JSON text in the table, the object itself in the manifest


@pytest.mark.parametrize("part", sorted(archive.MANIFEST_ROWS))
def test_the_archive_validates_every_field_with_the_type_and_checks_of_its_record(part):
    record, manifest = archive.MANIFEST_ROWS[part]
    assert set(record.model_fields) - set(manifest.model_fields) == EXCLUDED[part]
    for name, info in record.model_fields.items():
        if name in EXCLUDED[part] or name in REPLACED.get(part, set()):
            continue
        mine = manifest.model_fields[name]
        assert (mine.annotation, mine.metadata) == (info.annotation, info.metadata), f"{part}.{name}"
    assert manifest.model_config.get("extra") == "forbid"


def test_a_check_on_a_record_is_a_check_on_the_import():
    row = {
        "id": "a_12345678",
        "title": "2026 review",
        "status": "archived",
        "schema_version": 1,
        "section": None,
        "copied_from": None,
        "created_at": "2026-01-01T00:00:00+00:00",
        "updated_at": "2026-01-01T00:00:00+00:00",
    }
    for model, extra in (
        (AssessmentRow, {"organisation_id": "o_12345678", "answers": "{}"}),
        (archive.ManifestAssessment, {"answers_file": "a.json"}),
    ):
        with pytest.raises(ValidationError) as caught:
            model.model_validate({**row, **extra})
        assert [e["loc"] for e in caught.value.errors()] == [("status",)]
