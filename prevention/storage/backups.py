"""A database as a folder of Parquet files and back: DuckDB's EXPORT DATABASE / IMPORT DATABASE, with the row
count of every table (the manifest checks a restore against them)."""
from __future__ import annotations

from pathlib import Path

import duckdb

from prevention.storage.transaction import WRITE_LOCK


def table_rows(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Every table of the database and its number of rows."""
    cur = con.cursor()
    names = [r[0] for r in cur.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main' "
        "ORDER BY table_name").fetchall()]
    return {name: cur.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in names}


def export_database(con: duckdb.DuckDBPyConnection, folder: Path) -> tuple[dict[str, int], list[tuple]]:
    """Write the database to `folder` (schema.sql, load.sql, one Parquet file per table); returns the tables' row
    counts and the batches' (batch_id, sha256, file_name), all of one moment: this process's writes wait meanwhile
    (and another process cannot write: it would need the file)."""
    with WRITE_LOCK:
        cur = con.cursor()
        cur.execute("BEGIN TRANSACTION")
        try:
            rows = table_rows(cur)
            kept = cur.execute("SELECT batch_id, sha256, file_name FROM batch ORDER BY batch_id").fetchall()
            cur.execute(f"EXPORT DATABASE '{_quoted(folder)}' (FORMAT parquet)")
        finally:
            cur.execute("ROLLBACK")  # nothing was changed
    return rows, kept


def import_database(con: duckdb.DuckDBPyConnection, folder: Path) -> dict[str, int]:
    """Import an exported folder into `con` (a database without tables); returns the tables' row counts."""
    con.execute(f"IMPORT DATABASE '{_quoted(folder)}'")
    return table_rows(con)


def _quoted(path: Path) -> str:
    return str(path).replace("'", "''")
