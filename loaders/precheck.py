"""Checks that refuse hostile files before any parser allocates: the fast path in front of the child process.

Every check works on the container alone: the zip directory (decompression bombs), the cells a worksheet really
fills (its XML streamed once, attribute quotes and spaces as they come), the BIFF records of an .xls, the repeated
cells of an .ods. A declared `<dimension>` is never a reason by itself: only cells that hold something count."""
from __future__ import annotations

import re
import struct
import zipfile

from loaders.problems import LoaderError

MAX_FILE_BYTES = 100 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 400 * 1024 * 1024
MAX_PART_BYTES = 250 * 1024 * 1024      # one sheet's XML
MAX_STRINGS_BYTES = 100 * 1024 * 1024   # xl/sharedStrings.xml: held whole by the parser
MAX_RATIO = 120                         # for parts larger than RATIO_FLOOR
RATIO_FLOOR = 2 * 1024 * 1024
MAX_ZIP_ENTRIES = 5000
MAX_SHEETS = 200
MAX_ROWS = 1_048_576
MAX_COLUMNS = 1000
MAX_CELLS = 1_200_000  # a sheet is held densely (rows x columns): 120,000 rows of 10 columns; more would pass 500 MB
CHUNK = 1 << 20

_MB = 1024 * 1024


def check_extent(sheet: str, rows: int, columns: int) -> None:
    if columns > MAX_COLUMNS:
        raise LoaderError("too-many-columns", columns=columns, limit=MAX_COLUMNS)
    if rows > MAX_ROWS or rows * columns > MAX_CELLS:
        raise LoaderError("too-many-cells", sheet=sheet, rows=rows, columns=columns, limit=MAX_CELLS)


def check_zip(infos: list[zipfile.ZipInfo]) -> None:
    """Refuse decompression bombs from the zip directory alone, before anything is inflated."""
    if len(infos) > MAX_ZIP_ENTRIES:
        raise LoaderError("too-many-parts", count=len(infos))
    total = sum(info.file_size for info in infos)
    if total > MAX_UNCOMPRESSED_BYTES:
        raise LoaderError("zip-bomb", size=total // _MB)
    for info in infos:
        limit = MAX_STRINGS_BYTES if info.filename.lower().endswith("sharedstrings.xml") else MAX_PART_BYTES
        ratio_bomb = info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1)
        if info.file_size > limit or ratio_bomb:
            raise LoaderError("zip-bomb", size=info.file_size // _MB)


# ---------------------------------------------------------------- xlsx

# The standard spelling (<c r="AB12">, as Excel writes it) is found by a pattern with a literal prefix, which is
# fast; any other spelling (single quotes, spaces around «=», other attributes first, lower case, a namespace prefix)
# sends that chunk through the tolerant pattern.
_WIDE_CELL = re.compile(rb'<c r="([A-Z]{2,3})\d')
_ODD_ATTRIBUTE = re.compile(rb"r(?:\s+=|=\s+|='|=\"[a-z])")
_ODD_TAG = re.compile(rb"<(?:\w+:c\b|c(?:\s\s|[\t\r\n]|\s+[^r\s/>]))")
_ANY_CELL = re.compile(rb"<(?:\w+:)?c\b[^>]*?\br\s*=\s*[\"']\s*([A-Za-z]{1,3})\d+\s*[\"'][^>]*?(?<!/)>")
_ROW_OPEN = re.compile(rb"<(?:\w+:)?row\b[^>]*?\br\s*=\s*[\"']\s*(\d+)\s*[\"'][^>]*?(?<!/)>")
_FORMULA = re.compile(rb"<(?:\w+:)?f\b[^>]*>([^<]*)</")
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref\s*=\s*[\"'][A-Z]*\d*:?([A-Z]{1,3})\d+[\"']")


def _column_number(letters: bytes) -> int:
    number = 0
    for ch in letters.upper():
        number = number * 26 + (ch - 64)
    return number


def check_xlsx_sheets(archive: zipfile.ZipFile, members: list[str]) -> dict[str, tuple[int, int]]:
    """Stream each worksheet's XML once: the last row that opens with cells and the widest cell that holds
    something give the range the parser would allocate. Returns, per member, (formulas, formulas over other
    sheets) for telling derived sheets."""
    if len(members) > MAX_SHEETS:
        raise LoaderError("too-many-sheets", count=len(members), limit=MAX_SHEETS)
    formulas = {}
    for member in members:
        try:
            last_row, last_column, found = _scan_sheet(archive, member)
        except LoaderError:
            raise
        except Exception as e:  # BadZipFile, EOFError, zlib.error: a damaged sheet
            raise LoaderError("corrupt-file") from e
        check_extent(member.rsplit("/", 1)[-1].removesuffix(".xml"), last_row, max(last_column, 1))
        formulas[member] = found
    return formulas


DERIVED_SHEET_BYTES = 8 * 1024 * 1024  # a sheet of formulas over other sheets (a «Свод») is small


def formula_counts(archive: zipfile.ZipFile, members: list[str]) -> dict[str, tuple[int, int]]:
    """(formulas, formulas over other sheets) of each member, without the far-cell scan."""
    found = {}
    for member in members:
        try:
            xml = archive.read(member)
        except Exception as e:
            raise LoaderError("corrupt-file") from e
        formulas = _FORMULA.findall(xml) if b"<f" in xml or b":f" in xml else []
        found[member] = (len(formulas), sum(b"!" in f for f in formulas))
    return found


def _scan_sheet(archive: zipfile.ZipFile, member: str) -> tuple[int, int, tuple[int, int]]:
    last_row, last_column, carry, start, declared = 0, 0, b"", -1, 26
    total = crossing = 0
    with archive.open(member) as stream:
        while True:
            chunk = stream.read(CHUNK)
            if not chunk:
                break
            text = carry + chunk
            if start < 0:  # the root element's namespace declarations (xmlns:r="…") are not cells
                dimension = _DIMENSION.search(text[:4096])
                if dimension and len(dimension.group(1)) == 1:
                    declared = _column_number(dimension.group(1))  # a hint for sheets that never pass column Z
                start = text.find(b"<sheetData")
                scan = text[start:] if start >= 0 else b""
            else:
                scan = text
            if _ODD_ATTRIBUTE.search(scan) or _ODD_TAG.search(scan):
                letters = set(_ANY_CELL.findall(scan))
            else:
                letters = set(_WIDE_CELL.findall(scan))
            for found in letters:
                last_column = max(last_column, _column_number(found))
            rows = _ROW_OPEN.findall(text[-65536:])
            if rows:
                last_row = max(last_row, max(int(r) for r in rows))
            if b"<f" in chunk or b":f" in chunk:
                for formula in _FORMULA.findall(chunk):
                    total += 1
                    crossing += b"!" in formula
            carry = text[-512:]
    return last_row, max(last_column, declared if last_row else 0), (total, crossing)


# ---------------------------------------------------------------- xls (BIFF8)

_FILEPASS = 0x002F
_BOF = 0x0809
# LABELSST NUMBER RK LABEL BOOLERR FORMULA RSTRING
_VALUE_CELLS = {0x00FD, 0x0203, 0x027E, 0x0204, 0x0205, 0x0006, 0x00D6}
_MULRK = 0x00BD


def check_xls_stream(stream: bytes) -> None:
    """Walk the BIFF records of the Workbook stream: FILEPASS means a password; cell records give the range each
    sheet fills. A few hundred thousand records take well under a second."""
    position, sheet, extents = 0, -1, {}
    size = len(stream)
    while position + 4 <= size:
        record, length = struct.unpack_from("<HH", stream, position)
        body = position + 4
        if record == _FILEPASS:
            raise LoaderError("password-protected")
        if record == _BOF:
            sheet += 1
        elif (record in _VALUE_CELLS or record == _MULRK) and length >= 4 and body + 4 <= size:
            row, column = struct.unpack_from("<HH", stream, body)
            if record == _MULRK and length >= 6:
                column = struct.unpack_from("<H", stream, body + length - 2)[0]
            rows, columns = extents.get(sheet, (0, 0))
            extents[sheet] = (max(rows, row + 1), max(columns, column + 1))
        position = body + length
    if len(extents) > MAX_SHEETS:
        raise LoaderError("too-many-sheets", count=len(extents), limit=MAX_SHEETS)
    for index, (rows, columns) in extents.items():
        check_extent(f"{index + 1}", rows, columns)


# ---------------------------------------------------------------- ods

_ODS_TAG = re.compile(rb"<table:(table-row|table-cell|covered-table-cell|table)\b([^>]*?)(/?)>")
_REPEAT = re.compile(rb"number-(rows|columns)-repeated\s*=\s*[\"'](\d+)[\"']")
_HAS_VALUE = re.compile(rb"office:value-type|table:formula")


def check_ods_content(archive: zipfile.ZipFile) -> None:
    """Repeated rows and cells of content.xml multiplied out for cells that hold a value: a 1 KB .ods can ask for
    millions of filled cells."""
    try:
        with archive.open("content.xml") as stream:
            content = stream.read(MAX_PART_BYTES + 1)
    except KeyError:
        return
    except Exception as e:
        raise LoaderError("corrupt-file") from e
    sheet = _OdsSheet()
    tables = 0
    for match in _ODS_TAG.finditer(content):
        tag, attributes = match.group(1), match.group(2)
        repeat = _REPEAT.search(attributes)
        count = min(int(repeat.group(2)), 10**9) if repeat else 1
        if tag == b"table":
            sheet.finish(tables)
            tables += 1
            if tables > MAX_SHEETS:
                raise LoaderError("too-many-sheets", count=tables, limit=MAX_SHEETS)
            sheet = _OdsSheet()
        elif tag == b"table-row":
            sheet.new_row(count)
        else:
            sheet.cell(count, bool(_HAS_VALUE.search(attributes)))
    sheet.finish(tables)


class _OdsSheet:
    """The range a sheet's value cells span once repeats are multiplied out."""

    def __init__(self) -> None:
        self.row_start, self.repeat, self.column, self.has_value = 0, 0, 0, False
        self.rows, self.columns = 0, 0

    def new_row(self, repeat: int) -> None:
        self._close_row()
        self.row_start += self.repeat
        self.repeat, self.column, self.has_value = repeat, 0, False

    def cell(self, repeat: int, has_value: bool) -> None:
        self.column += repeat
        if has_value:
            self.has_value = True
            self.columns = max(self.columns, self.column)
            if self.columns > MAX_COLUMNS:
                check_extent("content", max(self.rows, 1), self.columns)

    def _close_row(self) -> None:
        if self.has_value:
            self.rows = self.row_start + self.repeat
            check_extent("content", self.rows, max(self.columns, 1))

    def finish(self, index: int) -> None:
        self._close_row()
        check_extent(f"{index}", self.rows, max(self.columns, 1))
