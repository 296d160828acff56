"""CSV and Excel downloads: encoding, headers and values in the reader's language, the filters that made the file,
the CSV for Excel (semicolons, decimal commas), formats, and formula neutralisation."""
from __future__ import annotations

import csv
import io
from datetime import date, datetime

import openpyxl
import pandas as pd
import pytest

from prevention.output.exports import column_label, headers, neutralise, to_csv_bytes
from prevention.output.workbook import TooManyRows, to_xlsx_bytes
from prevention.queries import activity as q
from prevention.queries.filters import Filters
from prevention.storage.batches import BatchInfo, store_batch
from prevention.storage.db import connect
from prevention.texts import LANGUAGES, catalogue

HOSTILE = ["=1+1", "+7 701 000 00 00", "-2+3", "@SUM(A1)", "\tTAB", "\rCR", '=HYPERLINK("http://x","y")']


def sample() -> pd.DataFrame:
    return pd.DataFrame({
        "region_code": ["KZ-35", "KZ-75", "KZ-10"],
        "period_start": pd.to_datetime(["2025-06-25", "2025-01-02", "2024-12-31"]),
        "participants": [12345, -5, 0],
        "per_10k": [1.25, float("nan"), 3.5],
        "venue": ["=1+1", "Карагандинский высший политехнический колледж", None],
        "organizer": ["@SUM(A1)", "-2+3", "акимат"],
        "batch_id": [1, 2, 1234],
    })


BATCHES = pd.DataFrame({
    "batch_id": [1, 2], "file_name": ["отчёт.xlsx", "=cmd|' /C calc'!A0.xlsx"],
    "loaded_at": [datetime(2026, 1, 2, 9, 30), datetime(2026, 1, 3, 10, 0)], "rows_loaded": [2, 1500],
})
FILTERS = [("Период", "01.01.2024 – 31.12.2025"), ("Регионы", "Карагандинская область"), ("Организатор", "=1+1")]
AS_OF = datetime(2026, 1, 3, 10, 0)


@pytest.mark.parametrize("text", HOSTILE)
def test_neutralise_prefixes_formula_text(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("value", ["акимат", "KZ-35", "", " =1", "a=b", 5, -5, 1.5, None, date(2025, 1, 1)])
def test_neutralise_leaves_everything_else(value):
    assert neutralise(value) is value


def read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data[3:].decode("utf-8"), newline="")))


def test_csv_has_bom_russian_header_and_neutralised_text():
    rows = read_csv(to_csv_bytes(sample()))
    assert rows[0] == ["Код региона", "Дата начала", "Охват (всего)", "Охват на 10 000 жителей", "Место проведения",
                       "Организатор", "№ загрузки"]
    assert rows[1] == ["KZ-35", "2025-06-25", "12345", "1.25", "'=1+1", "'@SUM(A1)", "1"]
    assert rows[2] == ["KZ-75", "2025-01-02", "-5", "", "Карагандинский высший политехнический колледж", "'-2+3", "2"]
    assert rows[3] == ["KZ-10", "2024-12-31", "0", "3.5", "", "акимат", "1234"]
    assert len(rows) == 4


@pytest.mark.parametrize("text", HOSTILE)
def test_csv_neutralises_every_formula_prefix(text):
    rows = read_csv(to_csv_bytes(pd.DataFrame({"venue": [text], "events": [-1]})))
    assert rows[1] == ["'" + text, "-1"]


def test_csv_keeps_its_column_names_when_labelled_already():
    rows = read_csv(to_csv_bytes(pd.DataFrame({"events": [1]}), labelled=False))
    assert rows == [["events"], ["1"]]


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_every_listed_column_has_a_label_in_every_language(tmp_path, lang):
    con = connect(tmp_path / "t.duckdb")
    columns = (list(q.records(con, Filters()).columns) + list(q.by_region(con, Filters()).columns)
               + list(q.left_out_records(con, Filters(date(2025, 1, 1), date(2025, 1, 31))).columns))
    assert [c for c in columns if f"export.col.{c}" not in catalogue(lang)] == []
    assert list(headers(pd.DataFrame(columns=["region_code", "students", "other"]), lang).columns) == [
        column_label("region_code", lang), column_label("students", lang), "other"]


def test_english_and_kazakh_exports_have_their_own_headers_and_words():
    frame = pd.DataFrame({"region_code": ["KZ-35"], "region": ["Карагандинская область"], "period_kind": ["year"],
                          "counting": ["detail"], "event_type": ["лекция"], "students": [3]})
    english = read_csv(to_csv_bytes(frame, "en"))
    assert english == [["Region code", "Region", "Period kind", "Counting", "Event form", "of whom students"],
                       ["KZ-35", "Karaganda Region", "year", "detail of a counted summary", "lecture", "3"]]
    kazakh = read_csv(to_csv_bytes(frame, "kk"))
    assert kazakh[0][:3] == ["Өңір коды", "Өңір", "Кезең түрі"] and kazakh[1][1:5] == [
        "Қарағанды облысы", "жыл", "оның ішінде іс-шаралар журналдары бойынша", "дәріс"]
    book = open_xlsx(to_xlsx_bytes(frame, [("Period", "2025")], AS_OF, None, "en"))
    assert book.sheetnames == ["Data", "Filters"]
    assert [c.value for c in book["Data"][1]] == english[0]
    assert [c.value for c in book["Filters"][1]][:2] == ["Parameter", "Value"]


def test_csv_opens_with_the_filters_that_made_it_then_a_blank_line():
    filters = [("Период", "01.06.2025 – 30.06.2025"), ("Организатор", "=1+1")]
    rows = read_csv(to_csv_bytes(sample(), filters=filters))
    assert rows[:3] == [["Период", "01.06.2025 – 30.06.2025"], ["Организатор", "'=1+1"], []]
    assert rows[3][0] == "Код региона" and len(rows) == 3 + 4
    back = pd.read_csv(io.BytesIO(to_csv_bytes(sample(), filters=filters)), skiprows=3, encoding="utf-8-sig")
    assert back["Охват (всего)"].tolist() == [12345, -5, 0]


def test_csv_for_excel_uses_semicolons_and_decimal_commas():
    data = to_csv_bytes(sample(), excel=True, filters=[("Период", "2025")])
    text = data[3:].decode("utf-8")
    lines = text.split("\r\n")
    assert lines[0] == "Период;2025" and lines[1] == ""
    rows = list(csv.reader(io.StringIO("\r\n".join(lines[2:]), newline=""), delimiter=";"))
    assert rows[1] == ["KZ-35", "2025-06-25", "12345", "1,25", "'=1+1", "'@SUM(A1)", "1"]
    assert rows[3][3] == "3,5"


def open_xlsx(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data))


def test_xlsx_data_sheet_layout_and_formats():
    wb = open_xlsx(to_xlsx_bytes(sample(), FILTERS, AS_OF, BATCHES))
    assert wb.sheetnames == ["Данные", "Фильтры"]
    ws = wb["Данные"]
    assert [c.value for c in ws[1]] == ["Код региона", "Дата начала", "Охват (всего)", "Охват на 10 000 жителей",
                                        "Место проведения", "Организатор", "№ загрузки"]
    assert all(c.font.b for c in ws[1])
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:G4"
    assert ws["B2"].value == datetime(2025, 6, 25) and ws["B2"].number_format == "dd.mm.yyyy"
    assert ws["C2"].value == 12345 and ws["C2"].number_format == "#,##0"
    assert ws["C3"].value == -5 and ws["C3"].data_type == "n"
    assert ws["D2"].value == 1.25 and ws["D3"].value is None
    assert ws["G4"].value == 1234 and ws["G4"].number_format == "0"  # identifiers without a thousands separator
    assert ws["E4"].value is None
    assert ws.column_dimensions["E"].width > ws.column_dimensions["A"].width >= 8


def test_xlsx_stores_formula_text_as_plain_strings_without_an_apostrophe():
    wb = open_xlsx(to_xlsx_bytes(sample(), FILTERS, AS_OF, BATCHES))
    ws = wb["Данные"]
    assert (ws["E2"].value, ws["E2"].data_type) == ("=1+1", "s")  # a string cell: shown as typed, never evaluated
    assert (ws["F2"].value, ws["F2"].data_type) == ("@SUM(A1)", "s")
    assert (ws["F3"].value, ws["F3"].data_type) == ("-2+3", "s")
    assert (wb["Фильтры"]["B11"].value, wb["Фильтры"]["B11"].data_type) == ("=cmd|' /C calc'!A0.xlsx", "s")
    formulas = [c.coordinate for sheet in wb for row in sheet.iter_rows() for c in row if c.data_type == "f"]
    assert formulas == []


def test_xlsx_filters_sheet_lists_filters_as_of_and_batches():
    ws = open_xlsx(to_xlsx_bytes(sample(), FILTERS, AS_OF, BATCHES))["Фильтры"]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    assert rows[0][:2] == ["Параметр", "Значение"]
    assert rows[1][:2] == ["Период", "01.01.2024 – 31.12.2025"]
    assert rows[3][:2] == ["Организатор", "=1+1"]
    assert rows[4][:2] == ["Данные на", AS_OF]
    assert ws.cell(5, 2).number_format == "dd.mm.yyyy hh:mm"
    assert rows[5][:2] == ["Строк в выгрузке", 3]
    assert rows[7][0] == "Источники (загруженные файлы)"
    assert rows[8] == ["№ загрузки", "Файл", "Загружен", "Строк загружено"]
    assert rows[9] == [1, "отчёт.xlsx", datetime(2026, 1, 2, 9, 30), 2]
    assert rows[10] == [2, "=cmd|' /C calc'!A0.xlsx", datetime(2026, 1, 3, 10, 0), 1500]


def test_xlsx_without_data_or_batches():
    wb = open_xlsx(to_xlsx_bytes(pd.DataFrame({"events": pd.Series([], dtype="int64")}), [], None, None))
    assert [c.value for c in wb["Данные"][1]] == ["Мероприятий"]
    rows = [[c.value for c in row] for row in wb["Фильтры"].iter_rows()]
    assert rows[1] == ["Данные на", "нет данных"]


def test_xlsx_of_stored_records_round_trips(tmp_path):
    con = connect(tmp_path / "t.duckdb")
    records = [
        {"region_code": "KZ-35", "period_start": date(2025, 6, 25), "period_end": date(2025, 6, 25), "events": 1,
         "participants": 185, "students": 185, "venue": "=1+1", "event_type": "встреча"},
        {"region_code": "KZ-75", "period_start": date(2025, 1, 1), "period_end": date(2025, 1, 31), "events": 12,
         "participants": 1500, "students": None},
    ]
    store_batch(con, BatchInfo("a.xlsx", "sha", 1, "events", 2, 2, 0, 0), records)
    frame = q.records(con, Filters())
    ws = open_xlsx(to_xlsx_bytes(frame, [], q.as_of(con), q.batches_for(con, Filters())))["Данные"]
    header = [c.value for c in ws[1]]
    rows = {r[0]: dict(zip(header, r)) for r in ws.iter_rows(min_row=2, values_only=True)}
    assert rows["KZ-35"]["Место проведения"] == "=1+1"
    assert rows["KZ-35"]["в т.ч. студентов"] == 185
    assert rows["KZ-75"]["Дата окончания"] == datetime(2025, 1, 31)
    assert rows["KZ-75"]["в т.ч. студентов"] is None
    assert rows["KZ-75"]["Охват (всего)"] == 1500
    assert rows["KZ-75"]["Файл-источник"] == "a.xlsx"


def test_xlsx_refuses_more_rows_than_a_sheet_holds():
    with pytest.raises(TooManyRows) as refused:
        to_xlsx_bytes(pd.DataFrame({"events": range(1_048_576)}), [], None, None)
    assert refused.value.message("ru") == (
        "В таблице 1\xa0048\xa0576 строк, а на лист Excel помещается 1\xa0048\xa0575: сузьте фильтры или скачайте CSV.")
    assert "narrow the filters" in refused.value.message("en")
