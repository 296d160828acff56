"""What the figures of a filter are made of: one query, then plain derivations.

`record_parts(con, f)` reads the filtered event-log records of the window once, grouped by region and period, marks
each group `inside` a counted summary of its region or not (periods), and returns them by region and month beside
the counted summaries: a few hundred rows. The KPIs, the regions, the trend, the breakdowns' own bar and the median
comparison are all derived from that frame (`kpis_of`, `region_totals_of`, `rest_of`; trend.trend_of), so a page
that shows them all reads the million rows once per filter (the app caches the frame per filter and data version).
Nothing here imports Streamlit.
"""
from __future__ import annotations

from datetime import timedelta

import duckdb
import pandas as pd

from prevention.queries import detail, periods
from prevention.queries.filters import Filters

COUNTS = ("events", "participants", "students")
PART_COLUMNS = ["region_code", "part", "period_start", "period_end", "kind", "fit", *COUNTS, "records"]


# Event-log records grouped before they are compared with the counted summaries: by region and exact period in
# general; by region and the months the period starts and ends in when every counted summary is whole months (the
# usual case: month, quarter, half-year, nine months, year), which groups a million rows about a third faster and
# decides the same (a period inside whole months [m1, m2] exactly when its months are).
_EXACT = ("period_start", "period_end", "date_trunc('month', period_start)::DATE")
_MONTHS = ("year(period_start) * 12 + month(period_start) - 1", "year(period_end) * 12 + month(period_end) - 1",
           "make_date((period_start // 12)::BIGINT, (period_start % 12 + 1)::BIGINT, 1)")


def _whole_months(summaries) -> bool:
    return all(s.period_start.day == 1 and (s.period_end + timedelta(days=1)).day == 1 for s in summaries)


def record_parts(con: duckdb.DuckDBPyConnection, f: Filters, rollup: bool = True) -> pd.DataFrame:
    """The counted records and the detail of counted summaries, small: `part` "counted" (event-log records the
    totals count) or "inside" (event-log records inside a counted summary: its detail), by region and the month they
    start in (`period_start`; `fit` of the summary they lie in), and "summary" (one row per counted summary: its
    period, `kind` and `fit`, the index in periods.UNITS of the finest unit holding it, periods.NO_UNIT if none).
    The event-log rows have fit 0 when counted (a month), else the fit of the summary they lie in.

    When every counted summary is whole months, the event-log records are read as monthly sums (queries.detail:
    activity_month for the whole months of the window, the records at its edges); `rollup=False` reads every record
    (the reference the tests compare with)."""
    selection = periods.counted(con, f)
    cs, params = periods.counted_cte(selection.counted)
    whole = _whole_months(selection.counted)
    start, end, month = _MONTHS if whole else _EXACT
    c_start, c_end = (x.replace("period_", "c.period_") for x in (start, end))
    if whole and rollup:
        relation, extra = detail.months(f)
        det = f"""SELECT region_code, start_month AS period_start, end_month AS period_end, sum(events) AS events,
                         sum(participants) AS participants, sum(students) AS students, sum(records) AS records
                  FROM ({relation}) GROUP BY 1, 2, 3"""
    else:
        more, extra = periods.conditions(f)
        det = f"""SELECT region_code, {start} AS period_start, {end} AS period_end, sum(events) AS events,
                         sum(participants) AS participants, sum(students) AS students, count(*) AS records
                  FROM activity_record WHERE NOT is_summary {more}
                  GROUP BY 1, 2, 3"""
    frame = con.cursor().execute(
        f"""WITH {cs}, det AS ({det}), flagged AS (
            SELECT d.*, c.region_code IS NOT NULL AS inside, c.fit AS inside_fit
            FROM det d LEFT JOIN cs c ON c.region_code = d.region_code AND d.period_start >= {c_start}
                                     AND d.period_end <= {c_end}
        )
        SELECT region_code, CASE WHEN inside THEN 'inside' ELSE 'counted' END AS part,
               {month} AS period_start, NULL::DATE AS period_end,
               NULL::VARCHAR AS kind, coalesce(inside_fit, 0)::INTEGER AS fit,
               coalesce(sum(events), 0)::BIGINT AS events, coalesce(sum(participants), 0)::BIGINT AS participants,
               coalesce(sum(students), 0)::BIGINT AS students, sum(records)::BIGINT AS records
        FROM flagged GROUP BY region_code, inside, inside_fit, 3
        UNION ALL
        SELECT region_code, 'summary', period_start, period_end, kind, fit,
               coalesce(events, 0), coalesce(participants, 0), coalesce(students, 0), records
        FROM cs
        ORDER BY 1, 2, 3""",
        params + extra,
    ).df()
    return frame[PART_COLUMNS]


def counted_of(parts: pd.DataFrame) -> pd.DataFrame:
    """The parts the totals count: event-log records outside counted summaries and the counted summaries."""
    return parts[parts["part"] != "inside"]


def kpis_of(parts: pd.DataFrame) -> dict:
    counted = (parts["part"] != "inside").to_numpy()
    events, participants, students = (int(parts[m].to_numpy()[counted].sum()) for m in COUNTS)
    records = parts["records"].to_numpy()
    reporting = parts["region_code"].to_numpy()[counted & (records > 0)]
    return {
        "events": events,
        "participants": participants,
        "students": students,
        "students_per_event": students / events if events else None,
        "participants_per_event": participants / events if events else None,
        "regions_reporting": len(set(reporting)),
        "records": int(records[counted].sum()),
        "detail_records": int(records[~counted].sum()),
    }


def region_totals_of(parts: pd.DataFrame) -> pd.DataFrame:
    """Counted events, participants and students per region (only regions with counted records)."""
    return counted_of(parts).groupby("region_code")[list(COUNTS)].sum().astype("int64")


def rest_of(parts: pd.DataFrame) -> dict | None:
    """The part of the counted summaries that has no breakdown: their totals minus the event-log records inside
    them, per metric (negative where the logs exceed their summaries); None without counted summaries."""
    summaries = parts[parts["part"] == "summary"]
    if summaries.empty:
        return None
    inside = parts[parts["part"] == "inside"]
    return {m: int(summaries[m].sum()) - int(inside[m].sum()) for m in COUNTS}
