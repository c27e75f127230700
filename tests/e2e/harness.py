"""Drive a real Streamlit server in a real browser (Debian's Chromium through Playwright).

Plain functions and one class, used by the fixtures in ``tests/e2e/conftest.py`` and importable
by tests (``from e2e.harness import wait_for_app, screenshot``):

- ``AppServer(script, db_path, ...)``: ``python -m streamlit run <script>`` on a free localhost port,
  with ``DPAKIT_DB`` pointing at ``db_path``; ``.start()``, ``.stop()``, ``.restart()`` (same port
  and database), ``.kill()`` (SIGKILL, to test crash safety), ``.url``, ``.log_tail()``.
- ``launch_browser(playwright)``: Chromium with the flags that work headless as root.
- ``wait_for_app(page)``: block until the script run triggered by the last action has finished.
- ``screenshot(page, name)``: save ``tests/e2e/artifacts/<name>.png`` (git-ignored) and return it.

The ``browser`` and ``page`` fixtures live in ``tests/conftest.py`` (one Playwright per process:
the sync API cannot be started twice in one thread); ``app_server`` in ``tests/e2e/conftest.py``.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from playwright.sync_api import Browser, Page, Playwright

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
START_TIMEOUT_S = 60
RUN_TIMEOUT_MS = 30_000


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class AppServerError(RuntimeError):
    """The Streamlit server did not start (the message carries the end of its log)."""


class AppServer:
    """One ``streamlit run`` process; restartable on the same port and database."""

    def __init__(
        self,
        script: Path | str,
        db_path: Path | str,
        *,
        cwd: Path | str | None = None,
        port: int | None = None,
        log_path: Path | str | None = None,
        env: dict[str, str] | None = None,
    ) -> None:
        self.script = Path(script).resolve()
        self.db_path = Path(db_path)
        self.cwd = Path(cwd) if cwd is not None else self.script.parent
        self.port = port or free_port()
        self.log_path = Path(log_path) if log_path is not None else self.db_path.with_suffix(".server.log")
        self.extra_env = dict(env or {})
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def command(self) -> list[str]:
        return [
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
        ]

    def is_running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def healthy(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as response:
                return response.status == 200 and response.read().strip() == b"ok"
        except (urllib.error.URLError, OSError):
            return False

    def start(self, timeout: float = START_TIMEOUT_S) -> AppServer:
        if self.is_running():
            raise AppServerError(f"server already running on {self.url}")
        env = {**os.environ, "DPAKIT_DB": str(self.db_path), "PYTHONUNBUFFERED": "1", **self.extra_env}
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.log_path, "ab") as log:
            log.write(f"\n=== {time.strftime('%H:%M:%S')} start: {' '.join(self.command())}\n".encode())
            log.flush()
            self.process = subprocess.Popen(
                self.command(),
                cwd=self.cwd,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AppServerError(
                    f"streamlit exited with {self.process.returncode} while starting "
                    f"{self.script}\n--- server log ---\n{self.log_tail()}"
                )
            if self.healthy():
                return self
            time.sleep(0.25)
        self.kill()
        raise AppServerError(
            f"{self.url}/_stcore/health did not answer 'ok' within {timeout}s\n--- server log ---\n{self.log_tail()}"
        )

    def stop(self, grace: float = 10) -> None:
        """SIGTERM the server's process group; SIGKILL it if it has not exited after ``grace`` s."""
        if not self.is_running():
            return
        self._signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            self.kill()

    def kill(self) -> None:
        """SIGKILL, no shutdown handlers: what a crash or power cut does to the server."""
        if self.process is None:
            return
        self._signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def restart(self, timeout: float = START_TIMEOUT_S) -> AppServer:
        """Stop (if running) and start again on the same port with the same database."""
        self.stop()
        return self.start(timeout)

    def ensure_running(self) -> AppServer:
        if self.is_running() and self.healthy():
            return self
        self.stop()
        return self.start()

    def log_tail(self, lines: int = 60) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except FileNotFoundError:
            return "(no log)"

    def _signal(self, sig: int) -> None:
        try:
            os.killpg(self.process.pid, sig)
        except ProcessLookupError:
            pass

    def __enter__(self) -> AppServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def launch_browser(playwright: Playwright) -> Browser:
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)


def wait_for_app(page: Page, *, timeout: float = RUN_TIMEOUT_MS, settle_ms: int = 100) -> None:
    """Wait until the app is connected and its script run (started by the last action) is over.

    The race: right after a click the script may not have started yet, so ``notRunning`` is still
    showing from the previous run. Streamlit's own e2e suite waits a little first (widgets debounce
    for up to ~200 ms), then waits for the connection and for ``notRunning``, then lets the
    frontend finish rendering (no skeletons left).
    """
    page.wait_for_timeout(250)
    page.locator("[data-testid='stApp'][data-test-connection-state='CONNECTED']").wait_for(
        state="attached", timeout=timeout
    )
    page.locator("[data-testid='stApp'][data-test-script-state='notRunning']").wait_for(
        state="attached", timeout=timeout
    )
    deadline = time.monotonic() + timeout / 1000
    while page.get_by_test_id("stSkeleton").count() and time.monotonic() < deadline:
        page.wait_for_timeout(50)
    if settle_ms:
        page.wait_for_timeout(settle_ms)


def screenshot(page: Page, name: str, *, full_page: bool = True) -> Path:
    """Save a PNG of the page under ``tests/e2e/artifacts/`` (look at it with the file viewer)."""
    ARTIFACTS.mkdir(exist_ok=True)
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in name)
    path = ARTIFACTS / f"{safe}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


# --- driving dpakit's pages ------------------------------------------------------------------------


def question(page: Page, field: str):
    """The bordered container of one question (keyed ``question-<section>__<field>``)."""
    return page.locator(f".st-key-question-{field.replace('.', '__')}")


def answer_text(page: Page, field: str, text: str) -> None:
    """Type an answer and leave the box (the widget also commits on a typing pause)."""
    box = question(page, field).locator("input, textarea").first
    box.fill(text)
    box.press("Tab")
    wait_for_app(page)


def answer_choice(page: Page, field: str, label: str) -> None:
    question(page, field).get_by_text(label, exact=True).click()
    wait_for_app(page)


def go_to(page: Page, title: str) -> None:
    """Open a page from the sidebar navigation by its title."""
    page.get_by_test_id("stSidebarNavLink").filter(has_text=title).first.click()
    wait_for_app(page)


def assessment_id(page: Page) -> str:
    """The opaque assessment id the URL carries (``?a=…``)."""
    match = re.search(r"[?&]a=([\w-]+)", page.url)
    assert match, f"no assessment id in {page.url}"
    return match.group(1)


def workshop_jump(page: Page, number: int, label: str) -> None:
    """On the workshop page, jump to question ``number`` (1-based) with the "Jump to a question" box."""
    page.locator(".st-key-workshop_jump input").first.click()
    page.keyboard.type(f"{number}. {label}")
    page.keyboard.press("Enter")
    wait_for_app(page)


TABLE_ROW_PX = 35  # st.data_editor's default row height (the header row is as high)


def table_cell_click(page: Page, editor, row: int, x_offset: int = 100) -> None:
    """Click a cell of a ``st.data_editor`` (``editor`` is its ``stDataFrame`` locator): row ``row``
    (0-based, below the header), ``x_offset`` px from the editor's left edge (100 is the first column)."""
    box = editor.bounding_box()
    page.mouse.click(box["x"] + x_offset, box["y"] + TABLE_ROW_PX * (row + 1) + TABLE_ROW_PX // 2)
    wait_for_app(page)


def type_table_row(page: Page, editor, row: int, values: list[str]) -> None:
    """Type one row into a data editor cell by cell, as a person does with the keyboard: select the
    row's first cell, move right with the arrow keys, type each value and press Enter after each."""
    for column, value in enumerate(values):
        table_cell_click(page, editor, row)
        for _ in range(column):
            page.keyboard.press("ArrowRight")
        page.keyboard.type(value, delay=60)  # the cell editor opens on the first key; do not outrun it
        page.keyboard.press("Enter")
        wait_for_app(page)
