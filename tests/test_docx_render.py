"""docx_render: sandboxed, escaped rendering; comments on bookmarks; byte-reproducible packages."""

from __future__ import annotations

import io
import zipfile

import docx
import pytest

from dpakit.docx_render import (
    Span,
    add_comments,
    document_text,
    make_reproducible,
    paragraph,
    paragraphs,
    render_reproducible,
    render_template,
    sha256,
    undeclared_variables,
    xml_text,
)
from dpakit.errors import DraftingError

HOSTILE = "{{ 7*7 }} {% raw %} <w:p> & **bold** {_{ x }_} %_} \u202bعربي\u202c 😀 \"q\" 'a'"


@pytest.fixture
def template(tmp_path):
    doc = docx.Document()
    doc.add_paragraph("Hello {{ name }}!")
    doc.add_paragraph("{{p body }}")
    doc.add_paragraph("Tail")
    path = tmp_path / "t.docx"
    doc.save(path)
    return path


def _body(text: str):
    return paragraphs([paragraph([Span("Clause "), Span(text, bold=True)], "Normal", bookmark="c_one")])


def test_values_are_printed_literally_never_interpreted(template):
    data = render_template(template, {"name": HOSTILE, "body": _body(HOSTILE)})
    text = document_text(data)
    assert f"Hello {HOSTILE}!" in text
    assert f"Clause {HOSTILE}" in text
    assert "49" not in text


def test_characters_xml_cannot_hold_are_dropped_and_line_breaks_kept(template):
    data = render_template(template, {"name": "a\x01b\x07c\x0cd", "body": _body("x")})
    assert "Hello abcd!" in document_text(data)


def test_a_missing_variable_is_an_error_not_an_empty_string(template):
    with pytest.raises(DraftingError, match="body"):
        render_template(template, {"name": "x"})


def test_the_template_cannot_reach_python_internals(tmp_path):
    doc = docx.Document()
    doc.add_paragraph("{{ ''.__class__.__mro__ }}")
    path = tmp_path / "evil.docx"
    doc.save(path)
    with pytest.raises(DraftingError):
        render_template(path, {})


def test_two_renders_are_byte_identical_and_carry_fixed_metadata(template):
    ctx = {"name": "Acme", "body": _body("x")}
    first = render_reproducible(template, ctx, title="DPA", comments=[("c_one", "why")])
    second = render_reproducible(template, ctx, title="DPA", comments=[("c_one", "why")])
    assert sha256(first) == sha256(second)
    with zipfile.ZipFile(io.BytesIO(first)) as z:
        names = z.namelist()
        assert names[0] == "[Content_Types].xml"
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    props = docx.Document(io.BytesIO(first)).core_properties
    assert props.title == "DPA" and props.revision == 1
    assert props.created.year == 2000


def test_comments_attach_to_bookmarks_or_text_and_never_go_missing(template):
    data = render_template(template, {"name": "Acme", "body": _body("x")})
    with_comments = add_comments(data, [("c_one", "first line\nsecond"), ("Tail", "on text")])
    comments = list(docx.Document(io.BytesIO(with_comments)).comments)
    assert [c.text for c in comments] == ["first line\nsecond", "on text"]
    assert {c.author for c in comments} == {"dpakit"}
    with pytest.raises(DraftingError, match="nowhere"):
        add_comments(data, [("nowhere", "x")])


def test_make_reproducible_is_idempotent(template):
    data = make_reproducible(render_template(template, {"name": "a", "body": _body("b")}), title="t")
    assert make_reproducible(data, title="t") == data


def test_undeclared_variables_lists_what_the_template_uses(template):
    assert undeclared_variables(template) == {"name", "body"}


def test_xml_text_hides_braces_from_docxtpl_post_processing():
    assert "{" not in xml_text("{_{") and "<" not in xml_text("<w:p>")
