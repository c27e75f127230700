"""Browser tests against the real app: one Streamlit server and one Chromium per test session.

Fixtures:
- ``app_server``: the real ``app.py`` served on a free localhost port with its own database
  (``DPAKIT_DB=<tmp>/e2e.db``), shared by all browser tests; ``.url``, ``.db_path``, ``.restart()``
  (same port and database), ``.kill()`` (SIGKILL). A test that kills the server need not restart
  it: the next test gets a running one again.
- ``browser``, ``page``: from ``tests/conftest.py``. Helpers: ``from e2e.harness import wait_for_app,
  screenshot``.

Mark browser tests ``pytest.mark.browser`` and ``pytest.mark.xdist_group("browser")`` (``pytestmark``
at module level) so that every one of them runs in the same xdist worker and shares the server.
"""

from collections.abc import Iterator

import pytest
from conftest import REPO_ROOT

from e2e.harness import ARTIFACTS, AppServer


@pytest.fixture(scope="session")
def _app_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    app = REPO_ROOT / "app.py"
    if not app.is_file():
        pytest.fail(f"{app} does not exist", pytrace=False)
    workdir = tmp_path_factory.mktemp("e2e")
    log = ARTIFACTS / "app-server.log"  # kept after the run for a person to read
    log.unlink(missing_ok=True)
    server = AppServer(app, workdir / "e2e.db", cwd=REPO_ROOT, log_path=log)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def app_server(_app_server: AppServer) -> AppServer:
    return _app_server.ensure_running()
