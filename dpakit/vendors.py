"""CRM vendor profiles: facts about Salesforce, HubSpot, Pipedrive, Dynamics 365 and Zoho CRM.

The profiles are data (``dpakit/data/vendors.toml``). Each summary field (hosting, MFA, DPA URL, …)
is backed by one or more ``facts`` entries that give the source, as-of date, verification status
(V/S/U) and the ``CRM-*`` row of the legal reference, so the app can show where a value came from.
Choosing a vendor pre-fills a few answers (``vendor_prefill``); the user can change them.
"""

from __future__ import annotations

import datetime
import functools
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from .content import DATA_DIR, display_path, ensure_unique, read_toml, validate_item

VENDORS_FILE = DATA_DIR / "vendors.toml"

Region = Literal["EU", "US", "UK", "IN", "AU", "CA", "JP", "ZA", "other"]
Mfa = Literal["enforced_by_default", "can_enforce", "available", "not_sure"]
DpfListing = Literal["listed", "not_listed", "not_confirmed"]

# Summary fields that must each be backed by at least one fact.
FACT_BACKED_FIELDS = (
    "hq_country",
    "hosting_regions",
    "eu_hosting",
    "dpa_url",
    "subprocessor_url",
    "mfa",
    "dpf_certified",
    "dpa_includes_sccs",
)

_MFA_ANSWER = {"enforced_by_default": "yes", "can_enforce": "yes", "available": "yes", "not_sure": "not_sure"}
_DPF_ANSWER = {"listed": "yes", "not_listed": "no", "not_confirmed": "not_sure"}


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class VendorFact(_Frozen):
    """One sourced statement about a vendor."""

    key: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    value: str = Field(min_length=1)
    source: str = Field(min_length=1)
    as_of: datetime.date | str
    status: Literal["V", "S", "U"]
    ref: str = Field(pattern=r"^CRM-[A-Z]+-[A-Z]+$")

    @field_validator("as_of")
    @classmethod
    def _as_of_not_blank(cls, value: datetime.date | str) -> datetime.date | str:
        if isinstance(value, str) and not value.strip():
            raise ValueError("as_of must not be empty")
        return value


class VendorProfile(_Frozen):
    """What we know about one CRM vendor, with the facts behind it."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str = Field(min_length=1)
    legal_entity_note: str = Field(min_length=1)
    hq_country: str = Field(pattern=r"^[A-Z]{2}$")
    hosting_regions: tuple[Region, ...] = Field(min_length=1)
    eu_hosting: bool
    dpa_url: str
    subprocessor_url: str
    mfa: Mfa
    dpf_certified: DpfListing
    dpa_includes_sccs: bool | Literal["not_confirmed"]
    facts: tuple[VendorFact, ...] = Field(min_length=1)
    review_checks: tuple[str, ...] = Field(min_length=1)
    detect_phrases: tuple[str, ...] = Field(min_length=1)

    @field_validator("dpa_url", "subprocessor_url")
    @classmethod
    def _url_or_empty(cls, value: str) -> str:
        if value and not value.startswith("https://"):
            raise ValueError("must be an https:// URL, or empty when unknown")
        return value

    @field_validator("detect_phrases")
    @classmethod
    def _phrases_lower_case(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        bad = [p for p in value if not p.strip() or p != p.lower()]
        if bad:
            raise ValueError(f"detect phrases must be non-empty and lower-case: {bad}")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> VendorProfile:
        if self.eu_hosting != ("EU" in self.hosting_regions):
            raise ValueError("eu_hosting must be true exactly when hosting_regions includes EU")
        backed = {fact.key for fact in self.facts}
        missing = [name for name in FACT_BACKED_FIELDS if name not in backed]
        if missing:
            raise ValueError(f"no fact backs: {', '.join(missing)}")
        return self

    def facts_for(self, key: str) -> list[VendorFact]:
        return [fact for fact in self.facts if fact.key == key]


class _VendorsFile(_Frozen):
    vendor: list[dict[str, Any]] = Field(min_length=1)


def load_vendors(path: Path = VENDORS_FILE) -> dict[str, VendorProfile]:
    """Read and check the vendor profiles, keyed by id in file order; cached for the packaged file."""
    if Path(path) == VENDORS_FILE:
        return dict(_load_default_vendors())
    return _load(Path(path))


@functools.lru_cache(maxsize=1)
def _load_default_vendors() -> dict[str, VendorProfile]:
    return _load(VENDORS_FILE)


def _load(path: Path) -> dict[str, VendorProfile]:
    file = display_path(path)
    raw = validate_item(_VendorsFile, read_toml(path), file)
    profiles = [
        validate_item(VendorProfile, item, file, str(item.get("id") or f"vendor #{n}"))
        for n, item in enumerate(raw.vendor, start=1)
    ]
    ensure_unique(((p.id, file) for p in profiles), "vendor")
    return {p.id: p for p in profiles}


def vendor_prefill(vendor_id: str, vendors: dict[str, VendorProfile] | None = None) -> dict[str, object]:
    """Answer values (by field path) that choosing ``vendor_id`` pre-fills; ``{}`` for ``"other"``.

    Hosting region is pre-filled only when the vendor offers exactly one region; DPF status is
    pre-filled as ``not_sure`` unless a listing has been confirmed; URLs only when known.
    """
    if vendor_id == "other":
        return {}
    vendors = load_vendors() if vendors is None else vendors
    if vendor_id not in vendors:
        raise KeyError(f"unknown CRM vendor {vendor_id!r}; known: {', '.join(vendors)}")
    profile = vendors[vendor_id]
    values: dict[str, object] = {
        "crm.vendor_country": profile.hq_country,
        "crm.mfa_available": _MFA_ANSWER[profile.mfa],
        "crm.vendor_dpf_certified": _DPF_ANSWER[profile.dpf_certified],
    }
    if len(profile.hosting_regions) == 1:
        values["crm.hosting_region"] = profile.hosting_regions[0]
    if profile.dpa_url:
        values["crm.vendor_dpa_url"] = profile.dpa_url
    if profile.subprocessor_url:
        values["crm.subprocessor_list_url"] = profile.subprocessor_url
    return values


def detect_vendor(text: str, vendors: dict[str, VendorProfile] | None = None) -> str | None:
    """The vendor whose detect phrases occur most often in ``text`` (a DPA), or None."""
    vendors = load_vendors() if vendors is None else vendors
    lowered = text.lower()
    counts = {vid: sum(lowered.count(p) for p in v.detect_phrases) for vid, v in vendors.items()}
    best = max(counts, key=lambda vid: counts[vid], default=None)
    return best if best is not None and counts[best] > 0 else None


# --- pre-filling answers when a vendor is chosen -------------------------------------------------

PREFILL_TRIGGER = "crm.vendor"
"""The answer whose change pre-fills the vendor-backed answers."""

_FIELD_FACT = {
    "crm.vendor_country": "hq_country",
    "crm.hosting_region": "hosting_regions",
    "crm.mfa_available": "mfa",
    "crm.vendor_dpf_certified": "dpf_certified",
    "crm.vendor_dpa_url": "dpa_url",
    "crm.subprocessor_list_url": "subprocessor_url",
}


def prefill_changes(before: Any, after: Any) -> dict[str, object]:
    """What to pre-fill after the CRM vendor answer changed from ``before`` to ``after`` (Answers).

    A field is filled when it is unanswered, or still holds what the previous vendor's profile
    pre-filled; a value the user chose themselves is never replaced.
    """
    old_vendor, new_vendor = before.crm.vendor, after.crm.vendor
    if new_vendor == old_vendor or new_vendor is None:
        return {}
    old_values = vendor_prefill(old_vendor) if old_vendor else {}
    new_values = vendor_prefill(new_vendor)
    changes: dict[str, object] = {}
    for path, value in new_values.items():
        current = after.get(path)
        if (current is None or current == old_values.get(path)) and current != value:
            changes[path] = value
    for path, old in old_values.items():
        if path not in new_values and after.get(path) == old:
            changes[path] = None  # the previous vendor's fact does not hold for the new one
    return changes


def prefill_source(answers: Any, path: str) -> str | None:
    """A sentence saying which vendor fact pre-filled ``path``, while the answer still has that value."""
    vendor_id = answers.crm.vendor
    if not vendor_id or vendor_id == "other" or path not in _FIELD_FACT:
        return None
    prefill = vendor_prefill(vendor_id)
    if path not in prefill or answers.get(path) != prefill[path]:
        return None
    profile = load_vendors()[vendor_id]
    facts = profile.facts_for(_FIELD_FACT[path])
    cited = "; ".join(f"{f.source} (as of {f.as_of}, status {f.status})" for f in facts[:2])
    return f"Pre-filled from the {profile.name} profile — {cited}. Change it if your set-up differs."
