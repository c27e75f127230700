"""The start page's list of organisations stays bounded with many organisations: a page of them (the most
recently changed first), a search box over names, a choice of order, and a line saying how many are not
shown (issue 18)."""

from __future__ import annotations

import pytest
from apptest_support import open_page

SHOWN = 20
MANY = 45


@pytest.fixture
def many(app_db):
    """MANY organisations ``Client 00`` … with one assessment each; ``Zebra Zoo`` was added first."""
    zebra = app_db.create_organisation("Zebra Zoo")
    app_db.create_assessment(zebra.id, title="Zebra review")
    for n in range(MANY - 1):
        org = app_db.create_organisation(f"Client {n:02}")
        app_db.create_assessment(org.id, title=f"Review {n:02}")
    return app_db


def _names(at) -> list[str]:
    return [e.label for e in at.expander]


def test_with_many_organisations_the_start_page_lists_a_bounded_page_and_says_how_many_are_not_shown(many):
    at = open_page("views/start.py")
    assert len(_names(at)) == SHOWN
    assert _names(at)[0] == f"Client {MANY - 2:02}"  # the most recent change first
    assert "Zebra Zoo" not in _names(at)
    captions = [c.value for c in at.caption]
    assert any(f"Showing {SHOWN} of {MANY} organisations; {MANY - SHOWN} not shown" in c for c in captions), captions
    at.button(key="start-more").click().run()
    assert len(_names(at)) == 2 * SHOWN


def test_the_search_box_finds_an_organisation_that_is_not_on_the_first_page(many):
    at = open_page("views/start.py")
    at.text_input(key="start-search").input("zebra").run()
    assert not at.exception
    assert _names(at) == ["Zebra Zoo"]
    assert any(t.value.startswith("Zebra review — started") for t in at.text)
    assert not any("not shown" in c.value for c in at.caption)
    at.text_input(key="start-search").input("no such client").run()
    assert _names(at) == [] and any("No organisation matches" in i.value for i in at.info)


def test_the_list_can_be_sorted_by_name_or_newest_first(many):
    at = open_page("views/start.py")
    at.selectbox(key="start-sort").select("name").run()
    assert _names(at)[:3] == ["Client 00", "Client 01", "Client 02"]
    at.selectbox(key="start-sort").select("newest").run()
    assert _names(at)[0] == f"Client {MANY - 2:02}" and "Zebra Zoo" not in _names(at)


def test_opening_an_organisation_found_by_search_opens_its_assessment(many):
    at = open_page("views/start.py")
    at.text_input(key="start-search").input("Zebra").run()
    [button] = [b for b in at.button if b.key and b.key.startswith("open-")]
    button.click().run()
    assert not at.exception
    assert at.query_params.get("a") in ([button.key.removeprefix("open-")], button.key.removeprefix("open-"))
