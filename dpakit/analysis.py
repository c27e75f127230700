"""The analysis every later stage starts from: answers → regimes → transfers → facts.

``analyse(answers)`` is the single entry point for scoring, drafting and review: it decides which laws
apply, works out the transfer flows and their mechanisms, and builds the facts every condition (risk
rules, clause inclusion) is evaluated against. It is pure and deterministic.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from .facts import answer_facts
from .models import Answers
from .regimes import RegimeDecision, determine_regimes, regime_facts
from .transfers import TransferAnalysis, analyse_transfers, transfer_facts


@dataclass(frozen=True)
class Analysis:
    answers: Answers
    regimes: tuple[RegimeDecision, ...]
    transfers: TransferAnalysis
    facts: Mapping[str, Any]

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
    """Decide the regimes, analyse the transfers and build the facts, for one set of answers."""
    regimes = tuple(determine_regimes(answers))
    transfers = analyse_transfers(answers, regimes)
    facts = MappingProxyType(build_facts(answers, regimes, transfers))
    return Analysis(answers=answers, regimes=regimes, transfers=transfers, facts=facts)
