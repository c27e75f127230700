"""Deadline cards come from the catalogue, for the regimes in scope, each with its citation."""

from __future__ import annotations

from pathlib import Path

import pytest

from dpakit.deadlines import TOPICS, deadline_cards
from dpakit.errors import ContentError
from dpakit.requirements import REQUIREMENTS_DIR, load_catalogue


def ids(cards):
    return [c.requirement_id for c in cards]


def test_gdpr_cards_cover_the_request_clock_extension_and_72_hour_breach_notice():
    cards = deadline_cards(["eu_gdpr", "uk_gdpr"], role="controller")
    by_id = {c.requirement_id: c for c in cards}
    assert by_id["GDPR-12-3-a"].period == "1 month"
    assert by_id["GDPR-12-3-b"].extension == "extendable by 2 more months"
    assert by_id["GDPR-33-1"].period == "72 hours" and by_id["GDPR-33-1"].topic == "breach"
    assert by_id["GDPR-34-1"].period == "Without undue delay"
    assert by_id["GDPR-33-1"].regimes == ("eu_gdpr", "uk_gdpr")
    assert ids(cards).count("GDPR-33-1") == 1
    assert "GDPR-33-2" not in by_id  # the processor's duty, not this controller's


def test_ccpa_cards_include_45_days_10_business_days_opt_outs_and_30_day_breach_notice():
    by_id = {c.requirement_id: c for c in deadline_cards(["ccpa"], role="controller")}
    assert by_id["CCPA-130-a-2"].period == "45 calendar days"
    assert by_id["CCPA-130-a-2"].extension == "extendable by 45 more days"
    assert by_id["CCPA-7021-a"].period == "10 business days"
    assert by_id["CCPA-7026-f"].topic == "opt_out" and by_id["CCPA-7026-f"].period == "15 business days"
    assert by_id["CA-82-SB446"].period == "30 calendar days"
    assert "CCPA-150-3" not in by_id


def test_popia_cards_give_paia_30_days_and_breach_notice_as_soon_as_reasonably_possible():
    by_id = {c.requirement_id: c for c in deadline_cards(["popia"], role="controller")}
    assert by_id["POPIA-25"].period == "30 calendar days"
    assert by_id["POPIA-22-2"].period == "As soon as reasonably possible"


def test_every_card_cites_its_requirement_with_source_and_status():
    catalogue = load_catalogue()
    for card in deadline_cards(["eu_gdpr", "uk_gdpr", "ccpa", "popia", "lgpd", "ch_fadp"]):
        req = catalogue.get(card.requirement_id)
        assert (card.citation, card.url, card.status) == (req.citation, req.url, req.status)
        assert card.url.startswith("http") and card.period


def test_a_duty_without_a_number_gives_its_period_in_the_law_s_words():
    catalogue = load_catalogue()
    untimed = [r for r in catalogue.requirements.values() if r.deadline and r.deadline.in_words]
    assert {r.id for r in untimed} >= {"GDPR-34-1", "GDPR-33-2", "POPIA-22-2", "POPIA-21-2", "CA-82-b"}
    cards = {c.requirement_id: c for c in deadline_cards(["eu_gdpr", "popia", "ccpa"])}
    for req in untimed:
        if req.id in cards:
            assert cards[req.id].period == req.deadline.in_words and cards[req.id].extension == ""


def test_every_topic_a_card_shows_has_a_heading_and_the_topics_come_from_the_catalogue():
    cards = deadline_cards(["eu_gdpr", "uk_gdpr", "ccpa", "popia", "lgpd", "pipeda"])
    catalogue = load_catalogue()
    assert {c.topic for c in cards} <= set(TOPICS)
    assert {c.topic for c in cards} >= {"requests", "breach", "opt_out", "other"}
    for card in cards:
        assert card.topic == catalogue.get(card.requirement_id).deadline.topic


def copy_catalogue(tmp_path: Path, file: str, old: str, new: str) -> Path:
    folder = tmp_path / "requirements"
    folder.mkdir()
    for path in REQUIREMENTS_DIR.glob("*.toml"):
        text = path.read_text(encoding="utf-8")
        if path.name == file:
            assert old in text
            text = text.replace(old, new, 1)
        (folder / path.name).write_text(text, encoding="utf-8")
    return folder


def test_a_topic_changed_in_the_catalogue_moves_the_card(tmp_path: Path):
    folder = copy_catalogue(
        tmp_path,
        "eu_gdpr.toml",
        'clock = "from the controller becoming aware of the breach", topic = "breach"',
        'clock = "from the controller becoming aware of the breach", topic = "other"',
    )
    cards = {c.requirement_id: c for c in deadline_cards(["eu_gdpr"], load_catalogue(folder))}
    assert cards["GDPR-33-1"].topic == "other"


def test_a_row_marked_card_false_gives_no_card(tmp_path: Path):
    assert "CCPA-150-3" not in {c.requirement_id for c in deadline_cards(["ccpa"])}
    folder = copy_catalogue(tmp_path, "ccpa.toml", ", card = false }", " }")
    assert "CCPA-150-3" in {c.requirement_id for c in deadline_cards(["ccpa"], load_catalogue(folder))}


@pytest.mark.parametrize(
    ("deadline", "message"),
    [
        ('{ clock = "from receipt" }', "needs months, days, business_days, hours or in_words"),
        ('{ days = 3, in_words = "Immediately", clock = "x" }', "or in_words, not both"),
        ('{ days = 3, clock = "x", topic = "breaches" }', "topic"),
    ],
)
def test_a_deadline_without_one_clear_period_or_with_an_unknown_topic_is_rejected(tmp_path, deadline, message):
    folder = copy_catalogue(
        tmp_path,
        "popia.toml",
        'deadline = { in_words = "Immediately", clock = "no fixed number of hours or days in the law", topic = "breach" }',
        f"deadline = {deadline}",
    )
    with pytest.raises(ContentError, match=f"POPIA-21-2.*{message}"):
        load_catalogue(folder)


def test_no_regimes_no_cards():
    assert deadline_cards([]) == []
    assert deadline_cards(["not_a_regime"]) == []
