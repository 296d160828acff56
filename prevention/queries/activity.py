"""All SQL of the dashboard: each query a function of a connection and a Filters value.

Every query runs on its own `con.cursor()` (DuckDB refuses a connection shared between threads)
with `?` parameters. Which records a figure counts is the period rule of prevention.queries.periods: the whole
period inside the window, a summary as its region's figure of record, event-log records inside it as its detail.
Aggregations read `activity_record` directly and join `region` or `batch` only where a name is needed. Nothing here
imports Streamlit.
"""
from __future__ import annotations

from datetime import datetime

import duckdb
import pandas as pd

from prevention.queries import periods
from prevention.queries.filters import Filters

# Re-exported, so the app's cached query access finds every query of the pages here by name.
from prevention.queries.periods import left_out_records, where_clause, window_notes  # noqa: F401
from prevention.queries.trend import trend

NOT_GIVEN = "не указано"  # label for a missing event type, audience or district
# The breakdowns' own bar: counted summaries minus the event-log records inside them (it has no form or audience).
SUMMARY_REST = "по сводам, без разбивки"

# Overview metrics compared against the national median, in display order.
MEDIAN_METRICS = ["events", "participants", "students", "students_per_event"]
METRIC_LABELS_RU = {
    "events": "Мероприятия",
    "participants": "Охват (всего)",
    "students": "в т.ч. студентов",
    "students_per_event": "Студентов на мероприятие",
}
COUNT_COLUMNS = ("events", "participants", "students")

# Sums as BIGINT (DuckDB sums INTEGER into HUGEINT, which pandas turns into float).
_TOTALS = """coalesce(sum(events), 0)::BIGINT AS events,
       coalesce(sum(participants), 0)::BIGINT AS participants,
       coalesce(sum(students), 0)::BIGINT AS students"""


def _df(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> pd.DataFrame:
    return con.cursor().execute(sql, params or []).df()


def _row(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> tuple:
    return con.cursor().execute(sql, params or []).fetchone()


# ---------------------------------------------------------------- filter widgets and status

def filter_options(con: duckdb.DuckDBPyConnection) -> dict:
    """Everything the filter sidebar offers: date bounds (from the first period start to the last period end), all
    20 regions and the values in the data."""
    date_min, date_max = _row(con, "SELECT min(period_start), max(period_end) FROM activity_record")
    regions = _df(
        con, "SELECT region_code, name_ru, name_kk, name_en FROM region ORDER BY lower(name_ru), region_code"
    )
    options = {"date_min": date_min, "date_max": date_max, "regions": regions}
    for column, key in (("event_type", "event_types"), ("audience", "audiences"), ("organizer", "organizers")):
        rows = con.cursor().execute(
            f"SELECT DISTINCT {column} FROM activity_record WHERE {column} IS NOT NULL ORDER BY 1"
        ).fetchall()
        options[key] = [r[0] for r in rows]
    return options


def as_of(con: duckdb.DuckDBPyConnection) -> datetime | None:
    """When the newest batch was loaded."""
    return _row(con, "SELECT max(loaded_at) FROM batch")[0]


def has_demo(con: duckdb.DuckDBPyConnection) -> bool:
    return bool(_row(con, "SELECT count(*) FROM batch WHERE is_demo")[0])


def is_empty(con: duckdb.DuckDBPyConnection) -> bool:
    """True when no activity record is stored (population tables alone do not count)."""
    return _row(con, "SELECT count(*) FROM (SELECT 1 FROM activity_record LIMIT 1)")[0] == 0


# ---------------------------------------------------------------- overview

def kpis(con: duckdb.DuckDBPyConnection, f: Filters) -> dict:
    """Headline numbers of the counted records: `records` counts them (a summary row is one record),
    `detail_records` the event-log records inside counted summaries (their detail, not in the totals)."""
    ctes, params = periods.detail_ctes(f, periods.counted(con, f))
    row = _row(
        con,
        f"""{ctes}
        SELECT coalesce(sum(events), 0)::BIGINT, coalesce(sum(participants), 0)::BIGINT,
               coalesce(sum(students), 0)::BIGINT, count(DISTINCT region_code), coalesce(sum(records), 0)::BIGINT,
               (SELECT coalesce(sum(records), 0)::BIGINT FROM flagged WHERE inside)
        FROM counted_rows""",
        params,
    )
    events, participants, students, regions_reporting, records_count, detail = (int(v) for v in row)
    return {
        "events": events,
        "participants": participants,
        "students": students,
        "students_per_event": students / events if events else None,
        "participants_per_event": participants / events if events else None,
        "regions_reporting": regions_reporting,
        "records": records_count,
        "detail_records": detail,
    }


def kpis_with_change(con: duckdb.DuckDBPyConnection, f: Filters) -> dict:
    """KPIs now and for the same dates a year earlier (previous is None unless both dates are set), both by the
    period rule in their own window."""
    previous = kpis(con, f.year_earlier()) if f.date_from is not None and f.date_to is not None else None
    return {"current": kpis(con, f), "previous": previous}


def _population_year_target(f: Filters) -> int | None:
    return periods.as_date(f.date_to).year if f.date_to is not None else None


def by_region(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """One row for each of the 20 regions (zeros where nothing counts), with coverage per 10,000.

    The denominator is the whole-region population (district IS NULL) of the year nearest to the
    filter's end year (ties go to the later year), or the latest year when there is no end date;
    of several batches giving the same region and year, the newest wins.
    """
    ctes, params = periods.detail_ctes(f, periods.counted(con, f))
    target = _population_year_target(f)
    order = "abs(year - ?), year DESC, batch_id DESC" if target is not None else "year DESC, batch_id DESC"
    pop_params = [target] if target is not None else []
    return _df(
        con,
        f"""{ctes}, totals AS (
            SELECT region_code, {_TOTALS}
            FROM counted_rows
            GROUP BY region_code
        ), pop AS (
            SELECT region_code, population, year AS population_year
            FROM population
            WHERE district IS NULL
            QUALIFY row_number() OVER (PARTITION BY region_code ORDER BY {order}) = 1
        )
        SELECT r.region_code, r.name_ru AS region, r.name_kk, r.name_en, r.adm1_en,
               coalesce(t.events, 0)::BIGINT AS events,
               coalesce(t.participants, 0)::BIGINT AS participants,
               coalesce(t.students, 0)::BIGINT AS students,
               t.participants / nullif(t.events, 0) AS per_event,
               t.students / nullif(t.events, 0) AS students_per_event,
               p.population, p.population_year,
               coalesce(t.participants, 0) * 10000.0 / nullif(p.population, 0) AS per_10k
        FROM region r
        LEFT JOIN totals t USING (region_code)
        LEFT JOIN pop p USING (region_code)
        ORDER BY lower(r.name_ru), r.region_code""",
        params + pop_params,
    )


def by_month(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """Totals per calendar month of the counted records that fit a month (an event-log record by the month it
    starts in); a summary of a longer period is never split into months: see queries.trend for the unit."""
    bars = trend(con, f, "month")["bars"]
    return bars.rename(columns={"period_start": "month"})[["month", *COUNT_COLUMNS]]


# ---------------------------------------------------------------- breakdowns

def _breakdown(con: duckdb.DuckDBPyConnection, f: Filters, labels: str, group: str, extra: list) -> pd.DataFrame:
    """Every filtered event-log record in the window by `labels` (SQL over `a`), and the part of the counted
    summaries that has no breakdown (summary totals minus the records inside them) as its own row SUMMARY_REST."""
    selection = periods.counted(con, f)
    cs, cs_params = periods.counted_cte(selection.counted)
    more, params = periods.conditions(f, "a")
    frame = _df(
        con,
        f"""WITH {cs}
        SELECT {labels},
               {_TOTALS.replace("sum(", "sum(a.")},
               coalesce(sum(a.events) FILTER (WHERE c.region_code IS NOT NULL), 0)::BIGINT AS inside_events,
               coalesce(sum(a.participants) FILTER (WHERE c.region_code IS NOT NULL), 0)::BIGINT
                   AS inside_participants,
               coalesce(sum(a.students) FILTER (WHERE c.region_code IS NOT NULL), 0)::BIGINT AS inside_students
        FROM activity_record a
        LEFT JOIN cs c ON c.region_code = a.region_code AND a.period_start >= c.period_start
                      AND a.period_end <= c.period_end
        WHERE NOT a.is_summary {more}
        GROUP BY {group}""",
        cs_params + extra + params,
    )
    if selection.counted:
        rest = {m: sum(getattr(s, m) or 0 for s in selection.counted) - int(frame[f"inside_{m}"].sum())
                for m in COUNT_COLUMNS}
        frame = pd.concat([frame, pd.DataFrame([{frame.columns[0]: SUMMARY_REST, **rest}])], ignore_index=True)
    frame = frame.drop(columns=[f"inside_{m}" for m in COUNT_COLUMNS])
    for column in COUNT_COLUMNS:
        frame[column] = frame[column].astype("int64")
    return frame


def _sorted(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    """Largest first; the summaries' own row last."""
    rest = frame[name] == SUMMARY_REST
    return pd.concat([frame[~rest].sort_values(["events", name], ascending=[False, True]), frame[rest]],
                     ignore_index=True)


def _by_label(con: duckdb.DuckDBPyConnection, f: Filters, column: str) -> pd.DataFrame:
    frame = _breakdown(con, f, f"coalesce(a.{column}, ?) AS label", "1", [NOT_GIVEN])
    return _sorted(frame, "label")


def by_event_type(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    return _by_label(con, f, "event_type")


def by_audience(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    return _by_label(con, f, "audience")


def by_district(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """Totals per district (a missing district is «не указано»). Districts are kept apart by region,
    because the same name occurs in two regions (Абайский район); region_code and region follow. The
    summaries' own row has no region."""
    frame = _breakdown(con, f, "coalesce(a.district, ?) AS district, a.region_code", "a.region_code, 1",
                       [NOT_GIVEN])
    names = dict(con.cursor().execute("SELECT region_code, name_ru FROM region").fetchall())
    frame["region"] = frame["region_code"].map(names)
    frame = frame[["district", *COUNT_COLUMNS, "region_code", "region"]]
    rest = frame["district"] == SUMMARY_REST
    return pd.concat([frame[~rest].sort_values(["events", "district", "region_code"], ascending=[False, True, True]),
                      frame[rest]], ignore_index=True)


# ---------------------------------------------------------------- region against the country

def region_vs_median(con: duckdb.DuckDBPyConnection, f: Filters, region_code: str) -> pd.DataFrame:
    """A region's events, participants, students and students per event beside the median of the
    20 regions under the same filters with every region included (regions without records count
    as 0; students per event ignores regions without events)."""
    everywhere = periods.replace_regions(f)
    ctes, params = periods.detail_ctes(everywhere, periods.counted(con, everywhere))
    frame = _df(
        con,
        f"""{ctes}, totals AS (
            SELECT region_code, {_TOTALS}
            FROM counted_rows
            GROUP BY region_code
        ), per_region AS (
            SELECT r.region_code,
                   coalesce(t.events, 0) AS events,
                   coalesce(t.participants, 0) AS participants,
                   coalesce(t.students, 0) AS students,
                   t.students / nullif(t.events, 0) AS students_per_event
            FROM region r LEFT JOIN totals t USING (region_code)
        )
        SELECT
            max(events) FILTER (WHERE region_code = ?)::DOUBLE AS events_region,
            max(participants) FILTER (WHERE region_code = ?)::DOUBLE AS participants_region,
            max(students) FILTER (WHERE region_code = ?)::DOUBLE AS students_region,
            max(students_per_event) FILTER (WHERE region_code = ?) AS students_per_event_region,
            median(events)::DOUBLE AS events_median,
            median(participants)::DOUBLE AS participants_median,
            median(students)::DOUBLE AS students_median,
            median(students_per_event) AS students_per_event_median
        FROM per_region""",
        params + [region_code] * 4,
    )
    row = frame.iloc[0]
    return pd.DataFrame(
        {
            "metric": MEDIAN_METRICS,
            "label": [METRIC_LABELS_RU[m] for m in MEDIAN_METRICS],
            "region_value": [_none_if_na(row[f"{m}_region"]) for m in MEDIAN_METRICS],
            "national_median": [_none_if_na(row[f"{m}_median"]) for m in MEDIAN_METRICS],
        }
    )[["metric", "region_value", "national_median", "label"]]


def _none_if_na(value):
    return None if pd.isna(value) else float(value)


# ---------------------------------------------------------------- records and provenance

RECORD_COLUMNS_SQL = """a.region_code, r.name_ru AS region, a.district, a.period_start, a.period_end, a.period_kind,
       a.events, a.participants, a.students, a.schoolchildren, a.parents, a.teachers,
       a.event_type, a.audience, a.venue, a.organizer, a.batch_id,
       b.file_name AS source_file, a.source_sheet, a.source_row"""


def records(con: duckdb.DuckDBPyConnection, f: Filters, limit: int | None = None) -> pd.DataFrame:
    """The records the filters count, and the event-log records inside counted summaries: the columns of the
    `activity` view and `counting`: "counted" (in the totals) or "detail" (inside a counted summary of its region,
    «в т.ч. по журналам мероприятий»). Summaries that are not counted (nested in a longer one, a conflict) are not
    listed. Stable order."""
    cs, cs_params = periods.counted_cte(periods.counted(con, f).counted)
    more, params = periods.conditions(f, "a")
    sql = f"""WITH {cs}
        SELECT {RECORD_COLUMNS_SQL},
               CASE WHEN NOT a.is_summary AND d.region_code IS NOT NULL THEN 'detail' ELSE 'counted' END AS counting
        FROM activity_record a
        JOIN region r ON r.region_code = a.region_code
        JOIN batch b ON b.batch_id = a.batch_id
        LEFT JOIN cs d ON NOT a.is_summary AND d.region_code = a.region_code AND a.period_start >= d.period_start
                      AND a.period_end <= d.period_end
        LEFT JOIN cs s ON a.is_summary AND s.region_code = a.region_code AND s.period_start = a.period_start
                      AND s.period_end = a.period_end AND s.batch_id = a.batch_id
        WHERE (NOT a.is_summary OR s.region_code IS NOT NULL) {more}
        ORDER BY a.period_start, region, source_file, a.source_row"""
    params = cs_params + params
    if limit is not None:
        sql += " LIMIT ?"
        params = params + [int(limit)]
    return _df(con, sql, params)


def batches_for(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """The batches that give at least one listed record (counted, or detail of a counted summary)."""
    summaries = sorted({s.batch_id for s in periods.counted(con, f).counted})
    more, params = periods.conditions(f)
    return _df(
        con,
        f"""SELECT batch_id, file_name, loaded_at, rows_loaded
            FROM batch
            WHERE batch_id IN (SELECT DISTINCT batch_id FROM activity_record WHERE NOT is_summary {more})
               OR list_contains(?::BIGINT[], batch_id)
            ORDER BY batch_id""",
        params + [summaries],
    )
