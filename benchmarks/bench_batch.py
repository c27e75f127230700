"""Benchmark: ``python -m dpakit draft-batch`` over 200 answers files, 2 workers vs 1.

The 200 files are made from the four example organisations with small variations (names, registration
numbers, a few yes/no answers and the record volume changed per file), written to a temporary folder.
Each run is the whole command line as a user runs it (interpreter start, imports, the process pool),
timed from start to exit; ``--jobs 1`` and ``--jobs 2`` alternate and the median of each is taken. Every
file must come out ``ok``. Target: a speed-up of at least 1.7× on 2 cores.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks import REPO_ROOT, Figure, median

TARGET = 1.7
FLIPS = (
    "security.sso",
    "security.access_reviews",
    "security.restore_tested",
    "rights.requests_tracked",
    "accountability.dpia_done",
    "purposes.consent_records",
)
VOLUMES = ("under_1k", "1k_10k", "10k_100k", "100k_1m", "over_1m")


def make_answers_files(folder: Path, count: int) -> list[Path]:
    """``count`` valid answers files around the four examples, each a little different."""
    from dpakit.answers_file import dump_answers
    from dpakit.examples import EXAMPLES, load_example
    from dpakit.models import Answers

    bases = [load_example(name).model_dump(mode="json") for name in EXAMPLES]
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        data = json.loads(json.dumps(bases[i % len(bases)]))
        org = data["organisation"]
        org["legal_name"] = f"{org['legal_name']} — branch {i:03d}"
        org["registration_number"] = f"REG-{i:05d}"
        for bit, path in enumerate(FLIPS):
            section, field = path.split(".")
            data[section][field] = "yes" if (i >> bit) & 1 else "no"
        data["data"]["record_volume"] = VOLUMES[i % len(VOLUMES)]
        path = folder / f"answers-{i:03d}.json"
        path.write_text(dump_answers(Answers.model_validate(data)), encoding="utf-8")
        paths.append(path)
    return paths


def draft_batch(in_dir: Path, out_dir: Path, jobs: int) -> float:
    start = time.perf_counter()
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "dpakit",
            "draft-batch",
            str(in_dir),
            "--out",
            str(out_dir),
            "--jobs",
            str(jobs),
            "--start-date",
            "2027-01-01",
        ],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONHASHSEED": "0"},
    )
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"draft-batch --jobs {jobs} exited {proc.returncode}:\n{proc.stdout}\n{proc.stderr}")
    return elapsed


def check_all_ok(in_dir: Path, out_dir: Path) -> None:
    missing = [p.stem for p in in_dir.glob("*.json") if not (out_dir / p.stem / "dpa.docx").is_file()]
    if missing:
        raise RuntimeError(f"draft-batch produced no DPA for {len(missing)} files, e.g. {missing[:3]}")


def run(quick: bool = False) -> Figure:
    count = 40 if quick else 200
    repeat = 1 if quick else 3
    with tempfile.TemporaryDirectory() as tmp:
        in_dir = Path(tmp) / "answers"
        make_answers_files(in_dir, count)
        one, two = [], []
        for r in range(repeat):
            for jobs, times in ((1, one), (2, two)):
                out = Path(tmp) / f"out-{jobs}-{r}"
                times.append(draft_batch(in_dir, out, jobs))
                check_all_ok(in_dir, out)
    speedup = median(one) / median(two)
    return Figure(
        "batch",
        f"draft-batch over {count} answers files: speed-up of 2 workers over 1",
        speedup,
        "×",
        f"≥ {TARGET:g}×",
        speedup >= TARGET,
        f"median {median(one):.1f} s with 1 worker vs {median(two):.1f} s with 2, {repeat} run(s) each "
        f"({os.cpu_count()} CPUs)",
        {"jobs1_s": one, "jobs2_s": two},
    )


if __name__ == "__main__":
    figure = run(quick="--quick" in sys.argv)
    print(f"{figure.title}: {figure.measured_text()} (target {figure.target}) — {figure.detail}")
