"""The answers model: everything a lawyer needs to know about an organisation's CRM use.

Each section is its own model; every field is optional because a questionnaire is filled in over time
(``None`` means "not answered yet"). Where a person may not know, ``"not_sure"`` is a valid answer and is
kept as such. Strings are cleaned here, once, so every later stage (scoring, drafting, review) can trust
them: control characters are removed and lengths are capped.

A field is addressed by its dotted path, ``"section.field"`` (e.g. ``"security.mfa_enforced"``); the
questionnaire, the condition language and the change log all use these paths.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated, Any, Final, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

SCHEMA_VERSION: Final = 1

# --- cleaned strings ------------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]|[\ud800-\udfff]")
_CONTROL_SINGLE_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff]|[\ud800-\udfff]")

SHORT_TEXT_MAX = 10_000
LONG_TEXT_MAX = 50_000


def clean_line(value: str) -> str:
    """One line of text: NFC, control characters (newlines too) removed, outer spaces trimmed."""
    value = unicodedata.normalize("NFC", value)
    return _CONTROL_SINGLE_LINE.sub("", value).strip()


def clean_text(value: str) -> str:
    """Multi-line text: NFC, control characters except tab and newline removed, line ends unified."""
    value = unicodedata.normalize("NFC", value.replace("\r\n", "\n").replace("\r", "\n"))
    return _CONTROL.sub("", value).strip()


# Invisible characters that change how a name *looks* (bidi embeddings, overrides and isolates; zero-width
# spaces; the byte-order mark): a name holding them can pass for another. Joiners (U+200C/U+200D) stay,
# scripts and emoji need them.
_INVISIBLE_IN_NAMES = re.compile(r"[\u200b\u202a-\u202e\u2060\u2066-\u2069\ufeff]")

NAME_MAX = 300
TITLE_MAX = 200


def clean_name(value: str) -> str:
    """A name or title: whitespace (tabs, line breaks) made single spaces, then ``clean_line`` (control
    characters removed) and invisible formatting characters removed."""
    value = clean_line(" ".join(value.split()))
    return " ".join(_INVISIBLE_IN_NAMES.sub("", value).split())


OrganisationName = Annotated[str, AfterValidator(clean_name), StringConstraints(min_length=1, max_length=NAME_MAX)]
"""An organisation's name as stored: one clean line, not blank, at most 300 characters."""

AssessmentTitle = Annotated[str, AfterValidator(clean_name), StringConstraints(min_length=1, max_length=TITLE_MAX)]
"""An assessment's title as stored: one clean line, not blank, at most 200 characters."""

ShortText = Annotated[
    str,
    AfterValidator(clean_line),
    StringConstraints(max_length=SHORT_TEXT_MAX),
]
Email = Annotated[
    str,
    AfterValidator(clean_line),
    StringConstraints(max_length=320, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$"),
]
"""An e-mail address: one ``@`` and a dot in the domain; deliverability is not checked."""

NonBlankText = Annotated[ShortText, StringConstraints(min_length=1)]
"""One line of text that is not empty *after* cleaning (``Field(min_length=1)`` would check the raw input)."""

LongText = Annotated[
    str,
    AfterValidator(clean_text),
    StringConstraints(max_length=LONG_TEXT_MAX),
]

# --- closed vocabularies -------------------------------------------------------------------------

NOT_SURE = "not_sure"
YesNo = Literal["yes", "no", "not_sure"]
NumberOrNotSure = Annotated[int, Field(ge=0, le=10**13)] | Literal["not_sure"]

CountryCode = Annotated[
    str,
    AfterValidator(lambda v: v.strip().upper()),
    StringConstraints(pattern=r"^[A-Z]{2}$"),
]
"""ISO 3166-1 alpha-2 code; checked against ``data/countries.toml`` by the jurisdiction layer."""

Place = Literal["EU", "US", "UK", "IN", "AU", "CA", "JP", "ZA", "CH", "BR", "other", "not_sure"]
"""Where data is hosted: a region as CRM vendors offer them (``EU`` = somewhere in the EU/EEA)."""

Market = Literal["eu", "uk", "us_ca", "us_other", "za", "br", "ch", "ca", "other"]
"""Where the people in the CRM are."""

Sector = Literal[
    "retail",
    "ecommerce",
    "software",
    "professional_services",
    "marketing_agency",
    "financial_services",
    "healthcare",
    "education",
    "hospitality",
    "manufacturing",
    "nonprofit",
    "public_sector",
    "other",
]
CrmVendor = Literal["salesforce", "hubspot", "pipedrive", "dynamics365", "zoho", "other"]
Integration = Literal[
    "email_marketing",
    "enrichment",
    "telephony",
    "chat",
    "analytics",
    "advertising",
    "forms",
    "other",
]
SubjectCategory = Literal[
    "customers",
    "prospects",
    "b2b_contacts",
    "website_visitors",
    "staff",
    "children",
    "suppliers",
    "end_users",
]
DataCategory = Literal[
    "identity",
    "contact",
    "transactions",
    "preferences",
    "behavioural",
    "location",
    "financial",
    "government_ids",
    "special_categories",
    "criminal",
]
SpecialCategory = Literal[
    "health",
    "racial_ethnic",
    "religion",
    "political",
    "trade_union",
    "genetic",
    "biometric",
    "sex_life",
]
RecordVolume = Literal["under_1k", "1k_10k", "10k_100k", "100k_1m", "over_1m", "not_sure"]
Source = Literal[
    "directly",
    "web_forms",
    "purchased_lists",
    "enrichment",
    "events",
    "referrals",
    "public_sources",
    "from_clients",
]
Purpose = Literal[
    "sales",
    "email_marketing",
    "sms_marketing",
    "phone_marketing",
    "profiling",
    "automated_decisions",
    "analytics",
    "customer_service",
    "advertising",
    "services_for_clients",
]
MarketingBasis = Literal["consent", "soft_opt_in", "legitimate_interests", "existing_customer", "not_sure"]
Mechanism = Literal["scc", "dpf", "uk_idta", "uk_addendum", "bcr", "popia_agreement", "consent", "none", "not_sure"]
Certification = Literal["iso27001", "soc2", "eu_cloud_coc", "cyber_essentials", "none", "not_sure"]
RequestChannel = Literal["email", "web_form", "phone", "post", "in_crm", "none"]
OurRole = Literal["controller", "processor"]
Duration = Literal["main_agreement_term", "fixed_period", "one_off"]
SubprocessorAuthorisation = Literal["general", "specific"]
CaConsumers = Literal["none", "under_100k", "over_100k", "not_sure"]


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True, str_strip_whitespace=False)


class Processor(BaseModel):
    """A processor or sub-processor: a vendor that handles the CRM data for us."""

    model_config = ConfigDict(extra="forbid")

    name: NonBlankText
    service: ShortText = ""
    country: CountryCode | None = None
    address: ShortText = ""
    dpf_certified: YesNo = "not_sure"
    dpa_in_place: YesNo = "not_sure"


class RetentionRule(BaseModel):
    """How long one category of data is kept."""

    model_config = ConfigDict(extra="forbid")

    category: NonBlankText
    period: NonBlankText


# --- sections ------------------------------------------------------------------------------------


class Organisation(_Section):
    legal_name: ShortText | None = None
    registration_number: ShortText | None = None
    address: LongText | None = None
    country: CountryCode | None = None
    other_establishments: list[CountryCode] | None = None
    sector: Sector | None = None
    staff_count: NumberOrNotSure | None = None
    annual_revenue_usd: NumberOrNotSure | None = None
    is_public_authority: YesNo | None = None
    privacy_contact_name: ShortText | None = None
    privacy_contact_email: Email | None = None
    has_dpo: YesNo | None = None
    dpo_name: ShortText | None = None
    dpo_email: Email | None = None
    eu_representative: ShortText | None = None
    uk_representative: ShortText | None = None


class Agreement(_Section):
    """The DPA to be drafted: who we are in it, and the other party."""

    our_role: OurRole | None = None
    counterparty_name: ShortText | None = None
    counterparty_address: LongText | None = None
    counterparty_country: CountryCode | None = None
    counterparty_contact_name: ShortText | None = None
    counterparty_contact_email: Email | None = None
    counterparty_dpf_certified: YesNo | None = None
    services: LongText | None = None
    main_agreement_name: ShortText | None = None
    duration: Duration | None = None
    subprocessor_authorisation: SubprocessorAuthorisation | None = None
    subprocessor_notice_days: Annotated[int, Field(ge=1, le=365)] | None = None
    breach_notice_hours: Annotated[int, Field(ge=1, le=720)] | None = None
    audit_notice_days: Annotated[int, Field(ge=1, le=365)] | None = None
    governing_law_country: CountryCode | None = None


class Crm(_Section):
    vendor: CrmVendor | None = None
    vendor_other_name: ShortText | None = None
    vendor_country: CountryCode | None = None
    hosting_region: Place | None = None
    accessed_from: list[CountryCode] | None = None
    vendor_dpa_accepted: YesNo | None = None
    vendor_dpf_certified: YesNo | None = None
    vendor_dpa_url: ShortText | None = None
    subprocessor_list_url: ShortText | None = None
    mfa_available: YesNo | None = None
    integrations: list[Integration] | None = None
    processors: list[Processor] | None = None


class DataAndPeople(_Section):
    subject_categories: list[SubjectCategory] | None = None
    data_categories: list[DataCategory] | None = None
    special_categories: list[SpecialCategory] | None = None
    special_category_safeguards: LongText | None = None
    record_volume: RecordVolume | None = None
    sources: list[Source] | None = None


class Purposes(_Section):
    purposes: list[Purpose] | None = None
    marketing_basis: MarketingBasis | None = None
    consent_records: YesNo | None = None
    opt_out_in_every_message: YesNo | None = None
    lawful_bases_documented: YesNo | None = None
    automated_decisions_significant: YesNo | None = None
    sells_or_shares_data: YesNo | None = None
    revenue_mostly_from_selling_data: YesNo | None = None
    honours_opt_out_signals: YesNo | None = None
    do_not_sell_link: YesNo | None = None


class Jurisdictions(_Section):
    markets: list[Market] | None = None
    monitors_eu_uk_behaviour: YesNo | None = None
    california_consumers: CaConsumers | None = None
    transfer_mechanisms: list[Mechanism] | None = None
    tia_done: YesNo | None = None
    # Choices in the EU Standard Contractual Clauses (Decision 2021/914). ``None`` = use the default the
    # transfer analysis proposes; a value here overrides it.
    scc_docking_clause: YesNo | None = None
    scc_clause9_option: SubprocessorAuthorisation | None = None
    scc_clause9_notice_days: Annotated[int, Field(ge=1, le=365)] | None = None
    scc_clause11_independent_body: YesNo | None = None
    scc_governing_law: CountryCode | None = None
    scc_forum: CountryCode | None = None


class Security(_Section):
    mfa_enforced: YesNo | None = None
    sso: YesNo | None = None
    least_privilege: YesNo | None = None
    access_reviews: YesNo | None = None
    offboarding: YesNo | None = None
    audit_logging: YesNo | None = None
    encryption_in_transit: YesNo | None = None
    encryption_at_rest: YesNo | None = None
    backups: YesNo | None = None
    restore_tested: YesNo | None = None
    export_restrictions: YesNo | None = None
    staff_training: YesNo | None = None
    vendor_certifications: list[Certification] | None = None
    incident_response_plan: YesNo | None = None
    breach_process: YesNo | None = None


class Rights(_Section):
    request_channels: list[RequestChannel] | None = None
    requests_tracked: YesNo | None = None
    identity_checks: YesNo | None = None
    can_find_person: YesNo | None = None
    can_export_person: YesNo | None = None
    can_delete_person: YesNo | None = None
    retention_defined: YesNo | None = None
    retention_rules: list[RetentionRule] | None = None
    automated_deletion: YesNo | None = None
    suppression_list: YesNo | None = None


class Accountability(_Section):
    records_of_processing: YesNo | None = None
    dpia_done: YesNo | None = None
    privacy_notice_covers_crm: YesNo | None = None
    vendor_reviews: YesNo | None = None


SECTION_MODELS: dict[str, type[_Section]] = {
    "organisation": Organisation,
    "agreement": Agreement,
    "crm": Crm,
    "data": DataAndPeople,
    "purposes": Purposes,
    "jurisdictions": Jurisdictions,
    "security": Security,
    "rights": Rights,
    "accountability": Accountability,
}


class Answers(BaseModel):
    """One organisation's answers, as saved, exported and imported."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    schema_version: Literal[1] = SCHEMA_VERSION
    organisation: Organisation = Field(default_factory=Organisation)
    agreement: Agreement = Field(default_factory=Agreement)
    crm: Crm = Field(default_factory=Crm)
    data: DataAndPeople = Field(default_factory=DataAndPeople)
    purposes: Purposes = Field(default_factory=Purposes)
    jurisdictions: Jurisdictions = Field(default_factory=Jurisdictions)
    security: Security = Field(default_factory=Security)
    rights: Rights = Field(default_factory=Rights)
    accountability: Accountability = Field(default_factory=Accountability)

    def get(self, path: str) -> Any:
        """The value at ``"section.field"`` (``None`` when unanswered)."""
        section, field = split_path(path)
        return getattr(getattr(self, section), field)

    def with_value(self, path: str, value: Any) -> Answers:
        """A copy with one field changed, validated; raises ``pydantic.ValidationError`` if invalid."""
        section, field = split_path(path)
        data = self.model_dump(mode="json")
        data[section][field] = value
        return Answers.model_validate(data)

    def flat(self) -> dict[str, Any]:
        """Every field as ``{"section.field": json-compatible value}``."""
        data = self.model_dump(mode="json")
        return {f"{section}.{field}": value for section in SECTION_MODELS for field, value in data[section].items()}


def split_path(path: str) -> tuple[str, str]:
    section, _, field = path.partition(".")
    model = SECTION_MODELS.get(section)
    if model is None or field not in model.model_fields:
        raise KeyError(f"no answer field {path!r}")
    return section, field


def field_paths() -> list[str]:
    """Every answer field path, in model order."""
    return [f"{s}.{f}" for s, model in SECTION_MODELS.items() for f in model.model_fields]


def field_annotation(path: str) -> Any:
    section, field = split_path(path)
    return SECTION_MODELS[section].model_fields[field].annotation
