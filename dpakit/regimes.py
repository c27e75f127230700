"""Which privacy laws apply to an organisation, and why.

The decisions are data (``data/regimes.toml``): for each regime, grounds on which it *applies* and
grounds on which it *may apply* (a person should check), each a condition in the shared condition
language over the facts of ``facts.answer_facts``. ``determine_regimes`` evaluates them and returns one
``RegimeDecision`` per regime; each reason carries the ground's sentence and the facts its condition
tested, taken from the evaluation record, so an explanation always names the facts that decided it.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from . import conditions as cond
from .content import DATA_DIR, display_path, ensure_unique, read_toml, validate_item
from .errors import ContentError
from .facts import answer_facts, fact_keys
from .models import Answers

REGIMES_FILE = DATA_DIR / "regimes.toml"

Status = Literal["applies", "may_apply", "not_applicable"]
STATUSES: tuple[Status, ...] = ("applies", "may_apply", "not_applicable")


class Ground(BaseModel):
    """One ground on which a regime applies (or may apply): a condition and the sentence explaining it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    explain: str = Field(min_length=1)
    when: cond.Condition

    @field_validator("when")
    @classmethod
    def _known_facts(cls, value: cond.Condition) -> cond.Condition:
        unknown = [f for f in cond.referenced_fields(value) if f not in fact_keys()]
        if unknown:
            raise ValueError(f"unknown fact(s) {unknown}: use an answer path or a key of facts.toml")
        return value


class IncludedLaw(BaseModel):
    """A law screened under another regime's grounds that the catalogue still cites on its own
    (Québec Law 25 under PIPEDA): it has a code and a name, and no decision of its own."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str = Field(min_length=1)


class RegimeSpec(BaseModel):
    """A regime and the grounds that decide whether it applies."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str = Field(min_length=1)
    scope: str = Field(min_length=1)
    not_applicable: str = Field(min_length=1)
    mandatory_law: str | None = None
    """What "Mandatory Law" means in a DPA under this regime (the only law that may override instructions)."""
    statute: str | None = None
    """The law's full title as a DPA names it; needed with ``mandatory_law`` (for the data it is said of)."""
    mandatory_law_exclusive: bool = False
    """The law allows no other law to override the instructions (EU and UK GDPR): the DPA says so."""

    @model_validator(mode="after")
    def _mandatory_law_pair(self) -> RegimeSpec:
        if self.mandatory_law is not None and self.statute is None:
            raise ValueError("mandatory_law needs the statute it is said of")
        return self

    includes: tuple[IncludedLaw, ...] = ()
    applies_if: tuple[Ground, ...] = ()
    may_apply_if: tuple[Ground, ...] = ()

    @model_validator(mode="after")
    def _has_grounds(self) -> RegimeSpec:
        if not self.applies_if and not self.may_apply_if:
            raise ValueError("a regime needs at least one ground in applies_if or may_apply_if")
        ids = [g.id for g in self.applies_if] + [g.id for g in self.may_apply_if]
        if len(ids) != len(set(ids)):
            raise ValueError("ground ids must be unique within a regime")
        return self

    def condition(self, status: Literal["applies", "may_apply"]) -> cond.Condition:
        """The grounds of ``status`` as one condition (any of them); never-true when there are none."""
        grounds = self.applies_if if status == "applies" else self.may_apply_if
        if not grounds:
            return cond.Not(op="not", cond=cond.ALWAYS)
        return cond.Any_(op="any", of=[g.when for g in grounds])

    @property
    def applies_condition(self) -> cond.Condition:
        return self.condition("applies")

    @property
    def may_apply_condition(self) -> cond.Condition:
        return self.condition("may_apply")


@dataclass(frozen=True)
class Reason:
    """Why a regime has its status: a plain sentence and the facts (path, value) behind it."""

    text: str
    facts: tuple[tuple[str, Any], ...]
    ground: str | None = None


@dataclass(frozen=True)
class RegimeDecision:
    code: str
    name: str
    status: Status
    reasons: tuple[Reason, ...]

    @property
    def applies(self) -> bool:
        return self.status == "applies"


# --- loading -------------------------------------------------------------------------------------


def load_regimes(path: Path = REGIMES_FILE) -> list[RegimeSpec]:
    """Read and validate a regimes file; a problem is a ContentError naming the file and the regime."""
    return list(_load(path))


@functools.cache
def _load(path: Path) -> tuple[RegimeSpec, ...]:
    file = display_path(path)
    raw = read_toml(path).get("regime")
    if not isinstance(raw, list) or not raw:
        raise ContentError(file, "expected [[regime]] entries")
    specs = []
    for index, entry in enumerate(raw, start=1):
        item = entry.get("code") if isinstance(entry, dict) else None
        specs.append(validate_item(RegimeSpec, entry, file, str(item or f"regime #{index}")))
    ensure_unique(((code, file) for s in specs for code in (s.code, *(i.code for i in s.includes))), "regime")
    return tuple(specs)


def regime_codes() -> list[str]:
    return [spec.code for spec in load_regimes()]


def regime_name(code: str) -> str:
    """The display name of a regime, or of a law a regime ``includes``."""
    for spec in load_regimes():
        if spec.code == code:
            return spec.name
        for law in spec.includes:
            if law.code == code:
                return law.name
    raise KeyError(f"unknown regime code {code!r}")


# --- deciding ------------------------------------------------------------------------------------


def _facts_of(verdict: cond.Verdict) -> tuple[tuple[str, Any], ...]:
    seen: dict[str, Any] = {}
    for test in verdict.because:
        seen.setdefault(test.field, _plain(test.actual))
    return tuple(seen.items())


def _plain(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def decide(spec: RegimeSpec, facts: Mapping[str, Any]) -> RegimeDecision:
    """The status of one regime for these facts, with the reasons taken from the evaluation record."""
    for status, grounds in (("applies", spec.applies_if), ("may_apply", spec.may_apply_if)):
        reasons = []
        for ground in grounds:
            verdict = cond.evaluate(ground.when, facts)
            if verdict:
                reasons.append(Reason(ground.explain, _facts_of(verdict), ground.id))
        if reasons:
            return RegimeDecision(spec.code, spec.name, status, tuple(reasons))  # type: ignore[arg-type]
    checked = cond.evaluate(cond.Any_(op="any", of=[spec.applies_condition, spec.may_apply_condition]), facts)
    return RegimeDecision(spec.code, spec.name, "not_applicable", (Reason(spec.not_applicable, _facts_of(checked)),))


def determine_regimes(answers: Answers, specs: list[RegimeSpec] | None = None) -> list[RegimeDecision]:
    """One decision per regime, in the order of the regimes file."""
    facts = answer_facts(answers)
    return [decide(spec, facts) for spec in (specs if specs is not None else load_regimes())]


def regime_facts(regimes: Sequence[RegimeDecision]) -> dict[str, Any]:
    """The facts of stage 2 (see ``dpakit/data/facts.toml``): which regimes apply or may apply."""
    applies = [r.code for r in regimes if r.status == "applies"]
    return {
        "regimes": applies,
        "regimes_possible": [r.code for r in regimes if r.status == "may_apply"],
        "ccpa.business": "ccpa" in applies,
    }
