"""Row checks applied down a table's columns: each distinct cell value is parsed once, problems are filed per
row with a stable code, a Russian message and the parameters other languages need."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from loaders.gazetteer import RegionMatch, match_region, region_for_district
from loaders.parse import Problem, clean_text, parse_count, parse_date
from loaders.period import parse_period
from loaders.report import message
from loaders.table import is_blank, row_kind


@dataclass(frozen=True)
class ParseOptions:
    """An analyst's corrections, applied on top of what the loader recognised.

    column_overrides: flattened header text (as in FileReport.sheets[*]["columns"]) -> field name, or None to ignore
    the column. region_overrides: region text as written -> ISO code, or None to reject rows with that text."""
    column_overrides: dict = field(default_factory=dict)
    region_overrides: dict = field(default_factory=dict)


def match_with_options(text: str | None, options: ParseOptions) -> RegionMatch:
    if text in options.region_overrides:
        code = options.region_overrides[text]
        return RegionMatch(code, 1.0 if code else 0.0, "confirmed" if code else "unknown", "подтверждено аналитиком")
    return match_region(text)


def row_kinds(rows: list[list], columns: list[list], text_columns: list[int]) -> list[str]:
    """'blank', 'total', 'note' or 'data' for each row, worked out column by column on distinct values."""
    filled = [len(row) - row.count("") - row.count(None) for row in rows]
    kinds = ["blank" if n == 0 else "data" for n in filled]
    for column in text_columns:
        if column >= len(columns):
            continue
        cells = columns[column]
        totals = {v for v in set(cells) if v.__class__ is str and v and row_kind([v], [0]) == "total"}
        if totals:
            for index, value in enumerate(cells):
                if value in totals and kinds[index] == "data":
                    kinds[index] = "total"
    for index, n in enumerate(filled):
        if n == 1 and kinds[index] == "data" and row_kind(rows[index], []) == "note":
            kinds[index] = "note"
    return kinds


def transpose(rows: list[list]) -> list[list]:
    if not rows:
        return []
    width = max(len(row) for row in rows)
    if any(len(row) < width for row in rows):
        rows = [row + [None] * (width - len(row)) for row in rows]
    return [list(column) for column in zip(*rows)]


class Checker:
    """Applies a cached cell parser down a column, filing problems per row."""

    def __init__(self, problems: dict[int, list]):
        self.problems = problems

    def values(self, name: str, cells: list, parse) -> list:
        parsed = {value: parse(None if value == "" else value) for value in set(cells)}
        bad = {value for value, result in parsed.items() if isinstance(result, Bad)}
        if bad:
            for position, cell in enumerate(cells):
                if cell in bad:
                    bad_value = parsed[cell]
                    self.problems.setdefault(position, []).append((name, bad_value.code, bad_value.text, bad_value.params))
            parsed.update({value: None for value in bad})
        return [parsed[cell] for cell in cells]


@dataclass(frozen=True)
class Bad:
    code: str
    text: str
    params: dict


def region_parser(context_text: str | None, options: ParseOptions):
    def parse(value):
        value, district = value if isinstance(value, tuple) else (value, None)
        text = clean_text(value) or context_text
        code = match_with_options(text, options).region_code if text else None
        if district is not None and (code or not text):
            code, _ = region_for_district(code, clean_text(district))
            text = text or clean_text(district)
        if text is None:
            return Bad("missing-region", message("missing-region"), {})
        if code is None:
            return Bad("unknown-region", message("unknown-region", text), {"value": text})
        return code, text
    return parse


def date_parser(value, today: date | None):
    result = parse_date(value, today)
    if result is None:
        return Bad("missing-date", message("missing-date"), {})
    if isinstance(result, Problem):
        return Bad(result.code, message(result.code, result.detail), {"value": result.detail})
    return result


def count_parser(value):
    result = parse_count(value)
    if isinstance(result, Problem):
        return Bad(result.code, message(result.code, result.detail), {"value": result.detail})
    return result


def summary_periods(columns: dict, title_period, today: date | None, check: Checker, n: int) -> list:
    """A summary row's period: its date cell, else its period cell, else the title's or sheet name's period."""
    periods = [title_period] * n
    if "period" in columns:
        periods = [parse_period(clean_text(v)) or p for v, p in zip(columns["period"], periods)]
    if "date" in columns:
        days = check.values("date", columns["date"], lambda v: None if is_blank(v) else date_parser(v, today))
        periods = [(d, d) if d else p for d, p in zip(days, periods)]
    for position, found in enumerate(periods):
        if found is None:
            check.problems.setdefault(position, []).append(("period", "missing-period", message("missing-period"), {}))
    return periods


def mapped(cells: list | None, n: int, convert) -> list:
    if cells is None:
        return [None] * n
    converted = {value: convert(value) for value in set(cells)}
    return [converted[cell] for cell in cells]
