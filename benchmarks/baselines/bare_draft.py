"""Baseline for ``bench_cli``: a bare script that writes the same six files ``python -m dpakit draft`` does.

    python benchmarks/baselines/bare_draft.py PREPARED.pickle OUT_DIR

It imports only docxtpl, renders the DPA and action-plan templates with contexts dpakit built beforehand
(pickled, so no dpakit code runs here), saves both, and writes the action plan's Markdown and CSV, the
report and the manifest as prepared bytes: what any script producing these files must at least do.
"""

from __future__ import annotations

import pickle
import sys
from pathlib import Path

from docxtpl import DocxTemplate
from jinja2 import Environment


def main(prepared: str, out: str) -> None:
    with open(prepared, "rb") as fh:
        data = pickle.load(fh)  # noqa: S301 - our own file, written by bench_cli a moment ago
    out_dir = Path(out)
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, (template, context) in data["templates"].items():
        tpl = DocxTemplate(template)
        tpl.render(context, jinja_env=Environment(autoescape=True), autoescape=True)
        tpl.save(out_dir / name)
    for name, content in data["files"].items():
        (out_dir / name).write_bytes(content)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
