"""Benchmark: first paint of the start page with 10, 1,000 and 10,000 organisations (issue 18).

Three databases are built beforehand in a temporary folder (the schema by ``Store``, then the rows in bulk
SQL): every organisation has one assessment holding the Fynbos example's answers, with its progress stored
as the store stores it. One server per database runs at once (``DPAKIT_DB``); each sample opens a new
browser context (a new session) on the app's start page and times from the navigation until the script run
is over and the list shows its first organisation (an expander). Servers and browser start beforehand and
are not timed; every server is warmed once; samples alternate between the three. The figure is the
median with 10,000 organisations over the median with 10. Target: ≤ 1.3×.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from benchmarks import REPO_ROOT, Figure, Server, chromium, median

TARGET = 1.3
SIZES = (10, 1_000, 10_000)
LISTED = "[data-testid='stApp'][data-test-script-state='notRunning'] [data-testid='stMain'] [data-testid='stExpander']"
"""The start page has painted its list: the script run is over and the first organisation is shown."""


def build_database(path: Path, organisations: int) -> None:
    """A dpakit database with ``organisations`` organisations of one assessment each (bulk SQL, seconds)."""
    import sqlite3

    from dpakit.examples import load_example
    from dpakit.workspace.store import Store, _counted_answers, new_id, now

    Store(path).close()  # the schema, by the migrations
    answers = load_example("fynbos")
    text = answers.model_dump_json()
    answered, visible, stamp = _counted_answers(answers)
    orgs, items = [], []
    for n in range(organisations):
        org_id, stamp_at = new_id("o"), now()
        orgs.append((org_id, f"Client {n:05} Ltd", stamp_at, stamp_at))
        items.append(
            (new_id("a"), org_id, "First assessment", "in_progress", answers.schema_version, text, None, None)
            + (stamp_at, stamp_at, answered, visible, stamp)
        )
    with sqlite3.connect(path) as conn:
        conn.executemany("INSERT INTO organisations (id, name, created_at, updated_at) VALUES (?, ?, ?, ?)", orgs)
        conn.executemany(
            "INSERT INTO assessments (id, organisation_id, title, status, schema_version, answers, section, "
            "copied_from, created_at, updated_at, answered, visible, progress_stamp) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            items,
        )
    conn.close()


def first_paint(browser, server: Server) -> float:
    """Seconds from opening the start page in a new session until its list has painted."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    try:
        start = time.perf_counter()
        page.goto(server.url, wait_until="commit")
        page.locator(LISTED).first.wait_for(state="visible", timeout=120_000)
        return time.perf_counter() - start
    finally:
        context.close()


def run(quick: bool = False) -> Figure:
    repeat = 3 if quick else 9
    samples: dict[int, list[float]] = {size: [] for size in SIZES}
    with tempfile.TemporaryDirectory() as tmp:
        servers = {}
        for size in SIZES:
            path = Path(tmp) / f"start-{size}.db"
            build_database(path, size)
            servers[size] = Server(REPO_ROOT / "app.py", env={"DPAKIT_DB": str(path)}, cwd=REPO_ROOT)
        try:
            for server in servers.values():
                server.start()
            for server in servers.values():
                server.wait_healthy()
            with chromium() as browser:
                for server in servers.values():
                    first_paint(browser, server)  # warm: imports, content, OS file cache
                for _ in range(repeat):
                    for size, server in servers.items():
                        samples[size].append(first_paint(browser, server))
        finally:
            for server in servers.values():
                server.stop()
    medians = {size: median(values) for size, values in samples.items()}
    ratio = medians[SIZES[-1]] / medians[SIZES[0]]
    return Figure(
        "start_page",
        "Start page first paint with 10,000 organisations vs 10 (headless Chromium)",
        ratio,
        "×",
        f"≤ {TARGET:g}×",
        ratio <= TARGET,
        ", ".join(f"{size:,} orgs {medians[size]:.2f} s" for size in SIZES) + f"; median of {repeat} new sessions",
        {f"orgs_{size}_s": values for size, values in samples.items()},
    )


if __name__ == "__main__":
    figure = run(quick="--quick" in sys.argv)
    print(f"{figure.title}: {figure.measured_text()} (target {figure.target}) — {figure.detail}")
