"""The coverage guarantee: every mandatory DPA term of every regime in scope is served by a clause.

A *mandatory DPA term* is a catalogue requirement of kind ``dpa_term``. Some carry their own ``when``
condition (e.g. "the EU SCCs are incorporated" only when ``transfer.eu_scc``); such a term is required
only where its condition holds for the facts. A clause *serves* a requirement when it lists the
requirement's id in its front matter ``requirements``.

* ``coverage(facts, selected, catalogue)`` — for one document: per regime in ``facts["regimes"]``, which
  required terms the selected clauses serve (and by which clauses) and which are missing.
* ``check_coverage(...)`` — the same, raising ``CoverageGap`` (naming every missing id per regime) when
  anything is missing; drafting calls it and refuses to produce a document with a gap.
* ``library_coverage(library, catalogue)`` — for ``python -m dpakit check``: per regime, which mandatory
  terms (conditional ones included) *some* clause of the library serves.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..conditions import evaluate, parse_condition
from ..errors import CoverageGap
from ..requirements import REGIME_NAMES, Catalogue, Requirement
from .clauses import Clause, ClauseLibrary, SelectedClause

__all__ = [
    "CoverageReport",
    "RegimeCoverage",
    "check_coverage",
    "coverage",
    "library_coverage",
]

LIBRARY_REGIMES: tuple[str, ...] = ("eu_gdpr", "uk_gdpr", "ccpa", "popia")
"""The regimes the clause library is meant to cover completely (``python -m dpakit check``)."""


@dataclass(frozen=True)
class RegimeCoverage:
    """Coverage of one regime's mandatory DPA terms.

    ``served`` maps each required term id to the ids of the clauses that serve it (in document order);
    ``missing`` lists required terms no clause serves; ``not_required`` lists conditional terms whose
    ``when`` does not hold for these facts (empty for library coverage).
    """

    regime: str
    served: dict[str, list[str]]
    missing: list[str]
    not_required: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return REGIME_NAMES.get(self.regime, self.regime)

    @property
    def required(self) -> list[str]:
        return [*self.served, *self.missing]

    @property
    def complete(self) -> bool:
        return not self.missing

    @property
    def percent(self) -> float:
        total = len(self.served) + len(self.missing)
        return 100.0 if total == 0 else round(100.0 * len(self.served) / total, 1)

    def summary(self) -> str:
        """One line, e.g. "EU GDPR: 25 of 25 mandatory DPA terms served (100 %)"."""
        total = len(self.served) + len(self.missing)
        line = f"{self.name}: {len(self.served)} of {total} mandatory DPA terms served ({self.percent:g} %)"
        if self.missing:
            line += " — missing " + ", ".join(self.missing)
        return line


@dataclass(frozen=True)
class CoverageReport:
    """Coverage per regime, in the order the regimes were given."""

    regimes: dict[str, RegimeCoverage]

    @property
    def complete(self) -> bool:
        return all(r.complete for r in self.regimes.values())

    @property
    def missing(self) -> dict[str, list[str]]:
        """Missing term ids per regime, only for regimes with a gap."""
        return {code: r.missing for code, r in self.regimes.items() if r.missing}

    def summary(self) -> list[str]:
        return [r.summary() for r in self.regimes.values()]


def _serving(clauses: Iterable[Clause]) -> dict[str, list[str]]:
    by_requirement: dict[str, list[str]] = {}
    for clause in clauses:
        for req_id in clause.requirements:
            by_requirement.setdefault(req_id, []).append(clause.id)
    return by_requirement


def _is_required(term: Requirement, facts: Mapping[str, Any]) -> bool:
    return term.when is None or evaluate(parse_condition(term.when), facts).value


def _regimes_in_scope(facts: Mapping[str, Any]) -> list[str]:
    regimes = facts.get("regimes") or []
    return list(dict.fromkeys(str(r) for r in regimes))


def coverage(facts: Mapping[str, Any], selected: Sequence[SelectedClause], catalogue: Catalogue) -> CoverageReport:
    """Which mandatory DPA terms of each regime in ``facts["regimes"]`` the selected clauses serve."""
    serving = _serving(s.clause for s in selected)
    report: dict[str, RegimeCoverage] = {}
    for regime in _regimes_in_scope(facts):
        if regime not in REGIME_NAMES:
            continue
        served: dict[str, list[str]] = {}
        missing: list[str] = []
        not_required: list[str] = []
        for term in catalogue.mandatory_terms(regime):
            if not _is_required(term, facts):
                not_required.append(term.id)
            elif term.id in serving:
                served[term.id] = serving[term.id]
            else:
                missing.append(term.id)
        report[regime] = RegimeCoverage(regime, served, missing, not_required)
    return CoverageReport(report)


def check_coverage(
    facts: Mapping[str, Any], selected: Sequence[SelectedClause], catalogue: Catalogue
) -> CoverageReport:
    """``coverage(...)``, raising ``CoverageGap`` with every missing term per regime if there is a gap."""
    report = coverage(facts, selected, catalogue)
    if not report.complete:
        raise CoverageGap(report.missing)
    return report


def library_coverage(
    library: ClauseLibrary, catalogue: Catalogue, regimes: Sequence[str] = LIBRARY_REGIMES
) -> CoverageReport:
    """Per regime: which mandatory DPA terms (conditional ones included) some clause in the library serves."""
    serving = _serving(library.clauses)
    report: dict[str, RegimeCoverage] = {}
    for regime in regimes:
        served: dict[str, list[str]] = {}
        missing: list[str] = []
        for term in catalogue.mandatory_terms(regime):
            if term.id in serving:
                served[term.id] = serving[term.id]
            else:
                missing.append(term.id)
        report[regime] = RegimeCoverage(regime, served, missing)
    return CoverageReport(report)
