"""Tables stacked on one sheet: a second title and the same header again under the first table («за 1 квартал»,
then «за 2 квартал»), or a header repeated on every printed page of a long log.

A sheet is cut above every row that repeats its header, together with the title lines and blank rows right above
it; each part is then read as a table of its own, with its own titles (a part without title lines keeps the
titles of the part before it, as a page of the same table). Each part's header block is found once, here."""
from __future__ import annotations

from dataclasses import replace

from loaders.fields import MAX_HEADER_TEXT
from loaders.gazetteer import fold
from loaders.headers import HeaderBlock, find_header, is_blank
from loaders.read import Sheet
from loaders.rows import is_total_text

MATCHING_SHARE = 0.6  # of the header row's texts a row must repeat to be the header again


def _texts(row: list) -> set[str]:
    return {fold(v) for v in row if isinstance(v, str) and v.strip() and len(v) <= MAX_HEADER_TEXT}


def _anchors(row: list) -> list[tuple[int, str]]:
    """Two of the header's cells, the longest texts: a row repeats the header only if it repeats one of them (a
    look at two cells per row, so a table of 100,000 rows costs little, and long texts are never folded)."""
    cells = [(c, v.strip()) for c, v in enumerate(row) if isinstance(v, str) and v.strip()]
    return sorted(cells, key=lambda cell: -len(cell[1]))[:2]


def _may_repeat(row: list, anchors: list[tuple[int, str]]) -> bool:
    for column, text in anchors:
        value = row[column] if column < len(row) else None
        if value.__class__ is str and value.strip() == text:
            return True
    return False


def _repeats(row: list, header: set[str]) -> bool:
    found = _texts(row) & header
    return len(found) >= 2 and len(found) >= MATCHING_SHARE * len(header)


def _title_line(row: list) -> bool:
    cells = [v for v in row if not is_blank(v)]
    return len(cells) == 1 and isinstance(cells[0], str) and not is_total_text(cells[0])


def split_stacked(sheet: Sheet, block: HeaderBlock) -> list[tuple[Sheet, HeaderBlock]]:
    """The sheet's tables as (part of the sheet, its header block), a block without title lines taking the titles
    of the part before it; the sheet and `block` (its own header block) when no row repeats the header."""
    best = max(block.rows, key=lambda i: len(_texts(sheet.rows[i])))
    header, anchors = _texts(sheet.rows[best]), _anchors(sheet.rows[best])
    if len(header) < 2:
        return [(sheet, block)]
    cuts = []
    for index in range(block.data_start, len(sheet.rows)):
        if _may_repeat(sheet.rows[index], anchors) and _repeats(sheet.rows[index], header):
            start = index
            while start - 1 > (cuts[-1] if cuts else block.data_start) and (
                    is_blank_row(sheet.rows[start - 1]) or _title_line(sheet.rows[start - 1])):
                start -= 1
            cuts.append(start)
    if not cuts:
        return [(sheet, block)]
    parts, titles, bounds = [], block.titles, [0, *cuts, len(sheet.rows)]
    for begin, end in zip(bounds, bounds[1:]):
        part = _part(sheet, begin, end)
        own = find_header(part.rows, part.merges)
        if own is None:
            continue
        own.titles = own.titles or titles  # a page of the same table keeps the titles above it
        titles = own.titles
        parts.append((part, own))
    return parts


def is_blank_row(row: list) -> bool:
    return all(is_blank(v) for v in row)


def _part(sheet: Sheet, begin: int, end: int) -> Sheet:
    merges = None
    if sheet.merges is not None:
        merges = [((r0 - begin, c0), (min(r1, end - 1) - begin, c1)) for (r0, c0), (r1, c1) in sheet.merges
                  if begin <= r0 < end]
    errors = {(r - begin, c): text for (r, c), text in (sheet.errors or {}).items() if begin <= r < end} or None
    return replace(sheet, rows=sheet.rows[begin:end], first_row=sheet.first_row + begin, merges=merges,
                   errors=errors)
