"""Every hostile file through `python -m loaders --db DB --json FILE`, as a bounded subprocess.

For each file of tests/hostile/files.py: a database already holding one valid event log (loaded through the
same CLI) is snapshotted, the CLI runs on the file under RLIMIT_AS = 1.5 GB with a 20 s wall clock while a
thread samples the resident memory of its whole process tree every 20 ms, and then:

- the process ended by itself (no signal, no timeout) with exit code 0 or 1, and left no process behind;
- stdout is one JSON object with one file report, whose status is what the file expects;
- a failure carries a message for a person (no traceback, no server path, no markup), the expected error_code
  and words, and leaves the database (counts, data version, stored originals) exactly as it was;
- a load stores its rows, and no stored text carries control or bidi-override characters;
- nothing a file was built to leak (a secret behind an external entity, /etc/passwd) appears anywhere;
- the permanent budget: under 5 s of CPU (the process tree's user and system time, which other jobs on the machine
  do not inflate the way they inflate wall-clock time) and 500 MB resident per file; the wall clock is bounded by
  the 20 s kill and printed in the summary.

Many of these fail until the loader is hardened; the table printed at the end of the session (conftest.py)
shows time, peak memory and outcome per file.
"""
from __future__ import annotations

import contextlib
import json
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.hostile.files import GENERATORS, Hostile
from tests.workbooks import KARAGANDA_JUNE_2025, event_log

PROJECT = Path(__file__).resolve().parents[2]
MB = 1 << 20
LIMIT_AS = 1536 * MB          # address space of the CLI (and of any child it starts)
TIMEOUT = 20.0                # wall clock before the CLI is killed
BUDGET_SECONDS = 5.0          # the permanent budget per file
BUDGET_RSS = 500 * MB
GENERATE_SECONDS = 1.0        # a generator must be quick, or the corpus is the slow part
POLL = 0.02
TABLES = ("batch", "activity_record", "rejected_record")
BIDI = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")

# name -> {"seconds", "peak_mb", "status", "code", "rc", "problems"}; printed by conftest.py at session end
RESULTS: dict[str, dict] = {}


# ---------------------------------------------------------------------------------------------- running the CLI

@dataclass
class Run:
    exit_code: int | None       # None when killed by a signal
    signal: int | None
    timed_out: bool
    seconds: float
    cpu_seconds: float          # user + system time of the CLI and the children it waited for
    peak_rss: int               # bytes: the larger of the sampled tree sum and the kernel's ru_maxrss
    stdout: str
    stderr: str
    leftovers: list[int] = field(default_factory=list)  # descendants still running after the CLI ended


def _limit_child() -> None:  # runs in the child between fork and exec
    resource.setrlimit(resource.RLIMIT_AS, (LIMIT_AS, LIMIT_AS))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


class TreeSampler(threading.Thread):
    """Sums the RSS of a process and all its descendants every POLL seconds; remembers every pid seen."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        import psutil

        self.psutil = psutil
        self.root = psutil.Process(pid)
        self.peak = 0
        self.seen: dict[int, object] = {}
        self.done = threading.Event()

    def run(self) -> None:
        psutil = self.psutil
        while not self.done.is_set():
            total = 0
            try:
                procs = [self.root, *self.root.children(recursive=True)]
            except psutil.Error:
                procs = []
            for p in procs:
                try:
                    total += p.memory_info().rss
                    self.seen.setdefault(p.pid, p)
                except psutil.Error:
                    pass
            self.peak = max(self.peak, total)
            self.done.wait(POLL)

    def alive_descendants(self) -> list:
        return [p for pid, p in self.seen.items() if pid != self.root.pid and _running(p)]


def _running(p) -> bool:
    import psutil

    try:
        return p.is_running() and p.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def run_cli(db: Path, target: Path, timeout: float = TIMEOUT) -> Run:
    env = {k: v for k, v in os.environ.items() if k != "PREVENTION_DB"}
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.monotonic()
        proc = subprocess.Popen([sys.executable, "-m", "loaders", "--db", str(db), "--json", str(target)],
                                cwd=PROJECT, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                                preexec_fn=_limit_child, start_new_session=True)
        sampler = TreeSampler(proc.pid)
        sampler.start()
        timed_out, status, usage = False, None, None
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() - start > timeout:
                timed_out = True
                for p in sampler.alive_descendants():  # by pid: children that left the process group too
                    _kill(p.pid)
                os.killpg(proc.pid, signal.SIGKILL)  # the CLI's own session (start_new_session=True)
                _, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(POLL)
        seconds = time.monotonic() - start
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        time.sleep(POLL)  # one more sample window for children that outlive their parent
        sampler.done.set()
        sampler.join()
        leftovers = sampler.alive_descendants()
        for p in leftovers:
            _kill(p.pid)
        out.seek(0)
        err.seek(0)
        return Run(
            exit_code=os.WEXITSTATUS(status) if os.WIFEXITED(status) else None,
            signal=os.WTERMSIG(status) if os.WIFSIGNALED(status) else None,
            timed_out=timed_out, seconds=seconds,
            cpu_seconds=(usage.ru_utime + usage.ru_stime) if usage else seconds,
            peak_rss=max(sampler.peak, usage.ru_maxrss * 1024 if usage else 0),
            stdout=out.read().decode("utf-8", "replace"), stderr=err.read().decode("utf-8", "replace"),
            leftovers=[p.pid for p in leftovers])


def _kill(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


# ---------------------------------------------------------------------------------------------- the database

def snapshot(db: Path) -> dict:
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
        counts["data_version"] = con.execute("SELECT max(version) FROM data_version").fetchone()[0]
    finally:
        con.close()
    uploads = db.parent / "uploads"
    counts["uploads"] = sorted(p.name for p in uploads.iterdir()) if uploads.is_dir() else []
    return counts


def stored_texts(con, table: str) -> list[str]:
    columns = [name for name, kind in con.execute(
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ?", [table]).fetchall()
        if kind == "VARCHAR"]
    if not columns:
        return []
    rows = con.execute(f"SELECT {', '.join(columns)} FROM {table}").fetchall()
    return [v for row in rows for v in row if isinstance(v, str)]


def bad_characters(text: str) -> set[str]:
    return {f"U+{ord(ch):04X}" for ch in text if unicodedata.category(ch) == "Cc" or ch in BIDI}


@pytest.fixture(scope="session")
def baseline(tmp_path_factory) -> Path:
    """A database holding one valid event log, loaded through the CLI; each test works on a copy."""
    folder = tmp_path_factory.mktemp("hostile_baseline")
    (folder / "db").mkdir()
    db = folder / "db" / "baseline.duckdb"
    run = run_cli(db, event_log(folder / "karaganda_june.xlsx", KARAGANDA_JUNE_2025))
    assert run.exit_code == 0, run.stderr[-2000:]
    assert json.loads(run.stdout)["files"][0]["status"] == "loaded"
    return db


@pytest.fixture
def database(baseline, tmp_path) -> Path:
    shutil.copytree(baseline.parent, tmp_path / "db")
    return tmp_path / "db" / baseline.name


# ---------------------------------------------------------------------------------------------- the test

def _id(generate) -> str:
    return generate.__name__


def test_corpus_is_complete():
    names = [g.__name__ for g in GENERATORS]
    assert len(names) >= 65, len(names)
    assert len(set(names)) == len(names)
    assert all(g.__doc__ for g in GENERATORS), "each generator says what it attacks"


@pytest.mark.parametrize("generate", GENERATORS, ids=_id)
def test_hostile_file(generate, database, tmp_path):
    folder = tmp_path / "files"
    folder.mkdir()
    started = time.perf_counter()
    h: Hostile = generate(folder)
    generated = time.perf_counter() - started
    if h.skip:
        pytest.skip(h.skip)
    assert generated < GENERATE_SECONDS, f"generating {h.name} took {generated:.2f} s"
    before = snapshot(database)

    run = run_cli(database, h.path)

    problems: list[str] = []
    report = _one_report(run, problems)
    try:
        after = snapshot(database)
    except Exception as e:  # a killed or crashed CLI must not leave the database unreadable either
        after = None
        problems.append(f"the database cannot be read after the run: {type(e).__name__}: {e}")
    if report is not None:
        _check_report(h, report, run, problems)
        if after is not None:
            _check_database(h, report, database, before, after, problems)
    elif after is not None and after != before:
        problems.append(f"the database changed although no report was produced: {before} -> {after}")
    if run.cpu_seconds >= BUDGET_SECONDS:
        problems.append(f"took {run.cpu_seconds:.1f} s of CPU (budget {BUDGET_SECONDS:.0f} s)")
    if run.peak_rss >= BUDGET_RSS:
        problems.append(f"peak RSS {run.peak_rss / MB:.0f} MB (budget {BUDGET_RSS // MB} MB)")
    RESULTS[generate.__name__] = {
        "file": h.name, "expect": h.expect, "seconds": run.seconds, "cpu": run.cpu_seconds,
        "peak_mb": run.peak_rss / MB,
        "status": report.get("status") if report else None, "code": report.get("error_code") if report else None,
        "rc": run.exit_code if run.exit_code is not None else (f"SIG{run.signal}" if run.signal else None),
        "timed_out": run.timed_out, "problems": problems}
    if problems:
        tail = run.stderr.strip().splitlines()[-3:]
        pytest.fail(f"{h.name} ({h.about}):\n  - " + "\n  - ".join(problems)
                    + ("\n  stderr: " + " | ".join(tail) if tail else ""), pytrace=False)


def _one_report(run: Run, problems: list[str]) -> dict | None:
    if run.timed_out:
        problems.append(f"did not finish within {TIMEOUT:.0f} s (killed)")
        return None
    if run.signal is not None:
        problems.append(f"killed by signal {signal.Signals(run.signal).name}")
        return None
    if run.exit_code not in (0, 1):
        problems.append(f"exit code {run.exit_code}")
    if run.leftovers:
        problems.append(f"left processes running: {run.leftovers}")
    try:
        document = json.loads(run.stdout)
    except ValueError:
        problems.append(f"stdout is not one JSON object: {run.stdout[:200]!r}")
        return None
    files = document.get("files") if isinstance(document, dict) else None
    if not isinstance(files, list) or len(files) != 1 or not isinstance(files[0], dict):
        problems.append(f"expected one file report, got {str(document)[:200]}")
        return None
    return files[0]


PATH_PATTERN = re.compile(r"(/work/|/tmp/|/root/|/home/|site-packages)")
CYRILLIC = re.compile("[А-Яа-яЁё]")


def _check_report(h: Hostile, report: dict, run: Run, problems: list[str]) -> None:
    status = report.get("status")
    if h.expect == "any":
        if status not in ("loaded", "failed"):
            problems.append(f"status {status!r}, expected loaded or failed")
    elif status != h.expect:
        problems.append(f"status {status!r}, expected {h.expect!r}"
                        + (f" (error_code {report.get('error_code')!r}: {report.get('error')!r})"
                           if status == "failed" else ""))
    counts = [report.get(k) for k in ("rows_read", "rows_loaded", "rows_skipped", "rows_rejected")]
    if not all(isinstance(c, int) and c >= 0 for c in counts):
        problems.append(f"row counts are not counts: {counts}")
    elif counts[0] != sum(counts[1:]):
        problems.append(f"rows_read {counts[0]} != loaded + skipped + rejected {sum(counts[1:])}")
    expected_exit = 0 if status == "loaded" and report.get("rows_rejected") == 0 else 1
    if run.exit_code in (0, 1) and run.exit_code != expected_exit:
        problems.append(f"exit code {run.exit_code} for status {status} with {report.get('rows_rejected')} rejected")
    messages = [m.get("message") or "" for m in report.get("errors") or [] if isinstance(m, dict)]
    if status == "failed":
        error = report.get("error")
        if not isinstance(error, str) or not error.strip():
            problems.append("a failed report without a message")
            error = ""
        if "Traceback" in error or 'File "' in error:
            problems.append(f"traceback in the message: {error[:200]!r}")
        if PATH_PATTERN.search(error):
            problems.append(f"a server path in the message: {error[:300]!r}")
        if "<" in error:
            problems.append(f"markup in the message: {error[:300]!r}")
        if error and not CYRILLIC.search(error):
            problems.append(f"the message is not in Russian: {error[:200]!r}")
        if report.get("error_code") in (None, "", "failed"):
            problems.append(f"an internal error, not a reason a person can act on "
                            f"(error_code {report.get('error_code')!r}: {error[:160]!r})")
        if h.codes is not None and report.get("error_code") not in h.codes:
            problems.append(f"error_code {report.get('error_code')!r}, expected one of {sorted(h.codes)}"
                            f" (message: {error[:160]!r})")
        for word in h.words:
            if word not in error.lower():
                problems.append(f"the message does not say {word!r}: {error[:200]!r}")
    elif status == "loaded" and h.min_loaded is not None and (report.get("rows_loaded") or 0) < h.min_loaded:
        problems.append(f"only {report.get('rows_loaded')} rows loaded, expected at least {h.min_loaded}"
                        f" (first errors: {messages[:2]})")
    for text in messages:
        if "Traceback" in text or PATH_PATTERN.search(text):
            problems.append(f"a traceback or path in a row error: {text[:200]!r}")
            break
    for secret in h.forbidden:
        if secret.lower() in run.stdout.lower():
            problems.append(f"the report contains {secret!r}")


def _check_database(h: Hostile, report: dict, db: Path, before: dict, after: dict, problems: list[str]) -> None:
    import duckdb

    status = report.get("status")
    if status != "loaded":
        if after != before:
            problems.append(f"the database changed although the file was not loaded: {before} -> {after}")
        return
    if after["batch"] != before["batch"] + 1:
        problems.append(f"loaded, but batches went {before['batch']} -> {after['batch']}")
    added = after["activity_record"] - before["activity_record"]
    if added != report.get("rows_loaded"):
        problems.append(f"loaded {report.get('rows_loaded')} rows by the report, {added} in the database")
    con = duckdb.connect(str(db), read_only=True)
    try:
        activity = stored_texts(con, "activity_record")
        rejected = stored_texts(con, "rejected_record")
        bad = set().union(*(bad_characters(t) for t in activity)) if activity else set()
        if bad:
            problems.append(f"stored text in activity_record holds control/bidi characters {sorted(bad)}")
        for secret in h.forbidden:
            if any(secret.lower() in t.lower() for t in activity + rejected):
                problems.append(f"the database stores {secret!r}")
        if h.check:
            problems.extend(h.check(con))
    finally:
        con.close()


def test_report_carries_every_contract_key(tmp_path, baseline):
    """DESIGN.md: the JSON report of a file has these keys, `warnings` included, even when it failed."""
    shutil.copytree(baseline.parent, tmp_path / "db")
    target = tmp_path / "empty.csv"
    target.write_bytes(b"")
    run = run_cli(tmp_path / "db" / baseline.name, target)
    assert run.exit_code == 1, run.stderr[-1000:]
    (report,) = json.loads(run.stdout)["files"]
    required = {"file", "sha256", "status", "rows_read", "rows_loaded", "rows_skipped", "rows_rejected", "errors",
                "warnings", "error", "error_code"}
    assert required <= set(report), f"missing {sorted(required - set(report))}"
