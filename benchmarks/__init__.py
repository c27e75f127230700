"""dpakit's benchmarks: speed and memory as ratios against a bare baseline measured in the same run.

    make bench                       # python -m benchmarks: every figure, README table rewritten
    python -m benchmarks --quick     # fewer repetitions and files: a smoke run (a minute or two)
    python -m benchmarks --only batch cold_start

Each ``bench_*.py`` module has ``run(quick) -> Figure`` and can be run on its own
(``python -m benchmarks.bench_wizard``); ``bench_drafting.py`` is the drafting engineer's script, wrapped
by ``__main__``. Absolute times depend on the machine; the ratios are what the targets of issue 7 are
about, so ours and the baseline are always timed alternately in one process and the median is reported.
Speed is never asserted in the test suite.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
BASELINES = Path(__file__).resolve().parent / "baselines"
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))


@dataclass
class Figure:
    """One row of the figures table."""

    key: str
    title: str
    measured: float
    unit: str  # "x" for a ratio, "x speed-up"
    target: str  # e.g. "<= 1.5x"; "" when the issue sets none
    met: bool | None
    detail: str = ""
    samples: dict[str, list[float]] = field(default_factory=dict)

    def measured_text(self) -> str:
        return f"{self.measured:.2f}{self.unit}"

    def met_text(self) -> str:
        return "—" if self.met is None else ("yes" if self.met else "**no**")


def median(values: list[float]) -> float:
    return statistics.median(values)


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def alternate(ours: Callable[[], object], bare: Callable[[], object], repeat: int) -> tuple[list[float], list[float]]:
    """Time ``ours`` and ``bare`` alternately ``repeat`` times each (after one warm-up of each)."""
    ours()
    bare()
    a, b = [], []
    for _ in range(repeat):
        a.append(timed(ours))
        b.append(timed(bare))
    return a, b


# --- servers --------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """``python -m streamlit run <script>`` on a free localhost port, in its own process group."""

    def __init__(
        self, script: Path, *, env: dict[str, str] | None = None, cwd: Path | None = None, log: Path | None = None
    ) -> None:
        self.script = Path(script)
        self.port = free_port()
        self.env = {**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})}
        self.cwd = cwd or self.script.parent
        self.log = log
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> Server:
        out = open(self.log, "ab") if self.log else subprocess.DEVNULL  # noqa: SIM115
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                str(self.script),
                f"--server.port={self.port}",
                "--server.address=127.0.0.1",
                "--server.headless=true",
                "--browser.gatherUsageStats=false",
                "--server.fileWatcherType=none",
                "--server.runOnSave=false",
            ],
            cwd=self.cwd,
            env=self.env,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        return self

    def wait_healthy(self, timeout: float = 60, interval: float = 0.05) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.script.name}: streamlit exited with {self.process.returncode}")
            with contextlib.suppress(urllib.error.URLError, OSError):
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as response:
                    if response.read().strip() == b"ok":
                        return
            time.sleep(interval)
        raise RuntimeError(f"{self.script.name}: no health answer within {timeout} s")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


@contextlib.contextmanager
def chromium() -> Iterator[object]:
    """Debian's Chromium through Playwright, headless (the flags the e2e tests use)."""
    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(REPO_ROOT / "tests"))
    from e2e.harness import launch_browser

    with sync_playwright() as playwright:
        browser = launch_browser(playwright)
        try:
            yield browser
        finally:
            browser.close()


RENDERED = "[data-testid='stApp'][data-test-script-state='notRunning'] [data-testid='stMain'] h1"
"""A page has rendered: its script run is over and the main area shows its title."""


def rss_kib(pid: int) -> int:
    """Resident memory of ``pid`` and all its descendants, from /proc (KiB)."""
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
        except FileNotFoundError:
            continue
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
        for task in Path(f"/proc/{current}/task").glob("*"):
            with contextlib.suppress(FileNotFoundError):
                stack.extend(int(c) for c in (task / "children").read_text().split())
    return total
