"""Bytes to sheets of cell values, refusing hostile files before any parser sees them."""
from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from dataclasses import dataclass

from loaders.errors import CorruptFile, EmptyFile, NotASpreadsheet, PasswordProtected, TooLarge

MAX_FILE_BYTES = 100 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 600 * 1024 * 1024
MAX_RATIO = 150           # for zip entries larger than RATIO_FLOOR
RATIO_FLOOR = 2 * 1024 * 1024
MAX_ZIP_ENTRIES = 5000
MAX_ROWS = 1_048_576
MAX_COLUMNS = 1000
MAX_CELLS = 10_000_000  # a sheet is held densely in memory: rows x columns of the used range


@dataclass
class Sheet:
    name: str
    rows: list[list]            # cell values: str, int, float, bool, date, datetime or None
    first_row: int = 1          # Excel row number of rows[0]
    merges: list | None = None  # [((r0, c0), (r1, c1)), ...] 0-based, or None when unknown
    hidden: bool = False


def sniff(data: bytes) -> str:
    """'xlsx', 'ods', 'xls' or 'csv'; raises when the bytes are none of them."""
    if not data:
        raise EmptyFile("Файл пустой (0 байт).")
    if len(data) > MAX_FILE_BYTES:
        raise TooLarge(f"Файл больше {MAX_FILE_BYTES // 1024 // 1024} МБ.")
    if data[:4] == b"PK\x03\x04" or data[:4] == b"PK\x05\x06":
        return _zip_kind(data)
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return _ole_kind(data)
    if _looks_like_text(data):
        return "csv"
    raise NotASpreadsheet("Это не таблица Excel, ODS или CSV: формат файла не распознан.")


def _zip_kind(data: bytes) -> str:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, EOFError, ValueError) as e:
        raise CorruptFile("Файл повреждён или обрезан: архив книги Excel не читается.") from e
    check_zip_limits(infos)
    names = {info.filename for info in infos}
    if "xl/workbook.xml" in names or "xl/workbook.bin" in names:
        if "xl/workbook.bin" in names:
            raise NotASpreadsheet("Двоичные книги .xlsb не поддерживаются: сохраните файл как .xlsx.")
        check_sheet_dimensions(archive, [n for n in names if n.startswith("xl/worksheets/") and n.endswith(".xml")])
        return "xlsx"
    if "mimetype" in names:
        try:
            mimetype = archive.read("mimetype")[:100]
        except (zipfile.BadZipFile, OSError, EOFError) as e:
            raise CorruptFile("Файл повреждён или обрезан.") from e
        if b"spreadsheet" in mimetype:
            return "ods"
    raise NotASpreadsheet("Это ZIP-архив, но не книга Excel или ODS.")


def check_zip_limits(infos: list[zipfile.ZipInfo]) -> None:
    """Refuse decompression bombs from the zip directory alone, before anything is inflated."""
    if len(infos) > MAX_ZIP_ENTRIES:
        raise TooLarge(f"В архиве книги слишком много частей ({len(infos)}).")
    total = sum(info.file_size for info in infos)
    if total > MAX_UNCOMPRESSED_BYTES:
        raise TooLarge(
            f"После распаковки файл занял бы {total // 1024 // 1024} МБ (предел {MAX_UNCOMPRESSED_BYTES // 1024 // 1024} МБ): "
            "похоже на «zip-бомбу», файл не читается."
        )
    for info in infos:
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise TooLarge(
                f"Часть «{info.filename}» сжата в {info.file_size // max(info.compress_size, 1)} раз: "
                "похоже на «zip-бомбу», файл не читается."
            )


_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]+)?(\d+)?(?::([A-Z]+)(\d+))?"')
_WIDE_CELL = re.compile(rb'\br="([A-Z]{2,3})\d+"')
_ANY_WIDE_CELL = re.compile(rb'r="[A-Z][A-Z]')  # a literal prefix: cheap to scan for
_ROW_NUMBER = re.compile(rb'<(?:\w+:)?row\s[^>]*?\br="(\d+)"')


def _column_number(letters: bytes) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + (ch - 64)
    return number


def check_sheet_dimensions(archive: zipfile.ZipFile, members: list[str]) -> None:
    """Refuse sheets that declare or use absurd dimensions (millions of rows or columns), streaming each
    sheet's XML once without building it."""
    for member in members:
        try:
            with archive.open(member) as stream:
                carry, last_row, last_column, first = b"", 0, 0, True
                while True:
                    chunk = stream.read(1 << 20)
                    if not chunk:
                        break
                    text = carry + chunk
                    if first:
                        found = _DIMENSION.search(text[:4096])
                        if found and found.group(3):
                            _check_extent(int(found.group(4)), _column_number(found.group(3)))
                        first = False
                    if _ANY_WIDE_CELL.search(text):
                        for letters in set(_WIDE_CELL.findall(text)):
                            last_column = max(last_column, _column_number(letters))
                    rows = _ROW_NUMBER.findall(text[-65536:])
                    if rows:
                        last_row = max(last_row, int(rows[-1]))
                    carry = text[-64:]
                _check_extent(last_row, max(last_column, 1))
        except TooLarge:
            raise
        except Exception as e:  # BadZipFile, EOFError, zlib.error: a damaged sheet
            raise CorruptFile("Файл повреждён или обрезан: лист книги не читается.") from e


def _check_extent(rows: int, columns: int) -> None:
    if rows > MAX_ROWS or columns > MAX_COLUMNS or rows * columns > MAX_CELLS:
        raise TooLarge(
            f"Лист заявляет {rows:,} строк × {columns:,} столбцов — больше допустимого "
            f"({MAX_COLUMNS} столбцов, {MAX_CELLS:,} ячеек).".replace(",", " ")
        )


def _ole_kind(data: bytes) -> str:
    import olefile

    try:
        ole = olefile.OleFileIO(io.BytesIO(data))
        streams = {"/".join(s) for s in ole.listdir()}
    except Exception as e:
        raise CorruptFile("Файл повреждён или обрезан: старый формат Excel не читается.") from e
    if "EncryptionInfo" in streams or "EncryptedPackage" in streams:
        raise PasswordProtected("Файл защищён паролем: снимите пароль в Excel и загрузите файл снова.")
    if "Workbook" in streams or "Book" in streams:
        return "xls"
    raise NotASpreadsheet("Это документ Microsoft Office, но не книга Excel.")


def _looks_like_text(data: bytes) -> bool:
    sample = data[:65536]
    if b"\x00" in sample:
        return False
    text = decode_text(sample, strict=False)
    if text is None:
        return False
    printable = sum(ch.isprintable() or ch in "\r\n\t" for ch in text)
    return printable >= 0.97 * max(len(text), 1)


def decode_text(data: bytes, strict: bool = True) -> str | None:
    """UTF-8 (with or without BOM), else Windows-1251 as Russian Excel saves CSV."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        if not strict and e.start > len(data) - 4:  # a character cut at the end of a sample
            return data[: e.start].decode("utf-8")
    try:
        return data.decode("cp1251")
    except UnicodeDecodeError:
        return None


def read_sheets(data: bytes, kind: str) -> list[Sheet]:
    if kind == "csv":
        return [_read_csv(data)]
    return _read_workbook(data)


def _read_csv(data: bytes) -> Sheet:
    text = decode_text(data)
    if text is None:
        raise NotASpreadsheet("Текстовый файл в неизвестной кодировке: сохраните CSV в UTF-8 или Windows-1251.")
    first_lines = "\n".join(text.splitlines()[:20])
    delimiter = max([";", ",", "\t"], key=first_lines.count)
    rows = [[cell if cell.strip() else None for cell in row] for row in csv.reader(io.StringIO(text), delimiter=delimiter)]
    if not any(any(c is not None for c in row) for row in rows):
        raise EmptyFile("Файл не содержит данных.")
    return Sheet(name="CSV", rows=rows)


def _read_workbook(data: bytes) -> list[Sheet]:
    import python_calamine as calamine

    try:
        book = calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = []
        for meta in book.sheets_metadata:
            if meta.typ != calamine.SheetTypeEnum.WorkSheet:
                continue
            hidden = meta.visible != calamine.SheetVisibleEnum.Visible
            sheet = book.get_sheet_by_name(meta.name)
            start_row = sheet.start[0] if sheet.start else 0
            if sheet.height and sheet.width and (sheet.height > MAX_ROWS or sheet.width > MAX_COLUMNS):
                _check_extent(sheet.height, sheet.width)
            rows = sheet.to_python(skip_empty_area=True)
            merges = None
            try:
                merges = sheet.merged_cell_ranges
            except Exception:
                merges = None
            start_col = sheet.start[1] if sheet.start else 0
            if merges and start_col:
                merges = [((r0, c0 - start_col), (r1, c1 - start_col)) for (r0, c0), (r1, c1) in merges]
            if merges and start_row:
                merges = [((r0 - start_row, c0), (r1 - start_row, c1)) for (r0, c0), (r1, c1) in merges]
            sheets.append(Sheet(meta.name, rows, first_row=start_row + 1, merges=merges, hidden=hidden))
    except calamine.PasswordError as e:
        raise PasswordProtected("Файл защищён паролем: снимите пароль в Excel и загрузите файл снова.") from e
    except (calamine.CalamineError, calamine.XmlError, calamine.ZipError, ValueError, OSError) as e:
        raise CorruptFile(f"Файл повреждён или обрезан, прочитать его не удалось ({type(e).__name__}).") from e
    if not sheets or not any(any(c not in (None, "") for c in row) for s in sheets for row in s.rows):
        raise EmptyFile("В книге нет ни одной заполненной ячейки.")
    return sheets
