"""An imported organisation record is checked field by field against what this dpakit knows, before anything
is written: a record the app could not show is refused, with a message per record, and the database stays
exactly as it was. A record like that already in a database (from before these checks) still lets the start
page render."""

from __future__ import annotations

import hashlib
import io
import json
import sqlite3
import zipfile

import pytest
from apptest_support import open_page

from dpakit.errors import InputError
from dpakit.examples import load_example
from dpakit.workspace.archive import export_organisation, import_organisation
from dpakit.workspace.store import Store

STAMP = "2026-11-01T10:00:00+00:00"


@pytest.fixture
def source(tmp_path):
    store = Store(tmp_path / "source.db")
    org = store.create_organisation("Nordlicht Software GmbH")
    first = store.create_assessment(org.id, load_example("nordlicht"), title="2025 review", source="example")
    store.set_section(first.id, "crm")
    store.set_answer(first.id, "crm.vendor", "hubspot", user="ann@example.com")
    store.save_document(
        first.id, "dpa", "dpa.docx", b"PK document", store.assessment(first.id).answers, "lib-1", {"comments": True}
    )
    store.set_action_state(first.id, "A-MFA", owner="Ann", due_date="2027-01-31", status="open")
    return export_organisation(store, org.id, exported_at=STAMP)


def _dump(path) -> list[str]:
    with sqlite3.connect(path) as conn:
        return list(conn.iterdump())


def _rezip(data: bytes, change) -> bytes:
    """The archive with ``change(members)`` applied and every member's hash in the manifest made to fit,
    so only the checks of the values themselves can find the problem."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    change(members)
    manifest = json.loads(members["manifest.json"])
    for entry in manifest["files"]:
        entry["sha256"] = hashlib.sha256(members[entry["path"]]).hexdigest()
        entry["size"] = len(members[entry["path"]])
    members["manifest.json"] = json.dumps(manifest).encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in members.items():
            zf.writestr(name, content)
    return out.getvalue()


def _manifest(edit):
    def change(members):
        manifest = json.loads(members["manifest.json"])
        edit(manifest)
        members["manifest.json"] = json.dumps(manifest).encode()

    return change


def _log(edit):
    def change(members):
        events = json.loads(members["audit-log.json"])
        edit(events)
        members["audit-log.json"] = json.dumps(events).encode()

    return change


def _event(field):
    return lambda events: next(e for e in events if e["field"] == field)


def _set(getter, **values):
    return lambda doc: getter(doc).update(values)


first_assessment = lambda m: m["assessments"][0]  # noqa: E731

# name -> (change, words the message must contain: which record, which field)
INVALID = {
    "unknown section": (_manifest(_set(first_assessment, section="billing")), ["assessment 1", "section", "'billing'"]),
    "unknown status": (_manifest(_set(first_assessment, status="archived")), ["assessment 1", "status"]),
    "unknown assessment field": (_manifest(_set(first_assessment, colour="red")), ["assessment 1", "colour"]),
    "over-long organisation name": (
        _manifest(_set(lambda m: m["organisation"], name="N" * 5000)),
        ["the organisation", "name", "300"],
    ),
    "blank organisation name": (
        _manifest(_set(lambda m: m["organisation"], name="\x00\x07 ")),
        ["the organisation", "name"],
    ),
    "over-long title": (_manifest(_set(first_assessment, title="T" * 201)), ["assessment 1", "title"]),
    "bad creation date": (_manifest(_set(first_assessment, created_at="yesterday")), ["assessment 1", "created_at"]),
    "bad organisation date": (
        _manifest(_set(lambda m: m["organisation"], updated_at="2026-13-45")),
        ["the organisation", "updated_at"],
    ),
    "impossible due date": (
        _manifest(_set(lambda m: m["action_items"][0], due_date="2027-02-30")),
        ["action 1", "A-MFA", "due_date"],
    ),
    "unknown action status": (
        _manifest(_set(lambda m: m["action_items"][0], status="someday")),
        ["action 1", "status"],
    ),
    "unknown document kind": (_manifest(_set(lambda m: m["documents"][0], kind="contract")), ["document 1", "kind"]),
    "not an id": (_manifest(_set(first_assessment, id="../../x")), ["assessment 1", "id"]),
    "copied from outside the record": (
        _manifest(_set(first_assessment, copied_from="a_" + "x" * 16)),
        ["assessment 1", "copied_from"],
    ),
    "unknown question in the log": (
        _log(lambda ev: ev[0].update(field="crm.colour")),
        ["audit-log.json entry 1", "crm.colour"],
    ),
    "unknown section in the log": (
        _log(lambda ev: ev[0].update(field="billing.total")),
        ["audit-log.json entry 1", "billing.total"],
    ),
    "unknown vendor in the log": (
        _log(_set(_event("crm.vendor"), new_value='"acme-crm"')),
        ["audit-log.json entry", "new_value", "crm.vendor"],
    ),
    "over-long source in the log": (
        _log(lambda ev: ev[0].update(source="s" * 2000)),
        ["audit-log.json entry 1", "source"],
    ),
    "bad date in the log": (_log(lambda ev: ev[0].update(at="soon")), ["audit-log.json entry 1", "at"]),
}


@pytest.mark.parametrize("case", list(INVALID))
def test_an_invalid_record_writes_nothing_and_says_which_record_is_wrong(source, tmp_path, case):
    change, words = INVALID[case]
    data = _rezip(source, change)
    target = Store(tmp_path / "target.db")
    target.create_organisation("Already here Ltd")
    before = _dump(target.path)
    with pytest.raises(InputError) as err:
        import_organisation(target, data)
    message = str(err.value)
    for word in words:
        assert word in message, message
    assert "Traceback" not in message and "/" + "work" not in message
    assert _dump(target.path) == before


def test_every_problem_of_a_record_is_reported_not_only_the_first(source, tmp_path):
    def two(manifest):
        manifest["assessments"][0]["section"] = "billing"
        manifest["action_items"][0]["status"] = "someday"

    with pytest.raises(InputError) as err:
        import_organisation(Store(tmp_path / "t.db"), _rezip(source, _manifest(two)))
    assert "assessment 1" in str(err.value) and "action 1" in str(err.value)


def test_a_valid_record_still_imports_after_the_checks(source, tmp_path):
    target = Store(tmp_path / "t.db")
    result = import_organisation(target, _rezip(source, lambda members: None))
    assert (result.assessments, result.documents) == (1, 1)
    assert target.assessments(result.organisation_id)[0].section == "crm"


def test_the_start_page_renders_an_assessment_whose_section_the_app_does_not_know(app_db):
    org = app_db.create_organisation("Legacy Ltd")
    item = app_db.create_assessment(org.id, title="Imported before the checks")
    with sqlite3.connect(app_db.path) as conn:  # what an unchecked import used to write
        conn.execute("UPDATE assessments SET section = 'billing', status = 'archived' WHERE id = ?", [item.id])
    at = open_page("views/start.py", item.id)  # asserts no exception was shown
    assert any("Continue with" in link.proto.label for link in at.get("page_link"))
    at = open_page("views/start.py")  # the list of organisations, without an open assessment
    assert any(e.label == "Legacy Ltd" for e in at.expander)


def test_the_start_page_and_compare_list_an_unreadable_assessment_without_opening_it(app_db):
    org = app_db.create_organisation("Acme Ltd")
    app_db.create_assessment(org.id, title="Readable")
    newer = app_db.create_assessment(org.id, title="From a newer dpakit")
    with sqlite3.connect(app_db.path) as conn:
        conn.execute(
            "UPDATE assessments SET answers = ?, schema_version = 99 WHERE id = ?",
            ['{"schema_version": 99, "organisation": {"new_field": 1}}', newer.id],
        )
    at = open_page("views/start.py")  # asserts no exception was shown
    texts = [t.value for t in at.text]
    assert any(t.startswith("From a newer dpakit — cannot be read") for t in texts), texts
    assert any(t.startswith("Readable — started") for t in texts), texts
    assert not [b for b in at.button if b.key == f"open-{newer.id}"]
    open_page("views/compare.py")  # the unreadable one is left out of the choices, no exception
