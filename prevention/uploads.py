"""The analysts' workspace without the UI: stored originals, remembered column mappings, earlier versions of a
file, the batch list and the rejected-rows workbook an analyst fixes and re-uploads.

Every query takes a connection, runs on its own cursor with `?` parameters and returns plain values or a
DataFrame. Nothing here imports Streamlit.
"""
from __future__ import annotations

import calendar
import hashlib
import io
import json
import os
import re
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd

UPLOAD_EXTENSIONS = ("xlsx", "xlsm", "xls", "ods", "csv")
REASON_HEADER = "Причина"  # last column of the rejected-rows workbook; no loader rule maps it
SHAPE_LABELS_RU = {"events": "журнал мероприятий", "summary": "сводка"}
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MIME_TYPES = {
    ".xlsx": XLSX_MIME,
    ".xlsm": "application/vnd.ms-excel.sheet.macroEnabled.12",
    ".xls": "application/vnd.ms-excel",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".csv": "text/csv",
}
MONTHS_NOMINATIVE = ["январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь",
                     "октябрь", "ноябрь", "декабрь"]


# ---------------------------------------------------------------- stored originals

def uploads_dir(db_path: str | os.PathLike) -> Path:
    """Where original uploads are kept: the folder «uploads» next to the database file."""
    return Path(db_path).resolve().parent / "uploads"


def extension(file_name: str) -> str:
    """The file's extension (with the dot, lower case) when it is one we accept, else ""."""
    suffix = Path(file_name).suffix.lower()
    return suffix if suffix.lstrip(".") in UPLOAD_EXTENSIONS else ""


def original_path(folder: Path, sha256: str, file_name: str) -> Path:
    """<folder>/<sha256><ext>: named by content, never by the name the user gave the file."""
    if not re.fullmatch(r"[0-9a-f]{64}", sha256 or ""):
        raise ValueError(f"not a sha256: {sha256!r}")
    return folder / f"{sha256}{extension(file_name)}"


def save_original(folder: Path, sha256: str, file_name: str, data: bytes) -> Path:
    """Write the uploaded bytes once (atomically: a temporary file renamed into place)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = original_path(folder, sha256, file_name)
    if path.exists() and path.stat().st_size == len(data):
        return path
    temporary = path.with_name(path.name + ".part")
    temporary.write_bytes(data)
    os.replace(temporary, path)
    return path


def remove_original_if_unused(con: duckdb.DuckDBPyConnection, folder: Path, sha256: str, file_name: str) -> bool:
    """Delete a stored original once no batch has those bytes any more. True when a file was removed."""
    still_used = con.cursor().execute("SELECT count(*) FROM batch WHERE sha256 = ?", [sha256]).fetchone()[0]
    path = original_path(folder, sha256, file_name)
    if still_used or not path.exists():
        return False
    path.unlink()
    return True


# ---------------------------------------------------------------- remembered column mappings

def header_signature(headers: list[str]) -> str:
    """sha256 of the flattened header list (all tables of a file, in order)."""
    return hashlib.sha256(json.dumps(list(headers), ensure_ascii=False).encode("utf-8")).hexdigest()


def remembered_mapping(con: duckdb.DuckDBPyConnection, signature: str) -> dict | None:
    """{"overrides": {header: field or None}, "updated_by", "updated_at"} for files with these headers, or None."""
    row = con.cursor().execute(
        "SELECT overrides, updated_by, updated_at FROM mapping_memory WHERE signature = ?", [signature]
    ).fetchone()
    if row is None:
        return None
    return {"overrides": json.loads(row[0]), "updated_by": row[1], "updated_at": row[2]}


def remember_mapping(con: duckdb.DuckDBPyConnection, signature: str, headers: list[str], overrides: dict,
                     username: str | None) -> None:
    """Store (or replace) an analyst's corrections for files with these headers; an empty correction forgets."""
    cur = con.cursor()
    if not overrides:
        cur.execute("DELETE FROM mapping_memory WHERE signature = ?", [signature])
        return
    cur.execute(
        """INSERT INTO mapping_memory (signature, headers, overrides, updated_by, updated_at)
           VALUES (?, ?, ?, ?, current_localtimestamp())
           ON CONFLICT (signature) DO UPDATE SET headers = excluded.headers, overrides = excluded.overrides,
               updated_by = excluded.updated_by, updated_at = excluded.updated_at""",
        [signature, json.dumps(list(headers), ensure_ascii=False), json.dumps(overrides, ensure_ascii=False),
         username],
    )


# ---------------------------------------------------------------- batches

def batches_overview(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every batch, newest first, with the period and regions its records cover."""
    return con.cursor().execute(
        """
        WITH cover AS (
            SELECT batch_id, min(period_start) AS first_day, max(period_end) AS last_day,
                   count(DISTINCT region_code) AS regions, coalesce(sum(events), 0)::BIGINT AS events,
                   coalesce(sum(participants), 0)::BIGINT AS participants
            FROM activity_record GROUP BY batch_id
        )
        SELECT b.batch_id, b.file_name, b.shape, b.loaded_by, b.loaded_at, c.first_day, c.last_day,
               coalesce(c.regions, 0)::BIGINT AS regions, coalesce(c.events, 0)::BIGINT AS events,
               coalesce(c.participants, 0)::BIGINT AS participants,
               b.rows_read, b.rows_loaded, b.rows_skipped, b.rows_rejected, b.is_demo, b.sha256, b.size_bytes
        FROM batch b LEFT JOIN cover c USING (batch_id)
        ORDER BY b.batch_id DESC"""
    ).df()


def batch(con: duckdb.DuckDBPyConnection, batch_id: int) -> dict | None:
    frame = con.cursor().execute(
        "SELECT batch_id, file_name, sha256, size_bytes, shape, loaded_at, loaded_by, rows_read, rows_loaded, "
        "rows_skipped, rows_rejected, is_demo FROM batch WHERE batch_id = ?", [int(batch_id)]
    ).df()
    return None if frame.empty else frame.iloc[0].to_dict()


def earlier_versions(con: duckdb.DuckDBPyConnection, file_name: str, sha256: str, region_codes: list[str],
                     first_day: date | None, last_day: date | None) -> pd.DataFrame:
    """Batches a new file may be a corrected version of: the same file name (case-insensitive), or records of
    exactly the same regions over the same months. Demo batches and the file's own bytes are left out."""
    regions = sorted(set(region_codes))
    covered = bool(regions) and first_day is not None and last_day is not None
    return con.cursor().execute(
        """
        WITH cover AS (
            SELECT batch_id, list_sort(list(DISTINCT region_code)) AS regions,
                   min(period_start) AS first_day, max(period_end) AS last_day
            FROM activity_record GROUP BY batch_id
        )
        SELECT b.batch_id, b.file_name, b.loaded_at, b.loaded_by, b.rows_loaded, b.shape, c.first_day, c.last_day,
               lower(b.file_name) = lower(?) AS same_name,
               coalesce(? AND c.regions = ?::VARCHAR[]
                        AND date_trunc('month', c.first_day) = date_trunc('month', ?::DATE)
                        AND date_trunc('month', c.last_day) = date_trunc('month', ?::DATE), false) AS same_coverage
        FROM batch b LEFT JOIN cover c USING (batch_id)
        WHERE NOT b.is_demo AND b.sha256 <> ? AND (same_name OR same_coverage)
        ORDER BY same_name DESC, b.batch_id DESC""",
        [file_name, covered, regions, first_day, last_day, sha256],
    ).df()


# ---------------------------------------------------------------- the rejected-rows workbook

_NUMBER_OR_DASH = re.compile(r"^[-+]?[\d\s.,]*$")  # «-5», «-»: harmless, and kept so the loader reads them again
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """Text Excel would evaluate gets a leading apostrophe; plain numbers and dashes are left alone."""
    if text.startswith(_FORMULA) and not _NUMBER_OR_DASH.match(text):
        return "'" + text
    return text


def reasons(row: dict) -> str:
    """«Лист «X», строка 7: Регион «…» не найден; Не указана дата» for one rejected row."""
    where = f"Лист «{row.get('source_sheet')}», строка {row.get('source_row')}"
    texts = [e.get("message") or e.get("code") for e in row.get("errors", [])]
    return f"{where}: " + "; ".join(t for t in texts if t)


def rejected_frames(rejected: list[dict]) -> dict[str, pd.DataFrame]:
    """Per source sheet: the original columns (flattened header texts) of each rejected row plus «Причина»."""
    by_sheet: dict[str, list[dict]] = {}
    for row in rejected:
        by_sheet.setdefault(row.get("source_sheet") or "Лист1", []).append(row)
    frames = {}
    for sheet, rows in by_sheet.items():
        columns: dict[str, None] = {}
        for row in rows:
            columns.update(dict.fromkeys(k for k in row.get("raw_values", {}) if k != REASON_HEADER))
        records = [{**{c: row.get("raw_values", {}).get(c) for c in columns}, REASON_HEADER: reasons(row)}
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


def rejected_workbook(rejected: list[dict], titles: dict[str, list[str]] | None = None) -> bytes:
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
    frames = rejected_frames(rejected) or {"Лист1": pd.DataFrame(columns=[REASON_HEADER])}
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


def period_title(first_day: date | None, last_day: date | None) -> str | None:
    """A title the loader reads back as this period («за июнь 2025 года», «за январь – март 2025 года»),
    or None when the period is not whole months of one year."""
    if first_day is None or last_day is None or first_day.year != last_day.year or first_day.day != 1:
        return None
    if last_day.day != calendar.monthrange(last_day.year, last_day.month)[1]:
        return None
    first, last = MONTHS_NOMINATIVE[first_day.month - 1], MONTHS_NOMINATIVE[last_day.month - 1]
    if first_day.month == 1 and last_day.month == 12:
        return f"Отчёт за {first_day.year} год"
    span = first if first_day.month == last_day.month else f"{first} – {last}"
    return f"Отчёт за {span} {first_day.year} года"


def batch_titles(con: duckdb.DuckDBPyConnection, batch_id: int) -> dict[str, list[str]]:
    """For a summary batch: per sheet whose stored records share one period, a title stating that period, so
    rejected rows downloaded later still carry the period their sheet's title gave."""
    rows = con.cursor().execute(
        """SELECT a.source_sheet, min(a.period_start), max(a.period_end),
                  count(DISTINCT (a.period_start, a.period_end))
           FROM activity_record a JOIN batch b USING (batch_id)
           WHERE a.batch_id = ? AND b.shape = 'summary'
           GROUP BY a.source_sheet""",
        [int(batch_id)],
    ).fetchall()
    titles = {}
    for sheet, first, last, periods in rows:
        title = period_title(first, last) if periods == 1 else None
        if title:
            titles[sheet] = [title]
    return titles


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

