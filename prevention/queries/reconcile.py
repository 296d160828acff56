"""Summaries against the event logs inside them, and the conflicts among summaries (the quality page).

For each region and summary period in the window: the summary's figures beside the sum of the event-log records of
its region whose whole period lies inside it, the difference, and a flag where the logs exceed the summary; whether
the summary counts (prevention.queries.periods) and, if not, which summary counts instead. Nothing here imports
Streamlit.
"""
from __future__ import annotations

import duckdb
import pandas as pd

from prevention.queries import periods
from prevention.queries.filters import Filters

COUNTS = ("events", "participants", "students")
RECONCILIATION_COLUMNS = [
    "region_code", "region", "period_start", "period_end", "period_kind", "batch_id", "source_file", "status",
    "instead_batch", *(f"summary_{m}" for m in COUNTS), "detail_records", *(f"detail_{m}" for m in COUNTS),
    *(f"difference_{m}" for m in COUNTS), "exceeds",
]
CONFLICT_COLUMNS = ["region_code", "region", "period_start", "period_end", "batch_id", "source_file",
                    "counted_start", "counted_end", "counted_batch", "counted_file"]


def _summaries(con: duckdb.DuckDBPyConnection, f: Filters) -> periods.Selection:
    """Every summary in the window of the filtered regions (a form or audience filter does not apply here)."""
    return periods.select(periods.summaries_in_window(con, Filters(f.date_from, f.date_to, tuple(f.regions))))


def _names(con: duckdb.DuckDBPyConnection) -> tuple[dict, dict]:
    cur = con.cursor()
    regions = dict(cur.execute("SELECT region_code, name_ru FROM region").fetchall())
    files = dict(con.cursor().execute("SELECT batch_id, file_name FROM batch").fetchall())
    return regions, files


def _detail_inside(con: duckdb.DuckDBPyConnection, units: list[periods.Summary]) -> pd.DataFrame:
    """For each summary (by its position in `units`): the event-log records of its region inside its period."""
    cs, params = periods.counted_cte(units)
    return con.cursor().execute(
        f"""WITH {cs}, numbered AS (SELECT row_number() OVER () - 1 AS idx, * FROM cs),
        det AS (
            SELECT region_code, period_start, period_end, count(*) AS records, sum(events) AS events,
                   sum(participants) AS participants, sum(students) AS students
            FROM activity_record
            WHERE NOT is_summary AND region_code IN (SELECT region_code FROM cs)
              AND period_start >= (SELECT min(period_start) FROM cs) AND period_end <= (SELECT max(period_end) FROM cs)
            GROUP BY region_code, period_start, period_end
        )
        SELECT n.idx, coalesce(sum(d.records), 0)::BIGINT AS records, sum(d.events)::BIGINT AS events,
               sum(d.participants)::BIGINT AS participants, sum(d.students)::BIGINT AS students
        FROM numbered n LEFT JOIN det d ON d.region_code = n.region_code AND d.period_start >= n.period_start
                                       AND d.period_end <= n.period_end
        GROUP BY n.idx ORDER BY n.idx""",
        params,
    ).df()


def _exceeds(summary: periods.Summary, detail: dict) -> bool:
    """The logs hold more than the summary on a figure the summary gives."""
    return any(getattr(summary, m) is not None and detail[m] is not None and detail[m] > getattr(summary, m)
               for m in COUNTS)


def reconciliation(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """One row per summary in the window (region, period, batch): its status ("counted", "conflict", "nested",
    "overlapped") and the batch counted instead, its figures, the event-log records inside it, the differences
    (summary minus logs) and `exceeds` (the logs give more than the summary)."""
    selection = _summaries(con, f)
    status = selection.status()
    units = sorted(status, key=lambda s: (s.region_code, s.period_start, s.period_end, s.batch_id))
    if not units:
        return pd.DataFrame(columns=RECONCILIATION_COLUMNS)
    inside = _detail_inside(con, units).set_index("idx")
    regions, files = _names(con)
    rows = []
    for idx, s in enumerate(units):
        found = inside.loc[idx]
        records = int(found["records"])  # without records inside, the logs give 0; with them, NULL stays unknown
        detail = {m: (0 if not records else None) if pd.isna(found[m]) else int(found[m]) for m in COUNTS}
        state, instead = status[s]
        rows.append({
            "region_code": s.region_code, "region": regions.get(s.region_code), "period_start": s.period_start,
            "period_end": s.period_end, "period_kind": s.kind, "batch_id": s.batch_id,
            "source_file": files.get(s.batch_id), "status": state,
            "instead_batch": instead.batch_id if instead is not None else None,
            **{f"summary_{m}": getattr(s, m) for m in COUNTS}, "detail_records": records,
            **{f"detail_{m}": detail[m] for m in COUNTS},
            **{f"difference_{m}": None if getattr(s, m) is None else getattr(s, m) - (detail[m] or 0) for m in COUNTS},
            "exceeds": _exceeds(s, detail),
        })
    frame = pd.DataFrame(rows, columns=RECONCILIATION_COLUMNS)
    for column in ("period_start", "period_end"):
        frame[column] = pd.to_datetime(frame[column])
    numbers = [c for c in RECONCILIATION_COLUMNS if c.startswith(("summary_", "detail_", "difference_"))]
    return frame.astype({c: "Int64" for c in numbers + ["instead_batch"]})


def conflicts(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """Summaries of one region whose periods overlap without one holding the other, or the same period from two
    batches: the one left out and the one counted instead (the newer batch) until an analyst resolves it."""
    selection = _summaries(con, f)
    if not selection.conflicts:
        return pd.DataFrame(columns=CONFLICT_COLUMNS)
    regions, files = _names(con)
    frame = pd.DataFrame([
        {"region_code": lost.region_code, "region": regions.get(lost.region_code), "period_start": lost.period_start,
         "period_end": lost.period_end, "batch_id": lost.batch_id, "source_file": files.get(lost.batch_id),
         "counted_start": kept.period_start, "counted_end": kept.period_end, "counted_batch": kept.batch_id,
         "counted_file": files.get(kept.batch_id)}
        for lost, kept in selection.conflicts], columns=CONFLICT_COLUMNS)
    for column in ("period_start", "period_end", "counted_start", "counted_end"):
        frame[column] = pd.to_datetime(frame[column])
    return frame
