"""Download buttons: the file is built only when the user clicks (deferred data), from every
filtered record (the records counted and the detail of counted summaries, with a column saying which), so it
holds exactly the rows the filters select. The workbook itself is Russian
(prevention.exports), so its «Фильтры» sheet describes the filters in Russian too. Each export is written to
the audit log (who, which filters, how many rows)."""
from __future__ import annotations

from dataclasses import asdict

import streamlit as st

from prevention.app.components import sidebar
from prevention.app.session import auth, state
from prevention.app.session.i18n import tr
from prevention.output import exports
from prevention.queries import activity
from prevention.queries.filters import Filters
from prevention.usecases.rights import Actor, require

CSV_MIME = "text/csv"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def file_name(f: Filters, ext: str) -> str:
    start = f.date_from.isoformat() if f.date_from else tr("table.file.start")
    end = f.date_to.isoformat() if f.date_to else tr("table.file.end")
    return f"{tr('table.file.stem')}_{start}_{end}.{ext}"


def _records(f: Filters, kind: str, actor: Actor):
    """Every filtered record, if the account may still read now (the file is built when the button is clicked,
    maybe long after the page was drawn); the audit log notes who exported which filters and how many rows."""
    require(state.connection(), actor, "viewer")  # Forbidden: no file, nothing audited
    records = state.all_records(f)
    auth.audit("export", actor=actor.username, format=kind, rows=len(records), filters=asdict(f))
    return exports.russian_values(records)


def _csv(f: Filters, actor: Actor) -> bytes:
    return exports.to_csv_bytes(_records(f, "csv", actor))


def _xlsx(f: Filters, names: dict[str, str], actor: Actor) -> bytes:
    con = state.connection()
    described = sidebar.describe(f, names, "ru") + [(exports.COUNTING_RULE_LABEL_RU, exports.COUNTING_RULE_RU)]
    return exports.to_xlsx_bytes(_records(f, "xlsx", actor), described, activity.as_of(con),
                                 activity.batches_for(con, f))


def buttons(f: Filters, names: dict[str, str], total: int) -> None:
    actor = auth.actor()  # the files are built outside the script run, where session state is not at hand
    left, right, _ = st.columns([1, 1, 3])
    left.download_button(tr("table.download_csv"), data=lambda: _csv(f, actor), file_name=file_name(f, "csv"),
                         mime=CSV_MIME, icon=":material/download:", key="download_csv", on_click="ignore",
                         width="stretch")
    too_big = total + 1 > exports.EXCEL_MAX_ROWS
    right.download_button(tr("table.download_xlsx"), data=lambda: _xlsx(f, names, actor), file_name=file_name(f, "xlsx"),
                          mime=XLSX_MIME, icon=":material/download:", key="download_xlsx", on_click="ignore",
                          width="stretch", disabled=too_big,
                          help=tr("table.too_many_rows") if too_big else None)
