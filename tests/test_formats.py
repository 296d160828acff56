"""Real-world report formats: summaries, many sheets, three-row and bilingual headers, Kazakh, legacy .xls, .ods,
Russian-Excel CSV, the 2022 regions and the real BNS population files. Each ingest report is asserted whole."""
from __future__ import annotations

import codecs
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from prevention.storage import db
from prevention.texts import problem_message
from tests.loading import load
from tests.workbooks import simple_sheet

TODAY = date(2026, 11, 27)
REAL = Path(__file__).resolve().parent.parent.parent / "shared" / "real"
needs_real = pytest.mark.skipif(not REAL.is_dir(), reason="../shared/real (the BNS files) is not beside this clone")


@pytest.fixture
def con(tmp_path):
    connection = db.connect(tmp_path / "formats.duckdb")
    yield connection
    connection.close()


def counts(report):
    return report.status, report.shape, report.rows_read, report.rows_loaded, report.rows_skipped, report.rows_rejected


def codes(report):
    return [(e.sheet, e.row, e.code) for e in report.errors]


def rows_of(con, sql="SELECT region_code, period_start, period_end, events, participants, students FROM activity "
                     "ORDER BY source_sheet, source_row"):
    return con.execute(sql).fetchall()


# --- regional summaries -------------------------------------------------------------------------------------

def test_summary_with_period_in_a_column_and_itogo_po_respublike(tmp_path, con):
    path = simple_sheet(tmp_path / "s.xlsx", [
        ["Регион", "Период", "Кол-во мероприятий", "Охват, чел.", "в т.ч. студентов"],
        ["ЗКО", "июнь 2025", 14, 900, 300],
        ["Жамбылская обл.", "за 1 квартал 2025 года", 30, 1200, 0],
        ["Итого по республике", None, 44, 2100, 300],
    ])
    report = load(con, path, today=TODAY).report
    assert counts(report) == ("loaded", "summary", 3, 2, 1, 0)
    assert rows_of(con) == [("KZ-27", date(2025, 6, 1), date(2025, 6, 30), 14, 900, 300),
                            ("KZ-31", date(2025, 1, 1), date(2025, 3, 31), 30, 1200, 0)]


def test_summary_with_period_only_in_the_sheet_name_and_a_missing_count(tmp_path, con):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "2024 год"
    for row in [["Облыс", "Іс-шаралар саны", "Қамтылғаны", "оның ішінде студенттер"],
                ["Қарағанды облысы", 12, 400, 100],
                ["Ақмола облысы", None, 300, 50],
                ["Барлығы", 12, 700, 150]]:
        ws.append(row)
    wb.save(tmp_path / "kk.xlsx")
    report = load(con, tmp_path / "kk.xlsx", today=TODAY).report
    assert counts(report) == ("loaded", "summary", 3, 1, 1, 1)
    assert codes(report) == [("2024 год", 3, "missing-events")]
    assert rows_of(con) == [("KZ-35", date(2024, 1, 1), date(2024, 12, 31), 12, 400, 100)]


def test_summary_without_any_period_is_refused_as_not_a_report(tmp_path, con):
    path = simple_sheet(tmp_path / "np.xlsx", [["Регион", "Количество мероприятий", "Охват"], ["СКО", 3, 90]])
    report = load(con, path, today=TODAY).report
    assert counts(report) == ("failed", None, 0, 0, 0, 0)
    assert (report.error_code, report.failure.params["missing"]) == ("not-a-report", ["date"])
    assert "нет даты или периода" in problem_message(report.failure)


# --- workbook layouts ---------------------------------------------------------------------------------------

def test_one_sheet_per_region_with_the_region_only_in_the_sheet_name(tmp_path, con):
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in [("Павлодарская", [["01.06.2025", "лекция", 30]]),
                       ("ВКО", [["02.06.2025", "беседа", 20], ["03.06.2025", "акция", 50]]),
                       ("Пустой", [])]:
        ws = wb.create_sheet(name)
        if rows:
            ws.append(["Дата", "Форма мероприятия", "Охват"])
            for row in rows:
                ws.append(row)
    hidden = wb.create_sheet("Служебный")
    hidden.append(["Дата", "Регион", "Охват"])
    hidden.append(["01.06.2025", "Марс", 1])
    hidden.sheet_state = "hidden"
    wb.save(tmp_path / "by_region.xlsx")
    report = load(con, tmp_path / "by_region.xlsx", today=TODAY).report
    assert counts(report) == ("loaded", "events", 3, 3, 0, 0)
    assert [s["sheet"] for s in report.sheets] == ["Павлодарская", "ВКО"]
    query = "SELECT source_sheet, region_code, participants FROM activity ORDER BY source_sheet, source_row"
    assert rows_of(con, query) == [
        ("ВКО", "KZ-63", 20), ("ВКО", "KZ-63", 50), ("Павлодарская", "KZ-55", 30)]


def test_three_row_header_with_line_breaks_and_both_languages(tmp_path, con):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Мероприятия ДП Костанайской области, 2025 год"])
    ws.append(["Өткізілген күні\nДата проведения", "Облыс\nРегион", "Іс-шара түрі\nФорма мероприятия",
               "Қамтылғаны\nОхват участников", None, None])
    ws.append([None, None, None, "барлығы\nвсего", "оның ішінде\nв том числе", None])
    ws.append([None, None, None, None, "студенттер\nстудентов", "оқушылар\nшкольников"])
    ws.append(["05.03.2025", "Қостанай облысы", "дәріс", 60, 40, 0])
    ws.append(["06.03.2025", "Костанайская обл.", "әңгіме", 25, 0, 25])
    for cells in ["A2:A4", "B2:B4", "C2:C4", "D2:F2", "D3:D4", "E3:F3"]:
        ws.merge_cells(cells)
    wb.save(tmp_path / "three.xlsx")
    report = load(con, tmp_path / "three.xlsx", today=TODAY).report
    assert counts(report) == ("loaded", "events", 2, 2, 0, 0)
    assert report.sheets[0]["header_rows"] == [2, 3, 4]
    assert sorted(report.sheets[0]["columns"].values()) == sorted(
        ["date", "region", "event_type", "participants", "students", "schoolchildren"])
    assert rows_of(con, "SELECT region_code, event_type, participants, students, schoolchildren FROM activity "
                        "ORDER BY source_row") == [("KZ-39", "лекция", 60, 40, 0), ("KZ-39", "беседа", 25, 0, 25)]


def test_kazakh_headers_and_names_with_russian_look_alike_letters(tmp_path, con):
    path = simple_sheet(tmp_path / "kk.xlsx", [
        ["Өткізілген күні", "Облыс", "Іс-шара түрі", "Қамтылғаны", "оның ішінде студенттер"],
        ["10.06.2025", "Жетысу облысы", "кездесу", 70, 70],
        ["11.06.2025", "Улытау облысы", "дөңгелек үстел", 15, 5],
        ["12.06.2025", "Шыгыс Казакстан облысы", "акция", 200, 20],
    ])
    report = load(con, path, today=TODAY).report
    assert counts(report) == ("loaded", "events", 3, 3, 0, 0)
    assert rows_of(con, "SELECT region_code, event_type FROM activity ORDER BY source_row") == [
        ("KZ-33", "встреча"), ("KZ-62", "круглый стол"), ("KZ-63", "акция")]


# --- file kinds ---------------------------------------------------------------------------------------------

EVENT_TABLE = [["Дата", "Регион", "Форма мероприятия", "Охват", "в т.ч. студентов"],
               ["01.06.2025", "г. Алматы", "лекция", "1 200", "300"],
               ["02.06.2025", "Алматинская область", "беседа", "45", "0"],
               ["Итого", None, None, "1 245", "300"]]


@pytest.mark.parametrize("encoding,delimiter", [("cp1251", ";"), ("utf-8-sig", ";"), ("utf-8", ","), ("utf-8-sig",
                                                                                                      "\t")])
def test_csv_as_russian_excel_saves_it(tmp_path, con, encoding, delimiter):
    text = "\r\n".join(delimiter.join(c or "" for c in row) for row in EVENT_TABLE) + "\r\n"
    path = tmp_path / "report.csv"
    path.write_bytes(text.encode(encoding))
    if encoding == "utf-8-sig":
        assert path.read_bytes().startswith(codecs.BOM_UTF8)
    report = load(con, path, today=TODAY).report
    assert counts(report) == ("loaded", "events", 3, 2, 1, 0)
    assert rows_of(con, "SELECT region_code, participants, students FROM activity ORDER BY source_row") == [
        ("KZ-75", 1200, 300), ("KZ-19", 45, 0)]


def test_csv_with_decimal_comma_in_a_count_is_rejected_as_a_fraction(tmp_path, con):
    path = tmp_path / "d.csv"
    path.write_bytes("Дата;Регион;Охват\n01.06.2025;СКО;12,5\n02.06.2025;СКО;12,0\n".encode("cp1251"))
    report = load(con, path, today=TODAY).report
    assert counts(report) == ("loaded", "events", 2, 1, 0, 1)
    assert codes(report) == [("CSV", 2, "not-an-integer")]


def test_legacy_xls(tmp_path, con):
    import xlwt

    book = xlwt.Workbook()
    sheet = book.add_sheet("Отчёт")
    for r, row in enumerate(EVENT_TABLE):
        for c, value in enumerate(row):
            if value is not None:
                sheet.write(r, c, value)
    book.save(str(tmp_path / "old.xls"))
    report = load(con, tmp_path / "old.xls", today=TODAY).report
    assert counts(report) == ("loaded", "events", 3, 2, 1, 0)
    assert rows_of(con, "SELECT region_code, participants FROM activity ORDER BY source_row") == [("KZ-75", 1200),
                                                                                                  ("KZ-19", 45)]


def test_ods(tmp_path, con):
    import pandas as pd

    frame = pd.DataFrame(EVENT_TABLE[1:], columns=EVENT_TABLE[0])
    frame.to_excel(tmp_path / "calc.ods", engine="odf", index=False)
    report = load(con, tmp_path / "calc.ods", today=TODAY).report
    assert counts(report) == ("loaded", "events", 3, 2, 1, 0)
    assert rows_of(con, "SELECT region_code, participants FROM activity ORDER BY source_row") == [("KZ-75", 1200),
                                                                                                  ("KZ-19", 45)]


# --- regions, harder cases ----------------------------------------------------------------------------------

def test_typos_ambiguous_almaty_and_the_2022_districts(tmp_path, con):
    path = simple_sheet(tmp_path / "r.xlsx", [
        ["Дата", "Регион", "Район", "Охват"],
        ["01.03.2021", "ВКО", "г. Семей", 10],                   # before the reform: still Abai, text kept
        ["01.03.2021", "Алматинская область", "Талдыкорган", 11],  # Jetisu
        ["01.03.2025", "Карагандинская обл.", "г. Жезказган", 12],  # Ulytau
        ["01.03.2025", "Карагандинская обл.", "Абайский район", 13],  # the trap: stays in Karaganda
        ["01.03.2025", "ВКО", "Абайский район", 14],              # Abai
        ["01.03.2025", None, "Жаңаарқа ауданы", 15],              # district only: Ulytau
        ["01.03.2025", None, "Абайский район", 16],               # district only and ambiguous: rejected
        ["01.03.2025", "Алматы", None, 17],                       # bare Алматы: the city, flagged
        ["01.03.2025", "Карагандинкая область", None, 18],        # typo
    ])
    report = load(con, path, today=TODAY).report
    assert counts(report) == ("loaded", "events", 9, 8, 0, 1)
    assert codes(report) == [("Sheet", 8, "ambiguous-district")]
    assert rows_of(con, "SELECT region_code, participants FROM activity ORDER BY source_row") == [
        ("KZ-10", 10), ("KZ-33", 11), ("KZ-62", 12), ("KZ-35", 13), ("KZ-10", 14), ("KZ-62", 15),
        ("KZ-75", 17), ("KZ-35", 18)]
    kept = con.execute("SELECT region_text, district FROM activity_record WHERE participants = 10").fetchone()
    assert kept == ("ВКО", "г. Семей")
    by_text = {m["text"]: m for m in report.region_matches}
    assert (by_text["Алматы"]["method"], by_text["Алматы"]["note"]) == ("rule", "bare-almaty")
    assert "bare-almaty" in {w.code for w in report.warnings} and "fuzzy-region" in {w.code for w in report.warnings}
    assert by_text["Карагандинкая область"]["method"] == "fuzzy" and by_text["Карагандинкая область"]["confidence"] < 1


def test_a_crime_statistics_form_is_refused_listing_what_was_found(tmp_path, con):
    path = simple_sheet(tmp_path / "crime.xlsx", [
        ["Сведения о преступлениях, связанных с незаконным оборотом наркотиков"],
        ["Регион", "Зарегистрировано преступлений", "Раскрыто", "Изъято наркотиков, кг"],
        ["Карагандинская область", 120, 90, "35,2"],
    ])
    report = load(con, path, today=TODAY).report
    assert counts(report) == ("failed", None, 0, 0, 0, 0)
    message = problem_message(report.failure)
    assert message.startswith("В файле не найдена таблица отчёта о профилактических мероприятиях")
    assert "«Раскрыто»" in message


# --- the real BNS population files --------------------------------------------------------------------------

@needs_real
def test_bns_population_by_region_and_year(con):
    report = load(con, REAL / "bns_population_by_region_2000-2023.xlsx", today=TODAY).report
    assert counts(report) == ("loaded", "population", 21, 20, 1, 0)
    assert [s["sheet"] for s in report.sheets] == ["Все население"]
    population = {(r, y): p for r, y, p in con.execute(
        "SELECT region_code, year, population FROM population WHERE district IS NULL").fetchall()}
    assert population[("KZ-35", 2000)] == 1390454
    assert population[("KZ-11", 2000)] == 799179
    assert population[("KZ-75", 2000)] == 1130439
    assert population[("KZ-61", 2000)] == 2005023  # «Туркестанская 1»: the footnote digit is dropped
    assert ("KZ-10", 2021) not in population and ("KZ-10", 2022) in population  # «-» before the new regions
    assert con.execute("SELECT sum(population) FROM population WHERE year = 2000").fetchone()[0] == 14901641
    turkestan = next(m for m in report.region_matches if m["text"] == "Туркестанская 1")
    assert turkestan["region_code"] == "KZ-61"


@needs_real
def test_bns_population_by_district_on_1_january_2023(con):
    report = load(con, REAL / "bns_population_2023-01-01_by_district.xlsx", today=TODAY).report
    assert counts(report)[:4] == ("loaded", "population", 793, 240)
    assert report.rows_rejected == 0
    regions = dict(con.execute(
        "SELECT region_code, population FROM population WHERE district IS NULL AND year = 2023").fetchall())
    assert len(regions) == 20
    assert regions["KZ-10"] == 610189 and regions["KZ-19"] == 1505984 and regions["KZ-75"] == 2161695
    assert regions["KZ-71"] == 1354435 and regions["KZ-62"] == 221395
    assert sum(regions.values()) == 19765004
    districts = {(r, d): p for r, d, p in con.execute(
        "SELECT region_code, district, population FROM population WHERE district IS NOT NULL").fetchall()}
    assert districts[("KZ-10", "Семей қ.ә.")] == 328762
    assert districts[("KZ-10", "Абай ауданы")] == 14058
    assert districts[("KZ-79", "Абай ауданы")] == 345761
    assert sum(p for (r, _), p in districts.items() if r == "KZ-10") == 610189  # districts add up to the region
    almaty = next(m for m in report.region_matches if m["text"] == "Алматы")
    assert (almaty["region_code"], almaty["note"]) == ("KZ-19", "bare-almaty-region")
