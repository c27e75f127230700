"""Benchmark: drafting each example DPA (with comments) vs a bare docxtpl render of the same final content.

    python benchmarks/bench_drafting.py [--repeat 15]

"Bare" is what docxtpl alone costs for this document: a ``DocxTemplate`` opened from the same template,
rendered with the same (already built) context and saved — no clause selection, coverage check, comments
or reproducible packaging. ``draft_dpa`` is the whole pipeline from an ``Analysis`` to final DOCX bytes.
Both are timed in the same run, alternating, after one warm-up each; the median is reported.
Target (issue 7): ratio ≤ 1.5×.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from docxtpl import DocxTemplate  # noqa: E402
from jinja2 import Environment  # noqa: E402

from dpakit.analysis import analyse  # noqa: E402
from dpakit.drafting.clauses import load_library, select_clauses  # noqa: E402
from dpakit.drafting.draft import DPA_TEMPLATE, build_context, draft_dpa  # noqa: E402
from dpakit.examples import EXAMPLES, load_example  # noqa: E402

TARGET = 1.5


def bare_render(context: dict) -> bytes:
    tpl = DocxTemplate(str(DPA_TEMPLATE))
    tpl.render(context, jinja_env=Environment(autoescape=True), autoescape=True)
    buf = io.BytesIO()
    tpl.save(buf)
    return buf.getvalue()


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args(argv)
    library = load_library()
    rows = []
    for name in EXAMPLES:
        analysis = analyse(load_example(name))
        selected = select_clauses(analysis.facts, library)
        context = build_context(analysis, selected, library.version, comments=True).template_values()
        draft_dpa(analysis, library)  # warm-up: caches (template bytes, catalogue, questionnaire)
        bare_render(context)
        ours, bare = [], []
        for _ in range(args.repeat):
            ours.append(timed(lambda a=analysis: draft_dpa(a, library)))
            bare.append(timed(lambda c=context: bare_render(c)))
        rows.append((name, statistics.median(ours), statistics.median(bare)))
    print(f"{'example':<14}{'draft_dpa ms':>14}{'bare docxtpl ms':>17}{'ratio':>8}")
    for name, ours, bare in rows:
        print(f"{name:<14}{ours * 1000:>14.1f}{bare * 1000:>17.1f}{ours / bare:>7.2f}x")
    worst = max(o / b for _, o, b in rows)
    print(
        f"median of {args.repeat} runs each; worst ratio {worst:.2f}x (target <= {TARGET}x): "
        f"{'met' if worst <= TARGET else 'MISSED'}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
