"""The "Before you sign" list: the conditions a draft states instead of facts the answers do not support.

A statement of fact or warranty in a DPA that rests on an answer (a transfer impact assessment done, a
sub-processor's agreement in place, the scope confirmed, a measure of the Processor's) is drafted as a fact
only when that answer is "yes". Otherwise it is drafted as a visible bracketed condition that names the answer
("[Before signature: … — the questionnaire answers no]") and recorded here as a ``Condition``. The DPA opens
with the list of those conditions and of every ``[to be completed …]`` gap left in it; the documents page shows
the same list (``DraftedDpa.before_you_sign``). The list is empty exactly when nothing is outstanding.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

GAP_RE = re.compile(r"\[to be completed[^\]]*\]", re.IGNORECASE)
"""A gap left in a draft: ``[to be completed: …]`` (or ``[To be completed by … before signature: …]``)."""


@dataclass(frozen=True)
class Condition:
    """One item of "Before you sign": the text as the DPA prints it and the answer it rests on.

    ``answer_path`` is the answer field (``"jurisdictions.tia_done"``), or ``None`` for a ``[to be completed]``
    gap; ``answer`` is that answer in plain words ("the questionnaire answers no")."""

    text: str
    answer_path: str | None
    answer: str


def answer_words(value: object) -> str:
    """An answer in plain words, as a condition names it."""
    if value in (None, "", [], ()):
        return "the questionnaire does not answer this yet"
    if value == "no":
        return "the questionnaire answers no"
    if value == "not_sure":
        return "the questionnaire answers not sure"
    if value == "not_confirmed":
        return "the questionnaire says the Processor has not yet confirmed it"
    return f"the questionnaire answers {value}"


class Conditions:
    """The conditions recorded while a draft's values are worked out (some may not end up in the document:
    ``before_you_sign`` keeps those that do)."""

    def __init__(self) -> None:
        self.items: list[Condition] = []

    def add(self, text: str, answer_path: str, value: object) -> str:
        """Record a condition and return its text, to be printed where the statement would have been."""
        self.items.append(Condition(text, answer_path, answer_words(value)))
        return text


def condition(what: str, answer: str) -> str:
    """``[Before signature: {what} — {answer}]``."""
    return f"[Before signature: {what} — {answer}]"


def before_you_sign(
    recorded: Iterable[Condition], texts: Iterable[str], gap_answers: Mapping[str, str | None] | None = None
) -> tuple[Condition, ...]:
    """The recorded conditions that the document prints, then every ``[to be completed]`` gap in it, each once,
    with the answer it waits for (``gap_answers``: gap text -> answer path; a gap's ``answer`` is its own
    "to be completed", which it prints)."""
    blob = "\n".join(texts)
    items = [c for c in dict.fromkeys(recorded) if c.text in blob]
    shown = {c.text for c in items}
    for gap in dict.fromkeys(GAP_RE.findall(blob)):
        if gap not in shown and not any(gap in c.text for c in items):
            path = (gap_answers or {}).get(gap)
            if path is None and gap.startswith("[To be completed by the Processor"):
                path = "agreement.subprocessors"
            items.append(Condition(gap, path, gap[1:17]))
    return tuple(items)


NOTHING_OUTSTANDING = (
    "Nothing is outstanding: no statement in this draft rests on an answer of no, not sure or blank, and no "
    "detail is left to be completed. The draft still needs a lawyer's review."
)

__all__ = ["GAP_RE", "NOTHING_OUTSTANDING", "Condition", "Conditions", "answer_words", "before_you_sign", "condition"]
