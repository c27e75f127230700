"""Stored progress and the bounded list of organisations (``Store.organisation_page``).

Progress is counted when the answers change and stored with the stamp of the questionnaire it was counted
against; a list recounts (and saves) only what was counted against other content. The list is one query,
bounded, searchable and sorted, and a hosted viewer's list holds only their organisations.
"""

from __future__ import annotations

import sqlite3

import pytest
from sqlite_utils import Database

from dpakit import load_example, progress
from dpakit.errors import InputError
from dpakit.questionnaire import progress_stamp
from dpakit.workspace import store as store_module
from dpakit.workspace.access import ScopedStore, Viewer
from dpakit.workspace.store import Store


def _stored(store: Store, assessment_id: str) -> tuple[int, int, str]:
    with sqlite3.connect(store.path) as conn:
        return conn.execute(
            "SELECT answered, visible, progress_stamp FROM assessments WHERE id = ?", [assessment_id]
        ).fetchone()


def _counts(answers) -> tuple[int, int]:
    done = progress(answers)
    return done.answered, done.visible


def test_progress_is_stored_when_an_assessment_is_created_and_when_an_answer_changes(store):
    org = store.create_organisation("Acme Ltd")
    item = store.create_assessment(org.id)
    answered, visible, stamp = _stored(store, item.id)
    assert (answered, visible) == _counts(item.answers) and answered == 0
    assert stamp == progress_stamp()
    saved = store.set_answer(item.id, "organisation.legal_name", "Acme Ltd")
    assert _stored(store, item.id)[:2] == _counts(saved) and _counts(saved)[0] == 1
    replaced = store.set_answers(item.id, load_example("fynbos"))
    assert _stored(store, item.id)[:2] == _counts(replaced)


def test_a_list_reads_stored_progress_without_recounting_it(store, monkeypatch):
    org = store.create_organisation("Acme Ltd")
    item = store.create_assessment(org.id, load_example("fynbos"))
    monkeypatch.setattr(store_module, "_counted_answers", lambda answers: pytest.fail("recounted"))
    [summary] = store.organisation_page().organisations
    assert [(a.id, a.answered, a.visible) for a in summary.assessments] == [(item.id, *_counts(item.answers))]


def test_progress_counted_against_other_content_is_recounted_once_and_saved(store, monkeypatch):
    org = store.create_organisation("Acme Ltd")
    item = store.create_assessment(org.id, load_example("fynbos"))
    with sqlite3.connect(store.path) as conn:  # as if counted against an older questionnaire
        conn.execute(
            "UPDATE assessments SET answered = 1, visible = 2, progress_stamp = 'older' WHERE id = ?", [item.id]
        )
    [summary] = store.organisation_page().organisations
    assert (summary.assessments[0].answered, summary.assessments[0].visible) == _counts(item.answers)
    answered, visible, stamp = _stored(store, item.id)
    assert (answered, visible) == _counts(item.answers) and stamp != "older"
    calls = []
    real = store_module._counted_answers
    monkeypatch.setattr(store_module, "_counted_answers", lambda answers: calls.append(1) or real(answers))
    store.organisation_page()
    assert calls == []  # saved with the current stamp: not counted again


def test_a_new_questionnaire_stamp_makes_stored_progress_stale(store, monkeypatch):
    from dpakit import questionnaire

    org = store.create_organisation("Acme Ltd")
    item = store.create_assessment(org.id, load_example("fynbos"))
    before = _stored(store, item.id)[2]
    monkeypatch.setattr(questionnaire, "PROGRESS_RULES", questionnaire.PROGRESS_RULES + 1)
    monkeypatch.setattr(questionnaire, "_STAMPS", {})
    assert questionnaire.progress_stamp() != before
    store.organisation_page()
    assert _stored(store, item.id)[2] == questionnaire.progress_stamp()


def test_an_existing_database_gets_the_progress_columns_with_correct_progress(tmp_path):
    path = tmp_path / "old.db"
    db = Database(path)
    store_module.migrations.apply(db, stop_before="m004_stored_progress")
    assert "answered" not in db.table("assessments").columns_dict
    answers = load_example("nordlicht")
    db.table("organisations").insert(
        {
            "id": "o_oldorg123",
            "name": "Old Ltd",
            "created_at": "2025-01-01T00:00:00+00:00",
            "updated_at": "2025-01-01T00:00:00+00:00",
        }
    )
    for ident, text in (("a_readable1", answers.model_dump_json()), ("a_unreadable", '{"schema_version": 99}')):
        db.table("assessments").insert(
            {
                "id": ident,
                "organisation_id": "o_oldorg123",
                "title": ident,
                "status": "in_progress",
                "schema_version": 1,
                "answers": text,
                "section": None,
                "copied_from": None,
                "created_at": "2025-01-01T00:00:00+00:00",
                "updated_at": "2025-01-01T00:00:00+00:00",
            }
        )
    db.close()
    store = Store(path)
    assert {"answered", "visible", "progress_stamp"} <= set(Database(path).table("assessments").columns_dict)
    assert _stored(store, "a_readable1")[:2] == _counts(answers)
    assert _stored(store, "a_unreadable") == (None, None, None)
    [summary] = store.organisation_page().organisations
    shown = {a.id: a for a in summary.assessments}
    assert (shown["a_readable1"].answered, shown["a_readable1"].visible) == _counts(answers)
    assert shown["a_unreadable"].unreadable.startswith("cannot be read")


def test_an_imported_record_gets_its_progress_counted(store, tmp_path):
    from dpakit import export_organisation, import_organisation

    org = store.create_organisation("Acme Ltd")
    item = store.create_assessment(org.id, load_example("fynbos"))
    target = Store(tmp_path / "target.db")
    result = import_organisation(target, export_organisation(store, org.id))
    [summary] = target.organisation_page().organisations
    assert summary.organisation.id == result.organisation_id
    assert _stored(target, item.id)[:2] == _counts(item.answers)


def _many(store: Store, names: list[str]) -> dict[str, str]:
    ids = {}
    for name in names:
        org = store.create_organisation(name)
        store.create_assessment(org.id, title="First")
        ids[name] = org.id
    return ids


def test_the_list_is_bounded_and_counts_every_match(store):
    _many(store, [f"Client {n:02}" for n in range(30)])
    page = store.organisation_page(limit=20)
    assert len(page.organisations) == 20 and page.total == 30 and page.not_shown == 10
    assert store.organisation_page(limit=50).not_shown == 0


def test_the_list_finds_an_organisation_by_part_of_its_name_in_any_case(store):
    _many(store, ["Fynbos Coffee", "Nordlicht GmbH", "100%_Real Ltd", "Acme"])
    assert [s.organisation.name for s in store.organisation_page("LICHT").organisations] == ["Nordlicht GmbH"]
    assert [s.organisation.name for s in store.organisation_page("%_").organisations] == ["100%_Real Ltd"]
    assert store.organisation_page("nobody").total == 0


def test_the_list_sorts_by_latest_change_by_name_or_newest_first(store):
    ids = _many(store, ["beta", "Alpha", "gamma"])
    first = store.organisation_page(ids=[ids["beta"]]).organisations[0].assessments[0]
    store.set_answer(first.id, "organisation.legal_name", "Beta")  # beta changed last
    assert [s.organisation.name for s in store.organisation_page(sort="recent").organisations] == [
        "beta",
        "gamma",
        "Alpha",
    ]
    assert [s.organisation.name for s in store.organisation_page(sort="name").organisations] == [
        "Alpha",
        "beta",
        "gamma",
    ]
    assert [s.organisation.name for s in store.organisation_page(sort="newest").organisations] == [
        "gamma",
        "Alpha",
        "beta",
    ]
    with pytest.raises(InputError, match="unknown order"):
        store.organisation_page(sort="size")


def test_a_hosted_viewer_s_list_holds_only_their_organisations(store):
    ids = _many(store, ["Alpha", "Beta", "Gamma"])
    store.set_membership("ann@example.com", ids["Beta"], "client")
    scoped = ScopedStore(store, Viewer.signed_in(store, "ann@example.com"))
    page = scoped.organisation_page()
    assert [s.organisation.name for s in page.organisations] == ["Beta"] and page.total == 1
    assert scoped.organisation_page(ids=[ids["Alpha"]]).total == 0
    assert ScopedStore(store, Viewer.nobody()).organisation_page().total == 0


def test_the_list_is_one_connection_whatever_the_number_of_organisations(store, monkeypatch):
    _many(store, [f"Client {n}" for n in range(40)])
    opened = []
    real = store._connect
    monkeypatch.setattr(store, "_connect", lambda: opened.append(1) or real())
    store.organisation_page(limit=40)
    assert len(opened) == 1


def test_the_assessments_of_several_organisations_come_in_one_connection_and_scoped_to_the_viewer(store, monkeypatch):
    from dpakit.errors import NotFound

    ids = _many(store, ["Alpha", "Beta"])
    extra = store.create_assessment(ids["Alpha"], title="Second")
    opened = []
    real = store._connect
    monkeypatch.setattr(store, "_connect", lambda: opened.append(1) or real())
    found = store.assessments_of([ids["Alpha"], ids["Beta"]])
    assert len(opened) == 1
    assert [a.title for a in found[ids["Alpha"]]] == ["Second", "First"] and found[ids["Alpha"]][0].id == extra.id
    assert [a.title for a in found[ids["Beta"]]] == ["First"]
    store.set_membership("ann@example.com", ids["Beta"], "client")
    scoped = ScopedStore(store, Viewer.signed_in(store, "ann@example.com"))
    assert list(scoped.assessments_of([ids["Beta"]])) == [ids["Beta"]]
    with pytest.raises(NotFound):
        scoped.assessments_of([ids["Beta"], ids["Alpha"]])
