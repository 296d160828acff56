"""Assemble clean records from one recognised table, checking every cell on the way.

Each distinct cell value is parsed once per column (loaders.checks); problems are filed per row, and a row with
any problem is rejected whole (with all the records its column groups would give), so nothing half-read counts."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from loaders.checks import Checker, DateReader, count_parser, period_parser, region_resolver
from loaders.fields import COUNTS, PARTS
from loaders.gazetteer import canonical
from loaders.headers import HeaderBlock
from loaders.options import ParseOptions
from loaders.parse import clean_text
from loaders.period import Period, period_kind
from loaders.problems import LoaderError, Problem, reasons
from loaders.recognise import Group, Layout
from loaders.rows import DATA, classify, last_filled, transpose
from loaders.sections import find_sections, mark_subheadings

MAX_REJECTIONS = 3000  # past this many rejected rows a file is refused as not a report
RECORD_FIELDS = ["source_sheet", "source_row", "region_code", "region_text", "district", "period_start", "period_end",
                 "period_kind", "events", "participants", "students", "schoolchildren", "parents", "teachers",
                 "event_type", "audience", "venue", "organizer", "description"]
TEXT_FIELDS = ("venue", "organizer", "description")


@dataclass
class Context:
    """What the table's surroundings give: the region of a sheet or title, the period of a title, the year."""
    today: date | None
    options: ParseOptions
    region: tuple[str, str] | None = None      # (code, the text it was read from)
    period: Period | None = None
    year: int | None = None


@dataclass
class TableResult:
    columns: dict[str, list] = field(default_factory=dict)
    rejected: list[dict] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    rows_read: int = 0
    rows_loaded: int = 0
    rows_skipped: int = 0
    rows_rejected: int = 0
    records: int = 0
    region_texts: Counter = field(default_factory=Counter)  # (region text, the region its rows got) -> rows


def read_table(sheet, block: HeaderBlock, layout: Layout, context: Context) -> TableResult:
    rows = sheet.rows[block.data_start:last_filled(sheet.rows)]
    result = TableResult(rows_read=len(rows))
    if not rows:
        return result
    grid = transpose(rows)
    column_of = {f: c for c, f in layout.mapping.items()}
    groups = [g for g in layout.groups if g.period is not None]
    count_columns = [c for c, f in layout.mapping.items() if f in COUNTS] + [
        c for g in layout.groups for c in g.columns.values()]
    ignore = {ch.column for ch in layout.choices if ch.field == "number"}
    keys = [column_of[f] for f in ("date", "period", "region", "district") if f in column_of]
    kinds, filled = classify(rows, grid, ignore, count_columns, keys)
    excel_rows = [sheet.first_row + block.data_start + i for i in range(len(rows))]
    sections = _sections(rows, grid, kinds, filled, column_of, count_columns, excel_rows, sheet.name)
    if sections:
        result.warnings += sections.warnings
    data = [i for i, kind in enumerate(kinds) if kind == DATA]
    result.rows_skipped = len(rows) - len(data)
    if not data:
        return result
    every_row = len(data) == len(rows)

    def cells(c: int) -> list:
        values = grid[c] if c < len(grid) else (None,) * len(rows)
        return list(values) if every_row else [values[i] for i in data]

    def column(name: str) -> list | None:
        return None if name not in column_of else cells(column_of[name])

    check = Checker({f: block.header(c) for c, f in layout.mapping.items()})
    shared = _shared(column, check, data, sections, context)
    if shared.get("dates_without_year"):
        texts = list(dict.fromkeys(shared["dates_without_year"]))
        result.warnings.append(Problem("year-from-title", {"year": context.year, "values": texts[:3],
                                                           "count": len(texts)}, sheet=sheet.name))
    built = [_unit_records(cells, data, unit, column, check, shared, context) for unit in (groups or [None])]
    _formula_errors(sheet, block, layout, data, check)
    if len(check.problems) > MAX_REJECTIONS:  # not a report, or misread: stop before building rejected rows
        raise LoaderError("too-many-rejections", count=MAX_REJECTIONS,
                          reasons=reasons([p for found in check.problems.values() for p in found]))
    _assemble(result, sheet, block, rows, data, excel_rows, check, built, shared)
    result.region_texts.update((t, c) for t, c in zip(shared["region_text"], shared["region_code"]) if t)
    if "date" not in shared:
        result.warnings += _regions_twice(shared, built, sheet.name)
    return result


def _formula_errors(sheet, block: HeaderBlock, layout: Layout, data: list[int], check: Checker) -> None:
    """A row whose read cell holds a failed formula («#REF!», «#DIV/0!»; the parser reads it as empty) is rejected
    with the error, never loaded as if the figure were not given."""
    if not sheet.errors:
        return
    read = set(layout.mapping) | {c for g in layout.groups for c in g.columns.values()}
    position = {row: k for k, row in enumerate(data)}
    for (r, c), text in sorted(sheet.errors.items()):
        k = position.get(r - block.data_start)
        if k is not None and c in read:
            check.problems.setdefault(k, []).append(Problem("formula-error", {"value": text},
                                                            column=block.header(c)))


def _regions_twice(shared, built, sheet_name: str) -> list[Problem]:
    """A summary names each region once per period: a region on two rows of one period («ДП г. Шымкент» and «УП г.
    Шымкент», or one row copied) is summed, and said, for one unit may be counted twice. Districts under a region's
    heading are its parts, not a repetition."""
    rows: dict[tuple, list[str]] = {}
    for unit in built:
        for k, (code, district, period, present) in enumerate(zip(shared["region_code"], shared["district"],
                                                                 unit["periods"], unit["present"])):
            if code and period and present and district is None:
                rows.setdefault((code, period), []).append(shared["region_text"][k] or "")
    warned, problems = set(), []
    for (code, _), texts in rows.items():
        if len(texts) > 1 and code not in warned:
            warned.add(code)
            problems.append(Problem("region-twice", {"region": code, "values": list(dict.fromkeys(texts))[:4],
                                                     "count": len(texts)}, sheet=sheet_name))
    return problems


def _sections(rows, grid, kinds, filled, column_of, count_columns, excel_rows, sheet_name):
    """Section headings, when a region column (or a city/district column) mixes regions and other places."""
    place = column_of.get("region", column_of.get("district"))
    if place is None:
        return None
    places = list(grid[place]) if place < len(grid) else [None] * len(rows)
    for i, n in enumerate(filled):
        # a heading written across the table, in any column
        if n == 1 and (places[i] is None or (isinstance(places[i], str) and not places[i].strip())):
            places[i] = next((v for v in rows[i] if isinstance(v, str) and v.strip()), places[i])
    figures = count_columns + [column_of[f] for f in ("date", "period") if f in column_of]
    if not figures:
        return None  # a heading is told by its empty figures: without any, there are no headings
    row_figures = _RowFigures(rows, figures)
    found = find_sections(kinds, places, row_figures, excel_rows, sheet_name, "region" in column_of)
    mark_subheadings(kinds, filled, row_figures)
    return found


class _RowFigures:
    """The figure cells of a row, built only for the rows the section logic looks at (most tables need none)."""

    def __init__(self, rows: list[list], columns: list[int]) -> None:
        self.rows, self.columns = rows, columns

    def __getitem__(self, index: int) -> list:
        row = self.rows[index]
        return [row[c] if c < len(row) else None for c in self.columns]


def _shared(column, check: Checker, data: list[int], sections, context: Context) -> dict[str, list]:
    """The fields every record of a row shares: region, district, texts, date."""
    n = len(data)
    region_cells, district_cells = column("region"), column("district")
    resolve = region_resolver(context.region, context.options)
    if district_cells is None and not (sections and sections.region_of):  # the common case: one column decides
        placed = check.values("region", region_cells or [None] * n, lambda v: resolve((v, None, None)))
    else:
        fallback = [sections.region_of.get(i) if sections else None for i in data]
        placed = check.values("region", list(zip(region_cells or [None] * n, district_cells or [None] * n, fallback)),
                              resolve)
    if n and None not in placed:
        codes, texts, districts = (list(column) for column in zip(*placed))
    else:
        codes, texts, districts = ([p[i] if p else None for p in placed] for i in range(3))
    out: dict[str, list] = {"region_code": codes, "region_text": texts, "district": districts}
    for name in ("event_type", "audience"):
        cells = column(name)
        out[name] = _mapped(cells, n, lambda v, kind=name: canonical(kind, clean_text(v)))
    for name in TEXT_FIELDS:
        out[name] = _mapped(column(name), n, clean_text)
    dates = column("date")
    if dates is not None:
        reader = DateReader(context.today, context.year)
        out["date"] = check.values("date", dates, reader)
        completed = set(reader.completed)
        out["dates_without_year"] = [v.strip() for v in dict.fromkeys(dates)
                                     if isinstance(v, str) and v.strip() in completed]
    periods = column("period")
    if periods is not None:
        out["period"] = check.values("period", periods, period_parser(context.year), required=False)
    return out


def _mapped(cells: list | None, n: int, convert) -> list:
    if cells is None:
        return [None] * n
    converted = {value: convert(value) for value in set(cells)}
    return [converted[cell] for cell in cells]


def _unit_records(cells_of, data, group: Group | None, column, check: Checker, shared, context) -> dict:
    """Counts and periods of one column group (or of the whole row when there are no groups)."""
    n = len(data)
    if group is None:
        cells = {f: column(f) for f in COUNTS}
    else:
        cells = {f: cells_of(c) for f, c in group.columns.items()}
        check.headers.update({f"{group.label}:{f}": f"{group.label} / {f}" for f in group.columns})
    counts = {}
    for name in COUNTS:
        values = cells.get(name)
        key = name if group is None else f"{group.label}:{name}"
        counts[name] = check.values(key, values, count_parser) if values is not None else [None] * n
    if cells.get("events") is None and group is None:
        present = [True] * n
    else:  # a row of this unit is present when any of its counts is filled (tuples compared in C)
        nothing = (None,) * len(COUNTS)
        present = [row != nothing for row in zip(*(counts[f] for f in COUNTS))]
    periods = _periods(shared, group, context, n)
    return {"counts": counts, "periods": periods, "present": present, "label": group.label if group else None,
            "has_events": cells.get("events") is not None}


def _periods(shared, group: Group | None, context: Context, n: int) -> list:
    if "date" in shared:
        dates = shared["date"]
        pairs = {d: None if d is None else d if d.__class__ is tuple else (d, d) for d in set(dates)}
        return [pairs[d] for d in dates]
    fixed = group.period if group is not None else context.period
    cells = shared.get("period") or [None] * n
    return [(found.start, found.end) if found else None for found in (cell or fixed for cell in cells)]


def _assemble(result: TableResult, sheet, block, rows, data, excel_rows, check: Checker, built, shared) -> None:
    """Whole-row checks per unit, then the records of the rows without any problem, column by column."""
    summary = "date" not in shared
    n = len(data)
    problems: dict[int, list[Problem]] = {k: list(v) for k, v in check.problems.items()}
    dated = {k for k, found in problems.items() if any(p.code in _DATE_CODES for p in found)}
    events_of = []
    for unit in built:
        events = _events(unit, summary, n)
        events_of.append(events)
        _unit_problems(unit, events, summary, dated, problems, check)
    if len(problems) > MAX_REJECTIONS:  # not a report, or misread: stop before building rejected rows
        raise LoaderError("too-many-rejections", count=MAX_REJECTIONS,
                          reasons=reasons([p for found in problems.values() for p in found]))
    headers = [block.header(c) or f"#{c + 1}" for c in range(block.width)]
    for k in sorted(problems):
        _reject(result, sheet, headers, rows[data[k]], excel_rows[data[k]], problems[k])
    out = {name: [] for name in RECORD_FIELDS}
    loaded = set()
    for unit, events in zip(built, events_of):
        everything = not problems and (unit["label"] is None or all(unit["present"]))
        keep = range(n) if everything else [k for k in range(n) if k not in problems
                                            and (unit["label"] is None or unit["present"][k])]

        def pick(values, keep=keep, everything=everything):
            return list(values) if everything else [values[k] for k in keep]
        loaded.update(keep)
        periods = pick(unit["periods"])
        starts, ends = [p[0] for p in periods], [p[1] for p in periods]
        kinds = {pair: period_kind(*pair) for pair in set(periods)}
        out["source_sheet"] += [sheet.name] * len(starts)
        out["source_row"] += pick([excel_rows[i] for i in data])
        out["period_start"] += starts
        out["period_end"] += ends
        out["period_kind"] += [kinds[pair] for pair in periods]
        out["events"] += pick(events)
        for name in COUNTS[1:]:
            out[name] += pick(unit["counts"][name])
        for name in ("region_code", "region_text", "district", "event_type", "audience", *TEXT_FIELDS):
            out[name] += pick(shared[name])
        result.records += len(starts)
    result.rows_loaded = len(loaded)
    result.rows_skipped += n - len(loaded) - len(problems)
    result.columns = out


_DATE_CODES = {"missing-date", "invalid-date", "impossible-date", "date-out-of-range"}


def _events(unit: dict, summary: bool, n: int) -> list:
    """Events per row: the column's value; in an event log a missing count (or no column) is one event."""
    events = unit["counts"]["events"]
    if not summary and not unit["has_events"]:
        return [1] * n
    if not summary and None in events:
        return [1 if e is None else e for e in events]
    return events


def _unit_problems(unit: dict, events: list, summary: bool, dated: set, problems: dict, check: Checker) -> None:
    """Row problems no single cell shows: no events in a summary, no period, a part larger than the total."""
    counts, periods, present = unit["counts"], unit["periods"], unit["present"]
    n = len(events)
    if unit["label"] is not None or None in events or None in periods:
        for k in range(n):
            if unit["label"] is not None and not present[k]:
                continue
            if events[k] is None:
                problems.setdefault(k, []).append(Problem("missing-events", {}, column=unit["label"]))
            if periods[k] is None and k not in dated:
                problems.setdefault(k, []).append(Problem("missing-period" if summary else "missing-date", {}))
    total = counts["participants"]
    if total.count(None) == n:
        return
    for part in PARTS:
        values = counts[part]
        if values.count(None) == n:
            continue
        for k, (value, whole) in enumerate(zip(values, total)):
            if value is not None and whole is not None and value > whole:
                problems.setdefault(k, []).append(Problem("part-exceeds-total", {"value": value, "total": whole},
                                                          column=check.headers.get(part)))


def _reject(result: TableResult, sheet, headers: list[str], row, excel_row: int, problems: list[Problem]) -> None:
    unique = {(p.code, p.column, repr(sorted(p.params.items()))): p for p in problems}
    located = [p.at(sheet=sheet.name, row=excel_row) for p in unique.values()]
    result.errors.extend(located)
    result.rows_rejected += 1
    result.rejected.append({
        "sheet": sheet.name, "row": excel_row,
        "raw_values": {(headers[c] if c < len(headers) else f"#{c + 1}"): clean_text(v) for c, v in enumerate(row)},
        "problems": [p.to_dict() for p in located],
    })
