"""Turn a condition's decision trace into plain words: which answers (and derived facts) decided it.

A :class:`~dpakit.conditions.Verdict` carries the leaf tests that decided a condition. ``explain`` turns
each tested fact into a :class:`Reason`: for an answer field, the question's label and the answer as a
person reads it (``questionnaire.answer_text``); for a derived fact (``regimes``, ``transfer.eu_scc`` …),
its label from ``data/facts.toml`` and its value in words. Risk findings, regime reasons and clause
comments all use this, so the "why" shown in the app and written into documents reads the same.

Example: a rule that fired because MFA is not enforced and the EU GDPR applies explains itself as
``["Is multi-factor authentication enforced …? — No", "The laws that apply — EU GDPR"]``.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .conditions import Verdict
from .models import NOT_SURE, field_paths
from .questionnaire import Questionnaire, answer_text, default_questionnaire
from .requirements import REGIME_NAMES

NOT_ANSWERED = "not answered yet"
NOT_KNOWN = "not known yet"


@dataclass(frozen=True)
class Reason:
    """One fact behind a decision, in words.

    ``field`` is the answer path or derived-fact key; ``label`` the question or fact label;
    ``value_text`` the value as a person reads it; ``text`` the two joined into one line;
    ``derived`` tells a derived fact from an answer.
    """

    field: str
    label: str
    value_text: str
    text: str
    derived: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "field": self.field,
            "label": self.label,
            "value": self.value_text,
            "text": self.text,
            "derived": self.derived,
        }


def explain(
    verdict: Verdict,
    questionnaire: Questionnaire | None = None,
    fact_labels: Mapping[str, str] | None = None,
) -> list[Reason]:
    """The facts a verdict rests on, in order, each once, as :class:`Reason` lines.

    ``questionnaire`` defaults to the packaged questions; ``fact_labels`` (key → label) to the labels
    documented in ``data/facts.toml``.
    """
    if questionnaire is None:
        questionnaire = default_questionnaire()
    if fact_labels is None:
        fact_labels = default_fact_labels()
    answer_fields = _answer_fields()
    seen: set[str] = set()
    reasons = []
    for test in verdict.because:
        if test.field in seen:
            continue
        seen.add(test.field)
        if test.field in answer_fields:
            reasons.append(_answer_reason(test.field, test.actual, questionnaire))
        else:
            reasons.append(_fact_reason(test.field, test.actual, fact_labels))
    return reasons


def _answer_reason(field: str, value: Any, questionnaire: Questionnaire) -> Reason:
    try:
        question = questionnaire.question(field)
    except KeyError:
        label, text = field, _generic_value(value, NOT_ANSWERED)
    else:
        label = question.label
        text = NOT_ANSWERED if _empty(value) else answer_text(question, value)
    return Reason(field, label, text, f"{label} — {text}")


def _fact_reason(field: str, value: Any, fact_labels: Mapping[str, str]) -> Reason:
    label = fact_labels.get(field, field)
    if field in ("regimes", "regimes_possible") and isinstance(value, list | tuple):
        text = ", ".join(REGIME_NAMES.get(str(code), str(code)) for code in value) or "none"
    else:
        text = _generic_value(value, NOT_KNOWN)
    shown = label[:1].upper() + label[1:]
    return Reason(field, label, text, f"{shown} — {text}", derived=True)


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == []


def _generic_value(value: Any, missing: str) -> str:
    if _empty(value):
        return missing
    if value is True or value == "yes":
        return "Yes"
    if value is False or value == "no":
        return "No"
    if value == NOT_SURE:
        return "Not sure"
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


@functools.cache
def _answer_fields() -> frozenset[str]:
    return frozenset(field_paths())


def default_fact_labels() -> dict[str, str]:
    """Key → label of every documented derived fact (``data/facts.toml``)."""
    from .facts import fact_specs

    return {key: spec.label for key, spec in fact_specs().items()}
