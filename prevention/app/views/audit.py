"""Журнал аудита (admin): who signed in, loaded, replaced, deleted, exported or changed an account, and when;
filtered by user, action and dates, downloadable as CSV. Read-only: the interface never edits or deletes entries."""
from datetime import date

import pandas as pd
import streamlit as st

from prevention.app.components.fmt import number as fmt_int
from prevention.app.session import auth, state
from prevention.app.session.i18n import lang, tr
from prevention.output import exports
from prevention.storage import accounts
from prevention.storage import audit as audit_log
from prevention.texts.audit import describe
from prevention.usecases.rights import require

SHOWN_LIMIT = 1000
EXPORT_LIMIT = 10_000_000
EARLIEST = date(2020, 1, 1)  # the date pickers' lower bound (the log starts with this dashboard)

auth.require("admin")
con = state.connection()


def action_label(action: str) -> str:
    text = tr(f"audit.action.{action}")
    return action if text == f"audit.action.{action}" else text


def labelled(entries: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        tr("audit.col.when"): entries["logged_at"],
        tr("audit.col.user"): entries["username"].fillna("—"),
        tr("audit.col.action"): entries["action"].map(action_label),
        tr("audit.col.details"): [describe(d, lang()) for d in entries["details"]],
    })


st.title(tr("nav.audit"))
st.caption(tr("audit.caption"))

names = sorted(set(accounts.list_users(con)["username"]) | auth.RESERVED_NAMES)
who, what, since, until = st.columns(4)
user = who.selectbox(tr("audit.filter.user"), names, index=None, placeholder=tr("audit.all"), key="audit_user")
action = what.selectbox(tr("audit.filter.action"), audit_log.ACTIONS, index=None, placeholder=tr("audit.all"),
                        format_func=action_label, key="audit_action")
date_from = since.date_input(tr("audit.filter.from"), value=None, min_value=EARLIEST, format="DD.MM.YYYY",
                             key="audit_from")
date_to = until.date_input(tr("audit.filter.to"), value=None, min_value=EARLIEST, format="DD.MM.YYYY",
                           key="audit_to")
filters = {"username": user, "action": action, "date_from": date_from, "date_to": date_to}

entries = audit_log.entries(con, limit=SHOWN_LIMIT, **filters)
if entries.empty:
    st.info(tr("audit.empty"), icon=":material/history:")
    st.stop()

note = tr("audit.count", count=fmt_int(len(entries)))
if len(entries) >= SHOWN_LIMIT:
    note += " " + tr("audit.limit", limit=fmt_int(SHOWN_LIMIT))
st.write(note)
shown = labelled(entries)
st.dataframe(shown, hide_index=True, key="audit_entries", column_config={
    tr("audit.col.when"): st.column_config.DatetimeColumn(format="DD.MM.YYYY HH:mm:ss"),
    tr("audit.col.details"): st.column_config.TextColumn(width="large"),
})

actor = auth.actor()  # the download is built outside the script run, where session state is not at hand


def export() -> bytes:
    require(con, actor, "admin")  # still an admin when the button is clicked; Forbidden: no file
    everything = audit_log.entries(con, limit=EXPORT_LIMIT, **filters)
    auth.audit("export", actor=actor.username, what="audit_log", rows=len(everything),
               filters={k: v for k, v in filters.items() if v is not None})
    return exports.to_csv_bytes(labelled(everything), labelled=False)


st.download_button(tr("audit.download"), data=export, file_name="audit_log.csv", mime="text/csv",
                   icon=":material/download:", key="audit_download", on_click="ignore")
