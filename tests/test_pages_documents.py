"""AppTest for the documents page: clauses with reasons before generating, generate, hash, history."""

import io

import docx
from apptest_support import open_page
from streamlit.testing.v1 import AppTest

PAGE = "views/documents.py"


def documents_page(assessment_id: str | None = None) -> AppTest:
    return open_page(PAGE, assessment_id)


def test_without_an_assessment_the_page_points_to_the_start(app_db):
    at = documents_page(None)
    assert "Open or start an assessment first" in at.info[0].value


def test_the_clause_list_with_reasons_is_shown_before_generating(nordlicht):
    at = documents_page(nordlicht.id)
    assert at.title[0].value == "Documents"
    table = at.dataframe[0].value
    assert "Options chosen in the EU SCCs" in list(table["Clause"])
    reasons = dict(zip(table["Clause"], table["Why"], strict=True))
    assert "EU Standard Contractual Clauses" in reasons["Options chosen in the EU SCCs"]
    assert any("not confirmed" in e.label for e in at.expander)


def test_generating_saves_the_document_with_its_hash_and_shows_it(nordlicht, app_db):
    at = documents_page(nordlicht.id)
    at.button(key="documents_generate").click().run()
    assert not at.exception, [e.value for e in at.exception]
    [record] = app_db.documents(nordlicht.id)
    assert record.kind == "dpa" and record.options == {"comments": True}
    assert at.code[0].value == record.sha256
    assert len(list(docx.Document(io.BytesIO(app_db.document_content(record.id))).comments)) > 0
    history = at.dataframe[-1].value
    assert list(history["SHA-256"]) == [record.sha256]


def test_the_clean_copy_option_generates_without_comments(nordlicht, app_db):
    at = documents_page(nordlicht.id)
    at.toggle(key="documents_comments").set_value(False).run()
    at.button(key="documents_generate").click().run()
    [record] = app_db.documents(nordlicht.id)
    assert record.options == {"comments": False}
    document = docx.Document(io.BytesIO(app_db.document_content(record.id)))
    assert list(document.comments) == []


def test_the_same_answers_give_the_same_hash_twice(nordlicht, app_db):
    at = documents_page(nordlicht.id)
    at.button(key="documents_generate").click().run()
    at.button(key="documents_generate").click().run()
    first, second = app_db.documents(nordlicht.id)
    assert first.sha256 == second.sha256


def test_no_bytes_are_kept_in_the_session(nordlicht):
    at = documents_page(nordlicht.id)
    at.button(key="documents_generate").click().run()
    state = at.session_state._state.filtered_state  # AppTest's wrapper has no public iteration
    assert state["documents_last_generated"]["docx"].startswith("d_")
    for value in state.values():
        assert not isinstance(value, bytes | bytearray)
        if isinstance(value, dict):
            assert not any(isinstance(v, bytes | bytearray) for v in value.values())
