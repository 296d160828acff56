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
TREND_UNIT = "month"  # the queries' trend is monthly today; the period rule may make it a quarter or a year


@dataclass(frozen=True)
class LeftOut:
    """Records in the window that the figures do not count, and why (`reason`, a catalogue key's last part)."""
    reason: str
    items: int
    events: int
    files: tuple[str, ...] = ()


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
    trend: pd.DataFrame             # period_start, events, participants, students
    trend_unit: str
    forms: pd.DataFrame             # by_event_type(scope): label, events, participants, students
    audiences: pd.DataFrame         # by_audience(scope)
    completeness: dict              # quality.completeness_summary of the regions in scope, plus "regions"
    left_out: list[LeftOut]
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
    figures = Figures(
        filters=f, scope=scope, national=national, region_code=region_code, as_of=activity.as_of(con),
        kpis=change, national_kpis=national_kpis, regions=activity.by_region(con, national),
        trend=activity.by_month(con, scope).rename(columns={"month": "period_start"}), trend_unit=TREND_UNIT,
        forms=activity.by_event_type(con, scope), audiences=activity.by_audience(con, scope),
        completeness=_completeness(con, scope), left_out=_left_out(con, scope),
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


def _left_out(con: duckdb.DuckDBPyConnection, scope: Filters) -> list[LeftOut]:
    """Summary rows of the window not counted because an event log covers their region and period."""
    overlaps = quality.summary_overlaps(con, scope)
    if overlaps.empty:
        return []
    files = tuple(sorted(set(overlaps["summary_file"].astype(str))))
    return [LeftOut("covered", len(overlaps), int(overlaps["summary_events"].sum()), files)]


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

