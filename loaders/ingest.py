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
from loaders.gazetteer import RegionMatch, canonical, match_region, region_for_district
from loaders.parse import Problem, clean_text, parse_count, parse_date
from loaders.period import parse_period
from loaders.population import NOTE_BARE_ALMATY, PopulationTable, find_population_table, population_rows
from loaders.report import FileReport, RowError, message
from loaders.table import PARTS, Table, find_table, is_blank, row_kind

log = logging.getLogger(__name__)
TEXT_FIELDS = ("district", "venue", "organizer", "description")
COUNTS = ("events", "participants", "students", "schoolchildren", "parents", "teachers")


@dataclass(frozen=True)
class ParseOptions:
    """An analyst's corrections, applied on top of what the loader recognised.

    column_overrides: flattened header text (as in FileReport.sheets[*]["columns"]) -> field name, or None to ignore
    the column. region_overrides: region text as written -> ISO code, or None to reject rows with that text."""
    column_overrides: dict = field(default_factory=dict)
    region_overrides: dict = field(default_factory=dict)


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

        from prevention.store import RECORD_COLUMNS

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
    population = _PopulationState()
    for sheet in sheets:
        if sheet.hidden:
            continue
        population_table = find_population_table(sheet.name, sheet.rows, sheet.first_row)
        if population_table is not None:
            parsed.tables.append(population_table)
            _parse_population(parsed, sheet, population_table, population)
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
            m = _match(text, options)
            if m.region_code != code:  # decided by the table's context (bare «Алматы» beside «Алматы қаласы»)
                m = RegionMatch(code, 1.0, "rule", NOTE_BARE_ALMATY)
            matches.append({"text": text, "region_code": code, "confidence": m.confidence, "method": m.method,
                            "note": m.note, "rows": int(rows)})
    elif parsed.tables_columns:
        for text, rows in Counter(parsed.columns["region_text"]).items():
            m = _match(text, options)
            matches.append({"text": text, "region_code": m.region_code, "confidence": m.confidence,
                            "method": m.method, "note": m.note, "rows": int(rows)})
    unknown = Counter(e.params.get("value") for e in parsed.report.errors if e.code == "unknown-region")
    for text, rows in unknown.items():
        m = _match(text, options)
        matches.append({"text": text, "region_code": None, "confidence": 0.0, "method": "unknown",
                        "note": m.note or "не найден в справочнике", "rows": int(rows)})
    parsed.report.region_matches = sorted(matches, key=lambda e: (e["confidence"], e["text"] or ""))


@dataclass
class _PopulationState:
    """What earlier sheets of the workbook already gave: the region totals and the sheet with districts."""
    seen: set = field(default_factory=set)
    district_sheet: str | None = None


def _parse_population(parsed: Parsed, sheet: read.Sheet, table: PopulationTable, state: _PopulationState) -> None:
    report = parsed.report
    years = sorted(set(table.year_columns.values()))
    report.sheets.append({"sheet": sheet.name, "header_rows": [table.header_row], "shape": "population",
                          "columns": {str(y): "population" for y in years}, "notes": table.notes})
    for excel_row, kind, payload in population_rows(table, sheet.rows, sheet.first_row):
        report.rows_read += 1
        if kind == "district":
            state.district_sheet = state.district_sheet or sheet.name
            if state.district_sheet != sheet.name:
                kind = "skip"  # the workbook's districts were read from an earlier sheet
        if kind in ("region", "district"):
            fresh = [v for v in payload if (v["region_code"], v["district"], v["year"]) not in state.seen]
            if not fresh:
                kind = "skip"
            else:
                state.seen.update((v["region_code"], v["district"], v["year"]) for v in fresh)
                parsed.population.extend(fresh)
                report.rows_loaded += 1
                continue
        if kind == "rejected":
            errors = [RowError(sheet.name, excel_row, column, code, text, params) for column, code, text, params in payload]
            report.errors.extend(errors)
            report.rows_rejected += 1
            parsed.rejected.append({
                "source_sheet": sheet.name, "source_row": excel_row,
                "raw_values": {f"Столбец {c + 1}": clean_text(v) for c, v in enumerate(sheet.rows[excel_row - sheet.first_row])},
                "errors": [{"column": e.column, "code": e.code, "message": e.message} for e in errors],
            })
            continue
        report.rows_skipped += 1


def _match(text: str | None, options: ParseOptions) -> RegionMatch:
    if text in options.region_overrides:
        code = options.region_overrides[text]
        return RegionMatch(code, 1.0 if code else 0.0, "confirmed" if code else "unknown", "подтверждено аналитиком")
    return match_region(text)


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
    all_columns = _transpose(rows)
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
    check = _Checker(problems)
    out: dict[str, list] = {}

    region_cells = columns.get("region") or [None] * len(data)
    if "district" in columns:  # the 2022 reform: a district can move a record to Abai, Jetisu or Ulytau
        region_cells = list(zip(region_cells, columns["district"]))
    regions = check.values("region", region_cells, _region_of(context_text, options))
    out["region_code"] = [r[0] if r else None for r in regions]
    out["region_text"] = [r[1] if r else None for r in regions]
    if table.shape == "events":
        dates = check.values("date", columns.get("date") or [None] * len(data), lambda v: _date_of(v, today))
        out["period_start"] = out["period_end"] = dates
    else:
        periods = _summary_periods(columns, period, today, check, len(data))
        out["period_start"] = [p[0] if p else None for p in periods]
        out["period_end"] = [p[1] if p else None for p in periods]
    for name in COUNTS:
        if name in columns:
            out[name] = check.values(name, columns[name], _count_of)
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
        out[name] = _mapped(columns.get(name), len(data), lambda v, kind=name: canonical(kind, clean_text(v)))
    for name in TEXT_FIELDS:
        out[name] = _mapped(columns.get(name), len(data), clean_text)
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


def row_kinds(rows: list[list], columns: list[list], text_columns: list[int]) -> list[str]:
    """'blank', 'total', 'note' or 'data' for each row, worked out column by column on distinct values."""
    filled = [len(row) - row.count("") - row.count(None) for row in rows]
    kinds = ["blank" if n == 0 else "data" for n in filled]
    for column in text_columns:
        if column >= len(columns):
            continue
        cells = columns[column]
        totals = {v for v in set(cells) if v.__class__ is str and v and row_kind([v], [0]) == "total"}
        if totals:
            for index, value in enumerate(cells):
                if value in totals and kinds[index] == "data":
                    kinds[index] = "total"
    for index, n in enumerate(filled):
        if n == 1 and kinds[index] == "data" and row_kind(rows[index], []) == "note":
            kinds[index] = "note"
    return kinds


def _transpose(rows: list[list]) -> list[list]:
    if not rows:
        return []
    width = max(len(row) for row in rows)
    if any(len(row) < width for row in rows):
        rows = [row + [None] * (width - len(row)) for row in rows]
    return [list(column) for column in zip(*rows)]


class _Checker:
    """Applies a cached cell parser down a column, filing problems per row."""

    def __init__(self, problems: dict[int, list]):
        self.problems = problems

    def values(self, name: str, cells: list, parse) -> list:
        parsed = {value: parse(None if value == "" else value) for value in set(cells)}
        bad = {value for value, result in parsed.items() if isinstance(result, _Bad)}
        if bad:
            for position, cell in enumerate(cells):
                if cell in bad:
                    bad_value = parsed[cell]
                    self.problems.setdefault(position, []).append((name, bad_value.code, bad_value.text, bad_value.params))
            parsed.update({value: None for value in bad})
        return [parsed[cell] for cell in cells]


@dataclass(frozen=True)
class _Bad:
    code: str
    text: str
    params: dict


def _region_of(context_text: str | None, options: ParseOptions):
    def parse(value):
        value, district = value if isinstance(value, tuple) else (value, None)
        text = clean_text(value) or context_text
        code = _match(text, options).region_code if text else None
        if district is not None and (code or not text):
            code, _ = region_for_district(code, clean_text(district))
            text = text or clean_text(district)
        if text is None:
            return _Bad("missing-region", message("missing-region"), {})
        if code is None:
            return _Bad("unknown-region", message("unknown-region", text), {"value": text})
        return code, text
    return parse


def _date_of(value, today: date | None):
    result = parse_date(value, today)
    if result is None:
        return _Bad("missing-date", message("missing-date"), {})
    if isinstance(result, Problem):
        return _Bad(result.code, message(result.code, result.detail), {"value": result.detail})
    return result


def _count_of(value):
    result = parse_count(value)
    if isinstance(result, Problem):
        return _Bad(result.code, message(result.code, result.detail), {"value": result.detail})
    return result


def _summary_periods(columns: dict, title_period, today: date | None, check: _Checker, n: int) -> list:
    """A summary row's period: its date cell, else its period cell, else the title's or sheet name's period."""
    periods = [title_period] * n
    if "period" in columns:
        periods = [parse_period(clean_text(v)) or p for v, p in zip(columns["period"], periods)]
    if "date" in columns:
        days = check.values("date", columns["date"], lambda v: None if is_blank(v) else _date_of(v, today))
        periods = [(d, d) if d else p for d, p in zip(days, periods)]
    for position, found in enumerate(periods):
        if found is None:
            check.problems.setdefault(position, []).append(("period", "missing-period", message("missing-period"), {}))
    return periods


def _mapped(cells: list | None, n: int, convert) -> list:
    if cells is None:
        return [None] * n
    converted = {value: convert(value) for value in set(cells)}
    return [converted[cell] for cell in cells]


def ingest_bytes(con, data: bytes, file_name: str, *, dry_run: bool = False, loaded_by: str | None = None,
                 replace_batch_id: int | None = None, today: date | None = None,
                 options: ParseOptions | None = None) -> Parsed:
    """Parse a file and, unless dry_run, store it in one transaction. `con` may be None for a dry run."""
    from prevention import store

    sha = hashlib.sha256(data).hexdigest()
    if con is not None:
        earlier = store.find_batch_by_sha(con, sha)
        if earlier is not None:
            report = FileReport(file=file_name, sha256=sha, status="duplicate", duplicate_of=earlier, dry_run=dry_run)
            return Parsed(report)
    parsed = parse_bytes(data, file_name, today, options)
    report = parsed.report
    report.dry_run = dry_run
    if report.status != "loaded" or dry_run or con is None:
        return parsed
    info = store.BatchInfo(file_name=file_name, sha256=sha, size_bytes=len(data), shape=report.shape,
                           rows_read=report.rows_read, rows_loaded=report.rows_loaded,
                           rows_skipped=report.rows_skipped, rows_rejected=report.rows_rejected, loaded_by=loaded_by)
    try:
        report.batch_id = store.store_batch(con, info, parsed.columns, parsed.rejected, replace_batch_id,
                                            population=parsed.population)
    except store.DuplicateBatch:  # another session stored the same bytes a moment ago
        return Parsed(FileReport(file=file_name, sha256=sha, status="duplicate",
                                 duplicate_of=store.find_batch_by_sha(con, sha), dry_run=dry_run))
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
