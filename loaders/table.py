"""Find the table in a sheet: the header block below any title rows, flattened into one name per column."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from loaders.columns import field_for
from loaders.gazetteer import _FOLD, fold
from loaders.parse import parse_count

HEADER_SCAN_ROWS = 30
MAX_HEADER_ROWS = 3
PARTS = {"students", "schoolchildren", "parents", "teachers"}
COUNT_FIELDS = {"events", "participants", *PARTS}


@dataclass
class Table:
    sheet: str
    header_rows: list[int]            # Excel row numbers of the header block
    headers: list[str]                # flattened header text per column ('' where none)
    mapping: dict[int, str]           # column index -> field
    data_start: int                   # index into Sheet.rows of the first data row
    title_lines: list[str] = field(default_factory=list)  # text above the header (report titles)

    @property
    def fields(self) -> set[str]:
        return set(self.mapping.values())

    @property
    def shape(self) -> str:
        return "summary" if "events" in self.fields and "date" not in self.fields else "events"


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _is_header_text(value) -> bool:
    if not isinstance(value, str) or not value.strip():
        return False
    return not isinstance(parse_count(value), int)


def _numbering_row(row: list) -> bool:
    """«1 | 2 | 3 | …» under a header: column numbers, not data."""
    numbers = [parse_count(v) for v in row if not is_blank(v)]
    if not all(isinstance(n, int) for n in numbers):
        return False
    return len(numbers) >= 3 and numbers == list(range(numbers[0], numbers[0] + len(numbers))) and numbers[0] in (0, 1)


def _row_fields(row: list, overrides: dict | None = None) -> set[str]:
    overrides = overrides or {}
    found = (overrides[v.strip()] if isinstance(v, str) and v.strip() in overrides else
             field_for(v) if isinstance(v, str) else None for v in row)
    return {f for f in found if f}


def _fill_right(row: list, below: list | None, merges: list | None, row_index: int) -> list:
    """A header spanning several columns (a merged cell) repeated over each column it covers."""
    filled = [v if isinstance(v, str) and v.strip() else "" for v in row]
    if merges is not None:
        for (r0, c0), (r1, c1) in merges:
            if r0 <= row_index <= r1 and c0 < len(filled) and filled[c0]:
                for c in range(c0 + 1, min(c1 + 1, len(filled))):
                    filled[c] = filled[c] or filled[c0]
        return filled
    last = ""
    for c, value in enumerate(filled):  # no merge information (csv): fill only over sub-headers
        if value:
            last = value
        elif last and below is not None and c < len(below) and _is_header_text(below[c]):
            filled[c] = last
    return filled


def _column_field(parts: list[str]) -> str | None:
    """Resolve a column's field from its header parts, bottom part first, its parents giving context."""
    result: str | None = None
    for part in reversed(parts):
        if not part:
            continue
        found = field_for(part)
        if result is None:
            result = found
        elif result in PARTS:
            break
        elif result == "participants" and found in ("events", "participants"):
            result = found
            break
    return result


def find_table(sheet_name: str, rows: list[list], merges: list | None = None, first_row: int = 1,
               overrides: dict | None = None) -> Table | None:
    """The header block (1–3 rows) with the most recognised fields in the first rows, or None.

    `overrides` maps flattened header text to a field (or None to ignore the column): an analyst's corrections."""
    overrides = overrides or {}
    best_index, best_score = None, 1
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        score = len(_row_fields(row, overrides))
        if score > best_score:
            best_index, best_score = index, score
    if best_index is None:
        return None
    block = [best_index]
    # a title-like row directly above whose cells span our columns (upper level of a merged header)
    if best_index > 0 and _is_upper_header(rows[best_index - 1]):
        block.insert(0, best_index - 1)
    index = best_index + 1
    while index < len(rows) and len(block) < MAX_HEADER_ROWS + 1:
        row = rows[index]
        if _numbering_row(row):
            block.append(index)
            index += 1
            break
        non_blank = [v for v in row if not is_blank(v)]
        if non_blank and all(_is_header_text(v) for v in non_blank) and _row_fields(row) and len(block) < MAX_HEADER_ROWS:
            block.append(index)
            index += 1
            continue
        break
    width = max(len(rows[i]) for i in block)
    header_rows = [i for i in block if not _numbering_row(rows[i])]
    levels = []
    for position, i in enumerate(header_rows):
        row = list(rows[i]) + [None] * (width - len(rows[i]))
        below = rows[header_rows[position + 1]] if position + 1 < len(header_rows) else None
        levels.append(_fill_right(row, below, merges, i) if below is not None else
                      [v if isinstance(v, str) else ("" if v is None else str(v)) for v in row])
    headers, mapping, taken = [], {}, set()
    wanted = {f for f in overrides.values() if f}
    for col in range(width):
        parts = [" ".join(level[col].split()) if level[col] else "" for level in levels]
        unique = [p for n, p in enumerate(parts) if p and p not in parts[:n]]
        headers.append(" / ".join(unique))
        if headers[-1] in overrides:
            found = overrides[headers[-1]]
        else:
            found = _column_field(parts)
            found = None if found in wanted else found  # the analyst gave this field to another column
        if found and found not in taken:
            mapping[col] = found
            taken.add(found)
    if not _usable(mapping):
        return None
    titles = [" ".join(str(v) for v in row if not is_blank(v)) for row in rows[: block[0]]]
    return Table(sheet_name, [first_row + i for i in block], headers, mapping, index,
                 [t for t in titles if t])


def _is_upper_header(row: list) -> bool:
    """A row of group headers («Охват участников») above the best-scoring row."""
    non_blank = [v for v in row if not is_blank(v)]
    if not non_blank or not all(_is_header_text(v) for v in non_blank) or len(non_blank) < 2:
        return False
    return bool(_row_fields(row))


def _usable(mapping: dict[int, str]) -> bool:
    fields = set(mapping.values())
    if len(fields) >= 3 and fields & (COUNT_FIELDS | {"date", "event_type", "description"}):
        return True
    return len(fields) >= 2 and bool(fields & {"date", "events"})


_TOTAL = re.compile(r"^(итого|итог|всего|барлығы|жиыны|total|grand total|республика казахстан|қазақстан республикасы|по республике|по рк|рк\b|all regions)"
                    .translate(_FOLD))
_NOTE = re.compile(r"^(примечание|прим\b|исп\b|исполнитель|источник|ескертпе|note|\*)")


def row_kind(row: list, text_columns: list[int]) -> str:
    """'blank', 'total', 'note' or 'data'."""
    cells = [v for v in row if not is_blank(v)]
    if not cells:
        return "blank"
    for col in text_columns:
        if col < len(row) and isinstance(row[col], str) and _TOTAL.match(fold(row[col])):
            return "total"
    if len(cells) == 1 and isinstance(cells[0], str) and _NOTE.match(fold(cells[0]) or cells[0].strip()):
        return "note"
    return "data"

