"""AppTests for the workspace pages: organisations, compare, change log and workshop mode."""

import re

from apptest_support import has_key, open_page
from streamlit.testing.v1 import AppTest

from dpakit.workspace.archive import export_organisation

HOSTILE = "<img src=x onerror=alert(1)> **Evil** & Co"


def ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.value for e in at.exception]
    return at


# --- organisations -------------------------------------------------------------------------------


def test_the_workspace_lists_organisations_with_score_status_and_search(app_db, nordlicht):
    app_db.create_organisation("Fynbos Coffee Roasters")
    at = open_page("views/workspace.py")
    assert at.title[0].value == "Organisations"
    assert "Single-user mode" in at.caption[0].value
    assert [s.value for s in at.subheader][:2] == ["Fynbos Coffee Roasters", "Nordlicht Software GmbH"]
    table = at.dataframe[0].value  # AppTest does not expose dataframe keys
    assert list(table["Assessment"]) == ["2025 review"]
    assert list(table["Status"]) == ["In progress"]
    assert 0 <= int(table["Risk score"][0]) <= 100
    ok(at.text_input(key="workspace_search").input("nord").run())
    assert [s.value for s in at.subheader][0] == "Nordlicht Software GmbH"
    assert "Fynbos Coffee Roasters" not in [s.value for s in at.subheader]


def test_copy_forward_starts_the_yearly_review_from_the_same_answers(app_db, nordlicht):
    at = open_page("views/workspace.py")
    ok(at.button(key=f"workspace_copy_{nordlicht.id}").click().run())
    newest, oldest = app_db.assessments(nordlicht.organisation_id)
    assert oldest.id == nordlicht.id and newest.copied_from == nordlicht.id
    assert newest.answers == nordlicht.answers
    assert "Copied" in at.success[0].value
    assert at.session_state["assessment_id"] == newest.id


def test_adding_an_organisation_starts_its_first_assessment(app_db):
    at = open_page("views/workspace.py")
    at.text_input(key="workspace_new_name").input(HOSTILE)
    ok(at.form_submit_button[0].click().run())
    [org] = app_db.organisations()
    assert org.name == HOSTILE
    [assessment] = app_db.assessments(org.id)
    assert assessment.answers.organisation.legal_name == HOSTILE
    assert at.subheader[0].value == r"\<img src\=x onerror\=alert\(1\)\> \*\*Evil\*\* \& Co"


def test_deleting_needs_the_name_typed_and_removes_everything(app_db, nordlicht):
    org_id = nordlicht.organisation_id
    at = open_page("views/workspace.py", nordlicht.id)
    assert at.button(key=f"workspace_delete_{org_id}").disabled
    at.text_input(key=f"workspace_delete_name_{org_id}").input("Nordlicht Software GmbH").run()
    ok(at.button(key=f"workspace_delete_{org_id}").click().run())
    assert app_db.organisations() == []
    assert "Deleted" in at.success[0].value
    assert "a" not in at.query_params


def test_importing_a_record_adds_the_organisation_and_a_bad_one_changes_nothing(app_db, nordlicht, tmp_path):
    data = export_organisation(app_db, nordlicht.organisation_id)
    at = open_page("views/workspace.py")
    at.file_uploader(key="workspace_import_file").set_value(("record.zip", b"not a zip", "application/zip")).run()
    ok(at.button(key="workspace_import").click().run())
    assert "Nothing was imported" in at.error[0].value
    assert len(app_db.organisations()) == 1
    at.file_uploader(key="workspace_import_file").set_value(("record.zip", data, "application/zip")).run()
    at.checkbox(key="workspace_import_copy").check().run()
    ok(at.button(key="workspace_import").click().run())
    assert len(app_db.organisations()) == 2
    assert "Imported" in at.success[0].value


def test_an_export_button_is_offered_per_organisation(app_db, nordlicht):
    at = open_page("views/workspace.py")
    assert at.download_button(key=f"workspace_export_{nordlicht.organisation_id}").label.startswith("Export")


# --- compare -------------------------------------------------------------------------------------


def test_comparing_two_assessments_shows_changed_answers_findings_and_score(app_db, nordlicht):
    newer = app_db.copy_forward(nordlicht.id, title="2026 review")
    app_db.set_answer(newer.id, "security.mfa_enforced", "no")
    app_db.set_answer(newer.id, "organisation.address", HOSTILE)
    at = open_page("views/compare.py", newer.id)
    assert at.selectbox(key="compare_old").value == nordlicht.id
    assert at.selectbox(key="compare_new").value == newer.id
    answers = at.dataframe[0].value
    assert HOSTILE in list(answers["After"])
    assert "No" in list(answers["After"])
    assert any(m.label == "Overall risk score" for m in at.metric)
    assert len(at.dataframe[1].value) >= 1
    as_text = [m.value for m in at.markdown if "~~" in m.value]
    assert as_text and r"\<img" in as_text[0]
    assert not re.search(r"(?<!\\)[<*]", as_text[0].replace("**", "", 4))  # every < and * of the user escaped


def test_comparing_dpas_offers_the_redline(app_db, nordlicht):
    from dpakit.analysis import analyse
    from dpakit.drafting.draft import draft_dpa

    newer = app_db.copy_forward(nordlicht.id)
    app_db.set_answer(newer.id, "agreement.breach_notice_hours", 24)
    for a in (nordlicht, app_db.assessment(newer.id)):
        app_db.save_document(a.id, "dpa", "dpa.docx", draft_dpa(analyse(a.answers)).docx, a.answers, "v")
    at = open_page("views/compare.py", newer.id)
    ok(at.radio(key="compare_what").set_value("Two generated DPAs").run())
    assert at.download_button(key="compare_redline").label.startswith("Download the redline")
    assert any("hours" in q.lower() or "breach" in q.lower() for q in at.dataframe[0].value["Question"])


def test_compare_explains_what_is_missing_with_one_assessment(app_db, nordlicht):
    at = open_page("views/compare.py", nordlicht.id)
    assert "Copy it forward" in at.info[0].value


# --- change log ----------------------------------------------------------------------------------


def test_the_change_log_lists_changes_as_text_and_offers_csv(app_db, nordlicht):
    app_db.set_answer(nordlicht.id, "security.mfa_enforced", "not_sure")
    at = open_page("views/audit_log.py", nordlicht.id)
    table = at.dataframe[0].value
    assert table["After"][0] == "Not sure" and table["Who"][0] == "—"
    assert "does not say who" in at.caption[0].value
    assert at.download_button(key="audit_download")
    ok(at.text_input(key="audit_filter").input("zzz-no-such-question").run())
    assert len(at.dataframe[0].value) == 0


# --- workshop ------------------------------------------------------------------------------------


def test_workshop_shows_one_question_at_a_time_and_moves_with_the_buttons(app_db, nordlicht):
    at = open_page("views/workshop.py", nordlicht.id)
    assert at.button(key="workshop_prev").disabled
    first = at.progress[0].value
    ok(at.button(key="workshop_next").click().run())
    assert "Question 2 of" in at.progress[0].text and at.progress[0].value > first
    ok(at.button(key="workshop_prev").click().run())
    assert "Question 1 of" in at.progress[0].text


def test_workshop_answers_are_saved_as_given(app_db):
    org = app_db.create_organisation("Blank Ltd")
    assessment = app_db.create_assessment(org.id)
    at = open_page("views/workshop.py", assessment.id)
    stage_inputs = at.text_input
    field_key = stage_inputs[0].key
    ok(stage_inputs[0].input("Blank Limited").run())
    path = field_key.split(":", 2)[2]
    assert app_db.assessment(assessment.id).answers.get(path) == "Blank Limited"


def test_workshop_assigns_action_owners_and_due_dates(app_db, nordlicht):
    at = open_page("views/workshop.py", nordlicht.id)
    ok(at.segmented_control(key="workshop_mode").set_value("Actions").run())
    owner = next(t for t in at.text_input if t.key.startswith("workshop_owner_"))
    action_id = owner.key.removeprefix("workshop_owner_")
    ok(owner.input("Dana (IT)").run())
    import datetime as dt

    ok(at.date_input(key=f"workshop_due_{action_id}").set_value(dt.date(2027, 3, 31)).run())
    state = app_db.action_states(nordlicht.id)[action_id]
    assert (state.owner, state.due_date) == ("Dana (IT)", "2027-03-31")


def _make_unreadable(app_db, assessment_id: str, answers_json: str, schema_version: int) -> None:
    import sqlite3

    conn = sqlite3.connect(app_db.path)
    with conn:
        conn.execute(
            "UPDATE assessments SET answers = ?, schema_version = ? WHERE id = ?",
            [answers_json, schema_version, assessment_id],
        )
    conn.close()


def test_an_assessment_written_by_a_newer_dpakit_is_shown_as_unreadable_and_hides_nothing(app_db, nordlicht):
    org_id = nordlicht.organisation_id
    newer = app_db.create_assessment(org_id, title="2026 review")
    _make_unreadable(app_db, newer.id, '{"schema_version": 99, "organisation": {"new_field": 1}}', 99)
    app_db.create_organisation("Fynbos Coffee Roasters")  # sorted by name: listed first, no assessment
    later = app_db.create_organisation("Zebra Analytics")
    app_db.create_assessment(later.id, title="Zebra 2025")

    at = open_page("views/workspace.py")
    subheaders = [s.value for s in at.subheader]
    assert subheaders[:3] == ["Fynbos Coffee Roasters", "Nordlicht Software GmbH", "Zebra Analytics"]
    nordlicht_table = at.dataframe[0].value  # Fynbos has no assessment, so no table
    assert list(nordlicht_table["Assessment"]) == ["2026 review", "2025 review"]
    assert list(nordlicht_table["Status"]) == ["cannot be read (written by a newer dpakit?)", "In progress"]
    assert 0 <= int(nordlicht_table["Risk score"][1]) <= 100
    assert list(at.dataframe[1].value["Assessment"]) == ["Zebra 2025"]
    assert any("cannot be read (written by a newer dpakit?)" in w.value for w in at.warning)
    # the readable one keeps its buttons; the unreadable one offers none that would fail
    assert at.button(key=f"workspace_open_{nordlicht.id}")
    assert not has_key(at, f"workspace_open_{newer.id}")
    assert at.download_button(key=f"workspace_export_{org_id}")
    assert at.download_button(key=f"workspace_export_{later.id}")
    # and the organisation can still be deleted from the page
    at.text_input(key=f"workspace_delete_name_{org_id}").input("Nordlicht Software GmbH").run()
    ok(at.button(key=f"workspace_delete_{org_id}").click().run())
    assert [o.name for o in app_db.organisations()] == ["Fynbos Coffee Roasters", "Zebra Analytics"]


def test_opening_an_assessment_whose_saved_section_is_unknown_goes_to_the_first_section(app_db, nordlicht):
    import sqlite3

    conn = sqlite3.connect(app_db.path)
    with conn:
        conn.execute("UPDATE assessments SET section = 'retired_section' WHERE id = ?", [nordlicht.id])
    conn.close()
    at = open_page("views/workspace.py")
    ok(at.button(key=f"workspace_open_{nordlicht.id}").click().run())
    assert at.session_state["assessment_id"] == nordlicht.id


# --- agreements (issue 10) -----------------------------------------------------------------------


def test_comparing_assessments_keeps_each_agreements_answers_apart(app_db, nordlicht):
    newer = app_db.copy_forward(nordlicht.id, title="2026 review")
    first = nordlicht.answers.agreement_ids[0]
    second = app_db.add_agreement(newer.id, "Karoo Books CC")
    app_db.set_answer(newer.id, f"agreements.{second}.breach_notice_hours", 12)
    at = open_page("views/compare.py", newer.id)
    rows = at.dataframe[0].value
    mine = rows[rows["Section"] == "The agreement: Karoo Books CC"]
    assert "12" in list(mine["After"])
    assert list(rows[rows["Section"].str.contains("Pipeline Growth")]["Question"]) == []  # the first unchanged
    assert app_db.assessment(newer.id).answers.agreement_by_id(first) == nordlicht.answers.agreement


def test_the_same_field_of_two_agreements_is_two_changes(app_db, nordlicht):
    from dpakit.workspace.archive import changed_answers

    old = app_db.assessment(nordlicht.id).answers
    second = app_db.add_agreement(nordlicht.id, "Karoo Books CC")
    new = app_db.set_answer(nordlicht.id, f"agreements.{second}.breach_notice_hours", 12)
    hours = (old.agreement.breach_notice_hours or 0) + 1
    new = app_db.set_answer(nordlicht.id, "agreements.pipeline-growth.breach_notice_hours", hours)
    changes = {(c.field, c.new) for c in changed_answers(old, new)}
    assert ("agreements.pipeline-growth.breach_notice_hours", str(hours)) in changes
    assert (f"agreements.{second}.breach_notice_hours", "12") in changes
    assert all(c.question != c.field for c in changed_answers(old, new))  # labels, not paths


def test_comparing_dpas_chooses_the_agreement_and_never_pairs_two_agreements(app_db, nordlicht):
    from dpakit.analysis import analyse
    from dpakit.drafting.draft import draft_dpa

    second = app_db.copy_agreement(nordlicht.id, "pipeline-growth", "Karoo Books CC")
    answers = app_db.assessment(nordlicht.id).answers
    for agreement in ("pipeline-growth", second, second):
        docx = draft_dpa(analyse(answers.focused(agreement))).docx
        app_db.save_document(nordlicht.id, "dpa", f"dpa-{agreement}.docx", docx, answers, "v", agreement_id=agreement)
    at = open_page("views/compare.py", nordlicht.id)
    ok(at.radio(key="compare_what").set_value("Two generated DPAs").run())
    choice = at.selectbox(key="compare_agreement")
    assert set(choice.options) == {"Pipeline Growth Partners LLC", "Karoo Books CC"}
    ok(choice.set_value(second).run())
    offered = at.selectbox(key="compare_old_doc").options
    of_second = [d.sha256[:10] for d in app_db.documents(nordlicht.id) if d.agreement_id == second]
    assert len(offered) == 2 and all(any(sha in o for o in offered) for sha in of_second)
    assert not any(
        d.sha256[:10] in " ".join(offered) for d in app_db.documents(nordlicht.id) if d.agreement_id != second
    )
    assert at.download_button(key="compare_redline").label.startswith("Download the redline")
    ok(at.selectbox(key="compare_agreement").set_value("pipeline-growth").run())
    assert "Generate a DPA" in at.info[0].value  # one DPA of that agreement: nothing to pair it with


def test_export_and_import_keep_every_agreement_and_the_agreement_of_each_document(app_db, nordlicht):
    from dpakit.workspace.archive import import_organisation

    second = app_db.add_agreement(nordlicht.id, "Karoo Books CC")
    app_db.set_answer(nordlicht.id, f"agreements.{second}.services", "Bookkeeping")
    app_db.save_document(
        nordlicht.id, "dpa", "dpa-x.docx", b"PK", app_db.assessment(nordlicht.id).answers, "v", agreement_id=second
    )
    data = export_organisation(app_db, nordlicht.organisation_id)
    imported = import_organisation(app_db, data, copy=True)
    [copy] = app_db.assessments(imported.organisation_id)
    assert copy.answers.agreement_ids == ["pipeline-growth", second]
    assert copy.answers.agreement_by_id(second).services == "Bookkeeping"
    assert [d.agreement_id for d in app_db.documents(copy.id)] == [second]
    assert f"agreements.{second}.services" in {e.field for e in app_db.events(copy.id)}


def test_copy_forward_keeps_every_agreement(app_db, nordlicht):
    second = app_db.add_agreement(nordlicht.id, "Karoo Books CC")
    at = open_page("views/workspace.py")
    ok(at.button(key=f"workspace_copy_{nordlicht.id}").click().run())
    newest = app_db.assessments(nordlicht.organisation_id)[0]
    assert newest.answers.agreement_ids == ["pipeline-growth", second]
    assert newest.answers == app_db.assessment(nordlicht.id).answers


def test_the_change_log_names_the_agreement_of_each_agreement_answer(app_db, nordlicht):
    second = app_db.add_agreement(nordlicht.id, "Karoo Books CC")
    app_db.set_answer(nordlicht.id, f"agreements.{second}.breach_notice_hours", 12)
    at = open_page("views/audit_log.py", nordlicht.id)
    newest = at.dataframe[0].value.iloc[0]
    assert newest["Question"].startswith("Karoo Books CC: ") and "breach" in newest["Question"].lower()
    assert newest["After"] == "12"
