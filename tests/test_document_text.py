"""Reading documents for review: passages with locations, and a clear DocumentInputError for bad input."""

from __future__ import annotations

import io
import zipfile

import docx
import pytest
from pypdf import PdfWriter

from dpakit.errors import DocumentInputError, InputError
from dpakit.review.reading import MAX_BYTES, MAX_CHARS, read_document, read_path, read_text, sniff


def make_docx() -> bytes:
    document = docx.Document()
    document.add_heading("Data Processing Addendum", level=0)
    document.add_heading("1. Sub-processors", level=1)
    document.add_paragraph("Vendor may engage Sub-processors with Customer's prior written authorization.")
    document.add_paragraph("Vendor will notify Customer of new Sub-processors.", style="List Number")
    document.add_heading("Annex", level=1)
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Duration", "The term of the Agreement"
    table.cell(1, 0).text, table.cell(1, 1).text = "Purposes", "CRM hosting"
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def text_pdf(pages: list[str]) -> bytes:
    """A minimal PDF with a text layer (Helvetica), one page per string, lines split on newlines."""
    objects: list[bytes] = []
    kids = []
    font_id = 3
    page_ids = []
    next_id = 4
    bodies = []
    for text in pages:
        lines = text.split("\n")
        ops = ["BT", "/F1 11 Tf", "14 TL", "50 780 Td"]
        for line in lines:
            safe = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
            ops.append(f"({safe}) Tj T*")
        ops.append("ET")
        stream = "\n".join(ops).encode("latin-1")
        page_id, content_id = next_id, next_id + 1
        next_id += 2
        page_ids.append(page_id)
        bodies.append(
            (
                page_id,
                f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources "
                f"<< /Font << /F1 {font_id} 0 R >> >> /Contents {content_id} 0 R >>".encode(),
            )
        )
        bodies.append(
            (content_id, b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream")
        )
        kids.append(f"{page_id} 0 R")
    objects = [
        (1, b"<< /Type /Catalog /Pages 2 0 R >>"),
        (2, f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(page_ids)} >>".encode()),
        (3, b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"),
        *bodies,
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = {}
    for num, body in sorted(objects):
        offsets[num] = out.tell()
        out.write(f"{num} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for num in range(1, len(objects) + 1):
        out.write(f"{offsets[num]:010d} 00000 n \n".encode())
    out.write(f"trailer << /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def test_a_docx_becomes_passages_with_headings_list_items_and_table_rows():
    doc = read_document(make_docx(), "vendor.docx")
    assert doc.kind == "docx"
    kinds = [(p.kind, p.text) for p in doc.passages]
    assert kinds[0] == ("heading", "Data Processing Addendum")
    assert ("list_item", "Vendor will notify Customer of new Sub-processors.") in kinds
    assert ("table_row", "Duration | The term of the Agreement") in kinds
    para = next(p for p in doc.passages if p.text.startswith("Vendor may engage"))
    assert para.heading == "1. Sub-processors"
    assert para.location() == f"paragraph {para.index}, under “Data Processing Addendum › 1. Sub-processors”"
    row = next(p for p in doc.passages if p.kind == "table_row")
    assert row.heading == "Annex" and row.location().startswith("table row")


def test_a_text_pdf_gives_page_numbers_and_paragraphs():
    data = text_pdf(
        [
            "Data Processing Addendum",
            "Sub-processors\nVendor may engage Sub-processors with prior\n"
            "written authorization of Customer.\n\nBreach\nVendor will notify Customer without undue delay.",
        ]
    )
    doc = read_document(data, "dpa.pdf")
    assert doc.kind == "pdf" and doc.pages == 2
    texts = [p.text for p in doc.passages]
    assert any("Vendor may engage Sub-processors with prior written authorization of Customer." in t for t in texts)
    assert {p.page for p in doc.passages} == {1, 2}
    assert "page 2" in doc.passages[-1].location()


def test_markdown_and_plain_text_split_on_headings_blank_lines_and_list_items():
    doc = read_text(
        "# Addendum\n\n## 5. Audits\n\nVendor will allow audits\nby Customer.\n- one item\n- two item\n",
        name="dpa.md",
        kind="markdown",
    )
    assert [(p.kind, p.text) for p in doc.passages] == [
        ("heading", "Addendum"),
        ("heading", "5. Audits"),
        ("paragraph", "Vendor will allow audits by Customer."),
        ("list_item", "- one item"),
        ("list_item", "- two item"),
    ]
    assert doc.passages[2].headings == ("Addendum", "5. Audits")
    plain = read_text("SECURITY\n\nVendor keeps data safe.\n", name="x.txt", kind="text")
    assert plain.passages[0].kind == "heading" and plain.passages[1].heading == "SECURITY"


def test_markup_in_a_document_is_kept_as_literal_text():
    doc = read_text("<b>bold</b> **not bold** [link](http://example.com) {{ 7*7 }}", name="x")
    assert doc.passages[0].text == "<b>bold</b> **not bold** [link](http://example.com) {{ 7*7 }}"


def test_the_type_comes_from_the_content_not_the_name():
    assert sniff(b"%PDF-1.7 ...") == "pdf"
    assert sniff(make_docx()) == "zip"
    assert read_document(make_docx(), "named-wrongly.txt").kind == "docx"
    assert read_document(b"Plain words in a file called .md", "notes.md").kind == "markdown"


# --- bad input: each case has its own clear message --------------------------------------------------


def test_an_encrypted_pdf_is_refused():
    writer = PdfWriter()
    writer.append(io.BytesIO(text_pdf(["Secret DPA"])))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="AES-128")
    buf = io.BytesIO()
    writer.write(buf)
    with pytest.raises(DocumentInputError, match="encrypted"):
        read_document(buf.getvalue(), "vendor.pdf")


def test_a_pdf_with_only_an_owner_password_is_read():
    writer = PdfWriter()
    writer.append(io.BytesIO(text_pdf(["Vendor will notify Customer."])))
    writer.encrypt(user_password="", owner_password="owner", algorithm="AES-128")
    buf = io.BytesIO()
    writer.write(buf)
    assert "notify" in read_document(buf.getvalue(), "vendor.pdf").text


def test_an_image_only_pdf_is_refused():
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buf = io.BytesIO()
    writer.write(buf)
    with pytest.raises(DocumentInputError, match="no text layer"):
        read_document(buf.getvalue(), "scan.pdf")


@pytest.mark.parametrize("data", [b"", b"   \n\t  "])
def test_an_empty_file_is_refused(data):
    with pytest.raises(DocumentInputError, match="empty"):
        read_document(data, "empty.txt")


def test_a_docx_without_text_is_refused():
    buf = io.BytesIO()
    docx.Document().save(buf)
    with pytest.raises(DocumentInputError, match="contains no text"):
        read_document(buf.getvalue(), "blank.docx")


def test_a_huge_file_is_refused_before_it_is_parsed():
    with pytest.raises(DocumentInputError, match="20 MB"):
        read_document(b"a" * (MAX_BYTES + 1), "huge.txt")


def test_too_much_text_is_refused():
    text = ("word " * 99 + "end.\n\n") * (MAX_CHARS // 500 + 10)
    assert len(text.encode()) < MAX_BYTES
    with pytest.raises(DocumentInputError, match="2,000,000 characters"):
        read_document(text.encode(), "long.txt")


def test_a_huge_file_on_disk_is_refused_by_size(tmp_path):
    path = tmp_path / "huge.pdf"
    with path.open("wb") as fh:
        fh.truncate(MAX_BYTES + 1)
    with pytest.raises(DocumentInputError, match="the limit is 20 MB"):
        read_path(path)


def test_a_docx_that_is_not_a_zip_is_refused():
    with pytest.raises(DocumentInputError, match="named .docx but it is not a Word document"):
        read_document(b"This is just text pretending.", "vendor.docx")


def test_a_zip_that_is_not_a_docx_is_refused():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(DocumentInputError, match="Excel workbook, not a Word document"):
        read_document(buf.getvalue(), "vendor.docx")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("readme.txt", "hello")
    with pytest.raises(DocumentInputError, match="ZIP archive, not a Word document"):
        read_document(buf.getvalue(), "bundle.zip")


def test_a_damaged_zip_is_refused():
    with pytest.raises(DocumentInputError, match="damaged"):
        read_document(make_docx()[:200], "cut.docx")


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 50, "scan.png", "image"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 50, "old.doc", "old Word .doc"),
        (b"\x00\x01\x02binary\x00", "blob.bin", "not a document"),
        (b"%PDF-1.4 garbage", "vendor.txt", "PDF"),
        (b"plain text", "vendor.pdf", "not a PDF"),
    ],
)
def test_wrong_types_are_refused_with_what_they_are(data, name, message):
    with pytest.raises(DocumentInputError, match=message):
        read_document(data, name)


def test_document_input_errors_are_input_errors():
    assert issubclass(DocumentInputError, InputError)


def test_a_missing_file_is_an_input_error(tmp_path):
    with pytest.raises(DocumentInputError, match="no such file"):
        read_path(tmp_path / "nope.docx")
