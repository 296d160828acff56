"""Parse untrusted files in a child process with memory and time limits.

A native parser that runs out of memory aborts the whole process it runs in; a pathological file can keep it busy
for minutes. Parsing happens in a child forked from a small reading worker (`python -m loaders.worker`, started
once), under RLIMIT_AS and RLIMIT_CPU and a wall-clock deadline: a crash, an exhausted limit or a timeout becomes a
`failed` report, and the dashboard server or the CLI lives on. The asking process never forks itself, so its
threads (Streamlit's, DuckDB's) are never copied into a child."""
from __future__ import annotations

import atexit
import logging
import os
import pickle
import select
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from loaders import collector
from loaders.options import ParseOptions
from loaders.problems import Problem
from loaders.worker import HEADER, write_message

log = logging.getLogger(__name__)
STRICT_ENV = "PREVENTION_STRICT"  # set by the tests: an internal error is raised, never passed off as a bad file
ROOT = Path(__file__).resolve().parent.parent
GRACE_SECONDS = 10  # beyond the child's own deadline, for the worker to answer


@dataclass(frozen=True)
class Limits:
    memory_mb: int = int(os.environ.get("PREVENTION_PARSE_MEMORY_MB", "1536"))
    seconds: float = float(os.environ.get("PREVENTION_PARSE_SECONDS", "15"))


class _Worker:
    """One reading worker process and the lock that gives it one request at a time."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.process: subprocess.Popen | None = None

    def ensure(self) -> subprocess.Popen:
        if self.process is None or self.process.poll() is not None:
            env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
            self.process = subprocess.Popen([sys.executable, "-m", "loaders.worker"], stdin=subprocess.PIPE,
                                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=ROOT, env=env,
                                            start_new_session=True)
        return self.process

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except OSError:
                self.process.kill()
            self.process.wait()
        self.process = None

    def close(self, grace: float = 2.0) -> None:
        """End the worker at exit: EOF on its stdin lets it return; one that does not within `grace` is killed.
        Either way it is reaped, so no reading process outlives the program that started it."""
        if self.process is None or self.process.poll() is not None:
            return
        try:
            self.process.stdin.close()
            self.process.wait(timeout=grace)
        except (OSError, subprocess.TimeoutExpired):
            self.stop()

    def ask(self, request: dict, timeout: float) -> tuple | None:
        """The worker's answer, or None when it died or did not answer in time (it is then restarted)."""
        process = self.ensure()
        try:
            write_message(process.stdin, request)
            answer = _read(process.stdout, time.monotonic() + timeout)
        except (BrokenPipeError, OSError, pickle.PickleError, EOFError):
            answer = None
        if answer is None:
            self.stop()
        return answer


def _read(stream, deadline: float) -> tuple | None:
    fd = stream.fileno()
    header = _read_exactly(fd, HEADER.size, deadline)
    if header is None:
        return None
    (size,) = HEADER.unpack(header)
    body = _read_exactly(fd, size, deadline)
    return None if body is None else pickle.loads(body)


def _read_exactly(fd: int, size: int, deadline: float) -> bytes | None:
    chunks, got = [], 0
    while got < size:
        remaining = deadline - time.monotonic()
        if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
            return None
        chunk = os.read(fd, min(size - got, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)


_POOL = [_Worker(), _Worker()]  # two requests may run at once (two analysts committing); more wait


@atexit.register
def _close_pool() -> None:
    for worker in _POOL:
        worker.close()


def warm_up() -> None:
    """Start a reading worker now, so the first upload does not wait for it to load the reader."""
    with _POOL[0].lock:
        _POOL[0].ensure()


def parse_isolated(data: bytes, file_name: str, *, options: ParseOptions | None = None, today: date | None = None,
                   limits: Limits | None = None):
    """loaders.ingest.parse_bytes in a limited child process. Never raises for a bad file."""
    from loaders.ingest import Parsed, hashed_report

    limits = limits or Limits()
    report = hashed_report(data, file_name)
    request = {"data": data, "file_name": file_name, "options": options or ParseOptions(), "today": today,
               "memory_mb": limits.memory_mb, "seconds": limits.seconds}
    answer = _ask(request, limits.seconds + GRACE_SECONDS)
    if answer is None:
        return Parsed(report.fail(Problem("parse-crashed")))
    kind, payload = answer
    if kind == "died":
        return Parsed(report.fail(_death(payload, limits)))
    if kind == "refused":
        return Parsed(report.fail(payload))
    with collector.paused():  # a million cells come back as objects
        result = pickle.loads(payload)
    if result[0] == "ok":
        return result[1]
    _, code, params, trace = result
    if trace:
        log.error("internal error reading %s:\n%s", file_name, trace)
        if os.environ.get(STRICT_ENV):
            raise RuntimeError(f"internal error in the reading process:\n{trace}")
    return Parsed(report.fail(Problem(code, params)))


WAIT_FOR_WORKER_SECONDS = 300


def _ask(request: dict, timeout: float) -> tuple | None:
    """Ask the first free worker; when both are busy, wait for one (the load waits, nothing else does)."""
    waited = time.monotonic() + WAIT_FOR_WORKER_SECONDS
    while time.monotonic() < waited:
        for worker in _POOL:
            if worker.lock.acquire(blocking=False):
                try:
                    return worker.ask(request, timeout)
                finally:
                    worker.lock.release()
        time.sleep(0.05)
    return ("died", "timeout")


def _death(reason, limits: Limits) -> Problem:
    """A child that died without an answer: the deadline, SIGABRT/SIGKILL (the memory limit), SIGXCPU (the CPU
    limit), or anything else (a crash)."""
    if reason == "timeout" or reason == -signal.SIGXCPU:
        return Problem("parse-timeout", {"seconds": int(limits.seconds)})
    if reason in (-signal.SIGABRT, -signal.SIGKILL, 3):
        return Problem("parse-out-of-memory", {"limit": limits.memory_mb})
    return Problem("parse-crashed")
