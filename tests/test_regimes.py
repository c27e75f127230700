"""Which laws apply: regime grounds as data, decided from plain answers, with reasons from the facts."""

from __future__ import annotations

from typing import Any

import pytest

from dpakit import conditions as cond
from dpakit.errors import ContentError
from dpakit.models import Answers
from dpakit.regimes import RegimeDecision, determine_regimes, load_regimes, regime_codes, regime_name
from dpakit.requirements import REGIME_NAMES


def answers(**sections: dict[str, Any]) -> Answers:
    return Answers.model_validate(sections)


def decisions(**sections: dict[str, Any]) -> dict[str, RegimeDecision]:
    return {d.code: d for d in determine_regimes(answers(**sections))}


def status(**sections: dict[str, Any]) -> dict[str, str]:
    return {code: d.status for code, d in decisions(**sections).items()}


# --- the content ---------------------------------------------------------------------------------


def test_the_regimes_file_loads_and_every_code_is_known_to_the_requirements_catalogue():
    codes = regime_codes()
    assert {"eu_gdpr", "uk_gdpr", "ccpa", "popia", "lgpd", "ch_fadp", "pipeda", "us_state"} <= set(codes)
    assert set(codes) <= set(REGIME_NAMES)


def test_every_regime_has_a_combined_applies_and_may_apply_condition():
    for spec in load_regimes():
        for combined in (spec.applies_condition, spec.may_apply_condition):
            assert cond.parse_condition(combined.model_dump()) == combined


def test_a_ground_that_tests_an_unknown_fact_is_a_content_error_naming_file_and_regime(tmp_path):
    bad = tmp_path / "regimes.toml"
    bad.write_text(
        '[[regime]]\ncode = "x_law"\nname = "X"\nscope = "s"\nnot_applicable = "n"\n'
        '[[regime.applies_if]]\nid = "g"\nexplain = "e"\n'
        'when = { op = "eq", field = "org.in_atlantis", value = true }\n',
        encoding="utf-8",
    )
    with pytest.raises(ContentError) as info:
        load_regimes(bad)
    assert "regimes.toml" in str(info.value) and info.value.item == "x_law"
    assert "org.in_atlantis" in str(info.value)


def test_a_regime_listed_twice_is_a_content_error(tmp_path):
    entry = (
        '[[regime]]\ncode = "x_law"\nname = "X"\nscope = "s"\nnot_applicable = "n"\n'
        '[[regime.may_apply_if]]\nid = "g"\nexplain = "e"\nwhen = { op = "always" }\n'
    )
    bad = tmp_path / "regimes.toml"
    bad.write_text(entry + entry, encoding="utf-8")
    with pytest.raises(ContentError, match="duplicate regime"):
        load_regimes(bad)


def test_regime_names_are_display_names():
    assert regime_name("eu_gdpr") == "EU GDPR"
    with pytest.raises(KeyError):
        regime_name("nope")


# --- EU and UK GDPR ------------------------------------------------------------------------------


def test_an_organisation_established_in_germany_is_under_the_eu_gdpr_because_of_its_establishment():
    eu = decisions(organisation={"country": "DE"})["eu_gdpr"]
    assert eu.status == "applies"
    assert eu.reasons[0].ground == "establishment"
    assert ("org.eea_establishment", True) in eu.reasons[0].facts
    assert "Art 3(1)" in eu.reasons[0].text


def test_a_branch_in_ireland_is_an_eu_establishment_for_a_us_company():
    assert status(organisation={"country": "US", "other_establishments": ["IE"]})["eu_gdpr"] == "applies"


def test_a_uk_controller_selling_to_eu_customers_is_under_both_gdprs():
    result = decisions(
        organisation={"country": "GB"}, agreement={"our_role": "controller"}, jurisdictions={"markets": ["uk", "eu"]}
    )
    assert result["uk_gdpr"].status == "applies"
    assert result["eu_gdpr"].status == "applies"
    assert result["eu_gdpr"].reasons[0].ground == "offering"
    assert ("jurisdictions.markets", ("uk", "eu")) in result["eu_gdpr"].reasons[0].facts


def test_a_us_company_without_eu_or_uk_links_is_not_under_either_gdpr():
    result = status(organisation={"country": "US"}, jurisdictions={"markets": ["us_ca"]})
    assert result["eu_gdpr"] == "not_applicable" and result["uk_gdpr"] == "not_applicable"


def test_monitoring_without_a_known_eu_market_means_the_gdpr_may_apply():
    result = decisions(
        organisation={"country": "US"}, jurisdictions={"markets": ["us_other"], "monitors_eu_uk_behaviour": "yes"}
    )
    assert result["eu_gdpr"].status == "may_apply"
    assert result["uk_gdpr"].status == "may_apply"


def test_a_uk_processor_for_eu_and_uk_clients_is_under_both_gdprs_as_processor():
    result = decisions(
        organisation={"country": "GB"}, agreement={"our_role": "processor"}, jurisdictions={"markets": ["uk", "eu"]}
    )
    assert result["eu_gdpr"].status == "applies"
    assert result["eu_gdpr"].reasons[0].ground == "processor_for_eu_controllers"
    assert ("role.processor", True) in result["eu_gdpr"].reasons[0].facts
    assert result["uk_gdpr"].status == "applies"


def test_a_uk_processor_for_a_french_client_is_under_the_eu_gdpr_through_its_client():
    result = decisions(
        organisation={"country": "GB"}, agreement={"our_role": "processor", "counterparty_country": "FR"}
    )
    assert result["eu_gdpr"].status == "applies"
    assert ("counterparty.in_eea", True) in result["eu_gdpr"].reasons[0].facts


def test_nothing_answered_means_nothing_applies_and_each_regime_says_why():
    for decision in determine_regimes(Answers()):
        assert decision.status == "not_applicable"
        assert decision.reasons and decision.reasons[0].text


# --- CCPA ----------------------------------------------------------------------------------------


def test_a_californian_retailer_above_the_revenue_threshold_is_a_ccpa_business():
    ccpa = decisions(
        organisation={"country": "US", "sector": "retail", "annual_revenue_usd": 60_000_000},
        jurisdictions={"markets": ["us_ca"]},
    )["ccpa"]
    assert ccpa.status == "applies"
    assert ccpa.reasons[0].ground == "revenue"
    assert ("organisation.annual_revenue_usd", 60_000_000) in ccpa.reasons[0].facts


def test_revenue_just_below_the_adjusted_threshold_is_not_enough_on_its_own():
    result = status(
        organisation={"country": "US", "sector": "retail", "annual_revenue_usd": 26_624_999},
        jurisdictions={"markets": ["us_ca"], "california_consumers": "under_100k"},
    )
    assert result["ccpa"] == "not_applicable"


def test_revenue_at_the_adjusted_threshold_counts():
    result = status(organisation={"annual_revenue_usd": 26_625_000}, jurisdictions={"markets": ["us_ca"]})
    assert result["ccpa"] == "applies"


def test_not_sure_about_revenue_with_california_customers_means_the_ccpa_may_apply():
    ccpa = decisions(organisation={"annual_revenue_usd": "not_sure"}, jurisdictions={"markets": ["us_ca"]})["ccpa"]
    assert ccpa.status == "may_apply"
    assert ccpa.reasons[0].ground == "revenue_unknown"


def test_over_100k_california_consumers_and_selling_data_meets_the_volume_threshold():
    result = decisions(
        organisation={"annual_revenue_usd": 1_000_000},
        jurisdictions={"markets": ["us_ca"], "california_consumers": "over_100k"},
        purposes={"sells_or_shares_data": "yes"},
    )
    assert result["ccpa"].status == "applies"
    assert result["ccpa"].reasons[0].ground == "consumers_shared"


def test_over_100k_california_consumers_without_selling_means_the_ccpa_may_apply():
    result = status(
        organisation={"annual_revenue_usd": 1_000_000},
        jurisdictions={"markets": ["us_ca"], "california_consumers": "over_100k"},
        purposes={"sells_or_shares_data": "no"},
    )
    assert result["ccpa"] == "may_apply"


def test_most_revenue_from_selling_data_makes_a_small_business_subject_to_the_ccpa():
    result = status(
        organisation={"annual_revenue_usd": 500_000},
        jurisdictions={"markets": ["us_ca"]},
        purposes={"revenue_mostly_from_selling_data": "yes"},
    )
    assert result["ccpa"] == "applies"


def test_a_large_company_without_california_consumers_is_not_under_the_ccpa():
    result = status(
        organisation={"country": "DE", "annual_revenue_usd": 90_000_000},
        jurisdictions={"markets": ["eu"], "california_consumers": "none"},
    )
    assert result["ccpa"] == "not_applicable"


def test_a_nonprofit_is_not_a_ccpa_business():
    result = status(
        organisation={"sector": "nonprofit", "annual_revenue_usd": 90_000_000}, jurisdictions={"markets": ["us_ca"]}
    )
    assert result["ccpa"] == "not_applicable"


def test_a_processor_for_californian_clients_may_be_a_service_provider():
    ccpa = decisions(
        organisation={"annual_revenue_usd": 90_000_000},
        agreement={"our_role": "processor"},
        jurisdictions={"markets": ["us_ca"]},
    )["ccpa"]
    assert ccpa.status == "may_apply"
    assert ccpa.reasons[0].ground == "service_provider"


# --- POPIA ---------------------------------------------------------------------------------------


def test_a_responsible_party_domiciled_in_south_africa_is_under_popia():
    popia = decisions(organisation={"country": "ZA"})["popia"]
    assert popia.status == "applies"
    assert popia.reasons[0].facts == (("org.in_za", True),)


def test_an_operator_for_a_south_african_responsible_party_is_under_popia():
    assert (
        status(organisation={"country": "GB"}, agreement={"our_role": "processor", "counterparty_country": "ZA"})[
            "popia"
        ]
        == "applies"
    )


def test_marketing_to_people_in_south_africa_from_abroad_means_popia_may_apply():
    assert status(organisation={"country": "GB"}, jurisdictions={"markets": ["za"]})["popia"] == "may_apply"


# --- the rest ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("market", "code"), [("br", "lgpd"), ("ch", "ch_fadp"), ("ca", "pipeda"), ("us_other", "us_state")]
)
def test_markets_in_other_regimes_mean_may_apply_check(market: str, code: str):
    decision = decisions(organisation={"country": "GB"}, jurisdictions={"markets": [market]})[code]
    assert decision.status == "may_apply"
    assert "Check" in decision.reasons[0].text


def test_an_organisation_in_switzerland_may_be_under_the_fadp():
    assert status(organisation={"country": "CH"})["ch_fadp"] == "may_apply"


def test_reasons_of_a_regime_that_applies_list_only_the_grounds_that_held():
    result = decisions(
        organisation={"country": "DE"}, jurisdictions={"markets": ["eu"]}, agreement={"our_role": "controller"}
    )
    assert [r.ground for r in result["eu_gdpr"].reasons] == ["establishment", "offering"]


def test_the_main_regimes_set_names_regimes_that_are_decided():
    from dpakit.conditions import named_sets
    from dpakit.drafting.coverage import LIBRARY_REGIMES

    main = named_sets()["main_regimes"].values
    assert set(main) <= set(regime_codes())
    assert set(main) == set(LIBRARY_REGIMES)  # the clause library covers exactly these in full


def test_a_law_a_regime_includes_is_named_but_never_decided():
    assert regime_name("qc_law25") == "Québec Law 25"
    assert "qc_law25" not in regime_codes()
    assert "qc_law25" not in {d.code for d in determine_regimes(Answers())}
