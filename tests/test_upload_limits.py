"""Denial of service through an upload or a stored document: slow patterns, ZIP bombs, lying headers.

- Long lines of repeated structure ("# a" + spaces + "b", "a"*n, "- "*n, "**"*n, mixtures) are read and
  reviewed in time linear in their length: each example must finish well inside ``BOUND`` seconds (a
  guard against super-linear backtracking, not a speed test). The old Markdown-heading pattern took
  14 s on a 2.5 KB line and 20 s with 2,000 spaces.
- A small DOCX with a huge styles part or a huge media part is refused with a message naming the
  part, and reading it stays under ``PEAK_MB`` of memory (measured in a child process, its own
  ``VmHWM``); before, every part was inflated (2–4 GB).
- A ZIP whose header lies about a member's size is refused as damaged, never inflated past it.
- The redline of a stored bomb is an ``InputError``, not a ``MemoryError``.
- Random or truncated bytes in the members of a valid DOCX give only dpakit errors.
"""

from __future__ import annotations

import io
import json
import os
import struct
import subprocess
import sys
import time
import tracemalloc
import zipfile
import zlib
from pathlib import Path

import docx
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from dpakit.errors import DocumentInputError, DpakitError, InputError
from dpakit.review.reading import read_document
from dpakit.review.report import review_document
from dpakit.workspace.redline import redline

BOUND = 3.0
"""Seconds any one long-line example may take (generous: linear work is well under 0.5 s)."""
PEAK_MB = 400
"""Peak resident memory of a child that reads a bomb (Python and dpakit alone take ~100 MB)."""
HUGE = 480 * 1024 * 1024
"""Uncompressed size of the bomb parts: more than ``PEAK_MB``, so inflating one fails the bound."""

FEW = settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def small_docx() -> bytes:
    document = docx.Document()
    document.add_heading("Data Processing Addendum", level=1)
    document.add_paragraph("The Processor shall notify the Controller of a personal data breach.")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Duration", "The term of the Agreement"
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def with_part(data: bytes, name: str, size: int, *, head: bytes = b"", fill: bytes = b" ") -> bytes:
    """``data`` (a DOCX) with member ``name`` replaced or added: ``head`` then ``fill`` up to ``size`` bytes,
    streamed and deflated (so a 480 MB part costs ~0.5 MB of upload and little memory to build)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename != name:
                dst.writestr(info, src.read(info))
        info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        with dst.open(info, "w", force_zip64=size > 2**31) as stream:
            stream.write(head)
            chunk = fill * (1024 * 1024 // len(fill))
            left = size - len(head)
            while left > 0:
                stream.write(chunk[:left])
                left -= len(chunk)
    return out.getvalue()


def set_declared_size(data: bytes, name: str, size: int) -> bytes:
    """``data`` with member ``name``'s uncompressed size rewritten in its local and central headers."""
    raw = bytearray(data)
    encoded = name.encode()
    at = raw.find(b"PK\x01\x02")
    while at >= 0:
        n_len = struct.unpack_from("<H", raw, at + 28)[0]
        if bytes(raw[at + 46 : at + 46 + n_len]) == encoded:
            struct.pack_into("<I", raw, at + 24, size)
            local = struct.unpack_from("<I", raw, at + 42)[0]
            struct.pack_into("<I", raw, local + 22, size)
            return bytes(raw)
        at = raw.find(b"PK\x01\x02", at + 4)
    raise AssertionError(f"{name} not in the package")


_CHILD = """
import json, sys
from dpakit.review.reading import read_document
from dpakit.errors import DpakitError
data = open(sys.argv[1], "rb").read()
try:
    read_document(data, "upload.docx")
    outcome = {"error": None}
except DpakitError as exc:
    outcome = {"error": type(exc).__name__, "message": str(exc)}
except BaseException as exc:  # MemoryError and anything else: the test reports it
    outcome = {"error": "unexpected " + type(exc).__name__, "message": str(exc)[:300]}
# VmHWM: the peak resident size of this process's own memory since exec. Not ru_maxrss, which Linux carries
# over from the parent at exec (a pytest worker that once held 540 MB made every child report 540 MB).
status = dict(line.split(":", 1) for line in open("/proc/self/status").read().splitlines() if ":" in line)
outcome["peak_mb"] = int(status["VmHWM"].split()[0]) / 1024
print(json.dumps(outcome))
"""


def read_in_child(data: bytes, tmp_path) -> dict:
    """Read ``data`` as an upload in a fresh Python process; its outcome and its own peak memory (MB)."""
    path = tmp_path / "upload.docx"
    path.write_bytes(data)
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(path)], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- slow patterns ---------------------------------------------------------------------------------


def _timed(fn, *args, **kwargs) -> float:
    start = time.perf_counter()
    try:
        fn(*args, **kwargs)
    except DocumentInputError:
        pass  # e.g. "contains no text": refusing is fine, taking long is not
    return time.perf_counter() - start


def test_the_reported_heading_line_is_read_at_once():
    # "# a" + 2,000 spaces + "b" took 20 s with the old heading pattern (2.5 KB: 14 s).
    line = "# a" + " " * 2000 + "b"
    for name in ("pasted.md", "pasted.txt"):
        assert _timed(read_document, line.encode(), name) < BOUND
    doc = read_document((b"# Breach notification  ##\n\nThe processor notifies breaches.\n"), "x.md")
    assert doc.passages[0].kind == "heading" and doc.passages[0].text == "Breach notification"


_PIECES = ["# a", " ", "b", "a", "- ", "**", "#", "1. ", "(a) ", "=", "-", "\t", ".", "[[", "]]", "x ", "1 day "]
_SHAPES = {
    "heading": lambda n: "# a" + " " * n + "b",
    "letters": lambda n: "a" * n,
    "dashes": lambda n: "- " * (n // 2),
    "stars": lambda n: "**" * (n // 2),
    "hashes": lambda n: "#" * n + " x",
    "underline": lambda n: "=" * n + " x",
    "numbers": lambda n: "1." * (n // 2) + " ",
    # many sentence ends in one passage: each word counted every end before it (100 KB: 11 s; found here)
    "sentences": lambda n: ("1. 1. - x " * (n // 10 + 1))[:n],
}


@st.composite
def long_lines(draw) -> str:
    """A 10–100 KB line of repeated structure: one of ``_SHAPES``, or a repeated mixture of pieces."""
    n = draw(st.integers(10_000, 100_000))
    shape = draw(st.sampled_from([*_SHAPES, "mixture"]))
    if shape != "mixture":
        return _SHAPES[shape](n)
    unit = "".join(draw(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=6)))
    return (unit * (n // len(unit) + 1))[:n]


@FEW
@given(line=long_lines(), markdown=st.booleans(), context=st.sampled_from(["alone", "in_text"]))
def test_long_lines_are_read_in_linear_time(line, markdown, context):
    text = line if context == "alone" else f"Title\n\n{line}\n{line[::-1]}\n\nThe processor notifies breaches."
    assert _timed(read_document, text.encode(), "pasted.md" if markdown else "pasted.txt") < BOUND


@FEW
@given(line=long_lines())
@example(line=_SHAPES["sentences"](100_000))
@example(line=_SHAPES["heading"](100_000))
def test_long_lines_are_reviewed_in_linear_time(line):
    doc = read_document(f"# Data Processing Addendum\n\n{line}\n\n{line}.\n".encode(), "vendor.md")
    start = time.perf_counter()
    review_document(doc, ["eu_gdpr"], "controller")
    assert time.perf_counter() - start < BOUND


# --- ZIP bombs in uploads ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def bombs() -> dict[str, bytes]:
    base = small_docx()
    styles_head = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:styles xmlns:w='
        b'"http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    )
    return {
        "styles": with_part(base, "word/styles.xml", HUGE, head=styles_head),
        "media": with_part(base, "word/media/image1.png", HUGE, head=b"\x89PNG\r\n\x1a\n", fill=b"\x00"),
    }


@pytest.mark.parametrize(("which", "part"), [("styles", "word/styles.xml"), ("media", "word/media/image1.png")])
def test_a_docx_with_a_huge_part_is_refused_in_bounded_memory(bombs, which, part, tmp_path):
    data = bombs[which]
    assert len(data) < 2 * 1024 * 1024  # a small upload ...
    outcome = read_in_child(data, tmp_path)  # ... that claimed 2–4 GB of memory before
    assert outcome["error"] == "DocumentInputError", outcome
    assert part in outcome["message"] and "480 MB" in outcome["message"], outcome["message"]
    assert "limit" in outcome["message"] and "try again" in outcome["message"]
    assert outcome["peak_mb"] < PEAK_MB, outcome


def test_a_part_within_the_size_limit_but_too_compressed_is_a_bomb():
    data = with_part(small_docx(), "word/styles.xml", 5 * 1024 * 1024)
    with pytest.raises(DocumentInputError, match="ZIP bomb"):
        read_document(data, "vendor.docx")


def test_too_many_members_are_refused_before_they_are_listed():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
        for i in range(1_500):
            z.writestr(f"word/media/{i}.bin", b"")
    with pytest.raises(DocumentInputError, match="1,501 parts; the limit is 1,000"):
        read_document(out.getvalue(), "vendor.docx")


def test_a_header_that_understates_a_part_is_refused_as_damaged(tmp_path):
    # 200 MB of styles, declared as 2,000 bytes: only the declared bytes may be inflated.
    data = set_declared_size(with_part(small_docx(), "word/styles.xml", 200 * 1024 * 1024), "word/styles.xml", 2_000)
    with pytest.raises(DocumentInputError, match="damaged"):
        read_document(data, "vendor.docx")
    outcome = read_in_child(data, tmp_path)
    assert outcome["error"] == "DocumentInputError" and outcome["peak_mb"] < PEAK_MB, outcome
    from dpakit.safezip import SafeZip

    with SafeZip(data, what="vendor.docx", error=DocumentInputError) as package:
        with pytest.raises(DocumentInputError, match="damaged"):
            package.read("word/styles.xml")
        assert package.total == 0


def test_a_header_that_overstates_a_part_is_refused_without_reading_it():
    data = set_declared_size(small_docx(), "word/styles.xml", 3_000_000_000)
    with pytest.raises(DocumentInputError, match=r"'word/styles.xml' unpacks to 2,861 MB; the limit is"):
        read_document(data, "vendor.docx")


# --- the redline of a stored bomb ------------------------------------------------------------------


def test_the_redline_of_a_stored_bomb_is_an_input_error(bombs):
    good = small_docx()
    for bomb in bombs.values():
        with pytest.raises(InputError, match="480 MB; the limit is 100 MB"):
            redline(good, bomb, date="2026-11-01T10:00:00Z")
        with pytest.raises(InputError, match="older document"):
            redline(bomb, good, date="2026-11-01T10:00:00Z")
    lying = set_declared_size(with_part(good, "word/styles.xml", 50 * 1024 * 1024), "word/styles.xml", 2_000)
    with pytest.raises(InputError, match="damaged"):
        redline(good, lying, date="2026-11-01T10:00:00Z")


# --- structure fuzzing -----------------------------------------------------------------------------

_BASE = small_docx()
_MEMBERS = zipfile.ZipFile(io.BytesIO(_BASE)).namelist()


def _rebuilt(replace: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(_BASE)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, replace.get(info.filename, src.read(info)))
    return out.getvalue()


@st.composite
def damaged_docx(draw) -> bytes:
    """A valid DOCX with some members' bytes replaced by random, truncated or flipped bytes, or cut short."""
    if draw(st.booleans()):
        cut = draw(st.integers(0, len(_BASE) - 1))
        return _BASE[:cut] if draw(st.booleans()) else _BASE[:cut] + draw(st.binary(max_size=64)) + _BASE[cut:]
    replace = {}
    with zipfile.ZipFile(io.BytesIO(_BASE)) as src:
        for name in draw(st.lists(st.sampled_from(_MEMBERS), min_size=1, max_size=3, unique=True)):
            original = src.read(name)
            how = draw(st.sampled_from(["random", "truncated", "flipped"]))
            if how == "random":
                replace[name] = draw(st.binary(max_size=512))
            elif how == "truncated":
                replace[name] = original[: draw(st.integers(0, len(original)))]
            else:
                at = draw(st.integers(0, max(len(original) - 1, 0)))
                replace[name] = original[:at] + bytes([draw(st.integers(0, 255))]) + original[at + 1 :]
    return _rebuilt(replace)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=damaged_docx())
def test_damaged_members_give_only_dpakit_errors(data):
    try:
        read_document(data, "fuzzed.docx")
    except DpakitError:
        pass
    try:
        redline(_BASE, data, date="2026-11-01T10:00:00Z")
    except DpakitError:
        pass


# --- PDFs: pages, time and memory ------------------------------------------------------------------


def shared_stream_pdf(pages: int, content: bytes) -> bytes:
    """A PDF whose ``pages`` pages all draw one Flate-compressed content stream (written by hand, with a
    correct cross-reference table): the whole file is about the size of one compressed stream."""
    body = zlib.compress(content, 9)
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % (5 + i) for i in range(pages)), pages),
        3: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        4: b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(body) + body + b"\nendstream",
    }
    for i in range(pages):
        objects[5 + i] = (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            b"/Resources << /Font << /F1 3 0 R >> >> /Contents 4 0 R >>"
        )
    out = bytearray(b"%PDF-1.7\n")
    offsets = {}
    for number, body_ in objects.items():
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + body_ + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offsets[n] for n in sorted(offsets))
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


HEAVY = b"BT /F1 1 Tf 0 0 Td (a) Tj ET\n" * 20_000
"""One content stream that takes pypdf about half a second per page to extract (20,000 text runs)."""


def _pdf_children() -> list[int]:
    """Processes this one started that are still extracting a PDF (alive or not yet reaped)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            cmdline = (stat.parent / "cmdline").read_bytes()
        except OSError:
            continue
        if int(fields[1]) == os.getpid() and b"pdf_worker" in cmdline:
            found.append(int(stat.parent.name))
    return found


def test_a_small_pdf_with_400_pages_is_refused_from_its_page_count():
    # 78 KB / 400 pages sharing one heavy stream ran for many minutes, in the server's own process.
    data = shared_stream_pdf(400, HEAVY)
    assert len(data) < 100_000
    start = time.perf_counter()
    with pytest.raises(DocumentInputError, match="has 400 pages; the limit is 300"):
        read_document(data, "vendor.pdf")
    assert time.perf_counter() - start < BOUND + 2  # a child interpreter starts, counts pages, answers
    assert _pdf_children() == []


def test_a_pdf_that_takes_too_long_is_stopped_and_its_reader_killed(monkeypatch):
    # 250 pages (within the page limit) at ~0.5 s each: the reader is killed at the time limit.
    monkeypatch.setattr("dpakit.review.reading.PDF_TIMEOUT", 2.0)
    start = time.perf_counter()
    with pytest.raises(DocumentInputError, match="took longer than 2 seconds and was stopped"):
        read_document(shared_stream_pdf(250, HEAVY), "vendor.pdf")
    assert time.perf_counter() - start < 2.0 + BOUND
    assert _pdf_children() == []  # killed and reaped, not left running after the page gave up


def test_a_pdf_that_needs_too_much_memory_is_stopped():
    # 60 MB of text operators in one stream (within pypdf's own 75 MB inflate limit); the reader
    # may use 200 MB of address space, so it runs out and is stopped, and this process never holds it.
    from dpakit.review.pdf_worker import PdfLimit, extract

    data = shared_stream_pdf(1, b"BT /F1 1 Tf 0 0 Td (a) Tj ET\n" * 2_000_000)
    with pytest.raises(PdfLimit) as caught:
        extract(data, max_pages=10, max_chars=10**9, timeout=60, memory=200 * 1024 * 1024)
    assert caught.value.kind == "memory", (caught.value.kind, str(caught.value))
    assert _pdf_children() == []


def test_the_pdf_text_limit_stops_at_the_page_that_goes_over(monkeypatch):
    monkeypatch.setattr("dpakit.review.reading.MAX_CHARS", 50_000)
    with pytest.raises(DocumentInputError, match=r"more than 50,000 characters of text \(reached on page 3\)"):
        read_document(shared_stream_pdf(10, HEAVY), "bundle.pdf")


_PDF = shared_stream_pdf(2, b"BT /F1 12 Tf 72 700 Td (The processor notifies the controller of a breach.) Tj ET")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    cut=st.integers(0, len(_PDF)),
    junk=st.binary(max_size=64),
    flips=st.lists(st.tuples(st.integers(0, len(_PDF) - 1), st.integers(0, 255)), max_size=4),
)
def test_damaged_pdfs_give_only_dpakit_errors(cut, junk, flips):
    raw = bytearray(_PDF)
    for at, value in flips:
        raw[at] = value
    data = bytes(raw[:cut]) + junk + bytes(raw[cut:])
    try:
        doc = read_document(data, "fuzzed.pdf")
    except DocumentInputError as exc:
        assert str(exc).startswith("fuzzed.pdf: ") and "Traceback" not in str(exc)
    else:
        assert doc.kind == "pdf"
    assert _pdf_children() == []


# --- the workspace archive -------------------------------------------------------------------------


def test_an_archive_claiming_a_hundred_thousand_members_is_refused_from_its_end_record():
    # zipfile.infolist() builds one object per member (~0.5 KB each) before any count could be checked.
    from dpakit.workspace.archive import read_record

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for i in range(100_000):
            z.writestr(f"m{i}", b"")
    data = out.getvalue()
    tracemalloc.start()
    try:
        with pytest.raises(InputError, match="at most 5,000 are accepted"):
            read_record(data)
        with pytest.raises(DocumentInputError, match="the limit is 1,000"):
            read_document(data, "vendor.docx")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 2 * 1024 * 1024, peak  # the end record only: listing the directory allocates ~60 MB


def test_a_workspace_archive_bomb_is_refused_after_its_limit_not_inflated():
    from dpakit.workspace.archive import read_record

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z, z.open("manifest.json", "w") as stream:
        chunk = b" " * (1024 * 1024)
        for _ in range(400):  # 400 MB of spaces: ~0.4 MB packed
            stream.write(chunk)
    with pytest.raises(InputError, match="unpacks to more than 300 MB"):
        read_record(out.getvalue())


# --- the redline: quadratic diffs ----------------------------------------------------------------


def _docx_of(paragraphs: list[str]) -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


@pytest.mark.parametrize(
    ("old", "new"),
    [
        # one 50 KB answer (LONG_TEXT_MAX) of repeated words, reordered: 15 s for 16,000 tokens before
        (["a b " * 12_500, "x"], ["b a " * 12_500, "y"]),
        # 2,000 against 3,000 short paragraphs whose keys repeat: 45 s before
        (["a", "b"] * 1_000, ["b", "a", "c"] * 1_000),
    ],
    ids=["long-paragraph", "repeated-blocks"],
)
def test_the_redline_of_pathological_documents_is_bounded(old, new):
    before, after = _docx_of(old), _docx_of(new)
    start = time.perf_counter()
    out, summary = redline(before, after, date="2026-11-01T10:00:00Z")
    assert time.perf_counter() - start < 2 * BOUND
    with zipfile.ZipFile(io.BytesIO(out)) as package:
        body = package.read("word/document.xml")
    assert b"<w:ins " in body and b"<w:del " in body  # still a redline, not a refusal


# --- answers files and archive manifests: JSON that Python's parser cannot take --------------------

_BAD_JSON = {
    "deep-list": "[" * 100_000 + "]" * 100_000,  # RecursionError inside json.loads
    "deep-object": '{"x":' * 50_000 + "1" + "}" * 50_000,
    "huge-number": '{"schema_version": 1, "crm": ' + "1" * 1_000_000 + "}",  # ValueError: int_max_str_digits
}


@pytest.mark.parametrize("text", list(_BAD_JSON.values()), ids=list(_BAD_JSON))
def test_an_answers_file_python_cannot_parse_gets_a_message(text):
    from dpakit.answers_file import parse_answers
    from dpakit.errors import AnswersFileError

    with pytest.raises(AnswersFileError, match=r"^answers\.json (nests|is not usable JSON)"):
        parse_answers(text, "answers.json")


@pytest.mark.parametrize("text", list(_BAD_JSON.values()), ids=list(_BAD_JSON))
def test_an_archive_manifest_python_cannot_parse_gets_a_message(text):
    from dpakit.workspace.archive import read_record

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("manifest.json", text)
    with pytest.raises(InputError, match="^manifest.json (nests|is not valid JSON)"):
        read_record(out.getvalue())


def test_the_hosting_guide_states_the_limits_the_code_applies():
    from dpakit import safezip
    from dpakit.answers_file import MAX_FILE_BYTES
    from dpakit.review import reading
    from dpakit.workspace import archive

    guide = (Path(__file__).resolve().parents[1] / "docs" / "hosting.md").read_text(encoding="utf-8")
    table = guide[guide.index("### What one upload can cost") : guide.index("## What is checked where")]
    expected = [
        f"{reading.MAX_BYTES // 1024 // 1024} MB file",
        f"{safezip.MAX_MEMBERS:,} parts",
        f"{safezip.MAX_MEMBER // 1024 // 1024} MB a part",
        f"{safezip.MAX_TOTAL // 1024 // 1024} MB unpacked in all",
        f"{safezip.MAX_RATIO}× expansion",
        f"{reading.MAX_PDF_PAGES} pages",
        f"{reading.PDF_TIMEOUT:g} seconds",
        f"{reading.PDF_MEMORY // 1024**3} GB of memory",
        f"| {MAX_FILE_BYTES // 1_000_000} MB |",
        f"{archive.MAX_ARCHIVE_BYTES // 1_000_000} MB file",
        f"{archive.MAX_MEMBERS:,} members",
        f"{archive.MAX_TOTAL_BYTES // 1_000_000} MB unpacked",
    ]
    assert [text for text in expected if text not in table] == []
    assert "2 million characters" in table and reading.MAX_CHARS == 2_000_000
