"""Wizard section: organisation (questions in dpakit/data/questions/)."""

from ui.wizard import render_section

render_section("organisation")
