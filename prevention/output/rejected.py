"""The rejected-rows workbook an analyst fixes and uploads again: the original columns plus «Причина»."""
from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path

import pandas as pd

Render = Callable[[object], str]  # a loaders.problems.Problem as text

REASON_HEADER = "Причина"  # last column of the rejected-rows workbook; no loader rule maps it
SHAPE_LABELS_RU = {"events": "журнал мероприятий", "summary": "сводка"}
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

_NUMBER_OR_DASH = re.compile(r"^[-+]?[\d\s.,]*$")  # «-5», «-»: harmless, and kept so the loader reads them again
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """Text Excel would evaluate gets a leading apostrophe; plain numbers and dashes are left alone."""
    if text.startswith(_FORMULA) and not _NUMBER_OR_DASH.match(text):
        return "'" + text
    return text


def _sheet(row: dict):
    return row.get("sheet", row.get("source_sheet"))


def russian(problem) -> str:
    """The default reason text: the problem in Russian (the workbook is read back by the loader in any case)."""
    from prevention.texts import problem_message as problem_text

    return problem_text(problem, "ru")


def reasons(row: dict, render: Render | None = None) -> str:
    """«Лист «X», строка 7: Регион «…» не найден; Не указана дата» for one rejected row. A row's problems are
    stored as codes and parameters (Problem.to_dict()), so the reason is written in the reader's language."""
    from loaders.problems import Problem

    render = render or russian
    where = f"Лист «{_sheet(row)}», строка {row.get('row', row.get('source_row'))}"
    texts = []
    for item in row.get("problems", row.get("errors", [])):
        try:
            texts.append(render(Problem.from_dict(item)))
        except (KeyError, ValueError):  # a row stored before problems were kept as codes
            texts.append(item.get("message") or item.get("code"))
    return f"{where}: " + "; ".join(t for t in texts if t)


def rejected_frames(rejected: list[dict], render: Render | None = None) -> dict[str, pd.DataFrame]:
    """Per source sheet: the original columns (flattened header texts) of each rejected row plus «Причина»."""
    by_sheet: dict[str, list[dict]] = {}
    for row in rejected:
        by_sheet.setdefault(_sheet(row) or "Лист1", []).append(row)
    frames = {}
    for sheet, rows in by_sheet.items():
        columns: dict[str, None] = {}
        for row in rows:
            columns.update(dict.fromkeys(k for k in row.get("raw_values", {}) if k != REASON_HEADER))
        records = [{**{c: row.get("raw_values", {}).get(c) for c in columns}, REASON_HEADER: reasons(row, render)}
                   for row in rows]
        frames[sheet] = pd.DataFrame(records, columns=[*columns, REASON_HEADER])
    return frames


def _sheet_name(name: str, taken: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", " ", name or "Лист").strip("' ")[:31] or "Лист"
    candidate, n = base, 2
    while candidate.lower() in taken:
        suffix = f" ({n})"
        candidate, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(candidate.lower())
    return candidate


def rejected_workbook(rejected: list[dict], titles: dict[str, list[str]] | None = None,
                      render: Render | None = None) -> bytes:
    """An .xlsx an analyst corrects and uploads again: one sheet per source sheet, named like it (a period or
    region in the sheet name still counts), the report's title lines above (for the period of a summary), then
    one header row of the original flattened header texts, which the loader recognises, and «Причина» last."""
    import xlsxwriter

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                            "strings_to_urls": False, "strings_to_numbers": False})
    header_format = workbook.add_format({"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#EEF2F7",
                                         "border": 1})
    reason_format = workbook.add_format({"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#FDE2E1",
                                         "border": 1})
    taken: set[str] = set()
    frames = rejected_frames(rejected, render) or {"Лист1": pd.DataFrame(columns=[REASON_HEADER])}
    for source, frame in frames.items():
        sheet = workbook.add_worksheet(_sheet_name(source, taken))
        top = 0
        for line in (titles or {}).get(source, []):
            sheet.write_string(top, 0, neutralise(str(line)))
            top += 1
        if top:
            top += 1  # a blank row between the title and the header
        for col, name in enumerate(frame.columns):
            sheet.write_string(top, col, neutralise(str(name)), reason_format if name == REASON_HEADER else header_format)
            width = 50 if name == REASON_HEADER else min(max(len(str(name)), 10), 40)
            sheet.set_column(col, col, width)
        for offset, values in enumerate(frame.itertuples(index=False), start=1):
            for col, value in enumerate(values):
                if value is None or (isinstance(value, float) and pd.isna(value)):
                    continue
                text = str(value)
                if re.fullmatch(r"-?\d{1,15}", text):
                    sheet.write_number(top + offset, col, int(text))
                else:
                    sheet.write_string(top + offset, col, neutralise(text))
        sheet.freeze_panes(top + 1, 0)
    workbook.close()
    return buffer.getvalue()


def needed_titles(tables) -> dict[str, list[str]]:
    """Title lines to repeat above the rejected rows: only for tables that take their period (summaries) or their
    region (no region column) from the title; an event log's title is left out."""
    return {t.sheet: list(t.title_lines) for t in tables
            if t.title_lines and (t.shape == "summary" or "region" not in t.fields)}


def rejected_file_name(file_name: str) -> str:
    return f"{Path(file_name).stem}_отклонённые.xlsx"


def is_rejected_rows_file(headers: list[str]) -> bool:
    """A file with the «Причина» column: the rejected rows of an earlier upload, corrected."""
    return any((h or "").strip() == REASON_HEADER for h in headers)

