"""Baseline for ``bench_cli``'s score figure: the least a script printing ``dpakit score``'s report can do.

    python benchmarks/baselines/bare_score.py ANSWERS.json REPORT.json

A new interpreter that reads and parses the answers file with ``json`` and writes the report's bytes
(prepared by ``bench_cli`` from ``dpakit score`` itself) to stdout. What it leaves out is exactly what the
command adds: validating the answers and applying the laws, transfers and risk rules to them.
"""

from __future__ import annotations

import json
import sys


def main(answers: str, report: str) -> None:
    with open(answers, encoding="utf-8") as fh:
        json.load(fh)
    with open(report, "rb") as fh:
        sys.stdout.buffer.write(fh.read())


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
