"""Download buttons: the file is built only when the user clicks (deferred data), from every filtered record (the
records counted and the detail of counted summaries, with a column saying which), so it holds exactly the rows the
filters select. Every file is in the interface language (headers, coded values, the filters that made it) and
says which filters made it; each export is written to the audit log (who, which filters, how many rows)."""
from __future__ import annotations

from dataclasses import asdict

import streamlit as st

from prevention.app.components import sidebar
from prevention.app.session import auth, state
from prevention.app.session.i18n import lang, tr
from prevention.output import exports, workbook
from prevention.queries import activity
from prevention.queries.filters import Filters
from prevention.texts import formats, t
from prevention.usecases.rights import Actor, require

CSV_MIME = "text/csv"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def file_name(f: Filters, ext: str, suffix: str = "") -> str:
    start = f.date_from.isoformat() if f.date_from else tr("table.file.start")
    end = f.date_to.isoformat() if f.date_to else tr("table.file.end")
    return f"{tr('table.file.stem')}_{start}_{end}{suffix}.{ext}"


def _records(f: Filters, kind: str, actor: Actor):
    """Every filtered record, if the account may still read now (the file is built when the button is clicked,
    maybe long after the page was drawn); the audit log notes who exported which filters and how many rows."""
    require(state.connection(), actor, "viewer")  # Forbidden: no file, nothing audited
    records = state.all_records(f)
    auth.audit("export", actor=actor.username, format=kind, rows=len(records), filters=asdict(f))
    return records


def described(f: Filters, names: dict[str, str], language: str, rows: int | None = None) -> list[tuple[str, str]]:
    """The filters in words, the counting rule, and (for a CSV, which has no second sheet) the as-of time and the
    number of rows."""
    lines = sidebar.describe(f, names, language) + [(t("export.rule_label", language),
                                                     t("export.rule", language))]
    if rows is not None:
        as_of = activity.as_of(state.connection())
        lines += [(t("export.as_of", language),
                   formats.date_time(as_of, language) if as_of else t("export.no_data", language)),
                  (t("export.rows", language), formats.number(rows, language))]
    return lines


def _csv(f: Filters, names: dict[str, str], actor: Actor, language: str, excel: bool) -> bytes:
    records = _records(f, "csv-excel" if excel else "csv", actor)
    return exports.to_csv_bytes(records, language, filters=described(f, names, language, len(records)), excel=excel)


def _xlsx(f: Filters, names: dict[str, str], actor: Actor, language: str) -> bytes:
    con = state.connection()
    return workbook.to_xlsx_bytes(_records(f, "xlsx", actor), described(f, names, language), activity.as_of(con),
                                  activity.batches_for(con, f), language)


def buttons(f: Filters, names: dict[str, str], total: int) -> None:
    actor, language = auth.actor(), lang()  # the files are built outside the script run, without session state
    excel_csv, csv, xlsx, _ = st.columns([1.3, 1, 1, 1.7])
    excel_csv.download_button(tr("table.download_csv_excel"), data=lambda: _csv(f, names, actor, language, True),
                              file_name=file_name(f, "csv", "_excel"), mime=CSV_MIME, icon=":material/download:",
                              key="download_csv_excel", on_click="ignore", width="stretch",
                              help=tr("table.download_csv_excel_help"))
    csv.download_button(tr("table.download_csv"), data=lambda: _csv(f, names, actor, language, False),
                        file_name=file_name(f, "csv"), mime=CSV_MIME, icon=":material/download:",
                        key="download_csv", on_click="ignore", width="stretch", help=tr("table.download_csv_help"))
    too_big = total + 1 > workbook.EXCEL_MAX_ROWS
    xlsx.download_button(tr("table.download_xlsx"), data=lambda: _xlsx(f, names, actor, language),
                         file_name=file_name(f, "xlsx"), mime=XLSX_MIME, icon=":material/download:",
                         key="download_xlsx", on_click="ignore", width="stretch", disabled=too_big,
                         help=workbook.TooManyRows(total).message(language) if too_big else None)
