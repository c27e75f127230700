"""Faults without a browser: damaged and read-only databases, bad imports, a killed writer, two writers.

- A database file that is damaged (garbage, a SQLite header over garbage, a truncated database) or
  read-only gives a clear message in the app — never a traceback — and its bytes are never changed.
- An answers file that is truncated, of the wrong version, oversized or not JSON changes nothing:
  the start page says why, offers no import, and every table of the database is as it was.
- A writer killed with SIGKILL in the middle of saving answers leaves a database that passes
  ``PRAGMA integrity_check`` and holds every answer whose save had returned.
- Two sessions (threads, or two AppTest "tabs") saving different answers of one assessment at once lose
  none of them; for the same field the last write wins.

The browser versions (SIGKILL of the server mid-walk, two real tabs) are in
``tests/e2e/test_faults_browser.py``.
"""

from __future__ import annotations

import gc
import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import IN_CI, REPO_ROOT, require_tool
from streamlit.testing.v1 import AppTest

from dpakit.answers_file import MAX_FILE_BYTES, dump_answers
from dpakit.errors import StoreError
from dpakit.examples import load_example
from dpakit.questionnaire import default_questionnaire
from dpakit.workspace.store import Store
from ui.widgets import widget_key

APP = str(REPO_ROOT / "app.py")
TIMEOUT = 30


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def tables(path: Path) -> dict[str, list[tuple]]:
    """Every row of every table, read through a read-only connection (nothing is written)."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        return {n: conn.execute(f"SELECT * FROM [{n}] ORDER BY rowid").fetchall() for n in names}  # noqa: S608
    finally:
        conn.close()


def run_app(page: str | None = None, assessment_id: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    if assessment_id:
        at.query_params["a"] = assessment_id
    at.run()
    if page:
        at.switch_page(page)
        at.run()
    return at


def error_texts(at: AppTest) -> list[str]:
    return [e.value for e in at.error]


def assert_no_traceback(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


@pytest.fixture
def db(isolated_db: Path) -> Store:
    return Store(isolated_db)


@pytest.fixture
def assessment(db: Store):
    org = db.create_organisation("Nordlicht Software GmbH")
    return db.create_assessment(org.id, load_example("nordlicht"))


# --- damaged database files ---------------------------------------------------------------------------


def _garbage(path: Path) -> None:
    path.write_bytes(os.urandom(8192))


def _header_over_garbage(path: Path) -> None:
    path.write_bytes(b"SQLite format 3\x00" + os.urandom(8192))


def _truncated_database(path: Path) -> None:
    store = Store(path)
    org = store.create_organisation("Truncated Ltd")
    store.create_assessment(org.id, load_example("fynbos"))
    del store  # and its connections: leaving WAL mode needs the file to itself
    gc.collect()
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("PRAGMA journal_mode=DELETE")
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])


DAMAGE = {
    "garbage": _garbage,
    "sqlite-header-over-garbage": _header_over_garbage,
    "truncated-database": _truncated_database,
}


@pytest.mark.parametrize("damage", DAMAGE)
def test_a_damaged_database_gives_a_clear_message_and_is_not_changed(isolated_db: Path, damage: str):
    DAMAGE[damage](isolated_db)
    before = sha256(isolated_db)

    with pytest.raises(StoreError, match="damaged or is not a dpakit database"):
        Store(isolated_db).organisations()

    at = run_app()
    assert_no_traceback(at)
    assert any("damaged or is not a dpakit database" in e for e in error_texts(at)), error_texts(at)
    at = run_app("views/section_security.py", "a_unknown")
    assert_no_traceback(at)
    assert any("damaged" in e for e in error_texts(at)), error_texts(at)
    assert sha256(isolated_db) == before, "the damaged database file was changed"


# --- a read-only database -----------------------------------------------------------------------------


@pytest.fixture
def read_only(isolated_db: Path) -> Iterator[callable]:
    """Make the database file read-only for this test: ``chattr +i`` as root (root ignores modes), else
    ``chmod 444``. Undone afterwards so the temporary folder can be removed."""
    made: list[Path] = []

    def make(path: Path) -> None:
        if os.geteuid() == 0:
            subprocess.run([require_tool("chattr"), "+i", str(path)], check=True)
        else:
            path.chmod(0o444)
        made.append(path)
        try:
            with path.open("ab"):
                pass
        except OSError:
            return
        message = f"could not make {path} read-only on this file system"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)

    yield make
    for path in made:
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", str(path)], check=False)
        path.chmod(0o644)


def test_a_read_only_database_can_be_read_and_refuses_writes_with_a_clear_message(
    db: Store, assessment, isolated_db: Path, read_only
):
    read_only(isolated_db)
    before = sha256(isolated_db)
    key = widget_key(assessment.id, "security.sso")
    old = assessment.answers.security.sso
    new = "no" if old == "yes" else "yes"

    at = run_app("views/section_security.py", assessment.id)
    assert_no_traceback(at)
    assert at.title[0].value == default_questionnaire().section("security").title
    assert any("read-only" in e for e in error_texts(at)), "the page should say nothing can be saved"
    at.radio(key=key).set_value(new).run()
    assert_no_traceback(at)
    assert any("read-only" in e for e in error_texts(at)), error_texts(at)
    assert at.radio(key=key).value == new  # what the user chose stays on screen, with the message

    at = run_app()
    at.button(key="load-example").click().run()
    assert_no_traceback(at)
    assert any("read-only" in e for e in error_texts(at)), error_texts(at)

    assert Store(isolated_db).assessment(assessment.id).answers.security.sso == old
    assert sha256(isolated_db) == before, "the read-only database file was changed"


# --- imports that must change nothing -----------------------------------------------------------------


def _valid_file() -> bytes:
    return dump_answers(load_example("fynbos")).encode()


BAD_IMPORTS = {
    "truncated": (lambda: _valid_file()[: len(_valid_file()) // 2], "not valid JSON"),
    "wrong-version": (lambda: _valid_file().replace(b'"schema_version": 2', b'"schema_version": 7'), "newer dpakit"),
    "oversized": (lambda: b'{"schema_version": 2, "x": "' + b"a" * MAX_FILE_BYTES + b'"}', "at most"),
    "not-json": (lambda: os.urandom(4096), "not"),
    "invalid-value": (lambda: _valid_file().replace(b'"yes"', b'"perhaps"', 1), "invalid answers"),
}


@pytest.mark.parametrize("kind", BAD_IMPORTS)
def test_a_bad_import_changes_nothing(db: Store, assessment, isolated_db: Path, kind: str):
    data, message = BAD_IMPORTS[kind]
    before = tables(isolated_db)

    at = run_app(assessment_id=assessment.id)
    at.file_uploader(key="import-file").set_value(("answers.json", data(), "application/json")).run()
    assert_no_traceback(at)
    errors = error_texts(at)
    assert any(message in e for e in errors), errors
    keys = {getattr(b, "key", None) for b in at.button}
    assert not {"import-new", "import-replace"} & keys, "a bad file must not be offered for import"
    assert tables(isolated_db) == before


def test_a_good_import_is_offered_and_the_check_is_not_a_false_alarm(db: Store, assessment, isolated_db: Path):
    at = run_app(assessment_id=assessment.id)
    at.file_uploader(key="import-file").set_value(("fynbos.json", _valid_file(), "application/json")).run()
    assert_no_traceback(at)
    assert not at.error
    assert at.button(key="import-new")


# --- a writer killed in the middle of saving -----------------------------------------------------------

_WRITER = """
import sys
from dpakit.workspace.store import Store
store, ident = Store(sys.argv[1]), sys.argv[2]
for i in range(1, 100_000):
    store.set_answer(ident, "organisation.registration_number", f"REG-{i}")
    print(i, flush=True)
"""


def test_a_writer_killed_mid_save_leaves_a_sound_database_with_every_returned_save(
    db: Store, assessment, isolated_db: Path
):
    proc = subprocess.Popen(
        [sys.executable, "-c", _WRITER, str(isolated_db), assessment.id],
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    returned = 0
    deadline = time.monotonic() + 60
    while returned < 40 and time.monotonic() < deadline:  # let it get well into its loop
        line = proc.stdout.readline()
        if not line:
            break
        returned = int(line)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    assert returned >= 40, "the writer did not get going"

    with sqlite3.connect(isolated_db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    saved = Store(isolated_db).assessment(assessment.id).answers.organisation.registration_number
    number = int(saved.removeprefix("REG-"))
    assert number >= returned, f"save {returned} had returned but the database holds {saved}"
    events = [e for e in Store(isolated_db).events(assessment.id) if e.field == "organisation.registration_number"]
    assert events[-1].new_value == saved  # the log and the answers agree: both or neither were written


# --- two writers on one assessment ----------------------------------------------------------------------

FIELDS_A = [
    "security.sso",
    "security.backups",
    "security.access_reviews",
    "security.offboarding",
    "security.audit_logging",
    "security.restore_tested",
]
FIELDS_B = [
    "accountability.dpia_done",
    "accountability.vendor_reviews",
    "rights.requests_tracked",
    "rights.identity_checks",
    "rights.automated_deletion",
    "rights.suppression_list",
]


def test_two_threads_saving_different_answers_lose_none(db: Store, assessment):
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def save(fields: list[str], value: str) -> None:
        store = Store(db.path)  # as two server threads would: each operation its own connection
        barrier.wait()
        try:
            for _ in range(5):
                for field in fields:
                    store.set_answer(assessment.id, field, value)
                    store.set_answer(assessment.id, field, "not_sure")
                    store.set_answer(assessment.id, field, value)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [
        threading.Thread(target=save, args=(FIELDS_A, "yes")),
        threading.Thread(target=save, args=(FIELDS_B, "no")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    answers = db.assessment(assessment.id).answers
    assert {f: answers.get(f) for f in FIELDS_A} == dict.fromkeys(FIELDS_A, "yes")
    assert {f: answers.get(f) for f in FIELDS_B} == dict.fromkeys(FIELDS_B, "no")


def test_two_app_sessions_on_one_assessment_keep_each_others_answers(db: Store, assessment):
    """Two tabs: each has the page open (with the other's answers stale on screen) and answers a question."""
    tab1 = run_app("views/section_security.py", assessment.id)
    tab2 = run_app("views/section_security.py", assessment.id)
    for at in (tab1, tab2):
        assert_no_traceback(at)

    def choose(at: AppTest, field: str, value: str) -> None:
        at.radio(key=widget_key(assessment.id, field)).set_value(value).run()
        assert_no_traceback(at)

    # Nordlicht starts with sso "yes", backups "yes", access_reviews "not_sure".
    choose(tab1, "security.sso", "not_sure")
    choose(tab2, "security.backups", "no")  # tab2 still shows the old sso answer
    choose(tab1, "security.access_reviews", "yes")  # tab1 still shows the old backups answer
    choose(tab2, "security.sso", "no")  # the same field: the last write wins
    answers = db.assessment(assessment.id).answers.security
    assert (answers.sso, answers.backups, answers.access_reviews) == ("no", "no", "yes")
    untouched = load_example("nordlicht").security
    assert answers.mfa_enforced == untouched.mfa_enforced and answers.offboarding == untouched.offboarding


# --- the store's hot path stays lean (found while profiling the questionnaire benchmark) ----------------


def test_saving_an_answer_runs_a_handful_of_statements_and_keeps_the_wal(db: Store, assessment, isolated_db: Path):
    """Each save used to run 23 statements (sqlite-utils looked up the schema on every call) and, as the
    last connection closed, checkpoint and delete the WAL; both made every answer cost ~2.5 ms."""
    statements: list[str] = []
    connect = sqlite3.connect

    def traced(*args, **kwargs):
        conn = connect(*args, **kwargs)
        conn.set_trace_callback(statements.append)
        return conn

    sqlite3.connect = traced
    try:
        db.set_answer(assessment.id, "security.sso", "no" if assessment.answers.security.sso == "yes" else "yes")
    finally:
        sqlite3.connect = connect
    assert len(statements) <= 10, statements
    assert Path(f"{isolated_db}-wal").exists(), "the WAL was checkpointed away after one save"


# --- DPAKIT_DB pointing at the wrong thing ------------------------------------------------------------


def test_a_folder_as_database_gives_a_clear_message_on_every_page(tmp_path: Path, monkeypatch):
    folder = tmp_path / "data"
    folder.mkdir()
    monkeypatch.setenv("DPAKIT_DB", str(folder))

    with pytest.raises(StoreError, match="DPAKIT_DB names a folder") as caught:
        Store(folder)
    assert str(tmp_path) not in str(caught.value)
    for page in (None, "views/workspace.py", "views/section_security.py"):
        at = run_app(page)
        assert_no_traceback(at)
        assert any("names a folder" in e for e in error_texts(at)), (page, error_texts(at))
    assert list(folder.iterdir()) == []


def _foreign_database(path: Path) -> None:
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, customer TEXT, total REAL)")
        conn.executemany("INSERT INTO invoices (customer, total) VALUES (?, ?)", [("Acme", 12.5), ("Zeta", 99.0)])
    conn.close()


def test_another_programs_sqlite_file_is_refused_and_left_byte_identical(isolated_db: Path):
    _foreign_database(isolated_db)
    before = sha256(isolated_db)
    siblings = sorted(p.name for p in isolated_db.parent.iterdir())

    with pytest.raises(StoreError, match="belongs to another program"):
        Store(isolated_db)
    at = run_app()
    assert_no_traceback(at)
    assert any("belongs to another program" in e for e in error_texts(at)), error_texts(at)
    at = run_app("views/workspace.py")
    assert_no_traceback(at)

    assert sha256(isolated_db) == before, "another program's database was changed"
    assert sorted(p.name for p in isolated_db.parent.iterdir()) == siblings  # no -wal, -shm, -journal
    with sqlite3.connect(isolated_db) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)
        assert [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")] == ["invoices"]


# --- one assessment written by a newer dpakit -----------------------------------------------------------


def test_an_assessment_from_a_newer_dpakit_is_listed_as_unreadable_and_the_rest_works(
    db: Store, assessment, isolated_db: Path
):
    newer = db.create_assessment(assessment.organisation_id, title="Written elsewhere")
    with sqlite3.connect(isolated_db) as conn:
        conn.execute(
            "UPDATE assessments SET answers = ?, schema_version = 7 WHERE id = ?",
            ['{"schema_version": 7, "brand_new_section": {}}', newer.id],
        )
    listed = {a.id: a for a in db.assessments(assessment.organisation_id)}
    assert "newer dpakit" in listed[newer.id].unreadable
    assert listed[assessment.id].answers == assessment.answers
    with pytest.raises(StoreError, match="newer dpakit"):
        db.assessment(newer.id)

    at = run_app("views/workspace.py")
    assert_no_traceback(at)
    assert "cannot be read (written by a newer dpakit?)" in list(at.dataframe[0].value["Status"])
    assert at.button(key=f"workspace_delete_{assessment.organisation_id}")


# --- a full disk ------------------------------------------------------------------------------------------


def test_a_full_disk_is_a_clear_message_and_the_saved_answer_stays(
    db: Store, assessment, isolated_db: Path, monkeypatch
):
    db.set_answer(assessment.id, "organisation.registration_number", "REG-1")
    original = sqlite3.connect

    def full_disk(*args, **kwargs):  # the database may not grow by a single page: what a full disk does
        conn = original(*args, **kwargs)
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {pages}")
        return conn

    monkeypatch.setattr(sqlite3, "connect", full_disk)  # every connection the store opens from now on
    saved = "REG-1"
    with pytest.raises(StoreError) as caught:
        for i in range(200):  # long answers (and their log entries) soon need a page the file may not have
            value = f"REG-{i}-" + "x" * 9_000
            db.set_answer(assessment.id, "organisation.registration_number", value)
            saved = value  # acknowledged: must survive
    message = str(caught.value)
    assert "full" in message and "not saved" in message and "DPAKIT_DB" in message, message
    assert str(isolated_db.parent) not in message
    monkeypatch.undo()

    fresh = Store(isolated_db)
    assert fresh.assessment(assessment.id).answers.organisation.registration_number == saved
    events = [e for e in fresh.events(assessment.id) if e.field == "organisation.registration_number"]
    assert events[-1].new_value == saved  # the failed save left neither the answer nor its log entry
    with sqlite3.connect(isolated_db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
