"""The answers model: everything a lawyer needs to know about an organisation's CRM use.

Each section is its own model; every field is optional because a questionnaire is filled in over time
(``None`` means "not answered yet"). Where a person may not know, ``"not_sure"`` is a valid answer and is
kept as such. Strings are cleaned here, once, so every later stage (scoring, drafting, review) can trust
them: control characters are removed and lengths are capped.

A field is addressed by its dotted path, ``"section.field"`` (e.g. ``"security.mfa_enforced"``); the
questionnaire, the condition language and the change log all use these paths.

An assessment holds the organisation-wide answers once and **one or more agreements**
(``Answers.agreements``), each one processing relationship that a DPA is drafted for. An agreement's field
is addressed as ``"agreements.<id>.field"``; ``"agreement.field"`` means the field of the agreement in focus
(``Answers.focused(id)``; the first agreement unless another is chosen), so the questionnaire, the facts and
the clause conditions read "this agreement" without knowing which one it is.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated, Any, Final, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PrivateAttr, StringConstraints, model_validator

SCHEMA_VERSION: Final = 2

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

GermanLand = Literal[
    "DE-BW", "DE-BY", "DE-BE", "DE-BB", "DE-HB", "DE-HH", "DE-HE", "DE-MV",
    "DE-NI", "DE-NW", "DE-RP", "DE-SL", "DE-SN", "DE-ST", "DE-SH", "DE-TH",
]  # fmt: skip
"""A German Land by its ISO 3166-2 code (``"DE-BY"``): it names the competent authority
(``data/authorities.toml``)."""

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
    "accounting",
]
MarketingBasis = Literal["consent", "soft_opt_in", "legitimate_interests", "existing_customer", "not_sure"]
Mechanism = Literal["scc", "dpf", "uk_idta", "uk_addendum", "bcr", "popia_agreement", "consent", "none", "not_sure"]
Certification = Literal["iso27001", "soc2", "eu_cloud_coc", "cyber_essentials", "none", "not_sure"]
RequestChannel = Literal["email", "web_form", "phone", "post", "in_crm", "none"]
OurRole = Literal["controller", "processor"]
Duration = Literal["main_agreement_term", "fixed_period", "one_off"]
SubprocessorAuthorisation = Literal["general", "specific"]
CaConsumers = Literal["none", "under_100k", "over_100k", "not_sure"]
Access = Literal["read_only", "user", "administrator", "api"]
"""How the counterparty reaches the data: reads it, works in it as a user, administers it, or by API."""
RetentionChoice = Literal["during_service", "fixed_period", "not_sure"]
Confirmed = Literal["yes", "no", "not_confirmed"]
"""A measure the counterparty says it has: ``not_confirmed`` = asked, not yet confirmed by the counterparty."""
NOT_CONFIRMED = "not_confirmed"

AgreementId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$")]
"""An agreement's id: a short lowercase slug (``"call-centre"``), unique in its assessment, never changed."""


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
    german_land: GermanLand | None = None
    has_eu_representative: YesNo | None = None
    eu_representative: ShortText | None = None
    eu_representative_country: CountryCode | None = None
    uk_representative: ShortText | None = None


PROCESSOR_MEASURES: Final = (
    "processor_access_control",
    "processor_mfa",
    "processor_encryption_in_transit",
    "processor_encryption_at_rest",
    "processor_backups",
    "processor_logging",
    "processor_staff_confidentiality",
    "processor_incident_response",
    "processor_testing",
)
"""The processor's own security measures in this relationship (``Confirmed``): asked of the counterparty when
we are the controller, our own when we are the processor. They fill Annex III, never the CRM vendor's."""

SCOPE_FIELDS: Final = {
    "scope_purposes": "purposes.purposes",
    "scope_data_categories": "data.data_categories",
    "scope_special_categories": "data.special_categories",
    "scope_subject_categories": "data.subject_categories",
    "scope_sources": "data.sources",
}
"""An agreement's scope field -> the organisation-wide answer it is a subset of."""


class Agreement(_Section):
    """One processing relationship and the DPA drafted for it: who we are in it, the other party, what of
    our processing that party touches, its own measures and sub-processors, and the business terms."""

    id: AgreementId = "main"
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
    # What of the organisation's processing this counterparty touches: subsets of the organisation's own
    # answers (SCOPE_FIELDS), none pre-selected. ``scope_confirmed = "no"`` marks a scope copied from the
    # whole organisation (an upgraded version-1 assessment) that still has to be narrowed.
    scope_purposes: list[Purpose] | None = None
    scope_data_categories: list[DataCategory] | None = None
    scope_special_categories: list[SpecialCategory] | None = None
    scope_subject_categories: list[SubjectCategory] | None = None
    scope_sources: list[Source] | None = None
    scope_confirmed: YesNo | None = None
    access: list[Access] | None = None
    processes_in: list[CountryCode] | None = None
    accessed_from: list[CountryCode] | None = None
    retention: RetentionChoice | None = None
    retention_period: ShortText | None = None
    subprocessors: list[Processor] | None = None
    # The processor's own measures (PROCESSOR_MEASURES; "not_confirmed" until the processor confirms them).
    processor_access_control: Confirmed | None = None
    processor_mfa: Confirmed | None = None
    processor_encryption_in_transit: Confirmed | None = None
    processor_encryption_at_rest: Confirmed | None = None
    processor_backups: Confirmed | None = None
    processor_logging: Confirmed | None = None
    processor_staff_confidentiality: Confirmed | None = None
    processor_incident_response: Confirmed | None = None
    processor_testing: Confirmed | None = None
    processor_certifications: list[Certification] | None = None
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
    people_eu_countries: list[CountryCode] | None = None
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
"""Every section by its path prefix; ``"agreement"`` is the agreement in focus (one of ``agreements``)."""

ORGANISATION_SECTIONS: Final = tuple(s for s in SECTION_MODELS if s != "agreement")
"""The sections an assessment holds once, organisation-wide."""


def upgrade_v1(data: dict[str, Any]) -> dict[str, Any]:
    """A version-1 answers dict as version 2: its one ``agreement`` becomes ``agreements[0]`` (id ``"main"``).

    Version 1 drafted every DPA for the whole organisation's processing, so the upgraded agreement's scope
    is the organisation's own answers, marked ``scope_confirmed = "no"`` ("copied from the whole
    organisation; narrow it to what this counterparty touches"); nothing the user saved is dropped.
    """
    out = {key: value for key, value in data.items() if key != "agreement"}
    agreement = dict(data.get("agreement") or {}) if isinstance(data.get("agreement"), dict) else {}
    agreement = {"id": "main", **agreement}
    copied = False
    for field, org_path in SCOPE_FIELDS.items():
        section, org_field = org_path.split(".")
        value = (data.get(section) or {}).get(org_field) if isinstance(data.get(section), dict) else None
        if value is not None and field not in agreement:
            agreement[field] = value
            copied = True
    if copied and "scope_confirmed" not in agreement:
        agreement["scope_confirmed"] = "no"
    # Version 1 drafted a processor's DPA with all its own suppliers as sub-processors: keep that list.
    crm: dict[str, Any] = data["crm"] if isinstance(data.get("crm"), dict) else {}
    if agreement.get("our_role") == "processor" and crm.get("processors") and "subprocessors" not in agreement:
        agreement["subprocessors"] = crm["processors"]
    out["agreements"] = [agreement]
    out["schema_version"] = 2
    return out


UPGRADES: dict[int, Any] = {1: upgrade_v1}
"""Schema version -> the function upgrading a dict of that version to the next."""


def upgrade(data: Any) -> Any:
    """``data`` upgraded to ``SCHEMA_VERSION`` when it is an older answers dict; anything else unchanged
    (validation then says what is wrong with it)."""
    if not isinstance(data, dict):
        return data
    # A dict without a version that has version 1's single ``agreement`` is version 1 (hand-written data).
    version = data.get("schema_version", 1 if "agreement" in data and "agreements" not in data else SCHEMA_VERSION)
    while isinstance(version, int) and not isinstance(version, bool) and version in UPGRADES:
        data = UPGRADES[version](data)
        version = data["schema_version"]
    return data


class Answers(BaseModel):
    """One organisation's answers, as saved, exported and imported: the organisation-wide sections once,
    and one or more agreements (processing relationships), one of them in focus."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    schema_version: Literal[2] = SCHEMA_VERSION
    organisation: Organisation = Field(default_factory=Organisation)
    crm: Crm = Field(default_factory=Crm)
    data: DataAndPeople = Field(default_factory=DataAndPeople)
    purposes: Purposes = Field(default_factory=Purposes)
    jurisdictions: Jurisdictions = Field(default_factory=Jurisdictions)
    security: Security = Field(default_factory=Security)
    rights: Rights = Field(default_factory=Rights)
    accountability: Accountability = Field(default_factory=Accountability)
    agreements: Annotated[list[Agreement], Field(min_length=1, max_length=200)] = Field(
        default_factory=lambda: [Agreement()]
    )
    _focus: str | None = PrivateAttr(default=None)

    @model_validator(mode="before")
    @classmethod
    def _upgrade(cls, data: Any) -> Any:
        return upgrade(data)

    @model_validator(mode="after")
    def _unique_ids(self) -> Answers:
        ids = [a.id for a in self.agreements]
        doubled = sorted({i for i in ids if ids.count(i) > 1})
        if doubled:
            raise ValueError(f"agreement id {doubled[0]!r} is used twice; each agreement needs its own id")
        return self

    def __eq__(self, other: object) -> bool:
        # The same answers are equal whichever agreement is in focus.
        return isinstance(other, Answers) and self.__dict__ == other.__dict__

    __hash__ = None  # type: ignore[assignment]

    # --- agreements ---------------------------------------------------------------------------------

    @property
    def agreement_ids(self) -> list[str]:
        return [a.id for a in self.agreements]

    @property
    def focus(self) -> str:
        """The id of the agreement in focus (``"agreement.field"`` paths read it)."""
        if self._focus is not None and self._focus in self.agreement_ids:
            return self._focus
        return self.agreements[0].id

    @property
    def agreement(self) -> Agreement:
        """The agreement in focus."""
        return self.agreement_by_id(self.focus)

    def agreement_by_id(self, agreement_id: str) -> Agreement:
        for agreement in self.agreements:
            if agreement.id == agreement_id:
                return agreement
        raise KeyError(f"no agreement {agreement_id!r}")

    def focused(self, agreement_id: str) -> Answers:
        """The same answers with ``agreement_id`` in focus (``KeyError`` if there is no such agreement)."""
        self.agreement_by_id(agreement_id)
        copy = self.model_copy()
        copy._focus = agreement_id
        return copy

    def with_agreement(self, agreement: Agreement) -> Answers:
        """A copy with ``agreement`` added (or replacing the one with its id), in focus."""
        data = self.model_dump(mode="json")
        new = agreement.model_dump(mode="json")
        ids = [a["id"] for a in data["agreements"]]
        if new["id"] in ids:
            data["agreements"][ids.index(new["id"])] = new
        else:
            data["agreements"].append(new)
        return Answers.model_validate(data).focused(agreement.id)

    def without_agreement(self, agreement_id: str) -> Answers:
        """A copy without that agreement (``ValueError`` if it is the last one)."""
        self.agreement_by_id(agreement_id)
        if len(self.agreements) == 1:
            raise ValueError("an assessment keeps at least one agreement")
        data = self.model_dump(mode="json")
        data["agreements"] = [a for a in data["agreements"] if a["id"] != agreement_id]
        return Answers.model_validate(data)

    def new_agreement_id(self, name: str = "") -> str:
        """A fresh id for an agreement named ``name``: its slug, made unique in this assessment."""
        return unique_agreement_id(name, self.agreement_ids)

    # --- paths --------------------------------------------------------------------------------------

    def _resolve(self, path: str) -> tuple[str, str | None, str]:
        section, agreement_id, field = parse_path(path)
        if section == "agreement" and agreement_id is None:
            agreement_id = self.focus
        return section, agreement_id, field

    def get(self, path: str) -> Any:
        """The value at ``"section.field"`` or ``"agreements.<id>.field"`` (``None`` when unanswered)."""
        section, agreement_id, field = self._resolve(path)
        if agreement_id is not None:
            return getattr(self.agreement_by_id(agreement_id), field)
        return getattr(getattr(self, section), field)

    def with_value(self, path: str, value: Any) -> Answers:
        """A copy with one field changed, validated; raises ``pydantic.ValidationError`` if invalid (and
        ``KeyError`` for an unknown path or agreement). The focus is kept."""
        section, agreement_id, field = self._resolve(path)
        data = self.model_dump(mode="json")
        if agreement_id is not None:
            ids = [a["id"] for a in data["agreements"]]
            if agreement_id not in ids:
                raise KeyError(f"no agreement {agreement_id!r}")
            data["agreements"][ids.index(agreement_id)][field] = value
        else:
            data[section][field] = value
        out = Answers.model_validate(data)
        out._focus = self._focus
        return out

    def flat(self) -> dict[str, Any]:
        """Every field as ``{"section.field": json-compatible value}``, the agreement in focus as
        ``"agreement.field"``: the answers as the questionnaire, the facts and the conditions read them."""
        data = self.model_dump(mode="json")
        focus = self.agreement.model_dump(mode="json")
        out: dict[str, Any] = {}
        for section in SECTION_MODELS:
            values = focus if section == "agreement" else data[section]
            for field, value in values.items():
                if not (section == "agreement" and field == "id"):
                    out[f"{section}.{field}"] = value
        return out

    def flat_all(self) -> dict[str, Any]:
        """Every field of every agreement: organisation-wide ``"section.field"`` and
        ``"agreements.<id>.field"``, as the change log and comparisons record them."""
        data = self.model_dump(mode="json")
        out: dict[str, Any] = {}
        for section in SECTION_MODELS:
            if section == "agreement":
                for agreement in data["agreements"]:
                    for field, value in agreement.items():
                        if field != "id":
                            out[f"agreements.{agreement['id']}.{field}"] = value
            else:
                for field, value in data[section].items():
                    out[f"{section}.{field}"] = value
        return out


_LEGAL_FORMS: Final = frozenset(
    "pty ltd limited llc inc incorporated plc gmbh ag bv nv sa sarl sas srl spa oy ab as co corp company".split()
)


def _name_words(name: str | None) -> list[str]:
    folded = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode().lower()
    return [w for w in re.findall(r"[a-z0-9]+", folded[:400]) if w not in _LEGAL_FORMS]


def dpa_file_name(organisation: str | None, counterparty: str | None, agreement_id: str, suffix: str = ".docx") -> str:
    """A DPA's file name for one agreement, ``dpa-<organisation>-<counterparty>.docx`` (the organisation's first
    word, the counterparty's first three, legal forms left out: ``dpa-fynbos-table-mountain-digital.docx``), as
    the documents page and ``python -m dpakit draft`` name it; the agreement id stands in for a counterparty
    without a name."""
    parts = ["dpa", *_name_words(organisation)[:1], *(_name_words(counterparty)[:3] or [agreement_id])]
    return "-".join(parts) + suffix


def slug(name: str) -> str:
    """Lowercase ASCII letters and digits joined by single hyphens, at most 40 characters."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    parts = re.findall(r"[a-z0-9]+", folded[:400])
    return "-".join(parts)[:40].strip("-")


def unique_agreement_id(name: str, taken: list[str]) -> str:
    """``slug(name)`` (or ``"agreement"``), with ``-2``, ``-3``… added until it is not in ``taken``."""
    base = slug(name)[:36].strip("-") or "agreement"
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def parse_path(path: str) -> tuple[str, str | None, str]:
    """``"section.field"`` -> (section, None, field); ``"agreements.<id>.field"`` -> ("agreement", id, field).
    ``KeyError`` for anything that is not an answer field."""
    if path.startswith("agreements."):
        _, agreement_id, field = path.split(".", 2) if path.count(".") >= 2 else (path, "", "")
        if not agreement_id or field not in Agreement.model_fields or field == "id":
            raise KeyError(f"no answer field {path!r}")
        return "agreement", agreement_id, field
    section, _, field = path.partition(".")
    model = SECTION_MODELS.get(section)
    if model is None or field not in model.model_fields or (section == "agreement" and field == "id"):
        raise KeyError(f"no answer field {path!r}")
    return section, None, field


def split_path(path: str) -> tuple[str, str]:
    """(section, field) of an answer path; an agreement's field (of any agreement) is in section
    ``"agreement"``."""
    section, _, field = parse_path(path)
    return section, field


def agreement_path(agreement_id: str, path: str) -> str:
    """``"agreement.field"`` of one agreement: ``"agreements.<id>.field"``; any other path unchanged."""
    section, _, field = parse_path(path)
    return f"agreements.{agreement_id}.{field}" if section == "agreement" else path


def field_paths() -> list[str]:
    """Every answer field path, in model order (an agreement's as ``"agreement.field"``)."""
    return [
        f"{s}.{f}"
        for s, model in SECTION_MODELS.items()
        for f in model.model_fields
        if not (s == "agreement" and f == "id")
    ]


def field_annotation(path: str) -> Any:
    section, field = split_path(path)
    return SECTION_MODELS[section].model_fields[field].annotation
