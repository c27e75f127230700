"""The answers model: cleaning, limits, "not sure", strictness, paths and JSON round trips."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from dpakit.models import (
    LONG_TEXT_MAX,
    SECTION_MODELS,
    SHORT_TEXT_MAX,
    Agreement,
    Answers,
    Organisation,
    Processor,
    RetentionRule,
    field_annotation,
    field_paths,
    split_path,
)

KEPT_AS_IS = [
    "شركة فنبوس للقهوة",  # Arabic, right to left
    "חברת קפה",  # Hebrew
    "Café ☕ Roasters 🇿🇦",
    "{{ 7*7 }}",
    "{% if x %}y{% endif %}",
    "<w:p><w:r><w:t>x</w:t></w:r></w:p>",
    "Smith & Sons <b>",
    'O\'Brien "quoted"',
]


# --- cleaning -------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", KEPT_AS_IS)
def test_cleaning_keeps_rtl_text_emoji_template_syntax_markup_and_ampersands(text):
    org = Organisation(legal_name=text, address=text)
    assert org.legal_name == text
    assert org.address == text


def test_cleaning_removes_control_characters_from_one_line_text():
    org = Organisation(legal_name="  Fyn\x00bos\x07 Coffee\x1b\x7f\x85\nRoasters\r\t ")
    assert org.legal_name == "Fynbos CoffeeRoasters"


def test_cleaning_keeps_newlines_and_tabs_in_long_text_but_removes_other_controls():
    org = Organisation(address="14 Bree Street\r\nCape Town\x0b\x00\rZA\twest\x1f")
    assert org.address == "14 Bree Street\nCape Town\nZA\twest"


def test_cleaning_normalises_to_nfc():
    decomposed = "Cafe\u0301"
    assert Organisation(legal_name=decomposed).legal_name == "Caf\u00e9"


def test_cleaning_applies_inside_table_rows():
    proc = Processor(name="Mail\x00 Co\n", service="sends\x07 e-mail")
    assert proc.name == "Mail Co"
    assert proc.service == "sends e-mail"


def test_cleaning_applies_when_a_value_is_assigned_later():
    org = Organisation()
    org.legal_name = "A\x00B"
    assert org.legal_name == "AB"


# --- limits ---------------------------------------------------------------------------------------


def test_over_long_short_text_is_rejected_with_a_message():
    Organisation(legal_name="x" * SHORT_TEXT_MAX)
    with pytest.raises(ValidationError) as err:
        Organisation(legal_name="x" * (SHORT_TEXT_MAX + 1))
    assert f"at most {SHORT_TEXT_MAX}" in str(err.value)
    assert err.value.errors()[0]["loc"] == ("legal_name",)
    assert err.value.errors()[0]["type"] == "too_long"


def test_over_long_long_text_is_rejected_with_a_message():
    Organisation(address="x" * LONG_TEXT_MAX)
    with pytest.raises(ValidationError) as err:
        Organisation(address="x" * (LONG_TEXT_MAX + 1))
    assert f"at most {LONG_TEXT_MAX}" in str(err.value)
    assert err.value.errors()[0]["type"] == "too_long"


def test_length_is_counted_after_control_characters_are_removed():
    assert Organisation(legal_name="x" * SHORT_TEXT_MAX + "\x00" * 10).legal_name == "x" * SHORT_TEXT_MAX


@pytest.mark.parametrize("blank", ["", "   ", "\x00", "\n\t"])
def test_a_processor_and_a_retention_rule_need_text_that_is_not_blank_after_cleaning(blank):
    with pytest.raises(ValidationError):
        Processor(name=blank)
    with pytest.raises(ValidationError):
        RetentionRule(category=blank, period="2 years")
    with pytest.raises(ValidationError):
        RetentionRule(category="Leads", period=blank)


# --- "not sure" and numbers -----------------------------------------------------------------------


def test_not_sure_is_accepted_for_numbers_and_kept_as_such():
    answers = Answers().with_value("organisation.staff_count", "not_sure")
    assert answers.organisation.staff_count == "not_sure"
    assert answers.with_value("organisation.staff_count", 18).organisation.staff_count == 18


@pytest.mark.parametrize("value", ["maybe", -1, 10**13 + 1, "eighteen", 1.5])
def test_other_values_are_rejected_for_numbers(value):
    with pytest.raises(ValidationError):
        Answers().with_value("organisation.staff_count", value)


def test_not_sure_is_not_accepted_for_plain_counts():
    with pytest.raises(ValidationError):
        Answers().with_value("agreement.breach_notice_hours", "not_sure")
    with pytest.raises(ValidationError):
        Answers().with_value("agreement.breach_notice_hours", 0)
    assert Answers().with_value("agreement.breach_notice_hours", 72).agreement.breach_notice_hours == 72


def test_yes_no_fields_accept_yes_no_and_not_sure_only():
    for value in ("yes", "no", "not_sure"):
        assert Answers().with_value("security.mfa_enforced", value).security.mfa_enforced == value
    for value in ("Yes", "maybe", True, 1, ""):
        with pytest.raises(ValidationError):
            Answers().with_value("security.mfa_enforced", value)


def test_country_codes_are_upper_cased_and_must_have_two_letters():
    assert Answers().with_value("organisation.country", "za").organisation.country == "ZA"
    for value in ("ZAF", "Z", "South Africa", "1A"):
        with pytest.raises(ValidationError):
            Answers().with_value("organisation.country", value)


def test_email_addresses_need_an_at_sign_and_a_dotted_domain():
    ok = Answers().with_value("organisation.privacy_contact_email", " privacy@fynbos.example ")
    assert ok.organisation.privacy_contact_email == "privacy@fynbos.example"
    for value in ("privacy", "privacy@localhost", "a b@c.de", "@c.de"):
        with pytest.raises(ValidationError):
            Answers().with_value("organisation.privacy_contact_email", value)


# --- strictness ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        {"surprise": 1},
        {"organisation": {"legal_name": "X", "nickname": "Y"}},
        {"crm": {"processors": [{"name": "Mail Co", "rating": 5}]}},
        {"rights": {"retention_rules": [{"category": "leads", "period": "2y", "why": "-"}]}},
    ],
)
def test_extra_keys_are_rejected_at_every_level(data):
    with pytest.raises(ValidationError) as err:
        Answers.model_validate(data)
    assert "Extra inputs are not permitted" in str(err.value)


def test_an_unknown_schema_version_is_rejected():
    with pytest.raises(ValidationError):
        Answers.model_validate({"schema_version": 3})
    with pytest.raises(ValidationError):
        Answers.model_validate({"schema_version": 0})


def test_values_outside_a_vocabulary_are_rejected():
    with pytest.raises(ValidationError):
        Answers().with_value("purposes.purposes", ["sales", "spamming"])
    with pytest.raises(ValidationError):
        Answers().with_value("crm.vendor", "Salesforce")


# --- with_value, get, paths ---------------------------------------------------------------------------


def test_with_value_returns_a_validated_copy_and_leaves_the_original_alone():
    original = Answers()
    changed = original.with_value("security.mfa_enforced", "yes")
    assert changed.get("security.mfa_enforced") == "yes"
    assert original.get("security.mfa_enforced") is None
    with pytest.raises(ValidationError):
        original.with_value("security.mfa_enforced", "sometimes")


def test_with_value_cleans_text_like_every_other_way_in():
    assert Answers().with_value("organisation.legal_name", "A\x00B").get("organisation.legal_name") == "AB"


def test_with_value_and_get_refuse_unknown_paths():
    for path in ("security.nope", "nope.mfa_enforced", "security", "", "schema_version.x"):
        with pytest.raises(KeyError):
            Answers().with_value(path, "yes")
        with pytest.raises(KeyError):
            Answers().get(path)
        with pytest.raises(KeyError):
            split_path(path)


def test_assignment_to_a_section_is_validated():
    answers = Answers()
    with pytest.raises(ValidationError):
        answers.security.mfa_enforced = "sometimes"


def test_flat_paths_equal_field_paths_in_model_order():
    assert list(Answers().flat()) == field_paths()
    assert len(field_paths()) == len(set(field_paths()))
    assert {p.split(".")[0] for p in field_paths()} == set(SECTION_MODELS)


def test_flat_values_are_json_values():
    answers = Answers().with_value("crm.processors", [{"name": "Mail Co", "country": "ie"}])
    assert answers.flat()["crm.processors"] == [
        {
            "name": "Mail Co",
            "service": "",
            "country": "IE",
            "address": "",
            "dpf_certified": "not_sure",
            "dpa_in_place": "not_sure",
        }
    ]


def test_every_field_path_has_an_annotation():
    for path in field_paths():
        assert field_annotation(path) is not None


# --- JSON round trip ----------------------------------------------------------------------------------


def _full_answers() -> Answers:
    answers = Answers()
    for path, value in {
        "organisation.legal_name": "شركة & Sons {{ 7*7 }} <w:p> ☕",
        "organisation.address": "Line 1\nLine 2\twith tab",
        "organisation.country": "ZA",
        "organisation.other_establishments": ["DE", "GB"],
        "organisation.staff_count": "not_sure",
        "organisation.annual_revenue_usd": 60_000_000,
        "organisation.privacy_contact_email": "privacy@fynbos.example",
        "agreement.subprocessor_notice_days": 30,
        "crm.processors": [{"name": "Mail Co", "country": "IE", "dpf_certified": "no"}],
        "purposes.purposes": ["sales", "profiling"],
        "jurisdictions.transfer_mechanisms": ["scc", "not_sure"],
        "rights.retention_rules": [{"category": "Leads", "period": "2 years"}],
    }.items():
        answers = answers.with_value(path, value)
    return answers


def test_json_round_trip_is_identical():
    answers = _full_answers()
    text = answers.model_dump_json()
    again = Answers.model_validate_json(text)
    assert again == answers
    assert again.model_dump_json() == text
    assert Answers.model_validate(answers.model_dump(mode="json")) == answers


def test_json_round_trip_of_empty_answers_is_identical():
    empty = Answers()
    assert Answers.model_validate_json(empty.model_dump_json()) == empty
    assert empty.model_dump(mode="json")["schema_version"] == 2


# --- agreements (schema version 2) ------------------------------------------------------------------

V1 = {
    "schema_version": 1,
    "organisation": {"legal_name": "Acme Ltd", "country": "GB"},
    "agreement": {"our_role": "controller", "counterparty_name": "Mail Co", "breach_notice_hours": 24},
    "purposes": {"purposes": ["sales", "email_marketing"]},
    "data": {"data_categories": ["identity", "contact"], "subject_categories": ["customers"]},
}


def test_a_version_1_dict_becomes_one_agreement_with_every_answer_kept():
    answers = Answers.model_validate(V1)
    assert answers.schema_version == 2
    assert answers.agreement_ids == ["main"]
    agreement = answers.agreement
    assert (agreement.counterparty_name, agreement.breach_notice_hours) == ("Mail Co", 24)
    # The scope is the whole organisation's, flagged as not yet narrowed to this counterparty.
    assert agreement.scope_purposes == ["sales", "email_marketing"]
    assert agreement.scope_data_categories == ["identity", "contact"]
    assert agreement.scope_subject_categories == ["customers"]
    assert agreement.scope_confirmed == "no"
    assert answers.organisation.legal_name == "Acme Ltd"
    assert answers.purposes.purposes == ["sales", "email_marketing"]


def test_a_version_1_processor_keeps_its_suppliers_as_the_agreement_s_sub_processors():
    data = {**V1, "agreement": {"our_role": "processor"}, "crm": {"processors": [{"name": "Sender Co"}]}}
    assert [p.name for p in Answers.model_validate(data).agreement.subprocessors or []] == ["Sender Co"]


def test_a_version_less_dict_with_one_agreement_is_read_as_version_1():
    data = {key: value for key, value in V1.items() if key != "schema_version"}
    assert Answers.model_validate(data) == Answers.model_validate(V1)


def test_agreement_paths_address_one_agreement_and_agreement_means_the_one_in_focus():
    answers = Answers.model_validate(V1).with_agreement(Agreement(id="bookkeeper", counterparty_name="Books Ltd"))
    assert answers.focus == "bookkeeper"
    assert answers.get("agreement.counterparty_name") == "Books Ltd"
    assert answers.get("agreements.main.counterparty_name") == "Mail Co"
    main = answers.focused("main")
    assert main.get("agreement.counterparty_name") == "Mail Co"
    assert main == answers  # the focus is a view, not an answer
    changed = answers.with_value("agreements.main.breach_notice_hours", 48)
    assert changed.focus == "bookkeeper"
    assert changed.agreement_by_id("main").breach_notice_hours == 48
    assert changed.agreement_by_id("bookkeeper").breach_notice_hours is None
    assert answers.flat()["agreement.counterparty_name"] == "Books Ltd"
    assert answers.flat_all()["agreements.main.counterparty_name"] == "Mail Co"
    assert answers.flat_all()["agreements.bookkeeper.counterparty_name"] == "Books Ltd"
    assert "agreement.counterparty_name" not in answers.flat_all()
    for path in ("agreements.nope.counterparty_name", "agreements.main.nope", "agreements.main.id", "agreement.id"):
        with pytest.raises(KeyError):
            answers.with_value(path, "x")


def test_agreement_ids_are_unique_slugs_and_the_last_agreement_stays():
    answers = Answers()
    assert answers.new_agreement_id("Call-Centre (Pty) Ltd") == "call-centre-pty-ltd"
    assert answers.new_agreement_id("") == "agreement"
    assert answers.new_agreement_id("Main") == "main-2"
    assert answers.new_agreement_id("Ω" * 500) == "agreement"
    data = answers.model_dump(mode="json")
    data["agreements"].append(dict(data["agreements"][0]))
    with pytest.raises(ValidationError, match="used twice"):
        Answers.model_validate(data)
    with pytest.raises(ValidationError):
        Agreement(id="Not A Slug")
    with pytest.raises(ValueError, match="at least one"):
        answers.without_agreement("main")
    two = answers.with_agreement(Agreement(id="b"))
    assert two.without_agreement("main").agreement_ids == ["b"]


# --- names and titles (organisation names, assessment titles) --------------------------------------


@pytest.mark.parametrize("text", KEPT_AS_IS)
def test_a_name_keeps_scripts_emoji_and_markup_characters(text):
    from dpakit.models import clean_name

    assert clean_name(text) == text


def test_a_name_loses_control_characters_and_invisible_formatting_and_keeps_its_words_apart():
    from dpakit.models import clean_name

    assert clean_name("  Acme\x00\x07\tLtd\n\x1b[1m \u202eevil\u202c\u200b\ufeff\x9b ") == "Acme Ltd [1m evil"
    assert clean_name("Family\u200d👩\u200d👧 Ltd") == "Family\u200d👩\u200d👧 Ltd"  # joiners stay
    assert clean_name("\x00\x01 \u2066") == ""


def test_organisation_names_and_titles_in_records_are_cleaned_and_bounded():
    from pydantic import TypeAdapter

    from dpakit.models import AssessmentTitle, OrganisationName

    names, titles = TypeAdapter(OrganisationName), TypeAdapter(AssessmentTitle)
    assert names.validate_python("Acme\x00 Ltd\x7f") == "Acme Ltd"
    assert len(names.validate_python("N" * 300)) == 300
    for bad in ("N" * 301, "\x00\x07", "   "):
        with pytest.raises(ValidationError):
            names.validate_python(bad)
    with pytest.raises(ValidationError):
        titles.validate_python("T" * 201)
