"""The DOCX checks catch what they claim to catch, on documents built here with python-docx."""

import io
import zipfile
from concurrent.futures import ThreadPoolExecutor

import docx
import pytest
from conftest import require_tool
from docx_checks import (
    DocxCheckError,
    check_package,
    convert_to_pdf,
    docx_comments,
    docx_text,
    pdf_pages,
    pdf_text,
    pdf_to_pngs,
)


def build_docx(*paragraphs: str, comment: str | None = None) -> bytes:
    document = docx.Document()
    document.add_heading("Data processing agreement", level=1)
    for text in paragraphs:
        document.add_paragraph(text)
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Controller"
    table.cell(0, 1).text = "Smith & Sons <Ltd>"
    if comment:
        document.add_comment(document.paragraphs[0].runs, text=comment, author="dpakit", initials="dk")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def replace_part(data: bytes, name: str, content: bytes | None) -> bytes:
    """A copy of the package with one part replaced (or removed when content is None)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            if item.filename == name:
                if content is not None:
                    dst.writestr(item, content)
            else:
                dst.writestr(item, src.read(item.filename))
    return out.getvalue()


def read_part(data: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return zf.read(name)


def test_a_well_formed_document_passes_and_its_text_is_returned():
    data = build_docx("First clause.", "Second clause.")
    text = check_package(data)
    assert text.splitlines() == [
        "Data processing agreement",
        "First clause.",
        "Second clause.",
        "Controller",
        "Smith & Sons <Ltd>",
    ]
    assert docx_text(data) == text


def test_bytes_that_are_not_a_zip_fail():
    with pytest.raises(DocxCheckError, match="not a zip"):
        check_package(b"PK\x03\x04 definitely not a docx")


def test_a_truncated_package_fails():
    data = build_docx("Clause.")
    with pytest.raises(DocxCheckError):
        check_package(data[: len(data) // 2])


def test_a_package_without_content_types_fails():
    data = replace_part(build_docx("Clause."), "[Content_Types].xml", None)
    with pytest.raises(DocxCheckError, match=r"Content_Types"):
        check_package(data)


def test_a_part_that_is_not_well_formed_xml_fails():
    broken = read_part(build_docx("Clause."), "word/document.xml").replace(b"</w:body>", b"")
    with pytest.raises(DocxCheckError, match="word/document.xml is not well-formed"):
        check_package(replace_part(build_docx("Clause."), "word/document.xml", broken))


def test_a_relationship_to_a_missing_part_fails():
    data = build_docx("Clause.")
    rels = read_part(data, "word/_rels/document.xml.rels").replace(
        b"</Relationships>",
        b'<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/image" Target="media/missing.png"/></Relationships>',
    )
    with pytest.raises(DocxCheckError, match="rId99.*word/media/missing.png"):
        check_package(replace_part(data, "word/_rels/document.xml.rels", rels))


def test_an_external_relationship_need_not_resolve():
    data = build_docx("Clause.")
    rels = read_part(data, "word/_rels/document.xml.rels").replace(
        b"</Relationships>",
        b'<Relationship Id="rId98" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/hyperlink" Target="https://example.org/dpa" TargetMode="External"/>'
        b"</Relationships>",
    )
    check_package(replace_part(data, "word/_rels/document.xml.rels", rels))


def test_a_removed_part_that_is_still_referenced_fails():
    data = replace_part(build_docx("Clause."), "word/styles.xml", None)
    with pytest.raises(DocxCheckError, match="word/styles.xml"):
        check_package(data)


@pytest.mark.parametrize("leftover", ["{{ controller.name }}", "{% if sccs %}", "{%p endif %}", "{# note #}"])
def test_leftover_template_tags_fail(leftover):
    with pytest.raises(DocxCheckError, match="leftover template tag"):
        check_package(build_docx(f"The controller is {leftover}."))


def test_a_tag_split_across_runs_is_still_found():
    document = docx.Document()
    paragraph = document.add_paragraph("Processor: {")
    paragraph.add_run("{ processor")
    paragraph.add_run(" }}")
    buffer = io.BytesIO()
    document.save(buffer)
    with pytest.raises(DocxCheckError, match="leftover template tag"):
        check_package(buffer.getvalue())


def test_allowed_literals_let_hostile_user_text_through_but_nothing_else():
    hostile = "{{ 7*7 }}"
    data = build_docx(f"Organisation name: {hostile}")
    assert hostile in check_package(data, allowed_literals=[hostile])
    with pytest.raises(DocxCheckError):
        check_package(data)
    with pytest.raises(DocxCheckError):
        check_package(build_docx(f"Organisation name: {hostile} {{{{ leftover }}}}"), allowed_literals=[hostile])


def test_comments_are_read_back():
    assert docx_comments(build_docx("Clause.", comment="Included because data leaves the EEA.")) == [
        "Included because data leaves the EEA."
    ]
    assert docx_comments(build_docx("Clause.")) == []


@pytest.mark.libreoffice
def test_libreoffice_converts_documents_in_parallel_to_pdfs_with_their_text(tmp_path):
    require_tool("soffice")
    require_tool("pdftotext")
    require_tool("pdftoppm")
    sources = []
    for name in ("first", "second"):
        path = tmp_path / f"{name}.docx"
        path.write_bytes(build_docx(f"This is the {name} document.", comment="Why this clause."))
        sources.append(path)
    with ThreadPoolExecutor(max_workers=2) as pool:
        pdfs = list(pool.map(lambda p: convert_to_pdf(p, tmp_path / "pdf"), sources))
    for name, pdf in zip(("first", "second"), pdfs, strict=True):
        assert pdf == tmp_path / "pdf" / f"{name}.pdf"
        assert pdf_pages(pdf) >= 1
        assert f"This is the {name} document." in pdf_text(pdf)
    pngs = pdf_to_pngs(pdfs[0], tmp_path / "png")
    assert pngs and pngs[0].read_bytes().startswith(b"\x89PNG")


@pytest.mark.libreoffice
def test_a_file_libreoffice_cannot_convert_is_reported(tmp_path):
    require_tool("soffice")
    missing = tmp_path / "does-not-exist.docx"
    with pytest.raises(DocxCheckError, match="did not produce"):
        convert_to_pdf(missing, tmp_path / "pdf", timeout=60)
