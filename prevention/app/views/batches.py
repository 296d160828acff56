"""Пакеты: every load (file, who, when, shape, rows loaded / skipped / rejected); per batch the original file and
its rejected rows to download, and deletion with confirmation in one transaction."""
import streamlit as st

from prevention.app.components import fmt
from prevention.app.panels import batch_list
from prevention.app.session import auth, state, workspace
from prevention.app.session.i18n import tr
from prevention.storage import db

auth.require("analyst")  # a second check beside the navigation: a stale link shows «Недостаточно прав»
con = state.connection()

st.title(tr("batches.title"))
st.caption(tr("batches.caption"))
batch_list.deleted_message()

overview = workspace.query("loads", "batches_overview")
if overview.empty:
    st.info(tr("batches.empty"), icon=":material/inbox:")
    st.stop()

st.write(tr("batches.count", batches=fmt.number(len(overview)), rows=fmt.number(int(overview["rows_loaded"].sum()))))
batch_list.table(overview)

st.subheader(tr("batches.batch"))
row = batch_list.pick(overview)
if row is not None:
    batch_list.downloads(row)
    batch_list.delete_form(row, db.data_version(con))
batch_list.audit_log(con)
