"""The clause library: its files load and validate, its format is documented, bad content fails closed."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from dpakit.conditions import referenced_fields
from dpakit.content import CLAUSES_DIR
from dpakit.drafting.clauses import (
    SECTIONS,
    Block,
    Run,
    load_library,
    parse_body,
    parse_clause_text,
    schedules_present,
    select_clauses,
)
from dpakit.drafting.placeholders import PLACEHOLDERS
from dpakit.errors import ContentError
from dpakit.requirements import REGIME_NAMES, load_catalogue

README = CLAUSES_DIR / "README.md"


@pytest.fixture
def library_copy(tmp_path: Path) -> Path:
    """A writable copy of the clause library, to break one file at a time."""
    folder = tmp_path / "clauses"
    shutil.copytree(CLAUSES_DIR, folder)
    return folder


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _readme_example() -> str:
    match = re.search(r"```markdown\n(.*?)```", README.read_text(encoding="utf-8"), re.DOTALL)
    assert match, "clauses/README.md has no ```markdown example"
    return match.group(1)


# --- the documented format ------------------------------------------------------------------------


def test_the_readme_example_parses_into_the_documented_structure():
    clause = parse_clause_text(
        _readme_example(),
        "clauses/README.md",
        known_fields={"agreement.our_role"},
        known_requirements=set(load_catalogue().ids()),
    )
    assert clause.id == "example-breach-notice"
    assert clause.section == "core" and clause.order == 110
    assert clause.defines == ("Personal Data Breach",)
    assert [(b.kind, b.level, b.ordered) for b in clause.blocks] == [
        ("paragraph", 0, False),
        ("paragraph", 0, False),
        ("list_item", 1, True),
        ("list_item", 1, True),
        ("list_item", 1, True),
        ("list_item", 2, False),
        ("list_item", 2, False),
    ]
    first = clause.blocks[0].runs
    assert first[1] == Run(text="Personal Data Breach", bold=True)
    assert clause.placeholders == ["breach_notice_hours"]
    assert Run(text="as far as it is known", italic=True) in clause.blocks[2].runs


def test_the_readme_lists_every_clause_of_the_library(library):
    readme = README.read_text(encoding="utf-8")
    listed = re.findall(r"^\| (\w+) \| `([a-z0-9-]+)` \|", readme, re.MULTILINE)
    assert listed == [(c.section, c.id) for c in library.clauses]


# --- the library as shipped ------------------------------------------------------------------------


def test_every_clause_loads_and_is_complete(library):
    catalogue = load_catalogue()
    assert len(library) >= 40
    for clause in library.clauses:
        assert clause.file == f"clauses/{clause.section}/{clause.id}.md"
        assert clause.blocks, clause.id
        assert all(req in catalogue for req in clause.requirements), clause.id
        assert all(regime in REGIME_NAMES for regime in clause.regimes), clause.id
        assert all(name in PLACEHOLDERS for name in clause.placeholders), clause.id
        assert len(clause.drafting_note) > 80, f"{clause.id}: the drafting note should say why"


def test_every_section_has_clauses_and_the_library_is_in_document_order(library):
    sections = [c.section for c in library.clauses]
    assert list(dict.fromkeys(sections)) == list(SECTIONS)
    for section in SECTIONS:
        orders = [c.order for c in library.clauses if c.section == section]
        assert orders == sorted(orders)


def test_defined_terms_are_bold_where_they_are_defined(library):
    for clause in library.clauses:
        bold = {r.text for b in clause.blocks for r in b.runs if r.bold and not r.placeholder}
        for term in clause.defines:
            assert term in bold, f"{clause.id}: {term!r} is in defines but never in bold"


def test_each_defined_term_is_defined_once_within_the_body_and_within_each_schedule(library):
    seen: dict[tuple[str, str], str] = {}
    for clause in library.clauses:
        for term in clause.defines:
            scope = "body" if clause.section in ("core", "final") else clause.section
            key = (scope, term)
            # Mutually exclusive variants (e.g. the two Background clauses) may define the same term.
            if key in seen:
                assert clause.when is not None, f"{term!r} defined in {seen[key]} and {clause.id}"
            seen[key] = clause.id


def test_the_library_version_is_a_short_content_hash_that_changes_with_any_clause(library_copy):
    first = load_library(library_copy).version
    assert re.fullmatch(r"[0-9a-f]{12}", first)
    assert load_library(library_copy).version == first
    _edit(library_copy / "core" / "audits.md", "once in any twelve months", "twice in any twelve months")
    assert load_library(library_copy).version != first


def test_the_default_library_is_read_once(library):
    assert load_library() is load_library()


def test_bodies_never_cite_clause_or_schedule_numbers(library):
    pattern = re.compile(r"\b(clause|paragraph|schedule) \d", re.IGNORECASE)
    for clause in library.clauses:
        for match in pattern.finditer(clause.text):
            # Clause numbers of the EU SCCs themselves ("Clause 14 of the EU SCCs") are fine.
            assert match.group(1) == "Clause", f"{clause.id}: cites {match.group(0)!r}"


def test_every_when_names_a_known_fact(library):
    from dpakit.facts import fact_keys

    known = set(fact_keys())
    for clause in library.clauses:
        if clause.when is not None:
            assert set(referenced_fields(clause.when)) <= known, clause.id


# --- bad content fails closed, naming file and clause ------------------------------------------------


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        (
            "core/audits.md",
            "[[audit_notice_days]]",
            "[[audit_notice_weeks]]",
            "unknown placeholder [[audit_notice_weeks]]",
        ),
        ("core/audits.md", '"GDPR-28-3-h"', '"GDPR-28-3-z"', "not in the catalogue: GDPR-28-3-z"),
        (
            "core/audits.md",
            "The Processor shall make available",
            "# Audits\n\nThe Processor shall make available",
            "headings are not allowed",
        ),
        (
            "core/audits.md",
            "The Processor shall make available",
            "<div>x</div>\n\nThe Processor shall make available",
            "HTML is not allowed",
        ),
        (
            "core/audits.md",
            "Controller all information necessary",
            "Controller all <b>information</b> necessary",
            "HTML is not allowed",
        ),
        (
            "core/audits.md",
            "Controller all information necessary",
            "Controller all [information](https://example.com) necessary",
            "links are not allowed",
        ),
        (
            "core/audits.md",
            "The Processor shall make available",
            "| a | b |\n|---|---|\n| 1 | 2 |\n\nThe Processor shall make available",
            "tables are not allowed",
        ),
        (
            "core/special-category-data.md",
            'field = "data.special"',
            'field = "data.very_special"',
            "when names unknown field(s) ['data.very_special']",
        ),
        ("core/special-category-data.md", 'op = "eq"', 'op = "equals"', "when is not a valid condition"),
        ("core/audits.md", 'version = "1.0.0"', 'version = "one"', "version"),
        (
            "core/audits.md",
            'regimes = ["eu_gdpr", "uk_gdpr", "ccpa", "popia"]',
            'regimes = ["eu_gdpr", "mars"]',
            "unknown regime code(s) ['mars']",
        ),
        ("core/audits.md", 'section = "core"', 'section = "final"', "but the file is in core/"),
        (
            "core/audits.md",
            "+++\nThe Processor",
            "colour = 'blue'\n+++\nThe Processor",
            "colour: Extra inputs are not permitted",
        ),
    ],
)
def test_an_invalid_clause_file_is_refused_naming_file_and_clause(library_copy, file, old, new, message):
    _edit(library_copy / file, old, new)
    with pytest.raises(ContentError) as caught:
        load_library(library_copy)
    err = caught.value
    assert err.file.endswith(file), err.file
    assert err.item == Path(file).stem
    assert message in err.detail
    assert str(err).startswith(err.file)


def test_a_duplicate_clause_id_is_refused(library_copy):
    source = (library_copy / "final" / "notices.md").read_text(encoding="utf-8")
    (library_copy / "core" / "notices.md").write_text(
        source.replace('section = "final"', 'section = "core"').replace("order = 20", "order = 999"),
        encoding="utf-8",
    )
    with pytest.raises(ContentError) as caught:
        load_library(library_copy)
    assert caught.value.item == "notices"
    assert "duplicate clause id" in caught.value.detail
    assert "notices.md" in caught.value.file


def test_a_file_without_front_matter_is_refused(library_copy):
    (library_copy / "core" / "stray.md").write_text("Just some text.\n", encoding="utf-8")
    with pytest.raises(ContentError, match="front matter"):
        load_library(library_copy)


def test_an_empty_library_is_refused(tmp_path):
    with pytest.raises(ContentError, match="no clause files"):
        load_library(tmp_path)


# --- the restricted Markdown subset -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("## Heading\n", "headings"),
        ("Heading\n=======\n", "headings"),
        ("> quoted\n", "block quotes"),
        ("```\ncode\n```\n", "code blocks"),
        ("    indented code\n", "code blocks"),
        ("Use `code` here.\n", "inline code"),
        ("A [link](https://example.com).\n", "links"),
        ("An autolink <https://example.com>.\n", "links"),
        ("An ![image](x.png).\n", "images"),
        ("<p>html</p>\n", "HTML"),
        ("Inline <span>html</span>.\n", "HTML"),
        ("<!-- comment -->\n", "HTML"),
        ("---\n", "horizontal rules"),
        ("| a | b |\n|---|---|\n| 1 | 2 |\n", "tables"),
        ("Line one  \nline two\n", "hard line breaks"),
        ("Line one\\\nline two\n", "hard line breaks"),
        ("~~struck~~\n", "strikethrough"),
        ("[ref]: https://example.com\n\nText.\n", "link reference definitions"),
        ("1. a\n   1. b\n      1. c\n         1. d\n", "nested at most 3 levels"),
        ("3. starts at three\n", "must start at 1"),
        ("1. first paragraph\n\n   second paragraph\n", "only one paragraph"),
        ("1.\n2. b\n", "empty list item"),
        ("Name: [[Controller Name]].\n", "malformed placeholder"),
        ("Name: [[controller.nickname]].\n", "unknown placeholder [[controller.nickname]]"),
        ("\n\n", "empty"),
    ],
)
def test_markdown_outside_the_subset_fails_closed(body, message):
    with pytest.raises(ContentError) as caught:
        parse_body(body, "clauses/core/x.md", "x")
    assert caught.value.file == "clauses/core/x.md" and caught.value.item == "x"
    assert message in caught.value.detail


@pytest.mark.parametrize("indent", [3, 4])
def test_nested_lists_accept_three_or_four_space_indentation(indent):
    pad = " " * indent
    body = f"1. one\n{pad}- two\n{pad}{pad}1. three\n"
    blocks = parse_body(body)
    assert [(b.level, b.ordered, b.text) for b in blocks] == [
        (1, True, "one"),
        (2, False, "two"),
        (3, True, "three"),
    ]


def test_soft_line_breaks_become_spaces_and_quotes_become_typographic():
    (block,) = parse_body('The "Processor\'s" duty\ncontinues here.\n')
    assert block.text == "The \u201cProcessor\u2019s\u201d duty continues here."


def test_list_references_like_c_are_not_turned_into_symbols():
    (block,) = parse_body("Under Art 28(3)(c) and (tm) and -- as written.\n")
    assert block.text == "Under Art 28(3)(c) and (tm) and -- as written."


# --- placeholders: values are never parsed ------------------------------------------------------------


def test_a_placeholder_is_a_run_of_its_own_with_no_text():
    (block,) = parse_body("Between **[[controller.name]]** and [[processor.name]].\n")
    assert block.runs == (
        Run(text="Between "),
        Run(text="", bold=True, placeholder="controller.name"),
        Run(text=" and "),
        Run(text="", placeholder="processor.name"),
        Run(text="."),
    )


def test_placeholder_names_with_underscores_are_not_emphasis():
    (block,) = parse_body("Within [[breach_notice_hours]] hours and [[scc.clause9_days]] days.\n")
    assert [r.placeholder for r in block.runs if r.placeholder] == ["breach_notice_hours", "scc.clause9_days"]
    assert not any(r.italic or r.bold for r in block.runs)


def _fill(block: Block, values: dict[str, str]) -> list[tuple[str, bool, bool]]:
    """What the DOCX layer does: each placeholder run becomes a literal run with the run's formatting."""
    return [(values[r.placeholder] if r.placeholder else r.text, r.bold, r.italic) for r in block.runs]


@pytest.mark.parametrize(
    "value",
    ["**bold** and *it*", "{{ 7*7 }} {% raw %}", "<w:p>&amp;</w:p>", "[[processor.name]]", "# heading", "1. list"],
)
def test_user_values_are_inserted_after_parsing_and_stay_literal(value):
    (block,) = parse_body("The Controller is [[controller.name]].\n")
    filled = _fill(block, {"controller.name": value})
    assert filled == [("The Controller is ", False, False), (value, False, False), (".", False, False)]


def test_every_clause_of_the_library_keeps_its_placeholders_as_runs(library):
    for clause in library.clauses:
        for block in clause.blocks:
            for run in block.runs:
                assert (run.placeholder is None) or run.text == ""
                assert "[[" not in run.text and "]]" not in run.text, clause.id


# --- selection and numbering ------------------------------------------------------------------------


def _facts(**overrides):
    facts = {
        "regimes": ["eu_gdpr"],
        "agreement.our_role": "controller",
        "agreement.subprocessor_authorisation": "specific",
        "transfer.eu_scc": False,
        "transfer.uk_addendum": False,
        "transfer.uk_idta": False,
        "transfer.dpf": False,
        "transfer.popia_72": False,
        "data.special": False,
    }
    facts.update(overrides)
    return facts


def test_clauses_without_a_condition_are_always_selected(library):
    selected = {s.id for s in select_clauses({}, library)}
    always = {c.id for c in library.clauses if c.when is None}
    assert always <= selected


def test_exactly_one_sub_processor_clause_is_selected_and_unanswered_means_specific(library):
    def chosen(value):
        facts = _facts(**{"agreement.subprocessor_authorisation": value})
        return [s.id for s in select_clauses(facts, library) if s.id.startswith("subprocessors-")]

    assert chosen("general") == ["subprocessors-general"]
    assert chosen("specific") == ["subprocessors-specific"]
    assert chosen(None) == ["subprocessors-specific"]


def test_exactly_one_background_clause_is_selected_for_either_direction(library):
    def chosen(role):
        return [
            s.id
            for s in select_clauses(_facts(**{"agreement.our_role": role}), library)
            if s.id.startswith("background-")
        ]

    assert chosen("controller") == ["background-controller"]
    assert chosen("processor") == ["background-processor"]
    assert chosen(None) == ["background-controller"]


def test_the_body_is_numbered_straight_through_and_schedules_by_appearance(library):
    facts = _facts(regimes=["eu_gdpr", "popia"], **{"transfer.eu_scc": True, "transfer.popia_72": True})
    selected = select_clauses(facts, library)
    body = [s for s in selected if s.schedule is None]
    assert [s.number for s in body] == [str(i) for i in range(1, len(body) + 1)]
    assert [s.section for s in body] == sorted((s.section for s in body), key=["core", "final"].index)
    assert schedules_present(selected) == ["schedule_eu_scc", "schedule_popia"]
    popia = [s for s in selected if s.section == "schedule_popia"]
    assert {s.schedule for s in popia} == {2}
    assert popia[0].section_heading == "Schedule 2 — South Africa (POPIA)"
    assert [s.number for s in popia] == [str(i) for i in range(1, len(popia) + 1)]
    assert popia[0].reference == "paragraph 1 of Schedule 2"
    assert body[0].reference == "clause 1"


def test_a_lone_schedule_is_schedule_1(library):
    selected = select_clauses(_facts(regimes=["popia"]), library)
    assert schedules_present(selected) == ["schedule_popia"]
    assert {s.section_heading for s in selected if s.schedule} == {"Schedule 1 — South Africa (POPIA)"}


def test_the_verdict_says_why_a_conditional_clause_is_included(library):
    selected = {s.id: s for s in select_clauses(_facts(**{"data.special": True}), library)}
    special = selected["special-category-data"]
    assert special.verdict.value is True
    assert special.verdict.fields == ["data.special"]
    assert special.reason().startswith("Included because")
    assert selected["parties"].reason() == "Included in every DPA."


def test_schedules_appear_only_for_their_regime_or_transfer(library):
    plain = select_clauses(_facts(), library)
    assert schedules_present(plain) == []
    assert "special-category-data" not in {s.id for s in plain}
    ccpa = select_clauses(_facts(regimes=["ccpa"]), library)
    assert schedules_present(ccpa) == ["schedule_ccpa"]
    uk = select_clauses(_facts(**{"transfer.uk_idta": True}), library)
    assert [s.id for s in uk if s.section == "schedule_uk"] == ["uk-idta", "uk-transfer-risk"]
    dpf = select_clauses(_facts(**{"transfer.dpf": True}), library)
    assert [s.id for s in dpf if s.schedule] == ["eu-dpf"]
