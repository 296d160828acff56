"""Downloads: CSV and Excel files of a query result, safe to open in Excel.

Text cells that Excel would read as a formula (starting with =, +, -, @, a tab or a carriage
return) get a leading apostrophe, in the CSV and in the workbook; numbers and dates are never
touched. Column names known to the dashboard become Russian headers.
"""
from __future__ import annotations

import io
import math
from datetime import date, datetime

import pandas as pd

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
NEUTRALISER = "'"
EXCEL_MAX_ROWS = 1_048_576

# Russian headers for the columns of the activity view and of the query results.
EXPORT_LABELS = {
    "region_code": "Код региона",
    "region": "Регион",
    "name_ru": "Регион",
    "name_kk": "Регион (каз.)",
    "name_en": "Регион (англ.)",
    "adm1_en": "ADM1 (англ.)",
    "district": "Район, город",
    "period_start": "Дата начала",
    "period_end": "Дата окончания",
    "period_kind": "Вид периода",
    "counting": "Учёт",
    "events": "Мероприятий",
    "participants": "Охват (всего)",
    "students": "в т.ч. студентов",
    "schoolchildren": "в т.ч. школьников",
    "parents": "в т.ч. родителей",
    "teachers": "в т.ч. педагогов",
    "event_type": "Форма мероприятия",
    "audience": "Аудитория",
    "venue": "Место проведения",
    "organizer": "Организатор",
    "description": "Описание",
    "batch_id": "№ загрузки",
    "source_file": "Файл-источник",
    "source_sheet": "Лист",
    "source_row": "Строка в файле",
    "per_event": "Охват на мероприятие",
    "students_per_event": "Студентов на мероприятие",
    "participants_per_event": "Охват на мероприятие",
    "population": "Население",
    "population_year": "Год (население)",
    "per_10k": "Охват на 10 000 жителей",
    "month": "Месяц",
    "label": "Категория",
    "metric": "Показатель",
    "region_value": "Значение по региону",
    "national_median": "Медиана по 20 регионам",
    "file_name": "Файл",
    "loaded_at": "Загружен",
    "rows_loaded": "Строк загружено",
}
# Values of the records' `period_kind` and `counting` columns in the workbook's Russian (prevention.queries.activity).
PERIOD_KIND_RU = {"day": "день", "month": "месяц", "quarter": "квартал", "half_year": "полугодие",
                  "nine_months": "9 месяцев", "year": "год", "other": "другой"}
COUNTING_RU = {"counted": "учтена", "detail": "в т.ч. по журналам мероприятий"}
COUNTING_RULE_LABEL_RU = "Правило подсчёта"
COUNTING_RULE_RU = ("Учтены записи, период которых целиком внутри периода фильтра; свод — итог региона за свой период, "
                    "записи журналов внутри учтённого свода своего региона помечены «в т.ч. по журналам мероприятий» "
                    "и в итоги не входят.")

# Integer columns shown without a thousands separator.
PLAIN_INTEGER_COLUMNS = {"batch_id", "source_row", "population_year", "year"}

FILTERS_SHEET = "Фильтры"
DATA_SHEET = "Данные"


class TooManyRows(ValueError):
    "The table does not fit on one Excel sheet."


def neutralise(value):
    """A text that Excel would evaluate gets a leading apostrophe; anything else is returned as is."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return NEUTRALISER + value
    return value


def russian_values(df: pd.DataFrame) -> pd.DataFrame:
    """The records with their period kind and counting in words (a copy; other columns as they are)."""
    out = df.copy()
    for column, words in (("period_kind", PERIOD_KIND_RU), ("counting", COUNTING_RU)):
        if column in out.columns:
            out[column] = out[column].map(lambda v, w=words: w.get(v, v))
    return out


def russian_headers(df: pd.DataFrame) -> pd.DataFrame:
    """The frame with known column names replaced by their Russian labels (others kept)."""
    return df.rename(columns={c: EXPORT_LABELS[c] for c in df.columns if c in EXPORT_LABELS})


def _neutralised(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    for column in out.columns:
        series = out[column]
        if not (pd.api.types.is_numeric_dtype(series) or pd.api.types.is_datetime64_any_dtype(series)
                or pd.api.types.is_bool_dtype(series)):
            out[column] = series.map(neutralise)
    out.columns = [neutralise(str(c)) for c in out.columns]
    return out


def to_csv_bytes(df: pd.DataFrame, russian: bool = True) -> bytes:
    """UTF-8 with a BOM (Excel recognises the encoding), comma-separated, one header row."""
    frame = _neutralised(russian_headers(df) if russian else df)
    return frame.to_csv(index=False, sep=",", lineterminator="\r\n").encode("utf-8-sig")


# ---------------------------------------------------------------- Excel

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
    return [None if _is_missing(v) else neutralise(str(v)) for v in values]


def _write_table(sheet, df: pd.DataFrame, formats: _Formats, first_row: int = 0) -> None:
    """A header row and the frame below it, typed cells, widths fitted to the contents.
    Rows are written in order, as the workbook's constant-memory mode requires."""
    writers = {"date": sheet.write_datetime, "datetime": sheet.write_datetime, "int": sheet.write_number,
               "plain_int": sheet.write_number, "float": sheet.write_number, "bool": sheet.write_boolean,
               "text": sheet.write_string}
    columns = []
    for col, name in enumerate(df.columns):
        kind = _column_kind(df[name], str(name))
        label = neutralise(str(EXPORT_LABELS.get(name, name)))
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
) -> bytes:
    """One sheet «Данные» (bold frozen header, autofilter, dd.mm.yyyy dates, thousands separators)
    and one sheet «Фильтры» with the filters, the as-of time and the source batches."""
    import xlsxwriter

    if len(df) + 1 > EXCEL_MAX_ROWS:
        raise TooManyRows(
            f"В таблице {len(df):,} строк, а на лист Excel помещается {EXCEL_MAX_ROWS - 1:,}: "
            "сузьте фильтры или скачайте CSV.".replace(",", " ")
        )
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {
        "constant_memory": True,  # rows go to a temporary file as they are written: memory stays flat
        "strings_to_formulas": False,
        "strings_to_urls": False,
        "strings_to_numbers": False,
        "default_date_format": "dd.mm.yyyy",
    })
    formats = _Formats(workbook)

    data = workbook.add_worksheet(DATA_SHEET)
    _write_table(data, df, formats)
    data.freeze_panes(1, 0)
    if len(df.columns):
        data.autofilter(0, 0, max(len(df), 1), len(df.columns) - 1)

    sheet = workbook.add_worksheet(FILTERS_SHEET)
    sheet.write_string(0, 0, "Параметр", formats.header)
    sheet.write_string(0, 1, "Значение", formats.header)
    row = 1
    for name, value in filters_description:
        sheet.write_string(row, 0, neutralise(str(name)))
        sheet.write_string(row, 1, neutralise("" if value is None else str(value)))
        row += 1
    sheet.write_string(row, 0, "Данные на")
    if as_of is not None:
        sheet.write_datetime(row, 1, _to_datetime(as_of), formats.datetime)
    else:
        sheet.write_string(row, 1, "нет данных")
    row += 1
    sheet.write_string(row, 0, "Строк в выгрузке")
    sheet.write_number(row, 1, len(df), formats.int)
    sheet.set_column(0, 0, 28)
    sheet.set_column(1, 1, 40)
    if batches is not None:
        row += 2
        sheet.write_string(row, 0, "Источники (загруженные файлы)", formats.bold)
        _write_table(sheet, batches, formats, first_row=row + 1)
        sheet.set_column(0, 0, 28)
        sheet.set_column(1, 1, 40)

    workbook.close()
    return buffer.getvalue()
