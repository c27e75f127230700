"""The DPA's annexes, from the answers: parties (I), the processing (II), security measures (III), sub-processors (IV).

Pure functions over ``Answers``; the wording is ours and sits here (not in the questionnaire, whose labels
speak to the person answering, not to the lawyer reading the contract). Two rules:

* **Annex III lists only measures confirmed to be in place** (answer ``"yes"``). Every other measure —
  answered "no", "not sure" or not at all — is returned in ``missing_measures`` for the user to act on,
  and is never written into the document as if present.
* Missing facts are shown as bracketed gaps (``"[to be completed: …]"``) that a reviewer cannot miss,
  never invented.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..errors import InputError
from ..jurisdictions import country_name
from ..models import Answers

GAP = "[to be completed: {}]"


def gap(what: str) -> str:
    return GAP.format(what)


def words(items: Iterable[str]) -> str:
    """``["a", "b", "c"]`` → ``"a, b and c"``."""
    items = [i for i in items if i]
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " and " + items[-1]


def sentence_case(text: str) -> str:
    return text[:1].upper() + text[1:]


def one_line(text: str | None) -> str:
    """A multi-line address as one line."""
    if not text:
        return ""
    return ", ".join(part.strip() for part in text.splitlines() if part.strip())


def place(code: str | None) -> str:
    if not code:
        return ""
    try:
        return country_name(code)
    except InputError:  # an unknown code is shown as given rather than failing the draft
        return code


_WITH_ARTICLE = (
    "United ",
    "Netherlands",
    "Czech Republic",
    "Philippines",
    "Bahamas",
    "Gambia",
    "Maldives",
    "Central African Republic",
    "Dominican Republic",
    "Holy See",
    "Isle of Man",
)


def law_of(code: str | None) -> str:
    """A country as it follows "the law of" / "the courts of" in a clause.

    Adds "the" where English needs it ("the United Kingdom"); for the United States, whose contract law
    is state law, leaves the state as a visible gap; for the United Kingdom, names England and Wales.
    """
    if not code:
        return ""
    if code == "US":
        return "the State of [to be completed: which US state], United States"
    if code == "GB":  # three legal systems; England and Wales is the usual commercial choice
        return "England and Wales"
    name = place(code)
    return f"the {name}" if name.startswith(_WITH_ARTICLE) else name


# --- document wording for answer values ------------------------------------------------------------

SUBJECTS = {
    "customers": "customers",
    "prospects": "prospective customers (prospects and leads)",
    "b2b_contacts": "contact persons at business customers, prospects and partners",
    "website_visitors": "visitors to websites and users of online forms",
    "staff": "employees and other staff",
    "children": "children",
    "suppliers": "contact persons at suppliers",
    "end_users": "end customers and contacts of the Controller",
}
DATA = {
    "identity": "identification data (such as name, job title and employer)",
    "contact": "contact details (such as e-mail address, telephone number and postal address)",
    "transactions": "purchase, order and contract history",
    "preferences": "preferences, interests and marketing permissions",
    "behavioural": "interaction and behavioural data (such as e-mail opens, clicks and website visits)",
    "location": "location data",
    "financial": "financial and payment data",
    "government_ids": "government identification numbers",
    "special_categories": "special categories of personal data (see the sensitive data row)",
    "criminal": "data relating to criminal convictions and offences",
}
SPECIAL = {
    "health": "health data",
    "racial_ethnic": "data revealing racial or ethnic origin",
    "religion": "data revealing religious or philosophical beliefs",
    "political": "data revealing political opinions",
    "trade_union": "data revealing trade-union membership",
    "genetic": "genetic data",
    "biometric": "biometric data used to identify a person",
    "sex_life": "data concerning sex life or sexual orientation",
}
PURPOSES = {
    "sales": "managing sales activities, leads and customer accounts",
    "email_marketing": "sending marketing e-mails",
    "sms_marketing": "sending marketing text messages",
    "phone_marketing": "marketing by telephone",
    "profiling": "profiling and lead scoring",
    "automated_decisions": "automated decision-making",
    "analytics": "reporting and analytics",
    "customer_service": "customer service and support",
    "advertising": "online advertising and audience targeting",
    "services_for_clients": "providing services to the Controller's own clients",
}
DURATION = {
    "main_agreement_term": "for the term of the Main Agreement and, after it ends, until the Personal Data "
    "has been returned or deleted",
    "fixed_period": "for the fixed period agreed in the Main Agreement and, after it ends, until the "
    "Personal Data has been returned or deleted",
    "one_off": "for the single project described in the Main Agreement, until the Personal Data has been "
    "returned or deleted",
}
HOSTING = {
    "EU": "the European Union / European Economic Area",
    "US": "the United States",
    "UK": "the United Kingdom",
    "IN": "India",
    "AU": "Australia",
    "CA": "Canada",
    "JP": "Japan",
    "ZA": "South Africa",
    "CH": "Switzerland",
    "BR": "Brazil",
    "other": "a region not stated in the questionnaire",
    "not_sure": "a region not yet confirmed",
}
CERTIFICATIONS = {
    "iso27001": "ISO/IEC 27001",
    "soc2": "SOC 2",
    "eu_cloud_coc": "the EU Cloud Code of Conduct",
    "cyber_essentials": "Cyber Essentials",
}
VENDORS = {
    "salesforce": "Salesforce",
    "hubspot": "HubSpot",
    "pipedrive": "Pipedrive",
    "dynamics365": "Microsoft Dynamics 365",
    "zoho": "Zoho CRM",
}


@dataclass(frozen=True)
class Measure:
    """A security measure: the answer field that confirms it, its area, and the sentence for Annex III."""

    field: str
    area: str
    text: str
    short: str


MEASURES: tuple[Measure, ...] = (
    Measure(
        "security.mfa_enforced",
        "Access control",
        "Multi-factor authentication is enforced for every user account with access to the Personal Data.",
        "multi-factor authentication enforced for every user",
    ),
    Measure(
        "security.sso",
        "Access control",
        "Users sign in through single sign-on, so access is granted and withdrawn centrally.",
        "single sign-on",
    ),
    Measure(
        "security.least_privilege",
        "Access control",
        "Access rights follow the least-privilege principle: each user can see and change only the "
        "records and functions that the user's role needs.",
        "least-privilege access rights",
    ),
    Measure(
        "security.access_reviews",
        "Access control",
        "User accounts and access rights are reviewed at regular intervals and removed where no longer needed.",
        "regular access reviews",
    ),
    Measure(
        "security.offboarding",
        "Access control",
        "Accounts of people who leave or change role are disabled or adjusted promptly under a documented "
        "leaver process.",
        "prompt removal of leavers' access",
    ),
    Measure(
        "security.audit_logging",
        "Logging and monitoring",
        "Sign-ins, exports and changes to records are logged, and the logs are kept and reviewed.",
        "audit logging of sign-ins, exports and changes",
    ),
    Measure(
        "security.encryption_in_transit",
        "Encryption",
        "Personal Data is encrypted in transit over public networks using current TLS.",
        "encryption in transit",
    ),
    Measure(
        "security.encryption_at_rest",
        "Encryption",
        "Personal Data is encrypted at rest in the systems that store it.",
        "encryption at rest",
    ),
    Measure(
        "security.backups",
        "Availability and resilience",
        "Personal Data is backed up regularly to a separate location.",
        "regular back-ups",
    ),
    Measure(
        "security.restore_tested",
        "Availability and resilience",
        "Restoring Personal Data from back-up is tested at regular intervals.",
        "tested restores from back-up",
    ),
    Measure(
        "security.export_restrictions",
        "Data export",
        "Bulk export of records is limited to named roles that need it.",
        "restricted bulk export",
    ),
    Measure(
        "security.staff_training",
        "People",
        "Staff with access to Personal Data are trained in data protection and security when they start "
        "and at regular intervals.",
        "data protection and security training for staff",
    ),
    Measure(
        "security.incident_response_plan",
        "Incident management",
        "A documented incident response plan sets out how security incidents are contained, investigated "
        "and recovered from.",
        "documented incident response plan",
    ),
    Measure(
        "security.breach_process",
        "Incident management",
        "A documented process is in place to assess, record and notify Personal Data Breaches within the "
        "time limits of this DPA and the Data Protection Laws.",
        "personal data breach process",
    ),
)


@dataclass(frozen=True)
class MeasureRow:
    area: str
    measure: str


@dataclass(frozen=True)
class MissingMeasure:
    """A measure not confirmed to be in place: not in Annex III, reported to the user instead."""

    field: str
    measure: str
    answer: str  # "no", "not_sure" or "not answered"

    def sentence(self) -> str:
        state = {"no": "answered “no”", "not_sure": "answered “not sure”"}.get(self.answer, "not answered")
        return f"{sentence_case(self.measure)} ({self.field}: {state}) — not written into Annex III."


def measures_in_place(answers: Answers) -> list[MeasureRow]:
    """Annex III rows, one per area (measures on separate lines): only measures answered "yes", plus
    certifications actually held."""
    by_area: dict[str, list[str]] = {}
    for m in MEASURES:
        if answers.get(m.field) == "yes":
            by_area.setdefault(m.area, []).append(m.text)
    rows = [MeasureRow(area, "\n".join(texts)) for area, texts in by_area.items()]
    held = [CERTIFICATIONS[c] for c in (answers.security.vendor_certifications or []) if c in CERTIFICATIONS]
    if held:
        rows.append(
            MeasureRow(
                "Certification",
                f"The provider of the systems holding the Personal Data is certified to "
                f"{words(held)}; the certificates are available on request.",
            )
        )
    return rows


def missing_measures(answers: Answers) -> list[MissingMeasure]:
    """Every measure of ``MEASURES`` not confirmed to be in place, in a fixed order."""
    missing = []
    for m in MEASURES:
        value = answers.get(m.field)
        if value != "yes":
            missing.append(MissingMeasure(m.field, m.short, value if value in ("no", "not_sure") else "not answered"))
    return missing


# --- Annex II ---------------------------------------------------------------------------------------


def crm_name(answers: Answers) -> str:
    vendor = answers.crm.vendor
    if vendor == "other":
        return answers.crm.vendor_other_name or "the CRM system"
    return VENDORS.get(vendor or "", "") or "the CRM system"


def data_subjects(answers: Answers) -> str:
    values = answers.data.subject_categories or []
    return sentence_case(words(SUBJECTS[v] for v in values)) if values else gap("categories of data subjects")


def data_categories(answers: Answers) -> str:
    values = answers.data.data_categories or []
    return sentence_case(words(DATA[v] for v in values)) if values else gap("categories of personal data")


def special_categories(answers: Answers) -> str:
    values = answers.data.special_categories or []
    extra = [v for v in (answers.data.data_categories or []) if v == "criminal"]
    text = words([*(SPECIAL[v] for v in values), *(DATA[v] for v in extra)])
    return sentence_case(text) if text else "None"


def safeguards(answers: Answers) -> str:
    if special_categories(answers) == "None":
        return "Not applicable: no sensitive data is processed."
    given = answers.data.special_category_safeguards
    return given if given else gap("the restrictions and safeguards applied to sensitive data")


def purposes(answers: Answers) -> str:
    values = answers.purposes.purposes or []
    return sentence_case(words(PURPOSES[v] for v in values)) if values else gap("purposes of the processing")


def retention(answers: Answers) -> str:
    rules = answers.rights.retention_rules or []
    if rules:
        return "; ".join(f"{r.category}: {r.period}" for r in rules)
    return gap("retention periods, or the criteria used to set them")


def duration(answers: Answers) -> str:
    value = answers.agreement.duration
    return DURATION[value] if value else gap("duration of the processing")


def hosting(answers: Answers) -> str:
    region = answers.crm.hosting_region
    return HOSTING[region] if region else "a region not yet confirmed"


def location(answers: Answers) -> str:
    text = f"{crm_name(answers)}, hosted in {hosting(answers)}"
    access = [place(c) for c in answers.crm.accessed_from or []]
    if access:
        text += f"; accessed from {words(access)}"
    return text


def frequency(answers: Answers) -> str:
    if answers.agreement.duration == "one_off":
        return "One-off, for the project described in the Main Agreement."
    return "Continuous, for as long as the Services are provided."


@dataclass(frozen=True)
class Processing:
    data_subjects: str
    data_categories: str
    sensitive: str
    safeguards: str
    subject_matter: str
    nature: str
    purposes: str
    duration: str
    retention: str
    frequency: str
    location: str


def processing(answers: Answers) -> Processing:
    crm = crm_name(answers)
    services = answers.agreement.services
    return Processing(
        data_subjects=data_subjects(answers),
        data_categories=data_categories(answers),
        sensitive=special_categories(answers),
        safeguards=safeguards(answers),
        subject_matter=(
            f"The performance of the Services: {services}" if services else "The performance of the Services."
        ),
        nature=(
            f"Collecting, recording, organising, storing, retrieving, consulting, using, updating, "
            f"exporting, transmitting and erasing Personal Data held in or exchanged with {crm}."
        ),
        purposes=purposes(answers),
        duration=sentence_case(duration(answers)) if answers.agreement.duration else duration(answers),
        retention=retention(answers),
        frequency=frequency(answers),
        location=location(answers),
    )


# --- Annex IV -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SubprocessorRow:
    name: str
    service: str
    country: str
    address: str


def subprocessors(answers: Answers) -> list[SubprocessorRow]:
    """Sub-processors authorised at signature: known only when *we* are the processor (our own vendors).

    When we are the controller, the processor's sub-processors are the processor's to list; the annex then
    says so (see ``subprocessors_intro``) instead of listing our own vendors as if they were the processor's.
    """
    if answers.agreement.our_role != "processor":
        return []
    counterparty = (answers.agreement.counterparty_name or "").casefold()
    return [
        SubprocessorRow(
            p.name,
            p.service or gap("processing carried out"),
            place(p.country) or gap("location"),
            p.address or gap("address"),
        )
        for p in answers.crm.processors or []
        if p.name.casefold() != counterparty
    ]


def subprocessors_intro(answers: Answers) -> str:
    if answers.agreement.our_role == "processor":
        if subprocessors(answers):
            return (
                "The Controller authorises the following Sub-processors, engaged by the Processor at the "
                "date of this DPA."
            )
        return "The Processor engages no Sub-processor at the date of this DPA."
    text = (
        "[To be completed by the Processor before signature: the name, address, contact person and "
        "processing of each Sub-processor it engages.]"
    )
    if answers.crm.subprocessor_list_url and _counterparty_is_crm_vendor(answers):
        text += f" The Processor publishes its list at {answers.crm.subprocessor_list_url}."
    return text


def _counterparty_is_crm_vendor(answers: Answers) -> bool:
    name = (answers.agreement.counterparty_name or "").casefold()
    vendor = crm_name(answers).casefold()
    return bool(name) and vendor.split()[0] in name


__all__ = [
    "MEASURES",
    "Measure",
    "MeasureRow",
    "MissingMeasure",
    "Processing",
    "SubprocessorRow",
    "crm_name",
    "gap",
    "hosting",
    "law_of",
    "measures_in_place",
    "missing_measures",
    "one_line",
    "place",
    "processing",
    "subprocessors",
    "subprocessors_intro",
    "words",
]
