"""Loading one file: the single way a batch comes into the database, for the page and the command line alike.

Rights (analyst, read now), the duplicate check by sha256 (the bytes of a replaced batch count too), the reader
(or the page's preview result), then as one unit: the original written to a temporary file beside the kept
originals; one transaction storing the batch, its records, rejected rows (with their problem codes and
parameters), population rows, warnings, the remembered column mapping and the audit entry; the temporary file
renamed into place; commit. A failure at any step leaves nothing behind and a retry works."""
from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import loaders
from loaders import collector
from loaders.problems import Problem
from loaders.report import FileReport
from prevention.output import rejected
from prevention.storage import audit, batches, mappings, originals
from prevention.storage.transaction import Busy, write_transaction
from prevention.usecases.rights import Actor, Forbidden, require

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Replacement:
    """The batch a file replaces, as the person confirmed it: its number and the bytes it held then."""
    batch_id: int
    sha256: str


class BatchGone(Exception):
    "The batch was deleted or replaced since the person chose it; carries the Problem «batch-gone»."

    def __init__(self, batch_id: int, change: dict | None) -> None:
        super().__init__(f"batch {batch_id} changed")
        change = change or {}
        self.problem = Problem("batch-gone", {"batch": batch_id, "user": change.get("username") or "—",
                                              "action": change.get("action"), "new_batch": change.get("batch_id")})


class NotSameFile(ValueError):
    "A batch is replaced only by a file of the same name (its corrected version)."

    def __init__(self, batch_file: str, new_file: str) -> None:
        super().__init__(f"{new_file!r} cannot replace a batch loaded from {batch_file!r}")


def parse(data: bytes, file_name: str, *, options=None, today: date | None = None):
    """The reader in a child process with memory and time limits (loaders.parse_isolated)."""
    return loaders.parse_isolated(data, file_name, options=options, today=today)


def uploads_folder(con) -> Path:
    """data/uploads beside the database file this connection has open."""
    path = con.cursor().execute(
        "SELECT path FROM duckdb_databases() WHERE database_name = current_database()").fetchone()[0]
    return originals.uploads_dir(path)


def expect_batch(cur, batch_id: int, sha256: str) -> dict:
    """The batch as the person saw it, inside the caller's transaction; BatchGone when it is not there any more."""
    found = batches.batch_row(cur, batch_id)
    if found is None or found["sha256"] != sha256:
        raise BatchGone(batch_id, audit.last_change_of_batch(cur, batch_id))
    return found


def headers_of(parsed) -> list[str]:
    """Every table's flattened headers, in order (the remembered mapping's key)."""
    return [h for table in parsed.tables for h in table.headers]


def load_file(con, data: bytes, file_name: str, actor: Actor, *, options=None, replace: Replacement | None = None,
              dry_run: bool = False, parsed=None, uploads_dir: Path | None = None,
              today: date | None = None) -> FileReport:
    """Load one file as `actor`; returns its report (loaded, duplicate or failed, with the Problem that says why).
    `options`: the analyst's corrections (None: the mapping remembered for files with these headers).
    `parsed`: the page's preview of exactly these bytes and options, so the file is parsed once.
    `con` may be None for a dry run without a database."""
    sha = hashlib.sha256(data).hexdigest()
    report = FileReport(file=file_name, sha256=sha, dry_run=dry_run)
    try:
        if con is not None:
            require(con, actor, "analyst")
    except Forbidden as e:
        return report.fail(e.problem)
    earlier = batches.find_batch_by_sha(con, sha) if con is not None else None
    if earlier is not None:
        report.status, report.duplicate_of = "duplicate", earlier
        return report
    if parsed is None:
        parsed = parse(data, file_name, options=options, today=today)
    remembered = _remembered(con, parsed) if options is None else None
    if remembered is not None:  # read again with the corrections remembered for files with these headers
        parsed = parse(data, file_name, options=remembered, today=today)
    report = parsed.report
    report.file, report.sha256, report.dry_run = file_name, sha, dry_run  # of these bytes, whatever parsed them
    if report.status == "failed" or dry_run or con is None:
        return report
    remember = _mapping_to_remember(con, parsed, options)
    return _store(con, data, parsed, actor, replace, remember, uploads_dir or uploads_folder(con))


def _remembered(con, plain):
    """The corrections remembered for files with the headers of `plain` (the file read without corrections), as
    ParseOptions, or None when there are none."""
    if con is None or plain.report.status == "failed":
        return None
    memory = mappings.remembered_mapping(con, mappings.header_signature(headers_of(plain)))
    if not memory or not memory["overrides"]:
        return None
    return loaders.ParseOptions(column_overrides=dict(memory["overrides"]))


def _mapping_to_remember(con, parsed, options) -> tuple | None:
    """(signature, headers, overrides) when the analyst's column corrections differ from the remembered ones."""
    if options is None:
        return None
    headers = headers_of(parsed)
    signature = mappings.header_signature(headers)
    memory = mappings.remembered_mapping(con, signature) or {"overrides": {}}
    overrides = dict(options.column_overrides)
    return None if overrides == memory["overrides"] else (signature, headers, overrides)


def fixed_batch(cur, file_name: str, headers: list[str]) -> int | None:
    """A file `<stem>_отклонённые.xlsx` with a «Причина» column holds batch `<stem>`'s corrected rejected rows."""
    original = rejected.fixed_stem(file_name)
    if original is None or not rejected.is_rejected_rows_file(headers):
        return None
    original = original.lower()
    rows = cur.execute(
        "SELECT batch_id, file_name FROM batch WHERE rows_rejected > 0 ORDER BY batch_id DESC").fetchall()
    return next((b for b, name in rows if Path(name).stem.lower() == original), None)


def same_lineage(a: str, b: str) -> bool:
    """Replacement is offered only for the same file name (case and spaces around it aside)."""
    return re.sub(r"\s+", " ", a.strip().lower()) == re.sub(r"\s+", " ", b.strip().lower())


def _store(con, data: bytes, parsed, actor: Actor, replace: Replacement | None, remember: tuple | None,
           folder: Path) -> FileReport:
    report = parsed.report
    try:
        temporary = originals.write_temporary(folder, report.sha256, report.file, data)
    except OSError as e:
        log.warning("original of %s not written: %s", report.file, e)
        return report.fail(Problem("original-not-saved", {"reason": type(e).__name__}))
    final: Path | None = None
    try:
        with collector.paused(), write_transaction(con) as cur:  # the rows go in without collections between
            require(con, actor, "analyst")
            batch_id, replaced = _write(cur, parsed, len(data), actor, replace, remember)
            final = originals.move_into_place(temporary, folder, report.sha256, report.file)
    except BaseException as e:  # noqa: BLE001 - every failure is cleaned up, then reported or re-raised
        originals.discard(temporary)
        if final is not None:  # the commit itself failed after the rename
            originals.discard(final)
        return _failure(con, report, e)
    if replaced is not None:
        originals.remove_original_if_unused(con, folder, replaced["sha256"], replaced["file_name"])
    report.status, report.batch_id = "loaded", batch_id
    return report


def _write(cur, parsed, size: int, actor: Actor, replace: Replacement | None,
           remember: tuple | None) -> tuple[int, dict | None]:
    """Everything the load stores, inside the caller's transaction; returns (batch id, the replaced batch)."""
    report = parsed.report
    replaced = expect_batch(cur, replace.batch_id, replace.sha256) if replace is not None else None
    if replaced is not None:
        if not same_lineage(replaced["file_name"], report.file):
            raise NotSameFile(replaced["file_name"], report.file)
        batches.delete_rows(cur, replaced["batch_id"])
    fixes = None if replaced else fixed_batch(cur, report.file, headers_of(parsed))
    info = batches.BatchInfo(
        file_name=report.file, sha256=report.sha256, size_bytes=size, shape=report.shape or "events",
        rows_read=report.rows_read, rows_loaded=report.rows_loaded, rows_skipped=report.rows_skipped,
        rows_rejected=report.rows_rejected, loaded_by=actor.username, fixes_batch_id=fixes,
        warnings=[w.to_dict() for w in report.warnings])
    batch_id = batches.insert_batch(cur, info, parsed.columns, parsed.rejected, parsed.population)
    if replaced is not None:
        batches.remember_replaced(cur, replaced, batch_id, actor.username)
    if remember is not None:
        mappings.remember_mapping(cur, *remember, actor.username)
    details = {"file": report.file, "batch_id": batch_id, "sha256": report.sha256, "shape": report.shape,
               "rows_loaded": report.rows_loaded, "rows_skipped": report.rows_skipped,
               "rows_rejected": report.rows_rejected, "channel": actor.channel}
    if replaced is not None:
        details["replaced_batch_id"] = replaced["batch_id"]
    if fixes is not None:
        details["fixes_batch_id"] = fixes
    audit.record(cur, actor.username, "replace" if replaced else "upload", **details)
    return batch_id, replaced


def _failure(con, report: FileReport, error: BaseException) -> FileReport:
    """What a failed store tells the person: a Problem without server paths."""
    if isinstance(error, (Forbidden, BatchGone)):
        return report.fail(error.problem)
    if isinstance(error, batches.DuplicateBatch):  # another session stored the same bytes a moment ago
        duplicate = FileReport(file=report.file, sha256=report.sha256, status="duplicate",
                               duplicate_of=batches.find_batch_by_sha(con, report.sha256))
        return duplicate
    if isinstance(error, Busy):
        return report.fail(Problem("busy"))
    if isinstance(error, OSError):
        log.warning("original of %s not kept: %s", report.file, error)
        return report.fail(Problem("original-not-saved", {"reason": type(error).__name__}))
    if not isinstance(error, Exception):
        raise error  # KeyboardInterrupt, SystemExit: after the clean-up, let them through
    if isinstance(error, NotSameFile):
        raise error  # misuse: the pages offer replacement only within a file's lineage
    log.exception("storing %s failed", report.file)
    return report.fail(Problem("store-failed", {"reason": type(error).__name__}))
