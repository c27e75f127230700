"""The question files: complete, consistent with the answers model, and strict about mistakes."""

from __future__ import annotations

import typing
from collections import Counter
from pathlib import Path
from typing import Any, Literal

import pytest
from pydantic import BaseModel, ValidationError

from dpakit import conditions as cond
from dpakit.errors import ContentError
from dpakit.examples import EXAMPLES, load_example
from dpakit.explain import explain
from dpakit.facts import derived_keys, fact_specs
from dpakit.jurisdictions import countries, is_eea
from dpakit.models import NOT_SURE, SECTION_MODELS, Answers, field_annotation, field_paths
from dpakit.questionnaire import (
    QUESTIONS_DIR,
    Question,
    default_questionnaire,
    is_visible,
    load_questionnaire,
    load_section,
    progress,
    question_facts,
    why_visible,
)

QUESTIONNAIRE = default_questionnaire()
QUESTIONS = QUESTIONNAIRE.questions()
FIELDS = field_paths()
VENDOR_PREFILLED = {
    "crm.vendor_country",
    "crm.hosting_region",
    "crm.mfa_available",
    "crm.vendor_dpf_certified",
    "crm.vendor_dpa_url",
    "crm.subprocessor_list_url",
}


def literal_values(annotation: Any) -> set[Any]:
    """Every value a ``Literal`` inside ``annotation`` allows (through unions, lists and Annotated)."""
    origin = typing.get_origin(annotation)
    if origin is Literal:
        return set(typing.get_args(annotation))
    if origin is typing.Annotated:
        return literal_values(typing.get_args(annotation)[0])
    return set().union(*(literal_values(arg) for arg in typing.get_args(annotation)))


def table_row_model(annotation: Any) -> type[BaseModel]:
    for arg in typing.get_args(annotation):
        if isinstance(arg, type) and issubclass(arg, BaseModel):
            return arg
        found = table_row_model(arg)
        if found is not None:
            return found
    return None  # type: ignore[return-value]


def accepts(path: str, value: Any) -> bool:
    try:
        Answers().with_value(path, value)
    except ValidationError:
        return False
    return True


# --- one question per field, and the other way round ---------------------------------------------


def test_every_answer_field_has_exactly_one_question():
    counts = Counter(q.field for q in QUESTIONS)
    missing = [f for f in FIELDS if counts[f] == 0]
    repeated = [f for f, n in counts.items() if n > 1]
    assert missing == [], f"fields without a question: {missing}"
    assert repeated == [], f"fields with more than one question: {repeated}"


def test_every_question_fills_a_real_answer_field():
    assert [q.field for q in QUESTIONS if q.field not in FIELDS] == []


def test_questions_follow_the_model_field_order_within_each_section():
    for section in QUESTIONNAIRE.sections:
        model_order = [p for p in field_paths() if p.split(".")[0] == section.id]
        assert [q.field for q in section.questions] == model_order, section.id


def test_the_sections_are_the_nine_section_ids_in_model_order():
    assert [s.id for s in QUESTIONNAIRE.sections] == list(SECTION_MODELS)
    assert len(QUESTIONNAIRE.sections) == 9
    assert [s.order for s in QUESTIONNAIRE.sections] == list(range(1, 10))
    assert sorted(p.name for p in QUESTIONS_DIR.glob("*.toml"))[1:] == [
        "02-agreement.toml",
        "03-crm.toml",
        "04-data.toml",
        "05-purposes.toml",
        "06-jurisdictions.toml",
        "07-security.toml",
        "08-rights.toml",
        "09-accountability.toml",
    ]


def test_every_section_has_a_title_and_an_introduction():
    for section in QUESTIONNAIRE.sections:
        assert section.title.strip() and len(section.intro.strip()) > 40, section.id


# --- visibility refers to real fields ----------------------------------------------------------


def test_every_visible_if_names_real_fields_or_answer_stage_facts():
    known = set(FIELDS) | set(derived_keys("answers"))
    for q in QUESTIONS:
        if q.visible_if is not None:
            unknown = [f for f in cond.referenced_fields(q.visible_if) if f not in known]
            assert unknown == [], q.field


def test_question_conditions_use_derived_facts_somewhere():
    used = {f for q in QUESTIONS if q.visible_if for f in cond.referenced_fields(q.visible_if)}
    assert {"org.in_eea", "org.in_eea_or_uk"} <= used


def country_lists(condition: cond.Condition, at_least: int = 10) -> list[list[Any]]:
    """The value lists of a condition's leaves that hold ``at_least`` country codes."""
    codes = set(countries())
    found = []
    for leaf in cond.leaves(condition):
        values = list(getattr(leaf, "values", None) or [])
        if sum(1 for v in values if isinstance(v, str) and v.upper() in codes) >= at_least:
            found.append(values)
    return found


def test_no_question_condition_lists_ten_or_more_country_codes():
    # The EEA (and the UK) are named once, in data/countries.toml; conditions test org.in_eea and friends.
    offenders = {q.field: country_lists(q.visible_if) for q in QUESTIONS if q.visible_if is not None}
    assert {field: lists for field, lists in offenders.items() if lists} == {}


def test_the_country_list_check_finds_a_literal_eea_list():
    eea = sorted(c for c in countries() if is_eea(c))
    written = cond.parse_condition({"op": "not", "cond": {"op": "in", "field": "organisation.country", "values": eea}})
    assert country_lists(written) == [eea]
    assert (
        country_lists(cond.parse_condition({"op": "in", "field": "organisation.country", "values": ["DE", "FR"]})) == []
    )


def test_a_question_file_that_lists_the_eea_countries_is_rejected(tmp_path: Path):
    eea = ",".join(f'"{c}"' for c in sorted(countries()) if is_eea(c))
    source = (QUESTIONS_DIR / "01-organisation.toml").read_text()
    bad = source.replace(
        '{ op = "ne", field = "org.in_eea", value = true }',
        f'{{ op = "not", cond = {{ op = "in", field = "organisation.country", values = [{eea}] }} }}',
    )
    assert bad != source
    path = tmp_path / "01-organisation.toml"
    path.write_text(bad)
    with pytest.raises(ContentError, match="organisation.has_eu_representative.*lists 30 country codes; test a fact"):
        load_section(path)


def test_a_visible_if_may_not_test_a_fact_of_a_later_stage(tmp_path: Path):
    source = (QUESTIONS_DIR / "01-organisation.toml").read_text()
    bad = source.replace('field = "org.in_eea", value = true', 'field = "regimes", value = "eu_gdpr"')
    assert bad != source
    path = tmp_path / "01-organisation.toml"
    path.write_text(bad)
    with pytest.raises(ContentError, match="unknown field 'regimes'"):
        load_section(path)


OUTSIDE_EEA_AND_UK = ["jurisdictions.monitors_eu_uk_behaviour"]
EEA_OR_UK_OR_MARKET = [
    "jurisdictions.tia_done",
    "jurisdictions.scc_docking_clause",
    "jurisdictions.scc_clause9_option",
    "jurisdictions.scc_clause9_notice_days",
    "jurisdictions.scc_clause11_independent_body",
    "jurisdictions.scc_governing_law",
    "jurisdictions.scc_forum",
]


@pytest.mark.parametrize("code", [None, *sorted(countries())])
def test_visibility_by_home_country_is_what_the_eea_and_uk_lists_gave(code):
    # The conditions once listed the 30 EEA codes (with GB for the EU-or-UK questions); the facts that
    # replaced them must show and hide the same questions for every country.
    answers = Answers().with_value("organisation.country", code)
    eu_market = answers.with_value("jurisdictions.markets", ["eu"])
    in_eea = code is not None and is_eea(code)
    in_eea_or_uk = in_eea or code == "GB"
    assert is_visible(QUESTIONNAIRE.question("organisation.has_eu_representative"), eu_market) == (not in_eea)
    for field in OUTSIDE_EEA_AND_UK:
        assert is_visible(QUESTIONNAIRE.question(field), answers) == (not in_eea_or_uk), field
    for field in EEA_OR_UK_OR_MARKET:
        assert is_visible(QUESTIONNAIRE.question(field), answers) == in_eea_or_uk, field
        assert is_visible(QUESTIONNAIRE.question(field), eu_market), field


def test_visibility_is_the_same_from_the_answers_and_from_their_flat_mapping():
    for name in EXAMPLES:
        answers = load_example(name)
        assert [is_visible(q, answers) for q in QUESTIONS] == [is_visible(q, answers.flat()) for q in QUESTIONS]
        assert question_facts(answers) == question_facts(answers.flat())


def test_why_a_question_is_shown_reads_as_plain_words():
    answers = Answers().with_value("organisation.country", "DE")
    question = QUESTIONNAIRE.question("jurisdictions.tia_done")
    verdict = why_visible(question, answers)
    assert verdict.value
    assert [r.text for r in explain(verdict)] == ["The organisation is established in the EU/EEA or the UK — Yes"]
    hidden = why_visible(QUESTIONNAIRE.question("jurisdictions.monitors_eu_uk_behaviour"), answers)
    assert not hidden.value and [r.field for r in explain(hidden)] == ["org.in_eea_or_uk"]


def test_no_question_depends_on_its_own_answer():
    for q in QUESTIONS:
        if q.visible_if is not None:
            assert q.field not in cond.referenced_fields(q.visible_if), q.field


def test_values_tested_by_visible_if_are_values_the_field_can_take():
    for q in QUESTIONS:
        if q.visible_if is None:
            continue
        for leaf in cond.leaves(q.visible_if):
            expected = getattr(leaf, "values", None) or [getattr(leaf, "value", None)]
            if leaf.field in fact_specs():
                if fact_specs()[leaf.field].kind == "bool" and leaf.op != "answered":
                    assert all(isinstance(v, bool) for v in expected), (q.field, leaf)
                continue
            allowed = literal_values(field_annotation(leaf.field))
            if allowed:
                assert set(expected) <= allowed, (q.field, leaf)


# --- options match the vocabularies ----------------------------------------------------------------

CHOICE_QUESTIONS = [q for q in QUESTIONS if q.kind in ("choice", "multichoice")]


@pytest.mark.parametrize("question", CHOICE_QUESTIONS, ids=lambda q: q.field)
def test_choice_options_are_exactly_the_values_the_model_allows(question: Question):
    allowed = literal_values(field_annotation(question.field))
    offered = [o.value for o in question.options]
    assert len(offered) == len(set(offered)), "an option appears twice"
    assert set(offered) - allowed == set(), "options the model rejects"
    assert allowed - set(offered) == set(), "model values without an option"
    for value in offered:
        assert accepts(question.field, [value] if question.kind == "multichoice" else value)


def test_not_sure_is_offered_wherever_the_model_allows_it():
    for q in CHOICE_QUESTIONS:
        if NOT_SURE in literal_values(field_annotation(q.field)):
            assert NOT_SURE in [o.value for o in q.options], q.field


def test_every_option_has_a_plain_label_not_its_code():
    for q in CHOICE_QUESTIONS:
        for option in q.options:
            assert option.label != option.value and "_" not in option.label, (q.field, option.value)


# --- kinds fit the fields -----------------------------------------------------------------------------


@pytest.mark.parametrize("question", QUESTIONS, ids=lambda q: q.field)
def test_the_kind_of_each_question_fits_its_field(question: Question):
    path = question.field
    match question.kind:
        case "yesno":
            assert not question.options
            assert all(accepts(path, v) for v in ("yes", "no", "not_sure")) and not accepts(path, "maybe")
        case "number":
            assert accepts(path, 30)
            assert accepts(path, NOT_SURE) is question.allow_not_sure
        case "choice":
            assert not accepts(path, [question.options[0].value])
        case "multichoice":
            assert accepts(path, []) and not accepts(path, question.options[0].value)
        case "country":
            assert accepts(path, "ZA") and not accepts(path, ["ZA"])
        case "countries":
            assert accepts(path, ["ZA", "DE"]) and not accepts(path, "ZA")
        case "email":
            assert accepts(path, "privacy@example.com") and not accepts(path, "privacy")
        case "text" | "textarea":
            assert accepts(path, "Some text") and not accepts(path, 5)
        case "table":
            row = table_row_model(field_annotation(path))
            assert [c.name for c in question.columns] == list(row.model_fields)
            required = {n for n, f in row.model_fields.items() if f.is_required()}
            assert {c.name for c in question.columns if c.required} == required
        case _:  # pragma: no cover
            pytest.fail(f"unexpected kind {question.kind}")
    if question.kind != "number":
        assert not question.allow_not_sure


def test_yes_no_fields_are_asked_as_yes_no_questions():
    for q in QUESTIONS:
        if literal_values(field_annotation(q.field)) == {"yes", "no", "not_sure"}:
            assert q.kind == "yesno", q.field


def test_table_columns_have_the_expected_kinds():
    processors = QUESTIONNAIRE.question("crm.processors")
    assert {c.name: c.kind for c in processors.columns} == {
        "name": "text",
        "service": "text",
        "country": "country",
        "address": "text",
        "dpf_certified": "yesno",
        "dpa_in_place": "yesno",
    }
    rules = QUESTIONNAIRE.question("rights.retention_rules")
    assert [(c.name, c.kind) for c in rules.columns] == [("category", "text"), ("period", "text")]


def test_vendor_profile_answers_say_they_may_be_prefilled_and_no_others_do():
    assert {q.field for q in QUESTIONS if q.prefilled_by} == VENDOR_PREFILLED
    assert {q.prefilled_by for q in QUESTIONS if q.prefilled_by} == {"CRM vendor profile"}


# --- wording -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("question", QUESTIONS, ids=lambda q: q.field)
def test_every_question_is_a_plain_question_with_help_and_an_example(question: Question):
    assert question.label.rstrip().endswith("?"), "label should be a question"
    assert "_" not in question.label, "label shows a code"
    help_text = question.help.lower()
    assert len(help_text) >= 60
    assert "for example" in help_text or "e.g." in help_text or "*" in question.help


# --- visibility in practice ---------------------------------------------------------------------------


def visible_fields(answers: Answers) -> set[str]:
    facts = answers.flat()
    return {q.field for q in QUESTIONS if is_visible(q, facts)}


@pytest.mark.parametrize(
    ("field", "shown_by", "hidden_by"),
    [
        ("crm.vendor_other_name", {"crm.vendor": "other"}, {"crm.vendor": "hubspot"}),
        (
            "data.special_categories",
            {"data.data_categories": ["contact", "special_categories"]},
            {"data.data_categories": ["contact"]},
        ),
        ("data.special_category_safeguards", {"data.data_categories": ["special_categories"]}, {}),
        ("purposes.marketing_basis", {"purposes.purposes": ["sms_marketing"]}, {"purposes.purposes": ["sales"]}),
        ("purposes.consent_records", {"purposes.purposes": ["email_marketing"]}, {}),
        ("purposes.opt_out_in_every_message", {"purposes.purposes": ["phone_marketing"]}, {}),
        ("purposes.sells_or_shares_data", {"jurisdictions.markets": ["us_ca"]}, {"jurisdictions.markets": ["eu"]}),
        (
            "purposes.do_not_sell_link",
            {"jurisdictions.markets": ["us_ca"]},
            {"jurisdictions.markets": ["us_ca"], "purposes.sells_or_shares_data": "no"},
        ),
        ("purposes.honours_opt_out_signals", {"jurisdictions.markets": ["us_ca", "eu"]}, {}),
        (
            "jurisdictions.california_consumers",
            {"jurisdictions.markets": ["us_ca"]},
            {"jurisdictions.markets": ["us_other"]},
        ),
        (
            "agreement.subprocessor_notice_days",
            {"agreement.subprocessor_authorisation": "general"},
            {"agreement.subprocessor_authorisation": "specific"},
        ),
        (
            "agreement.counterparty_dpf_certified",
            {"agreement.counterparty_country": "US"},
            {"agreement.counterparty_country": "DE"},
        ),
        ("accountability.dpia_done", {"purposes.purposes": ["profiling"]}, {"purposes.purposes": ["sales"]}),
        ("accountability.dpia_done", {"purposes.purposes": ["automated_decisions"]}, {}),
        ("rights.retention_rules", {"rights.retention_defined": "yes"}, {"rights.retention_defined": "not_sure"}),
        ("jurisdictions.scc_docking_clause", {"jurisdictions.markets": ["uk"]}, {"jurisdictions.markets": ["za"]}),
        ("jurisdictions.scc_governing_law", {"organisation.country": "DE"}, {"organisation.country": "ZA"}),
    ],
)
def test_conditional_questions_appear_only_when_relevant(field, shown_by, hidden_by):
    def answers_with(values: dict[str, Any]) -> Answers:
        answers = Answers()
        for path, value in values.items():
            answers = answers.with_value(path, value)
        return answers

    assert field in visible_fields(answers_with(shown_by))
    assert field not in visible_fields(answers_with(hidden_by))


def test_scc_overrides_are_labelled_optional_and_explain_the_default():
    scc = [q for q in QUESTIONS if q.field.startswith("jurisdictions.scc_")]
    assert len(scc) == 6
    for q in scc:
        assert q.label.startswith("Optional, advanced"), q.field
        assert "recommended default" in q.help, q.field
        assert q.visible_if is not None
        assert not is_visible(q, Answers().flat()), q.field


# --- broken question files ----------------------------------------------------------------------------

SECTION_HEADER = """
[section]
id = "crm"
title = "Your CRM"
order = 3
intro = "About your CRM."
"""

BROKEN = {
    "unknown-field": (
        "crm.no_such_field",
        """
[[question]]
field = "crm.no_such_field"
label = "Which CRM?"
help = "For example *HubSpot*."
kind = "text"
""",
    ),
    "bad-kind": (
        "crm.vendor_other_name",
        """
[[question]]
field = "crm.vendor_other_name"
label = "Which CRM?"
help = "For example *HubSpot*."
kind = "slider"
""",
    ),
    "visible-if-unknown-field": (
        "crm.vendor_other_name",
        """
[[question]]
field = "crm.vendor_other_name"
label = "Which CRM?"
help = "For example *HubSpot*."
kind = "text"
visible_if = { op = "eq", field = "crm.brand", value = "other" }
""",
    ),
    "visible-if-bad-operator": (
        "crm.vendor_other_name",
        """
[[question]]
field = "crm.vendor_other_name"
label = "Which CRM?"
help = "For example *HubSpot*."
kind = "text"
visible_if = { op = "like", field = "crm.vendor", value = "other" }
""",
    ),
    "invalid-option": (
        "crm.vendor",
        """
[[question]]
field = "crm.vendor"
label = "Which CRM?"
help = "For example *HubSpot*."
kind = "choice"
options = [ { value = "hubspot", label = "HubSpot" }, { value = "sugarcrm", label = "SugarCRM" } ]
""",
    ),
    "choice-without-options": (
        "crm.vendor",
        """
[[question]]
field = "crm.vendor"
label = "Which CRM?"
help = "For example *HubSpot*."
kind = "choice"
""",
    ),
    "other-section": (
        "security.sso",
        """
[[question]]
field = "security.sso"
label = "Single sign-on?"
help = "For example *Microsoft 365*."
kind = "yesno"
""",
    ),
    "invalid-toml": (
        None,
        """
[[question]]
field = "crm.vendor
""",
    ),
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_a_broken_question_file_names_the_file_and_the_question(tmp_path: Path, case: str):
    item, body = BROKEN[case]
    path = tmp_path / "03-broken.toml"
    path.write_text(SECTION_HEADER + body, encoding="utf-8")
    with pytest.raises(ContentError) as err:
        load_section(path)
    message = str(err.value)
    assert "03-broken.toml" in message
    if item is not None:
        assert item in message
        assert err.value.item == item


def test_the_same_field_asked_twice_is_refused(tmp_path: Path):
    question = '\n[[question]]\nfield = "crm.vendor_other_name"\nlabel = "Which CRM?"\nhelp = "For example *X*."\nkind = "text"\n'
    (tmp_path / "03-crm.toml").write_text(SECTION_HEADER + question + question, encoding="utf-8")
    with pytest.raises(ContentError) as err:
        load_questionnaire(tmp_path)
    assert "crm.vendor_other_name" in str(err.value)


def test_the_real_question_files_load_in_a_copy_of_the_folder(tmp_path: Path):
    for path in QUESTIONS_DIR.glob("*.toml"):
        (tmp_path / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    assert [s.id for s in load_questionnaire(tmp_path).sections] == list(SECTION_MODELS)


# --- progress -------------------------------------------------------------------------------------------


def test_progress_counts_only_visible_questions():
    empty = progress(Answers())
    assert empty.answered == 0
    assert empty.visible == sum(1 for q in QUESTIONS if is_visible(q, Answers().flat()) and not q.optional)
    with_dpo = progress(Answers().with_value("organisation.has_dpo", "yes"))
    assert with_dpo.visible == empty.visible + 2
    assert with_dpo.answered == 1
    organisation = with_dpo.sections[0]
    assert "organisation.dpo_name" in organisation.unanswered
    assert progress(Answers().with_value("organisation.has_dpo", "no")).visible == empty.visible


def test_an_answer_to_a_hidden_question_is_not_counted():
    answers = (
        Answers()
        .with_value("agreement.counterparty_country", "DE")
        .with_value("agreement.counterparty_dpf_certified", "not_sure")
    )
    done = progress(answers)
    assert done.answered == 1
    assert "agreement.counterparty_dpf_certified" not in done.not_sure
    assert done.visible == progress(Answers()).visible


def test_progress_lists_not_sure_answers_and_counts_them_as_answered():
    answers = Answers()
    for path, value in {
        "organisation.staff_count": "not_sure",
        "organisation.is_public_authority": "not_sure",
        "organisation.has_dpo": "no",
        "jurisdictions.transfer_mechanisms": ["scc", "not_sure"],
        "security.mfa_enforced": "yes",
        "data.record_volume": "not_sure",
    }.items():
        answers = answers.with_value(path, value)
    done = progress(answers)
    assert done.answered == 6
    assert done.not_sure == [
        "organisation.staff_count",
        "organisation.is_public_authority",
        "data.record_volume",
        "jurisdictions.transfer_mechanisms",
    ]


def test_a_section_is_complete_when_every_visible_question_is_answered():
    answers = Answers()
    for q in QUESTIONNAIRE.section("accountability").questions:
        answers = answers.with_value(q.field, "no")
    section = next(s for s in progress(answers).sections if s.section == "accountability")
    assert section.visible == 3  # the DPIA question is hidden without profiling
    assert section.complete and section.ratio == 1.0
    assert section.unanswered == ()


def test_progress_ratio_of_empty_answers_is_zero():
    assert progress(Answers()).ratio == 0.0


# --- walking the wizard with every example ------------------------------------------------------------


def check_widget_value(question: Question, value: Any) -> None:
    """The saved value is one the question's widget can show."""
    options = [o.value for o in question.options]
    match question.kind:
        case "yesno":
            assert value in ("yes", "no", "not_sure")
        case "choice":
            assert value in options
        case "multichoice":
            assert isinstance(value, list) and set(value) <= set(options)
        case "number":
            assert isinstance(value, int) or (question.allow_not_sure and value == NOT_SURE)
        case "country":
            assert isinstance(value, str) and len(value) == 2
        case "countries":
            assert isinstance(value, list) and all(isinstance(c, str) and len(c) == 2 for c in value)
        case "table":
            names = {c.name for c in question.columns}
            assert all(set(row) <= names for row in value)
        case _:
            assert isinstance(value, str) and value


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_walking_the_wizard_with_each_example_shows_and_fills_every_answer(name: str):
    """Fill each visible question of each section in turn, as a person would, until nothing changes.

    The result must be the example itself: every answer it holds is reachable through visible questions,
    and every visible question's saved value suits its widget.
    """
    example = load_example(name)
    target = example.flat()
    walked = Answers.model_validate({"agreements": [{"id": example.agreement.id}]})  # ids are not asked
    for _ in range(3):
        before = walked
        for section in QUESTIONNAIRE.sections:
            for question in section.visible(walked):
                value = target[question.field]
                if value is not None:
                    check_widget_value(question, value)
                    walked = walked.with_value(question.field, value)
        if walked == before:
            break
    assert walked == example


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_no_example_answers_a_question_it_cannot_see(name: str):
    facts = load_example(name).flat()
    hidden_but_answered = [q.field for q in QUESTIONS if not is_visible(q, facts) and facts[q.field] is not None]
    assert hidden_but_answered == []


def test_optional_questions_never_count_as_missing_but_count_when_answered():
    from dpakit.models import Answers
    from dpakit.questionnaire import default_questionnaire, progress

    questionnaire = default_questionnaire()
    optional = [q for q in questionnaire.questions() if q.optional]
    assert {q.field for q in optional} >= {"jurisdictions.scc_governing_law", "jurisdictions.scc_forum"}
    base = Answers().with_value("organisation.country", "DE").with_value("jurisdictions.markets", ["eu"])
    section = next(s for s in progress(base, questionnaire).sections if s.section == "jurisdictions")
    assert "jurisdictions.scc_forum" not in section.unanswered
    answered = base.with_value("jurisdictions.scc_forum", "IE")
    after = next(s for s in progress(answered, questionnaire).sections if s.section == "jurisdictions")
    assert after.answered == section.answered + 1
    assert after.visible == section.visible + 1
