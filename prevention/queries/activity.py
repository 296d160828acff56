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

from prevention.queries import detail, periods
from prevention.queries.filters import Filters

# Re-exported, so the app's cached query access finds every query of the pages here by name.
from prevention.queries.parts import kpis_of, record_parts, region_totals_of, rest_of
from prevention.queries.periods import left_out_records, where_clause, window_notes  # noqa: F401
from prevention.queries.trend import trend, trend_of  # noqa: F401

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
#
# Each figure is a derivation of parts.record_parts(con, f) (one read of the records per filter); the app caches
# that frame and calls the *_of derivations itself, so a page reads the records once per filter.

def kpis(con: duckdb.DuckDBPyConnection, f: Filters) -> dict:
    """Headline numbers of the counted records: `records` counts them (a summary row is one record),
    `detail_records` the event-log records inside counted summaries (their detail, not in the totals)."""
    return kpis_of(record_parts(con, f))


def kpis_with_change(con: duckdb.DuckDBPyConnection, f: Filters) -> dict:
    """KPIs now and for the same dates a year earlier (previous is None unless both dates are set), both by the
    period rule in their own window."""
    previous = kpis(con, f.year_earlier()) if f.date_from is not None and f.date_to is not None else None
    return {"current": kpis(con, f), "previous": previous}


def region_info(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """All 20 regions with their names and the population behind per-10,000 figures: the whole-region population
    (district IS NULL) of the year nearest to the filter's end year (ties go to the later year), or the latest year
    without an end date; of several batches giving the same region and year, the newest wins."""
    target = periods.as_date(f.date_to).year if f.date_to is not None else None
    order = "abs(year - ?), year DESC, batch_id DESC" if target is not None else "year DESC, batch_id DESC"
    return _df(
        con,
        f"""WITH pop AS (
            SELECT region_code, population, year AS population_year
            FROM population
            WHERE district IS NULL
            QUALIFY row_number() OVER (PARTITION BY region_code ORDER BY {order}) = 1
        )
        SELECT r.region_code, r.name_ru AS region, r.name_kk, r.name_en, r.adm1_en, p.population, p.population_year
        FROM region r LEFT JOIN pop p USING (region_code)
        ORDER BY lower(r.name_ru), r.region_code""",
        [target] if target is not None else [],
    )


def by_region_of(parts: pd.DataFrame, regions: pd.DataFrame) -> pd.DataFrame:
    """One row for each region of `regions` (region_info) with the counted totals of `parts` (zeros where nothing
    counts), per event and per 10,000 residents."""
    totals = region_totals_of(parts)
    frame = regions.join(totals, on="region_code")
    for column in COUNT_COLUMNS:
        frame[column] = frame[column].fillna(0).astype("int64")
    events = frame["events"].where(frame["events"] > 0)
    frame["per_event"] = frame["participants"] / events
    frame["students_per_event"] = frame["students"] / events
    frame["per_10k"] = frame["participants"] * 10000.0 / frame["population"].where(frame["population"] > 0)
    return frame[["region_code", "region", "name_kk", "name_en", "adm1_en", *COUNT_COLUMNS, "per_event",
                  "students_per_event", "population", "population_year", "per_10k"]]


def by_region(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """One row for each of the 20 regions (zeros where nothing counts), with coverage per 10,000 (region_info)."""
    return by_region_of(record_parts(con, f), region_info(con, f))


def by_month(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """Totals per calendar month of the counted records that fit a month (an event-log record by the month it
    starts in); a summary of a longer period is never split into months: see trend() for the unit."""
    bars = trend(con, f, "month")["bars"]
    return bars.rename(columns={"period_start": "month"})[["month", *COUNT_COLUMNS]]


# ---------------------------------------------------------------- breakdowns

def labels(con: duckdb.DuckDBPyConnection, f: Filters, column: str) -> pd.DataFrame:
    """Every filtered event-log record of the window (counted or detail of a counted summary) by `column`
    ("event_type", "audience", or "district", which is kept apart by region): label, events, participants,
    students (and region_code, region for districts)."""
    more, params = periods.conditions(f, "a")
    sums = _TOTALS.replace("sum(", "sum(a.")
    if column == "district":  # kept apart by region; its name by a join (districts are asked for one region)
        sql = f"""SELECT coalesce(a.district, ?) AS district, {sums}, a.region_code, any_value(r.name_ru) AS region
                  FROM activity_record a JOIN region r ON r.region_code = a.region_code
                  WHERE NOT a.is_summary {more} GROUP BY a.region_code, 1"""
    else:  # grouped by the stored value first: a parameter inside the key would slow the grouping down
        sql = f"""SELECT coalesce(label, ?) AS label, events, participants, students
                  FROM (SELECT a.{column} AS label, {sums} FROM activity_record a WHERE NOT a.is_summary {more}
                        GROUP BY 1)"""
    return _df(con, sql, [NOT_GIVEN] + params)


def label_sets(con: duckdb.DuckDBPyConnection, f: Filters, columns: tuple[str, ...], rollup: bool = True
               ) -> pd.DataFrame:
    """labels() of several columns ("event_type", "audience") in one read of the records (grouping sets):
    `dimension` (the column), label, events, participants, students. Columns of detail.KEYS are read as monthly sums
    (queries.detail); `rollup=False` reads every record (the reference the tests compare with)."""
    if rollup and set(columns) <= set(detail.KEYS):
        source, params = detail.months(f, tuple(columns))
        source = f"({source})"
    else:
        more, params = periods.conditions(f)
        source = f"(SELECT * FROM activity_record WHERE NOT is_summary {more})"
    which = " ".join(f"WHEN grouping({c}) = 0 THEN '{c}'" for c in columns)
    value = " ".join(f"WHEN grouping({c}) = 0 THEN {c}" for c in columns)
    return _df(
        con,
        f"""SELECT CASE {which} END AS dimension, coalesce(CASE {value} END, ?) AS label, {_TOTALS}
            FROM {source}
            GROUP BY GROUPING SETS ({', '.join(f'({c})' for c in columns)})""",
        [NOT_GIVEN] + params,
    )


def label_set(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    """One column's labels out of label_sets()."""
    return frame.loc[frame["dimension"] == column, ["label", *COUNT_COLUMNS]].reset_index(drop=True)


def with_rest(frame: pd.DataFrame, rest: dict | None) -> pd.DataFrame:
    """A breakdown (labels) sorted largest first, and the counted summaries' own row SUMMARY_REST last (parts.rest_of:
    their totals minus the records inside them), so the rows add up to the totals."""
    name = frame.columns[0]
    frame = frame.sort_values(["events", name] + (["region_code"] if "region_code" in frame else []),
                              ascending=[False, True] + ([True] if "region_code" in frame else []), ignore_index=True)
    if rest is not None:
        frame = pd.concat([frame, pd.DataFrame([{name: SUMMARY_REST, **rest}])], ignore_index=True)
    for column in COUNT_COLUMNS:
        frame[column] = frame[column].astype("int64")
    order = [name, *COUNT_COLUMNS] + (["region_code", "region"] if "region_code" in frame else [])
    return frame[order]


def by_event_type(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    return with_rest(labels(con, f, "event_type"), rest_of(record_parts(con, f)))


def by_audience(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    return with_rest(labels(con, f, "audience"), rest_of(record_parts(con, f)))


def by_district(con: duckdb.DuckDBPyConnection, f: Filters) -> pd.DataFrame:
    """Totals per district (a missing district is «не указано»). Districts are kept apart by region,
    because the same name occurs in two regions (Абайский район); region_code and region follow. The
    summaries' own row has no region."""
    return with_rest(labels(con, f, "district"), rest_of(record_parts(con, f)))


# ---------------------------------------------------------------- region against the country

def region_vs_median_of(parts: pd.DataFrame, codes: list[str], region_code: str) -> pd.DataFrame:
    """A region's events, participants, students and students per event beside the median of the regions `codes`
    (all 20), from the record parts of filters without a region (regions without records count as 0; students per
    event ignores regions without events)."""
    totals = region_totals_of(parts).reindex(codes, fill_value=0)
    totals["students_per_event"] = totals["students"] / totals["events"].where(totals["events"] > 0)
    region = totals.loc[region_code] if region_code in totals.index else None
    return pd.DataFrame(
        {
            "metric": MEDIAN_METRICS,
            "label": [METRIC_LABELS_RU[m] for m in MEDIAN_METRICS],
            "region_value": [None if region is None else _none_if_na(region[m]) for m in MEDIAN_METRICS],
            "national_median": [_none_if_na(totals[m].median()) for m in MEDIAN_METRICS],
        }
    )[["metric", "region_value", "national_median", "label"]]


def region_vs_median(con: duckdb.DuckDBPyConnection, f: Filters, region_code: str) -> pd.DataFrame:
    """A region beside the median of the 20 regions under the same filters with every region included."""
    codes = [r[0] for r in con.cursor().execute("SELECT region_code FROM region").fetchall()]
    return region_vs_median_of(record_parts(con, periods.replace_regions(f)), codes, region_code)


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
    counted = periods.counted(con, f).counted
    inside, inside_params = periods.inside_expr(counted, "a")
    keys = sorted({(s.period_start, s.period_end, s.batch_id, s.region_code) for s in counted})
    summary_keys = " OR ".join("(a.period_start = ? AND a.period_end = ? AND a.batch_id = ? AND a.region_code = ?)"
                               for _ in keys) or "false"
    more, params = periods.conditions(f, "a")
    sql = f"""SELECT {RECORD_COLUMNS_SQL},
               CASE WHEN NOT a.is_summary AND {inside} IS NOT NULL THEN 'detail' ELSE 'counted' END AS counting
        FROM activity_record a
        JOIN region r ON r.region_code = a.region_code
        JOIN batch b ON b.batch_id = a.batch_id
        WHERE (NOT a.is_summary OR ({summary_keys})) {more}
        ORDER BY a.period_start, region, source_file, a.source_row"""
    params = inside_params + [v for key in keys for v in key] + params
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
