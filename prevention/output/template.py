"""The report template analysts fill in: the canonical columns, drop-down lists of regions, event forms and
audiences, checks on dates and counts, and instructions, in the interface's language (Russian, Kazakh or English;
the Russian template carries the Kazakh instructions too). The loader reads a filled template in any of them
without corrections. Every text comes from the catalogues (data/i18n/*.template.json)."""
from __future__ import annotations

import csv
import io
from pathlib import Path

from prevention.texts import lookup

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
TEMPLATE_ROWS = 5000  # rows covered by the drop-down lists and checks
HELP_LINES = 8

# (field the loader maps the column to, column width); the header is the catalogue's «template.header.<field>»
COLUMNS = [("date", 14), ("region", 30), ("district", 24), ("venue", 36), ("event_type", 22), ("audience", 26),
           ("organizer", 30), ("participants", 14), ("students", 12), ("schoolchildren", 12), ("parents", 12),
           ("teachers", 12)]
COUNT_FIELDS = ("participants", "students", "schoolchildren", "parents", "teachers")
LISTS = ("region", "event_type", "audience")


def text(key: str, lang: str) -> str:
    return lookup.t(f"template.{key}", lang)


def file_name(lang: str = lookup.DEFAULT) -> str:
    return text("file", lang)


def headers(lang: str = lookup.DEFAULT) -> list[tuple[str, str, int]]:
    """(header, field, width) of the data sheet's columns."""
    return [(text(f"header.{field}", lang), field, width) for field, width in COLUMNS]


def _csv(name: str) -> list[dict]:
    with open(DATA_DIR / name, encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def list_values(field: str, lang: str = lookup.DEFAULT) -> list[str]:
    """The drop-down list of a column, in the template's language (the loader reads every language)."""
    column = {"ru": "name_ru", "kk": "name_kk", "en": "name_en"}[lookup._lang(lang)]
    if field == "region":
        return [row[column] for row in _csv("regions.csv")]
    label = column.replace("name", "label")
    return [row[label] for row in _csv("vocabulary.csv") if row["kind"] == field]


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)


def build_template(lang: str = lookup.DEFAULT) -> bytes:
    """The template as .xlsx bytes. Only the header row holds cells on the data sheet, so a filled template
    reads as exactly its filled rows (no blank rows counted as skipped)."""
    from openpyxl import Workbook

    workbook = Workbook()
    data = workbook.active
    data.title = text("sheet.data", lang)
    _header_row(data, lang)
    ranges = _lists_sheet(workbook, lang)
    _checks(data, ranges, lang)
    _help_sheet(workbook, lang)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _header_row(sheet, lang: str) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    font, fill = Font(bold=True), PatternFill("solid", fgColor="EEF2F7")
    for index, (header, _, width) in enumerate(headers(lang), start=1):
        cell = sheet.cell(1, index, header)
        cell.font, cell.fill = font, fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[_letter(index)].width = width
    sheet.freeze_panes = "A2"
    sheet.row_dimensions[1].height = 32
    sheet.column_dimensions["A"].number_format = "DD.MM.YYYY"


def _lists_sheet(workbook, lang: str) -> dict[str, str]:
    """A hidden sheet of the drop-down values; returns each list field's cell range."""
    name = text("sheet.lists", lang)
    lists = workbook.create_sheet(name)
    ranges = {}
    for index, field in enumerate(LISTS, start=1):
        values = list_values(field, lang)
        lists.cell(1, index, text(f"list.{field}", lang))
        for row, value in enumerate(values, start=2):
            lists.cell(row, index, value)
        letter = _letter(index)
        ranges[field] = f"'{name}'!${letter}$2:${letter}${len(values) + 1}"
    lists.sheet_state = "hidden"  # the loader skips hidden sheets
    return ranges


def _rule(field: str, ranges: dict[str, str], lang: str):
    from openpyxl.worksheet.datavalidation import DataValidation

    common = {"allow_blank": True, "showErrorMessage": True}
    if field in ranges:
        return DataValidation(type="list", formula1=f"={ranges[field]}", errorStyle="warning",
                              errorTitle=text("check.list.title", lang), error=text("check.list.text", lang),
                              **common), text("prompt.list", lang)
    if field == "date":
        return DataValidation(type="date", operator="between", formula1="DATE(2000,1,1)", formula2="DATE(2100,12,31)",
                              errorTitle=text("check.date.title", lang), error=text("check.date.text", lang),
                              **common), text("prompt.date", lang)
    if field in COUNT_FIELDS:
        return DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0",
                              errorTitle=text("check.count.title", lang), error=text("check.count.text", lang),
                              **common), text("prompt.count", lang)
    return None, None


def _checks(sheet, ranges: dict[str, str], lang: str) -> None:
    last = TEMPLATE_ROWS + 1
    for index, (header, field, _) in enumerate(headers(lang), start=1):
        rule, prompt = _rule(field, ranges, lang)
        if rule is None:
            continue
        rule.promptTitle, rule.prompt, rule.showInputMessage = header, prompt, True
        sheet.add_data_validation(rule)
        rule.add(f"{_letter(index)}2:{_letter(index)}{last}")


def _help_sheet(workbook, lang: str) -> None:
    from openpyxl.styles import Alignment, Font

    sheet = workbook.create_sheet(text("sheet.help", lang))
    sheet.column_dimensions["A"].width = 120
    row = 1
    for block_lang in [lang] + (["kk"] if lookup._lang(lang) == "ru" else []):
        for number in range(HELP_LINES):
            cell = sheet.cell(row, 1, text(f"help.{number}", block_lang))  # one cell per row: never read as a table
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if number == 0:
                cell.font = Font(bold=True, size=13)
            row += 1
        row += 1
