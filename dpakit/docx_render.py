"""Word documents from docxtpl templates: safe rendering, reviewer comments, byte-reproducible output.

Three steps, each usable on its own:

``render_document(template, context) -> docx.Document``
    docxtpl with a *sandboxed* Jinja environment, ``StrictUndefined`` and autoescape. Template bytes are
    cached (keyed on path, size and mtime); every render gets a fresh ``DocxTemplate`` because the object
    is stateful. ``render_template`` is the same, returning bytes.

``add_comments(document, anchors, author=...)``
    A Word comment on each anchor: a bookmark name (clause headings carry one) or, failing that, the
    first paragraph whose text contains the anchor text. Works on a ``Document`` or on DOCX bytes.

``make_reproducible(data, title=...) -> bytes``
    Fixes what changes from run to run (core-property dates, revision, comment dates, zip timestamps,
    member order) so the same content gives the same SHA-256.

Every string a template prints is *literal text*: the environment's ``finalize`` hook turns it into
escaped XML before docxtpl sees it, with braces written as character references so docxtpl's own
post-processing (which rewrites ``{_{`` to ``{{`` across the whole part) cannot change a user's value,
and characters XML 1.0 forbids are dropped. Markup built here (``paragraph``, ``run_xml``) escapes the
same way; nothing a user typed is ever parsed as Jinja, Markdown or XML.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment
from lxml import etree
from markupsafe import Markup

from .errors import DraftingError
from .safezip import fixed_zip

FIXED_DATE = dt.datetime(2000, 1, 1, 0, 0, 0, tzinfo=dt.UTC)
"""The date written into every generated document's metadata, so two renders are byte-identical."""
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

# --- literal text --------------------------------------------------------------------------------

# XML 1.0 allows tab, newline, carriage return and everything from U+0020 except surrogates and
# U+FFFE/U+FFFF. docxtpl turns \t into a tab and \n into a line break; carriage returns are dropped.
_XML_INVALID = re.compile(r"[\x00-\x08\x0b-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_text(value: object) -> str:
    """``value`` as the text content of a ``w:t`` element: escaped, braces as character references.

    The result is safe to place inside any template part; once the XML is parsed it reads exactly as
    ``value`` did (minus characters XML cannot hold).
    """
    text = _XML_INVALID.sub("", str(value).replace("\r\n", "\n").replace("\r", "\n"))
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("{", "&#123;")
        .replace("}", "&#125;")
        .replace("%", "&#37;")
    )


def literal(value: object) -> Markup:
    """A value a template prints as it is (Jinja will not escape it again)."""
    return Markup(xml_text(value))


def _finalize(value: Any) -> Any:
    # Markup (and docxtpl RichText, which has __html__) is already XML; everything else is a value.
    if value is None or hasattr(value, "__html__"):
        return value
    return literal(value)


def jinja_env() -> SandboxedEnvironment:
    """The only Jinja environment templates are rendered with."""
    return SandboxedEnvironment(undefined=StrictUndefined, autoescape=True, finalize=_finalize)


# --- paragraphs built in Python (clause bodies, annex lines) -------------------------------------


@dataclass(frozen=True)
class Span:
    """A run of text with simple formatting."""

    text: str
    bold: bool = False
    italic: bool = False


def run_xml(span: Span) -> str:
    props = ("<w:b/><w:bCs/>" if span.bold else "") + ("<w:i/><w:iCs/>" if span.italic else "")
    rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
    return f'<w:r>{rpr}<w:t xml:space="preserve">{xml_text(span.text)}</w:t></w:r>'


def _style_id(style: str) -> str:
    if not re.fullmatch(r"[A-Za-z0-9]+", style):
        raise ValueError(f"not a style id: {style!r}")
    return style


def paragraph(
    spans: Iterable[Span | str],
    style: str,
    *,
    bookmark: str | None = None,
    bookmark_id: int = 0,
    keep_next: bool = False,
    numbering: tuple[int, int] | None = None,
) -> Markup:
    """One ``w:p`` with paragraph style ``style`` (a style *id*), for a ``{{p … }}`` tag or a loop.

    ``bookmark`` marks the paragraph so ``add_comments`` can find it again after rendering.
    ``numbering`` = ``(ilvl, numId)`` overrides the list the style links to (e.g. a restarted instance).
    """
    ppr = f'<w:pStyle w:val="{_style_id(style)}"/>' + ("<w:keepNext/>" if keep_next else "")
    if numbering is not None:
        ilvl, num_id = (int(n) for n in numbering)
        ppr += f'<w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>'
    body = "".join(run_xml(s if isinstance(s, Span) else Span(s)) for s in spans)
    if bookmark:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]{0,39}", bookmark):
            raise ValueError(f"not a bookmark name: {bookmark!r}")
        body = f'<w:bookmarkStart w:id="{bookmark_id}" w:name="{bookmark}"/>{body}<w:bookmarkEnd w:id="{bookmark_id}"/>'
    return Markup(f"<w:p><w:pPr>{ppr}</w:pPr>{body}</w:p>")


def paragraphs(items: Iterable[Markup]) -> Markup:
    """Several built paragraphs as one value for a single ``{{p … }}`` tag."""
    return Markup("".join(items))


# --- rendering ------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=16)
def _template_bytes(path: str, size: int, mtime_ns: int) -> bytes:
    return Path(path).read_bytes()


def template_bytes(template: Path) -> bytes:
    """The template's bytes, read once per version of the file."""
    try:
        stat = template.stat()
    except FileNotFoundError:
        raise DraftingError(f"template not found: {template}") from None
    return _template_bytes(str(template), stat.st_size, stat.st_mtime_ns)


def new_template(template: Path):
    """A fresh ``DocxTemplate`` for one render (the object is stateful and must not be shared)."""
    from docxtpl import DocxTemplate

    return DocxTemplate(io.BytesIO(template_bytes(template)))


def render_document(template: Path, context: Mapping[str, Any]):
    """Render ``template`` with ``context``; returns the python-docx ``Document`` (for comments)."""
    from jinja2 import TemplateError

    tpl = new_template(template)
    try:
        tpl.render(dict(context), jinja_env=jinja_env(), autoescape=True)
    except TemplateError as exc:
        raise DraftingError(f"template {template.name} could not be rendered: {exc}") from exc
    return tpl.docx


def render_template(template: Path, context: Mapping[str, Any]) -> bytes:
    """Render ``template`` with ``context`` to DOCX bytes (not yet reproducible: see ``make_reproducible``)."""
    return document_bytes(render_document(template, context))


def document_bytes(document) -> bytes:
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def undeclared_variables(template: Path) -> set[str]:
    """Every variable the template uses (body, headers, footers), for checking against its context model."""
    return set(new_template(template).get_undeclared_template_variables(jinja_env()))


# --- comments -------------------------------------------------------------------------------------


def _bookmarked_paragraphs(document) -> dict[str, Any]:
    from docx.text.paragraph import Paragraph

    found: dict[str, Any] = {}
    body = document.element.body
    for start in body.iter(f"{{{W_NS}}}bookmarkStart"):
        name = start.get(f"{{{W_NS}}}name")
        p = start.getparent()
        while p is not None and p.tag != f"{{{W_NS}}}p":
            p = p.getparent()
        if name and p is not None and name not in found:
            found[name] = Paragraph(p, document.part)
    return found


def _paragraph_containing(document, text: str):
    """The first body paragraph (as ``document.paragraphs`` lists them) whose text contains ``text``.

    Reads the ``w:t`` elements with lxml: ``Paragraph.text`` runs an XPath per paragraph, which made one
    text-anchored comment cost a sixth of a whole draft."""
    from docx.text.paragraph import Paragraph

    w_p, w_t = f"{{{W_NS}}}p", f"{{{W_NS}}}t"
    for p in document.element.body.iterchildren(w_p):
        if text in "".join(t.text or "" for t in p.iter(w_t)):
            return Paragraph(p, document.part)
    return None


def add_comments(
    document,
    anchors: Sequence[tuple[str, str]],
    *,
    author: str = "dpakit",
    initials: str = "DK",
):
    """Add a Word comment on each ``(anchor, text)``; returns the document (or new bytes, given bytes).

    ``anchor`` is a bookmark name, or else text contained in a paragraph (first match); the comment
    covers the whole paragraph. An anchor that cannot be found raises ``DraftingError``: a reviewer
    comment must never silently go missing. Newlines in ``text`` start new paragraphs in the comment.

    The comment elements are written as XML in one go (the same structure python-docx's
    ``add_comment`` makes, with a fixed date): python-docx builds them run by run, which cost more than
    rendering the whole document.
    """
    given_bytes = isinstance(document, bytes | bytearray)
    if given_bytes:
        import docx

        document = docx.Document(io.BytesIO(bytes(document)))
    if not anchors:
        return document_bytes(document) if given_bytes else document
    from docx.oxml import parse_xml

    comments_elm = document.part._comments_part.element
    existing = [int(c.get(f"{{{W_NS}}}id")) for c in comments_elm.findall(f"{{{W_NS}}}comment")]
    next_id = max(existing, default=-1) + 1
    bookmarks = _bookmarked_paragraphs(document)
    xml = []
    for offset, (anchor, text) in enumerate(anchors):
        para = bookmarks.get(anchor)
        if para is None and anchor:
            para = _paragraph_containing(document, anchor)
        if para is None or not para.runs:
            raise DraftingError(f"no paragraph to attach a comment to: {anchor!r}")
        comment_id = next_id + offset
        runs = para.runs
        runs[0].mark_comment_range(runs[-1], comment_id)
        xml.append(_comment_xml(comment_id, text, author, initials))
    wrapper = parse_xml(f'<w:comments xmlns:w="{W_NS}">{"".join(xml)}</w:comments>')
    for comment in list(wrapper):
        comments_elm.append(comment)
    return document_bytes(document) if given_bytes else document


def _comment_xml(comment_id: int, text: str, author: str, initials: str) -> str:
    stamp = FIXED_DATE.strftime("%Y-%m-%dT%H:%M:%SZ")
    paras = []
    for i, line in enumerate(_comment_text(text).split("\n")):
        ref = '<w:r><w:rPr><w:rStyle w:val="CommentReference"/></w:rPr><w:annotationRef/></w:r>' if i == 0 else ""
        run = f'<w:r><w:t xml:space="preserve">{xml_text(line)}</w:t></w:r>' if line else ""
        paras.append(f'<w:p><w:pPr><w:pStyle w:val="CommentText"/></w:pPr>{ref}{run}</w:p>')
    return (
        f'<w:comment w:id="{comment_id}" w:author="{xml_text(author)}" w:date="{stamp}" '
        f'w:initials="{xml_text(initials)}">{"".join(paras)}</w:comment>'
    )


def _comment_text(text: str) -> str:
    return _XML_INVALID.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


# --- reproducible packages ----------------------------------------------------------------------

_CORE = "docProps/core.xml"
_CP = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
_DC = "http://purl.org/dc/elements/1.1/"
_DCTERMS = "http://purl.org/dc/terms/"
_XSI = "http://www.w3.org/2001/XMLSchema-instance"
_DATE_ATTR = re.compile(rb'(w:date=")[^"]*(")')


def _core_xml(title: str, subject: str, creator: str) -> bytes:
    root = etree.Element(f"{{{_CP}}}coreProperties", nsmap={"cp": _CP, "dc": _DC, "dcterms": _DCTERMS, "xsi": _XSI})
    for tag, text in (
        (f"{{{_DC}}}title", title),
        (f"{{{_DC}}}subject", subject),
        (f"{{{_DC}}}creator", creator),
        (f"{{{_CP}}}lastModifiedBy", creator),
        (f"{{{_CP}}}revision", "1"),
    ):
        etree.SubElement(root, tag).text = _XML_INVALID.sub("", text)
    stamp = FIXED_DATE.strftime("%Y-%m-%dT%H:%M:%SZ")
    for tag in ("created", "modified"):
        el = etree.SubElement(root, f"{{{_DCTERMS}}}{tag}")
        el.set(f"{{{_XSI}}}type", "dcterms:W3CDTF")
        el.text = stamp
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _member_order(name: str) -> tuple[int, str]:
    first = {"[Content_Types].xml": 0, "_rels/.rels": 1, "word/document.xml": 2}
    return (first.get(name, 3), name)


def make_reproducible(data, *, title: str, subject: str = "", creator: str = "dpakit") -> bytes:
    """The package with everything time- or run-dependent fixed; same content → same SHA-256.

    ``data`` is DOCX bytes, the package's members (``{name: bytes}``, e.g. the redline's rewritten parts),
    or a python-docx ``Document`` (then its parts are serialised straight into the fixed zip, without
    compressing the package twice). Written by ``safezip.fixed_zip``, the one ZIP writer.
    """
    if isinstance(data, bytes | bytearray):
        with zipfile.ZipFile(io.BytesIO(bytes(data))) as src:
            members = {info.filename: src.read(info) for info in src.infolist()}
    elif isinstance(data, Mapping):
        members = dict(data)
    else:
        members = _package_members(data)
    return _fixed_zip(members, title=title, subject=subject, creator=creator)


class _Collector:
    """Stands in for python-docx's zip writer: collects ``{member name: bytes}``."""

    def __init__(self) -> None:
        self.members: dict[str, bytes] = {}

    def write(self, pack_uri, blob: bytes) -> None:
        self.members[pack_uri.membername] = blob


def _package_members(document) -> dict[str, bytes]:
    from docx.opc.pkgwriter import PackageWriter

    package = document.part.package
    for part in package.parts:
        part.before_marshal()
    parts = list(package.iter_parts())
    collector = _Collector()
    PackageWriter._write_content_types_stream(collector, parts)
    PackageWriter._write_pkg_rels(collector, package.rels)
    PackageWriter._write_parts(collector, parts)  # type: ignore[arg-type]  # duck-typed: only .write()
    return collector.members


def _fixed_zip(members: dict[str, bytes], *, title: str, subject: str, creator: str) -> bytes:
    members[_CORE] = _core_xml(title, subject, creator)
    for name in list(members):
        if name.startswith("word/comments") and name.endswith(".xml"):
            members[name] = _DATE_ATTR.sub(rb"\g<1>2000-01-01T00:00:00Z\g<2>", members[name])
    return fixed_zip(members, order=_member_order)


def render_reproducible(
    template: Path,
    context: Mapping[str, Any],
    *,
    title: str,
    comments: Sequence[tuple[str, str]] = (),
    subject: str = "",
) -> bytes:
    """Render, add ``comments`` (if any) and fix the package: the usual one-call path."""
    document = render_document(template, context)
    if comments:
        add_comments(document, comments)
    return make_reproducible(document_bytes(document), title=title, subject=subject)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def document_text(data: bytes) -> str:
    """All paragraph text of a DOCX (body and tables), one paragraph per line: for tests and checks."""
    import docx

    document = docx.Document(io.BytesIO(data))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                lines.extend(p.text for p in cell.paragraphs)
    return "\n".join(lines)


# --- PDF (LibreOffice headless) ------------------------------------------------------------------------


class ConverterMissing(DraftingError):
    """LibreOffice (``soffice``) is not installed, so no PDF can be made."""


def soffice_path() -> str | None:
    """The LibreOffice executable used for PDF conversion, or ``None`` when it is not installed."""
    import shutil

    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_to_pdf(data: bytes, *, timeout: float = 120.0, name: str = "document") -> bytes:
    """DOCX bytes → PDF bytes with LibreOffice headless, in a throw-away folder and profile.

    Each call has its own LibreOffice profile (parallel conversions sharing one silently lose output);
    on timeout the whole process group is killed. Raises ``ConverterMissing`` without LibreOffice and
    ``DraftingError`` when the conversion fails.
    """
    import os
    import shutil
    import signal
    import subprocess
    import tempfile

    soffice = soffice_path()
    if soffice is None:
        raise ConverterMissing(
            "PDF conversion needs LibreOffice, which is not installed on this machine "
            "(Debian: apt-get install libreoffice-writer-nogui). The DOCX is unaffected."
        )
    work = Path(tempfile.mkdtemp(prefix="dpakit-pdf-"))
    try:
        stem = re.sub(r"[^A-Za-z0-9_-]+", "_", name)[:60] or "document"
        src = work / f"{stem}.docx"
        src.write_bytes(data)
        profile = work / "profile"
        cmd = [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(work),
            str(src),
        ]
        proc = subprocess.Popen(
            cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, start_new_session=True
        )
        try:
            _out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            raise DraftingError(f"LibreOffice did not finish the PDF within {timeout:g} seconds") from None
        pdf = work / f"{stem}.pdf"
        if proc.returncode != 0 or not pdf.is_file() or pdf.stat().st_size == 0:
            detail = err.decode("utf-8", "replace").strip().splitlines()[-1:] if err else []
            raise DraftingError(
                "LibreOffice could not convert the document to PDF" + (f": {detail[0]}" if detail else "")
            )
        return pdf.read_bytes()
    finally:
        shutil.rmtree(work, ignore_errors=True)


__all__ = [
    "FIXED_DATE",
    "ConverterMissing",
    "Span",
    "convert_to_pdf",
    "soffice_path",
    "add_comments",
    "document_bytes",
    "document_text",
    "jinja_env",
    "literal",
    "make_reproducible",
    "new_template",
    "paragraph",
    "paragraphs",
    "render_document",
    "render_reproducible",
    "render_template",
    "run_xml",
    "sha256",
    "template_bytes",
    "undeclared_variables",
    "xml_text",
]


def template_build_main(out: Path, build: Callable[[], bytes], description: str, argv: list[str] | None = None) -> int:
    """The command line of every ``templates/build_*.py`` script: write the template, or ``--check`` it.

    ``--check`` exits 1 when the committed file differs from a fresh build (either the script changed,
    or a lawyer edited the .docx in Word on purpose — then keep the edit and update the script).
    """
    import argparse

    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--check", action="store_true", help="compare with the committed file instead of writing")
    args = parser.parse_args(argv)
    data = build()
    if args.check:
        same = out.is_file() and out.read_bytes() == data
        print(f"{out.name} is up to date" if same else f"{out.name} differs from a fresh build")
        return 0 if same else 1
    out.write_bytes(data)
    print(f"wrote {out} ({len(data):,} bytes)")
    return 0
