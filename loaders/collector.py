"""Python's cyclic garbage collector paused while a table's million cells are created and stored.

Reading or storing 100,000 rows makes millions of small objects (cells, tuples, dates); every so many allocations
the collector walks all live objects, and on such heaps that costs a fifth of a load. The objects a load makes
hold no reference cycles, so nothing is lost by pausing it; it runs as it was afterwards."""
from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """No automatic collection inside the block (nested blocks keep it paused); as before afterwards."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
