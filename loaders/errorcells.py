"""Cells whose formula failed («#REF!», «#DIV/0!», «#ЗНАЧ!»): the parser reads them as empty, so they are found
in the worksheet's XML (cells of type "e") and the rows holding them in a figure column are rejected with the error,
never loaded as if the figure were not given. Sheets above the size limit of the formula scan are not looked at."""
from __future__ import annotations

import re
import zipfile

from loaders.derived import sheet_members

_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?<!/)>(.*?)</(?:\w+:)?c>", re.DOTALL)
_REFERENCE = re.compile(rb"\br\s*=\s*[\"']([A-Z]{1,3})(\d+)[\"']")
_ERROR_TYPE = re.compile(rb"\bt\s*=\s*[\"']e[\"']")
_VALUE = re.compile(rb"<(?:\w+:)?v>([^<]{0,40})</(?:\w+:)?v>")
MAX_ERRORS = 1000


def _column(letters: bytes) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + (ch - 64)
    return number - 1


def error_cells(archive: zipfile.ZipFile, members: list[str]) -> dict[str, dict[tuple[int, int], str]]:
    """Per sheet name, {(row, column) 0-based in the sheet: the error text} of the given worksheet parts."""
    names = sheet_members(archive)
    found: dict[str, dict[tuple[int, int], str]] = {}
    for member in members:
        try:
            xml = archive.read(member)
        except Exception:
            continue  # the parser meets the same damage and reports it
        if b't="e"' not in xml and b"t='e'" not in xml:
            continue
        cells = {}
        for attributes, body in _CELL.findall(xml):
            if not _ERROR_TYPE.search(attributes):
                continue
            reference, value = _REFERENCE.search(attributes), _VALUE.search(body)
            if reference:
                cells[(int(reference.group(2)) - 1, _column(reference.group(1)))] = (
                    value.group(1).decode("utf-8", errors="replace") if value else "#ERROR")
            if len(cells) >= MAX_ERRORS:
                break
        if cells and member in names:
            found[names[member]] = cells
    return found
