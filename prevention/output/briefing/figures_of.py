"""Everything a briefing shows, gathered from the pages' own query functions: the one place the briefing calls
prevention.queries (no SQL of its own), so a change of the queries' signatures is adapted here alone.

`gather` asks for the same figures, with the same filters, as the Overview page (no region) or the Region page
(a region code) shows them; `Figures` holds the answers as the queries return them, unformatted."""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

import duckdb
import pandas as pd

from prevention.queries import activity, quality
from prevention.queries.filters import Filters

LARGEST_EVENTS = 10


@dataclass
class Figures:
    """The query results of one briefing. `scope` is the filters of the KPIs, trend and breakdowns (the page's
    filters, narrowed to the region for a region briefing); `national` the same without regions (map, table)."""
    filters: Filters
    scope: Filters
    national: Filters
    region_code: str | None
    as_of: datetime | None
    kpis: dict                      # {"current": kpis, "previous": kpis | None}
    national_kpis: dict             # kpis of `national`: the region table's total row
    regions: pd.DataFrame           # by_region(national): all 20 regions
    trend: pd.DataFrame             # the page's trend bars: period_start, events, participants, students
    trend_unit: str                 # its unit (month, quarter, half_year, year) under the period rule
    forms: pd.DataFrame             # by_event_type(scope): label, events, participants, students
    audiences: pd.DataFrame         # by_audience(scope)
    completeness: dict              # quality.completeness_summary of the regions in scope, plus "regions"
    left_out: pd.DataFrame          # queries.periods.window_notes(scope): what the window leaves out, and why
    left_out_files: tuple[str, ...]  # the files those records come from
    batches: pd.DataFrame           # batches_for(scope): batch_id, file_name, loaded_at, rows_loaded
    districts: pd.DataFrame | None = None      # by_district(scope), region briefings only
    median: pd.DataFrame | None = None         # region_vs_median(filters, region)
    largest: pd.DataFrame | None = None        # the region's event-log records with the most people reached

    @property
    def empty(self) -> bool:
        """True when nothing in the window counts: the briefing then says so and draws no chart."""
        return self.kpis["current"]["records"] == 0


def gather(con: duckdb.DuckDBPyConnection, f: Filters, region_code: str | None = None) -> Figures:
    """The figures of the Overview page (region_code None) or of one region's page, for the filters `f`."""
    scope = replace(f, regions=(region_code,)) if region_code else f
    national = replace(f, regions=())
    change = activity.kpis_with_change(con, scope)
    national_kpis = change["current"] if scope == national else activity.kpis(con, national)
    trend = activity.trend(con, scope)
    left_out = activity.window_notes(con, scope)
    figures = Figures(
        filters=f, scope=scope, national=national, region_code=region_code, as_of=activity.as_of(con),
        kpis=change, national_kpis=national_kpis, regions=activity.by_region(con, national),
        trend=trend["bars"], trend_unit=trend["unit"],
        forms=activity.by_event_type(con, scope), audiences=activity.by_audience(con, scope),
        completeness=_completeness(con, scope), left_out=left_out,
        left_out_files=_files(con, scope) if len(left_out) else (),
        batches=activity.batches_for(con, scope),
    )
    if region_code:
        figures.districts = activity.by_district(con, scope)
        figures.median = activity.region_vs_median(con, f, region_code)
        figures.largest = largest_events(activity.records(con, scope))
    return figures


def _completeness(con: duckdb.DuckDBPyConnection, scope: Filters) -> dict:
    """Who reported for which month of the period (the Data quality page's grid), over the regions in scope."""
    grid = quality.completeness(con, scope)
    if scope.regions:
        grid = grid[grid["region_code"].isin(scope.regions)]
    return {**quality.completeness_summary(grid), "regions": int(grid["region_code"].nunique())}


def _files(con: duckdb.DuckDBPyConnection, scope: Filters, limit: int = 10_000) -> tuple[str, ...]:
    """The files of the records the window leaves out (as the Table page lists them)."""
    records = activity.left_out_records(con, scope, limit=limit)
    return tuple(sorted(set(records["source_file"].astype(str))))


def largest_events(records: pd.DataFrame, limit: int = LARGEST_EVENTS) -> pd.DataFrame:
    """The one-day records (event-log rows) with the most people reached, largest first; summary rows, which
    stand for the events of a longer period, are left out."""
    if records.empty:
        return records
    single = records[records["period_start"] == records["period_end"]]
    single = single[single["participants"].notna()]
    ordered = single.sort_values(["participants", "period_start", "source_row"], ascending=[False, True, True],
                                 kind="stable")
    return ordered.head(limit).reset_index(drop=True)

