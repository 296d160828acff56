"""Bytes to sheets of cell values, refusing hostile files before any parser sees them.

The kind is told by the bytes, never by the name: OOXML and ODS zips, OLE (.xls, or an encrypted OOXML), text
(CSV in UTF-8, UTF-16 or Windows-1251). HTML and XML pages saved with a spreadsheet extension are named as such."""
from __future__ import annotations

import codecs
import csv
import io
import os
import re
import stat
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from loaders import precheck
from loaders.derived import derived_ods, derived_xlsx
from loaders.errorcells import error_cells
from loaders.parse import clean_text
from loaders.problems import LoaderError

MAX_FILE_BYTES = precheck.MAX_FILE_BYTES
MAX_CSV_FIELD = 4 * 32767


@dataclass
class Sheet:
    name: str
    rows: list[list]            # cell values: str, int, float, bool, date, datetime or None
    first_row: int = 1          # Excel row number of rows[0]
    merges: list | None = None  # [((r0, c0), (r1, c1)), ...] 0-based within rows, or None when unknown
    hidden: bool = False
    derived: bool = False       # its figures are formulas over other sheets (a «Свод» of month sheets)
    errors: dict | None = None  # {(row, column) within rows: «#REF!»}: failed formulas, read as empty by the parser


@dataclass
class Book:
    kind: str
    sheets: list[Sheet] = field(default_factory=list)


@dataclass
class Container:
    """What the pre-checks learnt of a file: its kind, and the sheets made of formulas over other sheets."""
    kind: str
    derived: set[str] = field(default_factory=set)
    errors: dict[str, dict[tuple[int, int], str]] = field(default_factory=dict)  # sheet -> failed formula cells


def read_path(path: str | os.PathLike) -> bytes:
    """A report file's bytes; a folder, a pipe or a device is refused without being opened for reading."""
    path = Path(path)
    try:
        info = os.stat(path)
    except FileNotFoundError as e:
        raise LoaderError("file-not-found") from e
    except OSError as e:
        raise LoaderError("unreadable", reason=e.strerror or type(e).__name__) from e
    if not stat.S_ISREG(info.st_mode):
        raise LoaderError("not-a-regular-file")
    if info.st_size > MAX_FILE_BYTES:
        raise LoaderError("too-large-file", limit=MAX_FILE_BYTES // 1024 // 1024)
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
    except OSError as e:
        raise LoaderError("unreadable", reason=e.strerror or type(e).__name__) from e
    if len(data) > MAX_FILE_BYTES:
        raise LoaderError("too-large-file", limit=MAX_FILE_BYTES // 1024 // 1024)
    return data


def sniff(data: bytes) -> str:
    """'xlsx', 'ods', 'xls' or 'csv'; raises LoaderError when the bytes are none of them."""
    return inspect(data).kind


def inspect(data: bytes, deep: bool = True) -> Container:
    """The file's kind after the pre-checks; raises LoaderError for a file that is not one or is hostile.

    `deep=False` leaves out the streaming scan of worksheet XML (far cells, repeated cells): the reading worker runs
    that scan itself, beside the child that parses, which its memory limit protects in the meantime."""
    if not data or not data.strip(b"\x00 \t\r\n"):
        raise LoaderError("empty-file")
    if len(data) > MAX_FILE_BYTES:
        raise LoaderError("too-large-file", limit=MAX_FILE_BYTES // 1024 // 1024)
    if data[:4] in (b"PK\x03\x04", b"PK\x05\x06"):
        return _zip_container(data, deep)
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return Container(_ole_kind(data))
    if data[:5] == b"%PDF-" or data[:5] == b"{\\rtf" or data[:2] == b"\x1f\x8b":
        raise LoaderError("not-a-spreadsheet")
    text = decode_text(data[:65536], strict=False)
    if text is not None:
        markup = _markup_kind(text)
        if markup:
            raise LoaderError("markup-not-a-spreadsheet", kind=markup)
        if _mostly_printable(text):
            return Container("csv")
    raise LoaderError("not-a-spreadsheet")


def _zip_container(data: bytes, deep: bool) -> Container:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, EOFError, ValueError, OSError) as e:
        raise LoaderError("corrupt-file") from e
    precheck.check_zip(infos)
    names = {info.filename for info in infos}
    if "xl/workbook.bin" in names:
        raise LoaderError("xlsb-not-supported")
    if "xl/workbook.xml" in names:
        sheets = sorted(n for n in names if n.startswith("xl/worksheets/") and n.endswith(".xml"))
        small = [n for n in sheets if archive.getinfo(n).file_size <= precheck.DERIVED_SHEET_BYTES]
        if deep:
            formulas = precheck.check_xlsx_sheets(archive, sheets)
        else:
            formulas = precheck.formula_counts(archive, small)
        return Container("xlsx", derived_xlsx(archive, formulas), error_cells(archive, small))
    if "mimetype" in names:
        try:
            mimetype = archive.read("mimetype")[:100]
        except (zipfile.BadZipFile, OSError, EOFError, RuntimeError) as e:
            raise LoaderError("corrupt-file") from e
        if b"spreadsheet" in mimetype:
            if deep:
                precheck.check_ods_content(archive)
            return Container("ods", derived_ods(archive))
    raise LoaderError("not-a-spreadsheet")


def _ole_kind(data: bytes) -> str:
    import olefile

    try:
        ole = olefile.OleFileIO(io.BytesIO(data))
        streams = {"/".join(s) for s in ole.listdir()}
        if "EncryptionInfo" in streams or "EncryptedPackage" in streams:
            raise LoaderError("password-protected")
        name = "Workbook" if "Workbook" in streams else "Book" if "Book" in streams else None
        if name is None:
            raise LoaderError("not-a-spreadsheet")
        workbook = ole.openstream(name).read(MAX_FILE_BYTES + 1)
    except LoaderError:
        raise
    except Exception as e:
        raise LoaderError("corrupt-file") from e
    precheck.check_xls_stream(workbook)
    return "xls"


_HTML = re.compile(r"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body|table|meta)\b", re.IGNORECASE | re.DOTALL)
_XML_SHEET = re.compile(r"^\s*<\?xml[^>]*>.*?(urn:schemas-microsoft-com:office:spreadsheet|<Workbook\b|<ss:)",
                        re.IGNORECASE | re.DOTALL)


def _markup_kind(text: str) -> str | None:
    head = text[:4096]
    if _HTML.match(head):
        return "HTML"
    if _XML_SHEET.match(head) or head.lstrip().startswith("<?xml"):
        return "XML"
    return None


def _mostly_printable(text: str) -> bool:
    printable = sum(ch.isprintable() or ch in "\r\n\t" for ch in text)
    return printable >= 0.97 * max(len(text), 1)


def decode_text(data: bytes, strict: bool = True) -> str | None:
    """UTF-16 (by its BOM, or by its zero bytes), UTF-8 (with or without BOM), else Windows-1251 as Russian Excel
    saves CSV. NUL characters are dropped."""
    for bom, codec in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            return _decode(data[len(bom):], codec, strict)
    sample = data[:4096]
    if len(sample) >= 4 and sample.count(b"\x00") > len(sample) // 3:
        codec = "utf-16-le" if sample[1:2] == b"\x00" else "utf-16-be"
        return _decode(data, codec, strict)
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    text = _decode(data, "utf-8", strict)
    if text is None:
        text = _decode(data, "cp1251", strict)
    return text


def _decode(data: bytes, codec: str, strict: bool) -> str | None:
    if not strict and codec.startswith("utf-16") and len(data) % 2:
        data = data[:-1]
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as e:
        if strict or e.start < len(data) - 4:
            return None
        text = data[: e.start].decode(codec, errors="ignore")
    return text.replace("\x00", "")


def read_book(data: bytes, container: Container | str) -> Book:
    if isinstance(container, str):
        container = Container(container)
    if container.kind == "csv":
        return Book(container.kind, [_read_csv(data)])
    return Book(container.kind, _read_workbook(data, container.derived, container.errors))


def _read_csv(data: bytes) -> Sheet:
    text = decode_text(data)
    if text is None:
        raise LoaderError("unknown-encoding")
    lines = text.splitlines()
    head = "\n".join(lines[:20])
    delimiter = max([";", ",", "\t"], key=head.count)
    width = max((line.count(delimiter) + 1 for line in lines[:200]), default=1)
    precheck.check_extent("CSV", len(lines), width)
    csv.field_size_limit(MAX_CSV_FIELD)  # Excel holds at most 32,767 characters in a cell
    rows = []
    try:
        for row in csv.reader(io.StringIO(text), delimiter=delimiter):
            if len(row) > precheck.MAX_COLUMNS:
                raise LoaderError("too-many-columns", columns=len(row), limit=precheck.MAX_COLUMNS)
            rows.append([cell if cell.strip() else None for cell in row])
    except csv.Error as e:
        raise LoaderError("corrupt-file") from e
    if not any(any(c is not None for c in row) for row in rows):
        raise LoaderError("empty-file")
    return Sheet(name="CSV", rows=rows)


def _read_workbook(data: bytes, derived: set[str], errors: dict | None = None) -> list[Sheet]:
    import python_calamine as calamine

    try:
        book = calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = []
        for meta in book.sheets_metadata:
            if meta.typ != calamine.SheetTypeEnum.WorkSheet:
                continue
            sheet = book.get_sheet_by_name(meta.name)
            if sheet.height and sheet.width:
                precheck.check_extent(meta.name, sheet.height, sheet.width)
            rows = sheet.to_python(skip_empty_area=True)
            sheets.append(_sheet(meta, sheet, rows, derived, (errors or {}).get(meta.name)))
    except calamine.PasswordError as e:
        raise LoaderError("password-protected") from e
    except LoaderError:
        raise
    except (calamine.CalamineError, calamine.XmlError, calamine.ZipError, ValueError, OSError, KeyError,
            OverflowError, UnicodeError) as e:
        raise LoaderError("corrupt-file") from e
    if not sheets or not any(any(c not in (None, "") for c in row) for s in sheets for row in s.rows):
        raise LoaderError("empty-file")
    return sheets


def _sheet(meta, sheet, rows: list[list], derived: set[str], errors: dict | None = None) -> Sheet:
    import python_calamine as calamine

    start_row, start_col = sheet.start if sheet.start else (0, 0)
    try:
        merges = sheet.merged_cell_ranges
    except Exception:
        merges = None
    if merges and (start_row or start_col):
        merges = [((r0 - start_row, c0 - start_col), (r1 - start_row, c1 - start_col))
                  for (r0, c0), (r1, c1) in merges]
    hidden = meta.visible != calamine.SheetVisibleEnum.Visible
    name = clean_text(meta.name) or "—"  # control and bidi characters never reach a page
    placed = {(r - start_row, c - start_col): text for (r, c), text in (errors or {}).items()} or None
    return Sheet(name, rows, first_row=start_row + 1, merges=merges, hidden=hidden, derived=meta.name in derived,
                 errors=placed)
