"""AppTest for agreements in the wizard (issue 10): which agreement the page edits, kept in the URL; adding,
copying and removing agreements; answers saved to the agreement shown and never to another; scope questions
offering only the organisation's own answers."""

from apptest_support import has_key, open_page

from ui.widgets import STALE_NOTE, widget_key

PAGE = "views/section_agreement.py"
SELECT = "agreement-select:{}"


def agreement_page(assessment_id: str, agreement_id: str | None = None):
    from apptest_support import open_page

    return open_page(PAGE, assessment_id, agreement_id=agreement_id)


def key(assessment, agreement_id: str, field: str) -> str:
    return widget_key(assessment.id, f"agreements.{agreement_id}.{field}")


def add(at, name: str):
    at.text_input(key=f"agreement-new-name:{at.query_params['a']}").set_value(name).run()
    at.button(key="agreement-add").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_the_page_names_the_agreement_it_edits_and_puts_it_in_the_url(app_db, nordlicht):
    at = agreement_page(nordlicht.id)
    [only] = nordlicht.answers.agreement_ids
    select = at.selectbox(key=SELECT.format(nordlicht.id))
    assert select.value == only
    assert select.options == ["Pipeline Growth Partners LLC"]
    assert at.query_params["g"] == only
    assert has_key(at, key(nordlicht, only, "counterparty_name"))
    assert not has_key(at, "agreement-remove")  # the only agreement cannot be removed
    assert any("cannot be removed" in c.value for c in at.caption)


def test_adding_an_agreement_switches_to_it_empty_and_keeps_the_first(app_db, nordlicht):
    at = add(agreement_page(nordlicht.id), "Karoo Call Centre (Pty) Ltd")
    saved = app_db.assessment(nordlicht.id).answers
    assert saved.agreement_ids == ["pipeline-growth", "karoo-call-centre-pty-ltd"]
    new = saved.agreement_by_id("karoo-call-centre-pty-ltd")
    assert new.counterparty_name == "Karoo Call Centre (Pty) Ltd" and new.services is None
    assert at.query_params["g"] == "karoo-call-centre-pty-ltd"
    assert at.selectbox(key=SELECT.format(nordlicht.id)).value == "karoo-call-centre-pty-ltd"
    assert at.text_input(key=key(nordlicht, new.id, "counterparty_name")).value == "Karoo Call Centre (Pty) Ltd"
    assert saved.agreement_by_id("pipeline-growth") == nordlicht.answers.agreement


def test_an_answer_goes_to_the_agreement_shown_and_switching_never_mixes_them(app_db, nordlicht):
    at = add(agreement_page(nordlicht.id), "Karoo Books CC")
    at.text_input(key=key(nordlicht, "karoo-books-cc", "main_agreement_name")).set_value("Bookkeeping terms").run()
    saved = app_db.assessment(nordlicht.id).answers
    assert saved.agreement_by_id("karoo-books-cc").main_agreement_name == "Bookkeeping terms"
    first_before = nordlicht.answers.agreement.main_agreement_name
    assert saved.agreement_by_id("pipeline-growth").main_agreement_name == first_before
    assert app_db.events(nordlicht.id)[-1].field == "agreements.karoo-books-cc.main_agreement_name"
    # switch to the first agreement: its own answer is shown, the new one's widget is gone
    at.selectbox(key=SELECT.format(nordlicht.id)).set_value("pipeline-growth").run()
    assert at.query_params["g"] == "pipeline-growth"
    assert at.text_input(key=key(nordlicht, "pipeline-growth", "main_agreement_name")).value == (first_before or "")
    assert not has_key(at, key(nordlicht, "karoo-books-cc", "main_agreement_name"))
    # and back: the second agreement's answer is still there
    at.selectbox(key=SELECT.format(nordlicht.id)).set_value("karoo-books-cc").run()
    assert at.text_input(key=key(nordlicht, "karoo-books-cc", "main_agreement_name")).value == "Bookkeeping terms"
    assert app_db.assessment(nordlicht.id).answers.agreement_by_id("pipeline-growth") == nordlicht.answers.agreement


def test_the_agreement_in_the_url_is_the_one_shown(app_db, nordlicht):
    second = app_db.add_agreement(nordlicht.id, "Karoo Books CC")
    at = agreement_page(nordlicht.id, second)
    assert at.selectbox(key=SELECT.format(nordlicht.id)).value == second
    assert at.text_input(key=key(nordlicht, second, "counterparty_name")).value == "Karoo Books CC"
    # an id the assessment does not have falls back to the first agreement
    at = agreement_page(nordlicht.id, "no-such-agreement")
    assert at.selectbox(key=SELECT.format(nordlicht.id)).value == "pipeline-growth"


def test_copy_starts_from_the_agreement_shown(app_db, nordlicht):
    at = agreement_page(nordlicht.id)
    at.text_input(key=f"agreement-new-name:{nordlicht.id}").set_value("Second Growth LLC").run()
    at.button(key="agreement-copy").click().run()
    saved = app_db.assessment(nordlicht.id).answers
    copy = saved.agreement_by_id("second-growth-llc")
    assert copy.counterparty_name == "Second Growth LLC"
    assert copy.services == nordlicht.answers.agreement.services
    assert at.query_params["g"] == "second-growth-llc"


def test_adding_without_a_name_says_what_to_do_and_adds_nothing(app_db, nordlicht):
    at = agreement_page(nordlicht.id)
    at.button(key="agreement-add").click().run()
    assert any("name first" in e.value for e in at.error)
    assert app_db.assessment(nordlicht.id).answers.agreement_ids == ["pipeline-growth"]


def test_remove_asks_first_then_removes_and_shows_another(app_db, nordlicht):
    second = app_db.add_agreement(nordlicht.id, "Karoo Books CC")
    at = agreement_page(nordlicht.id, second)
    at.button(key="agreement-remove").click().run()
    assert any("Remove the agreement with Karoo Books CC?" in w.value for w in at.warning)
    assert app_db.assessment(nordlicht.id).answers.agreement_ids == ["pipeline-growth", second]  # not yet
    at.button(key="agreement-remove-cancel").click().run()
    assert app_db.assessment(nordlicht.id).answers.agreement_ids == ["pipeline-growth", second]
    at.button(key="agreement-remove").click().run()
    at.button(key="agreement-remove-confirm").click().run()
    assert not at.exception
    assert app_db.assessment(nordlicht.id).answers.agreement_ids == ["pipeline-growth"]
    assert at.selectbox(key=SELECT.format(nordlicht.id)).value == "pipeline-growth"
    assert at.query_params["g"] == "pipeline-growth"


def test_scope_offers_only_the_organisations_own_purposes_and_flags_a_saved_one_no_longer_there(app_db, nordlicht):
    purposes = nordlicht.answers.purposes.purposes
    assert purposes and len(purposes) >= 2
    dropped = purposes[0]
    app_db.set_answer(nordlicht.id, "agreements.pipeline-growth.scope_purposes", [dropped])
    app_db.set_answer(nordlicht.id, "purposes.purposes", purposes[1:])
    at = agreement_page(nordlicht.id)
    widget = at.multiselect(key=key(nordlicht, "pipeline-growth", "scope_purposes"))
    label = _label("agreement.scope_purposes")
    # the organisation's purposes, and the saved one it no longer has, flagged
    assert widget.options == [*map(label, purposes[1:]), f"{label(dropped)} ({STALE_NOTE})"]
    assert widget.value == [dropped]
    assert any("taken from your answers in" in c.value for c in at.caption)
    assert any(STALE_NOTE in w.value for w in at.warning)


def _label(field):
    from dpakit.questionnaire import default_questionnaire

    question = default_questionnaire().question(field)

    def label(value):
        return question.option_label(value)

    return label


def test_the_processor_reads_the_questions_about_its_own_service(app_db, nordlicht):
    app_db.set_answer(nordlicht.id, "agreements.pipeline-growth.our_role", "processor")
    at = agreement_page(nordlicht.id)
    assert any("you are the service provider" in i.value for i in at.info)
    label = at.multiselect(key=key(nordlicht, "pipeline-growth", "scope_purposes")).label
    assert label == "For which purposes do you handle your client's data?"
    app_db.set_answer(nordlicht.id, "agreements.pipeline-growth.our_role", "controller")
    at = agreement_page(nordlicht.id)
    assert not any("you are the service provider" in i.value for i in at.info)


def test_the_section_progress_counts_the_agreement_shown(app_db, nordlicht):
    second = app_db.add_agreement(nordlicht.id, "Karoo Books CC")
    first_at = agreement_page(nordlicht.id)
    second_at = agreement_page(nordlicht.id, second)

    def in_section(at):
        [text] = [p.proto.text for p in at.get("progress") if "in this section" in p.proto.text]
        return text

    first_text, second_text = in_section(first_at), in_section(second_at)
    assert first_text != second_text
    assert second_text.startswith("1 of ")  # only the counterparty's name is answered


def test_the_review_page_lists_each_agreement_with_edit_links_that_open_it(app_db, nordlicht):
    second = app_db.add_agreement(nordlicht.id, "Karoo Books CC")
    app_db.set_answer(nordlicht.id, f"agreements.{second}.main_agreement_name", "Bookkeeping terms")
    at = open_page("views/review_answers.py", nordlicht.id)
    headers = [h.value for h in at.subheader]
    assert any("Pipeline Growth Partners LLC" in h for h in headers)
    assert any("Karoo Books CC" in h for h in headers)
    assert "Bookkeeping terms" in [t.value for t in at.text]
    queries = [link.proto.query_string for link in at.get("page_link")]
    assert f"g={second}&q=agreement.main_agreement_name" in " ".join(queries)
    assert "g=pipeline-growth&q=agreement.main_agreement_name" in " ".join(queries)
    assert not any("g=" in q for q in queries if "q=security." in q)  # other sections keep the tab's own


def test_an_edit_link_naming_an_agreement_opens_it_after_another_was_in_use(app_db, nordlicht):
    second = app_db.add_agreement(nordlicht.id, "Karoo Books CC")
    at = agreement_page(nordlicht.id)  # the first agreement is in use in this session
    assert at.selectbox(key=SELECT.format(nordlicht.id)).value == "pipeline-growth"
    at.switch_page("views/review_answers.py").run()
    at.query_params["g"] = second  # what the review page's Edit link for the second agreement carries
    at.switch_page(PAGE).run()
    assert at.selectbox(key=SELECT.format(nordlicht.id)).value == second
    at.query_params.pop("g", None)  # a sidebar navigation clears the URL: the agreement in use stays
    at.switch_page("views/section_security.py").run()
    at.switch_page(PAGE).run()
    assert at.selectbox(key=SELECT.format(nordlicht.id)).value == second


def test_the_workshop_asks_about_the_agreement_in_use_and_saves_there(app_db, nordlicht):
    second = app_db.add_agreement(nordlicht.id, "Karoo Books CC")
    at = agreement_page(nordlicht.id, second)
    at.switch_page("views/workshop.py").run()
    assert not at.exception
    target = key(nordlicht, second, "counterparty_name").replace("q:", "q@workshop:", 1)
    for _ in range(60):  # walk to the agreement's counterparty question
        if has_key(at, target):
            break
        at.button(key="workshop_next").click().run()
    assert at.text_input(key=target).value == "Karoo Books CC"
    assert any("agreement with Karoo Books CC" in c.value for c in at.caption)
    at.text_input(key=target).input("Karoo Books Close Corporation").run()
    saved = app_db.assessment(nordlicht.id).answers
    assert saved.agreement_by_id(second).counterparty_name == "Karoo Books Close Corporation"
    assert saved.agreement_by_id("pipeline-growth").counterparty_name == "Pipeline Growth Partners LLC"
