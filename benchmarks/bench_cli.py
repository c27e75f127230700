"""Benchmark: the command line end to end — ``draft``, ``score`` and ``review`` — vs bare scripts.

    python -m benchmarks.bench_cli [--quick]          # draft
    python -m benchmarks.bench_cli_score [--quick]    # score
    python -m benchmarks.bench_cli_review [--quick]   # review

What a user waits for at the command line: a new interpreter starts, reads an answers file, analyses it,
drafts the DPA (with comments) and the action plan and writes six files. The baseline
(``baselines/bare_draft.py``) is a new interpreter that imports docxtpl, renders the same two templates
with contexts dpakit built beforehand and writes the same six files. Both run as child processes,
alternately, after one warm-up each; wall time (median) and peak memory (the child's own ``VmHWM``, see
``baselines/peak.py``) are compared. Targets (issue 18): time ≤ 2×, peak memory ≤ 1.5×.

``python -m dpakit score ANSWERS`` prints the report (laws, transfers, explained risk findings) as JSON.
Its baseline (``baselines/bare_score.py``) is a new interpreter that parses the same answers file with
``json`` and writes the same report bytes to stdout: any script printing that report must at least start,
read its input and write its output; everything above that is what dpakit's analysis costs.

``python -m dpakit review DPA.docx --regimes eu_gdpr,uk_gdpr`` reviews the DPA that ``draft`` wrote for the same example and prints
the JSON report. Its baseline (``baselines/bare_review.py``) is a new interpreter that reads the text of
every paragraph of the same file with python-docx and writes the same report bytes: the floor for any
DOCX reviewer, so the ratio is the cost of finding and judging the required clauses. Issue 18 sets no
target for these two; they are shown so that a slow start of either is seen.

The children run as an installed dpakit would: with their bytecode cached (a private
``PYTHONPYCACHEPREFIX``, filled by the warm-up, even where the environment sets
``PYTHONDONTWRITEBYTECODE``; compiling dpakit's modules afresh on every start costs ~0.1 s that no user
with a normal installation pays) and with dpakit's parse cache in a private folder
(``DPAKIT_CACHE_DIR``), also filled by the warm-up. Both sides get the same environment.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
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
REVIEW_REGIMES = "eu_gdpr,uk_gdpr"  # the laws that apply to nordlicht (``dpakit score``), whose DPA is reviewed


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


def child_env(folder: Path) -> dict[str, str]:
    """The children's environment: bytecode and dpakit's parse cache kept in ``folder`` (see above)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(folder / "pycache")
    env["DPAKIT_CACHE_DIR"] = str(folder / "dpakit-cache")
    return env


def run_child(argv: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall seconds and peak resident MiB (``baselines/peak.py``: the child's own ``VmHWM``) of one run."""
    with tempfile.NamedTemporaryFile("r", suffix=".peak", encoding="ascii") as peak:
        command = [sys.executable, str(BASELINES / "peak.py"), peak.name, *argv[1:]]
        start = time.perf_counter()
        done = subprocess.run(
            command, cwd=REPO_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False
        )
        took = time.perf_counter() - start
        if done.returncode != 0:
            raise RuntimeError(f"{argv[1:3]} failed: {done.stderr.decode()[-1000:]}")
        return took, float(peak.read())


def compare(ours_cmd: list[str], bare_cmd: list[str], repeat: int, env: dict[str, str]) -> dict[str, list[float]]:
    """One warm-up each, then ``repeat`` alternating runs: seconds and peak MiB of every run."""
    run_child(ours_cmd, env)
    run_child(bare_cmd, env)
    samples: dict[str, list[float]] = {"ours_s": [], "bare_s": [], "ours_mib": [], "bare_mib": []}
    for _ in range(repeat):
        for side, cmd in (("ours", ours_cmd), ("bare", bare_cmd)):
            t, m = run_child(cmd, env)
            samples[f"{side}_s"].append(t)
            samples[f"{side}_mib"].append(m)
    return samples


def run(quick: bool) -> Figure:
    repeat = 3 if quick else 9
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        answers_path, pickled = prepare(folder)
        ours_cmd = [sys.executable, "-m", "dpakit", "draft", str(answers_path), "--out", str(folder / "ours"),
                    "--start-date", START.isoformat()]  # fmt: skip
        bare_cmd = [sys.executable, str(BASELINES / "bare_draft.py"), str(pickled), str(folder / "bare")]
        samples = compare(ours_cmd, bare_cmd, repeat, child_env(folder))
        ours, bare, ours_mem, bare_mem = (samples[k] for k in ("ours_s", "bare_s", "ours_mib", "bare_mib"))
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
        samples,
    )


def _command_figure(key: str, title: str, ours_cmd: list[str], bare_cmd: list[str], folder: Path,
                    quick: bool, what: str) -> Figure:  # fmt: skip
    repeat = 3 if quick else 9
    samples = compare(ours_cmd, bare_cmd, repeat, child_env(folder))
    ours, bare = median(samples["ours_s"]), median(samples["bare_s"])
    ours_mem, bare_mem = max(samples["ours_mib"]), max(samples["bare_mib"])
    return Figure(
        key,
        title,
        ours / bare,
        "×",
        "",
        None,
        f"median {ours:.2f} s vs {bare:.2f} s; peak memory {ours_mem:.0f} vs {bare_mem:.0f} MiB "
        f"({ours_mem / bare_mem:.2f}×); {what}, {repeat} runs each",
        samples,
    )


def _reference_output(args: list[str], out: Path) -> Path:
    """What ``python -m dpakit ARGS`` prints, saved to ``out`` for the bare script to write."""
    done = subprocess.run([sys.executable, "-m", "dpakit", *args], cwd=REPO_ROOT, capture_output=True, check=True)
    out.write_bytes(done.stdout)
    return out


def run_score(quick: bool) -> Figure:
    """``python -m dpakit score`` end to end vs a bare interpreter that parses the answers and prints the report."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        answers_path, _ = prepare(folder)
        expected = _reference_output(["score", str(answers_path)], folder / "score.json")
        ours_cmd = [sys.executable, "-m", "dpakit", "score", str(answers_path)]
        bare_cmd = [sys.executable, str(BASELINES / "bare_score.py"), str(answers_path), str(expected)]
        return _command_figure(
            "cli_score", "`python -m dpakit score` end to end vs a bare script printing the same report",
            ours_cmd, bare_cmd, folder, quick, EXAMPLE,
        )  # fmt: skip


def run_review(quick: bool) -> Figure:
    """``python -m dpakit review`` of a drafted DPA end to end vs a bare python-docx text read of the same file."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        prepare(folder)
        dpa = folder / "reference" / "dpa.docx"
        args = ["review", str(dpa), "--regimes", REVIEW_REGIMES]
        expected = _reference_output(args, folder / "review.json")
        ours_cmd = [sys.executable, "-m", "dpakit", *args]
        bare_cmd = [sys.executable, str(BASELINES / "bare_review.py"), str(dpa), str(expected)]
        return _command_figure(
            "cli_review", "`python -m dpakit review` of a drafted DPA vs a bare python-docx text read",
            ours_cmd, bare_cmd, folder, quick, f"{EXAMPLE}'s drafted DPA, {dpa.stat().st_size // 1024} KiB",
        )  # fmt: skip


def report(figure: Figure) -> None:
    """Print one figure as ``python -m benchmarks.bench_cli*`` does."""
    target = f"; target {figure.target}: {'met' if figure.met else 'MISSED'}" if figure.target else ""
    print(f"{figure.title}: {figure.measured_text()} ({figure.detail}){target}")


if __name__ == "__main__":
    report(run("--quick" in sys.argv))
