"""Check a DOCX and render it for a person to look at: PDF via LibreOffice, PNG pages via poppler.

    python3 scripts/docx_preview.py out/dpa.docx [outdir] [--allow '{{ 7*7 }}' ...]

Runs the same package checks as the tests (tests/docx_checks.py), then writes <outdir>/<name>.pdf
and <outdir>/<name>-N.png (60 dpi) and prints their paths and the document's comments. Exit 1 with
the reason when a check fails.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from docx_checks import (  # noqa: E402 (needs the path above)
    DocxCheckError,
    check_package,
    convert_to_pdf,
    docx_comments,
    pdf_pages,
    pdf_to_pngs,
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("docx", type=Path)
    parser.add_argument("outdir", type=Path, nargs="?", default=Path("out/preview"))
    parser.add_argument("--allow", action="append", default=[], help="literal text that looks like a tag")
    args = parser.parse_args(argv)
    try:
        data = args.docx.read_bytes()
        text = check_package(data, allowed_literals=args.allow)
        pdf = convert_to_pdf(args.docx, args.outdir)
        pngs = pdf_to_pngs(pdf, args.outdir)
    except (OSError, DocxCheckError) as exc:
        print(f"{args.docx}: {exc}", file=sys.stderr)
        return 1
    print(f"package ok: {len(text.splitlines())} paragraphs, {len(docx_comments(data))} comments")
    print(f"{pdf} ({pdf_pages(pdf)} pages)")
    for png in pngs:
        print(png)
    return 0


if __name__ == "__main__":
    sys.exit(main())
