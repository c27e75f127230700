"""International transfers: which flows of CRM data leave a protected area, and on what legal basis.

For each regime in scope that restricts transfers (EU GDPR Chapter V, UK GDPR Chapter V, POPIA s.72) the
analysis lists the flows of that regime's data from the answers:

* to the CRM vendor's hosting region (controllers only: for a processor the CRM is its client's system);
* to the other party of the agreement — for a controller, its processor; for a processor, data comes in
  from its controller, and goes back to it (SCC Module 4) when the processor is in the protected area;
* to each processor (or, for a processor, each sub-processor) in ``crm.processors``;
* to whoever uses the CRM from another country (``crm.accessed_from``), unless already covered.

Each flow gets a mechanism: none needed (the recipient is inside the area), adequacy, the EU-US DPF for a
certified US importer (with an SCC fall-back), the 2021/914 SCCs with the module given by the two
roles, the UK Addendum (when the same importer also signs the EU SCCs) or the UK IDTA, or a POPIA
s.72(1)(a) binding agreement. Then the default SCC options and UK Addendum/IDTA tables are proposed, each
overridable by an answer. Pure functions: answers and regime decisions in, a ``TransferAnalysis`` out.

Decisions and their limits are written down in the reasons; everything here is a draft for lawyer review.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from .authorities import Clause13, clause13
from .jurisdictions import countries, is_eea, is_eu
from .models import Agreement, Answers
from .regimes import RegimeDecision

TransferRegime = Literal["eu_gdpr", "uk_gdpr", "popia"]
Mechanism = Literal["adequacy", "dpf", "scc", "uk_addendum", "uk_idta", "bcr", "popia_72_agreement", "none_needed"]
TRANSFER_REGIMES: tuple[TransferRegime, ...] = ("eu_gdpr", "uk_gdpr", "popia")
NEEDS_TIA: frozenset[str] = frozenset({"scc", "uk_addendum", "uk_idta", "bcr"})

EU_REGION = "EU"
"""``to_country`` for the CRM vendor's EU hosting region: somewhere in the EU/EEA."""
UNKNOWN = "unknown"
"""``to_country`` when the answers do not say where the recipient is."""

_REGION_LABEL = {"eu_gdpr": EU_REGION, "uk_gdpr": "GB", "popia": "ZA"}
_AREA = {"eu_gdpr": "the EEA", "uk_gdpr": "the UK", "popia": "South Africa"}
_HOSTING = {
    "EU": EU_REGION,
    "UK": "GB",
    "US": "US",
    "IN": "IN",
    "AU": "AU",
    "CA": "CA",
    "JP": "JP",
    "ZA": "ZA",
    "CH": "CH",
    "BR": "BR",
}
_VENDOR_NAMES = {
    "salesforce": "Salesforce",
    "hubspot": "HubSpot",
    "pipedrive": "Pipedrive",
    "dynamics365": "Microsoft Dynamics 365",
    "zoho": "Zoho CRM",
}
_MODULES = {
    ("controller", "controller"): 1,
    ("controller", "processor"): 2,
    ("processor", "processor"): 3,
    ("processor", "controller"): 4,
}
_NAMES_WITH_THE = frozenset(
    {
        "US",
        "GB",
        "NL",
        "AE",
        "PH",
        "CZ",
        "BS",
        "GM",
        "DO",
        "CF",
        "KY",
        "VG",
        "VI",
        "FO",
        "MH",
        "SB",
        "CK",
        "VA",
        "MV",
        "KM",
        "SC",
    }
)
DEFAULT_NOTICE_DAYS = 30
DEFAULT_LAW = "IE"


ORGANISATION = "organisation"
"""``governed_by`` of a flow under the organisation's own arrangements (people using the CRM from abroad)."""
CRM_VENDOR = "crm-vendor"
"""``governed_by`` of the flow to the CRM vendor: the vendor's own terms, never another agreement's DPA."""


@dataclass(frozen=True)
class Party:
    """One side of a flow: its name, its role in the flow and its country (ISO code, ``EU`` or ``unknown``)."""

    name: str
    role: str
    country: str


@dataclass(frozen=True)
class TransferFlow:
    """One flow of one regime's personal data from an exporter to an importer.

    ``exporter`` and ``importer`` name both sides; ``governed_by`` says which contract covers the flow: an
    agreement's id (the flow to that agreement's counterparty, or onward to its sub-processors),
    ``CRM_VENDOR`` (the CRM vendor's own terms), the name of a processor listed in the CRM section (its own
    contract with the organisation) or ``ORGANISATION``. A DPA's schedules use only its agreement's flows.
    """

    id: str
    from_place: str
    from_role: str
    to_name: str
    to_country: str
    to_role: str
    data: tuple[str, ...]
    regime: TransferRegime
    mechanism: Mechanism
    mechanism_detail: str
    scc_module: int | None
    tia_required: bool
    requirement_ids: tuple[str, ...]
    reasons: tuple[str, ...]
    exporter: Party
    importer: Party
    governed_by: str
    onward: bool = False
    """An onward transfer by an importer already outside the area to its sub-processor: covered by the terms
    of the transfer to that importer (SCC Clauses 8.8 and 9(b)), so no instrument of its own."""

    @property
    def needs_mechanism(self) -> bool:
        return self.mechanism != "none_needed"


@dataclass(frozen=True)
class SccOptions:
    """The choices to make in the SCCs of Decision (EU) 2021/914, with where each came from.

    ``sources`` maps each option to ``"default"``, ``"agreement"`` (taken from the DPA answers) or
    ``"user"`` (a ``jurisdictions.scc_*`` answer, which always wins); ``from_user`` lists the latter.
    """

    modules: tuple[int, ...]
    docking_clause: bool
    clause9_option: Literal["specific", "general"]
    clause9_notice_days: int
    clause11_independent_body: bool
    clause13_authority: str | None
    clause13_note: str
    clause17_option: int
    governing_law: str
    forum: str
    sources: dict[str, str]
    notes: tuple[str, ...]
    requirement_ids: tuple[str, ...]
    clause13_missing: str | None = None
    """When ``clause13_authority`` is ``None``: the answer that would name it, in plain words."""
    clause13_unconfirmed: str | None = None
    """When ``clause13_authority`` is only proposed: what the parties settle first (``Clause13.unconfirmed``)."""
    refused: tuple[str, ...] = ()
    """Clause 17/18 choices refused (not allowed for the modules), each saying what to change."""

    @property
    def from_user(self) -> frozenset[str]:
        return frozenset(k for k, v in self.sources.items() if v == "user")

    @property
    def clause9_option_number(self) -> int:
        return 1 if self.clause9_option == "specific" else 2


@dataclass(frozen=True)
class UkOptions:
    """The tables of the ICO's Addendum to the EU SCCs and/or the IDTA."""

    instruments: tuple[Literal["uk_addendum", "uk_idta"], ...]
    start_date: str
    exporter: str
    exporter_country: str | None
    importers: tuple[tuple[str, str], ...]
    key_contact: str | None
    eu_scc_modules: tuple[int, ...]
    table4_ending_party: tuple[str, ...]
    law_and_courts: str
    notes: tuple[str, ...]
    requirement_ids: tuple[str, ...]


@dataclass(frozen=True)
class TransferAnalysis:
    flows: tuple[TransferFlow, ...]
    scc: SccOptions | None
    uk: UkOptions | None
    popia_72: bool
    notes: tuple[str, ...] = ()
    agreement_id: str | None = None
    """``None``: every flow of the organisation; else only the flows that agreement governs."""

    def flows_for(self, regime: str) -> list[TransferFlow]:
        return [f for f in self.flows if f.regime == regime]

    def governed_by(self, key: str) -> list[TransferFlow]:
        """The flows one contract covers (an agreement id, ``CRM_VENDOR``, a processor's name)."""
        return [f for f in self.flows if f.governed_by == key]


# --- where things are ----------------------------------------------------------------------------


def _in_area(regime: str, place: str | None) -> bool:
    if place is None or place == UNKNOWN:
        return False
    if regime == "eu_gdpr":
        return place == EU_REGION or is_eea(place)
    if regime == "uk_gdpr":
        return place == "GB"
    return place == "ZA"


def _place_name(place: str | None) -> str:
    if place is None or place == UNKNOWN:
        return "an unknown country"
    if place == EU_REGION:
        return "the EU/EEA"
    entry = countries().get(place)
    if entry is None:
        return place
    return f"the {entry.name}" if place in _NAMES_WITH_THE else entry.name


@dataclass(frozen=True)
class _Recipient:
    key: str
    kind: Literal["crm_vendor", "counterparty", "processor", "subprocessor", "access", "controller_return"]
    name: str
    place: str  # ISO code, EU_REGION or UNKNOWN
    role: str  # controller | processor | sub-processor | unknown
    dpf: str | None
    note: str = ""
    governed_by: str = ORGANISATION
    exporter: Party | None = None
    """Who sends the data to this recipient; ``None`` = the organisation itself."""
    data: tuple[str, ...] | None = None
    """The categories of data the flow carries; ``None`` = the organisation's."""


@dataclass
class _Context:
    answers: Answers
    role: Literal["controller", "processor"]
    home: str | None
    data: tuple[str, ...]
    eu_scc_importers: set[str] = field(default_factory=set)


# --- the flows -----------------------------------------------------------------------------------


def _same_name(name: str | None) -> str:
    return " ".join((name or "").casefold().split())


def _vendor_name(answers: Answers) -> str:
    crm = answers.crm
    if crm.vendor == "other" or crm.vendor is None:
        return crm.vendor_other_name or "the CRM vendor"
    return _VENDOR_NAMES[crm.vendor]


def _org_role(answers: Answers) -> Literal["controller", "processor"]:
    """The organisation's role for its own CRM: a processor only where it is the processor in every agreement
    (it then works in its clients' systems); otherwise the controller."""
    roles = {a.our_role for a in answers.agreements}
    return "processor" if roles == {"processor"} else "controller"


def _agreement_data(ctx: _Context, agreement: Agreement) -> tuple[str, ...]:
    return tuple(agreement.scope_data_categories or ()) or ctx.data


def _counterparty_places(agreement: Agreement, fallback: str | None) -> list[str]:
    """Where the counterparty is and where it processes or reaches the data from, first its own country."""
    places = [agreement.counterparty_country or fallback or UNKNOWN]
    for place in [*(agreement.processes_in or []), *(agreement.accessed_from or [])]:
        if place not in places:
            places.append(place)
    return places


def _recipients(ctx: _Context) -> list[_Recipient]:
    """The organisation's own recipients: its CRM vendor and the processors listed in the CRM section that no
    agreement covers."""
    answers = ctx.answers
    crm = answers.crm
    found: list[_Recipient] = []
    if ctx.role == "controller" and (crm.vendor or crm.hosting_region):
        place = _HOSTING.get(crm.hosting_region or "", UNKNOWN)
        note = ""
        if place == EU_REGION and crm.vendor_country and not is_eea(crm.vendor_country):
            note = (
                f"The data is hosted in the EU/EEA, but the vendor's group is in "
                f"{_place_name(crm.vendor_country)}: support or maintenance access from there is a transfer "
                "the vendor must cover in its own DPA (SCCs or DPF) — check its sub-processor list."
            )
        if place == UNKNOWN:
            note = "The hosting region is not known; treated as outside the area until you say where it is."
        found.append(
            _Recipient(
                "crm_vendor",
                "crm_vendor",
                _vendor_name(answers),
                place,
                "processor",
                crm.vendor_dpf_certified,
                note,
                governed_by=CRM_VENDOR,
            )
        )
    covered = {_same_name(a.counterparty_name) for a in answers.agreements if a.counterparty_name}
    covered |= {
        _same_name(s.name) for a in answers.agreements if a.our_role == "processor" for s in a.subprocessors or []
    }
    for index, proc in enumerate(crm.processors or [], start=1):
        if _same_name(proc.name) in covered:
            continue  # the other party to an agreement, or a sub-processor of one: that agreement covers it
        role = "sub-processor" if ctx.role == "processor" else "processor"
        found.append(
            _Recipient(
                f"processor-{index}",
                "processor",
                proc.name,
                proc.country or UNKNOWN,
                role,
                proc.dpf_certified,
                governed_by=proc.name,
            )
        )
    return found


def _subprocessor_recipients(
    agreement: Agreement, data: tuple[str, ...] | None, exporter: Party | None = None
) -> list[_Recipient]:
    """The agreement's own sub-processors as recipients of the flows it governs (``exporter``: the processor
    that sends them the data, when it is not the organisation itself)."""
    return [
        _Recipient(
            f"{agreement.id}:subprocessor-{index}",
            "subprocessor",
            sub.name,
            sub.country or UNKNOWN,
            "sub-processor",
            sub.dpf_certified,
            governed_by=agreement.id,
            exporter=exporter,
            data=data,
        )
        for index, sub in enumerate(agreement.subprocessors or [], start=1)
    ]


def _agreement_recipients(ctx: _Context, agreement: Agreement) -> list[_Recipient]:
    """A controller's agreement: the counterparty (its processor), at each place it processes the data, and
    onward the counterparty's own sub-processors, with the counterparty as exporter (Module 3)."""
    listed = {_same_name(p.name): p for p in ctx.answers.crm.processors or []}
    also_listed = listed.get(_same_name(agreement.counterparty_name)) if agreement.counterparty_name else None
    data = _agreement_data(ctx, agreement)
    found: list[_Recipient] = []
    name = agreement.counterparty_name or "the processor"
    if agreement.counterparty_name or agreement.counterparty_country or agreement.processes_in:
        dpf = agreement.counterparty_dpf_certified or (also_listed.dpf_certified if also_listed else None)
        places = _counterparty_places(agreement, also_listed.country if also_listed else None)
        for n, place in enumerate(places):
            key = f"{agreement.id}:counterparty" + (f"-{place}" if n else "")
            found.append(
                _Recipient(key, "counterparty", name, place, "processor", dpf, governed_by=agreement.id, data=data)
            )
    exporter = Party(name, "processor", agreement.counterparty_country or UNKNOWN)
    found += _subprocessor_recipients(agreement, data, exporter)
    return found


def _access_recipients(ctx: _Context, regime: str, covered: set[str]) -> list[_Recipient]:
    found = []
    for place in ctx.answers.crm.accessed_from or []:
        if place == ctx.home or place in covered or _in_area(regime, place):
            continue
        found.append(
            _Recipient(
                f"access-{place}",
                "access",
                f"people using the CRM from {_place_name(place)}",
                place,
                "unknown",
                None,
                "If they are your own employees (same legal entity), this is not a transfer; if they work for a group "
                "company or a service provider, it is — list that provider as a processor.",
            )
        )
    return found


def _scc_module(exporter_role: str, importer_role: str) -> int | None:
    importer = "processor" if importer_role in ("processor", "sub-processor") else importer_role
    return _MODULES.get((exporter_role, importer))


def _flow(ctx: _Context, regime: TransferRegime, exporter: Party, rec: _Recipient, flow_id: str) -> TransferFlow:
    """Decide the mechanism for one regime's data going from the exporter to one recipient."""
    exporter_place, exporter_role = exporter.country, exporter.role
    reasons: list[str] = []
    if rec.note:
        reasons.append(rec.note)
    where = _place_name(rec.place)

    def make(
        mechanism: Mechanism, detail: str, module: int | None, ids: list[str], onward: bool = False
    ) -> TransferFlow:
        return TransferFlow(
            id=flow_id,
            from_place=exporter_place,
            from_role=exporter_role,
            to_name=rec.name,
            to_country=rec.place,
            to_role=rec.role,
            data=rec.data or ctx.data,
            regime=regime,
            mechanism=mechanism,
            mechanism_detail=detail,
            scc_module=module,
            tia_required=mechanism in NEEDS_TIA,
            requirement_ids=tuple(dict.fromkeys(ids)),
            reasons=tuple(reasons),
            exporter=exporter,
            importer=Party(rec.name, rec.role, rec.place),
            governed_by=rec.governed_by,
            onward=onward,
        )

    if _in_area(regime, rec.place):
        reasons.insert(0, f"{rec.name} is in {where}, inside {_AREA[regime]}: no transfer mechanism is needed.")
        return make("none_needed", f"recipient inside {_AREA[regime]}", None, [])
    if rec.exporter is not None and exporter_place != UNKNOWN and not _in_area(regime, exporter_place):
        reasons.insert(
            0,
            f"An onward transfer: {exporter.name} already receives the data outside {_AREA[regime]}, so the terms "
            f"of that transfer cover its sub-processor {rec.name} (EU SCCs Clauses 8.8 and 9(b), or the "
            "onward-transfer rules of the DPF or of a s.72 agreement): the processor binds it to the same "
            "obligations. No further instrument between the parties to this DPA is needed.",
        )
        detail = f"onward transfer under the terms of the transfer to {exporter.name}"
        return make("none_needed", detail, None, ["SCC914-C9-b"], onward=True)
    if rec.place == UNKNOWN and not rec.note:
        reasons.append(
            "The recipient's country is not known; treated as a third country without adequacy "
            "until you say where it is."
        )
    if not _in_area(regime, exporter_place) and exporter_place != UNKNOWN:
        reasons.append(
            f"The exporter is outside {_AREA[regime]} but the data is subject to {_law(regime)}; the disclosure "
            "is still treated as a transfer (EDPB Guidelines 05/2021 on the interplay of Art 3 and Chapter V)."
        )
    if regime == "popia":
        reasons.insert(
            0,
            f"Personal information leaves South Africa for {where}: s.72(1)(a) needs the recipient to "
            "be bound by law, binding corporate rules or a binding agreement giving substantially "
            "similar protection, including on onward transfers.",
        )
        if _in_area("eu_gdpr", rec.place) or rec.place == "GB":
            reasons.append(
                "The recipient is bound by the (UK) GDPR, which may itself be 'law' giving adequate "
                "protection under s.72(1)(a); a binding agreement is still the safer record."
            )
        ids = ["POPIA-72-1-a"] + (["POPIA-72-CRM"] if rec.kind == "crm_vendor" else [])
        return make(
            "popia_72_agreement",
            "POPIA s.72(1)(a) binding agreement (e.g. the vendor's DPA with SCC-style terms)",
            None,
            ids,
        )
    country = countries().get(rec.place)
    certified = rec.dpf == "yes"
    if regime == "eu_gdpr":
        if country and country.eu_adequate:
            reasons.insert(
                0,
                f"{where[:1].upper()}{where[1:]} has an EU adequacy decision: no further safeguard is needed (Art 45).",
            )
            if country.note:
                reasons.append(country.note)
            return make(
                "adequacy", f"adequacy decision for {where} ({country.eu_adequacy_decision})", None, ["GDPR-45"]
            )
        if country and country.eu_adequate_dpf_only and certified:
            reasons.insert(
                0,
                f"{rec.name} is certified under the EU-US Data Privacy Framework, so the adequacy "
                "decision covers it (Art 45; Decision (EU) 2023/1795). No TIA is needed.",
            )
            reasons.append(
                "Check the certification on the DPF List at signature and keep the SCCs as a "
                "fall-back in case the decision is annulled (Latombe appeal C-703/25 P pending)."
            )
            return make(
                "dpf", "EU-US DPF (Decision (EU) 2023/1795)", None, ["GDPR-45", "DPF-1", "DPF-3", "DPF-4", "TIA-3"]
            )
        module = _scc_module(exporter_role, rec.role)
        reasons.insert(
            0,
            f"{where[:1].upper()}{where[1:]} has no EU adequacy decision"
            + (" and the importer is not DPF-certified" if country and country.eu_adequate_dpf_only else "")
            + ": the SCCs of Decision (EU) 2021/914 are used (Art 46(2)(c)), with a transfer impact "
            "assessment (Clause 14).",
        )
        if module is None:
            reasons.append(
                "Who the importer is decides the module: Module 1 for a group company or partner "
                "acting for itself, Module 2 (or 3) for a service provider."
            )
        else:
            reasons.append(f"Module {module}: {exporter_role} to {rec.role}.")
        ctx.eu_scc_importers.add(rec.key)
        ids = ["GDPR-46-2-c"] + ([f"SCC914-M{module}"] if module else []) + ["SCC914-C14", "TIA-3"]
        return make(
            "scc",
            "EU Standard Contractual Clauses (Decision (EU) 2021/914)" + (f", Module {module}" if module else ""),
            module,
            ids,
        )
    # uk_gdpr
    if rec.place == EU_REGION or (country and country.uk_adequate):
        reasons.insert(
            0, f"{where[:1].upper()}{where[1:]} is covered by UK adequacy regulations: no further safeguard is needed."
        )
        return make("adequacy", f"UK adequacy regulations for {where}", None, [])
    if country and country.uk_adequate_dpf_only and certified:
        reasons.insert(
            0,
            f"{rec.name} is DPF-certified: the UK-US data bridge covers it if it participates in "
            "the UK Extension to the EU-US DPF (SI 2023/1028). Check the DPF List.",
        )
        return make(
            "dpf", "UK-US data bridge (UK Extension to the EU-US DPF; SI 2023/1028)", None, ["UK-BRIDGE-1", "DPF-4"]
        )
    if rec.key in ctx.eu_scc_importers:
        reasons.insert(
            0,
            f"{where[:1].upper()}{where[1:]} is not covered by UK adequacy regulations. The same importer signs the EU "
            "SCCs, so the ICO's International Data Transfer Addendum adapts them for UK data, with a "
            "transfer risk assessment.",
        )
        return make(
            "uk_addendum", "ICO International Data Transfer Addendum to the EU SCCs", None, ["UK-IDTA-2", "UK-IDTA-4"]
        )
    reasons.insert(
        0,
        f"{where[:1].upper()}{where[1:]} is not covered by UK adequacy regulations and no EU SCCs are signed with this "
        "importer: the ICO's International Data Transfer Agreement (IDTA) is used, with a transfer "
        "risk assessment.",
    )
    return make("uk_idta", "ICO International Data Transfer Agreement (IDTA)", None, ["UK-IDTA-1", "UK-IDTA-4"])


def _law(regime: str) -> str:
    return {"eu_gdpr": "the EU GDPR", "uk_gdpr": "the UK GDPR", "popia": "POPIA"}[regime]


def _flows_for_regime(ctx: _Context, regime: TransferRegime) -> list[TransferFlow]:
    answers = ctx.answers
    home = ctx.home or UNKNOWN
    us_name = answers.organisation.legal_name or "the organisation"
    flows: list[TransferFlow] = []
    for rec in _recipients(ctx):
        flows.append(_flow(ctx, regime, Party(us_name, ctx.role, home), rec, f"{regime}:{rec.key}"))
    for agreement in answers.agreements:
        flows.extend(_agreement_flows(ctx, regime, agreement, us_name, home))
    covered = {f.to_country for f in flows}
    for rec in _access_recipients(ctx, regime, covered):
        flows.append(_flow(ctx, regime, Party(us_name, ctx.role, home), rec, f"{regime}:{rec.key}"))
    return flows


def _agreement_flows(
    ctx: _Context, regime: TransferRegime, agreement: Agreement, us_name: str, home: str
) -> list[TransferFlow]:
    """The flows one agreement governs: to the counterparty and onward to the sub-processors in it."""
    prefix = f"{regime}:{agreement.id}"
    data = _agreement_data(ctx, agreement)
    if agreement.our_role != "processor":
        us = Party(us_name, "controller", home)
        out = []
        for rec in _agreement_recipients(ctx, agreement):
            out.append(_flow(ctx, regime, rec.exporter or us, rec, f"{regime}:{rec.key}"))
        return out
    flows: list[TransferFlow] = []
    controller = agreement.counterparty_country
    name = agreement.counterparty_name or "the controller (our client)"
    source = controller or _REGION_LABEL[regime]
    inbound_rec = _Recipient(
        f"{agreement.id}:inbound", "counterparty", us_name, home, "processor", None, governed_by=agreement.id, data=data
    )
    inbound = _flow(ctx, regime, Party(name, "controller", source), inbound_rec, f"{prefix}:from_counterparty")
    if inbound.needs_mechanism and source != home:
        flows.append(inbound)
    us = Party(us_name, "processor", home)
    if controller and _in_area(regime, home) and not _in_area(regime, controller):
        back = _Recipient(
            f"{agreement.id}:counterparty",
            "controller_return",
            name,
            controller,
            "controller",
            agreement.counterparty_dpf_certified,
            "As processor we return the data to, or let it be accessed by, our controller outside the area.",
            governed_by=agreement.id,
            data=data,
        )
        flows.append(_flow(ctx, regime, us, back, f"{prefix}:to_counterparty"))
    for index, rec in enumerate(_subprocessor_recipients(agreement, data), start=1):
        flows.append(_flow(ctx, regime, us, rec, f"{prefix}:subprocessor-{index}"))
    return flows


# --- SCC and UK options --------------------------------------------------------------------------


def _exporter_establishment(answers: Answers) -> str | None:
    org = answers.organisation
    if org.country and is_eea(org.country):
        return org.country
    return next((c for c in (org.other_establishments or []) if is_eea(c)), None)


def _yes_no(value: str | None) -> bool | None:
    return {"yes": True, "no": False}.get(value or "")


def resolve_clause13(answers: Answers) -> Clause13:
    """SCC Clause 13(a) for the organisation as data exporter, from its answers (``authorities.clause13``):
    its EU/EEA establishment (for Germany, its Land), else its Art 27 representative, else where the people are."""
    org, j = answers.organisation, answers.jurisdictions
    establishment = _exporter_establishment(answers)
    country = establishment or org.country
    return clause13(
        country,
        org.german_land if country == "DE" else None,
        has_eu_representative=_yes_no(org.has_eu_representative),
        representative_country=org.eu_representative_country,
        people_countries=tuple(j.people_eu_countries or ()),
    )


CLAUSE13_QUESTIONS = {
    "the Land where the exporter is established": "organisation.german_land",
    "whether the exporter has appointed an EU representative (GDPR Art 27)": "organisation.has_eu_representative",
    "the EU/EEA country where the representative is established": "organisation.eu_representative_country",
    "the Land where the EU representative is established": "organisation.eu_representative_country",
    "the EU/EEA countries where the people whose data is transferred are": "jurisdictions.people_eu_countries",
}
"""The answer that settles each gap ``authorities.clause13`` can name (``Clause13.missing``)."""


def clause13_answer_path(missing: str | None) -> str:
    return CLAUSE13_QUESTIONS.get(missing or "", "jurisdictions.people_eu_countries")


def _needs_eu_law(modules: Sequence[int]) -> bool:
    """Modules 1–3 (or modules not yet known) need an EU Member State's law and courts (Clauses 17–18)."""
    return not modules or any(m in (1, 2, 3) for m in modules)


def scc_options(answers: Answers, modules: Sequence[int]) -> SccOptions:
    """Default SCC choices for these modules, each overridden by the matching answer where given.

    A user's Clause 17 or 18 choice the clauses do not allow (for Modules 1–3 anything but an EU Member State
    whose law allows third-party-beneficiary rights; its courts) is refused: the default is kept and the
    refusal recorded in ``refused`` (``checks.answer_problems`` and the DPA's "Before you sign" say it)."""
    j, agreement = answers.jurisdictions, answers.agreement
    sources: dict[str, str] = {}
    notes: list[str] = []
    refused: list[str] = []

    def pick(name: str, default, agreed=None, user=None):
        if user is not None:
            sources[name] = "user"
            return user
        if agreed is not None:
            sources[name] = "agreement"
            return agreed
        sources[name] = "default"
        return default

    docking = pick(
        "docking_clause",
        True,
        user=None if j.scc_docking_clause in (None, "not_sure") else j.scc_docking_clause == "yes",
    )
    option9 = pick("clause9_option", "general", agreement.subprocessor_authorisation, j.scc_clause9_option)
    days9 = pick(
        "clause9_notice_days", DEFAULT_NOTICE_DAYS, agreement.subprocessor_notice_days, j.scc_clause9_notice_days
    )
    clause11 = pick(
        "clause11_independent_body",
        False,
        user=None
        if j.scc_clause11_independent_body in (None, "not_sure")
        else j.scc_clause11_independent_body == "yes",
    )

    resolved = resolve_clause13(answers)
    authority = resolved.authority
    note13 = f"Clause 13(a): {resolved.reason}." + (
        f" To name the authority, answer: {resolved.missing}." if resolved.missing else ""
    )
    sources["clause13_authority"] = "default"

    establishment = _exporter_establishment(answers)
    member_state = establishment if establishment and countries()[establishment].third_party_beneficiary_law else None
    fallback = member_state or DEFAULT_LAW
    eu_only = _needs_eu_law(modules)
    law = pick("governing_law", fallback, user=j.scc_governing_law)
    if sources["governing_law"] == "user":
        if eu_only and not (is_eu(law) and _allows_beneficiaries(law)):
            refused.append(
                f"Clause 17: the EU SCCs ({_modules_text(modules)}) must be governed by the law of an EU Member State "
                f"that allows third-party-beneficiary rights; {_place_name(law)} was chosen, so "
                f"{_place_name(fallback)} is used instead. Change the answer to the governing law of the EU SCCs "
                "(jurisdictions.scc_governing_law) to an EU Member State."
            )
            law = fallback
            sources["governing_law"] = "default"
        elif not eu_only and not _allows_beneficiaries(law):
            notes.append(
                f"Clause 17 (Module 4): {_place_name(law)} was chosen; check that its law allows "
                "third-party-beneficiary rights."
            )
    forum_default = law if is_eu(law) else fallback
    forum = pick("forum", forum_default, user=j.scc_forum)
    if sources["forum"] == "user" and eu_only and not is_eu(forum):
        refused.append(
            f"Clause 18: disputes under the EU SCCs ({_modules_text(modules)}) go to the courts of an EU Member "
            f"State; {_place_name(forum)} was chosen, so the courts of {_place_name(forum_default)} are used "
            "instead. Change the answer to the courts for the EU SCCs (jurisdictions.scc_forum) to an EU Member State."
        )
        forum = forum_default
        sources["forum"] = "default"
    if not member_state and sources["governing_law"] == "default":
        notes.append(
            "Clause 17: the exporter is not established in an EU Member State, so Irish law is "
            "proposed (Option 1: the law of a Member State that allows third-party-beneficiary rights)."
        )
    if 4 in modules:
        notes.append(
            "Module 4: Clause 17 may be the law of any country that allows third-party-beneficiary "
            "rights and Clause 18 the courts of any country; the Member State choice is kept."
        )
    if not any(m in (2, 3) for m in modules):
        notes.append("Clause 9 applies to Modules 2 and 3 only; the choice is kept for completeness.")
    notes.extend(refused)

    ids = [
        "SCC914-OPT-C7",
        "SCC914-OPT-C9-1" if option9 == "specific" else "SCC914-OPT-C9-2",
        "SCC914-OPT-C11",
        "SCC914-C13",
        "SCC914-OPT-C17-1",
        "SCC914-C18",
        "SCC914-AI-C",
    ]
    if 4 in modules:
        ids += ["SCC914-C17-M4", "SCC914-C18-M4"]
    return SccOptions(
        modules=tuple(sorted(set(modules))),
        docking_clause=docking,
        clause9_option=option9,
        clause9_notice_days=days9,
        clause11_independent_body=clause11,
        clause13_authority=authority,
        clause13_note=note13,
        clause17_option=1,
        governing_law=law,
        forum=forum,
        sources=sources,
        notes=tuple(notes),
        requirement_ids=tuple(ids),
        clause13_missing=resolved.missing,
        clause13_unconfirmed=resolved.unconfirmed if authority == resolved.authority else None,
        refused=tuple(refused),
    )


def _modules_text(modules: Sequence[int]) -> str:
    known = sorted(set(modules))
    if not known:
        return "the module not yet known"
    return ("Module " if len(known) == 1 else "Modules ") + ", ".join(str(m) for m in known)


def _allows_beneficiaries(code: str) -> bool:
    entry = countries().get(code)
    return bool(entry and entry.third_party_beneficiary_law)


def uk_options(answers: Answers, flows: Sequence[TransferFlow], eu_modules: Sequence[int]) -> UkOptions:
    org = answers.organisation
    uk_flows = [f for f in flows if f.regime == "uk_gdpr" and f.mechanism in ("uk_addendum", "uk_idta")]
    known: tuple[Literal["uk_addendum", "uk_idta"], ...] = ("uk_addendum", "uk_idta")
    instruments = tuple(m for m in known if any(f.mechanism == m for f in uk_flows))
    contact_name = org.privacy_contact_name or org.dpo_name
    contact_email = org.privacy_contact_email or org.dpo_email
    contact = ", ".join(x for x in (contact_name, contact_email) if x) or None
    notes = [
        "Table 4: either party may end the Addendum if the ICO issues a revised Addendum (Section 19); "
        "change this if you want only the exporter to have that right."
    ]
    if contact is None:
        notes.append("Table 1 needs a key contact: answer the privacy contact questions.")
    return UkOptions(
        instruments=instruments,
        start_date="the date of signature of this agreement",
        exporter=org.legal_name or "the exporter",
        exporter_country=org.country,
        importers=tuple(dict.fromkeys((f.to_name, f.to_country) for f in uk_flows)),
        key_contact=contact,
        eu_scc_modules=tuple(sorted(set(eu_modules))) if "uk_addendum" in instruments else (),
        table4_ending_party=("importer", "exporter"),
        law_and_courts="England and Wales",
        notes=tuple(notes),
        requirement_ids=("UK-IDTA-1", "UK-IDTA-2", "UK-IDTA-4", "UK-DUAA-3"),
    )


# --- the analysis --------------------------------------------------------------------------------


def analyse_transfers(answers: Answers, regimes: Sequence[RegimeDecision]) -> TransferAnalysis:
    """The transfer flows of every transfer-restricting regime that applies, for every agreement and the
    organisation's own recipients (the risk report keeps them all), and the options to fill in."""
    status = {d.code: d.status for d in regimes}
    notes: list[str] = []
    if answers.agreement.our_role is None:
        notes.append("Our role in the agreement is not answered; the organisation is treated as the controller.")
    ctx = _Context(
        answers,
        _org_role(answers),
        answers.organisation.country,
        tuple(answers.data.data_categories or ()) or ("CRM personal data",),
    )
    if ctx.role == "processor" and (answers.crm.vendor or answers.crm.hosting_region):
        notes.append(
            "As a processor we work in our clients' CRM: the transfer to the CRM vendor is the client's "
            "(the controller's) and is not listed here."
        )
    flows: list[TransferFlow] = []
    for regime in TRANSFER_REGIMES:
        if status.get(regime) == "applies":
            flows.extend(_flows_for_regime(ctx, regime))
        elif status.get(regime) == "may_apply":
            notes.append(f"{_law(regime)} may apply: if it does, its transfer rules apply to the flows too.")
    return _summarise(answers, flows, notes)


def _summarise(
    answers: Answers, flows: Sequence[TransferFlow], notes: Sequence[str], agreement_id: str | None = None
) -> TransferAnalysis:
    eu_modules = sorted(
        {f.scc_module for f in flows if f.regime == "eu_gdpr" and f.mechanism == "scc" and f.scc_module is not None}
    )
    eu_scc = any(f.regime == "eu_gdpr" and f.mechanism == "scc" for f in flows)
    scc = scc_options(answers, eu_modules) if eu_scc else None
    uk_needed = any(f.mechanism in ("uk_addendum", "uk_idta") for f in flows)
    uk = uk_options(answers, flows, eu_modules) if uk_needed else None
    popia_72 = any(f.mechanism == "popia_72_agreement" for f in flows)
    return TransferAnalysis(tuple(flows), scc, uk, popia_72, tuple(notes), agreement_id)


def agreement_transfers(transfers: TransferAnalysis, answers: Answers) -> TransferAnalysis:
    """The transfers of the agreement in focus (``answers.focus``) only: the flows it governs, with the SCC,
    UK and POPIA options worked out for them. A DPA's schedules are drafted from this, never from the
    organisation's other flows (its CRM vendor, other processors)."""
    flows = transfers.governed_by(answers.focus)
    return _summarise(answers, flows, transfers.notes, answers.focus)


def transfer_facts(transfers: TransferAnalysis) -> dict[str, Any]:
    """The facts of stage 3 (see ``dpakit/data/facts.toml``): the transfer mechanisms and modules needed."""
    flows = [f for f in transfers.flows if f.mechanism != "none_needed"]
    mechanisms = {f.mechanism for f in flows}
    modules = sorted({f.scc_module for f in flows if f.scc_module is not None})
    return {
        "transfer.any": bool(flows),
        "transfer.countries": sorted({f.to_country for f in flows}),
        "transfer.adequacy": "adequacy" in mechanisms,
        "transfer.eu_scc": any(f.mechanism == "scc" and f.regime == "eu_gdpr" for f in flows),
        "transfer.uk_addendum": "uk_addendum" in mechanisms,
        "transfer.uk_idta": "uk_idta" in mechanisms,
        "transfer.dpf": "dpf" in mechanisms,
        "transfer.popia_72": "popia_72_agreement" in mechanisms,
        "transfer.tia_required": any(f.tia_required for f in flows),
        "transfer.scc_modules": modules,
    }
