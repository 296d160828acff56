"""Population tables of the Bureau of National Statistics: the denominators for coverage per 10,000 residents.

Two layouts are read: regions down the side and years across (`bns_population_by_region_2000-2023.xlsx`), and
population on 1 January of one year by region, city and district (`bns_population_2023-01-01_by_district.xlsx`),
where districts follow the row of their region."""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from loaders.gazetteer import fold
from loaders.parse import clean_text, parse_count
from loaders.problems import Problem
from loaders.regions import match_region
from loaders.rows import is_blank, row_kind

SCAN_ROWS = 15
_SEX_SHEET = re.compile(r"мужчин|женщин|ерлер|ерлер|аиелдер|male|female")
_TOTAL_HEADER = re.compile(r"все население|барлик халик|численность населения всего|^население$|^total population")
_ON_DATE = [re.compile(r"на 1 января (20\d\d)"), re.compile(r"(20\d\d) жилги 1 кантар"), re.compile(r"(20\d\d)-01-01")]
_DISTRICT = re.compile(r"(аудани|раион|\bк а\b|\bг а\b|городская администрация)$")
_SETTLEMENT = re.compile(r"\s(а|к|қ|п|с)\.\s*$|\s(ауылы|кенті|поселок|село)\s*$")
_CITY_WORD = re.compile(r"\b(каласи|город|г)\b")
REPUBLICAN_CITIES = {"KZ-71", "KZ-75", "KZ-79"}
_FOOTNOTE = re.compile(r"\s*\d\)?\s*$")
NOTE_BARE_ALMATY = "bare-almaty-region"  # «Алматы қаласы» is in the table, so a bare «Алматы» is the region


@dataclass
class PopulationTable:
    sheet: str
    header_row: int                  # Excel row number
    data_start: int                  # index into rows
    year_columns: dict[int, int]     # column -> year
    title: str = ""
    notes: list[str] = field(default_factory=list)
    shape: str = "population"

    # What the upload page asks of every table: a population table has no record columns to map.
    headers: tuple = ()
    mapping: dict = field(default_factory=dict)
    title_lines: tuple = ()
    fields: frozenset = frozenset()


def _year(value) -> int | None:
    if (isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
            and value == int(value) and 1990 <= value <= 2100):
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"\s*(19|20)\d\d\s*(г\.?|год|жыл)?\s*", value):
        return int(re.search(r"\d{4}", value).group())
    return None


def find_population_table(sheet_name: str, rows: list[list], first_row: int = 1) -> PopulationTable | None:
    """A population table in this sheet, or None. Sheets by sex (мужчины, женщины) are not totals: None."""
    head = [row for row in rows[:SCAN_ROWS]]
    title = " ".join(clean_text(v) or "" for row in head[:3] for v in row if isinstance(v, str))
    if _SEX_SHEET.search(fold(sheet_name)) or _SEX_SHEET.search(fold(title[:200])):
        return None
    for index, row in enumerate(head):
        years = {c: _year(v) for c, v in enumerate(row) if c > 0 and _year(v)}
        if (len(years) >= 3 and is_blank(row[0]) or len(years) >= 5) and _residents(sheet_name, head, index, years):
            return PopulationTable(sheet_name, first_row + index, index + 1, years, title)
    for index, row in enumerate(head):
        for column, value in enumerate(row):
            if isinstance(value, str) and _TOTAL_HEADER.search(fold(value)):
                year = _year_on_date(title + " " + sheet_name)
                if year is None:
                    return None
                start = index + 1
                while start < len(rows) and all(is_blank(v) or isinstance(v, str) and not _is_number(v)
                                                for v in rows[start][1:]) and not _is_place(rows[start]):
                    start += 1  # the rest of a multi-row header («соның ішінде», «ерлер» …)
                return PopulationTable(sheet_name, first_row + index, start, {column: year}, title)
    return None


_RESIDENTS = re.compile(r"населени|численност|жител|халик|халк|тургин|population|inhabitant|resident")
_ACTIVITY = re.compile(r"мероприят|охват|студент|школьник|профилакт|лекци|бесед|ис шара|камту|event|participant|"
                       r"reach|student")
RESIDENT_SCALE = 5000  # the smallest district holds thousands of people; a region's events are tens or hundreds


def _residents(sheet_name: str, head: list[list], header: int, years: dict[int, int]) -> bool:
    """Whether a table with years across is one of residents: its words say so, or, when its words say nothing,
    its figures are of the size of a population. A table of events or people reached by year («2024 | 2025 | +/-»)
    is not (it is read as a report with a group per year)."""
    words = fold(sheet_name + " " + " ".join(str(v) for row in head[:header + 2] for v in row if isinstance(v, str)))
    if _ACTIVITY.search(words):
        return False
    if _RESIDENTS.search(words):
        return True
    figures = sorted(n for row in head[header + 1:] for c in years if c < len(row)
                     for n in [parse_count(row[c])] if isinstance(n, int))
    return bool(figures) and figures[len(figures) // 2] >= RESIDENT_SCALE


def _is_number(value) -> bool:
    return isinstance(parse_count(value), int)


def _is_place(row: list) -> bool:
    return isinstance(row[0], str) and bool(row[0].strip()) and any(_is_number(v) for v in row[1:])


def _year_on_date(text: str) -> int | None:
    folded = fold(text)
    for pattern in _ON_DATE:
        found = pattern.search(folded)
        if found:
            return int(found.group(1))
    return None


def population_rows(table: PopulationTable, rows: list[list], first_row: int):
    """Yield (excel_row, kind, record_or_problems) for each row below the header.

    kind: 'blank', 'total', 'note', 'skip' (a settlement below district level, or a repeat), 'region', 'district',
    'rejected'. Records: {"region_code", "district", "year", "population", "region_text"}."""
    names = [clean_text(row[0]) if row and isinstance(row[0], str) else None for row in rows[table.data_start:]]
    has_city = any(n and fold(n) in ("алмати каласи", "г алмати", "город алмати") for n in names)
    if has_city and any(n and fold(_FOOTNOTE.sub("", n)) == "алмати" for n in names):
        table.notes.append(NOTE_BARE_ALMATY)
    region = None
    for index in range(table.data_start, len(rows)):
        row = rows[index]
        excel_row = first_row + index
        kind = row_kind(row, [0])
        if kind != "data":
            yield excel_row, kind, None
            continue
        name = clean_text(row[0])
        if not name:
            yield excel_row, "rejected", [Problem("missing-region", {}, column="Регион")]
            continue
        bare = _FOOTNOTE.sub("", name) if re.search(r"[^\W\d_]", name) else name
        if region and _SETTLEMENT.search(name):
            yield excel_row, "skip", None  # a village or a town below district level
            continue
        if has_city and fold(bare) == "алмати":
            code = "KZ-19"
        else:
            match = match_region(bare)
            code = match.region_code if match.confidence >= 0.9 and not _DISTRICT.search(fold(bare)) else None
        if code and _CITY_WORD.search(fold(bare)) and code not in REPUBLICAN_CITIES:
            yield excel_row, "skip", None  # «Ақтөбе қаласы»: the centre city inside its administration, not the region
            continue
        if code:
            region = code
            level, district = "region", None
        elif region and _DISTRICT.search(fold(name)):
            level, district = "district", name
        elif region:
            yield excel_row, "skip", None  # a settlement or a city inside a city administration
            continue
        else:
            yield excel_row, "rejected", [Problem("unknown-region", {"value": name}, column="Регион")]
            continue
        values, problems = _year_values(table, row, region, district, name)
        if problems:
            yield excel_row, "rejected", problems
        elif not values:
            yield excel_row, "skip", None
        else:
            yield excel_row, level, values


def _year_values(table: PopulationTable, row: list, region: str, district: str | None, name: str):
    """The row's population per year, and the problems of cells that are not numbers."""
    values, problems = [], []
    for column, year in table.year_columns.items():
        cell = row[column] if column < len(row) else None
        if is_blank(cell) or (isinstance(cell, str) and cell.strip() in ("-", "—", "–", "...", "…", "х", "x")):
            continue  # «-»: no data for that year (the new regions before 2022)
        number = parse_count(cell)
        if isinstance(number, Problem) or number is None:
            problems.append(Problem("not-a-number", {"value": clean_text(cell)}, column=str(year)))
        else:
            values.append({"region_code": region, "district": district, "year": year, "population": number,
                           "region_text": name})
    return values, problems


@dataclass
class PopulationState:
    """What earlier sheets of the workbook already gave: the region totals and the sheet with districts."""
    seen: set = field(default_factory=set)
    district_sheet: str | None = None


def parse_population(parsed, sheet, table: PopulationTable, state: PopulationState) -> None:
    """File a population table's rows into `parsed` (a loaders.ingest.Parsed): loaded, skipped or rejected."""
    report = parsed.report
    years = sorted(set(table.year_columns.values()))
    report.sheets.append({"sheet": sheet.name, "header_rows": [table.header_row], "shape": "population",
                          "columns": {str(y): "population" for y in years}, "notes": table.notes})
    report.shape = "population"
    for excel_row, kind, payload in population_rows(table, sheet.rows, sheet.first_row):
        report.rows_read += 1
        if kind == "district":
            state.district_sheet = state.district_sheet or sheet.name
            if state.district_sheet != sheet.name:
                kind = "skip"  # the workbook's districts were read from an earlier sheet
        if kind in ("region", "district"):
            fresh = [v for v in payload if (v["region_code"], v["district"], v["year"]) not in state.seen]
            if not fresh:
                kind = "skip"
            else:
                state.seen.update((v["region_code"], v["district"], v["year"]) for v in fresh)
                parsed.population.extend(fresh)
                report.rows_loaded += 1
                continue
        if kind == "rejected":
            errors = [p.at(sheet=sheet.name, row=excel_row) for p in payload]
            report.errors.extend(errors)
            report.rows_rejected += 1
            parsed.rejected.append({
                "sheet": sheet.name, "row": excel_row,
                "raw_values": {f"#{c + 1}": clean_text(v)
                               for c, v in enumerate(sheet.rows[excel_row - sheet.first_row])},
                "problems": [e.to_dict() for e in errors],
            })
            continue
        report.rows_skipped += 1
    if NOTE_BARE_ALMATY in table.notes:
        report.warnings.append(Problem("bare-almaty", {"value": "Алматы", "region": "KZ-19"}, sheet=sheet.name))
