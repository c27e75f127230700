"""CRM vendor profiles: every fact is sourced, and pre-filled answers fit the questionnaire."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest

from dpakit.errors import ContentError
from dpakit.vendors import FACT_BACKED_FIELDS, VENDORS_FILE, detect_vendor, load_vendors, vendor_prefill

VENDOR_IDS = ["salesforce", "hubspot", "pipedrive", "dynamics365", "zoho"]
SHARED_REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "legal-reference.md"
SNAPSHOT = Path(__file__).resolve().parent / "fixtures" / "legal-reference.md"
# The team's shared reference when it is beside the checkout, else the snapshot committed with the tests
# (test_requirements checks that the two are the same whenever both are there).
REFERENCE = SHARED_REFERENCE if SHARED_REFERENCE.is_file() else SNAPSHOT

HOSTING_VALUES = {"EU", "US", "UK", "IN", "AU", "CA", "JP", "ZA", "other", "not_sure"}
YES_NO = {"yes", "no", "not_sure"}
PREFILL_FIELDS = {
    "crm.hosting_region",
    "crm.vendor_country",
    "crm.mfa_available",
    "crm.vendor_dpf_certified",
    "crm.vendor_dpa_url",
    "crm.subprocessor_list_url",
}


@pytest.fixture(scope="module")
def vendors():
    return load_vendors()


def test_all_five_vendors_load_in_file_order(vendors):
    assert list(vendors) == VENDOR_IDS


@pytest.mark.parametrize("vendor_id", VENDOR_IDS)
def test_every_fact_has_a_source_an_as_of_date_and_a_status(vendors, vendor_id):
    for fact in vendors[vendor_id].facts:
        assert fact.source.strip()
        assert isinstance(fact.as_of, datetime.date) or fact.as_of.strip()
        assert fact.status in {"V", "S", "U"}
        assert fact.ref.startswith("CRM-")


@pytest.mark.parametrize("vendor_id", VENDOR_IDS)
def test_every_summary_field_is_backed_by_a_fact(vendors, vendor_id):
    profile = vendors[vendor_id]
    assert [name for name in FACT_BACKED_FIELDS if not profile.facts_for(name)] == []


def test_no_vendor_is_shown_as_dpf_listed_because_none_is_confirmed(vendors):
    assert {v.dpf_certified for v in vendors.values()} == {"not_confirmed"}
    for profile in vendors.values():
        assert {fact.status for fact in profile.facts_for("dpf_certified")} == {"U"}
        assert any("DPF List" in check for check in profile.review_checks), profile.id


def test_every_vendor_says_what_to_check_about_sub_processors(vendors):
    for profile in vendors.values():
        checks = " ".join(profile.review_checks).lower()
        assert "sub-processor" in checks and "notice" in checks, profile.id


def test_fact_refs_are_rows_of_the_legal_reference(vendors):
    rows = set(re.findall(r"^\| (CRM-[A-Z]+-[A-Z]+) \|", REFERENCE.read_text(encoding="utf-8"), re.M))
    used = {fact.ref for v in vendors.values() for fact in v.facts}
    assert used <= rows
    assert rows <= used, f"reference rows without a fact: {sorted(rows - used)}"


@pytest.mark.parametrize("vendor_id", VENDOR_IDS)
def test_prefill_values_are_within_the_answer_vocabularies(vendors, vendor_id):
    values = vendor_prefill(vendor_id)
    assert set(values) <= PREFILL_FIELDS
    assert re.fullmatch(r"[A-Z]{2}", values["crm.vendor_country"])
    assert values["crm.mfa_available"] in YES_NO
    assert values["crm.vendor_dpf_certified"] == "not_sure"
    assert values.get("crm.hosting_region", "not_sure") in HOSTING_VALUES
    for key in ("crm.vendor_dpa_url", "crm.subprocessor_list_url"):
        assert values.get(key, "https://").startswith("https://")


def test_prefill_values_are_accepted_by_the_answers_model():
    import dpakit.models as models

    for vendor_id in VENDOR_IDS:
        crm = {key.removeprefix("crm."): value for key, value in vendor_prefill(vendor_id).items()}
        models.Crm.model_validate({"vendor": vendor_id, **crm})


def test_hosting_region_is_prefilled_only_for_a_single_region_vendor(vendors):
    single = vendors["hubspot"].model_copy(update={"hosting_regions": ("EU",)})
    assert vendor_prefill("hubspot", {"hubspot": single})["crm.hosting_region"] == "EU"
    assert "crm.hosting_region" not in vendor_prefill("hubspot", vendors)


def test_unknown_urls_are_not_prefilled(vendors):
    assert "crm.subprocessor_list_url" not in vendor_prefill("pipedrive")
    assert "crm.vendor_dpa_url" not in vendor_prefill("zoho")
    assert vendor_prefill("hubspot")["crm.subprocessor_list_url"] == "https://legal.hubspot.com/sub-processors-page"


def test_other_vendor_prefills_nothing_and_an_unknown_vendor_is_an_error():
    assert vendor_prefill("other") == {}
    with pytest.raises(KeyError, match="acme"):
        vendor_prefill("acme")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("This Data Processing Addendum is between Customer and Salesforce, Inc.", "salesforce"),
        ("MICROSOFT PRODUCTS AND SERVICES DATA PROTECTION ADDENDUM (last updated …)", "dynamics365"),
        ("HubSpot Data Processing Agreement, part of the HubSpot Customer Terms", "hubspot"),
        ("Zoho Corporation Pvt. Ltd. Data Processing Addendum", "zoho"),
        ("Data processing agreement between Acme Ltd and Widget GmbH", None),
    ],
)
def test_a_vendor_dpa_is_recognised_by_its_phrases(text, expected):
    assert detect_vendor(text) == expected


def test_the_packaged_profiles_are_read_once_and_cannot_be_changed_by_a_caller():
    first = load_vendors()
    first.pop("zoho")
    assert "zoho" in load_vendors()


# ---- broken files ----


def vendor_text(**overrides: str) -> str:
    """The packaged Pipedrive profile as TOML, with some lines replaced."""
    source = VENDORS_FILE.read_text(encoding="utf-8")
    start = source.index('[[vendor]]\nid = "pipedrive"')
    end = source.index("[[vendor]]", start + 1)
    text = source[start:end]
    for old, new in overrides.items():
        assert old in text
        text = text.replace(old, new)
    return text


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({'name = "Pipedrive"\n': ""}, "name"),
        ({'mfa = "available"': 'mfa = "maybe"'}, "mfa"),
        ({'hosting_regions = ["EU", "US"]': 'hosting_regions = ["EU", "Mars"]'}, "hosting_regions"),
        ({'hosting_regions = ["EU", "US"]': 'hosting_regions = ["US"]'}, "eu_hosting"),
        ({'hq_country = "US"': 'hq_country = "USA"'}, "hq_country"),
        ({'key = "mfa"': 'key = "two_factor"'}, "no fact backs: mfa"),
        ({'status = "S"\nref = "CRM-PD-MFA"': 'status = "probably"\nref = "CRM-PD-MFA"'}, "status"),
        ({'"pipedrive.com/privacy"]': '"Pipedrive.com"]'}, "lower-case"),
    ],
    ids=["missing name", "bad mfa", "bad region", "eu flag contradicts regions", "bad country",
         "field without fact", "bad fact status", "upper-case phrase"],
)  # fmt: skip
def test_a_broken_vendor_names_the_file_and_the_vendor(tmp_path, overrides, message):
    path = tmp_path / "vendors.toml"
    path.write_text(vendor_text(**overrides), encoding="utf-8")
    with pytest.raises(ContentError) as info:
        load_vendors(path)
    assert info.value.item == "pipedrive"
    assert info.value.file.endswith("vendors.toml")
    assert message in str(info.value)


def test_a_duplicate_vendor_is_named(tmp_path):
    path = tmp_path / "vendors.toml"
    path.write_text(vendor_text() + vendor_text(), encoding="utf-8")
    with pytest.raises(ContentError, match="pipedrive: duplicate vendor id"):
        load_vendors(path)


def test_a_vendors_file_that_is_not_toml_is_named(tmp_path):
    path = tmp_path / "vendors.toml"
    path.write_text('[[vendor]\nid = "x"', encoding="utf-8")
    with pytest.raises(ContentError, match=r"vendors\.toml: not valid TOML"):
        load_vendors(path)


# --- pre-filling on vendor choice -------------------------------------------------------------------

from dpakit.models import Answers  # noqa: E402
from dpakit.vendors import prefill_changes, prefill_source  # noqa: E402


def _apply(answers, changes):
    for path, value in changes.items():
        answers = answers.with_value(path, value)
    return answers


def test_choosing_a_vendor_prefills_unanswered_fields_and_says_where_from():
    before = Answers()
    after = before.with_value("crm.vendor", "hubspot")
    changes = prefill_changes(before, after)
    assert changes["crm.vendor_country"] == "US"
    filled = _apply(after, changes)
    note = prefill_source(filled, "crm.vendor_country")
    assert note and "HubSpot" in note and "as of" in note


def test_a_users_own_answer_is_never_overwritten_by_a_prefill():
    before = Answers().with_value("crm.mfa_available", "no")
    after = before.with_value("crm.vendor", "salesforce")
    assert "crm.mfa_available" not in prefill_changes(before, after)


def test_switching_vendor_replaces_only_the_previous_vendors_prefills():
    first = Answers().with_value("crm.vendor", "hubspot")
    first = _apply(first, prefill_changes(Answers(), first))
    first = first.with_value("crm.vendor_dpa_url", "https://example.com/our-negotiated-dpa")
    second = first.with_value("crm.vendor", "zoho")
    changes = prefill_changes(first, second)
    assert changes["crm.vendor_country"] == "IN"
    assert "crm.vendor_dpa_url" not in changes  # the user's own URL stays
    assert changes.get("crm.subprocessor_list_url", "kept") is None  # HubSpot's list is not Zoho's


def test_an_overridden_prefill_no_longer_claims_to_come_from_the_profile():
    answers = Answers().with_value("crm.vendor", "hubspot").with_value("crm.vendor_country", "IE")
    assert prefill_source(answers, "crm.vendor_country") is None


def test_a_dpa_that_only_mentions_the_crm_product_is_not_taken_for_the_vendors_own():
    from dpakit.vendors import detect_vendor

    assert detect_vendor("The Processor runs campaigns in the Controller's HubSpot account.") is None
    assert detect_vendor("This Data Processing Agreement is entered into by HubSpot, Inc. and Customer.") == "hubspot"
