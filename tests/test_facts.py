"""Derived facts: documented both ways, computed from plain answers, None when not known."""

from __future__ import annotations

from typing import Any

import pytest

from dpakit import conditions as cond
from dpakit.analysis import Analysis, analyse, build_facts
from dpakit.errors import ContentError
from dpakit.facts import answer_facts, derived_keys, fact_keys, fact_label, fact_specs, load_fact_specs
from dpakit.models import Answers, field_paths
from dpakit.regimes import determine_regimes, regime_facts
from dpakit.transfers import analyse_transfers, transfer_facts

REQUIRED = {
    "regimes",
    "regimes_possible",
    "org.in_eea",
    "org.in_eu",
    "org.in_uk",
    "org.in_za",
    "role.controller",
    "role.processor",
    "transfer.any",
    "transfer.eu_scc",
    "transfer.uk_addendum",
    "transfer.uk_idta",
    "transfer.dpf",
    "transfer.popia_72",
    "transfer.tia_required",
    "transfer.scc_modules",
    "data.special",
    "data.children",
    "volume.large",
    "ccpa.business",
}


def answers(**sections: dict[str, Any]) -> Answers:
    return Answers.model_validate(sections)


def facts_for(**sections: dict[str, Any]) -> dict[str, Any]:
    return dict(analyse(answers(**sections)).facts)


def test_every_fact_we_compute_is_documented_and_every_documented_fact_is_computed():
    computed = set(build_facts(Answers(), [], analyse_transfers(Answers(), []))) - set(field_paths())
    assert computed == set(derived_keys())


def test_each_stage_produces_exactly_the_keys_documented_for_it():
    a = Answers()
    regimes = determine_regimes(a)
    assert set(answer_facts(a)) - set(field_paths()) == set(derived_keys("answers"))
    assert set(regime_facts(regimes)) == set(derived_keys("regimes"))
    assert set(transfer_facts(analyse_transfers(a, regimes))) == set(derived_keys("transfers"))


def test_the_facts_the_brief_asks_for_are_all_there():
    assert REQUIRED <= set(derived_keys())


def test_fact_keys_are_the_answer_paths_and_the_derived_keys_without_overlap():
    keys = fact_keys()
    assert len(keys) == len(set(keys))
    assert set(keys) == set(field_paths()) | set(derived_keys())


def test_every_derived_fact_has_a_plain_label_and_a_description():
    for spec in fact_specs().values():
        assert spec.label.strip() == spec.label and len(spec.label) < 120
        assert not spec.label.endswith(".")
        assert spec.description
    assert fact_label("org.in_eea") == "the organisation is established in the EU/EEA"
    assert fact_label("organisation.country") == "organisation.country"


def test_a_derived_fact_that_shadows_an_answer_path_is_a_content_error(tmp_path):
    bad = tmp_path / "facts.toml"
    bad.write_text(
        '[fact."organisation.country"]\nstage = "answers"\nkind = "text"\nlabel = "x"\ndescription = "y"\n',
        encoding="utf-8",
    )
    with pytest.raises(ContentError, match="answer field path"):
        load_fact_specs(bad)


def test_facts_about_an_unknown_country_are_none_not_false():
    facts = answer_facts(Answers())
    assert facts["org.in_eea"] is None and facts["role.processor"] is None and facts["volume.large"] is None


def test_a_munich_controller_is_in_the_eu_and_the_eea_but_not_the_uk():
    facts = answer_facts(answers(organisation={"country": "DE"}, agreement={"our_role": "controller"}))
    assert facts["org.in_eu"] is True and facts["org.in_eea"] is True and facts["org.in_uk"] is False
    assert facts["role.controller"] is True and facts["role.processor"] is False


def test_norway_is_in_the_eea_but_not_the_eu():
    facts = answer_facts(answers(organisation={"country": "NO"}))
    assert facts["org.in_eea"] is True and facts["org.in_eu"] is False


def test_an_office_abroad_counts_as_an_establishment():
    facts = answer_facts(answers(organisation={"country": "US", "other_establishments": ["IE", "ZA"]}))
    assert facts["org.eea_establishment"] is True and facts["org.za_establishment"] is True
    assert facts["org.in_eea"] is False


def test_special_category_data_children_and_volume_come_from_the_data_answers():
    facts = answer_facts(
        answers(data={"special_categories": ["health"], "subject_categories": ["children"], "record_volume": "100k_1m"})
    )
    assert facts["data.special"] is True and facts["data.children"] is True and facts["volume.large"] is True
    facts = answer_facts(
        answers(data={"data_categories": ["contact"], "subject_categories": ["customers"], "record_volume": "10k_100k"})
    )
    assert facts["data.special"] is False and facts["data.children"] is False and facts["volume.large"] is False


def test_regime_and_transfer_facts_follow_the_decisions():
    facts = facts_for(
        organisation={"country": "DE"},
        agreement={"our_role": "controller", "counterparty_name": "Leads Inc", "counterparty_country": "US"},
        jurisdictions={"markets": ["eu", "uk"], "california_consumers": "not_sure"},
    )
    assert facts["regimes"] == ["eu_gdpr", "uk_gdpr"]
    assert facts["regimes_possible"] == ["ccpa"]
    assert facts["ccpa.business"] is False
    assert facts["transfer.any"] and facts["transfer.eu_scc"] and facts["transfer.uk_addendum"]
    assert facts["transfer.scc_modules"] == [2] and facts["transfer.tia_required"]
    assert facts["transfer.countries"] == ["US"]
    assert not facts["transfer.dpf"] and not facts["transfer.popia_72"] and not facts["transfer.uk_idta"]


def test_conditions_can_test_derived_facts():
    facts = facts_for(organisation={"country": "ZA"}, crm={"vendor": "hubspot", "hosting_region": "US"})
    verdict = cond.evaluate(
        cond.parse_condition(
            {
                "op": "all",
                "of": [
                    {"op": "contains", "field": "regimes", "value": "popia"},
                    {"op": "eq", "field": "transfer.popia_72", "value": True},
                ],
            }
        ),
        facts,
    )
    assert verdict.value and verdict.fields == ["regimes", "transfer.popia_72"]


def test_analyse_is_the_single_entry_and_is_deterministic():
    a = answers(
        organisation={"country": "GB"},
        agreement={"our_role": "processor"},
        jurisdictions={"markets": ["eu", "uk"]},
        crm={"processors": [{"name": "A", "country": "US"}]},
    )
    first, second = analyse(a), analyse(a)
    assert isinstance(first, Analysis)
    assert first.regimes == second.regimes and first.transfers == second.transfers
    assert dict(first.facts) == dict(second.facts)
    assert first.regimes_in_scope == ["eu_gdpr", "uk_gdpr"]
    assert first.regime("eu_gdpr").status == "applies"
    with pytest.raises(TypeError):
        first.facts["regimes"] = []  # type: ignore[index]
