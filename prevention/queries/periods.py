"""The period rule: which records a figure for a date window counts (DESIGN.md, «Contracts»).

- A record is a *summary* when its batch is one (`activity_record.is_summary`), else a *detail* record (an event
  log row; its period is a day or a range).
- Window W = [date_from, date_to], either end open. A record is in W when its whole period lies inside W. A record
  that overlaps W only in part never counts; the pages say how many were left out (`window_notes`).
- Counted summaries of a region, among those in W that pass the filters, are chosen by `select`: repeatedly take
  the maximal ones (not strictly inside another remaining one), accept them newest batch first unless they overlap
  one already accepted, and drop what overlaps an accepted one. Two maximal summaries that overlap (a partial
  overlap or the same period from two batches) are a conflict; the newer batch counts.
- A detail record counts unless its whole period lies inside a counted summary of its region: then it is that
  summary's detail (breakdowns, source rows «в т.ч. по журналам мероприятий»), never added to the totals.
- Summaries have no event form, audience or organiser: with such a filter active none passes, and the matching
  detail records count in full.

Summaries are few (one row per region, period and batch): they are read with one small query and chosen here in
Python; the chosen ones go back into SQL as a CTE of list parameters (`counted_cte`). Nothing here imports
Streamlit.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

import duckdb
import pandas as pd

from prevention.queries.filters import Filters

# Calendar units of the trend, finest first; a period "fits" the finest unit that contains it.
UNITS = ("month", "quarter", "half_year", "year")
_DIMENSIONS = (
    ("region_code", "regions"),
    ("event_type", "event_types"),
    ("audience", "audiences"),
    ("organizer", "organizers"),
)


def as_date(value) -> date | None:
    if isinstance(value, (datetime, pd.Timestamp)):
        return value.date()
    return value


def distinct(values: Iterable[str] | None) -> list[str]:
    return list(dict.fromkeys(values or ()))


def breakdown_filtered(f: Filters) -> bool:
    """True when a form, audience or organiser filter is set: then no summary passes the filters."""
    return bool(f.event_types or f.audiences or f.organizers)


def window_parts(f: Filters, alias: str = "") -> tuple[list[str], list]:
    """The window as conditions: the record's whole period inside [date_from, date_to]."""
    prefix = f"{alias}." if alias else ""
    parts, params = [], []
    if f.date_from is not None:
        parts.append(f"{prefix}period_start >= ?")
        params.append(as_date(f.date_from))
    if f.date_to is not None:
        parts.append(f"{prefix}period_end <= ?")
        params.append(as_date(f.date_to))
    return parts, params


def dimension_parts(f: Filters, alias: str = "", regions_only: bool = False) -> tuple[list[str], list]:
    prefix = f"{alias}." if alias else ""
    parts, params = [], []
    for column, attribute in _DIMENSIONS[:1] if regions_only else _DIMENSIONS:
        values = distinct(getattr(f, attribute))
        if values:
            parts.append(f"{prefix}{column} IN ({', '.join('?' * len(values))})")
            params.extend(values)
    return parts, params


def where_clause(f: Filters, alias: str = "") -> tuple[str, list]:
    """The filters as `(sql, params)`: "" or "WHERE ..." over activity_record columns; records whose whole period
    lies in the window and that match every list (whether a record counts is decided by the queries)."""
    window, params = window_parts(f, alias)
    dims, more = dimension_parts(f, alias)
    parts = window + dims
    return ("WHERE " + " AND ".join(parts)) if parts else "", params + more


def conditions(f: Filters, alias: str = "") -> tuple[str, list]:
    """where_clause() as extra conditions: "" or " AND ..."."""
    where, params = where_clause(f, alias)
    return (" AND " + where[len("WHERE "):] if where else ""), params


# ---------------------------------------------------------------- summaries and the choice among them

@dataclass(frozen=True)
class Summary:
    """One summary: a region's figures for one period from one batch (its rows summed, e.g. by district)."""
    region_code: str
    period_start: date
    period_end: date
    batch_id: int
    kind: str
    events: int
    participants: int | None
    students: int | None
    records: int

    def strictly_inside(self, other: Summary) -> bool:
        return (other.period_start <= self.period_start and self.period_end <= other.period_end
                and (self.period_start, self.period_end) != (other.period_start, other.period_end))

    def overlaps(self, other: Summary) -> bool:
        return self.period_start <= other.period_end and other.period_start <= self.period_end

    def contains(self, start: date, end: date) -> bool:
        return self.period_start <= start and end <= self.period_end


@dataclass(frozen=True)
class Selection:
    """The outcome of `select`: the counted summaries, the conflicts (a summary not counted, the one counted instead)
    and the summaries set aside because they overlap a counted one (usually nested inside it)."""
    counted: tuple[Summary, ...] = ()
    conflicts: tuple[tuple[Summary, Summary], ...] = ()
    set_aside: tuple[tuple[Summary, Summary], ...] = ()

    def status(self) -> dict[Summary, tuple[str, Summary | None]]:
        """Each summary -> ("counted", None) | ("conflict", the counted one) | ("nested" | "overlapped", it)."""
        found: dict[Summary, tuple[str, Summary | None]] = {s: ("counted", None) for s in self.counted}
        found.update({s: ("conflict", by) for s, by in self.conflicts})
        found.update({s: ("nested" if s.strictly_inside(by) else "overlapped", by) for s, by in self.set_aside})
        return found


def _select_region(summaries: list[Summary]) -> Selection:
    remaining, counted, conflicts, set_aside = list(summaries), [], [], []
    while remaining:
        maximal = [s for s in remaining if not any(s.strictly_inside(o) for o in remaining if o is not s)]
        for s in sorted(maximal, key=lambda s: (-s.batch_id, s.period_start, s.period_end)):
            rival = next((a for a in counted if s.overlaps(a)), None)
            if rival is None:
                counted.append(s)
            else:
                conflicts.append((s, rival))
        rejected = {s for s, _ in conflicts}
        for s in remaining:
            if s in counted or s in rejected:
                continue
            by = next((a for a in counted if s.overlaps(a)), None)
            if by is not None:
                set_aside.append((s, by))
        gone = set(counted) | rejected | {s for s, _ in set_aside}
        remaining = [s for s in remaining if s not in gone]
    return Selection(tuple(counted), tuple(conflicts), tuple(set_aside))


def select(summaries: Iterable[Summary]) -> Selection:
    """The counted summaries of each region (the rule in the module docstring), in a stable order."""
    by_region: dict[str, list[Summary]] = {}
    for s in summaries:
        by_region.setdefault(s.region_code, []).append(s)
    counted, conflicts, set_aside = [], [], []
    for region in sorted(by_region):
        chosen = _select_region(by_region[region])
        counted += chosen.counted
        conflicts += chosen.conflicts
        set_aside += chosen.set_aside
    order = lambda s: (s.region_code, s.period_start, s.period_end, s.batch_id)
    return Selection(tuple(sorted(counted, key=order)), tuple(sorted(conflicts, key=lambda p: order(p[0]))),
                     tuple(sorted(set_aside, key=lambda p: order(p[0]))))


def summaries_in_window(con: duckdb.DuckDBPyConnection, f: Filters) -> list[Summary]:
    """The summaries whose whole period lies in the window, of the filtered regions; none when a form, audience or
    organiser filter is set (summaries have no such breakdown)."""
    if breakdown_filtered(f):
        return []
    window, params = window_parts(f)
    regions, more = dimension_parts(f, regions_only=True)
    where = " AND ".join(["is_summary"] + window + regions)
    rows = con.cursor().execute(
        f"""SELECT region_code, period_start, period_end, batch_id, any_value(period_kind),
                   sum(events)::BIGINT, sum(participants)::BIGINT, sum(students)::BIGINT, count(*)
            FROM activity_record WHERE {where}
            GROUP BY region_code, period_start, period_end, batch_id""",
        params + more,
    ).fetchall()
    return [Summary(*row) for row in rows]


def counted(con: duckdb.DuckDBPyConnection, f: Filters) -> Selection:
    """The choice of summaries for these filters (one small query, then `select`)."""
    return select(summaries_in_window(con, f))


def fit(start: date, end: date) -> int | None:
    """Index in UNITS of the finest calendar unit holding the whole period, None when it crosses a year."""
    if start.year != end.year:
        return None
    if start.month == end.month:
        return 0
    if (start.month - 1) // 3 == (end.month - 1) // 3:
        return 1
    if (start.month <= 6) == (end.month <= 6):
        return 2
    return 3


def counted_cte(summaries: Iterable[Summary]) -> tuple[str, list]:
    """`cs AS (...)`: the counted summaries as a relation (list parameters, so the SQL text does not grow)."""
    items = list(summaries)
    columns = (("region_code", "VARCHAR", lambda s: s.region_code), ("period_start", "DATE", lambda s: s.period_start),
               ("period_end", "DATE", lambda s: s.period_end), ("batch_id", "BIGINT", lambda s: s.batch_id),
               ("events", "BIGINT", lambda s: s.events), ("participants", "BIGINT", lambda s: s.participants),
               ("students", "BIGINT", lambda s: s.students), ("records", "BIGINT", lambda s: s.records),
               ("fit", "INTEGER", lambda s: fit_code(s)), ("kind", "VARCHAR", lambda s: s.kind))
    select_list = ", ".join(f"unnest(?::{kind}[]) AS {name}" for name, kind, _ in columns)
    return f"cs AS (SELECT {select_list})", [[get(s) for s in items] for _, _, get in columns]


NO_UNIT = 9  # the fit code of a summary that fits no calendar unit (it crosses a year)


def fit_code(s: Summary) -> int:
    """fit() of a summary, NO_UNIT when it fits none."""
    code = fit(s.period_start, s.period_end)
    return NO_UNIT if code is None else code


def inside_expr(summaries: Iterable[Summary], alias: str = "") -> tuple[str, list]:
    """SQL over an activity_record row: NULL when its period lies inside none of `summaries` of its region, else the
    fit code of the one it lies in (index in UNITS, NO_UNIT when that summary fits none).

    A CASE on the region, then on the region's own (disjoint) summaries: evaluated row by row without a join, which
    on a million rows costs a fraction of a range join or of grouping by region and period first."""
    prefix = f"{alias}." if alias else ""
    by_region: dict[str, list[Summary]] = {}
    for s in summaries:
        by_region.setdefault(s.region_code, []).append(s)
    if not by_region:
        return "CAST(NULL AS INTEGER)", []
    branches, params = [], []
    for region, items in sorted(by_region.items()):
        inner = " ".join(f"WHEN {prefix}period_start >= ? AND {prefix}period_end <= ? THEN ?" for _ in items)
        branches.append(f"WHEN ? THEN CASE {inner} END")
        params.append(region)
        for s in items:
            params += [s.period_start, s.period_end, fit_code(s)]
    return f"CAST(CASE {prefix}region_code {' '.join(branches)} END AS INTEGER)", params


# ---------------------------------------------------------------- what a window leaves out

def _left_out(f: Filters, alias: str = "") -> tuple[str, list, str, list]:
    """(condition, params, inside, inside_params) over activity_record: the records the filters leave out because of
    their period (overlapping the window in part) or, summaries, because a form, audience or organiser filter is
    set; `inside` tells the second reason from the first."""
    prefix = f"{alias}." if alias else ""
    lo, hi = as_date(f.date_from) or date.min, as_date(f.date_to) or date.max
    regions, region_params = dimension_parts(f, alias, regions_only=True)
    dims, dim_params = dimension_parts(replace_regions(f), alias)
    inside = f"({prefix}period_start >= ? AND {prefix}period_end <= ?)"
    summary = f"{prefix}is_summary" + ("" if breakdown_filtered(f) else f" AND NOT {inside}")
    detail = " AND ".join([f"NOT {prefix}is_summary AND {prefix}period_start <> {prefix}period_end AND NOT {inside}"]
                          + dims)
    # summaries and ranges first: a one-day record is never partly in a window, and most records are one day
    condition = " AND ".join([f"({prefix}is_summary OR {prefix}period_start <> {prefix}period_end)",
                              f"{prefix}period_start <= ? AND {prefix}period_end >= ?"] + regions
                             + [f"(({summary}) OR ({detail}))"])
    summary_params = [] if breakdown_filtered(f) else [lo, hi]
    return condition, [hi, lo, *region_params, *summary_params, lo, hi, *dim_params], inside, [lo, hi]


def _nothing_left_out(f: Filters) -> bool:
    return f.date_from is None and f.date_to is None and not breakdown_filtered(f)


def window_notes(con: duckdb.DuckDBPyConnection, f: Filters, rollup: bool = True) -> pd.DataFrame:
    """What the filters leave out, for the one-line note on every page: `reason` "partial" (the period overlaps the
    window only in part) or "no_breakdown" (a summary in the window, left out by a form, audience or organiser
    filter); per reason, summary or not, kind and period: `items` (summaries counted once per region, period and
    batch; detail records one by one) and their events. Read from `activity_span` (the records that are not one
    day, summed: prevention.storage.rollup); `rollup=False` reads every record (the reference of the tests)."""
    columns = ["reason", "is_summary", "period_kind", "period_start", "period_end", "items", "events"]
    if _nothing_left_out(f):
        return pd.DataFrame(columns=columns)
    condition, params, inside, inside_params = _left_out(f)
    table, records = ("activity_span", "sum(records)") if rollup else ("activity_record", "count(*)")
    frame = con.cursor().execute(
        f"""SELECT CASE WHEN {inside} THEN 'no_breakdown' ELSE 'partial' END AS reason, is_summary, period_kind,
                   period_start, period_end,
                   (CASE WHEN is_summary THEN count(DISTINCT (region_code, batch_id)) ELSE {records} END)::BIGINT
                       AS items,
                   sum(events)::BIGINT AS events
            FROM {table} WHERE {condition}
            GROUP BY 1, 2, 3, 4, 5 ORDER BY reason, NOT is_summary, period_start, period_end""",
        inside_params + params,
    ).df()
    return frame if len(frame) else pd.DataFrame(columns=columns)


def left_out_records(con: duckdb.DuckDBPyConnection, f: Filters, limit: int | None = None) -> pd.DataFrame:
    """The records window_notes() counts, with the columns of the `activity` view and `reason`."""
    columns = ["region_code", "region", "district", "period_start", "period_end", "period_kind", "events",
               "participants", "students", "event_type", "audience", "organizer", "batch_id", "source_file",
               "source_sheet", "source_row", "reason"]
    if _nothing_left_out(f):
        return pd.DataFrame(columns=columns)
    condition, params, inside, inside_params = _left_out(f, "a")
    sql = f"""SELECT a.region_code, r.name_ru AS region, a.district, a.period_start, a.period_end, a.period_kind,
                     a.events, a.participants, a.students, a.event_type, a.audience, a.organizer, a.batch_id,
                     b.file_name AS source_file, a.source_sheet, a.source_row,
                     CASE WHEN {inside} THEN 'no_breakdown' ELSE 'partial' END AS reason
              FROM activity_record a JOIN region r ON r.region_code = a.region_code
              JOIN batch b ON b.batch_id = a.batch_id
              WHERE {condition}
              ORDER BY a.period_start, a.period_end, region, source_file, a.source_row"""
    params = inside_params + params
    if limit is not None:
        sql += " LIMIT ?"
        params = params + [int(limit)]
    return con.cursor().execute(sql, params).df()


def replace_regions(f: Filters) -> Filters:
    """The filters without their regions (the regions are applied separately)."""
    return Filters(f.date_from, f.date_to, (), tuple(f.event_types), tuple(f.audiences), tuple(f.organizers))
