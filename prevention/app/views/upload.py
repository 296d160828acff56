"""Загрузка: this month's spreadsheets in. Each file is checked before anything is written (shape, sheets, header
rows, column mapping, region matches, rows that would load, be skipped or be rejected and why); one button then
stores them all, and a summary per file says what went in."""
from functools import partial

import streamlit as st

from prevention.app.components import fmt
from prevention.app.components.safe import inert
from prevention.app.panels import upload, upload_commit
from prevention.app.session import auth, state, workspace
from prevention.app.session.i18n import lang, tr
from prevention.output import rejected, template

auth.require("analyst")  # a second check beside the navigation: a stale link shows «Недостаточно прав»
con = state.connection()

st.title(tr("upload.title"))
st.caption(tr("upload.caption", limit=st.get_option("server.maxUploadSize")))

results = st.session_state.get(upload_commit.RESULTS)
if results:
    with st.container(border=True, key="upload_results"):
        upload_commit.show_results(results, con)
        left, right, _ = st.columns([1, 1, 3], vertical_alignment="center")
        left.page_link("prevention/app/views/overview.py", label=tr("upload.open_overview"),
                       icon=":material/dashboard:")
        right.button(tr("upload.hide_results"), key="hide_results", on_click=upload_commit.hide_results)

st.download_button(tr("upload.template"), data=partial(template.build_template, lang()),
                   file_name=template.file_name(lang()),
                   mime=rejected.XLSX_MIME, icon=":material/description:", key="download_template", on_click="ignore",
                   help=tr("upload.template_help"))

files = upload.uploader()
seen: set[str] = set()
plans = [plan for plan in (upload.file_preview(f, con, seen) for f in files) if plan is not None]

if files:
    waiting = [p.name for p in plans if not p.ready]
    if waiting:
        st.warning(tr("upload.confirm_regions", files=", ".join(tr("upload.quoted", name=inert(n)) for n in waiting)),
                   icon=":material/help:")
    rows = sum(p.rows_loaded for p in plans)
    label = tr("upload.commit", files=len(plans), rows=fmt.number(rows))
    if st.button(label, type="primary", key="commit", disabled=not plans or bool(waiting),
                 icon=":material/upload:"):
        st.session_state[upload_commit.RESULTS] = upload_commit.commit(plans, {f.file_id: f for f in files}, con)
        upload.forget_files([f.file_id for f in files])
        del files, plans
        workspace.data_changed()
        workspace.release_memory()
        st.rerun()
