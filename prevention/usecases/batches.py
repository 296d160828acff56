"""Replacing and deleting a batch: bound to the exact batch the person confirmed (its number and its bytes), so a
batch deleted or replaced by someone else in the meantime is never hit by mistake: the loser is told who did."""
from __future__ import annotations

import logging
from pathlib import Path

from loaders.problems import Problem
from loaders.report import FileReport
from prevention.storage import audit, batches, originals
from prevention.storage.transaction import Busy, write_transaction
from prevention.usecases.load import (
    BatchGone,
    Replacement,
    expect_batch,
    load_file,
    uploads_folder,
)
from prevention.usecases.rights import Actor, Forbidden, require

log = logging.getLogger(__name__)


def replace_batch(con, data: bytes, file_name: str, actor: Actor, batch_id: int, expected_sha256: str,
                  **options) -> FileReport:
    """Load a corrected version of a file in place of batch `batch_id` (one transaction: the new batch in, the
    old one out). Refused with «batch-gone» when that batch no longer holds `expected_sha256`."""
    return load_file(con, data, file_name, actor, replace=Replacement(int(batch_id), expected_sha256), **options)


def delete_batch(con, actor: Actor, batch_id: int, expected_sha256: str, *,
                 uploads_dir: Path | None = None) -> Problem | None:
    """Delete batch `batch_id` with all its rows, if it still holds `expected_sha256`; audited in the same
    transaction. Returns None when done, else the Problem (forbidden, batch-gone, busy, store-failed)."""
    try:
        require(con, actor, "analyst")
        with write_transaction(con) as cur:
            require(con, actor, "analyst")
            found = expect_batch(cur, int(batch_id), expected_sha256)
            batches.delete_rows(cur, found["batch_id"])
            audit.record(cur, actor.username, "delete", batch_id=found["batch_id"], file=found["file_name"],
                         sha256=found["sha256"], rows_loaded=found["rows_loaded"], channel=actor.channel)
    except (Forbidden, BatchGone) as e:
        return e.problem
    except Busy:
        return Problem("busy")
    except Exception as e:
        log.exception("deleting batch %s failed", batch_id)
        return Problem("store-failed", {"reason": type(e).__name__})
    originals.remove_original_if_unused(con, uploads_dir or uploads_folder(con), found["sha256"], found["file_name"])
    return None
