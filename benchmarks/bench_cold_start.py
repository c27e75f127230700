"""Benchmark: app cold start to the first rendered page, vs Streamlit's own hello app.

Each run starts ``python -m streamlit run <app>`` (same flags for both, headless, file watcher off) and
times from the process start until the first page has rendered in headless Chromium: the script run is
over (``data-test-script-state='notRunning'``) and the main area shows the page's title (an ``h1``). The
browser is started once beforehand and not timed; a page is opened as soon as the port answers. Ours
gets a fresh, empty database each time (``DPAKIT_DB`` in a temporary folder), so the first run's
migrations are included. The hello app is the one Streamlit 1.67 ships
(``streamlit/hello/streamlit_app.py``, what ``streamlit hello`` runs). Runs alternate; median of each.
Target: ≤ 2×.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from benchmarks import RENDERED, REPO_ROOT, Figure, Server, chromium, median

TARGET = 2.0


def hello_app() -> Path:
    import streamlit

    path = Path(streamlit.__file__).parent / "hello" / "streamlit_app.py"
    if not path.is_file():
        raise FileNotFoundError(f"Streamlit's hello app is not at {path}")
    return path


def cold_start(browser, script: Path, env: dict[str, str] | None = None) -> float:
    """Seconds from starting the server to the first rendered page."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    server = Server(script, env=env, cwd=script.parent)
    start = time.perf_counter()
    server.start()
    try:
        server.wait_healthy(interval=0.02)
        page.goto(server.url, wait_until="commit")
        page.locator(RENDERED).first.wait_for(state="visible", timeout=60_000)
        return time.perf_counter() - start
    finally:
        server.stop()
        context.close()


def run(quick: bool = False) -> Figure:
    repeat = 2 if quick else 7
    ours, hello = [], []
    with chromium() as browser, tempfile.TemporaryDirectory() as tmp:

        def ours_run(i: int) -> float:
            return cold_start(browser, REPO_ROOT / "app.py", {"DPAKIT_DB": str(Path(tmp) / f"cold-{i}.db")})

        ours_run(-1)  # warm the OS file cache for both before timing
        cold_start(browser, hello_app())
        for i in range(repeat):
            ours.append(ours_run(i))
            hello.append(cold_start(browser, hello_app()))
    ratio = median(ours) / median(hello)
    return Figure(
        "cold_start",
        "App cold start to first rendered page (headless Chromium) vs `streamlit hello`",
        ratio,
        "×",
        f"≤ {TARGET:g}×",
        ratio <= TARGET,
        f"median {median(ours):.2f} s vs {median(hello):.2f} s, {repeat} starts each",
        {"ours_s": ours, "hello_s": hello},
    )


if __name__ == "__main__":
    figure = run(quick="--quick" in sys.argv)
    print(f"{figure.title}: {figure.measured_text()} (target {figure.target}) — {figure.detail}")
