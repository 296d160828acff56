"""Parse untrusted files in a child process with memory and time limits.

A native parser that runs out of memory aborts the whole process it runs in; a pathological file can keep it busy
for minutes. Parsing in a child (forked from a small fork server that has the reader's modules loaded) turns both
into a `failed` report, and the server or the CLI lives on. The child's address space is capped with RLIMIT_AS and
its CPU time with RLIMIT_CPU; the parent waits a bounded wall-clock time and kills it after."""
from __future__ import annotations

import logging
import multiprocessing
import os
import resource
import signal
import traceback
from dataclasses import dataclass
from datetime import date

from loaders.options import ParseOptions
from loaders.problems import Problem

log = logging.getLogger(__name__)
STRICT_ENV = "PREVENTION_STRICT"  # set by the tests: an internal error is raised, never passed off as a bad file


@dataclass(frozen=True)
class Limits:
    memory_mb: int = int(os.environ.get("PREVENTION_PARSE_MEMORY_MB", "1536"))
    seconds: float = float(os.environ.get("PREVENTION_PARSE_SECONDS", "15"))


_context = None


def _ctx():
    global _context
    if _context is None:
        _context = multiprocessing.get_context("forkserver")
        _context.set_forkserver_preload(["loaders.ingest", "python_calamine", "rapidfuzz"])
    return _context


def warm_up() -> None:
    """Start the fork server now (it loads the reader once), so the first upload does not wait for it."""
    from multiprocessing import forkserver

    _ctx()
    forkserver.ensure_running()


def _limit_memory(megabytes: int) -> None:
    wanted = megabytes * 1024 * 1024
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard if hard != resource.RLIM_INFINITY else cap))


def _child(connection, data: bytes, file_name: str, options: ParseOptions, today: date | None, limits: Limits) -> None:
    try:
        _limit_memory(limits.memory_mb)
        cpu = int(limits.seconds) + 5
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))
        from loaders.ingest import parse_bytes

        parsed = parse_bytes(data, file_name, today=today, options=options)
        connection.send(("ok", parsed))
    except MemoryError:
        connection.send(("failure", "parse-out-of-memory", {"limit": limits.memory_mb}, None))
    except BaseException as e:  # an internal error: the parent logs it (and raises it under tests)
        connection.send(("failure", "internal-error", {}, "".join(traceback.format_exception(e))))
    finally:
        connection.close()


def parse_isolated(data: bytes, file_name: str, *, options: ParseOptions | None = None, today: date | None = None,
                   limits: Limits | None = None):
    """loaders.ingest.parse_bytes in a child process. Never raises for a bad file: a crash, an exhausted memory
    limit or a timeout become a failed report."""
    from loaders.ingest import Parsed, hashed_report

    limits = limits or Limits()
    report = hashed_report(data, file_name)
    context = _ctx()
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(sender, data, file_name, options or ParseOptions(), today, limits),
                              daemon=True)
    try:
        process.start()
    except OSError as e:
        log.error("could not start the reading process: %s", e)
        return Parsed(report.fail(Problem("internal-error")))
    sender.close()
    try:
        message = receiver.recv() if receiver.poll(limits.seconds) else None
    except (EOFError, OSError):
        message = None
    finally:
        receiver.close()
    if message is None:
        timed_out = process.is_alive()
        _stop(process)
        if timed_out:
            return Parsed(report.fail(Problem("parse-timeout", {"seconds": int(limits.seconds)})))
        return Parsed(report.fail(_death(process.exitcode, limits)))
    process.join(5)
    _stop(process)
    if message[0] == "ok":
        return message[1]
    _, code, params, trace = message
    if trace:
        log.error("internal error reading %s:\n%s", file_name, trace)
        if os.environ.get(STRICT_ENV):
            raise RuntimeError(f"internal error in the reading process:\n{trace}")
    return Parsed(report.fail(Problem(code, params)))


def _stop(process) -> None:
    if process.is_alive():
        process.kill()
    process.join(5)


def _death(exitcode: int | None, limits: Limits) -> Problem:
    """A child that died without a word: SIGABRT, SIGKILL or SIGXCPU come from the limits; anything else is a crash."""
    if exitcode in (-signal.SIGABRT, -signal.SIGKILL):
        return Problem("parse-out-of-memory", {"limit": limits.memory_mb})
    if exitcode == -signal.SIGXCPU:
        return Problem("parse-timeout", {"seconds": int(limits.seconds)})
    return Problem("parse-crashed")
