"""User text on pages is shown literally: an organisation called ``:material/home: …`` gets no icon, an
emoji shortcode no emoji, Markdown no formatting (issue 13). AppTest sees the Markdown source the browser
receives, so the check is that every Markdown context gets the escaped form and none the raw one."""

from __future__ import annotations

import pytest
from apptest_support import open_page

from ui.text import md

NAME = ":material/home: Acme :smile: **Ltd** [x](http://e.example) :red[alert]"
TITLE = ":material/star: 2026 review"
MARKDOWN_KINDS = ("title", "header", "subheader", "markdown", "caption", "success", "info", "warning", "error")


def _markdown_texts(at) -> list[str]:
    """Every string the page sends to Streamlit's Markdown renderer (bodies and labels)."""
    texts = [str(el.value) for kind in MARKDOWN_KINDS for el in getattr(at, kind)]
    texts += [str(el.value) for kind in ("markdown", "caption") for el in getattr(at.sidebar, kind)]
    texts += [el.label for el in at.expander]
    texts += [w.label for w in (*at.button, *at.checkbox, *at.selectbox, *at.text_input)]
    return texts


@pytest.mark.parametrize(
    "page",
    ["views/start.py", "views/workspace.py", "views/compare.py", "views/review_answers.py", "views/audit_log.py"],
)
def test_names_and_titles_reach_markdown_only_escaped(app_db, page):
    org = app_db.create_organisation(NAME)
    item = app_db.create_assessment(org.id, title=TITLE)
    app_db.create_assessment(org.id, title="older")
    at = open_page(page, item.id)
    texts = _markdown_texts(at)
    for raw in (":material/home:", ":material/star:", ":smile:", "**Ltd**", ":red[", "[x](http"):
        assert not [t for t in texts if raw in t], raw
    assert any(md(NAME) in t for t in texts) or page == "views/compare.py"  # compare: a selectbox (plain text)


def test_the_start_page_shows_the_name_escaped_in_the_list_and_the_resume_box(app_db):
    org = app_db.create_organisation(NAME)
    item = app_db.create_assessment(org.id, title=TITLE)
    at = open_page("views/start.py", item.id)
    assert md(NAME) in [e.label for e in at.expander]
    assert "\\:material/home\\:" in md(NAME)
    assert any(md(NAME) in m.value and md(TITLE) in m.value for m in at.markdown)
