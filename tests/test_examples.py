"""The example organisations: valid, complete, and faithful to the shared description of each."""

from __future__ import annotations

import json

import pytest

from dpakit.answers_file import parse_answers
from dpakit.errors import InputError
from dpakit.examples import EXAMPLES, EXAMPLES_DIR, example_json, list_examples, load_example
from dpakit.models import Answers
from dpakit.questionnaire import progress

# The organisation names exactly as in /work/shared/example-organisations.md.
NAMES = {
    "fynbos": "Fynbos Coffee Roasters (Pty) Ltd",
    "nordlicht": "Nordlicht Software GmbH",
    "golden_state": "Golden State Outfitters Inc.",
    "brightwave": "Brightwave Digital Ltd",
}


def test_there_are_the_four_examples_each_with_a_file_and_nothing_else():
    assert list(EXAMPLES) == list(NAMES)
    assert sorted(p.stem for p in EXAMPLES_DIR.glob("*.json")) == sorted(NAMES)
    assert sorted(p.name for p in EXAMPLES_DIR.iterdir()) == sorted(f"{n}.json" for n in NAMES)


@pytest.mark.parametrize("name", list(NAMES))
def test_each_example_loads_and_validates(name: str):
    answers = load_example(name)
    assert isinstance(answers, Answers)
    assert Answers.model_validate(answers.model_dump(mode="json")) == answers
    raw = json.loads((EXAMPLES_DIR / f"{name}.json").read_text(encoding="utf-8"))
    assert raw["schema_version"] == 2


@pytest.mark.parametrize("name", list(NAMES))
def test_each_example_is_a_valid_answers_file_for_import(name: str):
    data = (EXAMPLES_DIR / f"{name}.json").read_bytes()
    assert parse_answers(data, name=f"{name}.json") == load_example(name)


@pytest.mark.parametrize("name", list(NAMES))
def test_each_example_organisation_name_matches_the_shared_description(name: str):
    assert load_example(name).organisation.legal_name == NAMES[name]
    assert EXAMPLES[name][0] == NAMES[name]
    assert EXAMPLES[name][1].strip()


@pytest.mark.parametrize("name", list(NAMES))
def test_each_example_answers_at_least_ninety_percent_of_its_visible_questions(name: str):
    done = progress(load_example(name))
    assert done.visible > 60
    assert done.ratio >= 0.9, [f for s in done.sections for f in s.unanswered]


@pytest.mark.parametrize("name", list(NAMES))
def test_each_example_has_some_not_sure_or_no_answers_so_that_findings_appear(name: str):
    flat = load_example(name).flat()
    weak = [
        p
        for p, v in flat.items()
        if p.startswith(("security.", "rights.", "accountability.")) and v in ("no", "not_sure")
    ]
    assert len(weak) >= 3, name


@pytest.mark.parametrize("name", list(NAMES))
def test_example_json_is_the_stored_file_pretty_and_ending_in_a_newline(name: str):
    text = example_json(name)
    assert text == (EXAMPLES_DIR / f"{name}.json").read_text(encoding="utf-8")
    assert text.endswith("}\n") and '\n  "organisation": {' in text
    assert list(json.loads(text)) == list(Answers.model_fields)
    assert example_json(name) == text


def test_an_unknown_example_is_refused_with_the_valid_names():
    with pytest.raises(InputError) as err:
        load_example("acme")
    message = str(err.value)
    assert "acme" in message
    assert all(name in message for name in NAMES)
    with pytest.raises(InputError):
        example_json("../fynbos")


def test_list_examples_gives_id_name_and_description_in_display_order():
    assert list_examples() == [(k, n, d) for k, (n, d) in EXAMPLES.items()]


# --- each example carries the facts its description promises --------------------------------------


def test_fynbos_is_a_south_african_controller_on_us_hosted_hubspot_with_an_agency():
    a = load_example("fynbos")
    assert a.organisation.country == "ZA"
    assert a.jurisdictions.markets == ["za"]
    assert (a.crm.vendor, a.crm.hosting_region, a.crm.mfa_available) == ("hubspot", "US", "yes")
    assert a.security.mfa_enforced == "no"
    assert a.rights.retention_defined == "no" and a.rights.retention_rules is None
    assert a.rights.requests_tracked == "no"
    assert "email_marketing" in a.purposes.purposes and "customers" in a.data.subject_categories
    assert a.agreement.our_role == "controller" and a.agreement.counterparty_country == "ZA"
    assert a.agreement.counterparty_name == a.crm.processors[0].name
    assert a.data.record_volume == "1k_10k" and a.organisation.staff_count == 18


def test_nordlicht_is_a_german_controller_with_an_uncertified_us_contractor_and_lead_scoring():
    a = load_example("nordlicht")
    assert a.organisation.country == "DE"
    assert set(a.jurisdictions.markets) == {"eu", "uk"}
    assert (a.crm.vendor, a.crm.hosting_region) == ("salesforce", "EU")
    assert a.agreement.our_role == "controller"
    assert a.agreement.counterparty_country == "US"
    assert a.agreement.counterparty_dpf_certified == "no"
    assert "profiling" in a.purposes.purposes
    assert a.organisation.staff_count == 120


def test_golden_state_is_a_californian_business_that_shares_data_with_an_ad_network():
    a = load_example("golden_state")
    assert a.organisation.country == "US"
    assert a.organisation.annual_revenue_usd == 60_000_000
    assert "us_ca" in a.jurisdictions.markets
    assert a.jurisdictions.california_consumers == "over_100k"
    assert (a.crm.vendor, a.crm.hosting_region) == ("zoho", "US")
    assert a.purposes.sells_or_shares_data == "yes"
    assert a.agreement.counterparty_country == "US"
    assert not {"eu", "uk", "za"} & set(a.jurisdictions.markets)


def test_brightwave_is_a_uk_processor_with_irish_and_us_sub_processors():
    a = load_example("brightwave")
    assert a.organisation.country == "GB"
    assert a.agreement.our_role == "processor"
    assert a.agreement.counterparty_country == "GB"
    assert (a.crm.vendor, a.crm.hosting_region) == ("hubspot", "EU")
    assert set(a.jurisdictions.markets) == {"uk", "eu"}
    assert a.agreement.subprocessor_authorisation == "general"
    assert a.agreement.subprocessor_notice_days == 30
    countries = {p.country: p for p in a.crm.processors}
    assert set(countries) == {"IE", "US"}
    assert countries["US"].dpf_certified == "no"
