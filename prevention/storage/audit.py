"""The audit log: who did what and when. Append-only from the interface (no update or delete here)."""
from __future__ import annotations

import json
from datetime import date, datetime
from typing import TYPE_CHECKING

import duckdb

if TYPE_CHECKING:
    import pandas as pd

from prevention.storage.transaction import write_transaction

ACTIONS = ("sign-in", "sign-in-failed", "sign-out", "upload", "replace", "delete", "export", "user-change")
_SECRET_KEYS = {"password", "password_hash", "secret", "token"}


def record(cur: duckdb.DuckDBPyConnection, username: str | None, action: str, **details) -> None:
    """Append one entry inside the caller's transaction (`cur` is its cursor). Keys that could hold secrets are
    refused, never stored."""
    leaked = _SECRET_KEYS & {k.lower() for k in details}
    if leaked:
        raise ValueError(f"the audit log never stores {sorted(leaked)}")
    cur.execute("INSERT INTO audit_log (username, action, details) VALUES (?, ?, ?)",
                [username, action, json.dumps(details, ensure_ascii=False, default=str)])


def append(con: duckdb.DuckDBPyConnection, username: str | None, action: str, **details) -> None:
    """Append one entry in a write transaction of its own (sign-out, exports: nothing else changes)."""
    with write_transaction(con) as cur:
        record(cur, username, action, **details)


def last_change_of_batch(con: duckdb.DuckDBPyConnection, batch_id: int) -> dict | None:
    """Who deleted or replaced a batch, and when: {"username", "action", "logged_at", "batch_id" (the new one)}."""
    rows = con.cursor().execute(
        "SELECT logged_at, username, action, details FROM audit_log WHERE action IN ('delete', 'replace') "
        "ORDER BY audit_id DESC LIMIT 500").fetchall()
    for logged_at, username, action, details in rows:
        data = json.loads(details)
        old = data.get("batch_id") if action == "delete" else data.get("replaced_batch_id")
        if old == batch_id:
            return {"username": username, "action": action, "logged_at": logged_at,
                    "batch_id": data.get("batch_id") if action == "replace" else None}
    return None


def entries(con: duckdb.DuckDBPyConnection, *, username: str | None = None, action: str | None = None,
            date_from: date | None = None, date_to: date | None = None, limit: int = 1000) -> pd.DataFrame:
    """Newest first, filtered by user, action and day."""
    clauses, params = [], []
    if username:
        clauses.append("username = ?")
        params.append(username)
    if action:
        clauses.append("action = ?")
        params.append(action)
    if date_from:
        clauses.append("logged_at >= ?")
        params.append(datetime.combine(date_from, datetime.min.time()))
    if date_to:
        clauses.append("logged_at < ? + INTERVAL 1 DAY")
        params.append(datetime.combine(date_to, datetime.min.time()))
    where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
    return con.cursor().execute(
        f"SELECT audit_id, logged_at, username, action, details FROM audit_log {where} "
        f"ORDER BY audit_id DESC LIMIT ?", params + [int(limit)]).df()
