"""Download buttons: the file is built only when the user clicks (deferred data), from every
filtered record, so it holds exactly the rows the filters select. Each export is written to the audit log."""
from __future__ import annotations

from dataclasses import asdict

import streamlit as st

from prevention import exports, queries
from prevention.filters import Filters
from ui import auth, sidebar, state

CSV_MIME = "text/csv"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def file_name(f: Filters, ext: str) -> str:
    start = f.date_from.isoformat() if f.date_from else "начало"
    end = f.date_to.isoformat() if f.date_to else "конец"
    return f"профилактика_{start}_{end}.{ext}"


def _records(f: Filters, kind: str, actor: str):
    """Every filtered record; the audit log notes who exported which filters and how many rows."""
    records = state.all_records(f)
    auth.audit("export", actor=actor, format=kind, rows=len(records), filters=asdict(f))
    return records


def _csv(f: Filters, actor: str) -> bytes:
    return exports.to_csv_bytes(_records(f, "csv", actor))


def _xlsx(f: Filters, names: dict[str, str], actor: str) -> bytes:
    con = state.connection()
    return exports.to_xlsx_bytes(_records(f, "xlsx", actor), sidebar.describe(f, names), queries.as_of(con),
                                 queries.batches_for(con, f))


def buttons(f: Filters, names: dict[str, str], total: int) -> None:
    actor = auth.username()  # the files are built outside the script run, where session state is not at hand
    left, right, _ = st.columns([1, 1, 3])
    left.download_button("Скачать CSV", data=lambda: _csv(f, actor), file_name=file_name(f, "csv"), mime=CSV_MIME,
                         icon=":material/download:", key="download_csv", on_click="ignore", width="stretch")
    too_big = total + 1 > exports.EXCEL_MAX_ROWS
    right.download_button("Скачать Excel", data=lambda: _xlsx(f, names, actor), file_name=file_name(f, "xlsx"),
                          mime=XLSX_MIME, icon=":material/download:", key="download_xlsx", on_click="ignore",
                          width="stretch", disabled=too_big,
                          help="Больше строк, чем помещается на лист Excel: скачайте CSV." if too_big else None)
