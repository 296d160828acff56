"""The reading worker: `python -m loaders.worker`, started by loaders.sandbox, never by people.

It loads the reader once, then for every request read from stdin forks a child that parses the file under memory
and CPU limits and a second child, at a low priority, that scans the worksheets' XML for far and repeated cells
(a refusal from the scan ends the parse at once), and writes the answer (or why the parse died) to stdout. The
worker itself is single-threaded, so forking it is safe; the processes that ask (the dashboard server, the CLI)
never fork themselves.

Messages both ways are a 4-byte big-endian length followed by a pickle."""
from __future__ import annotations

import contextlib
import gc
import os
import pickle
import resource
import select
import signal
import struct
import sys
import time
import traceback

HEADER = struct.Struct(">I")


def read_message(stream) -> object | None:
    header = stream.read(HEADER.size)
    if len(header) < HEADER.size:
        return None
    (size,) = HEADER.unpack(header)
    body = stream.read(size)
    if len(body) < size:
        return None
    return pickle.loads(body)


def write_message(stream, message: object) -> None:
    body = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(HEADER.pack(len(body)) + body)
    stream.flush()


def _limit(memory_mb: int, seconds: float) -> None:
    wanted = memory_mb * 1024 * 1024
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    cpu = int(seconds) + 5
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))


def _child(request: dict, out: int) -> None:
    """In the forked child: parse under the limits, write the pickled answer to `out`, exit without cleanup."""
    code = 0
    gc.disable()  # a short life that ends in os._exit: collections would only walk the million cells read
    try:
        _limit(request["memory_mb"], request["seconds"])
        from loaders.ingest import parse_bytes

        parsed = parse_bytes(request["data"], request["file_name"], today=request["today"],
                             options=request["options"], deep_checks=False)
        answer = ("ok", parsed)
    except MemoryError:
        answer = ("failure", "parse-out-of-memory", {"limit": request["memory_mb"]}, None)
    except BaseException as e:
        answer = ("failure", "internal-error", {}, "".join(traceback.format_exception(e)))
    try:
        body = pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)
        with os.fdopen(out, "wb") as pipe:
            pipe.write(HEADER.pack(len(body)) + body)
    except MemoryError:
        code = 3
    except BaseException:
        code = 4
    os._exit(code)


def _deep_check(data: bytes):
    """The streaming scan of the worksheets (far cells, repeated cells), run here while the child parses.
    Returns the refusal's Problem, or None."""
    from loaders.problems import LoaderError
    from loaders.read import inspect

    try:
        inspect(data, deep=True)
    except LoaderError as e:
        return e.problem
    except Exception:
        return None  # anything else the child meets too, and reports
    return None


CHECK_NICENESS = 10  # the scan yields the cores to the parse and to everyone else; it is only a guard


def _checker(data: bytes, out: int) -> None:
    """In a second forked child, at a low priority: the streaming scan; writes the pickled refusal (or None)."""
    code = 0
    try:
        os.nice(CHECK_NICENESS)
        body = pickle.dumps(_deep_check(data), protocol=pickle.HIGHEST_PROTOCOL)
        with os.fdopen(out, "wb") as pipe:
            pipe.write(body)
    except BaseException:
        code = 4
    os._exit(code)


def _fork(target, *args) -> tuple[int, int]:
    """(pid, read end of its pipe) of a child running target(*args, write end)."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
        target(*args, write_end)
    os.close(write_end)
    return pid, read_end


def _gather(answer_fd: int, check_fd: int, deadline: float) -> tuple[bytes | None, object]:
    """Read the parse's answer and the scan's verdict as they come. Returns (answer, refusal): the refusal as soon
    as the scan finds one (the answer is then None), else the whole answer once the parse ends; (None, None) when
    the deadline passes."""
    chunks: dict[int, list[bytes]] = {answer_fd: [], check_fd: []}
    open_fds = [answer_fd, check_fd]
    while open_fds:
        remaining = deadline - time.monotonic()
        ready = select.select(open_fds, [], [], remaining)[0] if remaining > 0 else []
        if not ready:
            return None, None
        for fd in ready:
            chunk = os.read(fd, 1 << 20)
            if chunk:
                chunks[fd].append(chunk)
                continue
            open_fds.remove(fd)
            if fd == check_fd:
                refusal = _verdict(b"".join(chunks[check_fd]))
                if refusal is not None:
                    return None, refusal
    return b"".join(chunks[answer_fd]), None


def _verdict(body: bytes):
    try:
        return pickle.loads(body) if body else None
    except Exception:
        return None  # a scan that died says nothing; the parse's own limits still hold


def _reap(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)


def serve_one(request: dict) -> tuple:
    pid, read_end = _fork(_child, request)
    checker, check_end = _fork(_checker, request["data"])
    try:
        answer, refusal = _gather(read_end, check_end, time.monotonic() + request["seconds"])
    finally:
        os.close(read_end)
        os.close(check_end)
        _reap(checker)
    if refusal is not None:  # the scan found what the child's memory limit would only have caught late
        _reap(pid)
        return ("refused", refusal)
    if answer is None:
        _reap(pid)
        return ("died", "timeout")
    _, status = os.waitpid(pid, 0)
    if len(answer) >= HEADER.size:
        (size,) = HEADER.unpack(answer[:HEADER.size])
        if len(answer) - HEADER.size == size:
            return ("answer", answer[HEADER.size:])
    return ("died", -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status))


def main() -> int:
    import loaders.ingest  # noqa: F401  (loaded once, shared by every forked child)
    from loaders import regions, spelling

    regions.warm()  # the gazetteer index, pymorphy3's dictionaries and the known spellings, built once, not per file
    spelling.warm()
    gc.freeze()  # what is loaded now is shared with every child and never walked by a collection again

    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing but answers on the real stdout
    while True:
        request = read_message(stdin)
        if request is None:
            return 0
        write_message(stdout, serve_one(request))


if __name__ == "__main__":
    sys.exit(main())
