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


def _months(con: duckdb.DuckDBPyConnection, f: Filters, selection: periods.Selection) -> pd.DataFrame:
    """Event-log records in the window by the month they start in, `inside` a counted summary or not."""
    ctes, params = periods.detail_ctes(f, selection)
    return con.cursor().execute(
        f"""{ctes}
        SELECT date_trunc('month', period_start)::DATE AS month, inside, inside_fit,
               coalesce(sum(events), 0)::BIGINT AS events, coalesce(sum(participants), 0)::BIGINT AS participants,
               coalesce(sum(students), 0)::BIGINT AS students
        FROM flagged GROUP BY ALL""",
        params,
    ).df()


def _buckets(first: date, last: date, unit: int) -> list[date]:
    starts, current = [], unit_start(first, unit)
    while current <= last:
        starts.append(current)
        current = unit_end(current, unit) + timedelta(days=1)
    return starts


def _bars(months: pd.DataFrame, shown: list[periods.Summary], unit: int, span: tuple[date, date] | None) -> pd.DataFrame:
    totals: dict[date, Counter] = {}
    for row in months.itertuples(index=False):
        month = pd.Timestamp(row.month).date()
        own = not row.inside
        hidden = row.inside and (pd.isna(row.inside_fit) or int(row.inside_fit) > unit)
        if not (own or hidden):
            continue  # the detail of a summary drawn whole at this unit
        bucket = totals.setdefault(unit_start(month, unit), Counter())
        for m in COUNTS:
            bucket[m if own else f"detail_{m}"] += int(getattr(row, m))
    for s in shown:
        bucket = totals.setdefault(unit_start(s.period_start, unit), Counter())
        for m in COUNTS:
            bucket[m] += int(getattr(s, m) or 0)
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


def _span(f: Filters, months: pd.DataFrame, summaries: list[periods.Summary]) -> tuple[date, date] | None:
    """The axis: the window, its open ends taken from the records."""
    starts = [pd.Timestamp(m).date() for m in months["month"]] + [s.period_start for s in summaries]
    ends = [pd.Timestamp(m).date() for m in months["month"]] + [s.period_end for s in summaries]
    first = periods.as_date(f.date_from) or (min(starts) if starts else None)
    last = periods.as_date(f.date_to) or (max(ends) if ends else None)
    return (first, last) if first and last and first <= last else None


def _left_out(summaries: list[periods.Summary]) -> pd.DataFrame:
    groups: dict[tuple, Counter] = {}
    for s in summaries:
        item = groups.setdefault((s.kind, s.period_start, s.period_end), Counter())
        item["summaries"] += 1
        for m in COUNTS:
            item[m] += int(getattr(s, m) or 0)
    rows = [{"period_kind": k, "period_start": a, "period_end": b, **{c: v[c] for c in LEFT_OUT_COLUMNS[3:]}}
            for (k, a, b), v in sorted(groups.items(), key=lambda kv: (kv[0][1], kv[0][2], kv[0][0]))]
    return pd.DataFrame(rows, columns=LEFT_OUT_COLUMNS)


def trend(con: duckdb.DuckDBPyConnection, f: Filters, unit: str | None = None) -> dict:
    """The trend of the counted records.

    Returns {"unit": the unit drawn, "natural": the finest unit every counted record fits, "units": the units that
    can be drawn (finest first, up to natural), "reason": {period kind: summaries} of the counted summaries that
    need the natural unit, "bars": one row per unit of the axis (period_start, period_end, events, participants,
    students, detail_events, detail_participants, detail_students), "left_out": the counted summaries not in the
    bars (they need a coarser unit, or fit none), by kind and period}."""
    selection = periods.counted(con, f)
    months = _months(con, f, selection)
    fits = {s: periods.fit(s.period_start, s.period_end) for s in selection.counted}
    natural = max((x for x in fits.values() if x is not None), default=0)
    chosen = UNITS.index(unit) if unit in UNITS and UNITS.index(unit) <= natural else natural
    shown = [s for s, x in fits.items() if x is not None and x <= chosen]
    hidden = [s for s, x in fits.items() if x is None or x > chosen]
    reason = Counter(s.kind for s, x in fits.items() if x == natural and natural > 0)
    return {
        "unit": UNITS[chosen], "natural": UNITS[natural], "units": list(UNITS[:natural + 1]), "reason": dict(reason),
        "bars": _bars(months, shown, chosen, _span(f, months, list(selection.counted))),
        "left_out": _left_out(hidden),
    }
