"""The analysis every later stage starts from: answers → regimes → transfers → facts.

``analyse(answers)`` is the single entry point for scoring, drafting and review: it decides which laws
apply, works out the transfer flows and their mechanisms, and builds the facts every condition (risk
rules, clause inclusion) is evaluated against. It is pure and deterministic.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import Any

from .facts import answer_facts
from .models import Answers
from .regimes import RegimeDecision, determine_regimes, regime_facts
from .transfers import TransferAnalysis, agreement_transfers, analyse_transfers, transfer_facts


@dataclass(frozen=True)
class Analysis:
    answers: Answers
    regimes: tuple[RegimeDecision, ...]
    transfers: TransferAnalysis
    facts: Mapping[str, Any]
    agreement_id: str | None = None
    """``None``: organisation-wide (risk, plan); else narrowed to that agreement (``analyse_agreement``)."""

    def regime(self, code: str) -> RegimeDecision:
        for decision in self.regimes:
            if decision.code == code:
                return decision
        raise KeyError(f"unknown regime code {code!r}")

    @property
    def regimes_in_scope(self) -> list[str]:
        """Codes of the regimes that apply."""
        return [d.code for d in self.regimes if d.status == "applies"]

    @property
    def regimes_possible(self) -> list[str]:
        """Codes of the regimes that may apply and should be checked."""
        return [d.code for d in self.regimes if d.status == "may_apply"]


def build_facts(answers: Answers, regimes: Sequence[RegimeDecision], transfers: TransferAnalysis) -> dict[str, Any]:
    """All facts a condition may test: the answers and every derived fact of every stage."""
    return {**answer_facts(answers), **regime_facts(regimes), **transfer_facts(transfers)}


def analyse(answers: Answers) -> Analysis:
    """Decide the regimes, analyse the transfers and build the facts, for one set of answers.

    Organisation-wide: ``transfers`` holds every flow of every agreement and of the organisation's own
    recipients. The ``"agreement.…"`` facts read the agreement in focus (``answers.focused(id)``)."""
    regimes = tuple(determine_regimes(answers))
    transfers = analyse_transfers(answers, regimes)
    facts = MappingProxyType(build_facts(answers, regimes, transfers))
    return Analysis(answers=answers, regimes=regimes, transfers=transfers, facts=facts)


def analyse_agreement(analysis: Analysis, agreement_id: str | None = None) -> Analysis:
    """``analysis`` narrowed to one agreement (by default the one in focus): its transfers are the flows that
    agreement governs, with their own SCC/UK/POPIA options, and the ``transfer.*`` facts are rebuilt from them,
    so a DPA's clause conditions and schedules see that relationship only. Idempotent."""
    answers = analysis.answers if agreement_id is None else analysis.answers.focused(agreement_id)
    if analysis.agreement_id is not None:  # already narrowed: to this agreement, or start again
        return analysis if analysis.agreement_id == answers.focus else analyse_agreement(analyse(answers))
    transfers = agreement_transfers(analysis.transfers, answers)
    facts = MappingProxyType(build_facts(answers, analysis.regimes, transfers))
    return replace(analysis, answers=answers, transfers=transfers, facts=facts, agreement_id=answers.focus)
