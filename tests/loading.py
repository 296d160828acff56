"""Loading a file in tests the way the CLI does: parse in the reading sandbox, then store one batch.

One place to change when the load use case (prevention.usecases.load) takes over storing."""
from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

from loaders.ingest import Parsed, hashed_report
from loaders.options import ParseOptions
from loaders.problems import LoaderError
from loaders.read import read_path
from loaders.sandbox import parse_isolated
from prevention.storage import batches


def load(con, source, name: str | None = None, *, today: date | None = None, options: ParseOptions | None = None,
         dry_run: bool = False, loaded_by: str | None = None) -> Parsed:
    """Read `source` (a path or bytes) and store it in `con`; returns what was parsed, with the batch id set."""
    if isinstance(source, (bytes, bytearray)):
        data, name = bytes(source), name or "file.xlsx"
    else:
        name = name or Path(source).name
        try:
            data = read_path(source)
        except LoaderError as e:
            return Parsed(hashed_report(b"", name).fail(e.problem))
    earlier = batches.find_batch_by_sha(con, hashlib.sha256(data).hexdigest()) if con is not None else None
    if earlier is not None:
        report = hashed_report(data, name)
        report.status, report.duplicate_of = "duplicate", earlier
        return Parsed(report)
    parsed = parse_isolated(data, name, options=options, today=today)
    report = parsed.report
    report.dry_run = dry_run
    if report.status != "loaded" or dry_run or con is None:
        return parsed
    info = batches.BatchInfo(file_name=name, sha256=report.sha256, size_bytes=len(data), shape=report.shape,
                             rows_read=report.rows_read, rows_loaded=report.rows_loaded,
                             rows_skipped=report.rows_skipped, rows_rejected=report.rows_rejected, loaded_by=loaded_by)
    rejected = [{"source_sheet": r["sheet"], "source_row": r["row"], "raw_values": r["raw_values"],
                 "errors": r["problems"]} for r in parsed.rejected]
    try:
        report.batch_id = batches.store_batch(con, info, parsed.columns, rejected, population=parsed.population)
    except Exception:
        from loaders.problems import Problem

        report.fail(Problem("store-failed"))
    return parsed
