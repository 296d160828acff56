"""Cell checks applied down a table's columns: each distinct value is parsed once, and problems are filed per row
with the column's header, a stable code and the parameters every language's message needs."""
from __future__ import annotations

import re
from datetime import date

from loaders.gazetteer import region_for_district
from loaders.options import ParseOptions
from loaders.parse import clean_text, parse_count, parse_date
from loaders.period import parse_period
from loaders.problems import Problem
from loaders.regions import RegionMatch, match_region


class Checker:
    """Applies a cached cell parser down a column, filing problems per row position."""

    def __init__(self, headers: dict[str, str]):
        self.headers = dict(headers)              # field (or "group:field") -> the column's header
        self.problems: dict[int, list[Problem]] = {}

    def values(self, name: str, cells: list, parse, required: bool = True) -> list:
        parsed = {value: parse(None if value == "" else value) for value in set(cells)}
        bad = {value for value, result in parsed.items() if isinstance(result, Problem)}
        if bad:
            column = self.headers.get(name, self.headers.get(name.split(":")[-1]))
            for position, cell in enumerate(cells):
                if cell in bad:
                    self.problems.setdefault(position, []).append(parsed[cell].at(column=column))
            parsed.update({value: None for value in bad})
        return [parsed[cell] for cell in cells]


def match_with_options(text: str | None, options: ParseOptions) -> RegionMatch:
    if text in options.region_overrides:
        code = options.region_overrides[text]
        return RegionMatch(code, 1.0 if code else 0.0, "confirmed" if code else "unknown", "confirmed")
    return match_region(text)


_SURE = ("exact", "short-form", "rule", "confirmed")


def split_place(text: str | None, options: ParseOptions) -> tuple[RegionMatch, str | None] | None:
    """«Карагандинская обл., г. Темиртау»: a region and a place written in one cell — the region's match and the
    rest, when the text as a whole names no region and its first part surely does; else None."""
    if not text or "," not in text:
        return None
    head, rest = (part.strip() for part in text.split(",", 1))
    match = match_with_options(head, options)
    if match.region_code and match.method in _SURE:
        return match, rest or None
    return None


def region_resolver(context: tuple[str, str] | None, options: ParseOptions):
    """(region cell, district cell, section region) -> (code, region text, district) or a Problem.

    The region column decides; else a city or settlement column that names a region (a city of republican
    significance is its region); else the section heading above the row; else the sheet's or title's region.
    The 2022 reform moves districts of Abai, Jetisu and Ulytau to their new region."""
    def resolve(value):
        region_cell, district_cell, section = value
        text, district = clean_text(region_cell), clean_text(district_cell)
        code = None
        if text:
            match = match_with_options(text, options)
            split = split_place(text, options) if match.region_code is None else None
            if split is not None:
                match, district = split[0], district or split[1]
            if match.method == "not-a-region":
                return Problem("not-a-region-unit", {"value": text})
            code = match.region_code
            if code is None and section:
                code, district, text = section, district or text, text
            elif code is None:
                return Problem("unknown-region", {"value": text})
        elif district:
            match = match_with_options(district, options)
            split = split_place(district, options) if match.region_code is None else None
            if match.method == "not-a-region":
                return Problem("not-a-region-unit", {"value": district})
            if split is not None:
                code, text, district = split[0].region_code, district, split[1]
            elif match.region_code and match.method in _SURE:
                code, text, district = match.region_code, district, None
            elif section or context:
                code, text = section or context[0], None if section else context[1]
        elif section or context:
            code, text = section or context[0], None if section else context[1]
        if district:
            moved, note = region_for_district(code, district)
            if note == "ambiguous":
                return Problem("ambiguous-district", {"value": district})
            code = moved or code
        if code is None:
            return Problem("unknown-region", {"value": district}) if district else Problem("missing-region")
        return code, text, district
    return resolve


def date_parser(value, today: date | None):
    result = parse_date(value, today)
    if result is None:
        return Problem("missing-date")
    return result


_DAY_MONTH = re.compile(r"^\s*(\d{1,2})[./](\d{1,2})\.?\s*$")
_DAY_MONTH_WORD = re.compile(r"^\s*(\d{1,2})\s+([^\W\d_]{3,})\.?\s*$")


class DateReader:
    """A date cell; «5 июня» and «26.06», written without a year, take the year of the table's title or sheet
    name (`year`), and the texts so completed are kept for a warning. Without that year they stay errors."""

    def __init__(self, today: date | None, year: int | None) -> None:
        self.today, self.year = today, year
        self.completed: list[str] = []

    def __call__(self, value):
        result = date_parser(value, self.today)
        if not (isinstance(result, Problem) and result.code == "invalid-date" and self.year
                and isinstance(value, str)):
            return result
        numeric, worded = _DAY_MONTH.match(value), _DAY_MONTH_WORD.match(value)
        if numeric:
            completed = date_parser(f"{numeric.group(1)}.{numeric.group(2)}.{self.year}", self.today)
        elif worded:
            completed = date_parser(f"{worded.group(1)} {worded.group(2)} {self.year}", self.today)
        else:
            return result
        if isinstance(completed, Problem):
            return result
        self.completed.append(value.strip())
        return completed


def count_parser(value):
    return parse_count(value)


def period_parser(year: int | None):
    """A period cell: a period in words («июнь 2025», «1 квартал 2025»), or a date (its day)."""
    def parse(value):
        if value is None:
            return None
        if isinstance(value, date):
            return None
        if isinstance(value, (int, float)) and not isinstance(value, bool):  # «Год»: 2024
            whole = float(value).is_integer() and 1990 <= value <= 2100
            return parse_period(str(int(value))) if whole else None
        found = parse_period(clean_text(value), year)
        return found
    return parse
