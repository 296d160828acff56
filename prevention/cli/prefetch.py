"""The command line reads the next file while it does something else: one file ahead, in a background thread.

The reading itself runs in the reading worker's limited child (loaders.sandbox), so the thread only waits; the
command line meanwhile opens the database, or stores the file before. At most one file is read ahead of the one
being stored, so a folder of reports never sits in memory at once. A file's read here is the same as load_file's
own (no corrections: the remembered mapping is applied afterwards, as when load_file reads it)."""
from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path


def read_and_parse(name: str) -> dict:
    """A file as load_one takes it: {"name", "data", "parsed"}, or {"name", "problem"} when it cannot be read."""
    from loaders.problems import LoaderError
    from loaders.read import read_path
    from prevention.usecases.load import parse

    try:
        data = read_path(name)
    except LoaderError as e:
        return {"name": name, "problem": e.problem}
    return {"name": name, "data": data, "parsed": parse(data, Path(name).name)}


class Prefetch:
    """Files read in order, one ahead of the caller: take(i) returns file i as read_and_parse gives it."""

    def __init__(self, names: list[str]) -> None:
        self.names = list(names)
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="prefetch")
        self._futures: dict[int, Future] = {}
        self._submit(0)

    def _submit(self, index: int) -> None:
        if index < len(self.names) and index not in self._futures:
            self._futures[index] = self._pool.submit(read_and_parse, self.names[index])

    def take(self, index: int) -> dict:
        self._submit(index)
        self._submit(index + 1)  # read while the caller stores this one
        return self._futures.pop(index).result()

    def close(self) -> None:
        """Forget what was not taken (the thread finishes the file it is reading, then stops)."""
        for future in self._futures.values():
            future.cancel()
        self._pool.shutdown(wait=False, cancel_futures=True)
