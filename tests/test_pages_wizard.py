"""AppTest for the start page, every wizard section and the review page."""

import pytest
from apptest_support import APP, TIMEOUT, has_key
from apptest_support import open_page as app_on
from streamlit.testing.v1 import AppTest

from dpakit.examples import load_example
from dpakit.questionnaire import default_questionnaire, is_visible
from ui.widgets import answer_path, widget_key


def test_start_page_offers_new_example_and_import(app_db):
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    assert not at.exception
    assert at.title[0].value == "dpakit"
    assert at.button(key="load-example")
    assert at.get("file_uploader")


def test_starting_an_assessment_saves_the_name_and_opens_the_first_section(app_db):
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    at.text_input[0].set_value("Fynbos Coffee Roasters (Pty) Ltd")
    at.button[0].click().run()
    assert not at.exception
    [org] = app_db.organisations()
    [created] = app_db.assessments(org.id)
    assert created.answers.organisation.legal_name == "Fynbos Coffee Roasters (Pty) Ltd"
    assert at.query_params["a"] == created.id
    assert at.title[0].value == "Your organisation"


def test_loading_an_example_creates_an_assessment_with_its_answers(app_db):
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    at.selectbox(key="example-choice").set_value("fynbos")
    at.button(key="load-example").click().run()
    assert not at.exception
    [org] = app_db.organisations()
    assert "Fynbos" in org.name
    [created] = app_db.assessments(org.id)
    assert created.answers == load_example("fynbos")


@pytest.mark.parametrize("section", [s.id for s in default_questionnaire().sections])
def test_every_section_page_shows_each_visible_question(app_db, nordlicht, section):
    at = app_on(f"views/section_{section}.py", nordlicht.id)
    spec = default_questionnaire().section(section)
    assert at.title[0].value == spec.title
    facts = nordlicht.answers.flat()
    first = nordlicht.answers.agreement_ids[0]
    for question in spec.questions:
        container = f"question-{question.key}"
        assert has_key(at, container) == is_visible(question, facts), question.field
        if is_visible(question, facts) and question.kind != "table":
            assert has_key(at, widget_key(nordlicht.id, answer_path(question, first))), question.field


def test_changing_an_answer_saves_it_at_once_and_logs_it(app_db, nordlicht):
    at = app_on("views/section_security.py", nordlicht.id)
    key = widget_key(nordlicht.id, "security.mfa_enforced")
    new = "yes" if nordlicht.answers.security.mfa_enforced != "yes" else "no"
    at.radio(key=key).set_value(new).run()
    assert app_db.assessment(nordlicht.id).answers.security.mfa_enforced == new
    assert app_db.events(nordlicht.id)[-1].field == "security.mfa_enforced"


def test_an_invalid_value_is_explained_and_not_saved(app_db, nordlicht):
    at = app_on("views/section_organisation.py", nordlicht.id)
    key = widget_key(nordlicht.id, "organisation.privacy_contact_email")
    before = app_db.assessment(nordlicht.id).answers.organisation.privacy_contact_email
    at.text_input(key=key).set_value("not-an-email").run()
    assert any("Not saved" in e.value for e in at.error)
    assert app_db.assessment(nordlicht.id).answers.organisation.privacy_contact_email == before


def test_a_section_without_an_assessment_points_to_the_start_page(app_db):
    at = app_on("views/section_security.py")
    assert at.info and "Open or start an assessment" in at.info[0].value


def test_an_unknown_assessment_id_in_the_url_is_explained(app_db):
    at = app_on("views/section_security.py", "a_doesnotexist")
    assert at.warning and "not found" in at.warning[0].value


def test_review_page_lists_answers_with_edit_links(app_db, nordlicht):
    at = app_on("views/review_answers.py", nordlicht.id)
    texts = [t.value for t in at.text]
    assert "Nordlicht Software GmbH" in texts
    assert at.title[0].value == "Review your answers"


def test_hostile_text_is_shown_literally_on_the_review_page(app_db):
    org = app_db.create_organisation("<b>x</b>")
    created = app_db.create_assessment(org.id)
    app_db.set_answer(created.id, "organisation.legal_name", "**bold** <script>alert(1)</script> {{ 7*7 }}")
    at = app_on("views/review_answers.py", created.id)
    assert "**bold** <script>alert(1)</script> {{ 7*7 }}" in [t.value for t in at.text]


def test_choosing_a_crm_vendor_prefills_visibly_and_logs_the_prefill(app_db):
    org = app_db.create_organisation("Acme")
    created = app_db.create_assessment(org.id)
    at = app_on("views/section_crm.py", created.id)
    at.selectbox(key=widget_key(created.id, "crm.vendor")).set_value("hubspot").run()
    saved = app_db.assessment(created.id).answers
    assert saved.crm.vendor == "hubspot"
    assert saved.crm.vendor_country == "US"
    assert {e.field for e in app_db.events(created.id) if e.source == "prefill"} >= {"crm.vendor_country"}
    captions = " ".join(c.value for c in at.caption)
    assert "Pre-filled from the HubSpot profile" in captions


def test_an_answer_changed_elsewhere_is_shown_and_an_edit_adds_to_it(app_db, nordlicht):
    """Another tab (or page) changed the saved answer: the widget shows the database, not its old state,
    so the next edit here does not put the old answer back."""
    field = "data.data_categories"
    at = app_on("views/section_data.py", nordlicht.id)
    key = widget_key(nordlicht.id, field)
    assert at.multiselect(key=key).value == nordlicht.answers.data.data_categories
    elsewhere = [*nordlicht.answers.data.data_categories[:2]]
    app_db.set_answer(nordlicht.id, field, elsewhere)
    at.run()
    assert at.multiselect(key=key).value == elsewhere
    extra = next(
        o.value
        for q in default_questionnaire().section("data").questions
        if q.field == field
        for o in q.options
        if o.value not in elsewhere
    )
    at.multiselect(key=key).select(extra).run()
    assert app_db.assessment(nordlicht.id).answers.data.data_categories == [*elsewhere, extra]


def test_the_workshop_shows_the_saved_answer_right_after_its_section_page(app_db, nordlicht):
    at = app_on("views/section_organisation.py", nordlicht.id)
    at.switch_page("views/workshop.py").run()
    assert not at.exception
    assert at.text_input[0].label == "What is your organisation's full legal name?"
    assert at.text_input[0].value == "Nordlicht Software GmbH"
    at.switch_page("views/section_organisation.py").run()
    assert at.text_input(key=widget_key(nordlicht.id, "organisation.legal_name")).value == "Nordlicht Software GmbH"
    assert app_db.assessment(nordlicht.id).answers == nordlicht.answers
