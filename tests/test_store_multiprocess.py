"""Two ``Store`` objects in one process next to a writer in another process lose no acknowledged write.

POSIX advisory locks belong to the process and the file: closing *any* descriptor of the database file
drops every lock the process holds on it. ``Store.__init__`` once read the file header with ``open()``;
the second ``Store`` in a process so dropped the first one's shared lock, another process closing its
last connection then believed it was the only user, checkpointed and deleted the live WAL, and this
process's later commits went to the deleted file (half of the acknowledged saves were lost, some saves
failed with "disk I/O error"). SQLite itself keeps descriptors open while a lock is held, so the store
only ever looks at the file through SQLite.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from conftest import REPO_ROOT

from dpakit.errors import StoreError
from dpakit.workspace.store import Store

WRITES = 150

# Each write opens and closes its own connection (as every Store operation does): every close is a
# chance for this process to be "the last connection" and remove the WAL.
_WRITER = """
import sys, time
from dpakit.workspace.store import Store
store = Store(sys.argv[1])
store.close()  # no idle connection: every operation's close may be the last one
ok = 0
for i in range(int(sys.argv[2])):
    try:
        store.create_organisation(f"Child {i}")
        ok += 1
    except Exception as exc:
        print("ERROR", exc, flush=True)
    time.sleep(0.002)
print("OK", ok, flush=True)
"""


def _names(path: Path) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        return {r[0] for r in conn.execute("SELECT name FROM organisations")}
    except sqlite3.DatabaseError as exc:  # what the lost WAL did before the fix: a damaged file
        raise AssertionError(f"the database was damaged: {exc}") from None
    finally:
        conn.close()


def test_two_stores_in_one_process_and_a_writer_in_another_lose_no_acknowledged_write(tmp_path: Path):
    path = tmp_path / "shared.db"
    first = Store(path)
    first.create_organisation("Before")
    second = Store(path)  # a second Store in the same process (e.g. another code path, a batch job)
    proc = subprocess.Popen(
        [sys.executable, "-c", _WRITER, str(path), str(WRITES)],
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    acknowledged: list[str] = []
    errors: list[str] = []
    deadline = time.monotonic() + 15
    i = 0
    while (proc.poll() is None or i < WRITES) and time.monotonic() < deadline:
        store = first if i % 2 else second
        name = f"Parent {i}"
        try:
            store.create_organisation(name)
        except StoreError as exc:
            errors.append(str(exc))
        else:
            acknowledged.append(name)
        i += 1
        time.sleep(0.002)
    out, err = proc.communicate(timeout=30)
    first.close()
    second.close()

    child_errors = [line for line in out.splitlines() if line.startswith("ERROR")]
    assert proc.returncode == 0, err
    child_ok = int(out.split("OK")[-1])
    present = _names(path)
    lost = [n for n in acknowledged if n not in present]
    assert not lost, (
        f"{len(lost)} of {len(acknowledged)} acknowledged saves of this process are missing "
        f"({len(errors)} failed: {errors[:1]})"
    )
    assert not errors and not child_errors, (errors[:3], child_errors[:3])
    children = {n for n in present if n.startswith("Child ")}
    assert len(children) == child_ok == WRITES
    assert "Before" in present
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        conn.close()
