"""AppTest for the documents page: clauses with reasons before generating, generate, hash, history."""

import io

import docx
from apptest_support import has_key, open_page
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


def _second_agreement(app_db, assessment, name="Karoo Books CC"):
    """A second agreement on the assessment, with the first one's answers (so it drafts) under another name."""
    return app_db.copy_agreement(assessment.id, assessment.answers.agreement_ids[0], name)


def _open_on(assessment_id, agreement_id):
    return open_page(PAGE, assessment_id, agreement_id=agreement_id)


def test_the_dpa_is_drafted_for_the_agreement_chosen_and_named_after_both_parties(nordlicht, app_db):
    second = _second_agreement(app_db, nordlicht)
    at = documents_page(nordlicht.id)
    select = at.selectbox(key=f"documents_agreement:{nordlicht.id}")
    assert select.options == ["Pipeline Growth Partners LLC", "Karoo Books CC"]
    select.set_value(second).run()
    assert at.query_params["g"] == second
    at.button(key="documents_generate").click().run()
    assert not at.exception, [e.value for e in at.exception]
    [record] = app_db.documents(nordlicht.id)
    assert record.agreement_id == second
    assert record.filename == "dpa-nordlicht-karoo-books-cc.docx"
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(app_db.document_content(record.id))).paragraphs)
    assert "Karoo Books CC" in text and "Pipeline Growth Partners" not in text
    assert list(at.dataframe[-1].value["Agreement"]) == ["Karoo Books CC"]


def test_the_agreement_in_the_url_is_the_one_drafted(nordlicht, app_db):
    second = _second_agreement(app_db, nordlicht)
    at = _open_on(nordlicht.id, second)
    assert at.selectbox(key=f"documents_agreement:{nordlicht.id}").value == second
    at.button(key="documents_generate").click().run()
    assert [d.agreement_id for d in app_db.documents(nordlicht.id)] == [second]


def test_draft_every_agreement_gives_one_dpa_each_with_distinct_names(nordlicht, app_db):
    second = _second_agreement(app_db, nordlicht)
    at = documents_page(nordlicht.id)
    at.button(key="documents_generate_all").click().run()
    assert not at.exception, [e.value for e in at.exception]
    records = app_db.documents(nordlicht.id)
    assert sorted(d.agreement_id for d in records) == sorted(["pipeline-growth", second])
    assert sorted(d.filename for d in records) == [
        "dpa-nordlicht-karoo-books-cc.docx",
        "dpa-nordlicht-pipeline-growth-partners.docx",
    ]
    assert has_key(at, "documents_download_all_pipeline-growth") and has_key(at, f"documents_download_all_{second}")


def test_one_agreement_offers_no_draft_all(nordlicht):
    at = documents_page(nordlicht.id)
    assert not has_key(at, "documents_generate_all")


def test_before_you_sign_items_of_the_draft_are_listed(nordlicht, monkeypatch):
    import dataclasses

    import dpakit

    real = dpakit.draft_dpa

    @dataclasses.dataclass
    class Item:
        text: str

    class WithItems:
        def __init__(self, draft):
            self._draft = draft
            self.before_you_sign = [Item("Confirm the transfer impact assessment — the questionnaire says no")]

        def __getattr__(self, name):
            return getattr(self._draft, name)

    monkeypatch.setattr(dpakit, "draft_dpa", lambda *a, **k: WithItems(real(*a, **k)))
    at = documents_page(nordlicht.id)
    at.button(key="documents_generate").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert has_key(at, "documents_before_you_sign")
    assert any("not ready for signature" in w.value for w in at.warning)
    assert any("transfer impact assessment" in m.value for m in at.markdown)


def test_the_drafts_own_before_you_sign_items_name_their_question(nordlicht):
    at = documents_page(nordlicht.id)
    at.button(key="documents_generate").click().run()
    assert has_key(at, "documents_before_you_sign")
    listed = " ".join(m.value for m in at.markdown).replace("\\", "")  # md() escapes the punctuation
    assert "Before signature" in listed and "(question: " in listed


def test_without_before_you_sign_items_there_is_no_panel(nordlicht, monkeypatch):
    import dpakit

    real = dpakit.draft_dpa

    class WithoutItems:
        before_you_sign = ()

        def __init__(self, draft):
            self._draft = draft

        def __getattr__(self, name):
            return getattr(self._draft, name)

    monkeypatch.setattr(dpakit, "draft_dpa", lambda *a, **k: WithoutItems(real(*a, **k)))
    at = documents_page(nordlicht.id)
    at.button(key="documents_generate").click().run()
    assert not has_key(at, "documents_before_you_sign")
    assert any("The DPA is ready" in m.value for m in at.success)
