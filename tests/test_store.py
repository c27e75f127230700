"""The store keeps every answer, logs every change, and never damages a database it cannot use."""

import sqlite3
import threading

import pytest

from dpakit.errors import InputError, NotFound, StoreError
from dpakit.models import Answers
from dpakit.workspace.store import Store


@pytest.fixture
def assessment(store):
    org = store.create_organisation("Acme Ltd")
    return store.create_assessment(org.id)


def test_a_saved_answer_survives_a_new_store_on_the_same_file(tmp_path):
    first = Store(tmp_path / "db.sqlite")
    org = first.create_organisation("Acme")
    created = first.create_assessment(org.id)
    first.set_answer(created.id, "security.mfa_enforced", "no")
    again = Store(tmp_path / "db.sqlite")
    assert again.assessment(created.id).answers.security.mfa_enforced == "no"


def test_every_change_is_logged_with_old_and_new_value(store, assessment):
    store.set_answer(assessment.id, "organisation.legal_name", "Acme Ltd")
    store.set_answer(assessment.id, "organisation.legal_name", "Acme Limited", user="ann@example.com")
    store.set_answer(assessment.id, "organisation.legal_name", "Acme Limited")  # unchanged: not logged
    events = [e for e in store.events(assessment.id) if e.field == "organisation.legal_name"]
    assert [(e.old_value, e.new_value, e.user) for e in events] == [
        (None, "Acme Ltd", None),
        ("Acme Ltd", "Acme Limited", "ann@example.com"),
    ]


def test_an_invalid_answer_is_refused_and_the_saved_one_kept(store, assessment):
    store.set_answer(assessment.id, "organisation.privacy_contact_email", "privacy@acme.example")
    with pytest.raises(InputError, match="e-mail address"):
        store.set_answer(assessment.id, "organisation.privacy_contact_email", "not an address")
    assert store.assessment(assessment.id).answers.organisation.privacy_contact_email == "privacy@acme.example"


def test_unknown_field_is_a_key_error(store, assessment):
    with pytest.raises(KeyError):
        store.set_answer(assessment.id, "security.nonsense", "yes")


def test_unknown_assessment_is_not_found(store):
    with pytest.raises(NotFound):
        store.assessment("a_missing")


def test_copy_forward_starts_a_new_assessment_with_the_same_answers(store, assessment):
    store.set_answer(assessment.id, "security.mfa_enforced", "yes")
    copy = store.copy_forward(assessment.id, title="2027 review")
    assert copy.id != assessment.id
    assert copy.copied_from == assessment.id
    assert copy.answers == store.assessment(assessment.id).answers
    assert [e.source for e in store.events(copy.id)] == ["copy"]


def test_import_replaces_answers_and_logs_each_changed_field(store, assessment):
    store.set_answer(assessment.id, "security.mfa_enforced", "no")
    new = Answers().with_value("security.mfa_enforced", "yes").with_value("security.sso", "yes")
    store.set_answers(assessment.id, new, source="import")
    logged = {(e.field, e.new_value) for e in store.events(assessment.id) if e.source == "import"}
    assert logged == {("security.mfa_enforced", "yes"), ("security.sso", "yes")}


def test_concurrent_writers_to_different_fields_lose_nothing(store, assessment):
    fields = [
        "security.mfa_enforced",
        "security.sso",
        "security.least_privilege",
        "security.access_reviews",
        "security.offboarding",
        "security.audit_logging",
        "security.backups",
        "security.staff_training",
    ]
    errors = []

    def write(field):
        try:
            for value in ("no", "not_sure", "yes"):
                store.set_answer(assessment.id, field, value)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(f,)) for f in fields]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    saved = store.assessment(assessment.id).answers
    assert all(saved.get(f) == "yes" for f in fields)
    assert len(store.events(assessment.id)) == 3 * len(fields)


def test_documents_are_recorded_with_hash_answers_and_library_version(store, assessment):
    answers = store.assessment(assessment.id).answers
    record = store.save_document(assessment.id, "dpa", "dpa.docx", b"content", answers, "lib123")
    assert record.sha256 == "ed7002b439e9ac845f22357d822bac1444730fbdb6016d3ec9432297b9ec9f73"
    assert store.documents(assessment.id)[0].library_version == "lib123"
    assert store.document_content(record.id) == b"content"
    assert store.document_answers(record.id) == answers


def test_action_state_is_saved_and_validated(store, assessment):
    store.set_action_state(assessment.id, "A-MFA", owner="IT lead", due_date="2027-01-31")
    store.set_action_state(assessment.id, "A-MFA", status="done")
    state = store.action_states(assessment.id)["A-MFA"]
    assert (state.owner, state.due_date, state.status) == ("IT lead", "2027-01-31", "done")
    with pytest.raises(InputError, match="2027-01-31"):
        store.set_action_state(assessment.id, "A-MFA", due_date="31/01/2027")


def test_deleting_an_organisation_leaves_no_trace_in_the_file(tmp_path):
    path = tmp_path / "erase.db"
    store = Store(path)
    keep = store.create_organisation("Keep Me Ltd")
    gone = store.create_organisation("Zyxwv Unique Erasure Co")
    kept = store.create_assessment(keep.id)
    doomed = store.create_assessment(gone.id)
    store.set_answer(doomed.id, "organisation.legal_name", "Qwertz Secret Legal Name")
    store.save_document(
        doomed.id, "dpa", "dpa.docx", b"Qwertz document bytes", store.assessment(doomed.id).answers, "v"
    )
    store.set_action_state(doomed.id, "A-1", owner="Qwertz Owner")
    store.delete_organisation(gone.id)
    with pytest.raises(NotFound):
        store.organisation(gone.id)
    assert store.assessment(kept.id)
    raw = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith("erase.db"))
    for needle in (b"Zyxwv", b"Qwertz", gone.id.encode(), doomed.id.encode()):
        assert needle not in raw


def test_a_corrupt_database_file_is_reported_and_left_untouched(tmp_path):
    path = tmp_path / "corrupt.db"
    path.write_bytes(b"this is not sqlite" * 100)
    before = path.read_bytes()
    with pytest.raises(StoreError, match="damaged"):
        Store(path)
    assert path.read_bytes() == before


def test_a_read_only_database_gives_a_clear_message_and_keeps_data(tmp_path, monkeypatch):
    path = tmp_path / "ro.db"
    store = Store(path)
    org = store.create_organisation("Acme")
    real_connect = sqlite3.connect

    def read_only_connect(target, *args, **kwargs):
        return real_connect(f"file:{target}?mode=ro", *args, uri=True, **kwargs)

    monkeypatch.setattr(sqlite3, "connect", read_only_connect)
    with pytest.raises(StoreError, match="read-only"):
        store.create_assessment(org.id)
    monkeypatch.undo()
    assert [o.name for o in Store(path).organisations()] == ["Acme"]


def test_organisation_search_treats_wildcards_literally(store):
    store.create_organisation("100% Organic")
    store.create_organisation("Other")
    assert [o.name for o in store.organisations(search="%")] == ["100% Organic"]
    assert [o.name for o in store.organisations(search="organic")] == ["100% Organic"]


def test_close_releases_the_idle_connection_and_the_store_still_works(tmp_path):
    with Store(tmp_path / "c.db") as store:
        org = store.create_organisation("Acme")
    assert store._keeper is None
    assert store.organisation(org.id).name == "Acme"


def _overwrite_answers(store: Store, assessment_id: str, answers_json: str, schema_version: int) -> None:
    conn = sqlite3.connect(store.path)
    with conn:
        conn.execute(
            "UPDATE assessments SET answers = ?, schema_version = ? WHERE id = ?",
            [answers_json, schema_version, assessment_id],
        )
    conn.close()


@pytest.mark.parametrize(
    "answers_json, version",
    [
        ('{"schema_version": 3, "security": {"post_quantum": "yes"}}', 3),  # a newer dpakit wrote it
        ('{"schema_version": 1, "security": {"mfa_enforced": 42}}', 1),  # fails validation
        ("not json at all", 1),
    ],
)
def test_one_unreadable_assessment_does_not_hide_the_others(store, answers_json, version):
    org = store.create_organisation("Acme Ltd")
    good = store.create_assessment(org.id, title="Readable")
    bad = store.create_assessment(org.id, title="Unreadable")
    store.set_answer(good.id, "security.mfa_enforced", "no")
    _overwrite_answers(store, bad.id, answers_json, version)

    listed = {a.id: a for a in store.assessments(org.id)}
    assert set(listed) == {good.id, bad.id}
    assert listed[good.id].unreadable == ""
    assert listed[good.id].answers.security.mfa_enforced == "no"
    assert listed[bad.id].unreadable.startswith("cannot be read")
    assert listed[bad.id].title == "Unreadable"
    if version == 3:
        assert "newer dpakit" in listed[bad.id].unreadable and "version 3" in listed[bad.id].unreadable
    with pytest.raises(StoreError, match="cannot be read"):  # reading it alone still refuses
        store.assessment(bad.id)
    store.delete_organisation(org.id)  # and it can be deleted with the rest
    assert store.organisations() == []


def test_names_and_titles_are_cleaned_like_the_models_clean_them(store):
    org = store.create_organisation("  Acme\u200b \t Ltd\n")
    assert org.name == "Acme Ltd"
    store.rename_organisation(org.id, "Acme\u2060  Holdings\u202e")
    assert store.organisation(org.id).name == "Acme Holdings"
    with pytest.raises(InputError):
        store.create_organisation("\u200b \u200b")
    created = store.create_assessment(org.id, title="\u200b\u200b")
    assert created.title.startswith("Assessment 20")
    store.update_assessment(created.id, title=" 2026\u200b\treview ")
    assert store.assessment(created.id).title == "2026 review"
    store.update_assessment(created.id, title="\u200b")
    assert store.assessment(created.id).title == "Assessment"


def test_store_messages_name_the_setting_and_the_file_never_the_folder(tmp_path):
    path = tmp_path / "private-folder" / "client.db"
    path.parent.mkdir()
    path.write_bytes(b"garbage" * 1000)
    with pytest.raises(StoreError) as caught:
        Store(path)
    message = str(caught.value)
    assert "DPAKIT_DB" in message and "client.db" in message
    assert str(tmp_path) not in message and "private-folder" not in message
