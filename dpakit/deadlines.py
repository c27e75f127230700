"""Deadline cards: the clocks that start running when a request, an opt-out or a breach arrives.

Cards are built from the requirements catalogue: every requirement of a regime in scope that carries a
``deadline`` table becomes a card (period, extension, when the clock starts), plus the breach duties
whose law sets no fixed period ("as soon as reasonably possible"), which are listed in
:data:`UNTIMED`. Each card cites its requirement ID, citation, source URL and verification status.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from .requirements import REGIME_NAMES, Catalogue, Deadline, Requirement, load_catalogue

Topic = Literal["requests", "breach", "opt_out", "other"]
TOPICS: dict[Topic, str] = {
    "requests": "Requests from individuals",
    "breach": "Breach notification",
    "opt_out": "Opt-outs and limits",
    "other": "Other time limits",
}

TOPIC_OF: dict[str, Topic] = {
    "GDPR-12-3-a": "requests",
    "GDPR-12-3-b": "requests",
    "GDPR-12-4": "requests",
    "UK-DSAR": "requests",
    "CCPA-130-a-2": "requests",
    "CCPA-7021-a": "requests",
    "POPIA-25": "requests",
    "GDPR-33-1": "breach",
    "GDPR-34-1": "breach",
    "GDPR-33-2": "breach",
    "CA-82-SB446": "breach",
    "CA-82-b": "breach",
    "POPIA-22-2": "breach",
    "POPIA-21-2": "breach",
    "CCPA-7026-f": "opt_out",
    "CCPA-7027": "opt_out",
}
"""Which topic a deadline belongs to; rows not listed (other regimes' headline figures) are "other"."""

UNTIMED: dict[str, str] = {
    "GDPR-34-1": "Without undue delay",
    "GDPR-33-2": "Without undue delay",
    "POPIA-22-2": "As soon as reasonably possible",
    "POPIA-21-2": "Immediately",
    "CA-82-b": "Immediately",
}
"""Breach duties whose law sets no number of hours or days: requirement ID → the period in words."""

SKIPPED: frozenset[str] = frozenset({"CCPA-150-3"})
"""Deadline rows that are not the organisation's own clock (a consumer's cure notice before suing)."""


@dataclass(frozen=True)
class DeadlineCard:
    requirement_id: str
    regimes: tuple[str, ...]
    regime_names: str
    topic: Topic
    title: str
    period: str
    extension: str
    clock: str
    summary: str
    citation: str
    url: str
    status: str

    def as_dict(self) -> dict[str, object]:
        return {**self.__dict__, "regimes": list(self.regimes)}


def period_text(deadline: Deadline) -> str:
    """A deadline's period in words: "1 month", "72 hours", "15 business days"."""
    for amount, unit in (
        (deadline.hours, "hour"),
        (deadline.business_days, "business day"),
        (deadline.days, "calendar day"),
        (deadline.months, "month"),
    ):
        if amount:
            return f"{amount} {unit}{'' if amount == 1 else 's'}"
    return ""  # pragma: no cover - the catalogue requires a period


def extension_text(deadline: Deadline) -> str:
    for amount, unit in ((deadline.extension_months, "month"), (deadline.extension_days, "day")):
        if amount:
            return f"extendable by {amount} more {unit}{'' if amount == 1 else 's'}"
    return ""


def deadline_cards(
    regimes: Iterable[str], catalogue: Catalogue | None = None, *, role: str | None = None
) -> list[DeadlineCard]:
    """The deadline cards for the regimes in scope, in regime order, then topic, then catalogue order.

    A requirement shared by several regimes in scope (EU and UK GDPR) gives one card naming both.
    With ``role`` ("controller" or "processor"), duties addressed only to the other role are left out.
    """
    catalogue = catalogue or load_catalogue()
    scope = [code for code in dict.fromkeys(regimes) if code in REGIME_NAMES]
    topic_order = list(TOPICS)
    cards: list[DeadlineCard] = []
    seen: set[str] = set()
    for regime in scope:
        found = []
        for req in catalogue.by_regime(regime):
            if req.id in seen or req.id in SKIPPED:
                continue
            if req.deadline is None and req.id not in UNTIMED:
                continue
            if role and req.roles and role not in req.roles:
                continue
            seen.add(req.id)
            found.append(_card(req, tuple(code for code in scope if code in req.regimes)))
        found.sort(key=lambda c: topic_order.index(c.topic))
        cards.extend(found)
    return cards


def _card(req: Requirement, regimes: tuple[str, ...]) -> DeadlineCard:
    if req.deadline is not None:
        period, extension, clock = period_text(req.deadline), extension_text(req.deadline), req.deadline.clock
    else:
        period, extension, clock = UNTIMED[req.id], "", "no fixed number of hours or days in the law"
    return DeadlineCard(
        requirement_id=req.id,
        regimes=regimes,
        regime_names=", ".join(REGIME_NAMES[code] for code in regimes),
        topic=TOPIC_OF.get(req.id, "other"),
        title=req.title,
        period=period,
        extension=extension,
        clock=clock,
        summary=req.summary,
        citation=req.citation,
        url=req.url,
        status=req.status,
    )
