"""Hostile user values appear literally in the DPA and break nothing (issue 4, acceptance 3)."""

from __future__ import annotations

import functools

import pytest

from dpakit.analysis import analyse
from dpakit.drafting.draft import draft_dpa
from dpakit.examples import load_example
from dpakit.models import Processor, RetentionRule
from tests.docx_checks import check_package, docx_comments, docx_text

HOSTILE = [
    "{{ 7*7 }}",
    "{% raw %}x{% endraw %}",
    "{_{ split }_} {_% p %_}",
    "<w:p><w:r><w:t>injected</w:t></w:r></w:p>",
    "Smith & Sons <Ltd> \"quoted\" 'single'",
    "**bold** _under_ [link](http://x) # heading",
    "ctl\x01\x07\x0b\x0cchars",
    "\u202eעברית العربية\u202c",
    "emoji 😀👩🏽‍💻",
    "{{ ''.__class__.__mro__ }}",
    "[[controller.name]]",
    "100% }} %} #}",
]
LONG_NAME = "Ω" * 4990 + " GmbH"


def _hostile_answers():
    answers = load_example("brightwave")  # a processor: our name, theirs, sub-processors all appear
    joined = " | ".join(HOSTILE)
    data = answers.model_dump(mode="json")
    data["organisation"]["legal_name"] = LONG_NAME
    data["organisation"]["address"] = HOSTILE[3] + "\n" + HOSTILE[4]
    data["agreements"][0]["counterparty_name"] = joined
    data["agreements"][0]["services"] = HOSTILE[5] + " " + HOSTILE[0]
    data["agreements"][0]["main_agreement_name"] = HOSTILE[1]
    data["agreements"][0]["counterparty_contact_name"] = HOSTILE[7]
    data["crm"]["processors"] = [Processor(name=h, service=h, country="IE", address=h).model_dump() for h in HOSTILE]
    data["rights"]["retention_rules"] = [RetentionRule(category=HOSTILE[2], period=HOSTILE[8]).model_dump()]
    return type(answers).model_validate(data)


@functools.cache
def _draft(comments: bool = True):
    return draft_dpa(analyse(_hostile_answers()), comments=comments)


def _cleaned() -> list[str]:
    answers = _hostile_answers()
    return [p.name for p in answers.crm.processors]  # the values as the model keeps them


def test_hostile_values_do_not_break_the_package():
    allowed = [*_cleaned(), answers_name(), _hostile_answers().agreement.counterparty_name]
    check_package(_draft().docx, allowed_literals=allowed)


def answers_name() -> str:
    return _hostile_answers().organisation.legal_name


@pytest.mark.parametrize("value", _cleaned(), ids=range(len(HOSTILE)))
def test_each_hostile_value_appears_literally(value):
    text = docx_text(_draft().docx)
    assert value in text


def _paragraphs_holding_values() -> list[str]:
    """The document's paragraphs that show one of the user's values (not, say, the fingerprint lines,
    whose hex digits change with every content change and may well contain "49")."""
    answers = _hostile_answers()
    values = [*_cleaned(), answers.agreement.counterparty_name, answers.agreement.services, LONG_NAME]
    return [p for p in docx_text(_draft().docx).split("\n") if any(v in p for v in values)]


def test_nothing_in_a_value_is_evaluated_or_parsed():
    holding = _paragraphs_holding_values()
    assert sum("{{ 7*7 }}" in p for p in holding) >= 3  # a processor's name, service and address at least
    assert not [p[:120] for p in holding if "49" in p]  # where the value is shown, it was not computed
    text = docx_text(_draft().docx)
    assert "injected" not in text.replace("<w:p><w:r><w:t>injected</w:t></w:r></w:p>", "")
    assert "class 'object'" not in text


def test_control_characters_are_removed_by_the_model_before_drafting():
    assert "ctlchars" in _cleaned()


def test_a_5000_character_name_is_kept_whole():
    text = docx_text(_draft().docx)
    assert LONG_NAME in text
    assert _hostile_answers().agreement.counterparty_name in text


def test_comments_and_clean_copy_survive_hostile_values():
    assert len(docx_comments(_draft().docx)) == len(_draft().selected) + 1  # one per clause, one on Annex III
    check_package(_draft(False).docx, allowed_literals=[*_cleaned(), _hostile_answers().agreement.counterparty_name])
