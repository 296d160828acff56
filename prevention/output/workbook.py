"""The .xlsx download: one sheet of data (bold frozen header, autofilter, dd.mm.yyyy dates, thousands
separators) and one sheet of the filters, the as-of time and the source batches, all in the reader's language.

Text cells are written as strings (xlsxwriter's write_string, with formula, URL and number detection off): a
string cell is never evaluated, so «=1+1» or «+7 701 …» shows as typed, with no visible apostrophe.
"""
from __future__ import annotations

import io
import math
from datetime import date, datetime

import pandas as pd

from prevention.output.exports import column_label, readable
from prevention.texts import formats, t

EXCEL_MAX_ROWS = 1_048_576
# Integer columns shown without a thousands separator.
PLAIN_INTEGER_COLUMNS = {"batch_id", "source_row", "population_year", "year"}


class TooManyRows(ValueError):
    """The table does not fit on one Excel sheet (`rows` rows for `limit`); the message is the edge's to write."""

    def __init__(self, rows: int, limit: int = EXCEL_MAX_ROWS - 1) -> None:
        super().__init__(f"{rows} rows > {limit}")
        self.rows, self.limit = rows, limit

    def message(self, lang: str = "ru") -> str:
        return t("export.too_many_rows", lang, rows=formats.number(self.rows, lang),
                 limit=formats.number(self.limit, lang))


def _column_kind(series: pd.Series, name: str) -> str:
    if pd.api.types.is_bool_dtype(series):
        return "bool"
    if pd.api.types.is_integer_dtype(series):
        return "plain_int" if name in PLAIN_INTEGER_COLUMNS else "int"
    if pd.api.types.is_float_dtype(series):
        return "float"
    if pd.api.types.is_datetime64_any_dtype(series):
        values = series.dropna()
        has_time = bool(len(values)) and bool((values != values.dt.normalize()).any())
        return "datetime" if has_time else "date"
    sample = series.dropna()
    if len(sample) and all(isinstance(v, datetime) for v in sample):
        return "datetime"
    if len(sample) and all(isinstance(v, date) for v in sample):
        return "date"
    return "text"


def _is_missing(value) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def _to_datetime(value) -> datetime:
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, datetime):
        return value
    return datetime(value.year, value.month, value.day)


def _display_width(kind: str, values: list) -> int:
    if kind == "date":
        return 10
    if kind == "datetime":
        return 16
    sample = values[:2000]
    if kind in ("int", "plain_int", "float"):
        longest = max((len(f"{v:,.1f}" if kind == "float" else f"{int(v):,}") for v in sample
                       if not _is_missing(v)), default=0)
    else:
        longest = max((len(str(v)) for v in sample if not _is_missing(v)), default=0)
    return longest


class _Formats:
    def __init__(self, workbook):
        self.header = workbook.add_format({"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#EEF2F7",
                                           "border": 1})
        self.int = workbook.add_format({"num_format": "#,##0"})
        self.plain_int = workbook.add_format({"num_format": "0"})
        self.float = workbook.add_format({"num_format": "#,##0.0"})
        self.date = workbook.add_format({"num_format": "dd.mm.yyyy"})
        self.datetime = workbook.add_format({"num_format": "dd.mm.yyyy hh:mm"})
        self.text = None
        self.bool = None
        self.bold = workbook.add_format({"bold": True})


def _cell_values(series: pd.Series, kind: str) -> list:
    """The column as Python values ready for xlsxwriter, None where the cell stays empty."""
    values = series.tolist()
    if kind in ("date", "datetime"):
        return [None if _is_missing(v) else _to_datetime(v) for v in values]
    if kind == "float":
        return [None if _is_missing(v) else float(v) for v in values]
    if kind in ("int", "plain_int"):
        return [None if _is_missing(v) else int(v) for v in values]
    if kind == "bool":
        return [None if _is_missing(v) else bool(v) for v in values]
    return [None if _is_missing(v) else str(v) for v in values]


def _write_table(sheet, df: pd.DataFrame, formats: _Formats, first_row: int = 0, lang: str = "ru") -> None:
    """A header row and the frame below it, typed cells, widths fitted to the contents.
    Rows are written in order, as the workbook's constant-memory mode requires."""
    writers = {"date": sheet.write_datetime, "datetime": sheet.write_datetime, "int": sheet.write_number,
               "plain_int": sheet.write_number, "float": sheet.write_number, "bool": sheet.write_boolean,
               "text": sheet.write_string}
    columns = []
    for col, name in enumerate(df.columns):
        kind = _column_kind(df[name], str(name))
        label = column_label(name, lang)
        values = _cell_values(df[name], kind)
        sheet.write_string(first_row, col, label, formats.header)
        width = max(min(len(label), 24), _display_width(kind, values)) + 2
        sheet.set_column(col, col, min(max(width, 8), 60))
        columns.append((col, writers[kind], values, getattr(formats, kind)))
    for offset in range(len(df)):
        row = first_row + 1 + offset
        for col, write, values, cell_format in columns:
            value = values[offset]
            if value is not None:
                write(row, col, value, cell_format)


def to_xlsx_bytes(
    df: pd.DataFrame,
    filters_description: list[tuple[str, str]],
    as_of: datetime | None,
    batches: pd.DataFrame | None,
    lang: str = "ru",
) -> bytes:
    """The data sheet and the filters sheet, headers and coded values in words in `lang`."""
    import xlsxwriter

    if len(df) + 1 > EXCEL_MAX_ROWS:
        raise TooManyRows(len(df))
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {
        "constant_memory": True,  # rows go to a temporary file as they are written: memory stays flat
        "strings_to_formulas": False,
        "strings_to_urls": False,
        "strings_to_numbers": False,
        "default_date_format": "dd.mm.yyyy",
    })
    cell_formats = _Formats(workbook)
    data = workbook.add_worksheet(t("export.sheet.data", lang))
    _write_table(data, readable(df, lang), cell_formats, lang=lang)
    data.freeze_panes(1, 0)
    if len(df.columns):
        data.autofilter(0, 0, max(len(df), 1), len(df.columns) - 1)
    _filters_sheet(workbook.add_worksheet(t("export.sheet.filters", lang)), cell_formats, filters_description,
                   as_of, len(df), batches, lang)
    workbook.close()
    return buffer.getvalue()


def _filters_sheet(sheet, cell_formats: _Formats, filters_description, as_of, rows: int, batches, lang: str) -> None:
    sheet.write_string(0, 0, t("export.param", lang), cell_formats.header)
    sheet.write_string(0, 1, t("export.value", lang), cell_formats.header)
    row = 1
    for name, value in filters_description:
        sheet.write_string(row, 0, str(name))
        sheet.write_string(row, 1, "" if value is None else str(value))
        row += 1
    sheet.write_string(row, 0, t("export.as_of", lang))
    if as_of is not None:
        sheet.write_datetime(row, 1, _to_datetime(as_of), cell_formats.datetime)
    else:
        sheet.write_string(row, 1, t("export.no_data", lang))
    row += 1
    sheet.write_string(row, 0, t("export.rows", lang))
    sheet.write_number(row, 1, rows, cell_formats.int)
    sheet.set_column(0, 0, 28)
    sheet.set_column(1, 1, 40)
    if batches is not None:
        row += 2
        sheet.write_string(row, 0, t("export.sources", lang), cell_formats.bold)
        _write_table(sheet, batches, cell_formats, first_row=row + 1, lang=lang)
        sheet.set_column(0, 0, 28)
        sheet.set_column(1, 1, 40)
