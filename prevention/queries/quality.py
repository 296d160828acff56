"""Data-quality checks: who reported for which month, unusual people-per-event figures and the same event in two
batches (summaries against the event logs inside them: prevention.queries.reconcile).

Each check is a function (con, Filters, ...) -> DataFrame with `?` parameters on its own cursor, reusing the
dashboard's filter clause. Nothing here imports Streamlit.
"""
from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd

from prevention.queries import periods
from prevention.queries.activity import NOT_GIVEN, where_clause
from prevention.queries.filters import Filters

MAX_MONTHS = 60          # the completeness grid shows at most five years (the latest ones)
OUTLIER_K = 3.0          # flagged above Q3 + k·IQR (or below Q1 − k·IQR) of the record's event form
OUTLIER_MIN_GROUP = 8    # quartiles of fewer records say nothing
OUTLIER_LIMIT = 500

def _and(where: str) -> str:
    """A where_clause() result as extra conditions: "" or " AND ..."."""
    return " AND " + where[len("WHERE "):] if where else ""


def _df(con: duckdb.DuckDBPyConnection, sql: str, params: list) -> pd.DataFrame:
    return con.cursor().execute(sql, params).df()


# ---------------------------------------------------------------- completeness

def month_span(con: duckdb.DuckDBPyConnection, f: Filters) -> tuple[date, date] | None:
    """First and last month of the grid: the filter's period, else the data's; at most MAX_MONTHS months."""
    low, high = con.cursor().execute("SELECT min(period_start), max(period_end) FROM activity_record").fetchone()
    start = f.date_from or low
    end = f.date_to or high
    if start is None or end is None or start > end:
        return None
    start, end = date(start.year, start.month, 1), date(end.year, end.month, 1)
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    if months > MAX_MONTHS:
        back = end.year * 12 + end.month - 1 - (MAX_MONTHS - 1)
        start = date(back // 12, back % 12 + 1, 1)
    return start, end


def _grid_window(f: Filters, start: date, end: date) -> Filters:
    """The window the grid counts in: the filter's period, its open ends (and a cut to MAX_MONTHS) from the grid."""
    last = (pd.Timestamp(end) + pd.offsets.MonthEnd(0)).date()
    first = start if f.date_from is None or f.date_from < start else f.date_from
    return Filters(first, f.date_to or last)


GRID_COLUMNS = ["region_code", "region", "month", "records", "events", "participants", "summaries",
                "summary_events", "summary_start", "summary_end", "summary_kind"]


def completeness(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """One row per region (all 20) and month of the period: the event-log records that cover the month (a record
    covers the months from its start to its end) and the counted summary that covers it (`summaries` 0 or 1, its
    events and period; a quarterly summary covers three months). Both follow the period rule in the filter's
    window; only the period filter applies: the grid answers "did the region report", whatever its forms."""
    span = month_span(con, f)
    if span is None:
        return pd.DataFrame(columns=GRID_COLUMNS)
    start, end = span
    grid_window = _grid_window(f, start, end)
    cs, cs_params = periods.counted_cte(periods.counted(con, grid_window).counted)
    window, window_params = periods.window_parts(grid_window)
    return _df(
        con,
        f"""
        WITH {cs}, months AS (
            SELECT unnest(generate_series(?::DATE, ?::DATE, INTERVAL 1 MONTH))::DATE AS month
        ), det AS (
            SELECT region_code, period_start, period_end, count(*) AS records, sum(events) AS events,
                   sum(participants) AS participants
            FROM activity_record WHERE NOT is_summary AND {' AND '.join(window)}
            GROUP BY region_code, period_start, period_end
        ), covered AS (
            SELECT d.region_code, m.month, sum(d.records) AS records, sum(d.events) AS events,
                   sum(d.participants) AS participants
            FROM det d
            JOIN months m ON m.month BETWEEN date_trunc('month', d.period_start) AND date_trunc('month', d.period_end)
            GROUP BY d.region_code, m.month
        ), summarised AS (
            SELECT c.region_code, m.month, count(*) AS summaries, sum(c.events) AS summary_events,
                   min(c.period_start) AS summary_start, max(c.period_end) AS summary_end,
                   any_value(c.kind) AS summary_kind
            FROM cs c
            JOIN months m ON m.month BETWEEN date_trunc('month', c.period_start) AND date_trunc('month', c.period_end)
            GROUP BY c.region_code, m.month
        )
        SELECT r.region_code, r.name_ru AS region, m.month,
               coalesce(c.records, 0)::BIGINT AS records,
               coalesce(c.events, 0)::BIGINT AS events,
               coalesce(c.participants, 0)::BIGINT AS participants,
               coalesce(s.summaries, 0)::BIGINT AS summaries,
               coalesce(s.summary_events, 0)::BIGINT AS summary_events,
               s.summary_start, s.summary_end, s.summary_kind
        FROM region r CROSS JOIN months m
        LEFT JOIN covered c ON c.region_code = r.region_code AND c.month = m.month
        LEFT JOIN summarised s ON s.region_code = r.region_code AND s.month = m.month
        ORDER BY lower(r.name_ru), r.region_code, m.month""",
        cs_params + [start, end] + window_params,
    )


def completeness_summary(grid: pd.DataFrame) -> dict:
    """Counts for the page: months, gaps, regions that reported every month, regions that never did."""
    if grid.empty:
        return {"months": 0, "gaps": 0, "complete_regions": 0, "silent_regions": 0, "cells": 0}
    covered = (grid["records"] > 0) | (grid["summaries"] > 0)
    reported = grid.assign(sent=covered).groupby("region_code")["sent"]
    return {
        "months": int(grid["month"].nunique()),
        "cells": len(grid),
        "gaps": int((~covered).sum()),
        "complete_regions": int(reported.all().sum()),
        "silent_regions": int((~reported.any()).sum()),
    }


# ---------------------------------------------------------------- outliers

def outliers(con: duckdb.DuckDBPyConnection, f: Filters, k: float = OUTLIER_K,
             min_group: int = OUTLIER_MIN_GROUP, limit: int = OUTLIER_LIMIT) -> pd.DataFrame:
    """Records whose participants per event lie far outside the usual range of their event form.

    The usual range comes from every stored record of the form (quartiles of participants / events); a record
    is flagged above Q3 + k·IQR or below Q1 − k·IQR, where the IQR counts as at least half the median (so a
    form whose records are all "30" does not flag a 31). Forms with fewer than `min_group` records are skipped.
    Only filtered records are listed, the most extreme first."""
    where, params = where_clause(f, "p")
    return _df(
        con,
        f"""
        WITH per AS (
            SELECT a.*, a.participants::DOUBLE / a.events AS per_event, coalesce(a.event_type, ?) AS form
            FROM activity_record a
            WHERE a.participants IS NOT NULL AND a.events > 0
        ), stats AS (
            SELECT form, count(*) AS n,
                   quantile_cont(per_event, 0.25) AS q1,
                   quantile_cont(per_event, 0.5) AS median,
                   quantile_cont(per_event, 0.75) AS q3
            FROM per GROUP BY form
        ), bounds AS (
            SELECT *, greatest(q3 - q1, median / 2, 1.0) AS spread FROM stats WHERE n >= ?
        )
        SELECT p.batch_id, b.file_name AS source_file, p.source_sheet, p.source_row, p.period_start,
               p.region_code, r.name_ru AS region, p.form AS event_type, p.events, p.participants,
               round(p.per_event, 1) AS per_event, round(s.median, 1) AS usual_median,
               round(greatest(s.q1 - ? * s.spread, 0), 1) AS usual_low, round(s.q3 + ? * s.spread, 1) AS usual_high,
               CASE WHEN p.per_event > s.q3 + ? * s.spread THEN 'high' ELSE 'low' END AS direction
        FROM per p
        JOIN bounds s USING (form)
        JOIN region r ON r.region_code = p.region_code
        JOIN batch b ON b.batch_id = p.batch_id
        WHERE (p.per_event > s.q3 + ? * s.spread OR p.per_event < s.q1 - ? * s.spread) {_and(where)}
        ORDER BY abs(p.per_event - s.median) / s.spread DESC, p.period_start, p.batch_id, p.source_row
        LIMIT ?""",
        [NOT_GIVEN, min_group, k, k, k, k, k, *params, int(limit)],
    )


# ---------------------------------------------------------------- duplicates across batches

def suspected_duplicates(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """Event-level records with the same date, region, venue (case and spaces ignored) and form that sit in
    different batches: probably one event reported twice. Records without a venue are not compared."""
    where, params = where_clause(f, "a")
    return _df(
        con,
        f"""
        WITH keyed AS (
            SELECT a.*, lower(regexp_replace(trim(a.venue), '\\s+', ' ', 'g')) AS venue_key,
                   coalesce(a.event_type, ?) AS form
            FROM activity_record a
            WHERE a.venue IS NOT NULL AND trim(a.venue) <> '' AND a.period_start = a.period_end {_and(where)}
        ), groups AS (
            SELECT period_start, region_code, venue_key, form,
                   any_value(venue) AS venue,
                   count(DISTINCT batch_id) AS batches,
                   count(*) AS records,
                   sum(participants)::BIGINT AS participants,
                   list(DISTINCT batch_id ORDER BY batch_id) AS batch_ids
            FROM keyed
            GROUP BY period_start, region_code, venue_key, form
            HAVING count(DISTINCT batch_id) > 1
        )
        SELECT g.period_start, g.region_code, r.name_ru AS region, g.venue, g.form AS event_type,
               g.records, g.participants, g.batches,
               array_to_string(g.batch_ids, ', ') AS batch_list,
               (SELECT string_agg(b.file_name, '; ' ORDER BY b.batch_id) FROM batch b
                WHERE list_contains(g.batch_ids, b.batch_id)) AS files
        FROM groups g JOIN region r USING (region_code)
        ORDER BY g.period_start, r.name_ru, g.venue""",
        [NOT_GIVEN, *params],
    )


# ---------------------------------------------------------------- the same region and period from two sources

def source_overlaps(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """Pairs of batches from different files (different names, case aside) holding records of the same region
    over overlapping periods: possibly the same events reported by two sources. Both stay loaded and counted;
    nothing is merged or replaced silently, an analyst looks at them (and deletes one if it is a copy)."""
    where, params = where_clause(f, "a")
    return _df(
        con,
        f"""
        WITH cover AS (
            SELECT a.batch_id, a.region_code, min(a.period_start) AS first_day, max(a.period_end) AS last_day,
                   count(*)::BIGINT AS records
            FROM activity_record a JOIN batch b USING (batch_id)
            WHERE NOT b.is_demo {_and(where)}
            GROUP BY a.batch_id, a.region_code
        )
        SELECT x.region_code, r.name_ru AS region, greatest(x.first_day, y.first_day) AS overlap_start,
               least(x.last_day, y.last_day) AS overlap_end,
               x.batch_id AS first_batch, b1.file_name AS first_file, x.records AS first_records,
               y.batch_id AS second_batch, b2.file_name AS second_file, y.records AS second_records
        FROM cover x
        JOIN cover y ON y.region_code = x.region_code AND y.batch_id > x.batch_id
                    AND y.first_day <= x.last_day AND x.first_day <= y.last_day
        JOIN batch b1 ON b1.batch_id = x.batch_id
        JOIN batch b2 ON b2.batch_id = y.batch_id
        JOIN region r ON r.region_code = x.region_code
        WHERE lower(trim(b1.file_name)) <> lower(trim(b2.file_name)) AND b1.shape = b2.shape
          AND b1.fixes_batch_id IS DISTINCT FROM y.batch_id AND b2.fixes_batch_id IS DISTINCT FROM x.batch_id
        ORDER BY overlap_start, r.name_ru, x.batch_id, y.batch_id""",
        params,
    )
