"""Run every benchmark, print the figures table and rewrite it in ``benchmarks/README.md``.

    python -m benchmarks                 # make bench: every figure (about five minutes on 2 cores)
    python -m benchmarks --quick         # fewer repetitions / files / sessions: a smoke run
    python -m benchmarks --only drafting wizard
    python -m benchmarks --no-write      # print only; leave the README alone
    python -m benchmarks --json out.json # every sample as well

Run it on an otherwise idle machine: ratios are measured in one run, alternating ours and the baseline,
but two cores shared with a test suite still skew them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks import REPO_ROOT, Figure, alternate, median

README = Path(__file__).resolve().parent / "README.md"
START, END = "<!-- figures:start -->", "<!-- figures:end -->"


def drafting(quick: bool) -> Figure:
    """Drafting each example DPA (with comments) vs a bare docxtpl render of the same final content.

    The bare render and the method are the drafting engineer's ``bench_drafting.py``: the same template,
    rendered by docxtpl with the already-built context and saved. The figure is the worst example's ratio.
    """
    from benchmarks.bench_drafting import TARGET, bare_render
    from dpakit.analysis import analyse
    from dpakit.drafting.clauses import load_library, select_clauses
    from dpakit.drafting.draft import build_context, draft_dpa
    from dpakit.examples import EXAMPLES, load_example

    repeat = 5 if quick else 15
    library = load_library()
    rows, samples = [], {}
    for name in EXAMPLES:
        analysis = analyse(load_example(name))
        context = build_context(
            analysis, select_clauses(analysis.facts, library), library.version, comments=True
        ).template_values()
        ours, bare = alternate(lambda a=analysis: draft_dpa(a, library), lambda c=context: bare_render(c), repeat)
        rows.append((name, median(ours), median(bare)))
        samples[name] = {"ours_s": ours, "bare_s": bare}
    worst = max(rows, key=lambda r: r[1] / r[2])
    ratio = worst[1] / worst[2]
    per = ", ".join(f"{n} {o / b:.2f}×" for n, o, b in rows)
    return Figure(
        "drafting",
        "Drafting each example DPA (with comments) vs bare docxtpl render of the same content",
        ratio,
        "×",
        f"≤ {TARGET:g}×",
        ratio <= TARGET,
        f"worst: {worst[0]} {worst[1] * 1000:.0f} ms vs {worst[2] * 1000:.0f} ms; {per}; median of {repeat}",
        samples,
    )


def _module(name: str) -> Callable[[bool], Figure]:
    def run(quick: bool) -> Figure:
        from importlib import import_module

        return import_module(f"benchmarks.bench_{name}").run(quick)

    return run


BENCHMARKS: dict[str, Callable[[bool], Figure]] = {
    "drafting": drafting,
    "agreements": _module("agreements"),
    "wizard": _module("wizard"),
    "batch": _module("batch"),
    "cold_start": _module("cold_start"),
    "memory": _module("memory"),
    "cli": _module("cli"),
    "start_page": _module("start_page"),
    "review": _module("review"),
    "cli_score": _module("cli_score"),
    "cli_review": _module("cli_review"),
}


def table(figures: list[Figure]) -> str:
    lines = ["| figure | measured | target | met? | detail |", "| --- | --- | --- | --- | --- |"]
    for f in figures:
        lines.append(
            f"| {f.title} | **{f.measured_text()}** | {f.target or '— (none set)'} | {f.met_text()} | {f.detail} |"
        )
    return "\n".join(lines)


def write_readme(figures: list[Figure], command: str, took: float) -> None:
    text = README.read_text(encoding="utf-8")
    if START not in text or END not in text:
        raise SystemExit(f"{README} has no {START} … {END} markers")
    block = "\n".join(
        [
            START,
            f"Produced by `{command}` on {dt.date.today().isoformat()} ({os.cpu_count()} CPUs, "
            f"Python {platform.python_version()}, {took / 60:.1f} min).",
            "",
            table(figures),
            END,
        ]
    )
    text = re.sub(re.escape(START) + ".*?" + re.escape(END), lambda _: block, text, flags=re.S)
    README.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions: a smoke run")
    parser.add_argument("--only", nargs="+", choices=list(BENCHMARKS), help="run only these")
    parser.add_argument("--no-write", action="store_true", help="do not rewrite benchmarks/README.md")
    parser.add_argument("--json", metavar="FILE", help="also write every sample (seconds / KiB) to FILE")
    args = parser.parse_args(argv)
    names = args.only or list(BENCHMARKS)
    figures, started = [], time.monotonic()
    for name in names:
        t0 = time.monotonic()
        print(f"[{name}] running…", flush=True)
        figure = BENCHMARKS[name](args.quick)
        print(
            f"[{name}] {figure.measured_text()} (target {figure.target or 'none'}) — {figure.detail} "
            f"[{time.monotonic() - t0:.0f} s]",
            flush=True,
        )
        figures.append(figure)
    took = time.monotonic() - started
    print()
    print(table(figures))
    shown = ["--quick"] if args.quick else []  # --json and --no-write do not change what is measured
    command = " ".join(["python -m benchmarks", *shown])
    if not args.no_write and not args.only:
        write_readme(figures, command, took)
        print(f"\nwrote the table into {README.relative_to(REPO_ROOT)}")
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                {
                    f.key: {
                        "measured": f.measured,
                        "target": f.target,
                        "met": f.met,
                        "detail": f.detail,
                        "samples": f.samples,
                    }
                    for f in figures
                },
                indent=1,
            )
            + "\n",
            encoding="utf-8",
        )
    return 0 if all(f.met is not False for f in figures) else 1


if __name__ == "__main__":
    raise SystemExit(main())
