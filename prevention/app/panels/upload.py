"""The upload page's parts. Each file is read once into bytes and checked without writing: its shape, sheets and
header rows, the column mapping (editable, remembered for files with the same headers), how region names were
matched (uncertain ones confirmed by the analyst), and a dry-run report. One button then stores every file with
a progress bar; the uploads are dropped afterwards.

Parsing results live in the session only as small summaries keyed by the file's sha256 and the corrections, so
a rerun (a click anywhere) does not parse again and a committed file leaves nothing large behind.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date

import pandas as pd
import streamlit as st

import loaders
from loaders.problems import Problem
from prevention.app.components import fmt, tables
from prevention.app.components.safe import inert, inert_problem
from prevention.app.panels.upload_editors import mapping_editor, region_editor
from prevention.app.panels.upload_replace import replace_choice
from prevention.app.session import workspace
from prevention.app.session.i18n import lang, tr
from prevention.app.session.uploads import drop_uploads
from prevention.output import rejected
from prevention.storage import batches, mappings, originals
from prevention.texts import problem_message as problem_text
from prevention.usecases.load import Replacement, headers_of
from prevention.usecases.load import parse as parse_file

NONCE = "upload_nonce"      # the uploader's key changes after a commit, which drops the uploaded files
CACHE = "_upload_cache"     # sha256 -> _FileCache
SAMPLE_COLUMNS = ["source_sheet", "source_row", "region_code", "district", "period_start", "period_end", "events",
                  "participants", "students", "event_type", "audience", "venue", "organizer"]
ERROR_LIMIT = 1000
WARNING_LIMIT = 12
BIG_FILE = 2 * 1024 * 1024


# ---------------------------------------------------------------- parsing, cached per session

@dataclass
class Base:
    """What the loader recognises on its own, without corrections, and why."""
    headers: list[str]
    signature: str
    sheets: dict[str, str]        # non-empty header -> the sheet(s) it is on
    auto: dict[str, str | None]   # non-empty header -> the field the loader chose, or None
    confidence: dict[str, float] = field(default_factory=dict)  # header -> how sure the reader was (0–1)
    evidence: dict[str, dict] = field(default_factory=dict)     # header -> {"header": score, "values": score}
    group: dict[str, str | None] = field(default_factory=dict)  # header -> its column group's heading («Январь»)


@dataclass
class Summary:
    """A dry run with given corrections: everything the page shows, nothing as large as the records."""
    report: loaders.FileReport
    rejected: list[dict]
    titles: dict[str, list[str]]
    sample: pd.DataFrame
    regions: list[str]
    first_day: date | None
    last_day: date | None
    headers: list[str]
    unknown_regions: dict[str, int]  # region text -> rows, for texts found only in rejected rows


@dataclass
class _FileCache:
    base: Base | None = None
    summaries: dict[str, Summary] = field(default_factory=dict)
    parsed: tuple[str, object] | None = None  # the last parse (its key, the Parsed), handed to the commit


def _key(overrides: dict) -> str:
    return json.dumps(overrides, ensure_ascii=False, sort_keys=True)


def _records(parsed) -> pd.DataFrame:
    """The clean records as a frame with at least SAMPLE_COLUMNS (the reader gives column lists)."""
    return pd.DataFrame(parsed.columns).reindex(columns=list(dict.fromkeys([*parsed.columns, *SAMPLE_COLUMNS])))


def _unknown_regions(parsed) -> dict[str, int]:
    """Region texts found only in rejected rows («unknown-region»), with how many rows have each."""
    region_column = {}
    for table in parsed.tables:
        for index, name in table.mapping.items():
            if name == "region":
                region_column[table.sheet] = table.headers[index] or f"Столбец {index + 1}"  # the loader's name
    unknown: dict[str, int] = {}
    for row in parsed.rejected:
        for problem in row["problems"]:
            if problem["code"] == "unknown-region":
                text = row["raw_values"].get(problem["column"] or region_column.get(row["sheet"], ""))
                if text:
                    unknown[text] = unknown.get(text, 0) + 1
    return unknown


def _summarise(parsed) -> Summary:
    records = _records(parsed)
    return Summary(
        report=parsed.report, rejected=parsed.rejected,
        titles=rejected.needed_titles(parsed.tables),
        sample=records.head(10)[SAMPLE_COLUMNS].copy(),
        regions=sorted(records["region_code"].dropna().unique().tolist()),
        first_day=records["period_start"].min() if len(records) else None,
        last_day=records["period_end"].max() if len(records) else None,
        headers=headers_of(parsed),
        unknown_regions=_unknown_regions(parsed),
    )


def _base(parsed) -> Base:
    headers = headers_of(parsed)
    sheets: dict[str, list[str]] = {}
    auto: dict[str, str | None] = {}
    chosen = {(s["sheet"], c["column"]): c for s in parsed.report.sheets for c in s.get("choices", [])}
    confidence, evidence, group = {}, {}, {}
    for table in parsed.tables:
        for index, header in enumerate(table.headers):
            if not header:
                continue
            sheets.setdefault(header, []).append(table.sheet)
            choice = chosen.get((table.sheet, index), {})
            auto.setdefault(header, choice.get("field", table.mapping.get(index)) if choice.get("field") != "number"
                            else None)
            confidence.setdefault(header, choice.get("confidence", 1.0 if table.mapping.get(index) else 0.0))
            evidence.setdefault(header, choice.get("evidence") or {})
            group.setdefault(header, choice.get("group"))
    return Base(headers, mappings.header_signature(headers),
                {h: ", ".join(dict.fromkeys(s)) for h, s in sheets.items()}, auto, confidence, evidence, group)


def _cache(sha: str) -> _FileCache:
    return st.session_state.setdefault(CACHE, {}).setdefault(sha, _FileCache())


def _summary(sha: str, data: bytes, name: str, columns: dict, regions: dict) -> Summary:
    """The dry run for these corrections, parsed once per session (the last four kept per file)."""
    cache = _cache(sha)
    key = _key({"columns": columns, "regions": regions})
    if key not in cache.summaries:
        with st.spinner(tr("upload.checking", name=inert(name))):
            parsed = parse_file(data, name, options=loaders.ParseOptions(dict(columns), dict(regions)))
        if cache.base is None and not columns and not regions and parsed.report.status != "failed":
            cache.base = _base(parsed)
        cache.summaries[key] = _summarise(parsed)
        cache.parsed = (key, parsed)  # the commit stores this parse instead of reading the file again
        del parsed
        if len(data) > BIG_FILE:
            workspace.release_memory()  # the parsed sheet was large: hand its memory back now
        while len(cache.summaries) > 4:
            cache.summaries.pop(next(iter(cache.summaries)))
    cache.summaries[key] = cache.summaries.pop(key)  # most recently used last
    return cache.summaries[key]


def _sha(uploaded, data: bytes) -> str:
    shas = st.session_state.setdefault("_upload_sha", {})
    if uploaded.file_id not in shas:
        shas[uploaded.file_id] = hashlib.sha256(data).hexdigest()
    return shas[uploaded.file_id]


def parsed_for(plan: Plan):
    """The preview's parse of exactly this plan's bytes and corrections, or None (the commit then parses)."""
    held = _cache(plan.sha).parsed
    return held[1] if held and held[0] == plan.key else None


def forget_files(file_ids: list[str]) -> None:
    """Drop the uploads and every parse after a commit: the uploader gets a new key (an empty list) and the
    files leave Streamlit's upload store at once instead of when the session ends."""
    st.session_state[NONCE] = st.session_state.get(NONCE, 0) + 1
    for key in (CACHE, "_upload_sha"):
        st.session_state.pop(key, None)
    drop_uploads(file_ids)


# ---------------------------------------------------------------- the plan for one file

@dataclass
class Plan:
    """What the commit button will do with one file."""
    file_id: str
    name: str
    sha: str
    options: loaders.ParseOptions
    key: str  # the corrections as the parse cache names them
    replace: Replacement | None  # the batch this file replaces, as confirmed (None: a new batch)
    ready: bool  # every uncertain region confirmed, a chosen replacement confirmed
    signature: str | None
    headers: list[str]
    remember: dict | None  # column corrections to remember (None: leave memory as it is)
    titles: dict[str, list[str]]
    rows_loaded: int


def uploader() -> list:
    return st.file_uploader(
        tr("upload.files"), type=list(originals.UPLOAD_EXTENSIONS), accept_multiple_files=True,
        key=f"uploader_{st.session_state.get(NONCE, 0)}", help=tr("upload.files_help"),
    ) or []


def size_text(size: int) -> str:
    if size >= 1024 * 1024:
        return tr("upload.size_mb", size=fmt.number(size / 1024 / 1024, 1))
    return tr("upload.size_kb", size=fmt.number(max(size / 1024, 0.1), 1))


def shape_label(shape: str | None) -> str:
    """«журнал мероприятий» / «сводка» (rejected.SHAPE_LABELS_RU) / «численность населения (БНС)» in the interface
    language."""
    known = shape in rejected.SHAPE_LABELS_RU or shape == "population"
    return tr(f"upload.shape.{shape}") if known else tr("upload.shape.unknown")


def duplicate_text(earlier: dict) -> str:
    user = earlier.get("loaded_by")
    who = tr("upload.duplicate.by", user=inert(user)) if user else tr("upload.duplicate.by_nobody")
    text = tr("upload.duplicate", when=fmt.date_time(earlier.get("loaded_at")), who=who,
              batch=earlier.get("batch_id"), file=inert(earlier.get("file_name")))
    if earlier.get("replaced_by"):
        text += " " + tr("upload.duplicate.replaced", batch=earlier["replaced_by"])
    return text


def failure_text(failure: Problem | None) -> str:
    """Why a whole file was not read or stored, in the interface language, as markdown: its parameters (headers
    found, names) inert. No server path: problems carry none."""
    return problem_text(inert_problem(failure), lang()) if failure is not None else ""


def _rows_range(rows: list[int]) -> str:
    if not rows:
        return "—"
    return str(rows[0]) if len(rows) == 1 else f"{rows[0]}–{rows[-1]}"


def file_preview(uploaded, con, seen: set[str]) -> Plan | None:
    """Draw one file's check; return its plan, or None when there is nothing to store (duplicate, failed).
    `seen` holds the sha256 of the files above it: the same bytes chosen twice are checked once."""
    data = uploaded.getvalue()
    sha = _sha(uploaded, data)
    tag, name = sha[:16], uploaded.name
    if sha in seen:
        st.warning(tr("upload.same_file_twice", name=inert(name)), icon=":material/content_copy:")
        return None
    seen.add(sha)
    with st.container(border=True, key=f"file_{tag}"):
        st.markdown(f"#### {inert(name)} · {size_text(len(data))}")  # the file's own name, shown as written
        structure = st.container()
        earlier = batches.find_batch_by_sha(con, sha)
        if earlier is not None:
            st.warning(duplicate_text(earlier), icon=":material/content_copy:")
            return None
        plain = _summary(sha, data, name, {}, {})
        if plain.report.status == "failed":
            st.error(tr("upload.failed", reason=failure_text(plain.report.failure)), icon=":material/error:")
            return None
        base = _cache(sha).base
        columns, remember = mapping_editor(base, mappings.remembered_mapping(con, base.signature), tag)
        with_columns = _summary(sha, data, name, columns, {})
        if with_columns.report.status == "failed":
            st.error(tr("upload.failed_with_mapping", reason=failure_text(with_columns.report.failure)))
            return None
        regions, pending = region_editor(with_columns, tag)
        final = _summary(sha, data, name, columns, regions) if regions else with_columns
        with structure:
            _structure(final.report)
        _dry_run(final, name, tag)
        replace, confirmed = replace_choice(con, name, sha, tag, final.headers)
        return Plan(uploaded.file_id, name, sha, loaders.ParseOptions(columns, regions),
                    _key({"columns": columns, "regions": regions}), replace, pending == 0 and confirmed,
                    base.signature, base.headers, remember, final.titles, final.report.rows_loaded)


def _structure(report) -> None:
    lines = [tr("upload.structure.shape", shape=shape_label(report.shape))]
    for sheet in report.sheets:
        rows = sheet["header_rows"]
        where = (tr("upload.structure.header_row", row=rows[0]) if len(rows) == 1
                 else tr("upload.structure.header_rows", rows=_rows_range(rows)))
        lines.append(tr("upload.structure.sheet", sheet=inert(sheet["sheet"]), where=where,
                        shape=shape_label(sheet["shape"]), columns=len(sheet["columns"])))
    st.markdown("  \n".join(lines))


# ---------------------------------------------------------------- the dry-run report

# The rejected rows' table: column ids (stable, as in the rejected-rows workbook) -> catalogue keys of the headers.
ERROR_COLUMNS = {"Лист": "upload.errors.sheet", "Строка": "upload.errors.row", "Столбец": "upload.errors.column",
                 "Код": "upload.errors.code", "Причина": "upload.errors.reason"}


def errors_frame(report: loaders.FileReport) -> pd.DataFrame:
    """One row per problem; the reason in the interface language (the problem's code and parameters)."""
    return pd.DataFrame({
        "Лист": [e.sheet for e in report.errors], "Строка": [e.row for e in report.errors],
        "Столбец": [e.column for e in report.errors], "Код": [e.code for e in report.errors],
        "Причина": [problem_text(e, lang()) for e in report.errors],
    })


def errors_columns() -> dict:
    c = st.column_config
    config = {column: c.TextColumn(tr(key)) for column, key in ERROR_COLUMNS.items()}
    config["Строка"] = c.NumberColumn(tr(ERROR_COLUMNS["Строка"]), format="%d")
    return config


def _warnings(report: loaders.FileReport) -> None:
    """What the reader was unsure of (a column read from its values only, a region taken from a title, a group of
    columns it could not place…), each in a line, so nothing unsure passes silently."""
    if not report.warnings:
        return
    lines = [f"- {problem_text(inert_problem(w), lang())}" for w in report.warnings[:WARNING_LIMIT]]
    if len(report.warnings) > WARNING_LIMIT:
        lines.append(f"- {tr('upload.warnings_more', count=fmt.number(len(report.warnings) - WARNING_LIMIT))}")
    st.warning(tr("upload.warnings_title") + "\n\n" + "\n".join(lines), icon=":material/help:")


def _dry_run(summary: Summary, name: str, tag: str) -> None:
    report = summary.report
    _warnings(report)
    st.markdown(tr("upload.dry_run"))
    cols = st.columns(4)
    cols[0].metric(tr("upload.metric.read"), fmt.number(report.rows_read))
    cols[1].metric(tr("upload.metric.loaded"), fmt.number(report.rows_loaded))
    cols[2].metric(tr("upload.metric.skipped"), fmt.number(report.rows_skipped), help=tr("upload.metric.skipped_help"))
    cols[3].metric(tr("upload.metric.rejected"), fmt.number(report.rows_rejected),
                   help=tr("upload.metric.rejected_help"))
    if summary.first_day is not None:
        st.caption(tr("upload.records_period", period=fmt.period(summary.first_day, summary.last_day),
                      regions=fmt.number(len(summary.regions))))
    if report.errors:
        errors = errors_frame(report)
        if len(errors) > ERROR_LIMIT:
            st.caption(tr("upload.errors_limit", shown=fmt.number(ERROR_LIMIT), total=fmt.number(len(errors))))
        st.dataframe(tables.styled(errors.head(ERROR_LIMIT)), hide_index=True, key=f"errors_{tag}",
                     column_config=errors_columns(),
                     column_order=[c for c in ERROR_COLUMNS if c != "Код"])  # the code is for the CLI, not people
        rows, titles, language = summary.rejected, summary.titles, lang()
        st.download_button(
            tr("upload.download_rejected"), data=lambda: rejected.rejected_workbook(rows, titles, language),
            file_name=rejected.rejected_file_name(name, language), mime=rejected.XLSX_MIME, key=f"rejected_{tag}",
            on_click="ignore", icon=":material/download:", help=tr("upload.download_rejected_help"))
    if len(summary.sample):
        with st.expander(tr("upload.sample")):
            st.dataframe(tables.styled(_translated_sample(summary.sample)), hide_index=True,
                         column_config=tables.activity_columns())


def _translated_sample(sample: pd.DataFrame) -> pd.DataFrame:
    """The first rows to be loaded, with region names, forms and audiences in the interface language."""
    shown = sample.copy()
    shown.insert(shown.columns.get_loc("region_code") + 1, "region",
                 [fmt.region(c) if isinstance(c, str) else "" for c in shown["region_code"]])
    return tables.translated(shown)
