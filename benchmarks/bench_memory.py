"""Benchmark: server memory with 20 open sessions, vs a bare Streamlit app with 20 sessions.

Ours: ``app.py`` with a database holding 20 assessments (five copies of each example organisation);
each of 20 browser pages opens a different assessment on the security section, the page the
questionnaire benchmark uses. Bare: ``baselines/bare_wizard.py`` (the same widgets, no database), 20
pages. Memory is the resident set size (VmRSS from /proc) of the server process and all its children,
read after every page has rendered and one second has passed. It is also read idle (server started, no
session) and after the first session (which imports the app's modules once), so the table can say what
each further session costs. Issue 7 sets no target for this figure.

With and without the optional imports (issue 18): the same bare page is also served by
``baselines/bare_wizard_optional.py``, which first imports sqlite-utils, pandas, numpy and pyarrow; its RSS
after the first session, against ``bare_wizard.py``'s, is what those imports cost a server.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from benchmarks import BASELINES, RENDERED, REPO_ROOT, Figure, Server, chromium, rss_kib

SESSIONS = 20


def _sessions_rss(browser, server: Server, urls: list[str]) -> tuple[int, int, int]:
    """RSS in KiB: idle, with the first session rendered, with one rendered session per URL."""
    server.wait_healthy()
    time.sleep(1)
    idle = rss_kib(server.process.pid)
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        pages = []
        for n, url in enumerate(urls):
            page = context.new_page()
            page.goto(url, wait_until="commit")
            pages.append(page)
            if n == 0:
                page.locator(RENDERED).first.wait_for(state="visible", timeout=60_000)
                time.sleep(1)
                first = rss_kib(server.process.pid)
        for page in pages:
            page.locator(RENDERED).first.wait_for(state="visible", timeout=60_000)
        time.sleep(1)
        return idle, first, rss_kib(server.process.pid)
    finally:
        context.close()


def run(quick: bool = False) -> Figure:
    from dpakit.examples import EXAMPLES, load_example
    from dpakit.workspace.store import Store

    sessions = 5 if quick else SESSIONS
    with chromium() as browser, tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "memory.db"
        store = Store(db)
        ids = []
        for i in range(sessions):
            name = list(EXAMPLES)[i % len(EXAMPLES)]
            org = store.create_organisation(f"{EXAMPLES[name][0]} {i}")
            ids.append(store.create_assessment(org.id, load_example(name)).id)
        with Server(REPO_ROOT / "app.py", env={"DPAKIT_DB": str(db)}, cwd=REPO_ROOT) as ours:
            ours_idle, ours_first, ours_rss = _sessions_rss(browser, ours, [f"{ours.url}/security?a={i}" for i in ids])
        with Server(BASELINES / "bare_wizard.py") as bare:
            bare_idle, bare_first, bare_rss = _sessions_rss(browser, bare, [bare.url] * sessions)
        with Server(BASELINES / "bare_wizard_optional.py") as optional:
            _, optional_first, _ = _sessions_rss(browser, optional, [optional.url])
    ratio = ours_rss / bare_rss
    per_ours = (ours_rss - ours_first) / (sessions - 1) / 1024
    per_bare = (bare_rss - bare_first) / (sessions - 1) / 1024
    return Figure(
        "memory",
        f"Server memory (RSS incl. children) with {sessions} open sessions vs bare app",
        ratio,
        "×",
        "",
        None,
        f"{ours_rss / 1024:.0f} MiB vs {bare_rss / 1024:.0f} MiB; idle {ours_idle / 1024:.0f} vs "
        f"{bare_idle / 1024:.0f} MiB, after the first session {ours_first / 1024:.0f} vs {bare_first / 1024:.0f} "
        f"MiB (imports); each further session {per_ours:.1f} vs {per_bare:.1f} MiB; the bare page with the "
        f"optional imports (sqlite-utils, pandas, numpy, pyarrow) {optional_first / 1024:.0f} MiB after its "
        f"first session, {(optional_first - bare_first) / 1024:+.0f} MiB",
        {
            "ours_kib": [ours_idle, ours_first, ours_rss],
            "bare_kib": [bare_idle, bare_first, bare_rss],
            "bare_optional_kib": [optional_first],
        },
    )


if __name__ == "__main__":
    figure = run(quick="--quick" in sys.argv)
    print(f"{figure.title}: {figure.measured_text()} — {figure.detail}")
