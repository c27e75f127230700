"""No answer is lost between pages, in tables, or in text being typed: in a real browser.

Each of these reproduces a reported data loss that AppTest did not show on its own:
- the workshop page and a section page showing the same question came up empty after visiting the
  other (a keyed widget gets a new element id on each page), and the next edit saved the empty value;
- rows typed into a table cell by cell were shown but not saved (the editor was re-based under the user);
- text typed but not yet committed (no Enter, no leaving the box) was lost on a refresh while the
  sidebar said every answer was saved as you go.
"""

import time

import pytest
from playwright.sync_api import Locator, Page, expect

from dpakit.jurisdictions import countries
from dpakit.questionnaire import default_questionnaire, is_visible
from dpakit.workspace.store import Store
from e2e.harness import (
    AppServer,
    assessment_id,
    go_to,
    question,
    screenshot,
    table_cell_click,
    type_table_row,
    wait_for_app,
    workshop_jump,
)
from ui.widgets import YESNO_LABELS

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

LONG_TEXT_NOTE = "Saved when you leave the box or press Ctrl+Enter."  # ui.widgets.LONG_TEXT_NOTE

QUESTIONNAIRE = default_questionnaire()
WORKSHOP = "Workshop mode"
# One question of every widget kind that the workshop and a section page both show.
ROUND_TRIP = [
    "organisation.legal_name",  # text box
    "organisation.country",  # selectbox (country)
    "organisation.sector",  # selectbox (choice with many options)
    "organisation.staff_count",  # number
    "organisation.is_public_authority",  # radio (yes / no / not sure)
    "data.data_categories",  # multiselect
]


def spec(field: str):
    return next(q for s in QUESTIONNAIRE.sections for q in s.questions if q.field == field)


def section_title(field: str) -> str:
    return QUESTIONNAIRE.section(field.split(".")[0]).title


def workshop_number(answers, field: str) -> int:
    """The question's 1-based number on the workshop page (which shows only visible questions)."""
    facts = answers.flat()
    visible = [q.field for s in QUESTIONNAIRE.sections for q in s.questions if is_visible(q, facts)]
    return visible.index(field) + 1


def poll(read, expected, timeout: float = 10.0):
    """``read()`` until it returns ``expected`` (a save may land just after the run that made it)."""
    deadline = time.monotonic() + timeout
    value = read()
    while value != expected and time.monotonic() < deadline:
        time.sleep(0.2)
        value = read()
    return value


def expect_shows(box: Locator, field: str, value) -> None:
    """The widget for ``field`` inside ``box`` shows the saved ``value`` (not an empty widget)."""
    q = spec(field)
    names = {code: c.name for code, c in countries().items()}
    if q.kind in ("text", "email"):
        expect(box.get_by_test_id("stTextInput").locator("input")).to_have_value(value)
    elif q.kind == "number":
        expect(box.get_by_test_id("stNumberInput").locator("input")).to_have_value(str(value))
    elif q.kind == "yesno":
        expect(box.get_by_role("radio", name=YESNO_LABELS[value], exact=True)).to_be_checked()
    elif q.kind == "country":
        expect(box.get_by_test_id("stSelectbox").get_by_role("combobox")).to_have_value(f"{names[value]} ({value})")
    elif q.kind == "choice" and len(q.options) > 4:
        expect(box.get_by_test_id("stSelectbox").get_by_role("combobox")).to_have_value(q.option_label(value))
    elif q.kind == "choice":
        expect(box.get_by_role("radio", name=q.option_label(value), exact=True)).to_be_checked()
    elif q.kind == "multichoice":
        chips = box.get_by_test_id("stMultiSelectTagsContainer").locator("[data-tag]")
        expect(chips).to_have_count(len(value))
        for item in value:
            expect(box.get_by_test_id("stMultiSelect")).to_contain_text(q.option_label(item))
    else:  # pragma: no cover
        raise AssertionError(q.kind)


def load_example(page: Page, app_server: AppServer) -> tuple[str, Store]:
    page.goto(app_server.url)
    wait_for_app(page)
    page.get_by_role("button", name="Load this example").click()
    wait_for_app(page)
    return assessment_id(page), Store(app_server.db_path)


def test_workshop_and_section_pages_both_show_every_saved_answer(app_server: AppServer, page: Page):
    ident, store = load_example(page, app_server)
    saved = store.assessment(ident).answers
    facts = saved.flat()
    for field in ROUND_TRIP:
        assert facts[field] not in (None, "", []), f"the example leaves {field} empty: pick another"

    stage = page.locator(".st-key-workshop_stage")
    for field in ROUND_TRIP:
        label = spec(field).label
        go_to(page, section_title(field))  # the section page draws the question ...
        expect_shows(question(page, field), field, facts[field])
        go_to(page, WORKSHOP)
        workshop_jump(page, workshop_number(saved, field), label)
        expect(stage).to_contain_text(label)
        expect_shows(stage, field, facts[field])
        go_to(page, section_title(field))  # ... then straight after the workshop drew it
        expect_shows(question(page, field), field, facts[field])
        go_to(page, WORKSHOP)  # ... and the workshop straight after the section page
        expect(stage).to_contain_text(label)
        expect_shows(stage, field, facts[field])
    assert store.assessment(ident).answers == saved, "visiting the pages changed saved answers"

    # An edit after the round trip adds to the saved answer instead of replacing it.
    field = "data.data_categories"
    q = spec(field)
    extra = next(o for o in q.options if o.value not in facts[field])
    go_to(page, section_title(field))
    question(page, field).get_by_test_id("stMultiSelect").locator("input").first.click()
    page.keyboard.type(extra.label)
    page.get_by_role("option", name=extra.label, exact=True).click()
    wait_for_app(page)
    page.keyboard.press("Escape")
    expected = [*facts[field], extra.value]
    assert poll(lambda: store.assessment(ident).answers.flat()[field], expected) == expected

    page.reload()
    wait_for_app(page)
    expect_shows(question(page, field), field, expected)
    go_to(page, WORKSHOP)  # a new session: the workshop starts at question 1 again
    workshop_jump(page, workshop_number(saved, field), q.label)
    expect_shows(stage, field, expected)
    go_to(page, section_title(field))
    expect_shows(question(page, field), field, expected)
    screenshot(page, "no-lost-work-round-trip")


def test_table_rows_typed_cell_by_cell_are_all_saved(app_server: AppServer, page: Page):
    page.goto(app_server.url)
    wait_for_app(page)
    page.get_by_label("Organisation name").fill("Rows Ltd")
    page.get_by_role("button", name="Start").click()
    wait_for_app(page)
    ident = assessment_id(page)
    store = Store(app_server.db_path)
    go_to(page, section_title("crm.processors"))
    editor = question(page, "crm.processors").get_by_test_id("stDataFrame")
    editor.scroll_into_view_if_needed()

    typed = [["Mailchimp", "Newsletters"], ["Twilio", "Text messages"], ["Zendesk", "Support desk"]]
    for row, values in enumerate(typed):
        editor.hover()
        editor.get_by_role("button", name="Add row").click()
        wait_for_app(page)
        type_table_row(page, editor, row, values)
    screenshot(page, "no-lost-work-table-typed")
    # Every typed row is saved, or the page says plainly that it is not.
    not_saved = question(page, "crm.processors").get_by_text("Not saved yet")

    def saved_rows():
        rows = store.assessment(ident).answers.crm.processors or []
        return [[r.name, r.service] for r in rows]

    rows = poll(saved_rows, typed)
    assert rows == typed or not_saved.count(), f"typed {typed}, saved {rows}, and no 'Not saved yet' warning"
    assert rows == typed, f"typed {typed}, saved {rows}"

    # Away and back in the same session: the editor starts again from the saved rows, and a row typed
    # without its required company name is flagged until the name is there, then saved with the rest.
    go_to(page, section_title("data.data_categories"))
    go_to(page, section_title("crm.processors"))
    editor.scroll_into_view_if_needed()
    editor.hover()
    editor.get_by_role("button", name="Add row").click()
    wait_for_app(page)
    table_cell_click(page, editor, len(typed))
    page.keyboard.press("ArrowRight")
    page.keyboard.type("Invoices", delay=60)
    page.keyboard.press("Enter")
    wait_for_app(page)
    expect(not_saved).to_be_visible()
    assert saved_rows() == typed
    type_table_row(page, editor, len(typed), ["Xero"])
    typed.append(["Xero", "Invoices"])
    assert poll(saved_rows, typed) == typed
    expect(not_saved).to_have_count(0)

    page.reload()
    wait_for_app(page)
    assert saved_rows() == typed
    expect(question(page, "crm.processors").get_by_text("Not saved yet")).to_have_count(0)


def test_text_typed_but_not_committed_survives_a_refresh(app_server: AppServer, page: Page):
    page.goto(app_server.url)
    wait_for_app(page)
    page.get_by_label("Organisation name").fill("Typing Ltd")
    page.get_by_role("button", name="Start").click()
    wait_for_app(page)
    ident = assessment_id(page)
    store = Store(app_server.db_path)

    # A short text box saves after a pause in typing: no Enter, no leaving the box.
    field = "organisation.registration_number"
    question(page, field).locator("input").click()
    page.keyboard.type("2019/123456/07", delay=30)
    read = lambda: store.assessment(ident).answers.organisation.registration_number  # noqa: E731
    assert poll(read, "2019/123456/07") == "2019/123456/07", "typed text was not saved before a refresh"
    page.reload()
    wait_for_app(page)
    expect(question(page, field).locator("input")).to_have_value("2019/123456/07")

    # A long text box cannot save while typing (Streamlit commits it on leaving or Ctrl+Enter): the page
    # says so next to the box and in the sidebar, instead of claiming every keystroke is saved.
    address = question(page, "organisation.address")
    expect(address).to_contain_text(LONG_TEXT_NOTE)
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar).to_contain_text("Long text boxes and numbers are saved when you press Enter or leave the box")
    expect(sidebar).not_to_contain_text("Every answer is saved as you go")
    address.locator("textarea").click()
    page.keyboard.type("1 Main Road", delay=30)
    address.locator("textarea").press("Tab")  # leaving the box commits it
    assert poll(lambda: store.assessment(ident).answers.organisation.address, "1 Main Road") == "1 Main Road"
