"""Issue 18, item 4: a questionnaire rerun reads the assessment and its progress once (``ui.state``'s
per-run memo), and nothing read in one run is shown in the next: an answer saved elsewhere between two
runs appears in the page, the section's progress and the sidebar's."""

from apptest_support import open_page as app_on

from dpakit.questionnaire import default_questionnaire, is_answered, is_visible, question_facts
from ui.widgets import widget_key


def _progress_texts(at) -> list[str]:
    return [el.proto.text for el in at.get("progress")] + [el.proto.text for el in at.sidebar.get("progress")]


def _unanswered_yesno(assessment):
    facts = question_facts(assessment.answers)
    for section in default_questionnaire().sections:
        for q in section.questions:
            if q.kind == "yesno" and is_visible(q, facts) and not is_answered(facts[q.field]):
                return section.id, q.field
    raise AssertionError("the example answers every yes/no question")


def test_an_answer_saved_between_two_runs_shows_in_the_page_and_both_progress_bars(app_db, nordlicht):
    section, field = _unanswered_yesno(nordlicht)
    at = app_on(f"views/section_{section}.py", nordlicht.id)
    before = _progress_texts(at)
    key = widget_key(nordlicht.id, field)
    assert at.radio(key=key).value is None
    app_db.set_answer(nordlicht.id, field, "yes")  # another tab
    at.run()
    assert at.radio(key=key).value == "yes"
    after = _progress_texts(at)
    assert len(after) == len(before) >= 2
    assert all(a != b for a, b in zip(after, before, strict=True)), (before, after)


def test_an_answer_changed_here_counts_in_both_progress_bars_of_the_same_rerun(app_db, nordlicht):
    section, field = _unanswered_yesno(nordlicht)
    at = app_on(f"views/section_{section}.py", nordlicht.id)
    before = _progress_texts(at)
    at.radio(key=widget_key(nordlicht.id, field)).set_value("no").run()
    assert app_db.assessment(nordlicht.id).answers.flat()[field] == "no"
    after = _progress_texts(at)
    assert all(a != b for a, b in zip(after, before, strict=True)), (before, after)


def test_the_run_memo_lives_for_one_script_run_only(monkeypatch):
    from types import SimpleNamespace

    from streamlit.runtime import scriptrunner

    from ui import state

    ctx = SimpleNamespace(cursors={})
    monkeypatch.setattr(scriptrunner, "get_script_run_ctx", lambda suppress_warning=False: ctx)
    state._this_run()["x"] = 1
    assert state._this_run() == {"x": 1}  # the same run
    ctx.cursors = {}  # Streamlit starts the next run
    assert state._this_run() == {}
    monkeypatch.setattr(scriptrunner, "get_script_run_ctx", lambda suppress_warning=False: None)
    state._this_run()["y"] = 2
    assert state._this_run() == {}  # outside a run nothing is kept
