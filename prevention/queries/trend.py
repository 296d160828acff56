"""The trend by the right unit: the finest calendar unit (month, quarter, half-year, year) that every counted record
in view fits into. An event-log record fits its month (the month it starts in); a summary fits the finest unit that
holds its whole period (a 9-month summary only a year; one that crosses a year fits none and is left out, said so).
A summary is never split into months and never drawn as the bar of its first month.

A finer unit may be asked for: the counted summaries that do not fit it are left out of it (listed in `left_out`),
and the event-log records inside them are given as their own part of each bar (`detail_*`, «в т.ч. по журналам
мероприятий»), so the finer view shows what is known at that grain without adding it to the totals.
"""
from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import duckdb
import pandas as pd

from prevention.queries import periods
from prevention.queries.filters import Filters
from prevention.queries.parts import record_parts

UNITS = periods.UNITS
_MONTHS = {0: 1, 1: 3, 2: 6, 3: 12}
COUNTS = ("events", "participants", "students")
BAR_COLUMNS = ["period_start", "period_end", *COUNTS, *(f"detail_{m}" for m in COUNTS)]
LEFT_OUT_COLUMNS = ["period_kind", "period_start", "period_end", "summaries", *COUNTS]


def unit_start(day: date, unit: int) -> date:
    """The first day of the unit (index in UNITS) that holds `day`."""
    size = _MONTHS[unit]
    return date(day.year, (day.month - 1) // size * size + 1, 1)


def unit_end(start: date, unit: int) -> date:
    month = start.month + _MONTHS[unit]
    following = date(start.year + (month - 1) // 12, (month - 1) % 12 + 1, 1)
    return following - timedelta(days=1)


def _buckets(first: date, last: date, unit: int) -> list[date]:
    starts, current = [], unit_start(first, unit)
    while current <= last:
        starts.append(current)
        current = unit_end(current, unit) + timedelta(days=1)
    return starts


def _day(value) -> date:
    return pd.Timestamp(value).date()


def _days(values: pd.Series) -> list[date]:
    return pd.to_datetime(values).dt.date.tolist()


def _bars(parts: pd.DataFrame, unit: int, span: tuple[date, date] | None) -> pd.DataFrame:
    """Counted event-log records by their month's bucket, counted summaries that fit the unit by theirs, and the
    event-log records inside summaries too coarse for the unit as `detail_*`."""
    totals: dict[date, Counter] = {}
    for row, start in zip(parts.itertuples(index=False), _days(parts["period_start"])):
        if row.part == "summary" and row.fit > unit:
            continue  # left out of this unit (trend_of lists it)
        if row.part == "inside" and row.fit <= unit:
            continue  # the detail of a summary drawn whole at this unit
        prefix = "detail_" if row.part == "inside" else ""
        bucket = totals.setdefault(unit_start(start, unit), Counter())
        for m in COUNTS:
            bucket[prefix + m] += int(getattr(row, m))
    if span is None:
        if not totals:
            return pd.DataFrame(columns=BAR_COLUMNS)
        span = (min(totals), max(totals))
    rows = [{"period_start": start, "period_end": unit_end(start, unit),
             **{c: totals.get(start, Counter())[c] for c in BAR_COLUMNS[2:]}} for start in _buckets(*span, unit)]
    frame = pd.DataFrame(rows, columns=BAR_COLUMNS)
    frame["period_start"] = pd.to_datetime(frame["period_start"])
    frame["period_end"] = pd.to_datetime(frame["period_end"])
    return frame.astype({c: "int64" for c in BAR_COLUMNS[2:]})


def _span(f: Filters, parts: pd.DataFrame) -> tuple[date, date] | None:
    """The axis: the window, its open ends taken from the records."""
    starts = _days(parts["period_start"])
    ends = [_day(e) if part == "summary" else s for s, e, part in zip(starts, parts["period_end"], parts["part"])]
    first = periods.as_date(f.date_from) or (min(starts) if starts else None)
    last = periods.as_date(f.date_to) or (max(ends) if ends else None)
    return (first, last) if first and last and first <= last else None


def _left_out(summaries: pd.DataFrame) -> pd.DataFrame:
    if summaries.empty:
        return pd.DataFrame(columns=LEFT_OUT_COLUMNS)
    grouped = (summaries.assign(summaries=1).rename(columns={"kind": "period_kind"})
               .groupby(["period_kind", "period_start", "period_end"], as_index=False)
               [["summaries", *COUNTS]].sum())
    grouped = grouped.sort_values(["period_start", "period_end", "period_kind"], ignore_index=True)
    for column in ("period_start", "period_end"):
        grouped[column] = [_day(v) for v in grouped[column]]
    return grouped[LEFT_OUT_COLUMNS].astype({c: "int64" for c in LEFT_OUT_COLUMNS[3:]})


def trend_of(parts: pd.DataFrame, f: Filters, unit: str | None = None) -> dict:
    """The trend of the counted records (parts.record_parts of the same filters).

    Returns {"unit": the unit drawn, "natural": the finest unit every counted record fits, "units": the units that
    can be drawn (finest first, up to natural), "reason": {period kind: summaries} of the counted summaries that
    need the natural unit, "bars": one row per unit of the axis (period_start, period_end, events, participants,
    students, detail_events, detail_participants, detail_students), "left_out": the counted summaries not in the
    bars (they need a coarser unit, or fit none), by kind and period}."""
    summaries = parts[parts["part"] == "summary"]
    fitting = summaries[summaries["fit"] != periods.NO_UNIT]
    natural = int(fitting["fit"].max()) if len(fitting) else 0
    chosen = UNITS.index(unit) if unit in UNITS and UNITS.index(unit) <= natural else natural
    reason = fitting.loc[fitting["fit"] == natural, "kind"].value_counts() if natural > 0 else pd.Series(dtype=int)
    return {
        "unit": UNITS[chosen], "natural": UNITS[natural], "units": list(UNITS[:natural + 1]),
        "reason": {k: int(v) for k, v in reason.items()},
        "bars": _bars(parts, chosen, _span(f, parts)),
        "left_out": _left_out(summaries[summaries["fit"] > chosen]),
    }


def trend(con: duckdb.DuckDBPyConnection, f: Filters, unit: str | None = None) -> dict:
    """trend_of() the record parts of these filters."""
    return trend_of(record_parts(con, f), f, unit)
