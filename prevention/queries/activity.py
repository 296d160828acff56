"""All SQL of the dashboard: each query a function of a connection and a Filters value.

Every query runs on its own `con.cursor()` (DuckDB refuses a connection shared between threads)
with `?` parameters. Aggregations read `activity_record` directly and join `region` or `batch`
only where a name is needed. Nothing here imports Streamlit.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Iterable

import duckdb
import pandas as pd

from prevention.queries.filters import Filters

NOT_GIVEN = "не указано"  # label for a missing event type, audience or district

# Overview metrics compared against the national median, in display order.
MEDIAN_METRICS = ["events", "participants", "students", "students_per_event"]
METRIC_LABELS_RU = {
    "events": "Мероприятия",
    "participants": "Охват (всего)",
    "students": "в т.ч. студентов",
    "students_per_event": "Студентов на мероприятие",
}

_DIMENSIONS = (
    ("region_code", "regions"),
    ("event_type", "event_types"),
    ("audience", "audiences"),
    ("organizer", "organizers"),
)

# Sums as BIGINT (DuckDB sums INTEGER into HUGEINT, which pandas turns into float).
_TOTALS = """coalesce(sum(events), 0)::BIGINT AS events,
       coalesce(sum(participants), 0)::BIGINT AS participants,
       coalesce(sum(students), 0)::BIGINT AS students"""


def where_clause(f: Filters, alias: str = "", counted_only: bool = True) -> tuple[str, list]:
    """The filters as `(sql, params)`: sql is "" or "WHERE ..." over activity_record columns.

    With counted_only (the default), summary rows that an event log covers are left out (see db.refresh_counted),
    so totals never count the same events twice."""
    prefix = f"{alias}." if alias else ""
    parts: list[str] = [f"{prefix}counted"] if counted_only else []
    params: list = []
    if f.date_from is not None:
        parts.append(f"{prefix}period_start >= ?")
        params.append(_as_date(f.date_from))
    if f.date_to is not None:
        parts.append(f"{prefix}period_start <= ?")
        params.append(_as_date(f.date_to))
    for column, attribute in _DIMENSIONS:
        values = _distinct(getattr(f, attribute))
        if values:
            parts.append(f"{prefix}{column} IN ({', '.join('?' * len(values))})")
            params.extend(values)
    return ("WHERE " + " AND ".join(parts)) if parts else "", params


def _as_date(value) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, pd.Timestamp):
        return value.date()
    return value


def _distinct(values: Iterable[str] | None) -> list[str]:
    return list(dict.fromkeys(values or ()))


def _df(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> pd.DataFrame:
    return con.cursor().execute(sql, params or []).df()


def _row(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> tuple:
    return con.cursor().execute(sql, params or []).fetchone()


# ---------------------------------------------------------------- filter widgets and status

def filter_options(con: duckdb.DuckDBPyConnection) -> dict:
    """Everything the filter sidebar offers: date bounds, all 20 regions and the values in the data."""
    date_min, date_max = _row(con, "SELECT min(period_start), max(period_start) FROM activity_record")
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
    """Headline numbers for the filtered records."""
    where, params = where_clause(f)
    # Aggregating per region first is cheaper than count(DISTINCT region_code) over every row.
    row = _row(
        con,
        f"""SELECT coalesce(sum(events), 0)::BIGINT, coalesce(sum(participants), 0)::BIGINT,
                   coalesce(sum(students), 0)::BIGINT, count(*), coalesce(sum(records), 0)::BIGINT
            FROM (SELECT region_code, sum(events) AS events, sum(participants) AS participants,
                         sum(students) AS students, count(*) AS records
                  FROM activity_record {where}
                  GROUP BY region_code)""",
        params,
    )
    events, participants, students, regions_reporting, records_count = (int(v) for v in row)
    return {
        "events": events,
        "participants": participants,
        "students": students,
        "students_per_event": students / events if events else None,
        "participants_per_event": participants / events if events else None,
        "regions_reporting": regions_reporting,
        "records": records_count,
    }


def kpis_with_change(con: duckdb.DuckDBPyConnection, f: Filters) -> dict:
    """KPIs now and for the same dates a year earlier (previous is None unless both dates are set)."""
    previous = kpis(con, f.year_earlier()) if f.date_from is not None and f.date_to is not None else None
    return {"current": kpis(con, f), "previous": previous}


def _population_year_target(f: Filters) -> int | None:
    return _as_date(f.date_to).year if f.date_to is not None else None


def by_region(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """One row for each of the 20 regions (zeros where nothing is reported), with coverage per 10,000.

    The denominator is the whole-region population (district IS NULL) of the year nearest to the
    filter's end year (ties go to the later year), or the latest year when there is no end date;
    of several batches giving the same region and year, the newest wins.
    """
    where, params = where_clause(f)
    target = _population_year_target(f)
    order = "abs(year - ?), year DESC, batch_id DESC" if target is not None else "year DESC, batch_id DESC"
    pop_params = [target] if target is not None else []
    return _df(
        con,
        f"""
        WITH totals AS (
            SELECT region_code, {_TOTALS}
            FROM activity_record {where}
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
    """Totals per calendar month of period_start; months without records inside the span are zeros."""
    where, params = where_clause(f)
    return _df(
        con,
        f"""
        WITH days AS (  -- by day first: a few hundred groups, then months (much cheaper than date_trunc per row)
            SELECT period_start, sum(events) AS events, sum(participants) AS participants, sum(students) AS students
            FROM activity_record {where}
            GROUP BY period_start
        ), totals AS (
            SELECT date_trunc('month', period_start)::DATE AS month, {_TOTALS}
            FROM days
            GROUP BY 1
        ), months AS (
            SELECT unnest(generate_series(min(month), max(month), INTERVAL 1 MONTH))::DATE AS month
            FROM totals
        )
        SELECT m.month,
               coalesce(t.events, 0)::BIGINT AS events,
               coalesce(t.participants, 0)::BIGINT AS participants,
               coalesce(t.students, 0)::BIGINT AS students
        FROM months m LEFT JOIN totals t USING (month)
        ORDER BY m.month""",
        params,
    )


def _by_label(con: duckdb.DuckDBPyConnection, f: Filters, column: str) -> pd.DataFrame:
    where, params = where_clause(f)
    return _df(
        con,
        f"""SELECT coalesce({column}, ?) AS label, {_TOTALS}
            FROM activity_record {where}
            GROUP BY 1
            ORDER BY events DESC, label""",
        [NOT_GIVEN] + params,
    )


def by_event_type(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    return _by_label(con, f, "event_type")


def by_audience(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    return _by_label(con, f, "audience")


def by_district(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """Totals per district (a missing district is «не указано»). Districts are kept apart by region,
    because the same name occurs in two regions (Абайский район); region_code and region follow."""
    where, params = where_clause(f, "a")
    return _df(
        con,
        f"""SELECT coalesce(a.district, ?) AS district,
                   coalesce(sum(a.events), 0)::BIGINT AS events,
                   coalesce(sum(a.participants), 0)::BIGINT AS participants,
                   coalesce(sum(a.students), 0)::BIGINT AS students,
                   a.region_code, any_value(r.name_ru) AS region
            FROM activity_record a JOIN region r USING (region_code)
            {where}
            GROUP BY a.region_code, 1
            ORDER BY events DESC, district, a.region_code""",
        [NOT_GIVEN] + params,
    )


def region_vs_median(con: duckdb.DuckDBPyConnection, f: Filters, region_code: str) -> pd.DataFrame:
    """A region's events, participants, students and students per event beside the median of the
    20 regions under the same filters with every region included (regions without records count
    as 0; students per event ignores regions without events)."""
    everywhere = Filters(f.date_from, f.date_to, (), tuple(f.event_types), tuple(f.audiences), tuple(f.organizers))
    where, params = where_clause(everywhere)
    frame = _df(
        con,
        f"""
        WITH totals AS (
            SELECT region_code, {_TOTALS}
            FROM activity_record {where}
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

def records(con: duckdb.DuckDBPyConnection, f: Filters, limit: int | None = None) -> pd.DataFrame:
    """The filtered rows of the `activity` view (counted records only), all its columns, in a stable order."""
    where, params = where_clause(f, counted_only=False)  # the view itself holds only counted records
    sql = f"SELECT * FROM activity {where} ORDER BY period_start, region, source_file, source_row"
    if limit is not None:
        sql += " LIMIT ?"
        params = params + [int(limit)]
    return _df(con, sql, params)


def batches_for(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """The batches that contribute at least one filtered record."""
    where, params = where_clause(f)
    return _df(
        con,
        f"""SELECT batch_id, file_name, loaded_at, rows_loaded
            FROM batch
            WHERE batch_id IN (SELECT DISTINCT batch_id FROM activity_record {where})
            ORDER BY batch_id""",
        params,
    )
