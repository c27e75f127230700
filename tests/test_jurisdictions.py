"""Countries: the ISO list, EU/EEA membership, adequacy flags and the loader's errors."""

from __future__ import annotations

import pytest

from dpakit import jurisdictions as j
from dpakit.errors import ContentError, InputError
from dpakit.examples import EXAMPLES, load_example
from dpakit.models import Answers, Processor

EU_27 = set("AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE".split())


def test_every_iso_country_is_listed_once_with_a_name():
    countries = j.countries()
    assert len(countries) == 249
    assert all(len(code) == 2 and code.isupper() for code in countries)
    assert all(c.name for c in countries.values())


def test_the_eu_has_27_member_states_and_the_eea_adds_iceland_liechtenstein_norway():
    assert set(j.eu_codes()) == EU_27
    assert set(j.eea_codes()) == EU_27 | {"IS", "LI", "NO"}


def test_is_eu_and_is_eea_answer_false_for_unknown_or_missing_codes():
    assert j.is_eu("de") and j.is_eea("DE")
    assert j.is_eea("NO") and not j.is_eu("NO")
    assert not j.is_eea("GB") and not j.is_eea(None) and not j.is_eea("XX")


def test_country_names_are_english_short_names():
    assert j.country_name("DE") == "Germany"
    assert j.country_name("KR") == "South Korea"
    assert j.country_name("za") == "South Africa"


def test_validate_country_normalises_and_explains_common_mistakes():
    assert j.validate_country(" gb ") == "GB"
    with pytest.raises(InputError, match="use 'GB'"):
        j.validate_country("UK")
    with pytest.raises(InputError, match="not a known"):
        j.validate_country("XX")


def test_eu_adequacy_list_matches_the_commission_decisions_we_rely_on():
    adequate = {c.code for c in j.countries().values() if c.eu_adequate}
    assert adequate == {"AD", "AR", "CA", "FO", "GG", "IL", "IM", "JP", "JE", "NZ", "KR", "CH", "GB", "UY"}
    us = j.country("US")
    assert us.eu_adequate_dpf_only and not us.eu_adequate and "2023/1795" in us.eu_adequacy_decision


def test_uk_adequacy_covers_eea_gibraltar_the_eu_list_and_korea_and_us_only_via_the_bridge():
    uk_adequate = {c.code for c in j.countries().values() if c.uk_adequate}
    eu_list = {c.code for c in j.countries().values() if c.eu_adequate} - {"GB"}
    assert uk_adequate == EU_27 | {"IS", "LI", "NO", "GI", "KR"} | eu_list
    assert j.country("US").uk_adequate_dpf_only and not j.country("US").uk_adequate


def test_every_eea_state_has_a_supervisory_authority_and_eu_states_allow_third_party_rights():
    for code in j.eea_codes():
        assert j.country(code).supervisory_authority
    assert "Land" in j.country("DE").supervisory_authority
    assert "Data Protection Commission" in j.country("IE").supervisory_authority
    assert "CNIL" in j.country("FR").supervisory_authority
    assert {c.code for c in j.countries().values() if c.third_party_beneficiary_law} == EU_27


def test_a_broken_countries_file_names_the_file_and_the_country(tmp_path):
    bad = tmp_path / "countries.toml"
    bad.write_text('[country.FR]\nname = "France"\neu = true\n', encoding="utf-8")
    with pytest.raises(ContentError) as info:
        j.load_countries(bad)
    assert "countries.toml" in str(info.value) and info.value.item == "FR"


def _country_codes(answers: Answers) -> list[str]:
    org, agreement, crm = answers.organisation, answers.agreement, answers.crm
    codes = [org.country, agreement.counterparty_country, agreement.governing_law_country, crm.vendor_country]
    codes += (org.other_establishments or []) + (crm.accessed_from or [])
    codes += [p.country for p in (crm.processors or [])]
    codes += [answers.jurisdictions.scc_governing_law, answers.jurisdictions.scc_forum]
    return [c for c in codes if c]


def test_every_country_code_in_the_examples_is_known():
    assert EXAMPLES
    for name in EXAMPLES:
        for code in _country_codes(load_example(name)):
            assert code in j.countries(), f"example {name}: unknown country {code}"


def test_country_codes_are_collected_from_every_country_field():
    answers = Answers.model_validate(
        {
            "organisation": {"country": "ZA", "other_establishments": ["NA"]},
            "crm": {"processors": [Processor(name="X", country="US").model_dump()]},
        }
    )
    assert set(_country_codes(answers)) == {"ZA", "NA", "US"}
