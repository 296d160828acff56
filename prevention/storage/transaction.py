"""Write transactions of this process, one at a time.

DuckDB lets several cursors of one connection write at once and then refuses the loser's commit with
«Conflict on update». Every write of the server (loads, deletions, account changes, sign-in attempts, the audit
log) goes through `write_transaction`, which holds one process-wide lock for the transaction's length; a conflict
with another process (or one this lock did not cover) comes out as `Busy`."""
from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import duckdb

WRITE_LOCK = threading.RLock()  # the one piece of process state: writes of this process take turns


class Busy(Exception):
    "Another write changed the same rows at the same moment; nothing of this one was stored."


@contextmanager
def write_transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """BEGIN … COMMIT on a fresh cursor under the write lock; ROLLBACK on any exception (re-raised)."""
    with WRITE_LOCK:
        cur = con.cursor()
        cur.execute("BEGIN TRANSACTION")
        try:
            yield cur
            cur.execute("COMMIT")
        except duckdb.TransactionException as e:
            _rollback(cur)
            raise Busy(str(e)) from e
        except BaseException:
            _rollback(cur)
            raise
        finally:
            cur.close()


def _rollback(cur: duckdb.DuckDBPyConnection) -> None:
    with contextlib.suppress(duckdb.Error):  # a failed COMMIT has already ended the transaction
        cur.execute("ROLLBACK")
