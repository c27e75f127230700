"""The redline is the newer DPA with native Word tracked changes: accepting them all gives the newer
text, rejecting them all gives the older; ids are unique, author and date fixed, bytes reproducible;
python-docx opens it and LibreOffice converts it."""

import copy
import io
import zipfile

import docx
import pytest
from conftest import require_tool
from docx_checks import check_package, convert_to_pdf, pdf_text
from lxml import etree

from dpakit.analysis import analyse
from dpakit.drafting.draft import draft_dpa
from dpakit.errors import InputError
from dpakit.examples import load_example
from dpakit.workspace.redline import redline

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
DATE = "2026-11-01T10:00:00Z"


@pytest.fixture(scope="module")
def drafts():
    """The Nordlicht DPA, the same after a year of changes (hostile name included), and Fynbos's DPA."""
    old = load_example("nordlicht")
    new = (
        old.with_value("organisation.legal_name", "Nordlicht <Software> & Söhne AG")
        .with_value("agreement.breach_notice_hours", 24)
        .with_value("agreement.services", "Hosting and support of the CRM, plus analytics.")
        .with_value("agreement.subprocessor_authorisation", "specific")
    )
    return {
        name: draft_dpa(analyse(answers)).docx
        for name, answers in (("old", old), ("new", new), ("other", load_example("fynbos")))
    }


def _body(data: bytes) -> etree._Element:
    return etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")).find(f"{W}body")


def _texts(body: etree._Element) -> list[str]:
    out = []
    for p in body.iter(f"{W}p"):
        out.append("".join(t.text or "" for t in p.iter(f"{W}t", f"{W}delText")))
    return out


def _resolve(data: bytes, accept: bool) -> list[str]:
    """Paragraph texts after accepting (or rejecting) every tracked change."""
    body = copy.deepcopy(_body(data))
    gone, keep = (f"{W}del", f"{W}ins") if accept else (f"{W}ins", f"{W}del")
    for row in [r for r in body.iter(f"{W}tr") if r.find(f"{W}trPr/{gone}") is not None]:
        row.getparent().remove(row)
    for p in [p for p in body.iter(f"{W}p") if p.find(f"{W}pPr/{W}rPr/{gone}") is not None]:
        p.getparent().remove(p)  # whole paragraphs only ever get a marked paragraph mark
    for el in list(body.iter(gone)):
        if el.getparent() is not None and el.getparent().tag != f"{W}rPr" and el.getparent().tag != f"{W}trPr":
            el.getparent().remove(el)
    return _texts(body)


def test_accepting_every_change_gives_the_new_text_and_rejecting_gives_the_old(drafts):
    for old, new in (("old", "new"), ("new", "old"), ("old", "other"), ("other", "old")):
        data, summary = redline(drafts[old], drafts[new], date=DATE)
        assert summary.revisions > 0
        assert _resolve(data, accept=True) == _texts(_body(drafts[new])), (old, new)
        assert _resolve(data, accept=False) == _texts(_body(drafts[old])), (old, new)


def test_changes_are_word_level_inside_a_changed_paragraph(drafts):
    data, summary = redline(drafts["old"], drafts["new"], date=DATE)
    body = _body(data)
    deleted = {"".join(t.text for t in d.iter(f"{W}delText")) for d in body.iter(f"{W}del")}
    inserted = {"".join(t.text for t in i.iter(f"{W}t")) for i in body.iter(f"{W}ins")}
    assert "48" in deleted and "24" in inserted
    assert "Nordlicht <Software> & Söhne AG" in _resolve(data, accept=True)
    assert summary.changed >= 3 and summary.inserted >= 1 and summary.deleted >= 1


def test_revisions_have_unique_ids_one_author_and_a_fixed_date(drafts):
    data, _ = redline(drafts["old"], drafts["other"], date=DATE)
    root = _body(data)
    marks = [el for el in root.iter(f"{W}ins", f"{W}del")]
    ids = [m.get(f"{W}id") for m in marks]
    other_ids = {el.get(f"{W}id") for el in root.iter(f"{W}commentRangeStart", f"{W}bookmarkStart")}
    assert len(ids) == len(set(ids)) and not set(ids) & other_ids
    assert {m.get(f"{W}author") for m in marks} == {"dpakit"}
    assert {m.get(f"{W}date") for m in marks} == {DATE}
    assert redline(drafts["old"], drafts["other"], date=DATE)[0] == data


def test_the_redline_is_a_valid_package_that_python_docx_opens(drafts):
    data, _ = redline(drafts["old"], drafts["new"], date=DATE)
    check_package(data)
    document = docx.Document(io.BytesIO(data))
    assert len(document.paragraphs) > 50
    assert len(list(document.comments)) > 0  # the newer document's reviewer comments are kept
    references = {el.get(f"{W}id") for el in _body(data).iter(f"{W}commentReference")}
    assert references <= {str(c.comment_id) for c in document.comments}


def test_two_identical_documents_give_no_revisions(drafts):
    data, summary = redline(drafts["old"], drafts["old"], date=DATE)
    assert summary.identical
    assert not list(_body(data).iter(f"{W}ins", f"{W}del"))


def test_what_is_not_a_docx_is_refused(drafts):
    with pytest.raises(InputError, match="older"):
        redline(b"not a zip", drafts["new"])
    with pytest.raises(InputError, match="date"):
        redline(drafts["old"], drafts["new"], date="yesterday")


def test_libreoffice_converts_the_redline(drafts, tmp_path):
    require_tool("soffice")
    data, _ = redline(drafts["old"], drafts["new"], date=DATE)
    path = tmp_path / "redline.docx"
    path.write_bytes(data)
    text = pdf_text(convert_to_pdf(path, tmp_path))
    assert "Söhne AG" in text and "GmbH" in text  # LibreOffice shows inserted and deleted text
