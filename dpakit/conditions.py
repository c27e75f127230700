"""One condition language for question visibility, risk-rule triggers and clause inclusion.

A condition is data (TOML or JSON), validated into a pydantic discriminated union on ``op``; nothing is
ever evaluated as code. Evaluating a condition against a set of *facts* (the answers, flattened to
``"section.field"`` paths, plus derived facts such as ``regimes`` or ``transfer.eu_scc``) returns the
result **and the leaf tests that decided it**. That record is the single source for every "why": the
explanation in the app and the reviewer comment in the DOCX are both written from it.

Examples (TOML)::

    visible_if = { op = "eq", field = "organisation.has_dpo", value = "yes" }
    when = { op = "all", of = [
        { op = "contains", field = "purposes.purposes", value = "email_marketing" },
        { op = "in", field = "purposes.consent_records", values = ["no", "not_sure"] },
    ] }

Operators: ``always``, ``all``, ``any``, ``not``, ``eq``, ``ne``, ``in``, ``contains``, ``contains_any``,
``answered``, ``gte``, ``lte``. A fact that is missing or ``None`` means "not answered": it equals
nothing, contains nothing and is never ``>=``/``<=`` anything; ``ne`` and ``not`` are true for it.

``in`` and ``contains_any`` take their ``values`` either literally or as a *named set* from
``data/sets.toml`` (``set = "main_regimes"``), so a list used by many rules is written once; the set is
read when the condition is parsed and the condition then holds its values (and the set's name). Sets of
countries are not named sets: they are derived facts (``org.in_eea`` …) computed from ``countries.toml``.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, model_validator

from .content import DATA_DIR, display_path, read_toml, validate_item
from .errors import ContentError

Scalar = str | int | float | bool
SETS_FILE = DATA_DIR / "sets.toml"


class _Op(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Always(_Op):
    op: Literal["always"]


class All(_Op):
    op: Literal["all"]
    of: list[Condition] = Field(min_length=1)


class Any_(_Op):
    op: Literal["any"]
    of: list[Condition] = Field(min_length=1)


class Not(_Op):
    op: Literal["not"]
    cond: Condition


class Eq(_Op):
    op: Literal["eq"]
    field: str
    value: Scalar


class Ne(_Op):
    op: Literal["ne"]
    field: str
    value: Scalar


class NamedSet(_Op):
    """A list of values that conditions name instead of repeating it (``data/sets.toml``)."""

    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: str = Field(min_length=1)
    description: str = Field(min_length=1)
    values: tuple[Scalar, ...] = Field(min_length=1)


def load_sets(path: Path = SETS_FILE) -> dict[str, NamedSet]:
    """Read and validate a sets file; a problem is a ContentError naming the file and the set."""
    file = display_path(path)
    raw = read_toml(path).get("set")
    if not isinstance(raw, dict) or not raw:
        raise ContentError(file, "expected [set.name] tables")
    found = {}
    for name, entry in raw.items():
        if not isinstance(entry, dict):
            raise ContentError(file, "expected a table", name)
        found[name] = validate_item(NamedSet, {"name": name, **entry}, file, name)
    return found


@functools.cache
def named_sets() -> dict[str, NamedSet]:
    """Every named set, by name (read once)."""
    return load_sets()


class _Listed(_Op):
    """An operator tested against a list: ``values`` written out, or ``set`` naming one in ``data/sets.toml``."""

    set: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _values_of_the_named_set(cls, data: Any) -> Any:
        if not isinstance(data, dict) or data.get("set") is None:
            return data
        if "values" in data:
            raise ValueError("give values or set, not both")
        sets = named_sets()
        if data["set"] not in sets:
            raise ValueError(f"unknown set {data['set']!r}; known: {sorted(sets)}")
        return {**data, "values": list(sets[data["set"]].values)}


class In(_Listed):
    op: Literal["in"]
    field: str
    values: list[Scalar] = Field(min_length=1)


class Contains(_Op):
    op: Literal["contains"]
    field: str
    value: Scalar


class ContainsAny(_Listed):
    op: Literal["contains_any"]
    field: str
    values: list[Scalar] = Field(min_length=1)


class Answered(_Op):
    op: Literal["answered"]
    field: str


class Gte(_Op):
    op: Literal["gte"]
    field: str
    value: int | float


class Lte(_Op):
    op: Literal["lte"]
    field: str
    value: int | float


Condition = Annotated[
    Always | All | Any_ | Not | Eq | Ne | In | Contains | ContainsAny | Answered | Gte | Lte,
    Field(discriminator="op"),
]
LeafOp = Eq | Ne | In | Contains | ContainsAny | Answered | Gte | Lte

for _model in (All, Any_, Not):
    _model.model_rebuild()

CONDITION_ADAPTER: TypeAdapter[Condition] = TypeAdapter(Condition)
ALWAYS = Always(op="always")


def parse_condition(data: Any) -> Condition:
    """Validate raw data (a dict from TOML/JSON) as a condition; raises ``pydantic.ValidationError``."""
    return CONDITION_ADAPTER.validate_python(data)


@dataclass(frozen=True)
class Test:
    """One leaf test as evaluated: what was asked of which fact, what the fact was, and the outcome.

    ``negated`` is set when the test sits under an odd number of ``not``: the outcome then counted
    against the overall result, and an explanation should read it the other way round.
    """

    field: str
    op: str
    expected: Any
    actual: Any
    held: bool
    negated: bool = False


@dataclass(frozen=True)
class Verdict:
    """The result of evaluating a condition, with the leaf tests that decided it."""

    value: bool
    because: tuple[Test, ...]

    def __bool__(self) -> bool:
        return self.value

    @property
    def fields(self) -> list[str]:
        """The facts the decision rests on, in order, without repeats."""
        return list(dict.fromkeys(t.field for t in self.because))


def evaluate(cond: Condition, facts: Mapping[str, Any]) -> Verdict:
    """Evaluate ``cond`` against ``facts`` and say which leaf tests decided the result.

    For ``all`` that held, every child's reasons count; for ``all`` that failed, the first failing
    child's. For ``any`` that held, the reasons of the children that held; for ``any`` that failed,
    every child's. ``not`` keeps its child's reasons, marked as negated.
    """
    match cond:
        case Always():
            return Verdict(True, ())
        case All(of=children):
            results = []
            for child in children:
                verdict = evaluate(child, facts)
                if not verdict.value:
                    return Verdict(False, verdict.because)
                results.append(verdict)
            return Verdict(True, tuple(t for v in results for t in v.because))
        case Any_(of=children):
            verdicts = [evaluate(child, facts) for child in children]
            holding = [v for v in verdicts if v.value]
            chosen = holding if holding else verdicts
            return Verdict(bool(holding), tuple(t for v in chosen for t in v.because))
        case Not(cond=child):
            verdict = evaluate(child, facts)
            flipped = tuple(Test(t.field, t.op, t.expected, t.actual, t.held, not t.negated) for t in verdict.because)
            return Verdict(not verdict.value, flipped)
        case _:
            actual = facts.get(cond.field)
            held = _leaf(cond, actual)
            return Verdict(held, (Test(cond.field, cond.op, _expected(cond), actual, held),))


def _expected(cond: LeafOp) -> Any:
    match cond:
        case In() | ContainsAny():
            return tuple(cond.values)
        case Answered():
            return None
        case _:
            return cond.value


def _leaf(cond: LeafOp, actual: Any) -> bool:
    match cond:
        case Answered():
            return actual is not None and actual != [] and actual != ""
        case Ne(value=value):
            return actual is None or not _same(actual, value)
    if actual is None:
        return False
    match cond:
        case Eq(value=value):
            return _same(actual, value)
        case In(values=values):
            return any(_same(actual, v) for v in values)
        case Contains(value=value):
            return _is_collection(actual) and any(_same(item, value) for item in actual)
        case ContainsAny(values=values):
            return _is_collection(actual) and any(_same(item, v) for item in actual for v in values)
        case Gte(value=value):
            return _is_number(actual) and actual >= value
        case Lte(value=value):
            return _is_number(actual) and actual <= value
    raise AssertionError(f"unhandled operator {cond.op}")  # pragma: no cover


def _same(actual: Any, expected: Any) -> bool:
    # ``True == 1`` in Python; a yes/no fact must not equal (or be found among) counts, nor the reverse.
    return actual == expected and isinstance(actual, bool) == isinstance(expected, bool)


def _is_collection(value: Any) -> bool:
    return isinstance(value, list | tuple | set | frozenset)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def leaves(cond: Condition) -> Iterator[LeafOp]:
    """Every leaf test of a condition, depth first (for checking that fields exist)."""
    match cond:
        case Always():
            return
        case All(of=children) | Any_(of=children):
            for child in children:
                yield from leaves(child)
        case Not(cond=child):
            yield from leaves(child)
        case _:
            yield cond


def referenced_fields(cond: Condition) -> list[str]:
    return list(dict.fromkeys(leaf.field for leaf in leaves(cond)))
