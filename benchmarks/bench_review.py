"""Benchmark: reviewing a long DPA (DOCX) end to end vs a bare python-docx read of the same file's text.

    python -m benchmarks.bench_review [--quick]

Ours: ``read_document`` + ``review_document`` for EU and UK GDPR as controller (transfer terms decided
from the text), as the Review page and ``python -m dpakit review`` run it, on a 10-, 100- and 500-page
DOCX. The documents are the nordlicht example's drafted DPA (about 40,000 characters) with its body
repeated until the text reaches 3,000 characters a page. The per-document section cache is cleared
before every run: a user's upload is a new document. Bare: ``docx.Document(file)`` and the text of every
paragraph joined, the least any review must do. Both are timed alternately in one process; the figure is
the 500-page time (target of issue 18: ≤ 2.5 s on this kind of machine), the ratio to the bare read is
given beside it.
"""

from __future__ import annotations

import copy
import io
from functools import cache

from benchmarks import Figure, alternate, median

TARGET_S = 2.5
CHARS_PER_PAGE = 3000
PAGES = (10, 100, 500)
EXAMPLE = "nordlicht"
REGIMES = ("eu_gdpr", "uk_gdpr")


@cache
def drafted_docx() -> bytes:
    from dpakit.analysis import analyse
    from dpakit.drafting.draft import draft_dpa
    from dpakit.examples import load_example

    return draft_dpa(analyse(load_example(EXAMPLE))).docx


def long_docx(pages: int) -> bytes:
    """The drafted DPA with its body repeated (the first copy whole) until it has ``pages`` pages of text."""
    import docx

    from dpakit.review.reading import read_docx

    data = drafted_docx()
    chars = read_docx(data, "dpa.docx").characters
    document = docx.Document(io.BytesIO(data))
    body = document.element.body
    blocks = [el for el in body.iterchildren() if not el.tag.endswith("}sectPr")]
    anchor = body[-1] if body[-1].tag.endswith("}sectPr") else None
    total = chars
    while total < pages * CHARS_PER_PAGE:
        for el in blocks:
            clone = copy.deepcopy(el)
            if anchor is not None:
                anchor.addprevious(clone)
            else:
                body.append(clone)
        total += chars
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def review(data: bytes, indexed: bool = True):
    from dpakit.review.detection import document_sections
    from dpakit.review.reading import read_document
    from dpakit.review.report import review_document

    document_sections.cache_clear()
    doc = read_document(data, name="long-dpa.docx")
    return review_document(doc, REGIMES, "controller", indexed=indexed)


def bare_read(data: bytes) -> str:
    import docx

    return "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)


def run(quick: bool = False) -> Figure:
    repeat = 3 if quick else 7
    rows, samples = [], {}
    for pages in PAGES:
        data = long_docx(pages)
        n = repeat if pages < 500 else max(3, repeat // 2)
        ours, bare = alternate(lambda d=data: review(d), lambda d=data: bare_read(d), n)
        rows.append((pages, median(ours), median(bare)))
        samples[f"{pages}_pages"] = {"ours_s": ours, "bare_s": bare}
    last = rows[-1]
    per = "; ".join(f"{p} pages {o:.2f} s vs {b:.2f} s ({o / b:.1f}×)" for p, o, b in rows)
    return Figure(
        "review",
        "Review of a 500-page DOCX (read + all EU/UK GDPR terms) vs bare python-docx paragraph text read",
        last[1],
        " s",
        f"≤ {TARGET_S:g} s",
        last[1] <= TARGET_S,
        f"{per}; ratio to the bare read at 500 pages {last[1] / last[2]:.1f}×; median of {repeat} "
        f"({max(3, repeat // 2)} at 500 pages)",
        samples,
    )


if __name__ == "__main__":
    import sys

    figure = run("--quick" in sys.argv)
    print(f"{figure.title}: {figure.measured_text()} (target {figure.target}) — {figure.detail}")
