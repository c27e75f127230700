"""The golden case format: one TOML file per organisation in ``tests/cases/``, validated before any test reads it.

A case says who the organisation is (``example = "<id>"`` for one of the example organisations, or an
inline ``[answers]`` table in the answers-file format — exactly one of the two) and what a lawyer expects
for it: the regimes (``[regimes]``), the transfers (``[transfers]``), derived facts (``[facts]``), risk
findings (``[risk]``) and the clauses and schedules of its DPA (``[clauses]``). ``tests/cases/README.md``
documents the format with an example.

Every model forbids unknown keys, so a misspelt key (``absnet`` for ``absent``) is an error rather than a
check that silently never runs. Names that refer to content are checked against it when a case is loaded:
example ids, regime codes, rule ids (``dpakit.risk.load_rules``), requirement ids (the catalogue), clause
ids (the clause library) and fact keys. ``load_case`` raises ``ContentError`` naming the file and the
field (``tests/cases/x.toml: risk.absnet: Extra inputs are not permitted``).
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Callable, Container, Sequence
from pathlib import Path
from typing import Annotated, Literal, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StrictStr,
    ValidationError,
    model_validator,
)

from dpakit.analysis import Analysis, analyse
from dpakit.content import format_validation_error
from dpakit.drafting.clauses import load_library
from dpakit.errors import ContentError
from dpakit.examples import EXAMPLES, load_example
from dpakit.facts import fact_keys
from dpakit.models import Answers, CountryCode
from dpakit.requirements import REGIME_NAMES, load_catalogue
from dpakit.risk import Severity, load_rules
from dpakit.transfers import Mechanism, TransferRegime

CASES_DIR = Path(__file__).resolve().parent / "cases"
REPO_ROOT = CASES_DIR.parents[1]

# --- references to content, checked when a case is loaded ----------------------------------------


@functools.cache
def _rule_ids() -> frozenset[str]:
    return frozenset(r.id for r in load_rules())


@functools.cache
def _clause_ids() -> frozenset[str]:
    return frozenset(load_library().ids())


@functools.cache
def _fact_keys() -> frozenset[str]:
    return frozenset(fact_keys())


def _known(kind: str, pool: Callable[[], Container[str]]) -> AfterValidator:
    """A check that a name is one the content defines (``pool`` is read when the first case is validated)."""

    def check(value: str) -> str:
        if value not in pool():
            raise ValueError(f"unknown {kind} {value!r}")
        return value

    return AfterValidator(check)


ExampleId = Annotated[str, _known("example", lambda: EXAMPLES)]
Regime = Annotated[str, _known("regime", lambda: REGIME_NAMES)]
RuleId = Annotated[str, _known("rule", _rule_ids)]
RequirementId = Annotated[str, _known("requirement", load_catalogue)]
ClauseId = Annotated[str, _known("clause", _clause_ids)]
FactKey = Annotated[str, _known("fact", _fact_keys)]
Place = Annotated[str, Field(pattern=r"^([A-Z]{2}|unknown)$")]
"""Where a flow goes, as ``TransferFlow.to_country``: a country code, ``EU`` (EU hosting) or ``unknown``."""
SccModule = Literal[1, 2, 3, 4]
ScheduleId = Literal["schedule_eu_scc", "schedule_uk", "schedule_ccpa", "schedule_popia"]
UkInstrument = Literal["uk_addendum", "uk_idta"]
FactValue = StrictBool | StrictInt | StrictStr | list[StrictInt] | list[StrictStr]
NonBlank = Annotated[str, Field(min_length=1)]


def _unique(values: Sequence[object], where: str) -> None:
    repeated = sorted({str(v) for v in values if values.count(v) > 1})
    if repeated:
        raise ValueError(f"{where} lists {', '.join(repeated)} more than once")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# --- [regimes], [transfers], [facts] ---------------------------------------------------------------


class Regimes(_Model):
    """``applies`` is exactly the regimes in scope, in the analysis' order; the others are spot checks."""

    applies: list[Regime]
    not_applicable: list[Regime] = []
    may_apply: list[Regime] = []

    @model_validator(mode="after")
    def _each_regime_once(self) -> Self:
        _unique(self.applies + self.not_applicable + self.may_apply, "[regimes]")
        return self


class RiskTransfer(_Model):
    """Every flow of ``regime``'s data to ``to_country`` uses this mechanism (``scc_module`` absent = none)."""

    regime: TransferRegime
    to_country: Place
    mechanism: Mechanism
    scc_module: SccModule | None = None
    tia_required: StrictBool


class Flow(RiskTransfer):
    """Exactly one flow matches ``regime`` + ``to_country`` (+ ``to_name`` when given) and has these values."""

    to_name: NonBlank | None = None


class Transfers(_Model):
    only_listed: StrictBool = False
    """Every flow that needs a mechanism is listed in ``flow``."""
    scc: StrictBool
    uk: StrictBool
    popia_72: StrictBool
    scc_modules: list[SccModule] = []
    scc_governing_law: CountryCode | None = None
    scc_forum: CountryCode | None = None
    uk_instruments: list[UkInstrument] = []
    flow: list[Flow] = []

    @model_validator(mode="after")
    def _instrument_details_match_the_instruments(self) -> Self:
        scc_details = bool(self.scc_modules) or self.scc_governing_law is not None or self.scc_forum is not None
        if self.scc and not (self.scc_modules and self.scc_governing_law and self.scc_forum):
            raise ValueError("scc = true needs scc_modules, scc_governing_law and scc_forum")
        if not self.scc and scc_details:
            raise ValueError("scc = false: scc_modules must be empty and scc_governing_law, scc_forum absent")
        if self.uk != bool(self.uk_instruments):
            raise ValueError("uk_instruments must be given exactly when uk = true")
        _unique(self.scc_modules, "scc_modules")
        _unique(self.uk_instruments, "uk_instruments")
        return self


# --- [risk] ----------------------------------------------------------------------------------------


class Finding(_Model):
    """Rule ``rule`` fires, at ``severity_at_least`` or worse, citing at least the requirements in ``cites``."""

    rule: RuleId
    why: NonBlank
    severity_at_least: Severity
    cites: Annotated[list[RequirementId], Field(min_length=1)]


class Risk(_Model):
    absent: list[RuleId] = []
    transfer: list[RiskTransfer] = []
    finding: list[Finding] = []

    @model_validator(mode="after")
    def _each_rule_once(self) -> Self:
        _unique(self.absent + [f.rule for f in self.finding], "[risk] (absent and finding rules)")
        return self


# --- [clauses] -------------------------------------------------------------------------------------


class Clauses(_Model):
    """The schedules present in document order with their headings; every conditional clause classified."""

    schedules: list[ScheduleId]
    headings: list[NonBlank]
    include: list[ClauseId]
    exclude: list[ClauseId]

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if len(self.headings) != len(self.schedules):
            raise ValueError(f"{len(self.schedules)} schedules but {len(self.headings)} headings: one each")
        _unique(self.schedules, "schedules")
        _unique(self.include + self.exclude, "include and exclude")
        return self


# --- the case --------------------------------------------------------------------------------------


class GoldenCase(_Model):
    example: ExampleId | None = None
    answers: Answers | None = None
    regimes: Regimes
    transfers: Transfers
    facts: dict[FactKey, FactValue] = {}
    risk: Risk
    clauses: Clauses

    @model_validator(mode="after")
    def _one_organisation(self) -> Self:
        if (self.example is None) == (self.answers is None):
            raise ValueError("give exactly one of `example` (an example id) and an inline [answers] table")
        return self

    @property
    def organisation(self) -> str:
        """The example id, or the legal name of inline answers (for messages)."""
        return self.example or (self.answers and self.answers.organisation.legal_name) or "inline answers"

    def load_answers(self) -> Answers:
        if self.answers is not None:
            return self.answers.model_copy(deep=True)
        assert self.example is not None
        return load_example(self.example)


def case_files(folder: Path = CASES_DIR) -> list[Path]:
    """The case files of ``folder``, in name order; a case's name is its file name without ``.toml``."""
    return sorted(p for p in folder.glob("*.toml") if p.is_file())


def _display(path: Path) -> str:
    try:
        return path.resolve().relative_to(REPO_ROOT).as_posix()
    except ValueError:
        return str(path)


def load_case(path: Path) -> GoldenCase:
    """Read and validate one case file; any problem raises ``ContentError`` naming the file and field."""
    file = _display(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ContentError(file, f"not a readable TOML file: {exc}") from None
    try:
        return GoldenCase.model_validate(data)
    except ValidationError as exc:
        raise ContentError(file, format_validation_error(exc)) from None


def load_cases(folder: Path = CASES_DIR) -> dict[str, GoldenCase]:
    """Every case of ``folder`` by name, in name order; the first invalid file raises ``ContentError``."""
    return {path.stem: load_case(path) for path in case_files(folder)}


@functools.cache
def _analysis(path: Path) -> Analysis:
    return analyse(load_case(path).load_answers())


def case_and_analysis(path: Path) -> tuple[GoldenCase, Analysis]:
    """The case in ``path`` and the analysis of its organisation, computed once per file for all test modules."""
    return load_case(path), _analysis(path)
