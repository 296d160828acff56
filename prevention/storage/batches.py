"""Writing and deleting batches: one transaction per file, nothing half-written."""
from __future__ import annotations

import json
from dataclasses import dataclass

import duckdb

from prevention.storage.db import bump_data_version, period_kind_sql

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
    shape: str  # "events" | "summary"
    rows_read: int
    rows_loaded: int
    rows_skipped: int
    rows_rejected: int
    loaded_by: str | None = None
    is_demo: bool = False


def find_batch_by_sha(con: duckdb.DuckDBPyConnection, sha256: str) -> dict | None:
    cur = con.cursor()
    row = cur.execute(
        "SELECT batch_id, file_name, loaded_at, loaded_by FROM batch WHERE sha256 = ? ORDER BY batch_id LIMIT 1",
        [sha256],
    ).fetchone()
    if row is None:
        return None
    return {"batch_id": row[0], "file_name": row[1], "loaded_at": row[2], "loaded_by": row[3]}


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
    path never imports pandas (a second of start-up for the CLI)."""
    if isinstance(records, dict):
        import numpy as np

        length = len(next(iter(records.values()), []))
        empty = np.array([None] * length, dtype=object)
        return {c: np.array(records[c], dtype=object) if c in records else empty for c in RECORD_COLUMNS}, length
    frame = records_frame(records)
    return frame, len(frame)


def store_batch(
    con: duckdb.DuckDBPyConnection,
    info: BatchInfo,
    records,
    rejected: list[dict] | None = None,
    replace_batch_id: int | None = None,
    population: list[dict] | None = None,
) -> int:
    """Insert a batch, its records and its rejected rows in one transaction; return the batch id.

    `records`: a pandas DataFrame, a list of dicts or a dict of column lists, with RECORD_COLUMNS.
    `rejected` items: {"source_sheet", "source_row", "raw_values": dict, "errors": [{"column","code","message"}]}.
    With `replace_batch_id`, that batch is deleted in the same transaction. `population` items (reference data
    for per-10,000 rates): {"region_code", "district" (None for the whole region), "year", "population"}.
    """
    cur = con.cursor()
    relation, length = _relation(records)
    cur.execute("BEGIN TRANSACTION")
    try:
        earlier = cur.execute("SELECT batch_id FROM batch WHERE sha256 = ? AND batch_id IS DISTINCT FROM ?",
                              [info.sha256, replace_batch_id]).fetchone()
        if earlier is not None:
            raise DuplicateBatch(earlier[0])
        if replace_batch_id is not None:
            _delete_rows(cur, replace_batch_id)
        batch_id = cur.execute(
            """INSERT INTO batch (file_name, sha256, size_bytes, shape, loaded_by, rows_read, rows_loaded,
                                  rows_skipped, rows_rejected, is_demo)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING batch_id""",
            [info.file_name, info.sha256, info.size_bytes, info.shape, info.loaded_by, info.rows_read,
             info.rows_loaded, info.rows_skipped, info.rows_rejected, info.is_demo],
        ).fetchone()[0]
        if length:
            _insert_records(cur, relation, batch_id, info.shape == "summary")
        if population:
            cur.executemany(
                "INSERT INTO population VALUES (?, ?, ?, ?, ?)",
                [[batch_id, p["region_code"], p.get("district"), p["year"], p["population"]] for p in population],
            )
        if rejected:
            cur.executemany(
                "INSERT INTO rejected_record VALUES (?, ?, ?, ?, ?)",
                [
                    [batch_id, r.get("source_sheet"), r.get("source_row"),
                     json.dumps(r.get("raw_values", {}), ensure_ascii=False, default=str),
                     json.dumps(r.get("errors", []), ensure_ascii=False)]
                    for r in rejected
                ],
            )
        bump_data_version(cur)  # also serialises concurrent loads: two transactions cannot both update it
        cur.execute("COMMIT")
    except BaseException:
        cur.execute("ROLLBACK")
        raise
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
    cur.execute(f"INSERT INTO activity_record (batch_id, is_summary, {cols}) SELECT ?, ?, {select} FROM incoming_records",
                [batch_id, is_summary])
    cur.unregister("incoming_records")


def _delete_rows(cur: duckdb.DuckDBPyConnection, batch_id: int) -> int:
    found = cur.execute("SELECT count(*) FROM batch WHERE batch_id = ?", [batch_id]).fetchone()[0]
    cur.execute("DELETE FROM activity_record WHERE batch_id = ?", [batch_id])
    cur.execute("DELETE FROM rejected_record WHERE batch_id = ?", [batch_id])
    cur.execute("DELETE FROM population WHERE batch_id = ?", [batch_id])
    cur.execute("DELETE FROM batch WHERE batch_id = ?", [batch_id])
    return found


def delete_batch(con: duckdb.DuckDBPyConnection, batch_id: int) -> bool:
    """Delete a batch with all its rows in one transaction. False when there was no such batch."""
    cur = con.cursor()
    cur.execute("BEGIN TRANSACTION")
    try:
        found = _delete_rows(cur, batch_id)
        if found:
            bump_data_version(cur)
        cur.execute("COMMIT")
    except BaseException:
        cur.execute("ROLLBACK")
        raise
    return bool(found)


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
                  rows_read, rows_loaded, rows_skipped, rows_rejected, is_demo
           FROM batch ORDER BY batch_id"""
    ).df()


def rejected_rows(con: duckdb.DuckDBPyConnection, batch_id: int) -> list[dict]:
    rows = con.cursor().execute(
        "SELECT source_sheet, source_row, raw_values, errors FROM rejected_record WHERE batch_id = ? ORDER BY source_sheet, source_row",
        [batch_id],
    ).fetchall()
    return [
        {"source_sheet": s, "source_row": r, "raw_values": json.loads(raw), "errors": json.loads(err)}
        for s, r, raw, err in rows
    ]
