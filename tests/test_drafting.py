"""Drafting the DPA for every example: a valid package, comments that say why, reproducible bytes."""

from __future__ import annotations

import functools
import io
import re
import zipfile

import docx
import pytest

from dpakit.analysis import analyse
from dpakit.drafting.annexes import ANNEX_III_HEADING, measures, measures_in_place, missing_measures
from dpakit.drafting.clauses import load_library
from dpakit.drafting.draft import bookmark_name, draft_dpa, placeholder_values, plan
from dpakit.drafting.placeholders import MAY_BE_EMPTY, PLACEHOLDERS
from dpakit.errors import CoverageGap
from dpakit.examples import EXAMPLES, load_example
from dpakit.models import Answers
from tests.docx_checks import check_package, docx_comments, docx_text

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@functools.cache
def drafted(name: str, comments: bool = True):
    return draft_dpa(analyse(load_example(name)), comments=comments)


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_every_example_drafts_to_a_valid_package_without_leftover_tags(name):
    text = check_package(drafted(name).docx)
    assert "Data Processing Agreement".upper() in text.upper()
    assert "Draft for review by a qualified lawyer" in text
    for heading in (
        "Annex I — List of parties",
        "Annex II — Description of the processing",
        "Annex III — Technical and organisational measures",
        "Annex IV — List of sub-processors",
    ):
        assert heading in text


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_every_included_clause_carries_a_comment_saying_why_what_and_which_version(name):
    draft = drafted(name)
    comments = docx_comments(draft.docx)
    assert len(comments) == len(draft.selected) + 1  # and one on Annex III, the last
    assert comments[-1].startswith("Why Annex III reads as it does:")
    for sel, comment in zip(draft.selected, comments[:-1], strict=True):
        assert comment.startswith("Why included:")
        for req in sel.clause.requirements:
            assert req in comment
        assert f"“{sel.id}” version {sel.clause.version}" in comment
        assert draft.library_version in comment


def test_comments_are_anchored_on_the_clause_headings():
    draft = drafted("nordlicht")
    root = _document_root(draft.docx)
    starts = root.findall(f".//{W}commentRangeStart")
    assert len(starts) == len(draft.selected) + 1
    for sel, start in zip(draft.selected, starts, strict=False):
        para = start.getparent()
        assert para.find(f"{W}pPr/{W}pStyle").get(f"{W}val") == "Heading1"
        assert "".join(t.text for t in para.iter(f"{W}t")) == sel.clause.title
        assert para.find(f"{W}bookmarkStart").get(f"{W}name") == bookmark_name(sel.id)
    annex = starts[-1].getparent()
    assert "".join(t.text for t in annex.iter(f"{W}t")) == ANNEX_III_HEADING
    assert annex.find(f"{W}pPr/{W}pStyle").get(f"{W}val") == "AnnexHeading"


def test_a_condition_clause_explains_itself_from_the_answers_behind_it():
    draft = drafted("nordlicht")
    index = next(i for i, s in enumerate(draft.selected) if s.id == "eu-scc-options")
    comment = docx_comments(draft.docx)[index]
    assert "EU Standard Contractual Clauses" in comment and "Yes" in comment
    assert "SCC914-OPT-C9-2" in comment or "SCC914-OPT-C9-1" in comment


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_two_drafts_from_the_same_answers_are_byte_identical(name):
    first = draft_dpa(analyse(load_example(name)))
    second = draft_dpa(analyse(load_example(name)))
    assert first.sha256 == second.sha256
    assert first.report == second.report


def test_the_clean_copy_has_no_comments_and_the_same_text():
    with_comments, clean = drafted("brightwave"), drafted("brightwave", comments=False)
    assert docx_comments(clean.docx) == []
    assert with_comments.sha256 != clean.sha256
    body = docx_text(clean.docx)
    assert body.replace("None: this is the clean copy.", "") == docx_text(with_comments.docx).replace(
        "Each clause heading carries a Word comment saying why the clause is included, the requirements it "
        "serves and its version; Annex III's comment lists each measure shown as a condition and the answer "
        "behind it. Delete the comments before signature.",
        "",
    )


def test_the_document_reads_back_in_python_docx_with_fixed_metadata():
    document = docx.Document(io.BytesIO(drafted("golden_state").docx))
    props = document.core_properties
    assert props.title.startswith("Data Processing Agreement — Golden State Outfitters Inc.")
    assert props.revision == 1 and props.created.year == 2000
    assert {c.author for c in document.comments} == {"dpakit"}
    styles = {p.style.name for p in document.paragraphs}
    assert {"Heading 1", "Clause Text", "Annex Heading"} <= styles


# --- numbering: Word's automatic numbers agree with the numbers dpakit computes ---------------------------


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_word_numbering_matches_the_computed_clause_numbers(name):
    draft = drafted(name)
    root = _document_root(draft.docx)
    headings = [p for p in root.iter(f"{W}p") if _style(p) == "Heading1"]
    assert [_text(p) for p in headings] == [s.title for s in draft.selected]
    counters: dict[str, int] = {}
    for sel, para in zip(draft.selected, headings, strict=True):
        num_id = para.find(f"{W}pPr/{W}numPr/{W}numId")
        list_id = num_id.get(f"{W}val") if num_id is not None else "1"  # the style's list
        if sel.schedule is None:
            assert list_id == "1"
        else:
            assert list_id == str(10 + sel.schedule)
        counters[list_id] = counters.get(list_id, 0) + 1
        assert str(counters[list_id]) == sel.number


def test_schedules_present_only_for_regimes_in_scope():
    text = {name: docx_text(drafted(name).docx) for name in EXAMPLES}
    assert "Schedule 1 — South Africa (POPIA)" in text["fynbos"]
    assert "EU international transfers" not in text["fynbos"]
    assert "California (CCPA/CPRA)" in text["golden_state"]
    assert "UK international transfers" not in text["golden_state"]
    assert "Schedule 1 — EU international transfers" in text["nordlicht"]
    assert "Schedule 2 — UK international transfers" in text["nordlicht"]
    assert "POPIA" not in text["nordlicht"]


# --- annexes ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_annex_iii_states_confirmed_measures_and_shows_the_rest_as_conditions_naming_the_answer(name):
    answers = load_example(name)
    draft = drafted(name)
    text = docx_text(draft.docx)
    for measure in measures():
        assert measure.field.startswith("agreement.processor_")  # the Processor's own, never the CRM's
        condition = (
            f"will ensure that {measure.short}, or record why that is not needed — "
            if answers.get(measure.field) == "no"
            else f"[Before signature: the Processor confirms that {measure.short} — "
        )
        if answers.get(measure.field) == "yes":
            assert measure.text in text and condition not in text
        else:
            assert measure.text not in text and condition in text
            assert any(c.answer_path == measure.field for c in draft.before_you_sign)
    assert [m.field for m in draft.missing_measures] == [m.field for m in measures() if answers.get(m.field) != "yes"]
    assert draft.report["missing_measures"] == [
        {"field": m.field, "measure": m.measure, "answer": m.answer} for m in missing_measures(answers)
    ]


def test_annex_iii_shows_every_measure_as_a_condition_when_nothing_is_confirmed():
    answers = Answers()
    rows = measures_in_place(answers)
    lines = [line for row in rows for line in row.measure.split("\n")]
    assert len(lines) == len(measures()) and all(line.startswith("[Before signature:") for line in lines)
    assert all("does not answer this yet" in line for line in lines)
    assert len(missing_measures(answers)) == len(measures())


def test_annex_i_names_the_supervisory_authority_only_where_eu_data_goes_under_the_sccs():
    assert "Competent supervisory authority".upper() in docx_text(drafted("nordlicht").docx).upper()
    assert "COMPETENT SUPERVISORY AUTHORITY" not in docx_text(drafted("golden_state").docx).upper()


def test_annex_iv_lists_a_processors_own_sub_processors():
    text = docx_text(drafted("brightwave").docx)
    assert "Emerald Mail Delivery Ltd" in text and "Clearpath Analytics Inc." in text


def test_annex_ii_describes_the_processing_from_the_answers():
    text = docx_text(drafted("golden_state").docx)
    assert "For as long as the Services are provided, then deleted or returned" in text  # agreement.retention
    assert "Support tickets: 3 years" not in text  # the organisation's own retention rules are not the processor's
    assert "Zoho CRM" in text


# --- placeholders, coverage, preview --------------------------------------------------------------------


@pytest.mark.parametrize("answers", [Answers(), *(load_example(n) for n in EXAMPLES)], ids=["empty", *EXAMPLES])
def test_every_placeholder_has_a_text_value(answers):
    values = placeholder_values(analyse(answers))
    assert list(values) == list(PLACEHOLDERS)
    assert all(isinstance(v, str) and (v or name in MAY_BE_EMPTY) for name, v in values.items())


def test_no_placeholder_survives_in_a_draft():
    for name in EXAMPLES:
        assert not re.search(r"\[\[\s*[a-z0-9_.]+\s*\]\]", docx_text(drafted(name).docx))


def test_drafting_refuses_with_a_coverage_gap_naming_the_missing_requirements():
    library = load_library()
    analysis = analyse(load_example("nordlicht"))
    with pytest.raises(CoverageGap) as err:
        draft_dpa(analysis, library.without("confidentiality"))
    assert "GDPR-28-3-b" in str(err.value)
    assert any("GDPR-28-3-b" in ids for ids in err.value.missing.values())


def test_plan_lists_the_clauses_and_coverage_without_rendering():
    selected, report = plan(analyse(load_example("fynbos")))
    assert [s.id for s in selected] == [s.id for s in drafted("fynbos").selected]
    assert report.complete


def test_the_report_lists_included_clauses_with_reasons_and_requirements():
    report = drafted("nordlicht").report
    assert report["sha256"] == drafted("nordlicht").sha256
    clause = next(c for c in report["clauses"] if c["id"] == "eu-scc-options")
    assert clause["reason"].startswith("Its inclusion condition holds")
    assert "SCC914-C13" in clause["requirements"]
    assert all(r["percent"] == 100.0 for r in report["coverage"])


# --- helpers ------------------------------------------------------------------------------------------


def _document_root(data: bytes):
    from lxml import etree

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return etree.fromstring(z.read("word/document.xml"))


def _style(p) -> str | None:
    style = p.find(f"{W}pPr/{W}pStyle")
    return style.get(f"{W}val") if style is not None else None


def _text(p) -> str:
    return "".join(t.text or "" for t in p.iter(f"{W}t"))


# --- one DPA per processing relationship (issue 10) ------------------------------------------------------

TWO_AGREEMENTS = {
    "organisation": {
        "legal_name": "Kite Fashion GmbH",
        "country": "DE",
        "german_land": "DE-BY",
        "address": "Marienplatz 1, München",
    },
    "crm": {"vendor": "hubspot", "hosting_region": "US", "vendor_dpf_certified": "no", "vendor_dpa_accepted": "yes"},
    "data": {"data_categories": ["identity", "contact", "special_categories"], "special_categories": ["health"]},
    "purposes": {"purposes": ["sales", "email_marketing", "customer_service"]},
    "jurisdictions": {"markets": ["eu"], "tia_done": "yes"},
    "agreements": [
        {
            "id": "call-centre",
            "our_role": "controller",
            "counterparty_name": "Callers Teoranta",
            "counterparty_country": "IE",
            "scope_purposes": ["customer_service"],
            "scope_data_categories": ["identity", "contact"],
            "scope_subject_categories": ["customers"],
            "scope_special_categories": [],
            "scope_confirmed": "yes",
            "retention": "during_service",
            "processes_in": ["IE"],
            "subprocessors": [
                {
                    "name": "Dialer Inc",
                    "service": "Telephony",
                    "country": "US",
                    "address": "1 Market St, San Francisco",
                    "dpf_certified": "no",
                    "dpa_in_place": "yes",
                }
            ],
            **{m: "yes" for m in __import__("dpakit.models", fromlist=["x"]).PROCESSOR_MEASURES},
        },
        {"id": "mailer", "our_role": "controller", "counterparty_name": "Mail BV", "counterparty_country": "NL"},
    ],
}


def _draft(agreement_id: str, **changes):
    answers = Answers.model_validate(TWO_AGREEMENTS)
    for path, value in changes.items():
        answers = answers.with_value(path.replace("__", "."), value)
    return draft_dpa(analyse(answers.focused(agreement_id)), comments=False)


def _between(text: str, start: str, end: str) -> str:
    begin = text.index(start)
    return text[begin : text.index(end, begin)]


def test_a_dpa_takes_only_its_own_relationship_never_the_crm_vendor_or_another_counterparty():
    draft = _draft("call-centre")
    text = docx_text(draft.docx)
    assert "Callers Teoranta" in text and "Dialer Inc" in text and "Mail BV" not in text
    # the controller's CRM may be named as the system the data sits in, never as a party, importer or
    # sub-processor of this relationship
    assert "HubSpot" not in _between(text, "Annex I — List of parties", "Annex II — Description")
    assert "HubSpot" not in text[text.index("Annex IV — List of sub-processors") :]
    assert "HubSpot (" not in text  # no "HubSpot (United States)" among importers or recipients
    annex_ii = _between(text, "Annex II — Description", "Annex III — Technical")
    assert "customer service and support" in annex_ii and "sending marketing e-mails" not in annex_ii
    assert "health" not in annex_ii.casefold()  # the organisation has health data; this processor does not


def test_module_three_names_the_processor_as_exporter_and_its_sub_processor_as_importer():
    draft = _draft("call-centre")
    text = docx_text(draft.docx)
    annex_i = _between(text, "Annex I — List of parties", "Annex II — Description")
    assert (
        "EU SCCs, Module Three (processor to processor)\nCallers Teoranta (processor, Ireland)\n"
        "Dialer Inc (sub-processor, United States)" in annex_i
    )
    assert "Kite Fashion GmbH (controller, Germany)\nDialer Inc" not in annex_i
    assert "the Controller is not a party to them" in text  # the controller never signs Module Three


def test_nothing_outstanding_gives_an_empty_before_you_sign_list_and_says_so():
    full = {
        "agreements__call-centre__counterparty_address": "1 Main St, Dublin",
        "agreements__call-centre__counterparty_contact_email": "dpo@callers.example",
        "agreements__call-centre__services": "Answers customer calls",
        "agreements__call-centre__duration": "main_agreement_term",
        "agreements__call-centre__breach_notice_hours": 24,
        "agreements__call-centre__subprocessor_authorisation": "general",
        "agreements__call-centre__subprocessor_notice_days": 30,
        "agreements__call-centre__audit_notice_days": 30,
        "agreements__call-centre__governing_law_country": "DE",
        "organisation__privacy_contact_email": "privacy@kite.example",
    }
    draft = _draft("call-centre", **full)
    assert draft.before_you_sign == () and draft.ready_for_signature
    assert "Nothing is outstanding" in docx_text(draft.docx)
    not_done = _draft("call-centre", **full, jurisdictions__tia_done="no")
    [item] = not_done.before_you_sign
    assert item.answer_path == "jurisdictions.tia_done"
    assert item.text == (
        "[Before signature: the parties carry out and document the transfer impact assessment this rests on — "
        "the questionnaire says none has been done]"
    )
    assert item.text in docx_text(not_done.docx)


def test_an_unconfirmed_scope_is_a_visible_condition_naming_the_answer():
    draft = _draft("call-centre", **{"agreements__call-centre__scope_confirmed": "no"})
    [item] = [c for c in draft.before_you_sign if c.answer_path == "agreement.scope_confirmed"]
    assert "copied from the whole organisation" in item.text and item.text in docx_text(draft.docx)


def test_clause_13_unsettled_is_a_condition_naming_the_question_never_a_gap():
    draft = _draft("call-centre", organisation__german_land=None)
    text = docx_text(draft.docx)
    assert "[to be completed: competent supervisory authority" not in text
    [item] = [c for c in draft.before_you_sign if c.answer_path == "organisation.german_land"]
    assert "the Land where the exporter is established" in item.text
    assert "Bayerisches Landesamt" in docx_text(_draft("call-centre").docx)


def test_a_refused_clause_17_choice_is_never_drafted_and_says_what_to_change():
    draft = _draft("call-centre", jurisdictions__scc_governing_law="US")
    text = docx_text(draft.docx)
    assert "governed by the law of Germany [Before signature: the parties confirm the choice under Clause 17" in text
    assert "the State of [to be completed" not in text
    assert any(c.answer_path == "jurisdictions.scc_governing_law" for c in draft.before_you_sign)


def test_the_popia_ground_is_a_condition_while_the_sub_processors_agreement_is_not_in_place():
    answers = Answers.model_validate(
        {
            "organisation": {"legal_name": "Fynbos (Pty) Ltd", "country": "ZA"},
            "jurisdictions": {"markets": ["za"]},
            "agreements": [
                {
                    "id": "ops",
                    "our_role": "controller",
                    "counterparty_name": "Ops (Pty) Ltd",
                    "counterparty_country": "ZA",
                    "subprocessors": [{"name": "Cloud LLC", "country": "US", "dpa_in_place": "not_sure"}],
                }
            ],
        }
    )
    draft = draft_dpa(analyse(answers), comments=False)
    text = docx_text(draft.docx)
    condition = (
        "[Before signature: Cloud LLC is bound by a written agreement that gives that protection — "
        "the questionnaire answers not sure]"
    )
    assert condition in text
    assert any(c.text == condition and c.answer_path == "agreement.subprocessors" for c in draft.before_you_sign)
