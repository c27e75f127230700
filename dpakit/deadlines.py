"""Deadline cards: the clocks that start running when a request, an opt-out or a breach arrives.

Cards are built from the requirements catalogue: every requirement of a regime in scope that carries a
``deadline`` table becomes a card (period, extension, when the clock starts), grouped by the deadline's
``topic``. A duty whose law sets no fixed period gives it ``in_words`` ("as soon as reasonably possible");
a row that is not the organisation's own clock says ``card = false``. Each card cites its requirement ID,
citation, source URL and verification status.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .requirements import REGIME_NAMES, Catalogue, Deadline, DeadlineTopic, Requirement, load_catalogue

Topic = DeadlineTopic
TOPICS: dict[Topic, str] = {
    "requests": "Requests from individuals",
    "breach": "Breach notification",
    "opt_out": "Opt-outs and limits",
    "other": "Other time limits",
}
"""The headings of the topics a catalogue deadline names (``topic``), in the order the cards are shown."""


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
    """A deadline's period in words: "1 month", "72 hours", "15 business days", or the law's words."""
    for amount, unit in (
        (deadline.hours, "hour"),
        (deadline.business_days, "business day"),
        (deadline.days, "calendar day"),
        (deadline.months, "month"),
    ):
        if amount:
            return f"{amount} {unit}{'' if amount == 1 else 's'}"
    return deadline.in_words or ""


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
            if req.id in seen or req.deadline is None or not req.deadline.card:
                continue
            if role and req.roles and role not in req.roles:
                continue
            seen.add(req.id)
            found.append(_card(req, tuple(code for code in scope if code in req.regimes)))
        found.sort(key=lambda c: topic_order.index(c.topic))
        cards.extend(found)
    return cards


def _card(req: Requirement, regimes: tuple[str, ...]) -> DeadlineCard:
    deadline = req.deadline
    assert deadline is not None
    return DeadlineCard(
        requirement_id=req.id,
        regimes=regimes,
        regime_names=", ".join(REGIME_NAMES[code] for code in regimes),
        topic=deadline.topic,
        title=req.title,
        period=period_text(deadline),
        extension=extension_text(deadline),
        clock=deadline.clock,
        summary=req.summary,
        citation=req.citation,
        url=req.url,
        status=req.status,
    )
