"""Пакеты: every load (file, who, when, shape, rows loaded / skipped / rejected); per batch the original file and
its rejected rows to download, and deletion with confirmation in one transaction."""
import streamlit as st

from ui import auth, batches, fmt, shell, state, workspace
from ui.i18n import tr

shell.require()
auth.require("analyst")  # a second check beside the navigation: a stale link shows «Недостаточно прав»
con = state.connection()

st.title(tr("batches.title"))
st.caption(tr("batches.caption"))
batches.deleted_message()

overview = workspace.query("uploads", "batches_overview")
if overview.empty:
    st.info(tr("batches.empty"), icon=":material/inbox:")
    st.stop()

st.write(tr("batches.count", batches=fmt.number(len(overview)), rows=fmt.number(int(overview["rows_loaded"].sum()))))
batches.table(overview)

st.subheader(tr("batches.batch"))
row = batches.pick(overview)
if row is not None:
    batches.downloads(row)
    batches.delete_form(row)
batches.audit_log(con)
