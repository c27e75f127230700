"""Checks for generated DOCX files, cheapest first. A test-support module, not a test file.

    text = check_package(data)               # zip, XML, relationships, content types, leftover tags
    text = check_package(data, allowed_literals=["{{ 7*7 }}"])   # hostile user text kept literally
    docx_text(data); docx_comments(data)     # read back
    pdf = convert_to_pdf(path, outdir)       # LibreOffice headless; needs `soffice` (require_tool)
    pdf_pages(pdf); pdf_text(pdf); pdf_to_pngs(pdf, outdir)   # pypdf / poppler

Package-level checks matter even when LibreOffice converts a file: LibreOffice is lenient and does
not prove that Word opens it. Every failure raises ``DocxCheckError`` (an ``AssertionError``) naming
the part and the problem.
"""

from __future__ import annotations

import io
import os
import posixpath
import shutil
import signal
import subprocess
import tempfile
import zipfile
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import unquote
from xml.etree import ElementTree as ET

__all__ = [
    "LEFTOVER_TAG_MARKERS",
    "DocxCheckError",
    "check_package",
    "convert_to_pdf",
    "docx_comments",
    "docx_text",
    "pdf_pages",
    "pdf_text",
    "pdf_to_pngs",
]

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
OFFICE_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"

# Jinja/docxtpl delimiters that must not survive rendering.
LEFTOVER_TAG_MARKERS = ("{{", "}}", "{%", "%}", "{#", "#}")


class DocxCheckError(AssertionError):
    """A generated document failed a check."""


def check_package(data: bytes, *, allowed_literals: Iterable[str] = ()) -> str:
    """Check a DOCX package and return the main document's plain text (see ``docx_text``).

    Checks: a readable zip with no duplicate or corrupt members; ``[Content_Types].xml`` present and
    every part has a content type; every XML part (``*.xml``, ``*.rels``) parses; every internal
    relationship target exists; the package has a main document; no template tag markers remain in
    the text of any ``word/`` part or ``docProps/`` part. Strings in ``allowed_literals`` (user text
    that legitimately looks like a tag) are removed from the text before the leftover-tag check.
    """
    parts = _read_zip(data)
    if "[Content_Types].xml" not in parts:
        raise DocxCheckError("missing [Content_Types].xml")
    trees = {}
    for name, content in parts.items():
        if name.endswith((".xml", ".rels")):
            try:
                trees[name] = ET.fromstring(content)
            except ET.ParseError as exc:
                raise DocxCheckError(f"part {name} is not well-formed XML: {exc}") from exc
    _check_content_types(parts, trees["[Content_Types].xml"])
    main = _check_relationships(parts, trees)
    if main is None:
        raise DocxCheckError("_rels/.rels has no officeDocument relationship (no main document)")
    _check_no_leftover_tags(trees, allowed_literals)
    return "\n".join(_paragraph_texts(trees[main]))


def docx_text(data: bytes) -> str:
    """Plain text of ``word/document.xml``: paragraphs (tables and text boxes included) joined by
    newlines; tabs as ``\\t`` and line breaks as ``\\n`` inside a paragraph, as python-docx does."""
    parts = _read_zip(data)
    try:
        root = ET.fromstring(parts["word/document.xml"])
    except KeyError:
        raise DocxCheckError("no word/document.xml") from None
    return "\n".join(_paragraph_texts(root))


def docx_comments(data: bytes) -> list[str]:
    """The text of every Word comment, in document order of the comments part (python-docx 1.2)."""
    import docx  # python-docx; imported here so the package checks need only the stdlib

    return [comment.text for comment in docx.Document(io.BytesIO(data)).comments]


def convert_to_pdf(docx_path: Path | str, outdir: Path | str, *, timeout: float = 120) -> Path:
    """Convert with LibreOffice headless; return the PDF path, asserting it exists and is non-empty.

    Each call uses its own throw-away LibreOffice profile: parallel conversions that share a profile
    silently lose outputs. On timeout the whole process group is killed.
    """
    soffice = shutil.which("soffice")
    if soffice is None:
        raise DocxCheckError("soffice (LibreOffice) is not installed")
    docx_path, outdir = Path(docx_path).resolve(), Path(outdir).resolve()
    outdir.mkdir(parents=True, exist_ok=True)
    profile = Path(tempfile.mkdtemp(prefix="dpakit-lo-profile-"))
    cmd = [
        soffice,
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--norestore",
        "--convert-to",
        "pdf",
        "--outdir",
        str(outdir),
        str(docx_path),
    ]
    try:
        proc = subprocess.Popen(
            cmd,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
            stdin=subprocess.DEVNULL,
        )
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_group(proc)
            out, err = proc.communicate()
            raise DocxCheckError(
                f"soffice timed out after {timeout}s converting {docx_path.name}\nstdout: {out}\nstderr: {err}"
            ) from None
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    pdf = outdir / (docx_path.stem + ".pdf")
    if proc.returncode != 0 or not pdf.is_file() or pdf.stat().st_size == 0:
        raise DocxCheckError(f"soffice did not produce {pdf} (exit {proc.returncode})\nstdout: {out}\nstderr: {err}")
    return pdf


def pdf_pages(pdf: Path | str) -> int:
    """Number of pages (pypdf, a runtime dependency of dpakit)."""
    from pypdf import PdfReader

    return len(PdfReader(str(pdf)).pages)


def pdf_text(pdf: Path | str) -> str:
    """Text of the PDF via poppler's ``pdftotext`` (pages separated by form feeds)."""
    exe = shutil.which("pdftotext")
    if exe is None:
        raise DocxCheckError("pdftotext (poppler-utils) is not installed")
    return subprocess.run(
        [exe, "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True, timeout=60
    ).stdout


def pdf_to_pngs(pdf: Path | str, outdir: Path | str, *, dpi: int = 60) -> list[Path]:
    """Render each page to ``<outdir>/<stem>-N.png`` with ``pdftoppm`` so a person can look at it."""
    exe = shutil.which("pdftoppm")
    if exe is None:
        raise DocxCheckError("pdftoppm (poppler-utils) is not installed")
    pdf, outdir = Path(pdf), Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [exe, "-r", str(dpi), "-png", str(pdf), str(outdir / pdf.stem)], check=True, capture_output=True, timeout=120
    )
    return sorted(outdir.glob(f"{pdf.stem}-*.png"))


# --- internals ---------------------------------------------------------------------------------


def _read_zip(data: bytes) -> dict[str, bytes]:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise DocxCheckError(f"not a zip file: {exc}") from exc
    with zf:
        names = zf.namelist()
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise DocxCheckError(f"duplicate zip members: {duplicates}")
        try:
            return {name: zf.read(name) for name in names if not name.endswith("/")}
        except (zipfile.BadZipFile, OSError, EOFError) as exc:  # CRC mismatch, truncated data
            raise DocxCheckError(f"corrupt zip member: {exc}") from exc


def _check_content_types(parts: dict[str, bytes], types: ET.Element) -> None:
    defaults = {el.get("Extension", "").lower() for el in types.iter(f"{CT}Default")}
    overrides = {el.get("PartName", "").lstrip("/") for el in types.iter(f"{CT}Override")}
    missing_parts = sorted(o for o in overrides if o not in parts)
    if missing_parts:
        raise DocxCheckError(f"[Content_Types].xml overrides parts that do not exist: {missing_parts}")
    untyped = sorted(
        name
        for name in parts
        if name != "[Content_Types].xml" and name not in overrides and name.rsplit(".", 1)[-1].lower() not in defaults
    )
    if untyped:
        raise DocxCheckError(f"parts without a content type in [Content_Types].xml: {untyped}")


def _check_relationships(parts: dict[str, bytes], trees: dict[str, ET.Element]) -> str | None:
    """Check every internal relationship target exists; return the main document part's name."""
    if "_rels/.rels" not in trees:
        raise DocxCheckError("missing _rels/.rels")
    main = None
    for rels_name, root in trees.items():
        if not rels_name.endswith(".rels"):
            continue
        # word/_rels/document.xml.rels describes word/document.xml; targets are relative to word/.
        folder = posixpath.dirname(posixpath.dirname(rels_name))
        source = posixpath.join(folder, posixpath.basename(rels_name)[: -len(".rels")])
        if source and source not in parts:
            raise DocxCheckError(f"{rels_name} belongs to a part that does not exist: {source}")
        for rel in root.iter(f"{REL}Relationship"):
            if rel.get("TargetMode") == "External":
                continue
            target = unquote(rel.get("Target", "").split("#", 1)[0])
            if not target:
                raise DocxCheckError(f"{rels_name}: relationship {rel.get('Id')} has no target")
            resolved = posixpath.normpath(
                target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
            )
            if resolved not in parts:
                raise DocxCheckError(
                    f"{rels_name}: relationship {rel.get('Id')} ({rel.get('Type')}) points to missing part {resolved}"
                )
            if rels_name == "_rels/.rels" and rel.get("Type") == OFFICE_DOCUMENT:
                main = resolved
    return main


def _check_no_leftover_tags(trees: dict[str, ET.Element], allowed_literals: Iterable[str]) -> None:
    allowed = sorted((s for s in allowed_literals if s), key=len, reverse=True)
    for name, root in sorted(trees.items()):
        if name.startswith("word/") and name.endswith(".xml"):
            texts = _paragraph_texts(root)
        elif name.startswith("docProps/"):
            texts = ["".join(root.itertext())]
        else:
            continue
        for text in texts:
            cleaned = text
            for literal in allowed:
                cleaned = cleaned.replace(literal, "")
            found = [m for m in LEFTOVER_TAG_MARKERS if m in cleaned]
            if found:
                raise DocxCheckError(f"{name}: leftover template tag {found} in text {text[:200]!r}")


_SKIPPED = {f"{W}pPr", f"{W}rPr", f"{W}sectPr", f"{W}tblPr", f"{W}trPr", f"{W}tcPr"}  # tab stops etc.


def _paragraph_texts(root: ET.Element) -> list[str]:
    """Text of each ``w:p`` below root; a paragraph nested in a text box is its own paragraph."""
    paragraphs: list[str] = []

    def visit(element: ET.Element, buffer: list[str]) -> None:
        for child in element:
            if child.tag in _SKIPPED:
                continue
            if child.tag == f"{W}p":
                inner: list[str] = []
                visit(child, inner)
                paragraphs.append("".join(inner))
            elif child.tag == f"{W}t":
                buffer.append(child.text or "")
            elif child.tag in (f"{W}tab", f"{W}ptab"):
                buffer.append("\t")
            elif child.tag in (f"{W}br", f"{W}cr"):
                buffer.append("\n")
            else:
                visit(child, buffer)

    visit(root, [])
    return paragraphs


def _kill_group(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
