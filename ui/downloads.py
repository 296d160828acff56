"""Download buttons: the file is built only when the user clicks (deferred data), from every
filtered record, so it holds exactly the rows the filters select. The workbook itself is Russian
(prevention.exports), so its «Фильтры» sheet describes the filters in Russian too."""
from __future__ import annotations

import streamlit as st

from prevention import exports, queries
from prevention.filters import Filters
from ui import sidebar, state
from ui.i18n import tr

CSV_MIME = "text/csv"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def file_name(f: Filters, ext: str) -> str:
    start = f.date_from.isoformat() if f.date_from else tr("table.file.start")
    end = f.date_to.isoformat() if f.date_to else tr("table.file.end")
    return f"{tr('table.file.stem')}_{start}_{end}.{ext}"


def _csv(f: Filters) -> bytes:
    return exports.to_csv_bytes(state.all_records(f))


def _xlsx(f: Filters, names: dict[str, str]) -> bytes:
    con = state.connection()
    return exports.to_xlsx_bytes(state.all_records(f), sidebar.describe(f, names, "ru"), queries.as_of(con),
                                 queries.batches_for(con, f))


def buttons(f: Filters, names: dict[str, str], total: int) -> None:
    left, right, _ = st.columns([1, 1, 3])
    left.download_button(tr("table.download_csv"), data=lambda: _csv(f), file_name=file_name(f, "csv"),
                         mime=CSV_MIME, icon=":material/download:", key="download_csv", on_click="ignore",
                         width="stretch")
    too_big = total + 1 > exports.EXCEL_MAX_ROWS
    right.download_button(tr("table.download_xlsx"), data=lambda: _xlsx(f, names), file_name=file_name(f, "xlsx"),
                          mime=XLSX_MIME, icon=":material/download:", key="download_xlsx", on_click="ignore",
                          width="stretch", disabled=too_big,
                          help=tr("table.too_many_rows") if too_big else None)
