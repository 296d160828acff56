"""A load killed at any moment leaves the database whole: SIGKILL during `python -m loaders` (20 times, at random
moments of a 100,000-row load) and during a load the dashboard runs for the command line (its socket), then:

- the database opens (DuckDB replays its write-ahead log);
- every batch holds all of its rows or the batch is not there (one transaction per file), with its audit entry;
- every batch's kept original exists and has the batch's bytes (the original is renamed into place inside the
  transaction, before COMMIT);
- what a kill may leave in data/uploads/ is only of two harmless kinds, documented in the README: a temporary
  `<sha256>.xlsx.<id>.part` (killed before the rename; the next load of those bytes removes it once it is an hour
  old) or `<sha256>.xlsx` without a batch (killed between the rename and the COMMIT; the next load of those bytes
  writes it again); nothing reads them;
- the same file then loads cleanly.

The kill takes the command line's whole process group (its reading worker and the worker's forked child too):
what a crash of the machine's process would leave, without stray parsers eating the test machine's two cores."""
from __future__ import annotations

import contextlib
import hashlib
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from prevention.storage import db, originals
from prevention.usecases.batches import delete_batch
from prevention.usecases.rights import cli_actor
from tests.dashboard_process import open_dashboard
from tests.workbooks import large_event_log

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parent.parent
ROWS = 100_000
KILLS = 20
SERVER_KILLS = 3


@pytest.fixture(scope="module")
def workbook(tmp_path_factory) -> Path:
    return large_event_log(tmp_path_factory.mktemp("crash") / "журнал_100000.xlsx", ROWS)


def start_load(db_path: Path, workbook: Path, env: dict | None = None) -> subprocess.Popen:
    environment = {k: v for k, v in os.environ.items() if k != "PREVENTION_DB"} | (env or {})
    return subprocess.Popen([sys.executable, "-m", "loaders", "--db", str(db_path), "--user", "crash", str(workbook)],
                            cwd=ROOT, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)


def kept_files(db_path: Path) -> set[tuple[str, int]]:
    """The uploads folder's files as (name, inode): a rename onto an old name is a new entry."""
    folder = originals.uploads_dir(db_path)
    if not folder.is_dir():
        return set()
    return {(entry.name, entry.inode()) for entry in os.scandir(folder)}


def store_started(db_path: Path, before: set[tuple[str, int]]) -> bool:
    """The load has reached its store: a file not there before it began (its temporary original, a new name every
    time, or that file renamed into place) is in the uploads folder."""
    return bool(kept_files(db_path) - before)


def check_whole(db_path: Path, sha256: str) -> tuple[bool, list[str]]:
    """The checks of the module's docstring; returns (the batch is loaded, the harmless leftovers found)."""
    con = db.connect(db_path)  # opens: the write-ahead log is replayed
    try:
        batches = con.execute("SELECT batch_id, sha256, file_name, rows_loaded FROM batch").fetchall()
        for batch_id, sha, name, rows_loaded in batches:
            records = con.execute("SELECT count(*) FROM activity_record WHERE batch_id = ?", [batch_id]).fetchone()[0]
            assert records == rows_loaded == ROWS, (batch_id, records, rows_loaded)
            audited = con.execute("SELECT count(*) FROM audit_log WHERE action = 'upload' AND details LIKE ?",
                                  [f'%"batch_id": {batch_id},%']).fetchone()[0]
            assert audited == 1, batch_id
            kept = originals.original_path(originals.uploads_dir(db_path), sha, name)
            assert hashlib.sha256(kept.read_bytes()).hexdigest() == sha, kept
        strays = con.execute("SELECT count(*) FROM activity_record WHERE batch_id NOT IN (SELECT batch_id FROM batch)")
        assert strays.fetchone()[0] == 0
        referenced = {originals.original_path(originals.uploads_dir(db_path), sha, name).name
                      for _, sha, name, _ in batches}
        folder = originals.uploads_dir(db_path)
        leftovers = sorted(p.name for p in folder.iterdir() if p.name not in referenced) if folder.is_dir() else []
        for name in leftovers:
            assert name.startswith(sha256) and (name.endswith(".part") or name == f"{sha256}.xlsx"), name
        loaded = [b for b in batches if b[1] == sha256]
        if loaded:  # killed after the commit: delete it, so the next kill meets a load again
            assert delete_batch(con, cli_actor("crash"), loaded[0][0], sha256) is None
        return bool(loaded), leftovers
    finally:
        con.close()


def test_temporary_originals_left_by_a_killed_load_are_swept_by_the_next_load_of_those_bytes(tmp_path):
    old, fresh = tmp_path / f"{'a' * 64}.xlsx.1.part", tmp_path / f"{'a' * 64}.xlsx.2.part"
    other = tmp_path / f"{'b' * 64}.xlsx.3.part"
    for path in (old, fresh, other):
        path.write_bytes(b"x")
    hours_ago = time.time() - 2 * originals.STALE_PART_SECONDS
    os.utime(old, (hours_ago, hours_ago))
    os.utime(other, (hours_ago, hours_ago))
    written = originals.write_temporary(tmp_path, "a" * 64, "report.xlsx", b"bytes")
    assert not old.exists() and fresh.exists() and other.exists() and written.read_bytes() == b"bytes"


def kill_group(proc: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


def final_load_is_clean(db_path: Path, workbook: Path, sha256: str) -> None:
    done = start_load(db_path, workbook)
    out, err = done.communicate(timeout=300)
    assert done.returncode == 0, err
    assert "загружено 100\u00a0000" in out
    loaded, leftovers = check_whole(db_path, sha256)
    assert loaded and not [name for name in leftovers if not name.endswith(".part")]


def test_a_load_killed_at_any_moment_leaves_all_or_nothing(workbook, tmp_path):
    sha256 = hashlib.sha256(workbook.read_bytes()).hexdigest()
    rng = random.Random(14)
    calibration = tmp_path / "calibration.duckdb"
    started, before = time.monotonic(), kept_files(calibration)
    proc = start_load(calibration, workbook)
    while proc.poll() is None and not store_started(calibration, before):
        time.sleep(0.01)
    to_store = time.monotonic() - started
    assert proc.wait(timeout=300) == 0, proc.stderr.read()
    whole = time.monotonic() - started
    print(f"\ncalibration: store begins at {to_store:.2f} s, load ends at {whole:.2f} s")

    db_path = tmp_path / "crash" / "prevention.duckdb"
    outcomes = []
    for attempt in range(KILLS):
        before = kept_files(db_path)
        proc = start_load(db_path, workbook)
        begun = time.monotonic()
        if attempt % 2:  # anywhere in the load
            delay = rng.uniform(0, whole * 1.05)
            while proc.poll() is None and time.monotonic() - begun < delay:
                time.sleep(0.005)
        else:  # inside the store: the original's temporary file, the transaction, the rename, the commit
            while proc.poll() is None and not store_started(db_path, before) and time.monotonic() - begun < whole * 3:
                time.sleep(0.002)
            delay = rng.uniform(0, max(whole - to_store, 0.2))
            time.sleep(delay)
        finished_first, in_store = proc.poll() is not None, store_started(db_path, before)
        kill_group(proc)
        loaded, leftovers = check_whole(db_path, sha256)
        outcomes.append((round(time.monotonic() - begun, 2), finished_first, in_store, loaded, len(leftovers)))
    print("kills (seconds into the load, had finished, store begun, batch stored, leftovers):", outcomes)
    running = [o for o in outcomes if not o[1]]
    assert len(running) >= KILLS // 2  # most kills hit a running load
    assert sum(1 for o in running if o[2]) >= KILLS // 4  # and many of them inside its store
    final_load_is_clean(db_path, workbook, sha256)


def test_a_dashboard_killed_while_it_loads_for_the_command_line_leaves_all_or_nothing(workbook, tmp_path):
    sha256 = hashlib.sha256(workbook.read_bytes()).hexdigest()
    rng = random.Random(41)
    db_path = tmp_path / "served" / "prevention.duckdb"
    outcomes = []
    for _ in range(SERVER_KILLS):
        server, _, session = open_dashboard(db_path, tmp_path / "server.log")
        before = kept_files(db_path)
        load = start_load(db_path, workbook, env={"PREVENTION_SOCKET_TIMEOUT": "300"})
        begun = time.monotonic()
        while load.poll() is None and not store_started(db_path, before) and time.monotonic() - begun < 120:
            time.sleep(0.005)
        time.sleep(rng.uniform(0, 0.6))  # the store takes about half a second
        children = psutil.Process(server.pid).children(recursive=True)
        server.send_signal(signal.SIGKILL)  # the dashboard dies mid-load
        server.wait()
        for child in children:  # its reading workers would end by themselves; the test machine needs the cores
            with contextlib.suppress(psutil.NoSuchProcess):
                child.kill()
        session.close()
        out, err = load.communicate(timeout=60)
        if load.returncode == 0:  # the server answered before it died
            assert "загружено 100\u00a0000" in out
        else:
            assert load.returncode == 1 and "прервал соединение" in err and "Traceback" not in err
        loaded, leftovers = check_whole(db_path, sha256)
        outcomes.append((round(time.monotonic() - begun, 2), load.returncode, loaded, len(leftovers)))
    print("\nserver kills (seconds, CLI exit code, batch stored, leftovers):", outcomes)
    final_load_is_clean(db_path, workbook, sha256)  # a stale socket file is there: the CLI opens the file itself
