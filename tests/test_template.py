"""The report template: its columns, drop-down lists and instructions, and a filled template loading in full."""
from __future__ import annotations

import csv
import io
from datetime import date

import openpyxl
import pytest

import loaders
from prevention.output import template
from prevention.storage import db
from tests.conftest import load

ROOT = template.DATA_DIR


def _csv(name: str) -> list[dict]:
    with open(ROOT / name, encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def workbook_bytes() -> bytes:
    return template.build_template()


def _open(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def _list_values(wb: openpyxl.Workbook, formula: str) -> list[str]:
    """The cells a list validation's formula («='Справочники'!$A$2:$A$21») points to."""
    sheet_part, cells = formula.lstrip("=").split("!")
    sheet = wb[sheet_part.strip("'")]
    return [c.value for row in sheet[cells.replace("$", "")] for c in row]


def test_header_row_holds_the_canonical_columns(workbook_bytes):
    wb = _open(workbook_bytes)
    assert wb.sheetnames[0] == "Мероприятия"
    sheet = wb["Мероприятия"]
    assert [c.value for c in sheet[1]] == [
        "Дата проведения", "Регион", "Район", "Место проведения", "Форма мероприятия", "Аудитория", "Организатор",
        "Охват участников, всего", "в т.ч. студентов", "в т.ч. школьников", "в т.ч. родителей", "в т.ч. педагогов",
    ]
    assert sheet.max_row == 1  # nothing below the header: a filled template has no phantom blank rows
    assert sheet.freeze_panes == "A2"


def test_drop_down_lists_offer_regions_forms_and_audiences(workbook_bytes):
    wb = _open(workbook_bytes)
    sheet = wb["Мероприятия"]
    by_column = {}
    for rule in sheet.data_validations.dataValidation:
        for area in str(rule.sqref).split():
            by_column[area.split(":")[0].rstrip("0123456789")] = rule
    regions = [r["name_ru"] for r in _csv("regions.csv")]
    forms = [r["label_ru"] for r in _csv("vocabulary.csv") if r["kind"] == "event_type"]
    audiences = [r["label_ru"] for r in _csv("vocabulary.csv") if r["kind"] == "audience"]
    assert len(regions) == 20
    for column, expected in (("B", regions), ("E", forms), ("F", audiences)):
        rule = by_column[column]
        assert rule.type == "list"
        assert _list_values(wb, rule.formula1) == expected
        assert str(rule.sqref) == f"{column}2:{column}{template.TEMPLATE_ROWS + 1}"
    assert by_column["A"].type == "date"
    for column in "HIJKL":
        assert by_column[column].type == "whole" and by_column[column].formula1 == "0"
    assert wb["Справочники"].sheet_state == "hidden"


def test_instructions_are_in_russian_and_kazakh(workbook_bytes):
    wb = _open(workbook_bytes)
    text = "\n".join(str(c.value) for c in wb["Инструкция"]["A"] if c.value)
    assert "Заполняйте лист «Мероприятия»" in text
    assert "парағын толтырыңыз" in text and "ашылмалы тізімнен таңдаңыз" in text
    assert "«Причина»" in text


def _filled(workbook_bytes: bytes, rows: list[list]) -> bytes:
    wb = _open(workbook_bytes)
    sheet = wb["Мероприятия"]
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_a_filled_template_loads_every_row(workbook_bytes, tmp_path):
    rows = [
        [date(2025, 6, 25), "Карагандинская область", "г. Караганда", "Карагандинский политехнический колледж",
         "встреча", "студенты", "ДП Карагандинской области", 195, 180, 0, 5, 10],
        [date(2025, 6, 26), "город Алматы", "Бостандыкский район", "Школа-гимназия №12", "лекция", "школьники",
         "Управление образования", 60, None, 55, None, 5],
        [date(2025, 5, 30), "область Жетісу", "г. Талдыкорган", "Дворец молодёжи", "акция",
         "подростки и молодёжь", "Акимат", 300, 120, 150, 10, 20],
    ]
    con = db.connect(tmp_path / "t.duckdb")
    report = load(con, _filled(workbook_bytes, rows), "шаблон_заполненный.xlsx", user="tester")
    assert (report.status, report.rows_read, report.rows_loaded, report.rows_skipped, report.rows_rejected) == (
        "loaded", 3, 3, 0, 0)
    assert report.sheets[0]["columns"] == {header: field for header, field, _ in template.headers("ru")}
    got = con.execute(
        "SELECT region_code, period_start, venue, event_type, audience, participants, students, schoolchildren, "
        "parents, teachers FROM activity ORDER BY period_start"
    ).fetchall()
    assert got == [
        ("KZ-33", date(2025, 5, 30), "Дворец молодёжи", "акция", "подростки и молодёжь", 300, 120, 150, 10, 20),
        ("KZ-35", date(2025, 6, 25), "Карагандинский политехнический колледж", "встреча", "студенты", 195, 180, 0, 5,
         10),
        ("KZ-75", date(2025, 6, 26), "Школа-гимназия №12", "лекция", "школьники", 60, None, 55, None, 5),
    ]


def test_every_drop_down_value_is_understood_by_the_loader(workbook_bytes):
    regions = [r for r in _csv("regions.csv")]
    forms = [r["label_ru"] for r in _csv("vocabulary.csv") if r["kind"] == "event_type"]
    audiences = [r["label_ru"] for r in _csv("vocabulary.csv") if r["kind"] == "audience"]
    rows = [[f"{1 + i % 28:02d}.03.2025", region["name_ru"], None, f"Место {i}", forms[i % len(forms)],
             audiences[i % len(audiences)], "ДП", 10 + i, None, None, None, None]
            for i, region in enumerate(regions)]
    parsed = loaders.parse_bytes(_filled(workbook_bytes, rows), "все_регионы.xlsx")
    assert (parsed.report.rows_loaded, parsed.report.rows_rejected) == (20, 0)
    records = parsed.columns
    assert sorted(records["region_code"]) == sorted(r["region_code"] for r in regions)
    assert all(m["method"] == "exact" and m["confidence"] == 1.0 for m in parsed.report.region_matches)
    assert list(records["event_type"]) == [forms[i % len(forms)] for i in range(20)]
    assert list(records["audience"]) == [audiences[i % len(audiences)] for i in range(20)]


@pytest.mark.parametrize("lang,sheet,header", [("kk", "Іс-шаралар", "Өңір"), ("en", "Events", "Region")])
def test_the_template_in_kazakh_and_english_loads_back_as_filled(lang, sheet, header):
    book = _open(template.build_template(lang))
    assert book.sheetnames[0] == sheet and header in [c.value for c in book[sheet][1]]
    regions = template.list_values("region", lang)
    forms = template.list_values("event_type", lang)
    audiences = template.list_values("audience", lang)
    for i in range(3):
        book[sheet].append([date(2025, 6, 20 + i), regions[i], None, f"Колледж {i}", forms[i], audiences[i], "ДП",
                            100 + i, 10 * i, None, None, None])
    out = io.BytesIO()
    book.save(out)
    parsed = loaders.parse_bytes(out.getvalue(), "filled.xlsx")
    assert (parsed.report.status, parsed.report.rows_loaded, parsed.report.rows_rejected) == ("loaded", 3, 0)
    expected_codes = [row["region_code"] for row in _csv("regions.csv")][:3]
    assert parsed.columns["region_code"] == expected_codes
    assert parsed.columns["participants"] == [100, 101, 102]
    ru_forms = [r["label_ru"] for r in _csv("vocabulary.csv") if r["kind"] == "event_type"][:3]
    assert parsed.columns["event_type"] == ru_forms  # stored canonical, whatever the template's language
