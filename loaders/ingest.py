"""Bytes in, clean records and a report out: read the book, find each sheet's table, recognise its columns, pass
the gate, read the rows. Nothing is stored here (that is the load use case's job, prevention.usecases.load)."""
from __future__ import annotations

import hashlib
import logging
import os
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from loaders import read
from loaders.gate import enforcement_words, missing_sources, statistical_form
from loaders.headers import find_header
from loaders.options import ParseOptions
from loaders.period import parse_period
from loaders.population import PopulationState, find_population_table, parse_population
from loaders.problems import LoaderError, Problem, reasons
from loaders.recognise import Layout, recognise, table_year
from loaders.records import MAX_REJECTIONS, RECORD_FIELDS, Context, read_table
from loaders.regions import find_region, match_region
from loaders.report import FileReport
from loaders.rows import fill_merged
from loaders.stacked import split_stacked

log = logging.getLogger(__name__)
STRICT_ENV = "PREVENTION_STRICT"


@dataclass
class TableInfo:
    """One table as the reader understood it (the page shows it; the rejected-rows workbook repeats its titles)."""
    sheet: str
    header_rows: list[int]
    headers: list[str]
    mapping: dict[int, str]
    shape: str
    title_lines: list[str] = field(default_factory=list)
    groups: list[dict] = field(default_factory=list)

    @property
    def fields(self) -> set[str]:
        return set(self.mapping.values()) | {"events" for g in self.groups if g.get("period_start")}


@dataclass
class Parsed:
    """A file read and checked, not yet stored."""
    report: FileReport
    tables_columns: list[dict[str, list]] = field(default_factory=list)
    population: list[dict] = field(default_factory=list)
    rejected: list[dict] = field(default_factory=list)
    tables: list = field(default_factory=list)

    @property
    def columns(self) -> dict[str, list]:
        """Clean records as column lists with RECORD_FIELDS."""
        merged: dict[str, list] = {name: [] for name in RECORD_FIELDS}
        for columns in self.tables_columns:
            for name in RECORD_FIELDS:
                merged[name].extend(columns.get(name, []))
        return merged


def hashed_report(data: bytes, file_name: str) -> FileReport:
    return FileReport(file=file_name, sha256=hashlib.sha256(data).hexdigest())


def parse_bytes(data: bytes, file_name: str, today: date | None = None, options: ParseOptions | None = None,
                deep_checks: bool = True) -> Parsed:
    """Read a file into records and a report. A file that cannot be read ends 'failed', never with an exception
    (except under PREVENTION_STRICT, where an internal error is raised so a bug never passes as a broken file)."""
    parsed = Parsed(hashed_report(data, file_name))
    try:
        book = read.read_book(data, read.inspect(data, deep=deep_checks))
        _parse_book(parsed, book, today, options or ParseOptions())
    except LoaderError as e:
        return _failed(parsed, e.problem)
    except MemoryError:
        return _failed(parsed, Problem("parse-out-of-memory", {"limit": 0}))
    except Exception:
        if os.environ.get(STRICT_ENV):
            raise
        log.exception("internal error reading %s", file_name)
        return _failed(parsed, Problem("internal-error"))
    parsed.report.status = "loaded"
    return parsed


def _failed(parsed: Parsed, problem: Problem) -> Parsed:
    parsed.report.fail(problem)
    parsed.tables_columns, parsed.rejected, parsed.population = [], [], []
    return parsed


@dataclass
class _Candidate:
    sheet: read.Sheet
    block: object
    layout: Layout
    context: Context


@dataclass
class _Evidence:
    """What the sheets that are no report showed, for the refusal's message."""
    found: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    form: str | None = None
    enforcement: list[str] = field(default_factory=list)


def _parse_book(parsed: Parsed, book: read.Book, today: date | None, options: ParseOptions) -> None:
    report = parsed.report
    population = PopulationState()
    candidates: list[_Candidate] = []
    evidence = _Evidence()
    for sheet in book.sheets:
        if sheet.hidden:
            continue
        population_table = find_population_table(sheet.name, sheet.rows, sheet.first_row)
        if population_table is not None:
            parsed.tables.append(population_table)
            parse_population(parsed, sheet, population_table, population)
            continue
        stat = statistical_form(sheet.rows)
        if stat is not None:
            evidence.form = stat if evidence.form is None else evidence.form
            continue
        block = find_header(sheet.rows, sheet.merges)
        if block is None:
            evidence.found.extend(_visible_text(sheet.rows[:10]))
            continue
        for part, part_block in split_stacked(sheet, block):  # tables stacked on the sheet, each with its titles
            candidate = _candidate(part, part_block, evidence, report, today, options)
            if candidate is not None:
                candidates.append(candidate)
    if candidates and parsed.population:
        raise LoaderError("mixed-population-and-activity")
    if parsed.population:  # the other sheets of a statistics workbook (settlements, notes) are no reports either
        report.warnings = [w for w in report.warnings if w.code != "sheet-not-a-report"]
    if not candidates and not parsed.tables:
        _refuse(evidence.form, evidence.missing, evidence.found, evidence.enforcement)
    if candidates:
        _read_candidates(parsed, candidates)
    _finish(parsed)


def _candidate(sheet: read.Sheet, block, evidence: _Evidence, report: FileReport, today: date | None,
               options: ParseOptions) -> _Candidate | None:
    """The table under `block` when it is a prevention report; else None, with what it showed kept as evidence."""
    headings = [*block.titles, *(block.header(c) for c in range(block.width))]
    offences = enforcement_words(headings)
    if offences:
        evidence.enforcement = evidence.enforcement or offences
        return None
    fill_merged(sheet.rows, sheet.merges, block.data_start)
    layout = recognise(sheet.rows, block, sheet.name, options.column_overrides)
    context = _context(sheet, block, layout, today, options)
    lacking = missing_sources(layout, context.region is not None, context.period is not None)
    if lacking:
        evidence.missing = evidence.missing or lacking
        evidence.found.extend(h for h in (block.header(c) for c in range(block.width)) if h)
        report.warnings.append(Problem("sheet-not-a-report", {"sheet": sheet.name, "missing": lacking}))
        return None
    return _Candidate(sheet, block, layout, context)


def _refuse(form: str | None, missing: list[str], found: list[str], enforcement: list[str]) -> None:
    if form is not None:
        raise LoaderError("statistical-form", form=form or "без номера")
    if enforcement:
        raise LoaderError("enforcement-statistics", found=list(dict.fromkeys(t[:60] for t in enforcement))[:5])
    sample = list(dict.fromkeys(f[:60] for f in found if "<" not in f and ">" not in f))[:10]
    if missing:
        raise LoaderError("not-a-report", missing=missing, found=sample)
    raise LoaderError("no-header", found=sample)


def _visible_text(rows: list[list]) -> list[str]:
    return [" ".join(str(v).split()) for row in rows for v in row if isinstance(v, str) and v.strip()]


def _context(sheet: read.Sheet, block, layout: Layout, today: date | None, options: ParseOptions) -> Context:
    context = Context(today=today, options=options, year=table_year(block, sheet.name))
    for text in [*block.titles, sheet.name]:
        context.period = parse_period(text)
        if context.period:
            break
    if "region" in layout.mapping.values():
        return context
    for source, texts in (("title", block.titles), ("sheet", [sheet.name])):
        for text in texts:
            match = find_region(text) or (match_region(text) if source == "sheet" else None)
            if match and match.region_code and match.method in ("exact", "short-form", "rule", "confirmed"):
                context.region = (match.region_code, text)
                if source == "title":
                    layout.warnings.append(Problem("region-from-title", {"region": match.region_code,
                                                                         "source": source, "text": text[:120]},
                                                   sheet=sheet.name))
                return context
    return context


def _read_candidates(parsed: Parsed, candidates: list[_Candidate]) -> None:
    report = parsed.report
    own = [c for c in candidates if not c.sheet.derived]
    regions: Counter = Counter()
    for candidate in candidates:
        sheet, block, layout = candidate.sheet, candidate.block, candidate.layout
        if sheet.derived and own:
            report.warnings.append(Problem("derived-sheet-skipped", {"sheet": sheet.name}, sheet=sheet.name))
            continue
        result = read_table(sheet, block, layout, candidate.context)
        shape = "summary" if "date" not in layout.fields else "events"
        info = TableInfo(sheet.name, [sheet.first_row + i for i in block.rows], [block.header(c) for c in
                         range(block.width)], dict(layout.mapping), shape, list(block.titles),
                         [{"label": g.label, "period_start": g.period.start if g.period else None,
                           "period_end": g.period.end if g.period else None, "columns": g.columns}
                          for g in layout.groups])
        parsed.tables.append(info)
        report.sheets.append(_sheet_entry(info, block, layout))
        report.warnings.extend(layout.warnings)
        report.warnings.extend(result.warnings)
        for name in ("rows_read", "rows_loaded", "rows_skipped", "rows_rejected"):
            setattr(report, name, getattr(report, name) + getattr(result, name))
        report.records_loaded += result.records
        report.errors.extend(result.errors)
        parsed.rejected.extend(result.rejected)
        if result.records:
            parsed.tables_columns.append(result.columns)
        regions.update(result.region_texts)
        if report.rows_rejected > MAX_REJECTIONS:
            raise LoaderError("too-many-rejections", count=MAX_REJECTIONS, reasons=reasons(report.errors))
    report.region_matches = _region_matches(regions, report.errors, candidates[0].context.options)
    report.warnings.extend(_region_warnings(report.region_matches))
    tables = [t for t in parsed.tables if isinstance(t, TableInfo)]
    shapes = {t.shape for t in tables}
    report.shape = "summary" if shapes == {"summary"} else "events"
    if shapes == {"summary", "events"}:  # a «Свод» of values beside the log it sums would count twice: say so
        report.warnings.append(Problem("mixed-shapes", {
            "events": ", ".join(t.sheet for t in tables if t.shape == "events"),
            "summary": ", ".join(t.sheet for t in tables if t.shape == "summary")}))


def _sheet_entry(info: TableInfo, block, layout: Layout) -> dict:
    return {"sheet": info.sheet, "header_rows": info.header_rows, "shape": info.shape,
            "columns": {info.headers[c]: f for c, f in sorted(info.mapping.items()) if info.headers[c]},
            "choices": [{"column": ch.column, "header": ch.header, "field": ch.field, "confidence": ch.confidence,
                         "evidence": ch.evidence, "group": ch.group} for ch in layout.choices],
            "groups": [{"label": g["label"], "period_start": str(g["period_start"]) if g["period_start"] else None,
                        "period_end": str(g["period_end"]) if g["period_end"] else None} for g in info.groups],
            "titles": info.title_lines}


def _region_matches(texts: Counter, errors: list[Problem], options: ParseOptions) -> list[dict]:
    from loaders.checks import match_with_options
    from loaders.spelling import spelled_as_known

    matches = []
    for (text, code), rows in texts.items():
        m = match_with_options(text, options)
        if code is not None and m.region_code != code:
            # the rows' region came from the section heading above them, or from their district («г. Тараз»
            # under «Жамбылская область»; a district the 2022 reform moved): the text alone does not say it
            matches.append({"text": text, "region_code": code, "confidence": 1.0, "method": "placed", "note": "",
                            "rows": int(rows)})
            continue
        note = m.note
        if m.method in ("exact", "short-form") and not note and not spelled_as_known(text):
            note = "spelling"  # found once folded («Жамбылськая»): right region, but not written as its name
        matches.append({"text": text, "region_code": m.region_code, "confidence": m.confidence, "method": m.method,
                        "note": note, "rows": int(rows)})
    unknown = Counter(p.params.get("value") for p in errors if p.code == "unknown-region")
    for text, rows in unknown.items():
        matches.append({"text": text, "region_code": None, "confidence": 0.0, "method": "unknown",
                        "note": "not-found", "rows": int(rows)})
    return sorted(matches, key=lambda e: (e["confidence"], e["text"] or ""))


def _region_warnings(matches: list[dict]) -> list[Problem]:
    warnings = []
    for m in matches:
        if m["method"] == "fuzzy":
            warnings.append(Problem("fuzzy-region", {"value": m["text"], "region": m["region_code"],
                                                     "confidence": m["confidence"]}))
        elif m["note"] == "spelling":
            warnings.append(Problem("spelling-region", {"value": m["text"], "region": m["region_code"]}))
        elif m["note"] == "bare-almaty":
            warnings.append(Problem("bare-almaty", {"value": m["text"], "region": m["region_code"]}))
    return warnings


def _population_matches(parsed: Parsed) -> list[dict]:
    from loaders.population import NOTE_BARE_ALMATY

    rows = Counter((v["region_text"], v["region_code"]) for v in parsed.population if v["district"] is None)
    matches = []
    for (text, code), count in rows.items():
        m = match_region(text)
        if m.region_code != code:  # decided by the table itself (a bare «Алматы» beside «Алматы қаласы»)
            m = type(m)(code, 1.0, "rule", NOTE_BARE_ALMATY)
        matches.append({"text": text, "region_code": code, "confidence": m.confidence, "method": m.method,
                        "note": m.note, "rows": int(count)})
    return sorted(matches, key=lambda e: (e["confidence"], e["text"] or ""))


def _finish(parsed: Parsed) -> None:
    report = parsed.report
    if parsed.population:
        report.region_matches = _population_matches(parsed)
    unique = {(w.code, repr(sorted(w.params.items())), w.column): w for w in report.warnings}
    report.warnings = list(unique.values())
    if report.rows_loaded or parsed.population:
        return
    if report.rows_rejected:
        raise LoaderError("no-rows-loaded", count=report.rows_rejected, reasons=reasons(report.errors))
    raise LoaderError("no-data-rows")
