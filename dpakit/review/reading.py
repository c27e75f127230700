"""Reading a document to review (DOCX, PDF with a text layer, plain text / Markdown) into located passages.

    doc = read_document(data, name="vendor-dpa.pdf")   # bytes from an upload or a file
    doc = read_text(pasted, name="pasted text")        # text pasted into the app
    doc = read_path(Path("dpa.docx"))                  # the command line

Each ``Passage`` is one paragraph, list item, heading or table row, with where it is: its position in the
document (``index``, 1-based), the headings above it, and for a PDF the page. The type is decided by the
file's first bytes (magic numbers), never by its name alone: a ``.docx`` that is not a ZIP package, a ZIP
that is not a Word document, an image, an old ``.doc``, an encrypted or image-only PDF, an empty or a
huge file each raise ``DocumentInputError`` with a message that says what to do. Nothing here parses the
text as Markdown or HTML: Markdown headings and list markers are recognised only to split passages, and
every passage keeps the document's literal text.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict

from ..errors import DocumentInputError

if TYPE_CHECKING:
    from lxml import etree

MAX_BYTES = 20 * 1024 * 1024
"""Largest file accepted (20 MB)."""
MAX_CHARS = 2_000_000
"""Largest amount of text accepted (2 million characters), whatever the file type."""
MAX_DOCX_XML = 100 * 1024 * 1024
"""Largest uncompressed ``word/document.xml`` (a guard against ZIP bombs)."""

Kind = Literal["docx", "pdf", "text", "markdown", "pasted"]
PassageKind = Literal["heading", "paragraph", "list_item", "table_row"]

KIND_LABELS: dict[str, str] = {
    "docx": "Word document",
    "pdf": "PDF",
    "text": "plain text",
    "markdown": "Markdown",
    "pasted": "pasted text",
}


class Passage(BaseModel):
    """One located stretch of the document's text (literal, never interpreted)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    index: int
    text: str
    kind: PassageKind
    headings: tuple[str, ...] = ()
    page: int | None = None

    @property
    def heading(self) -> str:
        """The nearest heading above (for a heading: the one above it), or ``""``."""
        return self.headings[-1] if self.headings else ""

    def location(self) -> str:
        """Where the passage is, in words: page, paragraph number and heading path."""
        parts = []
        if self.page is not None:
            parts.append(f"page {self.page}")
        parts.append(f"{'table row' if self.kind == 'table_row' else 'paragraph'} {self.index}")
        if self.headings:
            parts.append("under “" + " › ".join(_short(h, 70) for h in self.headings) + "”")
        return ", ".join(parts)


class DocumentText(BaseModel):
    """A document as a sequence of passages, with its name and type."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    kind: Kind
    passages: tuple[Passage, ...]
    pages: int | None = None

    @property
    def text(self) -> str:
        return "\n".join(p.text for p in self.passages)

    @property
    def characters(self) -> int:
        return sum(len(p.text) for p in self.passages)

    def without(self, predicate) -> DocumentText:
        """A copy without the passages for which ``predicate(passage)`` is true (for tests and what-ifs)."""
        kept = tuple(p for p in self.passages if not predicate(p))
        return self.model_copy(update={"passages": kept})


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# --- building passages ------------------------------------------------------------------------------


class _Builder:
    """Collects passages and keeps the heading path (by level) for the ones that follow."""

    def __init__(self) -> None:
        self.passages: list[Passage] = []
        self.path: list[tuple[int, str]] = []
        self.chars = 0

    def add(self, text: str, kind: PassageKind, *, level: int = 1, page: int | None = None) -> None:
        text = _clean(text)
        if not text:
            return
        self.chars += len(text)
        if self.chars > MAX_CHARS:
            raise DocumentInputError(
                f"the document holds more than {MAX_CHARS:,} characters of text; review a DPA, not a whole "
                "contract bundle (split it, or remove unrelated parts)"
            )
        if kind == "heading":
            self.path = [(lvl, h) for lvl, h in self.path if lvl < level]
        headings = tuple(h for _, h in self.path)
        self.passages.append(Passage(index=len(self.passages) + 1, text=text, kind=kind, headings=headings, page=page))
        if kind == "heading":
            self.path.append((level, text))

    def result(self, name: str, kind: Kind, pages: int | None = None) -> DocumentText:
        if not self.passages:
            raise DocumentInputError(f"{name}: the document contains no text")
        return DocumentText(name=name, kind=kind, passages=tuple(self.passages), pages=pages)


_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u3000]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def _clean(text: str) -> str:
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    return _SPACES.sub(" ", text.replace("\n", " ")).strip()


# --- entry points -----------------------------------------------------------------------------------


def read_path(path: Path | str) -> DocumentText:
    """Read a file from disk (the command line); a missing file is a ``DocumentInputError``."""
    path = Path(path)
    if not path.is_file():
        raise DocumentInputError(f"{path}: no such file")
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise DocumentInputError(_too_big(path.name, size))
    return read_document(path.read_bytes(), name=path.name)


def _too_big(name: str, size: int) -> str:
    return (
        f"{name}: the file is {size / 1024 / 1024:.1f} MB; the limit is {MAX_BYTES // 1024 // 1024} MB. "
        "Save the DPA on its own (without attachments or scans) and try again"
    )


def sniff(data: bytes) -> str:
    """The file type from its first bytes: ``pdf``, ``zip``, ``ole``, ``image``, ``binary`` or ``text``."""
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        return "zip"
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    if data.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"II*\x00", b"MM\x00*", b"BM")) or (
        data[:4] == b"RIFF" and data[8:12] == b"WEBP"
    ):
        return "image"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "text"
    sample = data[:8192]
    if b"\x00" in sample:
        return "binary"
    return "text"


def read_document(data: bytes, name: str = "document") -> DocumentText:
    """Read uploaded bytes; the type comes from the content, and the name's extension must agree."""
    if len(data) > MAX_BYTES:
        raise DocumentInputError(_too_big(name, len(data)))
    if not data.strip():
        raise DocumentInputError(f"{name}: the file is empty")
    kind = sniff(data)
    suffix = Path(name).suffix.lower()
    if suffix == ".docx" and kind != "zip":
        raise DocumentInputError(
            f"{name}: named .docx but it is not a Word document (not a ZIP package)"
            + (" — it looks like a PDF" if kind == "pdf" else "")
        )
    if suffix == ".pdf" and kind != "pdf":
        raise DocumentInputError(f"{name}: named .pdf but it is not a PDF (it does not start with %PDF-)")
    if kind == "pdf":
        return read_pdf(data, name)
    if kind == "zip":
        return read_docx(data, name)
    if kind == "ole":
        raise DocumentInputError(
            f"{name}: this is an old Word .doc file or a password-protected Office file; save it as .docx "
            "(without a password) or as a PDF and try again"
        )
    if kind == "image":
        raise DocumentInputError(
            f"{name}: this is an image, not a document with text; upload the DPA as DOCX, PDF or text"
        )
    if kind == "binary":
        raise DocumentInputError(
            f"{name}: this is not a document dpakit can read; upload a DOCX, a PDF with a text layer, "
            "or a .txt/.md file"
        )
    text = _decode(data, name)
    markdown = suffix in (".md", ".markdown")
    return read_text(text, name=name, kind="markdown" if markdown else "text")


def _decode(data: bytes, name: str) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise DocumentInputError(f"{name}: the text is not valid UTF-16") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    controls = sum(1 for ch in text[:8192] if ord(ch) < 32 and ch not in "\t\r\n\f")
    if controls > len(text[:8192]) * 0.02:
        raise DocumentInputError(f"{name}: this is not a text file dpakit can read; upload DOCX, PDF or text")
    return text


# --- plain text and Markdown --------------------------------------------------------------------------

# Linear by construction: no two adjacent quantifiers over overlapping classes. The old pattern
# ``^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$`` backtracked cubically ("# a" + 2,000 spaces + "b": 20 s); the
# closing ``#``s and trailing spaces are now stripped in Python (``_heading_text``).
_MD_HEADING = re.compile(r"[ \t]{0,3}(#{1,6})[ \t]+(.*)")
MAX_MATCH_LINE = 2000
"""Longest line tried as a heading or an underline; longer lines are body text (list markers are
looked for only in a line's first ``_MARKER_PREFIX`` characters). Bounds the work per line."""
_MARKER_PREFIX = 64
_LIST_ITEM = re.compile(r"^\s*(?:[-*+•·–]\s+|\(?[0-9]{1,3}[.)]\s+|\(?[a-z]{1,4}\)\s+|\([a-z]{1,4}\)\s+)", re.I)
_NUMBERED_HEADING = re.compile(
    r"^\s*(?:(?:section|clause|article|schedule|annex|exhibit|appendix)\s+)?"
    r"[0-9]{1,2}(?:\.[0-9]{1,2})*\.?\s+\S",
    re.I,
)
_UNDERLINE = re.compile(r"^\s*(=+|-+)\s*$")


def read_text(text: str, name: str = "pasted text", kind: Kind = "pasted") -> DocumentText:
    """Split text into passages: blank lines end a paragraph; headings and list items start new ones."""
    if len(text) > MAX_CHARS * 2:
        raise DocumentInputError(
            f"{name}: the text holds more than {MAX_CHARS:,} characters; review a DPA, not a whole contract bundle"
        )
    if not text.strip():
        raise DocumentInputError(f"{name}: the text is empty")
    builder = _Builder()
    block: list[str] = []

    def flush() -> None:
        if block:
            _add_block(builder, block)
            block.clear()

    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for number, line in enumerate(lines):
        short = len(line) <= MAX_MATCH_LINE
        heading = _MD_HEADING.match(line) if short else None
        if heading:
            flush()
            builder.add(_heading_text(heading.group(2)), "heading", level=len(heading.group(1)))
        elif short and len(block) == 1 and line.strip() and _UNDERLINE.match(line):
            title = block.pop()
            builder.add(title, "heading", level=1 if line.strip()[0] == "=" else 2)
        elif not line.strip():
            flush()
        elif block and _LIST_ITEM.match(line.lstrip()[:_MARKER_PREFIX]):
            flush()
            block.append(line)
        else:
            next_blank = number + 1 >= len(lines) or not lines[number + 1].strip()
            if not block and next_blank and _looks_like_heading(line):
                builder.add(line, "heading", level=1 if _is_top_heading(line) else 2)
            else:
                block.append(line)
    flush()
    return builder.result(name, kind)


def _heading_text(text: str) -> str:
    """A Markdown heading's text without the optional closing ``#``s and the spaces around them."""
    return text.rstrip().rstrip("#").rstrip()


def _add_block(builder: _Builder, block: list[str]) -> None:
    first = block[0]
    kind: PassageKind = "list_item" if _LIST_ITEM.match(first.lstrip()[:_MARKER_PREFIX]) else "paragraph"
    builder.add(" ".join(block), kind)


def _looks_like_heading(line: str) -> bool:
    text = line.strip()
    words = text.split()
    if not words or len(text) > 90 or len(words) > 12 or text[-1] in ".;,:":
        return False
    letters = [c for c in text if c.isalpha()]
    if letters and all(c.isupper() for c in letters) and len(letters) > 2:
        return True
    return bool(_NUMBERED_HEADING.match(text) or text[0].isupper() or text[0].isdigit())


def _is_top_heading(line: str) -> bool:
    text = line.strip()
    return bool(re.match(r"^(schedule|annex|exhibit|appendix|part)\b", text, re.I)) or text.isupper()


# --- DOCX -------------------------------------------------------------------------------------------

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = f"{{{W_NS}}}"


MAX_DOCX_STYLES = 10 * 1024 * 1024
"""Largest uncompressed ``word/styles.xml`` (10 MB; Word writes well under 1 MB)."""
DOCX_PARTS = ("word/document.xml", "word/styles.xml")
"""The only parts of a DOCX that are unpacked: media, fonts and the rest are never inflated."""


def _xml_parser() -> etree.XMLParser:
    """A parser that resolves no entities, fetches nothing and keeps libxml2's size limits (no huge trees)."""
    from lxml import etree

    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


def read_docx(data: bytes, name: str = "document.docx") -> DocumentText:
    """Paragraphs (with heading path) and table rows of a Word document's body, in document order.

    Only ``word/document.xml`` and ``word/styles.xml`` are unpacked, through ``SafeZip`` (member count,
    per-part and total size and compression ratio limits), so a small upload with a huge image or styles
    part is refused without inflating it.
    """
    from lxml import etree

    from ..safezip import SafeZip

    with SafeZip(data, what=name, error=DocumentInputError) as package:
        names = set(package.names())
        if "word/document.xml" not in names:
            what = (
                "an Excel workbook"
                if any(n.startswith("xl/") for n in names)
                else "a PowerPoint file"
                if any(n.startswith("ppt/") for n in names)
                else "an OpenDocument file"
                if "content.xml" in names
                else "a ZIP archive"
            )
            raise DocumentInputError(f"{name}: this is {what}, not a Word document (.docx)")
        body_xml = package.read("word/document.xml", limit=MAX_DOCX_XML)
        styles_xml = package.read("word/styles.xml", limit=MAX_DOCX_STYLES) if "word/styles.xml" in names else b""
    try:
        root = etree.fromstring(body_xml, _xml_parser())
        styles = _style_names(etree.fromstring(styles_xml, _xml_parser()) if styles_xml.strip() else None)
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise DocumentInputError(f"{name}: the Word document is damaged ({type(exc).__name__})") from None
    body = root.find(f"{_W}body")
    if root.tag != f"{_W}document" or body is None:
        raise DocumentInputError(f"{name}: the Word document is damaged (its main part has no document body)")
    builder = _Builder()
    for child in body.iterchildren():
        if child.tag == f"{_W}p":
            _docx_paragraph(builder, child, styles)
        elif child.tag == f"{_W}tbl":
            _docx_table(builder, child)
    return builder.result(name, "docx")


def _style_names(styles) -> dict[str, str]:
    """Style id → style name (as Word stores it, e.g. ``heading 1``) from the styles part."""
    names: dict[str, str] = {}
    if styles is None:
        return names
    for style in styles.iter(f"{_W}style"):
        style_id = style.get(f"{_W}styleId")
        if not style_id:
            continue
        name_el = style.find(f"{_W}name")
        names[style_id] = (name_el.get(f"{_W}val") if name_el is not None else None) or style_id
    return names


def _text_of(element) -> str:
    parts: list[str] = []
    for node in element.iter(f"{_W}t", f"{_W}tab", f"{_W}br", f"{_W}cr", f"{_W}delText", f"{_W}p"):
        if node.tag == f"{_W}t":
            parts.append(node.text or "")
        elif node.tag in (f"{_W}tab", f"{_W}br", f"{_W}cr"):
            parts.append(" ")
        elif node.tag == f"{_W}p" and parts:
            parts.append(" ")
    return "".join(parts)


def _docx_paragraph(builder: _Builder, p, styles: dict[str, str]) -> None:
    text = _text_of(p)
    if not text.strip():
        return
    ppr = p.find(f"{_W}pPr")
    style_id = ""
    outline = None
    numbered = False
    if ppr is not None:
        pstyle = ppr.find(f"{_W}pStyle")
        style_id = pstyle.get(f"{_W}val", "") if pstyle is not None else ""
        outline_el = ppr.find(f"{_W}outlineLvl")
        if outline_el is not None:
            value = outline_el.get(f"{_W}val", "9") or "9"
            outline = int(value) if value.isascii() and value.isdigit() else 9
        numbered = ppr.find(f"{_W}numPr") is not None
    style = styles.get(style_id, style_id).lower()
    level = _heading_level(style, outline, text, p)
    if level is not None:
        builder.add(text, "heading", level=level)
    elif numbered or "list" in style:
        builder.add(text, "list_item")
    else:
        builder.add(text, "paragraph")


def _heading_level(style: str, outline: int | None, text: str, p) -> int | None:
    match = re.fullmatch(r"heading (\d)", style)
    if match:
        return int(match.group(1))
    if style in ("title", "subtitle") or "heading" in style:
        return 0 if style == "title" else 1
    if outline is not None and outline < 9:
        return outline + 1
    # A short paragraph in bold throughout reads as a heading in documents without heading styles.
    runs = p.findall(f"{_W}r")
    stripped = text.strip()
    if runs and len(stripped) <= 90 and len(stripped.split()) <= 12 and stripped[-1] not in ".;,":
        bold = [r for r in runs if (r.findtext(f"{_W}t") or "").strip()]
        if bold and all(_run_bold(r) for r in bold):
            return 2
    return None


def _run_bold(run) -> bool:
    rpr = run.find(f"{_W}rPr")
    if rpr is None:
        return False
    b = rpr.find(f"{_W}b")
    return b is not None and b.get(f"{_W}val", "true") not in ("0", "false")


def _docx_table(builder: _Builder, tbl) -> None:
    for tr in tbl.iter(f"{_W}tr"):
        cells: list[str] = []
        for tc in tr.findall(f"{_W}tc"):
            cell = _clean(_text_of(tc))
            if cell and (not cells or cells[-1] != cell):
                cells.append(cell)
        if cells:
            builder.add(" | ".join(cells), "table_row")


# --- PDF --------------------------------------------------------------------------------------------

_PDF_BULLET = re.compile(r"^\s*(?:[•·▪◦‣–-]|\(?[0-9]{1,3}(?:\.[0-9]{1,3})*[.)]|\(?[a-z]{1,4}\))\s+", re.I)


MAX_PDF_PAGES = 300
"""Most pages of a PDF accepted (refused from the page count, before any page is extracted)."""
PDF_TIMEOUT = 30.0
"""Longest time (seconds) extracting one PDF's text may take; the extracting process is then killed."""
PDF_MEMORY = 1024 * 1024 * 1024
"""Address space (``RLIMIT_AS``) of the process that extracts a PDF's text: 1 GB."""


def read_pdf(data: bytes, name: str = "document.pdf") -> DocumentText:
    """The text layer of a PDF, page by page, split into paragraphs; encrypted or image-only PDFs are refused.

    pypdf runs in a child process (``dpakit.review.pdf_worker``) limited to ``MAX_PDF_PAGES`` pages, ``MAX_CHARS``
    characters, ``PDF_TIMEOUT`` seconds and ``PDF_MEMORY`` bytes of address space, and killed when its time
    is up: a 78 KB PDF whose 400 pages share one content stream used to run for many minutes in the
    server's own process, even after the tab was closed.
    """
    from .pdf_worker import PdfLimit, extract

    try:
        texts = extract(data, max_pages=MAX_PDF_PAGES, max_chars=MAX_CHARS, timeout=PDF_TIMEOUT, memory=PDF_MEMORY)
    except PdfLimit as limit:
        raise DocumentInputError(_pdf_message(name, limit)) from None
    if not any(t.strip() for t in texts):
        raise DocumentInputError(
            f"{name}: the PDF has no text layer (it is a scan or images only, {len(texts)} page(s)); "
            "run it through OCR, or ask the other party for a DOCX or a text PDF"
        )
    builder = _Builder()
    for number, text in enumerate(texts, start=1):
        _pdf_page(builder, text, number)
    return builder.result(name, "pdf", pages=len(texts))


def _pdf_message(name: str, limit) -> str:
    """What went wrong with a PDF (a ``pdf_worker.PdfLimit``) and what to do, in one line."""
    detail = str(limit)
    if limit.kind == "encrypted":
        return f"{name}: the PDF is encrypted (password-protected); save an unprotected copy or the DOCX and try again"
    if limit.kind == "pages":
        return (
            f"{name}: the PDF has {int(detail):,} pages; the limit is {MAX_PDF_PAGES:,}. Upload the DPA on "
            "its own (without the main contract or its attachments)"
        )
    if limit.kind == "chars":
        return (
            f"{name}: the PDF holds more than {MAX_CHARS:,} characters of text (reached on page "
            f"{int(detail):,}); review a DPA, not a whole contract bundle (split it, or remove unrelated "
            "parts)"
        )
    if limit.kind == "timeout":
        return (
            f"{name}: reading the PDF's text took longer than {PDF_TIMEOUT:g} seconds and was stopped; the "
            "file is unusually complex. Upload the DOCX, or print the DPA to a new PDF and try again"
        )
    if limit.kind == "memory":
        return (
            f"{name}: reading the PDF's text needed more than {PDF_MEMORY // 1024 // 1024:,} MB of memory "
            "and was stopped; the file is unusually complex. Upload the DOCX, or print the DPA to a new "
            "PDF and try again"
        )
    return f"{name}: the PDF is damaged and could not be read ({detail or 'unknown error'})"


def _pdf_page(builder: _Builder, text: str, page: int) -> None:
    lines = [ln.rstrip() for ln in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    widths = sorted(len(ln) for ln in lines if ln.strip())
    full = widths[int(len(widths) * 0.8)] if widths else 80
    block: list[str] = []

    def flush() -> None:
        if block:
            first = block[0]
            builder.add(" ".join(block), "list_item" if _PDF_BULLET.match(first) else "paragraph", page=page)
            block.clear()

    for i, line in enumerate(lines):
        if not line.strip():
            flush()
            continue
        if re.fullmatch(r"\s*(page\s+)?\d+(\s*(of|/)\s*\d+)?\s*", line, re.I):
            continue  # a page number
        following = lines[i + 1] if i + 1 < len(lines) else ""
        if not block and _looks_like_heading(line) and len(line.strip()) < full * 0.7 and following.strip():
            builder.add(line, "heading", level=1 if _is_top_heading(line) else 2, page=page)
            continue
        if block and _PDF_BULLET.match(line):
            flush()
        block.append(line.strip())
        if line.rstrip().endswith((".", ":", ";")) and len(line.strip()) < full * 0.85:
            flush()
    flush()


__all__ = [
    "KIND_LABELS",
    "MAX_BYTES",
    "MAX_CHARS",
    "MAX_PDF_PAGES",
    "DocumentText",
    "Passage",
    "read_document",
    "read_docx",
    "read_path",
    "read_pdf",
    "read_text",
    "sniff",
]
