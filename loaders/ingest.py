"""Bytes in, an ingestion report and clean activity records out; storing is one transaction per file."""
from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from loaders import read
from loaders.errors import EmptyFile, LoaderError, NoColumnsRecognised
from loaders.gazetteer import canonical, match_region
from loaders.parse import Problem, clean_text, parse_count, parse_date
from loaders.period import parse_period
from loaders.report import FileReport, RowError, message
from loaders.table import PARTS, Table, find_table, is_blank, row_kind

log = logging.getLogger(__name__)
TEXT_FIELDS = ("district", "venue", "organizer", "description")
COUNTS = ("events", "participants", "students", "schoolchildren", "parents", "teachers")


@dataclass
class Parsed:
    """A file read and checked, not yet stored."""
    report: FileReport
    records: list[dict] = field(default_factory=list)
    rejected: list[dict] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)


def parse_bytes(data: bytes, file_name: str, today: date | None = None) -> Parsed:
    """Read a file into records and a report. Broken files end with status 'failed', never an exception."""
    report = FileReport(file=file_name, sha256=hashlib.sha256(data).hexdigest())
    parsed = Parsed(report)
    try:
        kind = read.sniff(data)
        sheets = read.read_sheets(data, kind)
        _parse_sheets(parsed, sheets, today)
    except LoaderError as e:
        return _failed(parsed, str(e), e.code)
    except MemoryError:
        return _failed(parsed, "Файл слишком велик для обработки.", "too-large")
    except Exception as e:  # never a traceback for the user; the log keeps it
        log.exception("unexpected error reading %s", file_name)
        return _failed(parsed, f"Не удалось прочитать файл: внутренняя ошибка ({type(e).__name__}).", "failed")
    report.status = "loaded"
    return parsed


def _failed(parsed: Parsed, text: str, code: str) -> Parsed:
    report = parsed.report
    report.status, report.error, report.error_code = "failed", text, code
    report.rows_read = report.rows_loaded = report.rows_skipped = report.rows_rejected = 0
    report.errors = []
    parsed.records, parsed.rejected = [], []
    return parsed


def _parse_sheets(parsed: Parsed, sheets: list[read.Sheet], today: date | None) -> None:
    found_headers: list[str] = []
    for sheet in sheets:
        if sheet.hidden:
            continue
        table = find_table(sheet.name, sheet.rows, sheet.merges, sheet.first_row)
        if table is None:
            found_headers.extend(_visible_text(sheet.rows[:10]))
            continue
        parsed.tables.append(table)
        _parse_table(parsed, sheet, table, today)
    if not parsed.tables:
        sample = ", ".join(f"«{h}»" for h in found_headers[:12]) or "ничего"
        raise NoColumnsRecognised(
            f"Не распознаны столбцы отчёта о профилактических мероприятиях (нужны, например, «Дата», «Регион», "
            f"«Охват»). Найдено: {sample}."
        )
    shapes = {t.shape for t in parsed.tables}
    parsed.report.shape = "summary" if shapes == {"summary"} else "events"
    if parsed.report.rows_read == 0:
        raise EmptyFile("Заголовок таблицы найден, но строк с данными под ним нет.")
    matches: dict[str, dict] = {}
    for record in parsed.records:
        text = record["region_text"]
        entry = matches.get(text)
        if entry is None:
            m = match_region(text)
            entry = matches[text] = {"text": text, "region_code": m.region_code, "confidence": m.confidence,
                                     "method": m.method, "note": m.note, "rows": 0}
        entry["rows"] += 1
    parsed.report.region_matches = sorted(matches.values(), key=lambda e: (e["confidence"], e["text"] or ""))


def _visible_text(rows: list[list]) -> list[str]:
    return [" ".join(str(v).split()) for row in rows for v in row if isinstance(v, str) and v.strip()]


def _context_region(sheet: read.Sheet, table: Table):
    """Region named by the sheet or a title row, for sheets without a region column."""
    for text in [sheet.name, *table.title_lines]:
        m = match_region(text)
        if m.region_code and m.confidence >= 0.9:
            return text, m
    return None, None


def _parse_table(parsed: Parsed, sheet: read.Sheet, table: Table, today: date | None) -> None:
    report = parsed.report
    column_of = {f: c for c, f in table.mapping.items()}
    header_of = {f: table.headers[c] for c, f in table.mapping.items()}
    report.sheets.append({"sheet": sheet.name, "header_rows": table.header_rows, "shape": table.shape,
                          "columns": {table.headers[c]: f for c, f in sorted(table.mapping.items())}})
    text_columns = sorted({0, 1, 2} | {column_of[f] for f in ("region", "district", "date", "description", "venue") if f in column_of})
    context_text, context_match = (None, None) if "region" in column_of else _context_region(sheet, table)
    period = None
    if table.shape == "summary" and "period" not in column_of:
        for text in [*table.title_lines, sheet.name]:
            period = parse_period(text)
            if period:
                break
    for index in range(table.data_start, len(sheet.rows)):
        row = sheet.rows[index]
        excel_row = sheet.first_row + index
        kind = row_kind(row, text_columns)
        report.rows_read += 1
        if kind in ("blank", "total", "note"):
            report.rows_skipped += 1
            continue
        cell = {f: (row[c] if c < len(row) and not is_blank(row[c]) else None) for f, c in column_of.items()}
        record, problems = _record(cell, table.shape, context_text, period, today)
        if problems:
            errors = [RowError(sheet.name, excel_row, header_of.get(f, f) if f else None, code, text)
                      for f, code, text in problems]
            report.errors.extend(errors)
            report.rows_rejected += 1
            parsed.rejected.append({
                "source_sheet": sheet.name, "source_row": excel_row,
                "raw_values": {table.headers[c] or f"Столбец {c + 1}": clean_text(v) for c, v in enumerate(row)},
                "errors": [{"column": e.column, "code": e.code, "message": e.message} for e in errors],
            })
            continue
        record["source_sheet"], record["source_row"] = sheet.name, excel_row
        parsed.records.append(record)
        report.rows_loaded += 1


def _record(cell: dict, shape: str, context_region: str | None, period, today: date | None):
    """One row's record and its problems [(field, code, message)]."""
    problems: list[tuple[str | None, str, str]] = []
    region_text = clean_text(cell.get("region")) or context_region
    region_code = None
    if region_text is None:
        problems.append(("region", "missing-region", message("missing-region")))
    else:
        region_code = match_region(region_text).region_code
        if region_code is None:
            problems.append(("region", "unknown-region", message("unknown-region", region_text)))
    start = end = None
    if shape == "events":
        start = _date(cell.get("date"), "date", problems, today)
        if start is None and not any(p[0] == "date" for p in problems):
            problems.append(("date", "missing-date", message("missing-date")))
        end = start
    else:
        if cell.get("period") is not None:
            period = parse_period(clean_text(cell["period"])) or period
        if cell.get("date") is not None:
            day = _date(cell["date"], "date", problems, today)
            period = (day, day) if day else period
        if period is None:
            problems.append(("period", "missing-period", message("missing-period")))
        else:
            start, end = period
    counts: dict[str, int | None] = {}
    for name in COUNTS:
        value = parse_count(cell.get(name))
        if isinstance(value, Problem):
            problems.append((name, value.code, message(value.code, value.detail)))
            value = None
        counts[name] = value
    if shape == "events":
        counts["events"] = 1
    elif counts["events"] is None and not any(p[0] == "events" for p in problems):
        problems.append(("events", "missing-events", message("missing-events")))
    total = counts["participants"]
    if total is not None:
        for part in PARTS:
            if counts[part] is not None and counts[part] > total:
                problems.append((part, "part-exceeds-total", message("part-exceeds-total", counts[part], total=total)))
    if problems:
        return None, problems
    record = {
        "region_code": region_code, "region_text": region_text, "period_start": start, "period_end": end,
        "event_type": canonical("event_type", clean_text(cell.get("event_type"))),
        "audience": canonical("audience", clean_text(cell.get("audience"))),
        **counts,
    }
    for name in TEXT_FIELDS:
        record[name] = clean_text(cell.get(name))
    return record, []


def _date(value, name: str, problems: list, today: date | None) -> date | None:
    result = parse_date(value, today)
    if isinstance(result, Problem):
        problems.append((name, result.code, message(result.code, result.detail)))
        return None
    return result


def ingest_bytes(con, data: bytes, file_name: str, *, dry_run: bool = False, loaded_by: str | None = None,
                 replace_batch_id: int | None = None, today: date | None = None) -> Parsed:
    """Parse a file and, unless dry_run, store it in one transaction. `con` may be None for a dry run."""
    from prevention import store

    sha = hashlib.sha256(data).hexdigest()
    if con is not None:
        earlier = store.find_batch_by_sha(con, sha)
        if earlier is not None:
            report = FileReport(file=file_name, sha256=sha, status="duplicate", duplicate_of=earlier, dry_run=dry_run)
            return Parsed(report)
    parsed = parse_bytes(data, file_name, today)
    report = parsed.report
    report.dry_run = dry_run
    if report.status != "loaded" or dry_run or con is None:
        return parsed
    info = store.BatchInfo(file_name=file_name, sha256=sha, size_bytes=len(data), shape=report.shape,
                           rows_read=report.rows_read, rows_loaded=report.rows_loaded,
                           rows_skipped=report.rows_skipped, rows_rejected=report.rows_rejected, loaded_by=loaded_by)
    try:
        report.batch_id = store.store_batch(con, info, parsed.records, parsed.rejected, replace_batch_id)
    except Exception as e:
        log.exception("storing %s failed", file_name)
        return _failed(parsed, f"Не удалось записать файл в базу данных, база не изменена ({type(e).__name__}: {e}).", "store-failed")
    return parsed


def ingest_path(con, path: str | Path, **options) -> Parsed:
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > read.MAX_FILE_BYTES:
            raise read.TooLarge(f"Файл больше {read.MAX_FILE_BYTES // 1024 // 1024} МБ.")
        data = path.read_bytes()
    except LoaderError as e:
        return _failed(Parsed(FileReport(file=path.name)), str(e), e.code)
    except OSError as e:
        return _failed(Parsed(FileReport(file=path.name)), f"Не удалось открыть файл: {e.strerror or e}.", "unreadable")
    return ingest_bytes(con, data, path.name, **options)
