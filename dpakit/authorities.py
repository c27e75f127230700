"""Supervisory authorities, always named: which authority is competent, and Clause 13 of the EU SCCs.

National authorities are ``supervisory_authority`` in ``data/countries.toml``; authorities below the
national level (the German Länder, whose authorities supervise private bodies: legal-reference DE-SA-LAND)
and outside Europe (the California Privacy Protection Agency) are in ``data/authorities.toml``, each with
its source, the date it was checked and a V/S/U status.

``clause13`` resolves the competent authority of SCC Clause 13(a) (legal-reference SCC914-C13,
SCC914-C13-NONEU) from plain facts and never guesses: where a fact is missing it returns no authority and
says which answer would settle it, so a document can show that as a visible gap.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from .content import DATA_DIR, display_path, read_toml, validate_item
from .errors import ContentError
from .jurisdictions import countries, is_eea

AUTHORITIES_FILE = DATA_DIR / "authorities.toml"

REGIONAL_COUNTRIES = frozenset({"DE"})
"""Countries whose private bodies are supervised regionally: the region must be known to name the authority."""


class Authority(BaseModel):
    """One regional authority, as ``data/authorities.toml`` describes it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str = Field(pattern=r"^[A-Z]{2}-[A-Z0-9]{1,3}$")
    name: str = Field(min_length=3)
    seat: str = Field(min_length=2)
    supervises: str = Field(min_length=3)
    source: str = Field(pattern=r"^https://")
    checked: date
    status: Literal["V", "S", "U"]
    requirements: tuple[str, ...] = Field(min_length=1)
    reference: str | None = None

    @property
    def country(self) -> str:
        return self.code.split("-", 1)[0]


def load_authorities(path: Path = AUTHORITIES_FILE) -> dict[str, Authority]:
    """Every regional authority by ISO 3166-2 code, validated (``ContentError`` naming the entry)."""
    file = display_path(path)
    raw = read_toml(path)
    if set(raw) != {"region"}:
        raise ContentError(file, f"expected only [region.XX-YY] tables, found {sorted(set(raw) - {'region'})}")
    out = {code: validate_item(Authority, {"code": code, **entry}, file, code) for code, entry in raw["region"].items()}
    for code, authority in out.items():
        if authority.country not in countries():
            raise ContentError(file, f"{authority.country} is not a country code", code)
    return out


@functools.cache
def authorities() -> dict[str, Authority]:
    return load_authorities()


def authority_for(country: str | None, region: str | None = None) -> str | None:
    """The authority competent for a body established in ``country`` (and ``region``), or ``None``.

    A region's own authority wins; a country in ``REGIONAL_COUNTRIES`` has none without its region (the
    German federal commissioner does not supervise private bodies).
    """
    if region and region in authorities():
        return authorities()[region].name
    if not country or country in REGIONAL_COUNTRIES:
        return None
    found = countries().get(country)
    return found.supervisory_authority if found else None


def regions_of(country: str) -> list[Authority]:
    """The regional authorities of ``country`` (e.g. the 16 German Länder), by code."""
    return [a for code, a in sorted(authorities().items()) if a.country == country]


@dataclass(frozen=True)
class Clause13:
    """The competent supervisory authority under SCC Clause 13(a), or what is missing to name it."""

    authority: str | None
    reason: str
    missing: str | None = None
    """The answer that would settle it, in plain words, when ``authority`` is ``None``."""
    requirement_ids: tuple[str, ...] = ("SCC914-C13",)
    unconfirmed: str | None = None
    """When ``authority`` rests on a point the answers do not establish: what the parties must settle first
    (the DPA prints it as a condition before signature)."""


NO_REPRESENTATIVE = (
    "the exporter appoints an EU representative under GDPR Art 27 (the competent authority is then that of "
    "the representative's Member State), or the parties record why Art 27(2) exempts it"
)
"""Why the third option of Clause 13(a) is only proposed: it applies only where Art 27(2) exempts the exporter
(SCC914-C13-NONEU), and "no representative appointed" does not say so (docs/legal-review.md, 2026-12-04 F2)."""


def _place(country: str, region: str | None) -> str:
    name = countries()[country].name if country in countries() else country
    if region and region in authorities():
        return f"{name} ({region})"
    return name


def clause13(
    exporter_country: str | None,
    exporter_region: str | None = None,
    *,
    has_eu_representative: bool | None = None,
    representative_country: str | None = None,
    representative_region: str | None = None,
    people_countries: Sequence[str] = (),
) -> Clause13:
    """Resolve Clause 13(a) for an exporter (legal-reference SCC914-C13-NONEU).

    - Established in the EU/EEA: the authority of that establishment (for Germany, of its Land).
    - Outside the EU/EEA, subject to the GDPR under Art 3(2), with an Art 27 representative: the authority of
      the Member State where the representative is established.
    - Outside, without one: the authority of one of the Member States whose residents' data is transferred is
      *proposed* (the first the answers name with a single authority), with ``unconfirmed`` set: that option
      holds only where Art 27(2) exempts the exporter, which the answers do not establish.
    """
    if exporter_country and is_eea(exporter_country):
        authority = authority_for(exporter_country, exporter_region)
        where = _place(exporter_country, exporter_region)
        if authority is None:
            return Clause13(
                None,
                f"the exporter is established in {where}, whose private bodies are "
                "supervised by the authority of their Land",
                "the Land where the exporter is established",
            )
        return Clause13(authority, f"the authority of the exporter's establishment in {where}")
    if has_eu_representative is None:
        return Clause13(
            None,
            "the exporter is not established in the EU/EEA",
            "whether the exporter has appointed an EU representative (GDPR Art 27)",
        )
    if has_eu_representative:
        if not representative_country or not is_eea(representative_country):
            return Clause13(
                None,
                "the exporter is outside the EU/EEA and has an EU representative",
                "the EU/EEA country where the representative is established",
                ("SCC914-C13", "GDPR-27-1"),
            )
        authority = authority_for(representative_country, representative_region)
        where = _place(representative_country, representative_region)
        if authority is None:
            return Clause13(
                None,
                f"the exporter's EU representative is established in {where}",
                "the Land where the EU representative is established",
                ("SCC914-C13", "GDPR-27-1"),
            )
        return Clause13(
            authority,
            f"the authority of the Member State where the exporter's EU representative is established ({where})",
            requirement_ids=("SCC914-C13", "GDPR-27-1"),
        )
    eea_people = [c for c in people_countries if is_eea(c)]
    if not eea_people:
        return Clause13(
            None,
            "the exporter is outside the EU/EEA and has no EU representative",
            "the EU/EEA countries where the people whose data is transferred are",
        )
    # The first Member State whose authority can be named (Germany has one per Land, which where the people
    # are does not settle): any of them may be named (Clause 13(a), third option).
    nameable = [c for c in eea_people if authority_for(c) is not None]
    if not nameable:
        return Clause13(
            None,
            f"the exporter has no EU representative and the people are in {_place(eea_people[0], None)}",
            "which German Land's authority the parties name (the people are in Germany)",
        )
    first = nameable[0]
    authority = authority_for(first)
    others = [countries()[c].name for c in eea_people if c != first]
    also = f"; the people are also in {', '.join(others)}, any of whose authorities may be named" if others else ""
    return Clause13(
        authority,
        f"the authority of a Member State whose residents' data is transferred ({countries()[first].name}){also}",
        unconfirmed=NO_REPRESENTATIVE,
    )


__all__ = ["Authority", "Clause13", "authorities", "authority_for", "clause13", "load_authorities", "regions_of"]
