""".ci/run fails when the tests fail, when no test ran, or when lint fails, and passes only when both pass.

The script is run from a copy of the repository's ``.ci`` folder in a temporary directory, with stand-ins
for ``make``, ``apt-get`` and the system tools on ``PATH``, so it never touches this tree's ``.venv``.
"""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PASSED = "============ 12 passed in 3.21s ============"
FAILED = "============ 11 passed, 1 failed in 3.21s ============"
NOTHING = "============ no tests ran in 0.50s ============"


def _fake(path: Path, body: str) -> None:
    path.write_text("#!/usr/bin/env bash\n" + body)
    path.chmod(0o755)


def _ci(
    tmp_path: Path, *, test_line: str, test_rc: int, lint_rc: int
) -> tuple[subprocess.CompletedProcess[str], list[str]]:
    repo, bin_dir = tmp_path / "repo", tmp_path / "bin"
    (repo / ".ci").mkdir(parents=True)
    shutil.copy(ROOT / ".ci" / "run", repo / ".ci" / "run")
    bin_dir.mkdir()
    calls = tmp_path / "calls"
    _fake(
        bin_dir / "make",
        f'target="${{@: -1}}"; echo "$target" >> {calls}\n'
        f'if [ "$target" = test ]; then echo "{test_line}"; exit {test_rc}; fi\n'
        f'if [ "$target" = lint ]; then echo "lint ran"; exit {lint_rc}; fi\n'
        "exit 99\n",
    )
    for tool in ("apt-get", "chromium", "soffice", "pdftoppm", "pdftotext"):
        _fake(bin_dir / tool, "exit 0\n")
    env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}"}
    result = subprocess.run(
        ["bash", str(repo / ".ci" / "run")], capture_output=True, text=True, env=env, timeout=60, check=False
    )
    return result, (calls.read_text().split() if calls.exists() else [])


@pytest.mark.parametrize(
    ("test_line", "test_rc", "lint_rc", "expected_rc", "message"),
    [
        (PASSED, 0, 0, 0, "ci: OK: make lint passed"),
        (PASSED, 0, 1, 1, "ci: FAILED: make lint exited 1"),
        (FAILED, 2, 0, 2, "ci: FAILED: make test exited 2"),
        (FAILED, 2, 1, 2, "ci: FAILED: make lint exited 1"),
        (NOTHING, 2, 0, 5, "ci: FAILED: pytest ran no tests"),
    ],
)
def test_ci_fails_when_the_tests_or_lint_fail_and_runs_both(
    tmp_path, test_line, test_rc, lint_rc, expected_rc, message
):
    result, targets = _ci(tmp_path, test_line=test_line, test_rc=test_rc, lint_rc=lint_rc)
    assert result.returncode == expected_rc, result.stdout + result.stderr
    assert message in result.stdout
    assert targets == ["test", "lint"]
