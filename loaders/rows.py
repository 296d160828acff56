"""What each row under a header is: data, blank, a totals row, a note, or a section heading.

Totals («Итого», «Всего по РК», «Итого по области», «Барлығы», «Жиыны») are recognised in any text cell; notes,
footnotes, «в том числе:» lines, signatures and «Исп.» blocks are skipped, never rejected. The work is done
column by column on distinct values, so it costs little on large tables."""
from __future__ import annotations

import re

from loaders.gazetteer import fold, folded

BLANK, TOTAL, NOTE, SECTION, DATA = "blank", "total", "note", "section", "data"

_TOTAL = folded(r"^(итого|итог|всего|барлиги|барлыгы|жиини|жиыны|total|grand total|в целом по|по республике|"
                r"республика казахстан|казахстан республикасы|қазақстан республикасы|республики казахстан|"
                r"по рк|рк|all regions|сумма)\b")
_NOTE = folded(r"^(примечание|примечания|прим|прим\.|исп|исполнитель|исполнители|источник|ескертпе|ескерту|"
                   r"note|notes|в том числе|в т ч|из них|онин ишинде|начальник|заместитель|руководитель|директор|"
                   r"подпись|м п|согласовано|утверждаю|орындаган|орындауши|тел|телефон|справочно|данные уточняются|"
                   r"составил|подготовил|отв|ответственный за|дата составления)\b")
_NOTE_ANYWHERE = folded(r"\b(тел|телефон|подпись|исп|исполнитель|орындаган)\b")
_STAR = re.compile(r"^\s*(\*+|\d\)|¹|²|³)")


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


_TOTAL_LAST = folded(r"\b(барлығы|барлыгы|жиыны|жиини|қорытынды)\s*:?$")  # Kazakh: «Облыс бойынша барлығы»


def is_total_text(text) -> bool:
    if not isinstance(text, str):
        return False
    folded_text = fold(text[:80])
    return bool(_TOTAL.match(folded_text) or _TOTAL_LAST.search(folded_text))


def is_note_text(text) -> bool:
    if not isinstance(text, str):
        return False
    if _STAR.match(text):
        return True
    folded = fold(text[:200])
    return bool(_NOTE.match(folded)) or (len(folded) > 3 and bool(_NOTE_ANYWHERE.search(folded)) and ":" in text)


def row_kind(row: list, text_columns: list[int]) -> str:
    """'blank', 'total', 'note' or 'data' for one row (the BNS population reader uses it)."""
    cells = [v for v in row if not is_blank(v)]
    if not cells:
        return BLANK
    for col in text_columns:
        if col < len(row) and is_total_text(row[col]):
            return TOTAL
    if len(cells) <= 2 and isinstance(cells[0], str) and is_note_text(cells[0]):
        return NOTE
    return DATA


def transpose(rows: list[list]) -> list[tuple]:
    """Columns of a grid of rows (rows of unequal length padded with None)."""
    if not rows:
        return []
    width = max(len(r) for r in rows)
    if any(len(r) != width for r in rows):
        rows = [r + [None] * (width - len(r)) if len(r) < width else r for r in rows]
    return list(zip(*rows))


def classify(rows: list[list], columns: list[tuple], ignore_columns: set[int],
             count_columns: list[int], key_columns: list[int] = ()) -> tuple[list[str], list[int]]:
    """The kind of every row (blank: nothing but row numbers; total; note; data) and how many cells it fills.
    Worked out column by column on distinct values, touching single rows only where a column holds something
    special (a space-only text, a totals label, a note); section headings are found later (loaders.sections).

    A note row is skipped when it holds no figures, or when nothing in it says which place or day its figures
    belong to (`key_columns`: date, period, region, district): «Подпись | 2025 | 12», «Исп. … тел. 41-22-17»."""
    texts, empty_text = [], False
    for cells in columns:
        values = set(cells)
        empty_text = empty_text or "" in values
        texts.append({v for v in values if v.__class__ is str and v})
    if empty_text:
        filled = [len(r) - r.count(None) - r.count("") for r in rows]
    else:  # no cell holds "": one count per row
        filled = [len(r) - r.count(None) for r in rows]
    for cells, distinct in zip(columns, texts):
        spaces = {v for v in distinct if not v.strip()}
        if spaces:
            for index, cell in enumerate(cells):
                if cell in spaces:
                    filled[index] -= 1
    few = max(len(ignore_columns), 1)
    for index, n in enumerate(filled):  # rows filled in no more cells than there are «№» columns: numbers only?
        if 0 < n <= few and all(_blank(v) or (c in ignore_columns and _row_number(v))
                                for c, v in enumerate(rows[index])):
            filled[index] = 0
    kinds = [DATA if n > 0 else BLANK for n in filled]
    for cells, distinct in zip(columns, texts):
        totals = {v for v in distinct if is_total_text(v)}
        notes = {v for v in distinct if is_note_text(v)} - totals
        if not totals and not notes:
            continue
        for index, value in enumerate(cells):
            if value.__class__ is not str or kinds[index] != DATA:
                continue
            if value in totals:
                kinds[index] = TOTAL
            elif value in notes and not (_has_counts(rows[index], count_columns)
                                         and _placed(rows[index], key_columns, value)):
                kinds[index] = NOTE
    return kinds, filled


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _row_number(value) -> bool:
    """«7», «7.», 7.0: a row number in the «№» column (a template's numbered empty rows are blank)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return True
    return isinstance(value, str) and bool(re.fullmatch(r"\s*\d{1,6}\s*\.?\s*", value))


def _placed(row: list, key_columns: list[int], note: str) -> bool:
    """Whether a cell of the row other than the note's own text says where or when (a region, a date…)."""
    return any(c < len(row) and not _blank(row[c]) and row[c] != note for c in key_columns)


def _has_counts(row: list, count_columns: list[int]) -> bool:
    return any(c < len(row) and isinstance(row[c], (int, float)) and not isinstance(row[c], bool)
               for c in count_columns)


def fill_merged(rows: list[list], merges: list | None, start: int) -> int:
    """Copy a merged cell's value into every cell it covers below the header (a date merged over three events, a
    region merged down the table). Merges across most of a row (titles, notes, section headings) are left alone.
    Returns how many cells were filled."""
    if not merges:
        return 0
    filled = 0
    width = max((len(r) for r in rows), default=0)
    for (r0, c0), (r1, c1) in merges:
        if r1 < start or r0 < 0 or r0 >= len(rows):
            continue
        if r1 == r0 and (c1 - c0 + 1) >= max(2, width // 2):
            continue
        value = rows[r0][c0] if c0 < len(rows[r0]) else None
        if is_blank(value):
            continue
        for r in range(max(r0, start), min(r1, len(rows) - 1) + 1):
            row = rows[r]
            if len(row) <= c1:
                row.extend([None] * (c1 + 1 - len(row)))
            for c in range(c0, c1 + 1):
                if (r, c) != (r0, c0) and is_blank(row[c]):
                    row[c] = value
                    filled += 1
    return filled


def last_filled(rows: list[list]) -> int:
    """Index after the last row that holds anything."""
    end = len(rows)
    while end and all(is_blank(v) for v in rows[end - 1]):
        end -= 1
    return end
