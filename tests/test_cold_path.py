"""The command line starts like a script: importing dpakit and running the everyday commands never loads
pandas, numpy or pyarrow (sqlite-utils pulls them in; only the workspace store needs it). Not a timing:
which modules a fresh interpreter has loaded after each command."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("pandas", "numpy", "pyarrow", "sqlite_utils", "streamlit")
# Loaded only by the commands that need them: the process pool (draft-batch with --jobs > 1).
NOT_FOR_DRAFT = ("concurrent.futures.process", "multiprocessing")

_PROBE = """
import contextlib, io, json, sys
args, heavy = json.loads(sys.argv[1]), set(json.loads(sys.argv[2]))
if args:
    from dpakit.cli import main
    with contextlib.redirect_stdout(io.StringIO()):
        status = main(args)
else:
    import dpakit
    status = 0
print(json.dumps({"status": status, "loaded": sorted(
    m for m in sys.modules if m.split(".")[0] in heavy or m in heavy
)}))
"""


def loaded_after(args: list[str], heavy: tuple[str, ...] = HEAVY) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, json.dumps(args), json.dumps(heavy)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def answers_file(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("cold") / "fynbos.json"
    from dpakit.answers_file import dump_answers
    from dpakit.examples import load_example

    out.write_text(dump_answers(load_example("fynbos")), encoding="utf-8")
    return out


def test_importing_dpakit_loads_none_of_the_heavy_packages():
    assert loaded_after([]) == {"status": 0, "loaded": []}


@pytest.mark.parametrize("command", ["score", "validate", "plan", "draft"])
def test_the_everyday_commands_never_import_pandas_numpy_or_the_store(command, answers_file, tmp_path):
    args = [command, str(answers_file)] + (["--out", str(tmp_path / command)] if command in ("plan", "draft") else [])
    outcome = loaded_after(args)
    assert outcome["status"] == 0
    assert outcome["loaded"] == [], f"dpakit {command} imported {outcome['loaded']}"
    if command == "draft":
        assert any(p.suffix == ".docx" for p in (tmp_path / command).iterdir())


def test_the_probe_would_see_a_heavy_import():
    # The check must be able to fail: the workspace store does load sqlite-utils (and with it numpy).
    done = subprocess.run(
        [sys.executable, "-c", "import sys, dpakit.workspace.store; print('sqlite_utils' in sys.modules)"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.stdout.strip() == "True"


def test_draft_does_not_load_the_process_pool(answers_file, tmp_path):
    outcome = loaded_after(["draft", str(answers_file), "--out", str(tmp_path / "draft")], NOT_FOR_DRAFT)
    assert outcome == {"status": 0, "loaded": []}


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="draft-batch uses one process on one CPU")
def test_the_probe_would_see_the_process_pool(answers_file, tmp_path):
    # Can fail: draft-batch with two jobs does use the pool.
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("a", "b"):
        (folder / f"{name}.json").write_bytes(answers_file.read_bytes())
    outcome = loaded_after(["draft-batch", str(folder), "--out", str(tmp_path / "out"), "--jobs", "2"], NOT_FOR_DRAFT)
    assert "concurrent.futures.process" in outcome["loaded"]
