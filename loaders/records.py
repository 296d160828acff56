"""Assemble clean records from one recognised table, checking every cell on the way.

Each distinct cell value is parsed once per column (loaders.checks); problems are filed per row, and a row with
any problem is rejected whole (with all the records its column groups would give), so nothing half-read counts."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from loaders.checks import Checker, count_parser, date_parser, period_parser, region_resolver
from loaders.fields import COUNTS, PARTS
from loaders.gazetteer import canonical
from loaders.headers import HeaderBlock
from loaders.options import ParseOptions
from loaders.parse import clean_text
from loaders.period import Period, period_kind
from loaders.problems import Problem
from loaders.recognise import Group, Layout
from loaders.rows import DATA, classify, last_filled
from loaders.sections import find_sections

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
    region_texts: Counter = field(default_factory=Counter)


def read_table(sheet, block: HeaderBlock, layout: Layout, context: Context) -> TableResult:
    rows = sheet.rows[block.data_start:last_filled(sheet.rows)]
    result = TableResult(rows_read=len(rows))
    if not rows:
        return result
    column_of = {f: c for c, f in layout.mapping.items()}
    groups = [g for g in layout.groups if g.period is not None]
    count_columns = [c for c, f in layout.mapping.items() if f in COUNTS] + [
        c for g in layout.groups for c in g.columns.values()]
    ignore = {ch.column for ch in layout.choices if ch.field == "number"} | {
        c for ch in layout.choices for c in [ch.column] if ch.field is None and ch.group is None
        and _only_numbers(rows, c)}
    kinds = classify(rows, ignore, count_columns)
    place = column_of.get("region", column_of.get("district"))
    excel_rows = [sheet.first_row + block.data_start + i for i in range(len(rows))]
    sections = None
    if place is not None:
        places = [_place_text(r, place) for r in rows]
        counts = [[r[c] if c < len(r) else None for c in count_columns] for r in rows]
        sections = find_sections(kinds, places, counts, excel_rows, sheet.name, "region" in column_of)
        result.warnings += sections.warnings
    data = [i for i, kind in enumerate(kinds) if kind == DATA]
    result.rows_skipped = len(rows) - len(data)
    if not data:
        return result

    def column(name: str) -> list | None:
        c = column_of.get(name)
        return None if c is None else [rows[i][c] if c < len(rows[i]) else None for i in data]

    check = Checker({f: block.header(c) for c, f in layout.mapping.items()})
    shared = _shared(column, check, data, sections, context)
    units = groups or [None]
    built = [_unit_records(rows, data, unit, column, check, shared, context) for unit in units]
    _assemble(result, sheet, block, rows, data, excel_rows, check, built, shared)
    result.region_texts.update(t for t in shared["region_text"] if t)
    return result


def _place_text(row: list, place: int):
    """The place column's text; for a row with one filled cell (a heading written across the table, in whatever
    column), that cell's text."""
    filled = [v for v in row if v is not None and not (isinstance(v, str) and not v.strip())]
    if len(filled) == 1 and isinstance(filled[0], str):
        return filled[0]
    return row[place] if place < len(row) else None


def _only_numbers(rows: list[list], column: int) -> bool:
    values = [r[column] for r in rows[:50] if column < len(r) and r[column] not in (None, "")]
    return bool(values) and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values)


def _shared(column, check: Checker, data: list[int], sections, context: Context) -> dict[str, list]:
    """The fields every record of a row shares: region, district, texts, date."""
    n = len(data)
    region_cells = column("region") or [None] * n
    district_cells = column("district") or [None] * n
    fallback = [(sections.region_of.get(i) if sections else None) for i in data]
    resolve = region_resolver(context.region, context.options)
    placed = check.values("region", list(zip(region_cells, district_cells, fallback)), resolve)
    out: dict[str, list] = {
        "region_code": [p[0] if p else None for p in placed],
        "region_text": [p[1] if p else None for p in placed],
        "district": [p[2] if p else None for p in placed],
    }
    for name in ("event_type", "audience"):
        cells = column(name)
        out[name] = _mapped(cells, n, lambda v, kind=name: canonical(kind, clean_text(v)))
    for name in TEXT_FIELDS:
        out[name] = _mapped(column(name), n, clean_text)
    dates = column("date")
    if dates is not None:
        out["date"] = check.values("date", dates, lambda v: date_parser(v, context.today))
    periods = column("period")
    if periods is not None:
        out["period"] = check.values("period", periods, period_parser(context.year), required=False)
    return out


def _mapped(cells: list | None, n: int, convert) -> list:
    if cells is None:
        return [None] * n
    converted = {value: convert(value) for value in set(cells)}
    return [converted[cell] for cell in cells]


def _unit_records(rows, data, group: Group | None, column, check: Checker, shared, context) -> dict:
    """Counts and periods of one column group (or of the whole row when there are no groups)."""
    n = len(data)
    if group is None:
        cells = {f: column(f) for f in COUNTS}
    else:
        cells = {f: [rows[i][c] if c < len(rows[i]) else None for i in data] for f, c in group.columns.items()}
        check.headers.update({f"{group.label}:{f}": f"{group.label} / {f}" for f in group.columns})
    counts = {}
    for name in COUNTS:
        values = cells.get(name)
        key = name if group is None else f"{group.label}:{name}"
        counts[name] = check.values(key, values, count_parser) if values is not None else [None] * n
    present = [any(counts[f][k] is not None for f in COUNTS) or (cells.get("events") is None and group is None)
               for k in range(n)]
    periods = _periods(shared, group, context, n)
    return {"counts": counts, "periods": periods, "present": present, "label": group.label if group else None,
            "has_events": cells.get("events") is not None}


def _periods(shared, group: Group | None, context: Context, n: int) -> list:
    if "date" in shared:
        return [((d[0], d[1]) if isinstance(d, tuple) else (d, d)) if d else None for d in shared["date"]]
    fixed = group.period if group is not None else context.period
    rows = [None] * n
    for k in range(n):
        found = shared.get("period", [None] * n)[k] or fixed
        rows[k] = (found.start, found.end) if found else None
    return rows


def _assemble(result: TableResult, sheet, block, rows, data, excel_rows, check: Checker, built, shared) -> None:
    summary = "date" not in shared
    out = {name: [] for name in RECORD_FIELDS}
    for k, i in enumerate(data):
        problems = list(check.problems.get(k, ()))
        records = []
        for unit in built:
            if unit["label"] is not None and not unit["present"][k]:
                continue
            events = unit["counts"]["events"][k]
            if events is None and not unit["has_events"] and not summary:
                events = 1
            if events is None and summary:
                problems.append(Problem("missing-events", {}, column=unit["label"]))
            if unit["periods"][k] is None and not any(p.code in ("missing-date", "invalid-date", "impossible-date",
                                                                 "date-out-of-range") for p in problems):
                problems.append(Problem("missing-date" if not summary else "missing-period", {}))
            total = unit["counts"]["participants"][k]
            for part in PARTS:
                value = unit["counts"][part][k]
                if value is not None and total is not None and value > total:
                    problems.append(Problem("part-exceeds-total", {"value": value, "total": total},
                                            column=check.headers.get(part)))
            records.append((unit, events))
        if problems:
            _reject(result, sheet, block, rows[i], excel_rows[i], problems)
            continue
        if not records:
            result.rows_skipped += 1  # a row whose groups are all empty: nothing reported
            continue
        result.rows_loaded += 1
        for unit, events in records:
            start, end = unit["periods"][k]
            values = {"source_sheet": sheet.name, "source_row": excel_rows[i], "period_start": start,
                      "period_end": end, "period_kind": period_kind(start, end), "events": events,
                      **{f: unit["counts"][f][k] for f in COUNTS if f != "events"}}
            for name in out:
                out[name].append(values[name] if name in values else shared[name][k])
        result.records += len(records)
    result.columns = out


def _reject(result: TableResult, sheet, block, row, excel_row: int, problems: list[Problem]) -> None:
    unique = {(p.code, p.column, repr(sorted(p.params.items()))): p for p in problems}
    located = [p.at(sheet=sheet.name, row=excel_row) for p in unique.values()]
    result.errors.extend(located)
    result.rows_rejected += 1
    result.rejected.append({
        "sheet": sheet.name, "row": excel_row,
        "raw_values": {block.header(c) or f"#{c + 1}": clean_text(v) for c, v in enumerate(row)},
        "problems": [p.to_dict() for p in located],
    })
