"""The rejected-rows workbook an analyst fixes and uploads again: the original columns plus «Причина» («Себебі»,
«Reason»), written in the reader's language; any of the three is recognised when the file comes back."""
from __future__ import annotations

import io
import re
from pathlib import Path
from typing import TYPE_CHECKING

from prevention.texts import LANGUAGES, problem_message, t

# last column of the rejected-rows workbook in each language; no loader rule maps it
REASON_HEADERS = frozenset(t("rejected.reason", lang) for lang in LANGUAGES)
FILE_SUFFIXES = tuple(t("rejected.suffix", lang) for lang in LANGUAGES)
SHAPE_LABELS_RU = {"events": "журнал мероприятий", "summary": "сводка"}

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

if TYPE_CHECKING:  # pandas is imported when a workbook is written, not when the CLI recognises a fixed file
    import pandas as pd


def _sheet(row: dict):
    return row.get("sheet", row.get("source_sheet"))


def reasons(row: dict, lang: str = "ru") -> str:
    """«Лист «X», строка 7: Регион «…» не найден; Не указана дата» for one rejected row. A row's problems are
    stored as codes and parameters (Problem.to_dict()), so the reason is written in the reader's language."""
    from loaders.problems import Problem

    where = t("rejected.where", lang, sheet=_sheet(row), row=row.get("row", row.get("source_row")))
    texts = []
    for item in row.get("problems", row.get("errors", [])):
        try:
            texts.append(problem_message(Problem.from_dict(item), lang))
        except (KeyError, ValueError):  # a row stored before problems were kept as codes
            texts.append(item.get("message") or item.get("code"))
    return f"{where}: " + "; ".join(t for t in texts if t)


def rejected_frames(rejected: list[dict], lang: str = "ru") -> dict[str, pd.DataFrame]:
    """Per source sheet: the original columns (flattened header texts) of each rejected row plus «Причина»."""
    import pandas as pd

    reason = t("rejected.reason", lang)
    by_sheet: dict[str, list[dict]] = {}
    for row in rejected:
        by_sheet.setdefault(_sheet(row) or t("rejected.sheet", lang), []).append(row)
    frames = {}
    for sheet, rows in by_sheet.items():
        columns: dict[str, None] = {}
        for row in rows:
            columns.update(dict.fromkeys(k for k in row.get("raw_values", {}) if k not in REASON_HEADERS))
        records = [{**{c: row.get("raw_values", {}).get(c) for c in columns}, reason: reasons(row, lang)}
                   for row in rows]
        frames[sheet] = pd.DataFrame(records, columns=[*columns, reason])
    return frames


def _sheet_name(name: str, taken: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", " ", name or "Лист").strip("' ")[:31] or "Лист"
    candidate, n = base, 2
    while candidate.lower() in taken:
        suffix = f" ({n})"
        candidate, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(candidate.lower())
    return candidate


def rejected_workbook(rejected: list[dict], titles: dict[str, list[str]] | None = None, lang: str = "ru") -> bytes:
    """An .xlsx an analyst corrects and uploads again: one sheet per source sheet, named like it (a period or
    region in the sheet name still counts), the report's title lines above (for the period of a summary), then
    one header row of the original flattened header texts, which the loader recognises, and «Причина» last."""
    import pandas as pd
    import xlsxwriter

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                            "strings_to_urls": False, "strings_to_numbers": False})
    header_format = workbook.add_format({"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#EEF2F7",
                                         "border": 1})
    reason_format = workbook.add_format({"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#FDE2E1",
                                         "border": 1})
    taken: set[str] = set()
    reason = t("rejected.reason", lang)
    frames = rejected_frames(rejected, lang) or {t("rejected.sheet", lang): pd.DataFrame(columns=[reason])}
    for source, frame in frames.items():
        sheet = workbook.add_worksheet(_sheet_name(source, taken))
        top = 0
        for line in (titles or {}).get(source, []):
            sheet.write_string(top, 0, str(line))
            top += 1
        if top:
            top += 1  # a blank row between the title and the header
        for col, name in enumerate(frame.columns):
            sheet.write_string(top, col, str(name), reason_format if name == reason else header_format)
            width = 50 if name == reason else min(max(len(str(name)), 10), 40)
            sheet.set_column(col, col, width)
        for offset, values in enumerate(frame.itertuples(index=False), start=1):
            for col, value in enumerate(values):
                if value is None or (isinstance(value, float) and pd.isna(value)):
                    continue
                text = str(value)
                if re.fullmatch(r"-?\d{1,15}", text):
                    sheet.write_number(top + offset, col, int(text))
                else:
                    sheet.write_string(top + offset, col, text)  # a string cell is never a formula
        sheet.freeze_panes(top + 1, 0)
    workbook.close()
    return buffer.getvalue()


def needed_titles(tables) -> dict[str, list[str]]:
    """Title lines to repeat above the rejected rows: only for tables that take their period (summaries) or their
    region (no region column) from the title; an event log's title is left out."""
    return {t.sheet: list(t.title_lines) for t in tables
            if t.title_lines and (t.shape == "summary" or "region" not in t.fields)}


def rejected_file_name(file_name: str, lang: str = "ru") -> str:
    return f"{Path(file_name).stem}{t('rejected.suffix', lang)}.xlsx"


def fixed_stem(file_name: str) -> str | None:
    """`отчёт` for `отчёт_отклонённые.xlsx` (or its Kazakh or English name); None for any other name."""
    stem = Path(file_name).stem
    suffix = next((s for s in FILE_SUFFIXES if stem.lower().endswith(s)), None)
    return stem[: -len(suffix)] if suffix else None


def is_rejected_rows_file(headers: list[str]) -> bool:
    """A file with the «Причина» column (in any language): the rejected rows of an earlier upload, corrected."""
    return any((h or "").strip() in REASON_HEADERS for h in headers)

