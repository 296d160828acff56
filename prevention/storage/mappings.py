"""Analysts' column corrections, remembered for files with the same headers."""
from __future__ import annotations

import hashlib
import json

import duckdb


def header_signature(headers: list[str]) -> str:
    """sha256 of the flattened header list (all tables of a file, in order)."""
    return hashlib.sha256(json.dumps(list(headers), ensure_ascii=False).encode("utf-8")).hexdigest()


def remembered_mapping(con: duckdb.DuckDBPyConnection, signature: str) -> dict | None:
    """{"overrides": {header: field or None}, "updated_by", "updated_at"} for files with these headers, or None."""
    row = con.cursor().execute(
        "SELECT overrides, updated_by, updated_at FROM mapping_memory WHERE signature = ?", [signature]
    ).fetchone()
    if row is None:
        return None
    return {"overrides": json.loads(row[0]), "updated_by": row[1], "updated_at": row[2]}


def remember_mapping(con: duckdb.DuckDBPyConnection, signature: str, headers: list[str], overrides: dict,
                     username: str | None) -> None:
    """Store (or replace) an analyst's corrections for files with these headers; an empty correction forgets.
    Runs on `con` itself: the load use case passes the cursor of its transaction."""
    cur = con
    if not overrides:
        cur.execute("DELETE FROM mapping_memory WHERE signature = ?", [signature])
        return
    cur.execute(
        """INSERT INTO mapping_memory (signature, headers, overrides, updated_by, updated_at)
           VALUES (?, ?, ?, ?, current_localtimestamp())
           ON CONFLICT (signature) DO UPDATE SET headers = excluded.headers, overrides = excluded.overrides,
               updated_by = excluded.updated_by, updated_at = excluded.updated_at""",
        [signature, json.dumps(list(headers), ensure_ascii=False), json.dumps(overrides, ensure_ascii=False),
         username],
    )

