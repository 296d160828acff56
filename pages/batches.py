"""Пакеты: every load (file, who, when, shape, rows loaded / skipped / rejected); per batch the original file and
its rejected rows to download, and deletion with confirmation in one transaction."""
import streamlit as st

from ui import batches, fmt, shell, state, workspace

shell.require()
con = state.connection()

st.title("Пакеты")
st.caption("Каждая загрузка файла — пакет. Удаление пакета убирает все его записи со всех страниц одной "
           "транзакцией; исходный файл и отклонённые строки можно скачать.")
batches.deleted_message()

overview = workspace.query("uploads", "batches_overview")
if overview.empty:
    st.info("Пакетов пока нет: загрузите отчёты на странице «Загрузка».", icon=":material/inbox:")
    st.stop()

st.write(f"Пакетов: **{len(overview)}**, записей в них: **{fmt.number(int(overview['rows_loaded'].sum()))}**.")
batches.table(overview)

st.subheader("Пакет")
row = batches.pick(overview)
if row is not None:
    batches.downloads(row)
    batches.delete_form(row)
batches.audit_log(con)
