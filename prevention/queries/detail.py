"""The filtered event-log records of a window, summed by region and the months their period starts and ends in (and by
form, audience or organiser when asked): the relation the Overview's sums are taken from.

The months wholly inside the window come from `activity_month` (prevention.storage.rollup: the same records summed
per batch, region, months, form, audience and organiser); the records of the window's partial months at either end
come from activity_record with the window's own dates. The two parts split the records of the window exactly: a
record whose months both lie in [m1, m2], the whole months of the window, lies in the window; any other record of the
window starts before m1 or ends after m2. A window of whole months (every preset, a year earlier of one) reads only
the monthly sums. Nothing here imports Streamlit.
"""
from __future__ import annotations

import calendar
from datetime import date

from prevention.queries import periods
from prevention.queries.filters import Filters
from prevention.storage.rollup import GRAINS, MONTH_OF

KEYS = ("event_type", "audience", "organizer")
SUMS = "events, participants, students, records"


def month_number(day) -> int:
    return day.year * 12 + day.month - 1


def first_day(month: int) -> date:
    """The first day of month number `month` (year * 12 + month - 1)."""
    return date(month // 12, month % 12 + 1, 1)


def whole_months(f: Filters) -> tuple[int | None, int | None]:
    """The first and last month wholly inside the window (None for an open end)."""
    start, end = periods.as_date(f.date_from), periods.as_date(f.date_to)
    first = None if start is None else month_number(start) + (start.day != 1)
    last = None if end is None else month_number(end) - (end.day != calendar.monthrange(end.year, end.month)[1])
    return first, last


def grain(f: Filters, by: tuple[str, ...] = ()) -> int:
    """The coarsest grain of activity_month that has every column the filters and `by` use."""
    used = set(by) | {column for column, values in (("event_type", f.event_types), ("audience", f.audiences),
                                                    ("organizer", f.organizers)) if values}
    return next(level for level, columns in enumerate(GRAINS) if used <= columns)


def _month_range(first: int | None, last: int | None) -> tuple[list[str], list]:
    parts, params = [], []
    if first is not None:
        parts.append("start_month >= ?")
        params.append(first)
    if last is not None:
        parts.append("end_month <= ?")
        params.append(last)
    return parts, params


def months(f: Filters, by: tuple[str, ...] = ()) -> tuple[str, list]:
    """`(sql, params)`: a relation of region_code, start_month, end_month, *by, events, participants, students,
    records over the event-log records that pass the filters (whole period in the window, every list), not yet summed
    across its two parts (callers group it). `by` is a subset of KEYS."""
    assert set(by) <= set(KEYS), by
    keys = ", ".join(("region_code", "start_month", "end_month", *by))
    dims, dim_params = periods.dimension_parts(f)
    first, last = whole_months(f)
    empty = first is not None and last is not None and first > last
    selects, params = [], []
    if not empty:
        inside, inside_params = _month_range(first, last)
        where = " AND ".join(["grain = ?"] + inside + dims)
        selects.append(f"SELECT {keys}, {SUMS} FROM activity_month WHERE {where}")
        params += [grain(f, by)] + inside_params + dim_params
    start, end = periods.as_date(f.date_from), periods.as_date(f.date_to)
    partial_start = start is not None and (empty or start.day != 1)
    partial_end = end is not None and (empty or month_number(end) != last)
    if partial_start or partial_end:
        window, window_params = periods.window_parts(f)
        edges, edge_params = [], []
        if not empty:  # dates, not month numbers: compared without computing a month for every record
            if first is not None:
                edges.append("period_start < ?")
                edge_params.append(first_day(first))
            if last is not None:
                edges.append("period_end >= ?")
                edge_params.append(first_day(last + 1))
        where = " AND ".join(["NOT is_summary", *window, *dims] + ([f"({' OR '.join(edges)})"] if edges else []))
        selects.append(
            f"""SELECT region_code, {MONTH_OF.format('period_start')} AS start_month,
                       {MONTH_OF.format('period_end')} AS end_month, {''.join(f'{k}, ' for k in by)}
                       sum(events)::BIGINT AS events, sum(participants)::BIGINT AS participants,
                       sum(students)::BIGINT AS students, count(*) AS records
                FROM activity_record WHERE {where} GROUP BY ALL""")
        params += window_params + dim_params + edge_params
    return " UNION ALL ".join(selects), params
