"""Baseline for ``bench_cli``'s review figure: a bare python-docx text read of the DPA under review.

    python benchmarks/baselines/bare_review.py DPA.docx REPORT.json

A new interpreter that imports python-docx, opens the same file, reads the text of every paragraph (body
and tables) and writes the report's bytes (prepared by ``bench_cli`` from ``dpakit review`` itself) to
stdout: the least any reviewer of a DOCX must do. What it leaves out is what the command adds — finding
the clauses the laws require and judging each one.
"""

from __future__ import annotations

import sys

from docx import Document


def main(path: str, report: str) -> None:
    doc = Document(path)
    text = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            text.extend(cell.text for cell in row.cells)
    assert text  # noqa: S101 - the read must not be optimised away; a DPA has text
    with open(report, "rb") as fh:
        sys.stdout.buffer.write(fh.read())


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
