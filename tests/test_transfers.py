"""Transfer flows, mechanisms, SCC modules and options, from small plain answers."""

from __future__ import annotations

from typing import Any

from dpakit.models import Answers
from dpakit.regimes import determine_regimes
from dpakit.requirements import load_catalogue
from dpakit.transfers import TransferAnalysis, TransferFlow, analyse_transfers


def answers(**sections: dict[str, Any]) -> Answers:
    return Answers.model_validate(sections)


def analysis(**sections: dict[str, Any]) -> TransferAnalysis:
    a = answers(**sections)
    return analyse_transfers(a, determine_regimes(a))


def flow(result: TransferAnalysis, regime: str, to_name: str) -> TransferFlow:
    matches = [f for f in result.flows if f.regime == regime and f.to_name == to_name]
    assert len(matches) == 1, [(f.regime, f.to_name) for f in result.flows]
    return matches[0]


GERMAN_CONTROLLER = {
    "organisation": {"country": "DE", "legal_name": "Nordlicht Software GmbH"},
    "agreement": {
        "our_role": "controller",
        "counterparty_name": "Leads LLC",
        "counterparty_country": "US",
        "counterparty_dpf_certified": "no",
    },
    "jurisdictions": {"markets": ["eu", "uk"]},
}
UK_PROCESSOR = {
    "organisation": {"country": "GB", "legal_name": "Brightwave Digital Ltd"},
    "agreement": {"our_role": "processor", "counterparty_name": "Client Ltd", "counterparty_country": "GB"},
    "crm": {
        "processors": [
            {"name": "Mail IE", "country": "IE"},
            {"name": "Analytics Inc", "country": "US", "dpf_certified": "no"},
        ]
    },
    "jurisdictions": {"markets": ["uk", "eu"]},
}


def with_(base: dict[str, Any], section: str, **values: Any) -> dict[str, Any]:
    return {**base, section: {**base.get(section, {}), **values}}


# --- controllers ---------------------------------------------------------------------------------


def test_an_eu_controller_sending_data_to_a_us_processor_without_dpf_uses_module_two_with_a_tia():
    f = flow(analysis(**GERMAN_CONTROLLER), "eu_gdpr", "Leads LLC")
    assert (f.mechanism, f.scc_module, f.tia_required) == ("scc", 2, True)
    assert (f.from_place, f.from_role, f.to_country, f.to_role) == ("DE", "controller", "US", "processor")
    assert {"GDPR-46-2-c", "SCC914-M2", "SCC914-C14", "TIA-3"} <= set(f.requirement_ids)


def test_uk_data_to_the_same_importer_goes_under_the_uk_addendum():
    result = analysis(**GERMAN_CONTROLLER)
    f = flow(result, "uk_gdpr", "Leads LLC")
    assert (f.mechanism, f.tia_required) == ("uk_addendum", True)
    assert {"UK-IDTA-2", "UK-IDTA-4"} <= set(f.requirement_ids)
    assert result.uk is not None and result.uk.instruments == ("uk_addendum",)
    assert result.uk.eu_scc_modules == (2,)
    assert result.uk.importers == (("Leads LLC", "US"),)


def test_a_dpf_certified_us_importer_relies_on_the_dpf_without_a_tia_and_with_an_scc_fallback_note():
    result = analysis(**with_(GERMAN_CONTROLLER, "agreement", counterparty_dpf_certified="yes"))
    f = flow(result, "eu_gdpr", "Leads LLC")
    assert (f.mechanism, f.scc_module, f.tia_required) == ("dpf", None, False)
    assert "2023/1795" in f.mechanism_detail
    assert {"DPF-1", "DPF-3"} <= set(f.requirement_ids)
    assert any("fall-back" in r for r in f.reasons)
    assert result.scc is None
    uk = flow(result, "uk_gdpr", "Leads LLC")
    assert uk.mechanism == "dpf" and "UK-BRIDGE-1" in uk.requirement_ids


def test_a_processor_in_japan_is_covered_by_adequacy():
    result = analysis(**with_(GERMAN_CONTROLLER, "agreement", counterparty_country="JP"))
    f = flow(result, "eu_gdpr", "Leads LLC")
    assert (f.mechanism, f.tia_required) == ("adequacy", False)
    assert "Japan" in f.mechanism_detail and "GDPR-45" in f.requirement_ids
    assert flow(result, "uk_gdpr", "Leads LLC").mechanism == "adequacy"


def test_eu_hosting_of_a_us_vendor_needs_no_mechanism_but_notes_remote_access():
    result = analysis(**with_(GERMAN_CONTROLLER, "crm", vendor="salesforce", vendor_country="US", hosting_region="EU"))
    f = flow(result, "eu_gdpr", "Salesforce")
    assert (f.mechanism, f.to_country) == ("none_needed", "EU")
    assert any("support or maintenance access" in r for r in f.reasons)
    assert flow(result, "uk_gdpr", "Salesforce").mechanism == "adequacy"


def test_a_uk_controller_without_eu_scc_uses_the_idta():
    result = analysis(
        organisation={"country": "GB"},
        agreement={"our_role": "controller"},
        crm={"vendor": "zoho", "hosting_region": "IN"},
        jurisdictions={"markets": ["uk"]},
    )
    f = flow(result, "uk_gdpr", "Zoho CRM")
    assert (f.mechanism, f.tia_required, f.from_place) == ("uk_idta", True, "GB")
    assert result.scc is None and result.uk is not None and result.uk.instruments == ("uk_idta",)
    assert result.uk.eu_scc_modules == ()


def test_a_south_african_controller_sends_data_abroad_under_a_section_72_agreement():
    result = analysis(
        organisation={"country": "ZA"},
        agreement={"our_role": "controller"},
        crm={
            "vendor": "hubspot",
            "vendor_country": "US",
            "hosting_region": "US",
            "processors": [{"name": "Local Agency", "country": "ZA"}],
        },
    )
    f = flow(result, "popia", "HubSpot")
    assert (f.mechanism, f.tia_required) == ("popia_72_agreement", False)
    assert {"POPIA-72-1-a", "POPIA-72-CRM"} <= set(f.requirement_ids)
    assert flow(result, "popia", "Local Agency").mechanism == "none_needed"
    assert result.popia_72 and result.scc is None and result.uk is None


def test_a_counterparty_also_listed_as_processor_gives_one_flow():
    result = analysis(**with_(GERMAN_CONTROLLER, "crm", processors=[{"name": "leads  llc", "country": "US"}]))
    assert len([f for f in result.flows if f.regime == "eu_gdpr"]) == 1


def test_an_unknown_hosting_region_is_treated_as_a_third_country_until_answered():
    result = analysis(
        organisation={"country": "FR"},
        agreement={"our_role": "controller"},
        crm={"vendor": "other", "vendor_other_name": "TinyCRM", "hosting_region": "not_sure"},
    )
    f = flow(result, "eu_gdpr", "TinyCRM")
    assert (f.to_country, f.mechanism, f.scc_module) == ("unknown", "scc", 2)
    assert any("not known" in r for r in f.reasons)


def test_access_from_a_third_country_not_otherwise_covered_is_listed_without_a_module():
    result = analysis(
        organisation={"country": "NL"}, agreement={"our_role": "controller"}, crm={"accessed_from": ["NL", "IN", "CH"]}
    )
    access = [f for f in result.flows if f.id.startswith("eu_gdpr:access")]
    assert {f.to_country: f.mechanism for f in access} == {"IN": "scc", "CH": "adequacy"}
    india = next(f for f in access if f.to_country == "IN")
    assert india.scc_module is None and any("own employees" in r for r in india.reasons)


def test_nothing_is_listed_for_regimes_that_do_not_apply():
    result = analysis(
        organisation={"country": "US", "annual_revenue_usd": 60_000_000},
        agreement={"our_role": "controller", "counterparty_country": "US"},
        crm={"vendor": "zoho", "hosting_region": "US"},
        jurisdictions={"markets": ["us_ca"]},
    )
    assert result.flows == () and result.scc is None and result.uk is None and not result.popia_72


# --- processors ----------------------------------------------------------------------------------


def test_a_uk_processor_sends_eu_data_to_a_us_sub_processor_under_module_three():
    f = flow(analysis(**UK_PROCESSOR), "eu_gdpr", "Analytics Inc")
    assert (f.mechanism, f.scc_module, f.tia_required) == ("scc", 3, True)
    assert (f.from_role, f.to_role) == ("processor", "sub-processor")
    assert any("outside the EEA" in r for r in f.reasons)


def test_a_uk_processor_sends_uk_data_to_the_us_sub_processor_under_the_addendum():
    assert flow(analysis(**UK_PROCESSOR), "uk_gdpr", "Analytics Inc").mechanism == "uk_addendum"


def test_an_irish_sub_processor_needs_nothing_for_eu_data_and_uk_adequacy_for_uk_data():
    result = analysis(**UK_PROCESSOR)
    assert flow(result, "eu_gdpr", "Mail IE").mechanism == "none_needed"
    uk = flow(result, "uk_gdpr", "Mail IE")
    assert (uk.mechanism, uk.tia_required) == ("adequacy", False)


def test_a_processor_does_not_list_its_clients_crm_vendor_and_says_so():
    result = analysis(**with_(UK_PROCESSOR, "crm", vendor="hubspot", hosting_region="EU"))
    assert not [f for f in result.flows if f.to_name == "HubSpot"]
    assert any("clients' CRM" in n for n in result.notes)


def test_a_uk_processor_receiving_data_from_an_eu_client_relies_on_uk_adequacy():
    result = analysis(**with_(UK_PROCESSOR, "agreement", counterparty_country="FR"))
    inbound = next(f for f in result.flows if f.id == "eu_gdpr:main:from_counterparty")
    assert (inbound.from_place, inbound.from_role, inbound.to_country) == ("FR", "controller", "GB")
    assert inbound.mechanism == "adequacy" and "United Kingdom" in inbound.mechanism_detail


def test_an_eu_processor_returning_data_to_a_us_controller_uses_module_four():
    result = analysis(
        organisation={"country": "IE"},
        agreement={"our_role": "processor", "counterparty_name": "US Client Inc", "counterparty_country": "US"},
    )
    back = next(f for f in result.flows if f.id == "eu_gdpr:main:to_counterparty")
    assert (back.mechanism, back.scc_module, back.to_role) == ("scc", 4, "controller")
    assert result.scc is not None and 4 in result.scc.modules
    assert "SCC914-C17-M4" in result.scc.requirement_ids


def test_an_eu_processor_for_an_eu_controller_has_no_transfer_to_its_client():
    result = analysis(organisation={"country": "IE"}, agreement={"our_role": "processor", "counterparty_country": "FR"})
    assert result.flows == ()


# --- SCC options ---------------------------------------------------------------------------------


def test_default_scc_options_for_a_german_exporter():
    scc = analysis(**GERMAN_CONTROLLER).scc
    assert scc is not None
    assert scc.modules == (2,)
    assert scc.docking_clause is True
    assert (scc.clause9_option, scc.clause9_option_number, scc.clause9_notice_days) == ("general", 2, 30)
    assert scc.clause11_independent_body is False
    # Germany's private bodies are supervised by their Land's authority: without the Land, none is named
    # and the answer that would settle it is said instead.
    assert scc.clause13_authority is None and scc.clause13_missing == "the Land where the exporter is established"
    assert (scc.clause17_option, scc.governing_law, scc.forum) == (1, "DE", "DE")
    assert scc.from_user == frozenset()
    assert scc.sources["governing_law"] == "default"


def test_the_agreements_own_sub_processor_terms_feed_clause_nine():
    scc = analysis(
        **with_(GERMAN_CONTROLLER, "agreement", subprocessor_authorisation="specific", subprocessor_notice_days=14)
    ).scc
    assert scc is not None
    assert (scc.clause9_option, scc.clause9_notice_days) == ("specific", 14)
    assert scc.sources["clause9_option"] == "agreement"
    assert "SCC914-OPT-C9-1" in scc.requirement_ids


def test_a_users_scc_choices_win_and_are_recorded_as_theirs():
    base = with_(GERMAN_CONTROLLER, "agreement", subprocessor_authorisation="specific")
    scc = analysis(
        **with_(
            base,
            "jurisdictions",
            scc_docking_clause="no",
            scc_clause9_option="general",
            scc_clause9_notice_days=45,
            scc_clause11_independent_body="yes",
            scc_governing_law="NL",
            scc_forum="NL",
        )
    ).scc
    assert scc is not None
    assert (scc.docking_clause, scc.clause9_option, scc.clause9_notice_days) == (False, "general", 45)
    assert scc.clause11_independent_body is True
    assert (scc.governing_law, scc.forum) == ("NL", "NL")
    assert scc.from_user == {
        "docking_clause",
        "clause9_option",
        "clause9_notice_days",
        "clause11_independent_body",
        "governing_law",
        "forum",
    }


def test_a_german_controller_in_bavaria_names_baylda_under_clause_13():
    scc = analysis(**with_(GERMAN_CONTROLLER, "organisation", german_land="DE-BY")).scc
    assert scc is not None and "BayLDA" in (scc.clause13_authority or "")
    assert scc.clause13_missing is None and "authority of the Land" not in (scc.clause13_authority or "")


def test_a_non_eu_governing_law_and_forum_are_refused_for_module_two_and_fall_back_to_the_member_state():
    scc = analysis(**with_(GERMAN_CONTROLLER, "jurisdictions", scc_governing_law="US", scc_forum="GB")).scc
    assert scc is not None and scc.modules == (2,)
    assert (scc.governing_law, scc.forum) == ("DE", "DE")
    assert scc.sources["governing_law"] == "default" and scc.sources["forum"] == "default"
    law, forum = scc.refused
    assert "Clause 17" in law and "United States" in law and "jurisdictions.scc_governing_law" in law
    assert "Clause 18" in forum and "United Kingdom" in forum and "jurisdictions.scc_forum" in forum


def test_an_eu_law_that_allows_third_party_rights_is_kept():
    scc = analysis(**with_(GERMAN_CONTROLLER, "jurisdictions", scc_governing_law="NL", scc_forum="NL")).scc
    assert scc is not None and (scc.governing_law, scc.forum, scc.refused) == ("NL", "NL", ())


def test_module_four_alone_may_take_a_non_eu_law():
    result = analysis(
        organisation={"country": "DE", "legal_name": "EU Processor GmbH", "german_land": "DE-BE"},
        agreement={"our_role": "processor", "counterparty_name": "US Client Inc", "counterparty_country": "US"},
        jurisdictions={"markets": ["eu"], "scc_governing_law": "US", "scc_forum": "US"},
    )
    assert result.scc is not None and result.scc.modules == (4,)
    assert (result.scc.governing_law, result.scc.forum, result.scc.refused) == ("US", "US", ())


def test_an_exporter_outside_the_eu_gets_irish_law_and_clause_13_names_the_missing_answer():
    scc = analysis(**UK_PROCESSOR).scc
    assert scc is not None
    assert scc.modules == (3,)
    assert (scc.governing_law, scc.forum) == ("IE", "IE")
    assert scc.clause13_authority is None
    assert scc.clause13_missing == "whether the exporter has appointed an EU representative (GDPR Art 27)"


def test_an_exporter_outside_the_eu_with_a_dutch_representative_names_the_dutch_authority():
    scc = analysis(
        **with_(UK_PROCESSOR, "organisation", has_eu_representative="yes", eu_representative_country="NL")
    ).scc
    assert scc is not None and "Autoriteit Persoonsgegevens" in (scc.clause13_authority or "")


def test_an_exporter_outside_the_eu_without_a_representative_names_where_the_people_are():
    base = with_(UK_PROCESSOR, "organisation", has_eu_representative="no")
    scc = analysis(**with_(base, "jurisdictions", people_eu_countries=["NL", "DE"])).scc
    assert scc is not None and "Autoriteit Persoonsgegevens" in (scc.clause13_authority or "")


# --- parties and the agreement that governs each flow --------------------------------------------

THREE_AGREEMENTS = {
    "organisation": {"country": "DE", "legal_name": "Nordlicht Software GmbH", "german_land": "DE-BY"},
    "crm": {"vendor": "hubspot", "hosting_region": "US", "vendor_dpf_certified": "no"},
    "data": {"data_categories": ["identity", "contact", "special_categories"]},
    "jurisdictions": {"markets": ["eu"]},
    "agreements": [
        {
            "id": "call-centre",
            "our_role": "controller",
            "counterparty_name": "Callers Ltd",
            "counterparty_country": "IE",
            "scope_data_categories": ["identity", "contact"],
            "subprocessors": [{"name": "Dialer Inc", "country": "US", "dpf_certified": "no"}],
        },
        {"id": "mailer", "our_role": "controller", "counterparty_name": "Mail BV", "counterparty_country": "NL"},
        {"id": "books", "our_role": "controller", "counterparty_name": "Books GmbH", "counterparty_country": "DE"},
    ],
}


def test_every_flow_names_its_exporter_importer_and_the_contract_that_governs_it():
    result = analysis(**THREE_AGREEMENTS)
    by_id = {f.id: f for f in result.flows}
    vendor = by_id["eu_gdpr:crm_vendor"]
    assert (vendor.governed_by, vendor.exporter.name, vendor.importer.name) == (
        "crm-vendor",
        "Nordlicht Software GmbH",
        "HubSpot",
    )
    cc = by_id["eu_gdpr:call-centre:counterparty"]
    assert (cc.governed_by, cc.exporter.name, cc.importer.name, cc.mechanism) == (
        "call-centre",
        "Nordlicht Software GmbH",
        "Callers Ltd",
        "none_needed",
    )
    assert cc.data == ("identity", "contact")  # the agreement's own scope, not the organisation's
    onward = by_id["eu_gdpr:call-centre:subprocessor-1"]
    assert (onward.exporter.name, onward.exporter.role, onward.importer.name, onward.importer.role) == (
        "Callers Ltd",
        "processor",
        "Dialer Inc",
        "sub-processor",
    )
    assert (onward.scc_module, onward.governed_by) == (3, "call-centre")
    assert {f.governed_by for f in result.flows} == {"crm-vendor", "call-centre", "mailer", "books"}


def test_an_agreements_transfers_hold_only_its_own_flows_and_never_the_crm_vendor():
    from dpakit.transfers import agreement_transfers

    a = answers(**THREE_AGREEMENTS)
    result = analyse_transfers(a, determine_regimes(a))
    call = agreement_transfers(result, a.focused("call-centre"))
    assert {f.importer.name for f in call.flows} == {"Callers Ltd", "Dialer Inc"}
    assert call.scc is not None and call.scc.modules == (3,) and call.agreement_id == "call-centre"
    mailer = agreement_transfers(result, a.focused("mailer"))
    assert [f.importer.name for f in mailer.flows] == ["Mail BV"] and mailer.scc is None
    assert all("HubSpot" not in f.importer.name for x in (call, mailer) for f in x.flows)


def test_a_sub_processor_of_a_processor_already_outside_the_area_is_an_onward_transfer_not_module_three():
    agreement = {**THREE_AGREEMENTS["agreements"][0], "counterparty_country": "IN"}
    result = analysis(**{**THREE_AGREEMENTS, "agreements": [agreement]})
    to_processor = next(f for f in result.flows if f.id == "eu_gdpr:call-centre:counterparty")
    onward = next(f for f in result.flows if f.id == "eu_gdpr:call-centre:subprocessor-1")
    assert (to_processor.mechanism, to_processor.scc_module) == ("scc", 2)
    assert (onward.mechanism, onward.scc_module) == ("none_needed", None)
    assert "onward transfer" in onward.mechanism_detail and "Clauses 8.8 and 9(b)" in onward.reasons[0]


def test_a_counterparty_working_from_a_third_country_gets_a_flow_there():
    base = {**THREE_AGREEMENTS, "agreements": [{**THREE_AGREEMENTS["agreements"][1], "accessed_from": ["US"]}]}
    result = analysis(**base)
    places = sorted(f.importer.country for f in result.flows if f.governed_by == "mailer")
    assert places == ["NL", "US"]


def test_an_exporter_with_an_irish_branch_names_the_irish_authority():
    scc = analysis(
        organisation={"country": "US", "other_establishments": ["IE"]},
        agreement={"our_role": "controller", "counterparty_country": "IN"},
    ).scc
    assert scc is not None and "Data Protection Commission" in (scc.clause13_authority or "")
    assert scc.governing_law == "IE"


# --- UK options ----------------------------------------------------------------------------------


def test_uk_addendum_tables_are_filled_from_the_answers():
    uk = analysis(
        **with_(
            UK_PROCESSOR,
            "organisation",
            privacy_contact_name="Priya Shah",
            privacy_contact_email="privacy@brightwave.example",
        )
    ).uk
    assert uk is not None
    assert uk.exporter == "Brightwave Digital Ltd" and uk.exporter_country == "GB"
    assert uk.key_contact == "Priya Shah, privacy@brightwave.example"
    assert uk.eu_scc_modules == (3,)
    assert uk.table4_ending_party == ("importer", "exporter")
    assert uk.start_date and uk.law_and_courts == "England and Wales"


# --- content -------------------------------------------------------------------------------------


def test_every_requirement_id_a_transfer_cites_is_in_the_catalogue():
    catalogue = load_catalogue()
    cases = [
        GERMAN_CONTROLLER,
        UK_PROCESSOR,
        with_(GERMAN_CONTROLLER, "agreement", counterparty_dpf_certified="yes"),
        {"organisation": {"country": "ZA"}, "crm": {"vendor": "hubspot", "hosting_region": "US"}},
        {"organisation": {"country": "GB"}, "crm": {"hosting_region": "IN"}, "jurisdictions": {"markets": ["uk"]}},
        {"organisation": {"country": "IE"}, "agreement": {"our_role": "processor", "counterparty_country": "US"}},
    ]
    cited = set()
    for case in cases:
        result = analysis(**case)
        cited |= {i for f in result.flows for i in f.requirement_ids}
        cited |= set(result.scc.requirement_ids if result.scc else ())
        cited |= set(result.uk.requirement_ids if result.uk else ())
    assert {"SCC914-M2", "SCC914-M3", "SCC914-M4", "DPF-1", "UK-IDTA-2", "POPIA-72-1-a"} <= cited
    assert sorted(i for i in cited if i not in catalogue) == []
