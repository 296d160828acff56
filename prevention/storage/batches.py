"""Writing and deleting batches inside the caller's transaction (the load use case holds it), nothing half-written."""
from __future__ import annotations

import json
from dataclasses import dataclass, field

import duckdb

from prevention.storage import rollup
from prevention.storage.db import bump_data_version, period_kind_sql
from prevention.storage.transaction import write_transaction

# Columns of activity_record filled by a loader, in table order (batch_id comes first and is added here).
RECORD_COLUMNS = [
    "source_sheet", "source_row", "region_code", "region_text", "district",
    "period_start", "period_end", "period_kind", "events", "participants", "students",
    "schoolchildren", "parents", "teachers", "event_type", "audience",
    "venue", "organizer", "description",
]
COUNT_COLUMNS = ["events", "participants", "students", "schoolchildren", "parents", "teachers"]


class DuplicateBatch(Exception):
    "The same bytes were stored already (perhaps by another session a moment ago)."

    def __init__(self, batch_id: int):
        super().__init__(f"already stored as batch {batch_id}")
        self.batch_id = batch_id


@dataclass
class BatchInfo:
    """What is known of a file before it is stored."""
    file_name: str
    sha256: str
    size_bytes: int
    shape: str  # "events" | "summary" | "population"
    rows_read: int
    rows_loaded: int
    rows_skipped: int
    rows_rejected: int
    loaded_by: str | None = None
    is_demo: bool = False
    fixes_batch_id: int | None = None        # the batch whose corrected rejected rows this file holds
    warnings: list[dict] = field(default_factory=list)  # Problem.to_dict() of what the reader was unsure of


def find_batch_by_sha(con: duckdb.DuckDBPyConnection, sha256: str) -> dict | None:
    """The batch holding these bytes, or the batch they were loaded as before a replacement (`replaced_by`)."""
    cur = con.cursor()
    row = cur.execute(
        "SELECT batch_id, file_name, loaded_at, loaded_by FROM batch WHERE sha256 = ? ORDER BY batch_id LIMIT 1",
        [sha256],
    ).fetchone()
    if row is not None:
        return {"batch_id": row[0], "file_name": row[1], "loaded_at": row[2], "loaded_by": row[3]}
    row = cur.execute(
        "SELECT batch_id, file_name, replaced_at, replaced_by, replaced_by_batch FROM replaced_file WHERE sha256 = ? "
        "ORDER BY replaced_at DESC LIMIT 1", [sha256]).fetchone()
    if row is None:
        return None
    return {"batch_id": row[0], "file_name": row[1], "loaded_at": row[2], "loaded_by": row[3], "replaced_by": row[4]}


def batch_row(cur: duckdb.DuckDBPyConnection, batch_id: int) -> dict | None:
    """One batch's identity (id, file, bytes, rows), read inside the caller's transaction."""
    row = cur.execute("SELECT batch_id, file_name, sha256, rows_loaded, is_demo FROM batch WHERE batch_id = ?",
                      [int(batch_id)]).fetchone()
    if row is None:
        return None
    return dict(zip(("batch_id", "file_name", "sha256", "rows_loaded", "is_demo"), row))


SQL_TYPES = {**{c: "INTEGER" for c in COUNT_COLUMNS + ["source_row"]}, "period_start": "DATE", "period_end": "DATE"}


def records_frame(records):
    """Records (a DataFrame, a list of dicts or a dict of column lists) as a pandas frame with exactly
    RECORD_COLUMNS, counts as nullable integers."""
    import pandas as pd

    frame = records if isinstance(records, pd.DataFrame) else pd.DataFrame(records)
    frame = frame.reindex(columns=RECORD_COLUMNS)
    for col in COUNT_COLUMNS + ["source_row"]:
        if frame[col].dtype == object or frame[col].dtype == "float64":
            frame[col] = pd.array(frame[col], dtype="Int64")
    return frame


def _relation(records) -> tuple[object, int]:
    """Something DuckDB can scan, and its row count. Column lists become NumPy object arrays, so the loaders'
    path never imports pandas (a second of start-up for the CLI). Fields the table lacks are left out."""
    if isinstance(records, dict):
        import numpy as np

        length = len(next(iter(records.values()), []))
        empty = np.array([None] * length, dtype=object)
        return {c: np.array(records[c], dtype=object) if c in records else empty for c in RECORD_COLUMNS}, length
    frame = records_frame(records)
    return frame, len(frame)


def insert_batch(cur: duckdb.DuckDBPyConnection, info: BatchInfo, records, rejected: list[dict] | None = None,
                 population: list[dict] | None = None) -> int:
    """Insert a batch with its records, rejected rows and population rows inside the caller's transaction.

    `rejected` items: {"sheet", "row", "raw_values": dict, "problems": [Problem.to_dict()]} (the reader's shape;
    the older {"source_sheet", "source_row", "errors"} is read too). Raises DuplicateBatch when the bytes are
    stored already."""
    earlier = cur.execute("SELECT batch_id FROM batch WHERE sha256 = ?", [info.sha256]).fetchone()
    if earlier is not None:
        raise DuplicateBatch(earlier[0])
    batch_id = cur.execute(
        """INSERT INTO batch (file_name, sha256, size_bytes, shape, loaded_by, rows_read, rows_loaded,
                              rows_skipped, rows_rejected, is_demo, fixes_batch_id, warnings)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING batch_id""",
        [info.file_name, info.sha256, info.size_bytes, info.shape, info.loaded_by, info.rows_read,
         info.rows_loaded, info.rows_skipped, info.rows_rejected, info.is_demo, info.fixes_batch_id,
         json.dumps(info.warnings, ensure_ascii=False, default=str)],
    ).fetchone()[0]
    relation, length = _relation(records)
    if length:
        _insert_records(cur, relation, batch_id, info.shape == "summary")
    if population:
        cur.executemany("INSERT INTO population VALUES (?, ?, ?, ?, ?)",
                        [[batch_id, p["region_code"], p.get("district"), p["year"], p["population"]]
                         for p in population])
    if rejected:
        cur.executemany("INSERT INTO rejected_record VALUES (?, ?, ?, ?, ?)",
                        [_rejected_row(batch_id, r) for r in rejected])
    bump_data_version(cur)
    return batch_id


def _insert_records(cur: duckdb.DuckDBPyConnection, relation, batch_id: int, is_summary: bool) -> None:
    """The records of one batch; a record is a summary when its batch is one (the queries need no join), and its
    period_kind is the loader's, else derived from its dates by the same rule (loaders.period.period_kind)."""
    cur.register("incoming_records", relation)
    cols = ", ".join(RECORD_COLUMNS)
    casts = {c: f"CAST({c} AS {SQL_TYPES.get(c, 'VARCHAR')})" for c in RECORD_COLUMNS}
    casts["period_kind"] = (f"coalesce(CAST(period_kind AS VARCHAR), "
                            f"{period_kind_sql(casts['period_start'], casts['period_end'])})")
    select = ", ".join(casts[c] for c in RECORD_COLUMNS)
    # In date order (rows of one day keep their sheet and row order): DuckDB keeps each block of rows' lowest and
    # highest date, so a query for some months skips the blocks of a batch outside them.
    order = ", ".join(casts[c] for c in ("period_start", "period_end", "source_sheet", "source_row"))
    cur.execute(f"INSERT INTO activity_record (batch_id, is_summary, {cols}) "
                f"SELECT ?, ?, {select} FROM incoming_records ORDER BY {order}", [batch_id, is_summary])
    cur.unregister("incoming_records")
    rollup.add_batch(cur, batch_id)  # the sums kept beside the records, in the same transaction


def _rejected_row(batch_id: int, row: dict) -> list:
    problems = row.get("problems", row.get("errors", []))
    return [batch_id, row.get("sheet", row.get("source_sheet")), row.get("row", row.get("source_row")),
            json.dumps(row.get("raw_values", {}), ensure_ascii=False, default=str),
            json.dumps(problems, ensure_ascii=False, default=str)]


def store_batch(con: duckdb.DuckDBPyConnection, info: BatchInfo, records, rejected: list[dict] | None = None,
                population: list[dict] | None = None) -> int:
    """Insert a batch in a transaction of its own (demo data, fixtures); loads go through the load use case."""
    with write_transaction(con) as cur:
        return insert_batch(cur, info, records, rejected, population)


def delete_rows(cur: duckdb.DuckDBPyConnection, batch_id: int) -> int:
    """Delete a batch with all its rows inside the caller's transaction; returns 1 when it existed, else 0."""
    found = cur.execute("SELECT count(*) FROM batch WHERE batch_id = ?", [batch_id]).fetchone()[0]
    if not found:
        return 0
    rollup.drop_batch(cur, batch_id)
    cur.execute("DELETE FROM activity_record WHERE batch_id = ?", [batch_id])
    cur.execute("DELETE FROM rejected_record WHERE batch_id = ?", [batch_id])
    cur.execute("DELETE FROM population WHERE batch_id = ?", [batch_id])
    cur.execute("DELETE FROM batch WHERE batch_id = ?", [batch_id])
    bump_data_version(cur)
    return found


def remember_replaced(cur: duckdb.DuckDBPyConnection, old: dict, new_batch_id: int, username: str | None) -> None:
    """Keep the replaced batch's bytes known (a later load of them is a duplicate)."""
    cur.execute("INSERT INTO replaced_file (sha256, file_name, batch_id, replaced_by_batch, replaced_by) "
                "VALUES (?, ?, ?, ?, ?)", [old["sha256"], old["file_name"], old["batch_id"], new_batch_id, username])


def delete_batch(con: duckdb.DuckDBPyConnection, batch_id: int) -> bool:
    """Delete a batch with all its rows in one transaction (demo data); pages delete through the use case."""
    with write_transaction(con) as cur:
        return bool(delete_rows(cur, batch_id))


def delete_demo(con: duckdb.DuckDBPyConnection) -> int:
    """Delete every demo batch; returns how many were removed."""
    ids = [r[0] for r in con.cursor().execute("SELECT batch_id FROM batch WHERE is_demo").fetchall()]
    for batch_id in ids:
        delete_batch(con, batch_id)
    return len(ids)


def list_batches(con: duckdb.DuckDBPyConnection):
    """All batches, oldest first, as a pandas DataFrame."""
    return con.cursor().execute(
        """SELECT batch_id, file_name, sha256, size_bytes, shape, loaded_at, loaded_by,
                  rows_read, rows_loaded, rows_skipped, rows_rejected, is_demo, fixes_batch_id
           FROM batch ORDER BY batch_id"""
    ).df()


def rejected_rows(con: duckdb.DuckDBPyConnection, batch_id: int) -> list[dict]:
    """A batch's rejected rows in the reader's shape: sheet, row, raw_values, problems (code, params, column)."""
    rows = con.cursor().execute(
        "SELECT source_sheet, source_row, raw_values, errors FROM rejected_record WHERE batch_id = ? "
        "ORDER BY source_sheet, source_row", [batch_id],
    ).fetchall()
    return [{"sheet": s, "row": r, "raw_values": json.loads(raw), "problems": json.loads(err)}
            for s, r, raw, err in rows]


def batch_warnings(con: duckdb.DuckDBPyConnection, batch_id: int) -> list[dict]:
    row = con.cursor().execute("SELECT warnings FROM batch WHERE batch_id = ?", [batch_id]).fetchone()
    return json.loads(row[0] or "[]") if row else []
