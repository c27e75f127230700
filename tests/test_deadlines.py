"""Deadline cards come from the catalogue, for the regimes in scope, each with its citation."""

from __future__ import annotations

from dpakit.deadlines import UNTIMED, deadline_cards
from dpakit.requirements import load_catalogue


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


def test_untimed_rows_exist_in_the_catalogue():
    catalogue = load_catalogue()
    assert all(ref in catalogue for ref in UNTIMED)


def test_no_regimes_no_cards():
    assert deadline_cards([]) == []
    assert deadline_cards(["not_a_regime"]) == []
