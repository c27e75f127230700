"""An organisation's record leaves as one ZIP and comes back identical; a bad ZIP changes nothing;
erasure leaves no trace in the database file; the audit CSV is safe; comparisons read as text."""

import csv
import hashlib
import io
import json
import zipfile

import pytest

from dpakit.errors import AnswersFileError, InputError
from dpakit.examples import load_example
from dpakit.models import Answers
from dpakit.workspace.archive import (
    audit_csv,
    changed_answers,
    compare,
    export_organisation,
    import_organisation,
    read_record,
)
from dpakit.workspace.store import Store

STAMP = "2026-11-01T10:00:00+00:00"


@pytest.fixture
def org(store):
    """Two assessments (the second copied forward), a document each, action states, a logged change."""
    org = store.create_organisation("Nordlicht Software GmbH")
    first = store.create_assessment(org.id, load_example("nordlicht"), title="2025 review", source="example")
    store.set_answer(first.id, "security.mfa_enforced", "no", user="ann@example.com")
    store.save_document(
        first.id,
        "dpa",
        "dpa.docx",
        b"PK first document",
        store.assessment(first.id).answers,
        "lib-1",
        {"comments": True},
    )
    second = store.copy_forward(first.id, title="2026 review")
    store.set_answer(second.id, "security.mfa_enforced", "yes")
    store.save_document(
        second.id,
        "dpa",
        "dpa.docx",
        b"PK second document",
        store.assessment(second.id).answers,
        "lib-2",
        {"comments": False},
    )
    store.set_action_state(second.id, "A-MFA", owner='=HYPERLINK("x")', due_date="2027-01-31", status="open")
    return org


def _tables(path) -> dict[str, int]:
    import sqlite3

    with sqlite3.connect(path) as conn:
        return {
            t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("organisations", "assessments", "answer_events", "documents", "action_items")
        }


def test_export_then_import_on_a_fresh_database_reproduces_everything(store, org, tmp_path):
    data = export_organisation(store, org.id, exported_at=STAMP)
    fresh = Store(tmp_path / "fresh.db")
    result = import_organisation(fresh, data)
    assert (result.organisation_id, result.assessments, result.documents) == (org.id, 2, 2)
    assert fresh.organisation(org.id).name == org.name
    for old, new in zip(store.assessments(org.id), fresh.assessments(org.id), strict=True):
        assert new == old
        assert [(d.sha256, d.answers_sha256, d.options) for d in fresh.documents(new.id)] == [
            (d.sha256, d.answers_sha256, d.options) for d in store.documents(old.id)
        ]
        for d in store.documents(old.id):
            assert fresh.document_content(d.id) == store.document_content(d.id)
            assert fresh.document_answers(d.id) == store.document_answers(d.id)
        strip = lambda events: [(e.field, e.old_value, e.new_value, e.source, e.user, e.at) for e in events]  # noqa: E731
        assert strip(fresh.events(new.id)) == strip(store.events(old.id))
        assert fresh.action_states(new.id) == store.action_states(old.id)
    # exporting the imported organisation gives the same archive, byte for byte
    assert export_organisation(fresh, org.id, exported_at=STAMP) == data


def test_the_archive_holds_answers_documents_manifest_and_audit_log(store, org):
    data = export_organisation(store, org.id, exported_at=STAMP)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = zf.namelist()
        manifest = json.loads(zf.read("manifest.json"))
        assert names[0] == "manifest.json"
        assert {"audit-log.csv", "audit-log.json"} <= set(names)
        for entry in manifest["files"]:
            assert hashlib.sha256(zf.read(entry["path"])).hexdigest() == entry["sha256"]
        assert sum(n.endswith("/answers.json") and "/documents/" not in n for n in names) == 2
        rows = list(csv.DictReader(io.StringIO(zf.read("audit-log.csv").decode("utf-8-sig"))))
    assert any(r["who"] == "ann@example.com" and r["new_answer"] == "No" for r in rows)


def test_importing_where_the_organisation_exists_is_refused_or_made_a_copy(store, org):
    data = export_organisation(store, org.id)
    before = _tables(store.path)
    with pytest.raises(InputError, match="already holds"):
        import_organisation(store, data)
    assert _tables(store.path) == before
    copy = import_organisation(store, data, copy=True)
    assert copy.organisation_id != org.id and copy.name.endswith("(imported copy)")
    copied = store.assessments(copy.organisation_id)
    assert {a.copied_from for a in copied} - {None} <= {a.id for a in copied}


def _rezip(data: bytes, change) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    change(members)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in members.items():
            zf.writestr(name, content)
    return out.getvalue()


def _set_manifest(members, edit):
    manifest = json.loads(members["manifest.json"])
    edit(manifest)
    members["manifest.json"] = json.dumps(manifest).encode()


def _bad_answers(members):
    path = next(n for n in members if n.endswith("answers.json"))
    members[path] = b'{"schema_version": 1, "security": {"mfa_enforced": "maybe"}}'

    def fix_hash(manifest):
        for entry in manifest["files"]:
            if entry["path"] == path:
                entry["sha256"] = hashlib.sha256(members[path]).hexdigest()
                entry["size"] = len(members[path])

    _set_manifest(members, fix_hash)


BROKEN = {
    "truncated": lambda data: data[: len(data) // 2],
    "not a zip": lambda data: b"hello",
    "wrong version": lambda data: _rezip(data, lambda m: _set_manifest(m, lambda j: j.update(format_version=99))),
    "no manifest": lambda data: _rezip(data, lambda m: m.pop("manifest.json")),
    "changed document": lambda data: _rezip(
        data, lambda m: m.update({next(n for n in m if n.endswith("dpa.docx")): b"PK tampered"})
    ),
    "extra member": lambda data: _rezip(data, lambda m: m.update({"evil.sh": b"rm -rf /"})),
    "path traversal": lambda data: _rezip(data, lambda m: m.update({"../../etc/passwd": b"x"})),
    "absolute path": lambda data: _rezip(data, lambda m: m.update({"/tmp/x": b"x"})),
    "invalid answers": lambda data: _rezip(data, _bad_answers),
    "unknown manifest field": lambda data: _rezip(data, lambda m: _set_manifest(m, lambda j: j.update(extra=1))),
}


@pytest.mark.parametrize("damage", list(BROKEN))
def test_a_damaged_archive_changes_nothing_and_says_why(store, org, tmp_path, damage):
    data = BROKEN[damage](export_organisation(store, org.id))
    fresh = Store(tmp_path / "fresh.db")
    before = _tables(fresh.path)
    with pytest.raises(InputError) as err:
        import_organisation(fresh, data)
    assert str(err.value)
    assert _tables(fresh.path) == before
    if damage == "invalid answers":
        assert isinstance(err.value, AnswersFileError)


def test_zip_bombs_and_huge_archives_are_stopped_while_reading(store, org):
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("manifest.json", b"{}")
        zf.writestr("zeros.bin", b"\0" * 5_000_000)  # ~5 kB compressed
    with pytest.raises(InputError, match="zip bomb"):
        read_record(bomb.getvalue(), max_total=1_000_000)
    many = io.BytesIO()
    with zipfile.ZipFile(many, "w") as zf:
        for n in range(30):
            zf.writestr(f"f{n}", b"")
    with pytest.raises(InputError, match="members"):
        read_record(many.getvalue(), max_members=20)
    with pytest.raises(InputError, match="MB"):
        read_record(export_organisation(store, org.id), max_archive=100)


def test_deleting_an_organisation_leaves_no_trace_in_the_database_file(tmp_path):
    store = Store(tmp_path / "erase.db")
    keep = store.create_organisation("Keeper Ltd")
    store.create_assessment(keep.id, load_example("fynbos"))
    gone = store.create_organisation("Zyxwvut Erasable Holdings")
    secret_doc = b"PK" + b"QJXZ-document-bytes-" * 50
    gone_ids = [gone.id]
    for year in ("2025", "2026"):
        a = store.create_assessment(gone.id, load_example("nordlicht"), title=f"Review {year}")
        store.set_answer(a.id, "organisation.legal_name", "Zyxwvut Erasable Holdings")
        store.set_answer(a.id, "agreement.counterparty_contact_email", "qqq.erasable@zyxwvut.example")
        d = store.save_document(a.id, "dpa", "dpa.docx", secret_doc, store.assessment(a.id).answers, "v")
        store.set_action_state(a.id, "A-ONE", owner="Qwertz Erasable-Owner")
        store.set_membership("erasable.member@zyxwvut.example", gone.id, "client")
        gone_ids += [a.id, d.id]

    def database_bytes() -> bytes:  # the main file, and the WAL and shared-memory files if present
        return b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith("erase.db"))

    assert b"Zyxwvut" in database_bytes() and b"QJXZ-document" in database_bytes()  # the scan can see
    store.delete_organisation(gone.id)
    raw = database_bytes()
    for needle in ["Zyxwvut", "Erasable", "qqq.erasable", "QJXZ-document", "Qwertz", *gone_ids]:
        assert needle.encode() not in raw, needle
        assert needle.encode("utf-16-le") not in raw, needle
    assert [o.name for o in store.organisations()] == ["Keeper Ltd"]


def test_the_audit_csv_defuses_formulas_and_shows_who():
    from dpakit.workspace.store import AnswerEvent

    events = [
        AnswerEvent(
            1,
            "a_1",
            "organisation.legal_name",
            None,
            "=cmd|' /C calc'!A0",
            "wizard",
            "ann@example.com",
            "2026-01-01T00:00:00",
        ),
        AnswerEvent(2, "a_1", "security.mfa_enforced", None, "not_sure", "wizard", None, "2026-01-02"),
    ]
    rows = list(csv.DictReader(io.StringIO(audit_csv(events))))
    assert rows[0]["new_answer"] == "'=cmd|' /C calc'!A0"
    assert rows[0]["who"] == "ann@example.com" and rows[1]["who"] == ""
    assert rows[1]["new_answer"] == "Not sure"
    assert rows[0]["question"] != "organisation.legal_name"


def test_changed_answers_read_as_labels_not_codes():
    old = load_example("nordlicht")
    new = old.with_value("security.mfa_enforced", "no").with_value("organisation.legal_name", "<b>New</b> & Co")
    changes = changed_answers(old, new)
    assert [c.field for c in changes] == ["organisation.legal_name", "security.mfa_enforced"]
    mfa = changes[1]
    assert mfa.new == "No" and mfa.question != mfa.field
    assert changes[0].new == "<b>New</b> & Co"
    assert changed_answers(old, old) == []


def test_comparison_reports_new_findings_and_the_score_change():
    old = load_example("nordlicht")
    new = old.with_value("security.mfa_enforced", "no")
    result = compare(old, new)
    assert any(f.change == "new" for f in result.findings)
    assert result.score_after >= result.score_before
    back = compare(new, old)
    assert {f.rule_id for f in back.findings if f.change == "resolved"} == {
        f.rule_id for f in result.findings if f.change == "new"
    }
    assert compare(Answers(), Answers()).answers == []


def test_an_assessment_this_version_cannot_read_is_exported_exactly_as_stored(store):
    """A newer dpakit's answers used to fail the whole export with a pydantic error; they are kept as they are."""
    import sqlite3

    org = store.create_organisation("Acme Ltd")
    good = store.create_assessment(org.id, title="Readable")
    store.set_answer(good.id, "security.mfa_enforced", "no")
    newer = store.create_assessment(org.id, title="From a newer dpakit")
    stored = '{"schema_version": 2, "security": {"post_quantum": "yes"}}'
    conn = sqlite3.connect(store.path)
    with conn:
        conn.execute("UPDATE assessments SET answers = ?, schema_version = 2 WHERE id = ?", [stored, newer.id])
    conn.close()

    data = export_organisation(store, org.id, exported_at=STAMP)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert zf.read(f"assessments/{newer.id}/answers.json").decode().strip() == stored
        readable = json.loads(zf.read(f"assessments/{good.id}/answers.json"))
    assert readable["security"]["mfa_enforced"] == "no"
