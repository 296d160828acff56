"""Section rows: a region written across the table, its district rows under it, «Итого по области» after them.

The region is carried down to the districts. A region row that carries figures itself and is followed by its
districts is a subtotal when the districts add up to it (skipped like a totals row); when they do not, the region
row is the figure of record, the district rows are its partial breakdown and are skipped, and a warning says so."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from loaders.parse import parse_count
from loaders.problems import Problem
from loaders.regions import match_region
from loaders.rows import BLANK, DATA, NOTE, SECTION, TOTAL

BREAKDOWN = "breakdown"


@dataclass
class Sections:
    region_of: dict[int, str] = field(default_factory=dict)   # row position -> the section's region code
    warnings: list[Problem] = field(default_factory=list)


CITY_REGIONS = {"KZ-71", "KZ-75", "KZ-79"}
_CITY_MARK = re.compile(r"(^|\s)(г\.?|гор\.?|город\w*)(\s|$)|қала|кала")
_REGION_MARK = re.compile(r"област|облыс|обл\.?(\s|$)|ская$|ской$|ская\s")
_PLACE = re.compile(r"район|аудан|(^|\s)г\.|город|қала|поселок|посёлок|село|ауыл|п\.|с\.|мкр")


@lru_cache(maxsize=16384)
def heading_region(text) -> str | None:
    """The region a place text names as a region: «Карагандинская область», «г. Астана», «Жетісу»; a city named
    after its region («г. Караганда») is a city of that region, not the region."""
    if not isinstance(text, str) or not text.strip():
        return None
    match = match_region(text)
    if match.method not in ("exact", "short-form", "rule"):
        return None
    lowered = text.lower()
    if _CITY_MARK.search(lowered) and match.region_code not in CITY_REGIONS:
        return None
    return match.region_code


def _looks_like_place(text) -> bool:
    return isinstance(text, str) and bool(_PLACE.search(text.lower()))


def _sum(values: list) -> int:
    return sum(v for v in (parse_count(x) for x in values) if isinstance(v, int))


def find_sections(kinds: list[str], places: list, counts, excel_rows: list[int], sheet: str,
                  region_column: bool = True) -> Sections:
    """Mark section headings in `kinds` (in place) and return the region each following row falls under.

    `places`: the text of the column that holds regions and districts, per row; `counts[i]`: the count cells of
    row i; a heading names a region and has no figures. Only tables that mix region names and other places get
    sections."""
    result = Sections()
    data_rows = [i for i, k in enumerate(kinds) if k == DATA]
    regions = [heading_region(places[i]) if kinds[i] == DATA else None for i in range(len(kinds))]
    if not data_rows or all(regions[i] for i in data_rows) or not any(regions[i] for i in data_rows):
        return result
    current, heading = None, False
    for i in data_rows:
        code = regions[i]
        if code and code == current and not _REGION_MARK.search(str(places[i]).lower()):
            code = regions[i] = None  # «Костанай» under «Костанайская область»: its centre city
        empty = all(c is None or (isinstance(c, str) and not c.strip()) for c in counts[i])
        if code and empty:
            kinds[i], current, heading = SECTION, code, True
        elif code:
            current, heading = code, False
        elif current is not None and (heading or _looks_like_place(places[i])):
            result.region_of[i] = current
    if region_column or SECTION in kinds:
        _subtotals(kinds, [r if k == DATA else None for r, k in zip(regions, kinds)], counts, excel_rows, sheet,
                   result)
    return result


def _subtotals(kinds, regions, counts, excel_rows, sheet, result: Sections) -> None:
    """A region row with figures followed by district rows of the same section."""
    index = 0
    while index < len(kinds):
        if kinds[index] != DATA or not regions[index]:
            index += 1
            continue
        following, nxt = [], index + 1
        while nxt < len(kinds) and kinds[nxt] not in (SECTION, TOTAL) and not (kinds[nxt] == DATA and regions[nxt]):
            if kinds[nxt] == DATA and nxt in result.region_of:
                following.append(nxt)
            nxt += 1
        if following:
            own = _sum(counts[index])
            parts = sum(_sum(counts[i]) for i in following)
            if own == parts:
                kinds[index] = TOTAL
            else:
                for i in following:
                    kinds[i] = BREAKDOWN
                result.warnings.append(Problem("section-breakdown-skipped", {
                    "region": regions[index], "total": own, "parts": parts}, sheet=sheet, row=excel_rows[index]))
        index = nxt


def _no_figures(cells: list) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def mark_subheadings(kinds: list[str], filled: list[int], counts) -> None:
    """A row holding a name and no figures, followed by rows with figures and closed by a totals row («Сайрамский
    район», its rural districts, «Всего по району»): a heading of the rows under it, skipped, not a row missing its
    figures. Marks `kinds` in place."""
    for i, kind in enumerate(kinds):
        if kind != DATA or filled[i] != 1 or not _no_figures(counts[i]):
            continue
        j, figures = i + 1, False
        while j < len(kinds) and kinds[j] in (DATA, BLANK, NOTE):
            if kinds[j] == DATA:
                if filled[j] == 1 and _no_figures(counts[j]):
                    break  # the next heading, without a total between
                figures = True
            j += 1
        if figures and j < len(kinds) and kinds[j] == TOTAL:
            kinds[i] = SECTION
