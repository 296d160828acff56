"""Hostile and malformed uploads, each written by code (no binary blobs in the repository).

Every generator takes a folder, writes one file there (or makes one special path: a FIFO, a directory, a
symlink) and returns a `Hostile` saying what a hardened loader must do with it. `GENERATORS` lists them all in
order; `python -m tests.hostile.files OUTDIR` writes the whole corpus for a person to look at.

Most files wrap the same small, valid event log (`FLAT_HEADER` + `FLAT_ROWS`, five events in Karaganda in
June 2025) around one attack, so that "loaded" is checkable and a refusal is about the attack alone. The
workbooks are assembled part by part (`xlsx_parts`, `ods_bytes`, `raw_zip`) because the attacks live in the raw
XML and zip structures that spreadsheet writers never produce.

expect: "failed" (must end failed), "loaded" (must end loaded, however many rows are rejected), "any" (either is
honestly acceptable; the bounds on time, memory, messages and the database still hold).
"""
from __future__ import annotations

import codecs
import gzip
import io
import os
import random
import re
import struct
import sys
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

MiB = 1 << 20
SECRET = "HOSTILE-SECRET-7f3a9c"  # the content of the file the XXE attacks point at: must never surface


# Every way the reader says "too large": the file, a decompression bomb, the parts, the cells or columns of a sheet,
# the sheets, too many rejected rows, or the limits of the reading process.
TOO_LARGE = {"too-large-file", "zip-bomb", "too-many-parts", "too-many-cells", "too-many-columns", "too-many-sheets",
             "too-many-rejections", "parse-out-of-memory", "parse-timeout"}

@dataclass
class Hostile:
    name: str
    path: Path
    expect: str                                   # "failed" | "loaded" | "any"
    codes: frozenset[str] | None = None           # acceptable error_code values when the file fails
    words: tuple[str, ...] = ()                   # lowercase words the failure message must contain
    forbidden: tuple[str, ...] = ()               # text that must appear nowhere: report, stored rows
    min_loaded: int | None = None                 # when loaded, at least this many rows stored
    check: Callable | None = None                 # check(con) -> list of problems, on the database afterwards
    skip: str | None = None                       # a reason this environment cannot run the case
    about: str = ""                               # what it attacks, one line

    def __post_init__(self):
        assert self.expect in ("failed", "loaded", "any"), self.expect
        if self.codes is not None:
            self.codes = frozenset(self.codes)


GENERATORS: list[Callable[[Path], Hostile]] = []


def hostile(fn: Callable[[Path], Hostile]) -> Callable[[Path], Hostile]:
    GENERATORS.append(fn)
    return fn


# ---------------------------------------------------------------------------------------------- the valid log

TITLE = "Сведения о проведённых профилактических мероприятиях за июнь 2025 года"
FLAT_HEADER = ["№", "Дата проведения", "Регион", "Район", "Место проведения", "Форма мероприятия", "Организатор",
               "Охват участников", "в т.ч. студентов"]
FLAT_ROWS = [
    [1, "25.06.2025", "Карагандинская область", "г. Караганда", "ДП Карагандинской области", "Заседание совета",
     "Совет при МВД РК", 30, 0],
    [2, "25.06.2025", "Карагандинская область", "г. Караганда", "Карагандинский высший политехнический колледж",
     "встреча", "Комитет по противодействию наркопреступности МВД", 195, 180],
    [3, "25.06.2025", "Қарағанды облысы", "г. Караганда", "Центр поддержки семьи", "встреча",
     "ДП Карагандинской области", 40, None],
    [4, "25.06.2025", "Карагандинская", "г. Караганда", "Акимат Карагандинской области", "Внеочередное заседание",
     "Областной межведомственный штаб", 25, None],
    [5, "26.06.2025", "Карагандинская область", "г. Темиртау", "Школа-гимназия №1", "лекция",
     "ДП Карагандинской области", 60, 0],
]
VALID = len(FLAT_ROWS)


def log_rows(extra: list[list] | None = None) -> list[list]:
    """Title, blank row, header, the five events (and any extra rows)."""
    return [[TITLE], [], FLAT_HEADER, *FLAT_ROWS, *(extra or [])]


def row_with(number: int, **changes) -> list:
    """A valid event row with some cells changed (keys: date, region, district, venue, form, organizer,
    participants, students)."""
    keys = ["n", "date", "region", "district", "venue", "form", "organizer", "participants", "students"]
    row = [number, "27.06.2025", "Карагандинская область", "г. Караганда", "Колледж №3", "беседа",
           "ДП Карагандинской области", 50, 10]
    for key, value in changes.items():
        row[keys.index(key)] = value
    return row


# ---------------------------------------------------------------------------------------------- xlsx by parts

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
WORKSHEET_REL = REL_NS + "/worksheet"
XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def letters(column: int) -> str:
    """1 -> A, 27 -> AA, 16384 -> XFD."""
    out = ""
    while column:
        column, rest = divmod(column - 1, 26)
        out = chr(65 + rest) + out
    return out


class Strings:
    """A shared-string table, as Excel writes one."""

    def __init__(self):
        self.items: list[str] = []
        self.index: dict[str, int] = {}

    def add(self, text: str) -> int:
        if text not in self.index:
            self.index[text] = len(self.items)
            self.items.append(text)
        return self.index[text]

    def xml(self, head: str = XML_DECL, items_xml: str = "") -> str:
        body = "".join(f"<si><t xml:space=\"preserve\">{escape(s)}</t></si>" for s in self.items)
        return (f'{head}<sst xmlns="{MAIN_NS}" count="{len(self.items)}" uniqueCount="{len(self.items)}">'
                f"{body}{items_xml}</sst>")


def cell_xml(ref: str, value, strings: Strings | None, prefix: str = "") -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return f'<{prefix}c r="{ref}" t="b"><{prefix}v>{int(value)}</{prefix}v></{prefix}c>'
    if isinstance(value, (int, float)):
        return f'<{prefix}c r="{ref}"><{prefix}v>{value!r}</{prefix}v></{prefix}c>'
    if isinstance(value, Raw):
        return value.xml.replace("{ref}", ref)
    if strings is not None:
        return f'<{prefix}c r="{ref}" t="s"><{prefix}v>{strings.add(value)}</{prefix}v></{prefix}c>'
    return (f'<{prefix}c r="{ref}" t="inlineStr"><{prefix}is><{prefix}t xml:space="preserve">{escape(value)}'
            f"</{prefix}t></{prefix}is></{prefix}c>")


@dataclass
class Raw:
    """A cell written as given ("{ref}" is replaced by its reference)."""
    xml: str


def sheet_xml(rows: list[list], strings: Strings | None, *, dimension: str | None = "auto", prefix: str = "",
              tail: str = "", after_data: str = "") -> str:
    """A worksheet: rows from row 1, cells with r attributes. `tail` goes inside sheetData after the rows,
    `after_data` after sheetData (merges, protection)."""
    width = max((len(r) for r in rows), default=1)
    if dimension == "auto":
        dimension = f"A1:{letters(width)}{len(rows)}"
    body = []
    for r, row in enumerate(rows, 1):
        cells = "".join(cell_xml(f"{letters(c)}{r}", v, strings, prefix) for c, v in enumerate(row, 1))
        if cells:
            body.append(f'<{prefix}row r="{r}">{cells}</{prefix}row>')
    ns = f'xmlns:{prefix[:-1]}="{MAIN_NS}"' if prefix else f'xmlns="{MAIN_NS}"'
    dim = f'<{prefix}dimension ref="{dimension}"/>' if dimension else ""
    return (f"{XML_DECL}<{prefix}worksheet {ns} xmlns:r=\"{REL_NS}\">{dim}<{prefix}sheetData>{''.join(body)}"
            f"{tail}</{prefix}sheetData>{after_data}</{prefix}worksheet>")


def workbook_parts(sheet_names: list[str], *, targets: list[str] | None = None, shared: bool = True,
                   macro: bool = False, workbook_extra: str = "") -> dict[str, bytes]:
    """Everything but the sheets and the shared strings: content types, relationships, workbook.xml."""
    targets = targets or [f"worksheets/sheet{i}.xml" for i in range(1, len(sheet_names) + 1)]
    main_type = ("application/vnd.ms-excel.sheet.macroEnabled.main+xml" if macro else
                 "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml")
    overrides = [f'<Override PartName="/xl/workbook.xml" ContentType="{main_type}"/>']
    for target in sorted(set(targets)):
        overrides.append(f'<Override PartName="/xl/{target}" ContentType="application/vnd.openxmlformats-'
                         'officedocument.spreadsheetml.worksheet+xml"/>')
    if shared:
        overrides.append('<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
                         'officedocument.spreadsheetml.sharedStrings+xml"/>')
    if macro:
        overrides.append('<Override PartName="/xl/vbaProject.bin" ContentType="application/vnd.ms-office.vbaProject"/>')
    types = (f'{XML_DECL}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
             '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
             '<Default Extension="xml" ContentType="application/xml"/>' + "".join(overrides) + "</Types>")
    root_rels = (f'{XML_DECL}<Relationships xmlns="{PKG_REL_NS}"><Relationship Id="rId1" '
                 f'Type="{REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
    sheets = "".join(f'<sheet name="{escape(name, {chr(34): "&quot;"})}" sheetId="{i}" r:id="rId{i}"/>'
                     for i, name in enumerate(sheet_names, 1))
    workbook = (f'{XML_DECL}<workbook xmlns="{MAIN_NS}" xmlns:r="{REL_NS}">{workbook_extra}<sheets>{sheets}</sheets>'
                "</workbook>")
    rels = [f'<Relationship Id="rId{i}" Type="{WORKSHEET_REL}" Target="{t}"/>' for i, t in enumerate(targets, 1)]
    if shared:
        rels.append(f'<Relationship Id="rIdS" Type="{REL_NS}/sharedStrings" Target="sharedStrings.xml"/>')
    if macro:
        rels.append('<Relationship Id="rIdV" Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject" '
                    'Target="vbaProject.bin"/>')
    workbook_rels = f'{XML_DECL}<Relationships xmlns="{PKG_REL_NS}">{"".join(rels)}</Relationships>'
    return {"[Content_Types].xml": types.encode(), "_rels/.rels": root_rels.encode(),
            "xl/workbook.xml": workbook.encode(), "xl/_rels/workbook.xml.rels": workbook_rels.encode()}


def xlsx_parts(rows: list[list] | None = None, *, sheet_name: str = "Мероприятия", shared: bool = True,
               **sheet_options) -> dict[str, bytes]:
    """A one-sheet workbook (the valid event log by default), part name -> bytes, in zip order."""
    strings = Strings() if shared else None
    sheet = sheet_xml(log_rows() if rows is None else rows, strings, **sheet_options)
    parts = workbook_parts([sheet_name], shared=shared)
    parts["xl/worksheets/sheet1.xml"] = sheet.encode()
    if shared:
        parts["xl/sharedStrings.xml"] = strings.xml().encode()
    return parts


def zip_bytes(parts: dict[str, bytes] | list[tuple[str, bytes]], stored_first: str | None = None) -> bytes:
    out = io.BytesIO()
    items = parts.items() if isinstance(parts, dict) else parts
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        for name, data in items:
            method = zipfile.ZIP_STORED if name == stored_first else zipfile.ZIP_DEFLATED
            archive.writestr(zipfile.ZipInfo(name, (2025, 6, 25, 0, 0, 0)), data, compress_type=method)
    return out.getvalue()


def write(folder: Path, name: str, data: bytes | str) -> Path:
    path = folder / name
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


def valid_xlsx() -> bytes:
    return zip_bytes(xlsx_parts())


def replace_once(data: bytes, old: bytes, new: bytes) -> bytes:
    assert old in data, old
    return data.replace(old, new, 1)


# ---------------------------------------------------------------------------------------------- raw zip entries

@dataclass
class Entry:
    """A zip member written as given: raw deflate chunks (or stored bytes), its CRC and sizes, which may lie."""
    name: str
    chunks: Callable[[], object]  # an iterable of bytes, produced lazily
    crc: int
    size: int
    compressed: int
    method: int = 8


def deflated(name: str, data: bytes) -> Entry:
    packed = zlib.compressobj(6, zlib.DEFLATED, -15)
    body = packed.compress(data) + packed.flush()
    return Entry(name, lambda: [body], zlib.crc32(data), len(data), len(body))


def stored(name: str, data: bytes) -> Entry:
    return Entry(name, lambda: [data], zlib.crc32(data), len(data), len(data), method=0)


def repeated(name: str, head: bytes, chunk: bytes, count: int, tail: bytes) -> Entry:
    """head + chunk * count + tail as one deflate stream, built in milliseconds: after a full flush the
    compressor forgets its history, so every copy of `chunk` compresses to the same bytes."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = packer.compress(head) + packer.flush(zlib.Z_FULL_FLUSH)
    one = packer.compress(chunk) + packer.flush(zlib.Z_FULL_FLUSH)
    again = packer.compress(chunk) + packer.flush(zlib.Z_FULL_FLUSH)
    assert one == again, "deflate output of a repeated chunk should not depend on what came before"
    last = packer.compress(tail) + packer.flush()
    crc = zlib.crc32(head)
    for _ in range(count):
        crc = zlib.crc32(chunk, crc)
    crc = zlib.crc32(tail, crc)

    def chunks():
        yield first
        if count >= 2:
            yield one
            yield one * (count - 2)  # bytes, not a lazy generator: fast to write
            yield again
        elif count == 1:
            yield one
        yield last
    size = len(head) + len(chunk) * count + len(tail)
    return Entry(name, chunks, crc, size, len(first) + len(one) * count + len(last))


def raw_zip(path: Path, entries: list[Entry], lie_size: dict[str, int] | None = None) -> Path:
    """Write a zip file by hand. `lie_size` declares another uncompressed size for some members (in both the
    local and the central header)."""
    lie_size = lie_size or {}
    central = []
    with open(path, "wb") as f:
        for e in entries:
            offset = f.tell()
            name = e.name.encode()
            size = lie_size.get(e.name, e.size)
            f.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0x800, e.method, 0, 0x5AD9, e.crc, e.compressed,
                                size, len(name), 0) + name)
            written = 0
            for chunk in e.chunks():
                f.write(chunk)
                written += len(chunk)
            assert written == e.compressed, (e.name, written, e.compressed)
            central.append(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0x800, e.method, 0, 0x5AD9, e.crc,
                                       e.compressed, size, len(name), 0, 0, 0, 0, 0, offset) + name)
        start = f.tell()
        for record in central:
            f.write(record)
        f.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(central), len(central), f.tell() - start, start, 0))
    return path


def entries_of(parts: dict[str, bytes]) -> list[Entry]:
    return [deflated(name, data) for name, data in parts.items()]


# ---------------------------------------------------------------------------------------------- ods and xls

ODS_NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"')
ODS_MIME = b"application/vnd.oasis.opendocument.spreadsheet"


def ods_cell(value) -> str:
    if value is None:
        return "<table:table-cell/>"
    if isinstance(value, Raw):
        return value.xml
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return (f'<table:table-cell office:value-type="float" office:value="{value!r}">'
                f"<text:p>{value!r}</text:p></table:table-cell>")
    return f'<table:table-cell office:value-type="string"><text:p>{escape(str(value))}</text:p></table:table-cell>'


def ods_rows(rows: list[list]) -> str:
    return "".join(f"<table:table-row>{''.join(ods_cell(v) for v in row) or '<table:table-cell/>'}</table:table-row>"
                   for row in rows)


def ods_content(rows_xml: str, *, head: str = '<?xml version="1.0" encoding="UTF-8"?>\n',
                sheet: str = "Мероприятия", columns: str = "") -> str:
    return (f'{head}<office:document-content {ODS_NS} office:version="1.2"><office:body><office:spreadsheet>'
            f'<table:table table:name="{sheet}">{columns}{rows_xml}</table:table>'
            "</office:spreadsheet></office:body></office:document-content>")


def ods_bytes(content: str) -> bytes:
    manifest = ('<?xml version="1.0" encoding="UTF-8"?>\n<manifest:manifest '
                'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.'
                'spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                "</manifest:manifest>")
    return zip_bytes([("mimetype", ODS_MIME), ("META-INF/manifest.xml", manifest.encode()),
                      ("content.xml", content.encode())], stored_first="mimetype")


def valid_ods() -> bytes:
    return ods_bytes(ods_content(ods_rows(log_rows())))


def xls_book(rows: list[list], *, sheet_name: str = "Мероприятия", extra: Callable | None = None):
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet(sheet_name, cell_overwrite_ok=True)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is not None:
                sheet.write(r, c, value)
    if extra:
        extra(book, sheet)
    return book


def xls_bytes(rows: list[list] | None = None, **options) -> bytes:
    out = io.BytesIO()
    xls_book(log_rows() if rows is None else rows, **options).save(out)
    return out.getvalue()


def biff_records(stream: bytes) -> list[tuple[int, bytes]]:
    records, pos = [], 0
    while pos + 4 <= len(stream):
        kind, length = struct.unpack_from("<HH", stream, pos)
        records.append((kind, stream[pos + 4: pos + 4 + length]))
        pos += 4 + length
    return records


def biff_join(records: list[tuple[int, bytes]]) -> bytes:
    return b"".join(struct.pack("<HH", kind, len(data)) + data for kind, data in records)


def ole_xls(stream: bytes) -> bytes:
    """A Workbook stream in an OLE compound file, as xlwt writes it."""
    from xlwt.CompoundDoc import XlsDoc

    out = io.BytesIO()
    XlsDoc().save(out, stream)
    return out.getvalue()


# ---------------------------------------------------------------------------------------------- csv

def csv_text(rows: list[list], sep: str = ";") -> str:
    def cell(v):
        if v is None:
            return ""
        text = str(v)
        if any(ch in text for ch in (sep, '"', "\n", "\r")):
            text = '"' + text.replace('"', '""') + '"'
        return text
    return "\r\n".join(sep.join(cell(v) for v in row) for row in rows) + "\r\n"


# ---------------------------------------------------------------------------------------------- checks on the db

def stored_like(column: str, pattern: str, at_least: int = 1) -> Callable:
    """The database holds a record whose `column` is LIKE `pattern` (formula text stored as text)."""
    def check(con) -> list[str]:
        found = con.execute(f"SELECT count(*) FROM activity_record WHERE {column} LIKE ?", [pattern]).fetchone()[0]
        return [] if found >= at_least else [f"no stored {column} LIKE {pattern!r} (found {found})"]
    return check


# ================================================================================================ far cells

FAR = "</sheetData>"


def far_xlsx(folder: Path, name: str, tail: str, about: str, *, prefix: str = "") -> Hostile:
    """A valid log with one far cell holding a value: a used range of absurd size, refused as too large (as
    tests/test_hostile_files.py already decides for a far cell); a declared dimension alone must still load."""
    parts = xlsx_parts(prefix=prefix, tail=tail)
    return Hostile(name, write(folder, name, zip_bytes(parts)), "failed", codes=TOO_LARGE, about=about)


@hostile
def far_cell_xfd(folder):
    "the last cell of a sheet, XFD1048576, holding a value under the valid log: a 17-billion-cell used range"
    return far_xlsx(folder, "far_cell_xfd.xlsx", '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>',
                    far_cell_xfd.__doc__)


@hostile
def far_cell_single_quotes(folder):
    "a far cell written with single-quoted attributes (<c r='ALL1048576'>), which double-quote scans miss"
    return far_xlsx(folder, "far_cell_single_quotes.xlsx",
                    "<row r='1048576'><c r='ALL1048576' t='n'><v>1</v></c></row>", far_cell_single_quotes.__doc__)


@hostile
def far_cell_spaces(folder):
    "a far cell written with spaces around '=' (<c r = \"ALL1048576\" >)"
    return far_xlsx(folder, "far_cell_spaces.xlsx",
                    '<row r = "1048576" ><c r = "ALL1048576" ><v>1</v></c></row>', far_cell_spaces.__doc__)


@hostile
def far_row_single_quotes(folder):
    "a value in <row r='1048576'> whose cell has no r attribute: the row number alone makes it far"
    return far_xlsx(folder, "far_row_single_quotes.xlsx", "<row r='1048576'><c><v>1</v></c></row>",
                    far_row_single_quotes.__doc__)


@hostile
def far_cell_namespaced(folder):
    "a whole sheet in a namespace prefix (<x:c r='ALL1048576'>), single quotes on the far cell"
    return far_xlsx(folder, "far_cell_namespaced.xlsx",
                    "<x:row r='1048576'><x:c r='ALL1048576'><x:v>1</x:v></x:c></x:row>",
                    far_cell_namespaced.__doc__, prefix="x:")


@hostile
def far_cell_lowercase(folder):
    "a far cell with a lower-case reference (r=\"xfd1048576\") that upper-case patterns miss"
    return far_xlsx(folder, "far_cell_lowercase.xlsx", '<row r="1048576"><c r="xfd1048576"><v>1</v></c></row>',
                    far_cell_lowercase.__doc__)


@hostile
def dimension_only_huge(folder):
    "<dimension ref=\"A1:XFD1048576\"/> declared over a valid five-row log: a declaration is not data, must load"
    parts = xlsx_parts(dimension="A1:XFD1048576")
    return Hostile("dimension_only_huge.xlsx", write(folder, "dimension_only_huge.xlsx", zip_bytes(parts)), "loaded",
                   min_loaded=VALID, about=dimension_only_huge.__doc__)


@hostile
def far_cell_xls(folder):
    "an .xls with a value at row 65535, column 255 (the BIFF8 maximum) under the valid log"
    data = xls_bytes(extra=lambda book, sheet: sheet.write(65535, 255, 1))
    return Hostile("far_cell.xls", write(folder, "far_cell.xls", data), "failed", codes=TOO_LARGE,
                   about=far_cell_xls.__doc__)


def patch_xls_dimensions(stream: bytes, rows: int, columns: int) -> bytes:
    records = biff_records(stream)
    out = []
    for kind, data in records:
        if kind == 0x0200:  # DIMENSIONS: first row, last row + 1, first column, last column + 1
            first_row, _, first_col, _, reserved = struct.unpack("<IIHHH", data)
            data = struct.pack("<IIHHH", first_row, rows, first_col, columns, reserved)
        out.append((kind, data))
    return biff_join(out)


@hostile
def dimensions_only_huge_xls(folder):
    "an .xls whose DIMENSIONS record claims 65536 x 256 over a valid log: a declaration is not data, must load"
    stream = xls_book(log_rows()).get_biff_data()
    data = ole_xls(patch_xls_dimensions(stream, 65536, 256))
    return Hostile("dimensions_only_huge.xls", write(folder, "dimensions_only_huge.xls", data), "loaded",
                   min_loaded=VALID, about=dimensions_only_huge_xls.__doc__)


@hostile
def repeated_cell_ods(folder):
    "an .ods cell with a value repeated 1,048,000 rows x 16,000 columns: 16.8 billion cells of data"
    bomb = ('<table:table-row table:number-rows-repeated="1048000"><table:table-cell '
            'table:number-columns-repeated="16000" office:value-type="float" office:value="1"><text:p>1</text:p>'
            "</table:table-cell></table:table-row>")
    data = ods_bytes(ods_content(ods_rows(log_rows()) + bomb))
    return Hostile("repeated_cell.ods", write(folder, "repeated_cell.ods", data), "failed", codes=TOO_LARGE,
                   about=repeated_cell_ods.__doc__)


@hostile
def libreoffice_trailing_rows_ods(folder):
    "the empty tail LibreOffice writes (1,048,568 repeated empty rows x 1024 cells) after a valid log: must load"
    columns = '<table:table-column table:number-columns-repeated="1024"/>'
    tail = ('<table:table-row table:number-rows-repeated="1048568"><table:table-cell '
            'table:number-columns-repeated="1024"/></table:table-row>')
    data = ods_bytes(ods_content(ods_rows(log_rows()) + tail, columns=columns))
    return Hostile("libreoffice_trailing_rows.ods", write(folder, "libreoffice_trailing_rows.ods", data), "loaded",
                   min_loaded=VALID, about=libreoffice_trailing_rows_ods.__doc__)


@hostile
def styled_empty_rows(folder):
    "100,000 formatted but empty rows after a valid log (a column styled down the sheet): must load"
    tail = "".join(f'<row r="{r}" s="1" customFormat="1"><c r="A{r}" s="1"/><c r="I{r}" s="1"/></row>'
                   for r in range(len(log_rows()) + 1, len(log_rows()) + 100_001))
    parts = xlsx_parts(tail=tail, dimension=f"A1:I{len(log_rows()) + 100_000}")
    return Hostile("styled_empty_rows.xlsx", write(folder, "styled_empty_rows.xlsx", zip_bytes(parts)), "loaded",
                   min_loaded=VALID, about=styled_empty_rows.__doc__)


@hostile
def huge_merge(folder):
    "a merged range A20:XFD1048576 declared below a valid log (no data in it): must load"
    parts = xlsx_parts(after_data='<mergeCells count="1"><mergeCell ref="A20:XFD1048576"/></mergeCells>')
    return Hostile("huge_merge.xlsx", write(folder, "huge_merge.xlsx", zip_bytes(parts)), "loaded",
                   min_loaded=VALID, about=huge_merge.__doc__)


@hostile
def many_merges(folder):
    "100,000 merged ranges declared below a valid log: must load"
    merges = "".join(f'<mergeCell ref="A{r}:B{r}"/>' for r in range(100, 100_100))
    parts = xlsx_parts(after_data=f'<mergeCells count="100000">{merges}</mergeCells>')
    return Hostile("many_merges.xlsx", write(folder, "many_merges.xlsx", zip_bytes(parts)), "loaded",
                   min_loaded=VALID, about=many_merges.__doc__)


# ================================================================================================ memory

@hostile
def semicolons_45mb(folder):
    "a 45 MB CSV of «;» only: one row of 47 million empty fields"
    path = folder / "semicolons_45mb.csv"
    with open(path, "wb") as f:
        block = b";" * MiB
        for _ in range(45):
            f.write(block)
    return Hostile(path.name, path, "failed", about=semicolons_45mb.__doc__)


@hostile
def newlines_30mb(folder):
    "a 30 MB CSV of empty lines: 31 million rows with nothing in them"
    path = folder / "newlines_30mb.csv"
    with open(path, "wb") as f:
        block = b"\n" * MiB
        for _ in range(30):
            f.write(block)
    return Hostile(path.name, path, "failed", about=newlines_30mb.__doc__)


@hostile
def one_line_20mb(folder):
    "a CSV header then one 20 MB line without a delimiter (a 20 MB cell)"
    path = folder / "one_line_20mb.csv"
    with open(path, "wb") as f:
        f.write(b"\xd0\x94\xd0\xb0\xd1\x82\xd0\xb0;x\n")  # «Дата;x»
        block = b"x" * MiB
        for _ in range(20):
            f.write(block)
        f.write(b"\n")
    return Hostile(path.name, path, "failed", about=one_line_20mb.__doc__)


@hostile
def columns_100k(folder):
    "a CSV with 100,000 columns: the report's headers then 99,991 more, and five rows as wide"
    header = FLAT_HEADER + [f"Столбец {i}" for i in range(len(FLAT_HEADER), 100_000)]
    pad = [""] * (100_000 - len(FLAT_HEADER))
    rows = [header] + [[("" if v is None else v) for v in row] + pad for row in FLAT_ROWS]
    data = csv_text(rows).encode()
    return Hostile("columns_100k.csv", write(folder, "columns_100k.csv", data), "any", codes=TOO_LARGE,
                   about=columns_100k.__doc__)


def _sst_chunk(size: int, random_chars: int, seed: int = 11) -> bytes:
    """About `size` bytes of <si> items; `random_chars` random letters in all set the deflate ratio."""
    rng = random.Random(seed)
    alphabet = "абвгдежзиклмнопрстуфхцчшщыэюя"
    items, length, noise = [], 0, random_chars
    while length < size:
        take = min(noise, 40)
        noise -= take
        text = "".join(rng.choice(alphabet) for _ in range(take)) + "профилактика " * 3
        item = f"<si><t>{text}</t></si>".encode()
        items.append(item)
        length += len(item)
    return b"".join(items)[:size].rsplit(b"</si>", 1)[0] + b"</si>"


@hostile
def sharedstrings_450mb(folder):
    "a ~4 MB xlsx whose sharedStrings.xml inflates to ~450 MB at a ratio (~110) under a naive 150x check"
    parts = xlsx_parts()
    sst = parts.pop("xl/sharedStrings.xml")
    head, tail = sst.rsplit(b"</sst>", 1)
    chunk = _sst_chunk(MiB, 5_000)
    entries = entries_of(parts) + [repeated("xl/sharedStrings.xml", head, chunk, 430, b"</sst>" + tail)]
    path = raw_zip(folder / "sharedstrings_450mb.xlsx", entries)
    return Hostile(path.name, path, "failed", codes=TOO_LARGE, about=sharedstrings_450mb.__doc__)


@hostile
def zip_bomb_ratio(folder):
    "an unreferenced 300 MB part of spaces deflated 1000x inside a valid workbook: the classic ratio bomb"
    entries = entries_of(xlsx_parts()) + [repeated("xl/worksheets/sheet2.xml", b"", b" " * MiB, 300, b"")]
    path = raw_zip(folder / "zip_bomb_ratio.xlsx", entries)
    return Hostile(path.name, path, "failed", codes=TOO_LARGE, about=zip_bomb_ratio.__doc__)


@hostile
def zip_bomb_small_parts(folder):
    "290 referenced sheets of 2 MB each (580 MB in all, 1000x deflate): each part under a per-entry ratio floor"
    names = [f"Лист{i}" for i in range(1, 291)]
    parts = workbook_parts(names, shared=False)
    head = f'{XML_DECL}<worksheet xmlns="{MAIN_NS}"><sheetData>'.encode()
    row = b"<row><c><v>1</v></c></row>"
    body = row * ((2 * MiB - 200) // len(row))
    template = repeated("x", head, body, 1, b"</sheetData></worksheet>")
    entries = entries_of(parts)
    for i in range(1, 291):
        entries.append(Entry(f"xl/worksheets/sheet{i}.xml", template.chunks, template.crc, template.size,
                             template.compressed))
    path = raw_zip(folder / "zip_bomb_small_parts.xlsx", entries)
    return Hostile(path.name, path, "failed", about=zip_bomb_small_parts.__doc__)


@hostile
def zip_many_entries(folder):
    "a valid workbook plus 30,000 tiny junk parts"
    entries = entries_of(xlsx_parts())
    junk = deflated("x", b"<a/>")
    entries += [Entry(f"customXml/item{i}.xml", junk.chunks, junk.crc, junk.size, junk.compressed)
                for i in range(30_000)]
    path = raw_zip(folder / "zip_many_entries.xlsx", entries)
    return Hostile(path.name, path, "any", codes=TOO_LARGE, min_loaded=VALID, about=zip_many_entries.__doc__)


@hostile
def zip_lying_size(folder):
    "sharedStrings.xml declares 2 KB in both zip headers but inflates to ~400 MB (the CRC is the true one)"
    parts = xlsx_parts()
    sst = parts.pop("xl/sharedStrings.xml")
    head, tail = sst.rsplit(b"</sst>", 1)
    chunk = b"<si><t>x</t></si>" * (MiB // 17)
    entries = entries_of(parts) + [repeated("xl/sharedStrings.xml", head, chunk, 400, b"</sst>" + tail)]
    path = raw_zip(folder / "zip_lying_size.xlsx", entries, lie_size={"xl/sharedStrings.xml": 2048})
    return Hostile(path.name, path, "failed", about=zip_lying_size.__doc__)


@hostile
def nested_zip(folder):
    "a zip holding only report.xlsx, itself a zip bomb: nothing must be unpacked recursively"
    inner = folder / "_inner.zip"
    raw_zip(inner, [repeated("xl/worksheets/sheet1.xml", b"", b" " * MiB, 500, b"")])
    data = zip_bytes({"report.xlsx": inner.read_bytes()})
    inner.unlink()
    return Hostile("nested_zip.xlsx", write(folder, "nested_zip.xlsx", data), "failed", codes={"not-a-spreadsheet"},
                   about=nested_zip.__doc__)


@hostile
def embedded_zip_bomb(folder):
    "a valid log with an embedded object that is a 500 MB zip bomb: embeddings are never opened, must load"
    inner = folder / "_inner.zip"
    raw_zip(inner, [repeated("bomb.txt", b"", b"\0" * MiB, 500, b"")])
    parts = xlsx_parts()
    parts["xl/embeddings/oleObject1.bin"] = inner.read_bytes()
    inner.unlink()
    path = write(folder, "embedded_zip_bomb.xlsx", zip_bytes(parts))
    return Hostile(path.name, path, "loaded", min_loaded=VALID, about=embedded_zip_bomb.__doc__)


@hostile
def rejected_200k_ods(folder):
    "an .ods whose one bad row is repeated 200,000 times: 200,000 rejected rows from a 2 KB file"
    bad = ods_rows([row_with(6, date="не дата", region="Нигде", participants="много")])
    bad = bad.replace("<table:table-row>", '<table:table-row table:number-rows-repeated="200000">', 1)
    data = ods_bytes(ods_content(ods_rows(log_rows()) + bad))
    return Hostile("rejected_200k.ods", write(folder, "rejected_200k.ods", data), "failed",
                   about=rejected_200k_ods.__doc__)


@hostile
def garbage_300k_rows(folder):
    "the report's header over 300,000 rows of garbage: not a report, to be said after a few thousand rows"
    rng = random.Random(3)
    lines = [";".join(FLAT_HEADER)]
    for i in range(300_000):
        lines.append(f"{i};{rng.randrange(10**6)}x;zz{i % 97};q;w;e;r;abc;-")
    data = ("\r\n".join(lines) + "\r\n").encode()
    return Hostile("garbage_300k_rows.csv", write(folder, "garbage_300k_rows.csv", data), "failed",
                   about=garbage_300k_rows.__doc__)


@hostile
def sheets_5000(folder):
    "5,000 sheets (all pointing at one small part, so the zip stays small) and no report in any"
    names = [f"Лист{i}" for i in range(1, 5001)]
    parts = workbook_parts(names, targets=["worksheets/sheet1.xml"] * 5000, shared=False)
    parts["xl/worksheets/sheet1.xml"] = sheet_xml([["Примечание"], ["нет данных"]], None).encode()
    path = write(folder, "sheets_5000.xlsx", zip_bytes(parts))
    return Hostile(path.name, path, "failed", about=sheets_5000.__doc__)


@hostile
def cells_32767(folder):
    "a valid log plus 300 rows whose venue and organizer hold 32,767 characters each (Excel's maximum)"
    rng = random.Random(5)
    words = ["профилактика", "наркомания", "колледж", "школа", "встреча", "акция", "молодёжь", "здоровье", "спорт"]
    pool = " ".join(rng.choice(words) for _ in range(60_000))
    extra = []
    for i in range(300):
        start = rng.randrange(len(pool) - 32_767)
        extra.append(row_with(6 + i, venue=pool[start:start + 32_767], organizer=pool[-32_767 - i:len(pool) - i]))
    path = write(folder, "cells_32767.xlsx", zip_bytes(xlsx_parts(log_rows(extra))))
    return Hostile(path.name, path, "any", min_loaded=VALID, about=cells_32767.__doc__)


@hostile
def duplicate_entry_far_first(folder):
    "two members named xl/worksheets/sheet1.xml: first one with a far cell, second one clean"
    clean = xlsx_parts()
    far = xlsx_parts(tail='<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>')["xl/worksheets/sheet1.xml"]
    items = [(n, d) for n, d in clean.items() if n != "xl/worksheets/sheet1.xml"]
    items += [("xl/worksheets/sheet1.xml", far), ("xl/worksheets/sheet1.xml", clean["xl/worksheets/sheet1.xml"])]
    path = write(folder, "duplicate_entry_far_first.xlsx", _zip_with_duplicates(items))
    return Hostile(path.name, path, "any", codes=TOO_LARGE | {"corrupt-file"}, min_loaded=VALID,
                   about=duplicate_entry_far_first.__doc__)


@hostile
def duplicate_entry_far_last(folder):
    "two members named xl/worksheets/sheet1.xml: first one clean, second one with a far cell"
    clean = xlsx_parts()
    far = xlsx_parts(tail='<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>')["xl/worksheets/sheet1.xml"]
    items = [(n, d) for n, d in clean.items() if n != "xl/worksheets/sheet1.xml"]
    items += [("xl/worksheets/sheet1.xml", clean["xl/worksheets/sheet1.xml"]), ("xl/worksheets/sheet1.xml", far)]
    path = write(folder, "duplicate_entry_far_last.xlsx", _zip_with_duplicates(items))
    return Hostile(path.name, path, "any", codes=TOO_LARGE | {"corrupt-file"}, min_loaded=VALID,
                   about=duplicate_entry_far_last.__doc__)


def _zip_with_duplicates(items: list[tuple[str, bytes]]) -> bytes:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "Duplicate name": the point of the file
        return zip_bytes(items)


@hostile
def unique_count_huge(folder):
    "a shared-string table declaring count=uniqueCount=4294967295 (a preallocation hint) over five strings"
    parts = xlsx_parts()
    parts["xl/sharedStrings.xml"] = re.sub(rb'count="\d+" uniqueCount="\d+"', b'count="4294967295" '
                                           b'uniqueCount="4294967295"', parts["xl/sharedStrings.xml"], count=1)
    assert b"4294967295" in parts["xl/sharedStrings.xml"]
    path = write(folder, "unique_count_huge.xlsx", zip_bytes(parts))
    return Hostile(path.name, path, "any", min_loaded=VALID, about=unique_count_huge.__doc__)


# ================================================================================================ encodings, types

def csv_log(extra: list[list] | None = None) -> str:
    return csv_text(log_rows(extra))


@hostile
def utf16le_bom_csv(folder):
    "a valid log as UTF-16 LE CSV with a BOM (Excel's «Unicode text»): must load"
    data = codecs.BOM_UTF16_LE + csv_log().encode("utf-16-le")
    return Hostile("utf16le_bom.csv", write(folder, "utf16le_bom.csv", data), "loaded", min_loaded=VALID,
                   about=utf16le_bom_csv.__doc__)


@hostile
def utf16be_bom_csv(folder):
    "a valid log as UTF-16 BE CSV with a BOM: must load"
    data = codecs.BOM_UTF16_BE + csv_log().encode("utf-16-be")
    return Hostile("utf16be_bom.csv", write(folder, "utf16be_bom.csv", data), "loaded", min_loaded=VALID,
                   about=utf16be_bom_csv.__doc__)


@hostile
def cp1251_csv(folder):
    "a valid log in Windows-1251 (Қ replaced, as cp1251 cannot hold it), as Russian Excel saves CSV: must load"
    data = csv_log().replace("Қарағанды облысы", "Карагандинская обл.").encode("cp1251")
    return Hostile("cp1251.csv", write(folder, "cp1251.csv", data), "loaded", min_loaded=VALID,
                   about=cp1251_csv.__doc__)


@hostile
def nul_bytes_csv(folder):
    "a valid UTF-8 log with NUL bytes inside text cells and at the end of lines"
    text = csv_log([row_with(6, venue="Школа\x00№7", organizer="\x00ДП\x00")]).replace("\r\n", "\x00\r\n", 3)
    return Hostile("nul_bytes.csv", write(folder, "nul_bytes.csv", text.encode()), "any", about=nul_bytes_csv.__doc__)


@hostile
def unclosed_quote_csv(folder):
    "a quote opened in a venue cell and never closed, followed by 400 KB of rows it swallows"
    rows = log_rows([row_with(6 + i) for i in range(5000)])
    text = csv_text(rows)
    marker = "Колледж №3"
    text = text.replace(marker, '"Колледж «Болашак', 1)
    return Hostile("unclosed_quote.csv", write(folder, "unclosed_quote.csv", text.encode()), "any",
                   about=unclosed_quote_csv.__doc__)


def html_table(rows: list[list]) -> str:
    body = "".join("<tr>" + "".join(f"<td>{escape('' if v is None else str(v))}</td>" for v in row) + "</tr>\n"
                   for row in rows)
    return ('<html xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:x="urn:schemas-microsoft-com:office:excel">'
            '<head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"></head><body>\n'
            f'<table border="1">\n{body}</table></body></html>\n')


MARKUP = ("<td", "<tr", "</td", "<table", "<cell", "<data", "ss:type", "<html")


@hostile
def html_table_xls(folder):
    "an HTML table of a valid log saved as .xls (what web systems export): parse it or refuse, never store markup"
    path = write(folder, "html_table.xls", html_table(log_rows()))
    return Hostile(path.name, path, "any", forbidden=MARKUP, about=html_table_xls.__doc__)


@hostile
def spreadsheetml_2003_xls(folder):
    "an XML Spreadsheet 2003 (SpreadsheetML) of a valid log saved as .xls"
    def cell(v):
        if v is None:
            return "<Cell/>"
        kind = "Number" if isinstance(v, (int, float)) else "String"
        return f'<Cell><Data ss:Type="{kind}">{escape(str(v))}</Data></Cell>'
    rows = "".join("<Row>" + "".join(cell(v) for v in row) + "</Row>\n" for row in log_rows())
    xml = ('<?xml version="1.0" encoding="UTF-8"?>\n<?mso-application progid="Excel.Sheet"?>\n'
           '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
           'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">\n'
           f'<Worksheet ss:Name="Мероприятия"><Table>\n{rows}</Table></Worksheet></Workbook>\n')
    path = write(folder, "spreadsheetml_2003.xls", xml)
    return Hostile(path.name, path, "any", forbidden=MARKUP, about=spreadsheetml_2003_xls.__doc__)


@hostile
def html_semicolons_xls(folder):
    "an HTML page saved as .xls whose cells hold «;»-joined text, each on its own line: CSV-like between tags"
    lines = ["<html><head><meta charset=\"utf-8\"></head><body><table>"]
    for row in log_rows():
        lines += ["<tr><td>", ";".join("" if v is None else str(v) for v in row), "</td></tr>"]
    lines.append("</table></body></html>")
    path = write(folder, "html_semicolons.xls", "\n".join(lines) + "\n")
    return Hostile(path.name, path, "any", forbidden=MARKUP, about=html_semicolons_xls.__doc__)


@hostile
def fake_xlsb(folder):
    "a zip with xl/workbook.bin (an .xlsb in shape) whose binary parts are junk"
    parts = {"[Content_Types].xml": workbook_parts(["a"])["[Content_Types].xml"],
             "_rels/.rels": workbook_parts(["a"])["_rels/.rels"].replace(b"workbook.xml", b"workbook.bin"),
             "xl/workbook.bin": random.Random(1).randbytes(4000),
             "xl/worksheets/sheet1.bin": random.Random(2).randbytes(4000)}
    path = write(folder, "fake.xlsb", zip_bytes(parts))
    return Hostile(path.name, path, "failed", codes={"not-a-spreadsheet", "corrupt-file", "xlsb-not-supported"},
                   about=fake_xlsb.__doc__)


@hostile
def docx_renamed(folder):
    "a Word document (.docx) renamed .xlsx"
    parts = {"[Content_Types].xml": b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/'
             b'2006/content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.'
             b'openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
             "word/document.xml": '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
             "<w:body><w:p><w:r><w:t>Дата;Регион;Охват</w:t></w:r></w:p></w:body></w:document>".encode()}
    path = write(folder, "docx_renamed.xlsx", zip_bytes(parts))
    return Hostile(path.name, path, "failed", codes={"not-a-spreadsheet"}, about=docx_renamed.__doc__)


@hostile
def pdf_renamed(folder):
    "a small PDF (mostly ASCII, with << >> dictionaries) renamed .xlsx"
    pdf = (b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [3 0 R] "
           b"/Count 1 >>\nendobj\n3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>\nendobj\n"
           b"trailer\n<< /Root 1 0 R >>\n%%EOF\n")
    path = write(folder, "pdf_renamed.xlsx", pdf)
    return Hostile(path.name, path, "failed", codes={"not-a-spreadsheet"}, forbidden=("<<",), about=pdf_renamed.__doc__)


@hostile
def png_renamed(folder):
    "a PNG image renamed .xlsx"
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    raw = b"".join(b"\0" + b"\xff\x00\x00" * 64 for _ in range(64))
    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 64, 64, 8, 2, 0, 0, 0))
           + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
    path = write(folder, "png_renamed.xlsx", png)
    return Hostile(path.name, path, "failed", codes={"not-a-spreadsheet"}, about=png_renamed.__doc__)


@hostile
def gzip_csv(folder):
    "a gzip-compressed valid CSV named .csv"
    path = write(folder, "gzip.csv", gzip.compress(csv_log().encode(), mtime=0))
    return Hostile(path.name, path, "failed", codes={"not-a-spreadsheet"}, about=gzip_csv.__doc__)


@hostile
def empty_file(folder):
    "an empty file (0 bytes)"
    path = write(folder, "empty.xlsx", b"")
    return Hostile(path.name, path, "failed", codes={"empty-file"}, words=("пуст",), about=empty_file.__doc__)


@hostile
def blank_csv(folder):
    "a CSV of blank lines, spaces and delimiters only"
    path = write(folder, "blank.csv", " \r\n;;;\r\n\r\n \t ;\r\n" * 50)
    return Hostile(path.name, path, "failed", codes={"empty-file"}, about=blank_csv.__doc__)


@hostile
def random_bytes(folder):
    "20 KB of random bytes named .xlsx"
    path = write(folder, "random_bytes.xlsx", random.Random(7).randbytes(20_000))
    return Hostile(path.name, path, "failed", codes={"not-a-spreadsheet"}, about=random_bytes.__doc__)


@hostile
def zip_magic_random(folder):
    "a zip signature followed by random bytes"
    path = write(folder, "zip_magic_random.xlsx", b"PK\x03\x04" + random.Random(8).randbytes(20_000))
    return Hostile(path.name, path, "failed", codes={"corrupt-file", "not-a-spreadsheet"},
                   about=zip_magic_random.__doc__)


@hostile
def ole_magic_random(folder):
    "an OLE (old Office) signature followed by random bytes"
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + random.Random(9).randbytes(20_000)
    path = write(folder, "ole_magic_random.xls", data)
    return Hostile(path.name, path, "failed", codes={"corrupt-file", "not-a-spreadsheet"},
                   about=ole_magic_random.__doc__)


def truncated(folder: Path, name: str, data: bytes, keep: int, about: str) -> Hostile:
    path = write(folder, name, data[:keep])
    return Hostile(name, path, "failed", codes={"corrupt-file"}, about=about)


@hostile
def truncated_xlsx_10(folder):
    "a valid xlsx cut to its first 10%"
    data = valid_xlsx()
    return truncated(folder, "truncated_10.xlsx", data, len(data) // 10, truncated_xlsx_10.__doc__)


@hostile
def truncated_xlsx_60(folder):
    "a valid xlsx cut to its first 60%"
    data = valid_xlsx()
    return truncated(folder, "truncated_60.xlsx", data, len(data) * 6 // 10, truncated_xlsx_60.__doc__)


@hostile
def truncated_xlsx_minus_1(folder):
    "a valid xlsx without its last byte (the end of the central directory cut)"
    data = valid_xlsx()
    return truncated(folder, "truncated_minus_1.xlsx", data, len(data) - 1, truncated_xlsx_minus_1.__doc__)


@hostile
def truncated_sheet_member(folder):
    "a well-formed zip whose sheet XML is cut in the middle of a row"
    parts = xlsx_parts()
    sheet = parts["xl/worksheets/sheet1.xml"]
    parts["xl/worksheets/sheet1.xml"] = sheet[: len(sheet) * 2 // 3]
    path = write(folder, "truncated_sheet_member.xlsx", zip_bytes(parts))
    return Hostile(path.name, path, "failed", codes={"corrupt-file"}, about=truncated_sheet_member.__doc__)


@hostile
def truncated_xls_50(folder):
    "a valid .xls cut to its first half"
    data = xls_bytes()
    return truncated(folder, "truncated_50.xls", data, len(data) // 2, truncated_xls_50.__doc__)


@hostile
def truncated_xls_sector(folder):
    "a valid .xls without its last 512-byte sector"
    data = xls_bytes()
    return truncated(folder, "truncated_sector.xls", data, len(data) - 512, truncated_xls_sector.__doc__)


@hostile
def truncated_ods_30(folder):
    "a valid .ods cut to its first 30%"
    data = valid_ods()
    return truncated(folder, "truncated_30.ods", data, len(data) * 3 // 10, truncated_ods_30.__doc__)


@hostile
def truncated_ods_90(folder):
    "a valid .ods cut to its first 90%"
    data = valid_ods()
    return truncated(folder, "truncated_90.ods", data, len(data) * 9 // 10, truncated_ods_90.__doc__)


@hostile
def rels_traversal(folder):
    "the sheet's relationship points at ../../../../etc/passwd; the real sheet part is left unreferenced"
    parts = xlsx_parts()
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        b'Target="worksheets/sheet1.xml"', b'Target="../../../../../../../etc/passwd"')
    path = write(folder, "rels_traversal.xlsx", zip_bytes(parts))
    return Hostile(path.name, path, "failed", forbidden=("root:x:0:0",), about=rels_traversal.__doc__)


# ================================================================================================ passwords

@hostile
def encrypted_xlsx(folder):
    "a valid log encrypted with a password (msoffcrypto-tool, agile encryption in an OLE container)"
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    OOXMLFile(io.BytesIO(valid_xlsx())).encrypt("s3cret", out)
    path = write(folder, "encrypted.xlsx", out.getvalue())
    return Hostile(path.name, path, "failed", codes={"password-protected"}, words=("парол",),
                   about=encrypted_xlsx.__doc__)


@hostile
def filepass_xls(folder):
    "an .xls whose Workbook stream has a FILEPASS record (RC4) right after BOF: an encrypted BIFF8 workbook"
    records = biff_records(xls_book(log_rows()).get_biff_data())
    rng = random.Random(4)
    filepass = struct.pack("<HHH", 1, 1, 1) + rng.randbytes(48)  # RC4: version 1.1, salt, verifier, hash
    shift = 4 + len(filepass)
    out = [records[0], (0x002F, filepass)]
    for kind, data in records[1:]:
        if kind == 0x0085:  # BOUNDSHEET: the sheet's BOF position moves with the inserted record
            data = struct.pack("<I", struct.unpack_from("<I", data)[0] + shift) + data[4:]
        out.append((kind, data))
    path = write(folder, "filepass.xls", ole_xls(biff_join(out)))
    return Hostile(path.name, path, "failed", codes={"password-protected"}, words=("парол",),
                   about=filepass_xls.__doc__)


@hostile
def sheet_protection(folder):
    "sheet and workbook protection (a password hash, not encryption) over a valid log: readable, must load"
    parts = xlsx_parts(after_data='<sheetProtection password="CC3D" sheet="1" objects="1" scenarios="1"/>')
    parts["xl/workbook.xml"] = parts["xl/workbook.xml"].replace(
        b"<sheets>", b'<workbookProtection workbookPassword="CC3D" lockStructure="1"/><sheets>')
    path = write(folder, "sheet_protection.xlsx", zip_bytes(parts))
    return Hostile(path.name, path, "loaded", min_loaded=VALID, about=sheet_protection.__doc__)


# ================================================================================================ XML attacks

def secret_file(folder: Path) -> Path:
    path = folder / "secret.txt"
    path.write_text(SECRET)
    return path


@hostile
def xxe_sharedstrings(folder):
    "an external entity (file://…/secret.txt) declared in sharedStrings.xml and used in a venue cell"
    secret = secret_file(folder)
    parts = xlsx_parts(log_rows([row_with(6, venue="XXE-HERE")]))
    doctype = f'<!DOCTYPE sst [<!ENTITY xxe SYSTEM "file://{secret}">]>'.encode()
    sst = replace_once(parts["xl/sharedStrings.xml"], b"?>\n", b"?>\n" + doctype)
    parts["xl/sharedStrings.xml"] = replace_once(sst, b">XXE-HERE<", b">&xxe;<")
    path = write(folder, "xxe_sharedstrings.xlsx", zip_bytes(parts))
    return Hostile(path.name, path, "any", forbidden=(SECRET,), about=xxe_sharedstrings.__doc__)


@hostile
def xxe_sheet(folder):
    "an external entity declared in the sheet XML and used in an inline-string cell"
    secret = secret_file(folder)
    parts = xlsx_parts(log_rows([row_with(6, venue="XXE-HERE")]), shared=False)
    doctype = f'<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file://{secret}">]>'.encode()
    sheet = replace_once(parts["xl/worksheets/sheet1.xml"], b"?>\n", b"?>\n" + doctype)
    parts["xl/worksheets/sheet1.xml"] = replace_once(sheet, b">XXE-HERE<", b">&xxe;<")
    path = write(folder, "xxe_sheet.xlsx", zip_bytes(parts))
    return Hostile(path.name, path, "any", forbidden=(SECRET,), about=xxe_sheet.__doc__)


@hostile
def billion_laughs(folder):
    "the billion-laughs entity expansion (10 levels of 10) in sharedStrings.xml"
    parts = xlsx_parts(log_rows([row_with(6, venue="LOL-HERE")]))
    ents = ['<!ENTITY lol0 "lol">'] + [f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, 10)]
    doctype = f"<!DOCTYPE sst [{''.join(ents)}]>".encode()
    sst = replace_once(parts["xl/sharedStrings.xml"], b"?>\n", b"?>\n" + doctype)
    parts["xl/sharedStrings.xml"] = replace_once(sst, b">LOL-HERE<", b">&lol9;<")
    path = write(folder, "billion_laughs.xlsx", zip_bytes(parts))
    return Hostile(path.name, path, "any", forbidden=("lollollollollollollollollollol",), about=billion_laughs.__doc__)


@hostile
def parameter_entity(folder):
    "a DOCTYPE with an external parameter entity (%p;) pulling in a local file, in the sheet XML"
    secret = secret_file(folder)
    dtd = folder / "evil.dtd"
    dtd.write_text(f'<!ENTITY % s SYSTEM "file://{secret}"><!ENTITY leak "%s;">')
    parts = xlsx_parts(log_rows([row_with(6, venue="PE-HERE")]), shared=False)
    doctype = f'<!DOCTYPE worksheet [<!ENTITY % p SYSTEM "file://{dtd}"> %p;]>'.encode()
    sheet = replace_once(parts["xl/worksheets/sheet1.xml"], b"?>\n", b"?>\n" + doctype)
    parts["xl/worksheets/sheet1.xml"] = replace_once(sheet, b">PE-HERE<", b">&leak;<")
    path = write(folder, "parameter_entity.xlsx", zip_bytes(parts))
    return Hostile(path.name, path, "any", forbidden=(SECRET,), about=parameter_entity.__doc__)


@hostile
def deep_nesting(folder):
    "250,000 nested elements inside a cell of the sheet XML (stack depth for recursive parsers), 1.7 MB raw"
    depth = 250_000
    parts = xlsx_parts(log_rows([row_with(6, venue="DEEP-HERE")]), shared=False)
    nested = "<is><t>x</t>" + "<x>" * depth + "</x>" * depth + "</is>"
    parts["xl/worksheets/sheet1.xml"] = re_cell(parts["xl/worksheets/sheet1.xml"], "DEEP-HERE", nested)
    path = write(folder, "deep_nesting.xlsx", zip_bytes(parts))
    return Hostile(path.name, path, "any", about=deep_nesting.__doc__)


def re_cell(sheet: bytes, marker: str, inner: str) -> bytes:
    """Replace the <is>…</is> of the inline-string cell holding `marker`."""
    old = f'<is><t xml:space="preserve">{marker}</t></is>'.encode()
    return replace_once(sheet, old, inner.encode())


@hostile
def xxe_ods(folder):
    "an external entity declared in an .ods content.xml and used in a cell"
    secret = secret_file(folder)
    head = (f'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE office:document-content '
            f'[<!ENTITY xxe SYSTEM "file://{secret}">]>\n')
    rows = ods_rows(log_rows([row_with(6, venue="XXE-HERE")])).replace(">XXE-HERE<", ">&xxe;<")
    path = write(folder, "xxe.ods", ods_bytes(ods_content(rows, head=head)))
    return Hostile(path.name, path, "any", forbidden=(SECRET,), about=xxe_ods.__doc__)


# ================================================================================================ cell values

@hostile
def nan_inf_xlsx(folder):
    "NaN, inf, -inf and 1e309 as numeric cell values (<v>NaN</v>) in the head count of four extra rows"
    extra = [row_with(6 + i, participants=Raw(f'<c r="{{ref}}"><v>{v}</v></c>'))
             for i, v in enumerate(["NaN", "inf", "-inf", "1e309"])]
    path = write(folder, "nan_inf.xlsx", zip_bytes(xlsx_parts(log_rows(extra))))
    return Hostile(path.name, path, "loaded", min_loaded=VALID, about=nan_inf_xlsx.__doc__)


@hostile
def nan_inf_csv(folder):
    "NaN, inf, -Infinity and 1e309 as head counts in a CSV"
    extra = [row_with(6 + i, participants=v) for i, v in enumerate(["NaN", "inf", "-Infinity", "1e309"])]
    path = write(folder, "nan_inf.csv", csv_log(extra).encode())
    return Hostile(path.name, path, "loaded", min_loaded=VALID, about=nan_inf_csv.__doc__)


@hostile
def nan_inf_ods(folder):
    "office:value=\"NaN\" / \"INF\" / \"-INF\" / \"1e309\" float cells in an .ods"
    extra = [row_with(6 + i, participants=Raw(f'<table:table-cell office:value-type="float" office:value="{v}">'
                                                   f"<text:p>{v}</text:p></table:table-cell>"))
             for i, v in enumerate(["NaN", "INF", "-INF", "1e309"])]
    path = write(folder, "nan_inf.ods", ods_bytes(ods_content(ods_rows(log_rows(extra)))))
    return Hostile(path.name, path, "loaded", min_loaded=VALID, about=nan_inf_ods.__doc__)


@hostile
def error_cells(folder):
    "error cells (t=\"e\": #DIV/0!, #REF!, #N/A, #VALUE!) as head counts"
    extra = [row_with(6 + i, participants=Raw(f'<c r="{{ref}}" t="e"><v>{v}</v></c>'))
             for i, v in enumerate(["#DIV/0!", "#REF!", "#N/A", "#VALUE!"])]
    path = write(folder, "error_cells.xlsx", zip_bytes(xlsx_parts(log_rows(extra))))
    return Hostile(path.name, path, "loaded", min_loaded=VALID, about=error_cells.__doc__)


@hostile
def big_counts(folder):
    "head counts beyond 32- and 64-bit integers (3e9, 2**63, 1e20, 1e300)"
    extra = [row_with(6 + i, participants=v)
             for i, v in enumerate([3_000_000_000, Raw('<c r="{ref}"><v>9223372036854775808</v></c>'),
                                    Raw('<c r="{ref}"><v>1E+20</v></c>'), Raw('<c r="{ref}"><v>1e300</v></c>')])]
    path = write(folder, "big_counts.xlsx", zip_bytes(xlsx_parts(log_rows(extra))))
    return Hostile(path.name, path, "loaded", min_loaded=VALID, about=big_counts.__doc__)


@hostile
def date_extremes_xls(folder):
    "date-formatted numbers no calendar holds (1e10, -5, 2958466 = year 10000) in the date column of an .xls"
    import xlwt

    style = xlwt.easyxf(num_format_str="DD.MM.YYYY")

    def extra(book, sheet):
        for i, value in enumerate([1e10, -5, 2958466, 45833]):  # the last one is 25.06.2025, fine
            row = len(log_rows()) + i
            for c, v in enumerate(row_with(6 + i)):
                sheet.write(row, c, v)
            sheet.write(row, 1, value, style)
    path = write(folder, "date_extremes.xls", _xls_save(xls_book(log_rows(), extra=extra)))
    return Hostile(path.name, path, "loaded", min_loaded=VALID, about=date_extremes_xls.__doc__)


def _xls_save(book) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


CONTROL = "\x00\x01\x07\x08\x0b\x0c\x1b\x7f"
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


@hostile
def control_chars_xlsx(folder):
    "Excel's _x0000_-style escapes, &#1;-style references and U+202E / U+2066 in text cells and the sheet name"
    extra = [row_with(6, venue=Raw('<c r="{ref}" t="inlineStr"><is><t>Школа_x0000_№1_x0007__x001B_</t></is></c>')),
             row_with(7, organizer=Raw('<c r="{ref}" t="inlineStr"><is><t>ДП&#1;&#8;&#x1F;</t></is></c>')),
             row_with(8, venue="Колледж \u202eгнилпмок\u202c", organizer="\u2066ДП\u2069 \u2067x\u2069"),
             row_with(9, district="г. Караганда\u202d", venue="\u202bШкола\u202a №2")]
    parts = xlsx_parts(log_rows(extra), sheet_name="Мероприятия\u202e")
    path = write(folder, "control_chars.xlsx", zip_bytes(parts))
    return Hostile(path.name, path, "loaded", min_loaded=VALID, about=control_chars_xlsx.__doc__)


@hostile
def control_chars_csv(folder):
    "raw control characters (U+0001…U+001F, U+007F) and bidi overrides (U+202E, U+2067) in CSV text cells"
    extra = [row_with(6, venue="Школа\x01№1\x07\x1b[31m", organizer="ДП\x7f\x08"),
             row_with(7, venue="Колледж \u202eгнилпмок\u202c", organizer="\u2067ДП\u2069"),
             row_with(8, district="г. Караганда\x0b\x0c", venue="\u2068Школа\u2069")]
    path = write(folder, "control_chars.csv", csv_log(extra).encode())
    return Hostile(path.name, path, "loaded", min_loaded=VALID, about=control_chars_csv.__doc__)


@hostile
def control_chars_xls(folder):
    "NUL, BEL, ESC and U+202E inside .xls (BIFF8) strings"
    extra = [row_with(6, venue="Школа\x00№1\x07", organizer="ДП\x1b[0m"),
             row_with(7, venue="Колледж \u202eгнилпмок", organizer="\u2066ДП\u2069")]
    path = write(folder, "control_chars.xls", xls_bytes(log_rows(extra)))
    return Hostile(path.name, path, "loaded", min_loaded=VALID, about=control_chars_xls.__doc__)


FORMULAS = ['=HYPERLINK("http://evil.example/","Нажмите")', "@SUM(1)", "+cmd|' /C calc'!A0", "-2+3+cmd|' /C x'!A0"]


def formula_check(con) -> list[str]:
    problems = []
    for column, pattern in (("venue", "%HYPERLINK(%evil.example%"), ("organizer", "%SUM(1)%")):
        problems += stored_like(column, pattern)(con)
    return problems


@hostile
def formula_text_xlsx(folder):
    "formula text as string cells («=HYPERLINK(…)», «@SUM(1)», «+cmd|…», «-2+3…»): loads, stored as text"
    extra = [row_with(6 + i, venue=f, organizer=FORMULAS[(i + 1) % 4]) for i, f in enumerate(FORMULAS)]
    path = write(folder, "formula_text.xlsx", zip_bytes(xlsx_parts(log_rows(extra))))
    return Hostile(path.name, path, "loaded", min_loaded=VALID + 4, check=formula_check,
                   about=formula_text_xlsx.__doc__)


@hostile
def formula_text_csv(folder):
    "the same formula text in a CSV, where a spreadsheet program would evaluate it: loads, stored as text"
    extra = [row_with(6 + i, venue=f, organizer=FORMULAS[(i + 1) % 4]) for i, f in enumerate(FORMULAS)]
    path = write(folder, "formula_text.csv", csv_log(extra).encode())
    return Hostile(path.name, path, "loaded", min_loaded=VALID + 4, check=formula_check, about=formula_text_csv.__doc__)


@hostile
def xlsm_with_macros(folder):
    "a macro-enabled workbook (.xlsm with vbaProject.bin) holding a valid log: macros are ignored, must load"
    strings = Strings()
    parts = workbook_parts(["Мероприятия"], macro=True)
    parts["xl/worksheets/sheet1.xml"] = sheet_xml(log_rows(), strings).encode()
    parts["xl/sharedStrings.xml"] = strings.xml().encode()
    parts["xl/vbaProject.bin"] = ole_xls(b"Attribute VB_Name = \"Module1\"\r\nSub Auto_Open()\r\n"
                                         b"Shell \"calc\"\r\nEnd Sub\r\n")
    path = write(folder, "xlsm_with_macros.xlsm", zip_bytes(parts))
    return Hostile(path.name, path, "loaded", min_loaded=VALID, about=xlsm_with_macros.__doc__)


# ================================================================================================ paths

@hostile
def dev_zero(folder):
    "a symlink zero.xlsx -> /dev/zero: an endless stream whose size reads as 0"
    path = folder / "zero.xlsx"
    os.symlink("/dev/zero", path)
    return Hostile(path.name, path, "failed", about=dev_zero.__doc__)


@hostile
def fifo(folder):
    "a FIFO named pipe.xlsx that nobody writes to: opening it blocks"
    path = folder / "pipe.xlsx"
    os.mkfifo(path)
    return Hostile(path.name, path, "failed", about=fifo.__doc__)


@hostile
def directory(folder):
    "a directory named dir.xlsx"
    path = folder / "dir.xlsx"
    path.mkdir()
    return Hostile(path.name, path, "failed", about=directory.__doc__)


@hostile
def unreadable(folder):
    "a valid workbook without read permission (chmod 000)"
    path = write(folder, "unreadable.xlsx", valid_xlsx())
    path.chmod(0)
    skip = "running as root: permission bits do not stop root from reading" if os.geteuid() == 0 else None
    return Hostile(path.name, path, "failed", skip=skip, about=unreadable.__doc__)


@hostile
def dangling_symlink(folder):
    "a symlink missing.xlsx pointing at a file that does not exist"
    path = folder / "missing.xlsx"
    os.symlink(folder / "does-not-exist.xlsx", path)
    return Hostile(path.name, path, "failed", about=dangling_symlink.__doc__)


def main(argv: list[str]) -> int:
    """Write the corpus into a folder (for a person to inspect): python -m tests.hostile.files OUTDIR"""
    import time

    if len(argv) != 1:
        print(main.__doc__)
        return 2
    out = Path(argv[0])
    for generate in GENERATORS:
        folder = out / generate.__name__
        folder.mkdir(parents=True, exist_ok=True)
        start = time.perf_counter()
        h = generate(folder)
        size = h.path.lstat().st_size if not h.path.is_dir() else 0
        print(f"{h.name:34} {h.expect:7} {time.perf_counter() - start:6.2f} s {size / MiB:8.2f} MB  {h.about}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
