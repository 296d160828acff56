"""The reading worker: `python -m loaders.worker`, started by loaders.sandbox, never by people.

It loads the reader once, then for every request read from stdin forks a child that parses the file under memory
and CPU limits, and writes the child's answer (or why it died) to stdout. The worker itself is single-threaded,
so forking it is safe; the processes that ask (the dashboard server, the CLI) never fork themselves.

Messages both ways are a 4-byte big-endian length followed by a pickle."""
from __future__ import annotations

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


def _collect(pipe: int, deadline: float) -> bytes | None:
    """The child's whole answer, or None when it did not finish before the deadline."""
    chunks = []
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return None
        ready, _, _ = select.select([pipe], [], [], remaining)
        if not ready:
            return None
        chunk = os.read(pipe, 1 << 20)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


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


def serve_one(request: dict) -> tuple:
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
        _child(request, write_end)
    os.close(write_end)
    refusal = _deep_check(request["data"])
    if refusal is not None:  # the scan found what the child's memory limit would only have caught late
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(read_end)
        return ("refused", refusal)
    answer = _collect(read_end, time.monotonic() + request["seconds"])
    os.close(read_end)
    if answer is None:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
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
