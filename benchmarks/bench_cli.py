"""Benchmark: ``python -m dpakit draft`` end to end vs a bare script that writes the same files.

    python -m benchmarks.bench_cli [--quick]

What a user waits for at the command line: a new interpreter starts, reads an answers file, analyses it,
drafts the DPA (with comments) and the action plan and writes six files. The baseline
(``baselines/bare_draft.py``) is a new interpreter that imports docxtpl, renders the same two templates
with contexts dpakit built beforehand and writes the same six files. Both run as child processes,
alternately, after one warm-up each; wall time (median) and peak memory (the child's own ``VmHWM``, see
``baselines/peak.py``) are compared. Targets (issue 18): time ≤ 2×, peak memory ≤ 1.5×.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import pickle
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from benchmarks import BASELINES, REPO_ROOT, Figure, median

TARGET_TIME = 2.0
TARGET_MEMORY = 1.5
EXAMPLE = "nordlicht"
START = dt.date(2026, 1, 5)


def plain(value: Any) -> Any:
    """``value`` with dpakit's dataclasses and models turned into dicts (Jinja's ``a.b`` reads a dict's
    item as well as an attribute), so the bare script unpickles it without importing dpakit."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, BaseModel):
        return {name: plain(getattr(value, name)) for name in type(value).model_fields}
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if type(value).__module__.startswith("dpakit"):
        raise TypeError(f"bench_cli cannot make {type(value)} plain")
    return value


def prepare(folder: Path) -> tuple[Path, Path]:
    """The answers file for ``dpakit draft`` and the pickled contexts and bytes for the bare script."""
    from dpakit import action_plan
    from dpakit.actions import ACTION_PLAN_TEMPLATE, docx_context
    from dpakit.analysis import analyse
    from dpakit.answers_file import dump_answers
    from dpakit.drafting.batch import export_documents
    from dpakit.drafting.clauses import load_library, select_clauses
    from dpakit.drafting.draft import DPA_TEMPLATE, build_context
    from dpakit.examples import load_example

    answers = load_example(EXAMPLE)
    answers_path = folder / f"{EXAMPLE}.json"
    answers_path.write_text(dump_answers(answers), encoding="utf-8")
    reference = folder / "reference"
    export_documents(answers, reference, comments=True, start=START)
    analysis = analyse(answers)
    library = load_library()
    dpa = build_context(analysis, select_clauses(analysis.facts, library), library.version, comments=True)
    plan = action_plan(analysis, START)
    prepared = {
        "templates": {
            "dpa.docx": (str(DPA_TEMPLATE), plain(dpa.template_values())),
            "action-plan.docx": (str(ACTION_PLAN_TEMPLATE), plain(docx_context(plan))),
        },
        "files": {
            name: (reference / name).read_bytes()
            for name in ("action-plan.md", "action-plan.csv", "report.json", "manifest.json")
        },
    }
    pickled = folder / "prepared.pickle"
    pickled.write_bytes(pickle.dumps(prepared))
    return answers_path, pickled


def run_child(argv: list[str]) -> tuple[float, float]:
    """Wall seconds and peak resident MiB (``baselines/peak.py``: the child's own ``VmHWM``) of one run."""
    with tempfile.NamedTemporaryFile("r", suffix=".peak", encoding="ascii") as peak:
        command = [sys.executable, str(BASELINES / "peak.py"), peak.name, *argv[1:]]
        start = time.perf_counter()
        done = subprocess.run(command, cwd=REPO_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
        took = time.perf_counter() - start
        if done.returncode != 0:
            raise RuntimeError(f"{argv[1:3]} failed: {done.stderr.decode()[-1000:]}")
        return took, float(peak.read())


def run(quick: bool) -> Figure:
    repeat = 3 if quick else 9
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        answers_path, pickled = prepare(folder)
        ours_cmd = [sys.executable, "-m", "dpakit", "draft", str(answers_path), "--out", str(folder / "ours"),
                    "--start-date", START.isoformat()]  # fmt: skip
        bare_cmd = [sys.executable, str(BASELINES / "bare_draft.py"), str(pickled), str(folder / "bare")]
        run_child(ours_cmd)
        run_child(bare_cmd)
        ours, bare, ours_mem, bare_mem = [], [], [], []
        for _ in range(repeat):
            t, m = run_child(ours_cmd)
            ours.append(t)
            ours_mem.append(m)
            t, m = run_child(bare_cmd)
            bare.append(t)
            bare_mem.append(m)
        same = sorted(p.name for p in (folder / "ours").iterdir()) == sorted(
            p.name for p in (folder / "bare").iterdir()
        )
    ratio = median(ours) / median(bare)
    memory = max(ours_mem) / max(bare_mem)
    return Figure(
        "cli",
        "`python -m dpakit draft` end to end vs a bare docxtpl script writing the same files",
        ratio,
        "×",
        f"≤ {TARGET_TIME:g}× (memory ≤ {TARGET_MEMORY:g}×)",
        ratio <= TARGET_TIME and memory <= TARGET_MEMORY,
        f"median {median(ours):.2f} s vs {median(bare):.2f} s; peak memory {max(ours_mem):.0f} vs "
        f"{max(bare_mem):.0f} MiB ({memory:.2f}×); {EXAMPLE}, {repeat} runs each"
        + ("" if same else "; WARNING: the two wrote different file names"),
        {"ours_s": ours, "bare_s": bare, "ours_mib": ours_mem, "bare_mib": bare_mem},
    )


if __name__ == "__main__":
    figure = run("--quick" in sys.argv)
    print(f"{figure.title}: {figure.measured_text()} ({figure.detail}); target {figure.target}: "
          f"{'met' if figure.met else 'MISSED'}")  # fmt: skip
