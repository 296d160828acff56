"""Bytes in, an ingestion report and clean activity records out; storing is one transaction per file."""
from __future__ import annotations

import hashlib
from collections import Counter
import logging
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from loaders import read
from loaders.errors import EmptyFile, LoaderError, NoColumnsRecognised
from loaders.gazetteer import RegionMatch, canonical, match_region
from loaders.parse import clean_text
from loaders.period import parse_period
from loaders.checks import (Checker, ParseOptions, count_parser, date_parser, mapped, match_with_options, region_parser,
                            row_kinds, summary_periods, transpose)
from loaders.population import NOTE_BARE_ALMATY, PopulationState, find_population_table, parse_population
from loaders.report import FileReport, RowError, message
from loaders.table import PARTS, Table, find_table

log = logging.getLogger(__name__)
TEXT_FIELDS = ("district", "venue", "organizer", "description")
COUNTS = ("events", "participants", "students", "schoolchildren", "parents", "teachers")


@dataclass
class Parsed:
    """A file read and checked, not yet stored."""
    report: FileReport
    tables_columns: list[dict[str, list]] = field(default_factory=list)  # clean records, column lists per table
    population: list[dict] = field(default_factory=list)      # reference rows: region_code, district, year, population
    rejected: list[dict] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)

    @property
    def records(self):
        """Clean records as a pandas DataFrame with the columns of prevention.store.RECORD_COLUMNS."""
        import pandas as pd

        from prevention.storage.batches import RECORD_COLUMNS

        return pd.DataFrame(self.columns).reindex(columns=RECORD_COLUMNS)

    @property
    def columns(self) -> dict[str, list]:
        """Clean records as column lists (cheap: what the store inserts without pandas)."""
        if len(self.tables_columns) == 1:
            return self.tables_columns[0]
        merged: dict[str, list] = {}
        for columns in self.tables_columns:
            for name, values in columns.items():
                merged.setdefault(name, []).extend(values)
        return merged


def parse_bytes(data: bytes, file_name: str, today: date | None = None, options: ParseOptions | None = None) -> Parsed:
    """Read a file into records and a report. Broken files end with status 'failed', never an exception."""
    report = FileReport(file=file_name, sha256=hashlib.sha256(data).hexdigest())
    parsed = Parsed(report)
    try:
        kind = read.sniff(data)
        sheets = read.read_sheets(data, kind)
        _parse_sheets(parsed, sheets, today, options or ParseOptions())
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
    parsed.tables_columns, parsed.rejected, parsed.population = [], [], []
    return parsed


def _parse_sheets(parsed: Parsed, sheets: list[read.Sheet], today: date | None, options: ParseOptions) -> None:
    found_headers: list[str] = []
    population = PopulationState()
    for sheet in sheets:
        if sheet.hidden:
            continue
        population_table = find_population_table(sheet.name, sheet.rows, sheet.first_row)
        if population_table is not None:
            parsed.tables.append(population_table)
            parse_population(parsed, sheet, population_table, population)
            continue
        table = find_table(sheet.name, sheet.rows, sheet.merges, sheet.first_row, options.column_overrides)
        if table is None:
            found_headers.extend(_visible_text(sheet.rows[:10]))
            continue
        parsed.tables.append(table)
        _parse_table(parsed, sheet, table, today, options)
    if not parsed.tables:
        sample = ", ".join(f"«{h}»" for h in found_headers[:12]) or "ничего"
        raise NoColumnsRecognised(
            f"Не распознаны столбцы отчёта о профилактических мероприятиях (нужны, например, «Дата», «Регион», "
            f"«Охват»). Найдено: {sample}."
        )
    shapes = {getattr(t, "shape", "population") for t in parsed.tables}
    if "population" in shapes and len(shapes) > 1:
        raise LoaderError("В одной книге и отчёт о мероприятиях, и численность населения: загрузите их отдельными файлами.")
    parsed.report.shape = shapes.pop() if len(shapes) == 1 else "events"
    if parsed.report.rows_read == 0:
        raise EmptyFile("Заголовок таблицы найден, но строк с данными под ним нет.")
    matches = []
    if parsed.population:
        pairs = Counter((v["region_text"], v["region_code"]) for v in parsed.population if v["district"] is None)
        for (text, code), rows in pairs.items():
            m = match_with_options(text, options)
            if m.region_code != code:  # decided by the table's context (bare «Алматы» beside «Алматы қаласы»)
                m = RegionMatch(code, 1.0, "rule", NOTE_BARE_ALMATY)
            matches.append({"text": text, "region_code": code, "confidence": m.confidence, "method": m.method,
                            "note": m.note, "rows": int(rows)})
    elif parsed.tables_columns:
        for text, rows in Counter(parsed.columns["region_text"]).items():
            m = match_with_options(text, options)
            matches.append({"text": text, "region_code": m.region_code, "confidence": m.confidence,
                            "method": m.method, "note": m.note, "rows": int(rows)})
    unknown = Counter(e.params.get("value") for e in parsed.report.errors if e.code == "unknown-region")
    for text, rows in unknown.items():
        m = match_with_options(text, options)
        matches.append({"text": text, "region_code": None, "confidence": 0.0, "method": "unknown",
                        "note": m.note or "не найден в справочнике", "rows": int(rows)})
    parsed.report.region_matches = sorted(matches, key=lambda e: (e["confidence"], e["text"] or ""))


def _visible_text(rows: list[list]) -> list[str]:
    return [" ".join(str(v).split()) for row in rows for v in row if isinstance(v, str) and v.strip()]


def _context_region(sheet: read.Sheet, table: Table):
    """Region named by the sheet or a title row, for sheets without a region column."""
    for text in [sheet.name, *table.title_lines]:
        m = match_region(text)
        if m.region_code and m.confidence >= 0.9:
            return text, m
    return None, None


def _parse_table(parsed: Parsed, sheet: read.Sheet, table: Table, today: date | None, options: ParseOptions) -> None:
    """Check a table column by column (each distinct cell value parsed once), then assemble records."""
    report = parsed.report
    column_of = {f: c for c, f in table.mapping.items()}
    header_of = {f: table.headers[c] for c, f in table.mapping.items()}
    report.sheets.append({"sheet": sheet.name, "header_rows": table.header_rows, "shape": table.shape,
                          "columns": {table.headers[c]: f for c, f in sorted(table.mapping.items())}})
    text_columns = sorted({0, 1, 2} | {column_of[f] for f in ("region", "district", "date", "description", "venue") if f in column_of})
    context_text = None if "region" in column_of else _context_region(sheet, table)[0]
    period = None
    if table.shape == "summary":
        for text in [*table.title_lines, sheet.name]:
            period = parse_period(text)
            if period:
                break

    rows = sheet.rows[table.data_start:]
    all_columns = transpose(rows)
    kinds = row_kinds(rows, all_columns, text_columns)
    data = [i for i, kind in enumerate(kinds) if kind == "data"]
    report.rows_read += len(rows)
    report.rows_skipped += len(rows) - len(data)
    if not data:
        return
    every_row = len(data) == len(rows)
    columns = {f: (all_columns[c] if every_row else [all_columns[c][i] for i in data]) if c < len(all_columns)
               else [None] * len(data) for f, c in column_of.items()}
    problems: dict[int, list[tuple[str, str, str]]] = {}
    check = Checker(problems)
    out: dict[str, list] = {}

    region_cells = columns.get("region") or [None] * len(data)
    if "district" in columns:  # the 2022 reform: a district can move a record to Abai, Jetisu or Ulytau
        region_cells = list(zip(region_cells, columns["district"]))
    regions = check.values("region", region_cells, region_parser(context_text, options))
    out["region_code"] = [r[0] if r else None for r in regions]
    out["region_text"] = [r[1] if r else None for r in regions]
    if table.shape == "events":
        dates = check.values("date", columns.get("date") or [None] * len(data), lambda v: date_parser(v, today))
        out["period_start"] = out["period_end"] = dates
    else:
        periods = summary_periods(columns, period, today, check, len(data))
        out["period_start"] = [p[0] if p else None for p in periods]
        out["period_end"] = [p[1] if p else None for p in periods]
    for name in COUNTS:
        if name in columns:
            out[name] = check.values(name, columns[name], count_parser)
        else:
            out[name] = [None] * len(data)
    if table.shape == "events":
        out["events"] = [1] * len(data)
    else:
        for position, value in enumerate(out["events"]):
            if value is None and not any(p[0] == "events" for p in problems.get(position, ())):
                problems.setdefault(position, []).append(("events", "missing-events", message("missing-events"), {}))
    for part in PARTS:
        if part in columns and "participants" in columns:
            for position, (value, total) in enumerate(zip(out[part], out["participants"])):
                if value is not None and total is not None and value > total:
                    problems.setdefault(position, []).append(
                        (part, "part-exceeds-total", message("part-exceeds-total", value, total=total),
                         {"value": value, "total": total}))
    for name in ("event_type", "audience"):
        out[name] = mapped(columns.get(name), len(data), lambda v, kind=name: canonical(kind, clean_text(v)))
    for name in TEXT_FIELDS:
        out[name] = mapped(columns.get(name), len(data), clean_text)
    out["source_sheet"] = [sheet.name] * len(data)
    out["source_row"] = [sheet.first_row + table.data_start + i for i in data]

    for position in sorted(problems):
        excel_row = out["source_row"][position]
        errors = [RowError(sheet.name, excel_row, header_of.get(f, f) if f else None, code, text, params)
                  for f, code, text, params in problems[position]]
        report.errors.extend(errors)
        row = rows[data[position]]
        parsed.rejected.append({
            "source_sheet": sheet.name, "source_row": excel_row,
            "raw_values": {table.headers[c] or f"Столбец {c + 1}": clean_text(v) for c, v in enumerate(row)},
            "errors": [{"column": e.column, "code": e.code, "message": e.message} for e in errors],
        })
    report.rows_rejected += len(problems)
    keep = [i for i in range(len(data)) if i not in problems]
    report.rows_loaded += len(keep)
    if keep:
        parsed.tables_columns.append(({k: v if len(keep) == len(data) else [v[i] for i in keep]
                                           for k, v in out.items()}))


def ingest_bytes(con, data: bytes, file_name: str, *, dry_run: bool = False, loaded_by: str | None = None,
                 replace_batch_id: int | None = None, today: date | None = None,
                 options: ParseOptions | None = None) -> Parsed:
    """Parse a file and, unless dry_run, store it in one transaction. `con` may be None for a dry run."""
    from prevention.storage import batches

    sha = hashlib.sha256(data).hexdigest()
    if con is not None:
        earlier = batches.find_batch_by_sha(con, sha)
        if earlier is not None:
            report = FileReport(file=file_name, sha256=sha, status="duplicate", duplicate_of=earlier, dry_run=dry_run)
            return Parsed(report)
    parsed = parse_bytes(data, file_name, today, options)
    report = parsed.report
    report.dry_run = dry_run
    if report.status != "loaded" or dry_run or con is None:
        return parsed
    info = batches.BatchInfo(file_name=file_name, sha256=sha, size_bytes=len(data), shape=report.shape,
                           rows_read=report.rows_read, rows_loaded=report.rows_loaded,
                           rows_skipped=report.rows_skipped, rows_rejected=report.rows_rejected, loaded_by=loaded_by)
    try:
        report.batch_id = batches.store_batch(con, info, parsed.columns, parsed.rejected, replace_batch_id,
                                            population=parsed.population)
    except batches.DuplicateBatch:  # another session stored the same bytes a moment ago
        return Parsed(FileReport(file=file_name, sha256=sha, status="duplicate",
                                 duplicate_of=batches.find_batch_by_sha(con, sha), dry_run=dry_run))
    except duckdb_conflict() as e:
        log.warning("concurrent load of %s: %s", file_name, e)
        return _failed(parsed, "Одновременно шла другая загрузка; база не изменена. Повторите загрузку.", "busy")
    except Exception as e:
        log.exception("storing %s failed", file_name)
        return _failed(parsed, f"Не удалось записать файл в базу данных, база не изменена ({type(e).__name__}: {e}).", "store-failed")
    return parsed


def duckdb_conflict() -> type[Exception]:
    import duckdb

    return duckdb.TransactionException


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
