"""Wizard section: rights (questions in dpakit/data/questions/)."""

from ui.wizard import render_section

render_section("rights")
