"""Find the header block of a sheet below any title rows, and flatten it into header parts per column.

The block is the row that names the most fields, the group headings above it («Январь» over «мероприятий / охват»,
«Охват участников» over «всего / в т.ч. студентов»), sub-headings below it, and a column-numbering row
(«1 2 3 …», «А Б 1 2 …»). Merged header cells are repeated over every column they cover; without merge information
(CSV) a heading is carried right over the columns whose sub-heading is filled."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from loaders.fields import is_header_like, is_part_heading, names_a_field
from loaders.parse import clean_text, parse_count
from loaders.period import is_total_label, parse_period
from loaders.regions import match_region

HEADER_SCAN_ROWS = 40
MAX_HEADER_ROWS = 4
PERIOD_HEADING_TEXT = 40
_LETTER_NUMBER = re.compile(r"^[А-ЯA-ZӘҒҚҢӨҰҮҺІ]$")


@dataclass
class HeaderBlock:
    rows: list[int]                   # indexes (into the sheet's rows) of the header rows
    numbering: int | None             # index of a column-numbering row under them
    data_start: int                   # index of the first row under the block
    parts: list[list[str]]            # per column: the header texts top to bottom (merged cells repeated)
    titles: list[str] = field(default_factory=list)  # text lines above the block

    @property
    def width(self) -> int:
        return len(self.parts)

    def header(self, column: int) -> str:
        """The column's header as one text: «Охват участников / всего»."""
        parts = self.parts[column] if column < len(self.parts) else []
        unique = [p for n, p in enumerate(parts) if p and p not in parts[:n]]
        return " / ".join(unique)


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value) -> str:
    return clean_text(value) or "" if isinstance(value, str) else ""


def _is_number(value) -> bool:
    return not isinstance(value, bool) and (isinstance(value, (int, float)) or isinstance(parse_count(value), int))


def is_numbering_row(row: list) -> bool:
    """«1 | 2 | 3 | …» or «А | Б | 1 | 2 | …» under a header: column numbers, not data."""
    cells = [v for v in row if not is_blank(v)]
    letters = [v for v in cells if isinstance(v, str) and _LETTER_NUMBER.match(v.strip().upper())]
    numbers = [parse_count(v) for v in cells if v not in letters]
    if len(numbers) < 3 or not all(isinstance(n, int) for n in numbers):
        return False
    return numbers == list(range(numbers[0], numbers[0] + len(numbers))) and numbers[0] in (0, 1, 2, 3)


def _label_cell(value) -> bool:
    """A heading above fields: a period («Январь», «2025 г.»), a total («Всего за год») or field words."""
    text = _text(value)
    return bool(text) and (is_header_like(text) or parse_period(text, 2000) is not None or is_total_label(text))


def _row_score(row: list) -> int:
    return sum(1 for v in row if is_header_like(v))


def _vertical_merge_from(merges: list | None, row: int, column: int) -> bool:
    return any(r0 == row and r1 > r0 and c0 <= column <= c1 for (r0, c0), (r1, c1) in merges or ())


def _upper_row(rows: list[list], index: int, below: int, merges: list | None) -> bool:
    """Group headings above the best row: text only, at least two cells (or one merged over a few columns), each
    over a filled column of the row below or merged down into it, and not a title line."""
    row, under = rows[index], rows[below]
    cells = [(c, v) for c, v in enumerate(row) if not is_blank(v)]
    if not cells or is_numbering_row(row) or any(_is_number(v) and not _label_cell(v) for _, v in cells):
        return False
    if len(cells) == 1:
        column, value = cells[0]
        spans = [(c1 - c0) for (r0, c0), (r1, c1) in merges or () if r0 == index and c0 == column]
        width = max(len(r) for r in (row, under))
        if not spans or spans[0] + 1 >= 0.8 * width or not _label_cell(value):
            return False
    placed = sum(1 for c, _ in cells if (c < len(under) and not is_blank(under[c])) or
                 _vertical_merge_from(merges, index, c) or _label_cell(row[c]))
    return placed >= 0.8 * len(cells)


def _lower_row(row: list, above: list | None = None) -> bool:
    """Sub-headings under the best row («всего | в т.ч. студентов»): text only, at least two cells, naming fields,
    and no region names (a region across the row is a section heading of the data). Under a «в том числе» / «из
    них» heading the parts need not name a field («лекций | бесед»)."""
    cells = [v for v in row if not is_blank(v)]
    if len(cells) < 2 or any(_is_number(v) for v in cells):
        return False
    if any(isinstance(v, str) and match_region(v).method in ("exact", "short-form") for v in cells):
        return False
    if above is not None and any(is_part_heading(v) for v in above) and all(isinstance(v, str) for v in cells):
        return True
    return sum(1 for v in cells if names_a_field(v)) >= max(1, (len(cells) + 1) // 2)


_COMPARISON = re.compile(r"^\s*(\+\s*/\s*[-−–]|±|[-−–]\s*/\s*\+|%|в\s*%|рост|сниж|динамик|откл|изм|разниц|"
                         r"аппг|өсу|төмендеу)", re.IGNORECASE)


def is_comparison(text) -> bool:
    """«+/-», «±», «%», «рост/снижение», «АППГ»: a column that compares periods, not a count of its own."""
    return isinstance(text, str) and bool(_COMPARISON.match(text))


def _period_cell(value) -> bool:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value).is_integer() and 1990 <= value <= 2100
    if not isinstance(value, str) or len(value) > PERIOD_HEADING_TEXT:  # a heading «2024 г.», «I квартал»: short
        return False
    text = _text(value)
    return bool(text) and parse_period(text, 2000) is not None


def _period_row(row: list) -> bool:
    """Period sub-headings under the measures («Количество мероприятий» over «2024 | 2025 | +/-»): two or more
    periods, the other cells comparisons or field words; no region, so never a row of data."""
    cells = [v for v in row if not is_blank(v)]
    marks = [_period_cell(v) for v in cells]
    periods = [v for v, mark in zip(cells, marks) if mark]
    others = [v for v, mark in zip(cells, marks) if not mark]
    return len(periods) >= 2 and all(isinstance(v, str) and (is_comparison(v) or names_a_field(v)) for v in others)


def find_header(rows: list[list], merges: list | None = None) -> HeaderBlock | None:
    """The header block of a sheet, or None when no row names at least two fields."""
    scan = rows[:HEADER_SCAN_ROWS]
    scores = [_row_score(row) + _period_row(row) for row in scan]  # «Регион | 2021 | 2022 | …» is a header
    if not scores or max(scores) < 2:
        return None
    best = scores.index(max(scores))
    block = [best]
    while block[0] > 0 and len(block) < MAX_HEADER_ROWS and _upper_row(rows, block[0] - 1, block[0], merges):
        block.insert(0, block[0] - 1)
    index, numbering = best + 1, None
    while index < len(rows) and len(block) < MAX_HEADER_ROWS:
        if is_numbering_row(rows[index]):
            break
        if not (_lower_row(rows[index], rows[index - 1]) or _period_row(rows[index])):
            break
        block.append(index)
        index += 1
    if index < len(rows) and is_numbering_row(rows[index]):
        numbering, index = index, index + 1
    parts = flatten(rows, block, merges)
    titles = [" ".join(_text(v) or str(v) for v in row if not is_blank(v)) for row in rows[: block[0]]]
    return HeaderBlock(block, numbering, index, parts, [t for t in titles if t.strip()])


def flatten(rows: list[list], block: list[int], merges: list | None) -> list[list[str]]:
    """Per column, the header texts of the block's rows, merged cells repeated over the cells they cover."""
    width = max(len(rows[i]) for i in block)
    grid = [[_text(v) for v in rows[i]] + [""] * (width - len(rows[i])) for i in block]
    if merges:
        position = {row: level for level, row in enumerate(block)}
        for (r0, c0), (r1, c1) in merges:
            if r0 not in position or c0 >= width:
                continue
            text = grid[position[r0]][c0]
            if not text:
                continue
            for r in range(r0, min(r1, block[-1]) + 1):
                if r in position:
                    for c in range(c0, min(c1, width - 1) + 1):
                        grid[position[r]][c] = grid[position[r]][c] or text
    else:
        for level in range(len(grid) - 1):  # no merge information: carry a heading right over filled sub-headings
            last = ""
            for c in range(width):
                if grid[level][c]:
                    last = grid[level][c]
                elif last and grid[level + 1][c]:
                    grid[level][c] = last
                else:
                    last = ""
    return [[grid[level][c] for level in range(len(grid))] for c in range(width)]
