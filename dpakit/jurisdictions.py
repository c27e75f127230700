"""Countries and the jurisdiction facts dpakit reasons with: EU/EEA membership, adequacy, authorities.

The facts live in ``data/countries.toml`` (every ISO 3166-1 alpha-2 code, with its English short name);
this module reads them once, validates them and answers simple questions about a country code.
Whether a *transfer* needs a safeguard is decided in ``transfers.py`` from these flags.
"""

from __future__ import annotations

import functools
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .content import DATA_DIR, display_path, read_toml, validate_item
from .errors import ContentError, InputError

COUNTRIES_FILE = DATA_DIR / "countries.toml"

# Codes people often type that are not ISO 3166-1 alpha-2, and what they mean.
_NOT_ISO = {"UK": "GB", "EL": "GR", "EN": "GB"}


class Country(BaseModel):
    """One country and what the law says about it for dpakit's purposes."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str = Field(pattern=r"^[A-Z]{2}$")
    name: str = Field(min_length=1)
    eu: bool = False
    eea: bool = False
    eu_adequate: bool = False
    eu_adequate_dpf_only: bool = False
    eu_adequacy_decision: str | None = None
    uk_adequate: bool = False
    uk_adequate_dpf_only: bool = False
    supervisory_authority: str | None = None
    third_party_beneficiary_law: bool = False
    note: str | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Country:
        if self.eu and not self.eea:
            raise ValueError("an EU member state is also in the EEA (set eea = true)")
        if self.eea and self.eu_adequate:
            raise ValueError("an EEA state needs no EU adequacy decision (remove eu_adequate)")
        if self.eea and not self.supervisory_authority:
            raise ValueError("an EEA state needs its supervisory_authority")
        if self.eu and not self.third_party_beneficiary_law:
            raise ValueError("EU member states allow third-party-beneficiary rights (SCC Clause 17)")
        if (self.eu_adequate or self.eu_adequate_dpf_only) and not self.eu_adequacy_decision:
            raise ValueError("name the eu_adequacy_decision relied on")
        if self.eu_adequate and self.eu_adequate_dpf_only:
            raise ValueError("eu_adequate and eu_adequate_dpf_only exclude each other")
        if self.uk_adequate and self.uk_adequate_dpf_only:
            raise ValueError("uk_adequate and uk_adequate_dpf_only exclude each other")
        return self


def load_countries(path: Path = COUNTRIES_FILE) -> dict[str, Country]:
    """Read and validate a countries file; a problem is a ContentError naming the file and the code."""
    file = display_path(path)
    raw = read_toml(path).get("country")
    if not isinstance(raw, dict) or not raw:
        raise ContentError(file, "expected [country.XX] tables")
    result: dict[str, Country] = {}
    for code, entry in sorted(raw.items()):
        if not isinstance(entry, dict):
            raise ContentError(file, "expected a table", code)
        result[code] = validate_item(Country, {"code": code, **entry}, file, code)
    return result


@functools.cache
def countries() -> dict[str, Country]:
    """Every known country, by ISO code, in code order (read once)."""
    return load_countries()


def country(code: str) -> Country:
    """The country for a valid code; raises ``InputError`` (see ``validate_country``) otherwise."""
    return countries()[validate_country(code)]


def validate_country(code: str) -> str:
    """Return the upper-case ISO code, or raise ``InputError`` with a one-line reason."""
    cleaned = (code or "").strip().upper()
    if cleaned in countries():
        return cleaned
    if cleaned in _NOT_ISO:
        raise InputError(f"{code!r} is not an ISO 3166-1 country code; use {_NOT_ISO[cleaned]!r}")
    raise InputError(f"{code!r} is not a known ISO 3166-1 alpha-2 country code")


def country_name(code: str) -> str:
    """The English short name for a code (``"DE"`` → ``"Germany"``)."""
    return country(code).name


def _flag(code: str | None, attribute: str) -> bool:
    if not code:
        return False
    entry = countries().get(code.strip().upper())
    return bool(entry and getattr(entry, attribute))


def is_eu(code: str | None) -> bool:
    """True for the 27 EU member states; False for anything else, including unknown codes."""
    return _flag(code, "eu")


def is_eea(code: str | None) -> bool:
    """True for the EU member states plus Iceland, Liechtenstein and Norway."""
    return _flag(code, "eea")


def eea_codes() -> list[str]:
    return [c.code for c in countries().values() if c.eea]


def eu_codes() -> list[str]:
    return [c.code for c in countries().values() if c.eu]
