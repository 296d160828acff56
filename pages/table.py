"""Table: the filtered records, and downloads of exactly those rows as CSV and Excel."""
import streamlit as st

from ui import banner, downloads, fmt, shell, sidebar, state, tables

SHOWN_LIMIT = 5000

shell.require()
data = state.data()
f = sidebar.current_filters(data)
names = data.region_names()

st.title("Таблица")
st.caption(sidebar.caption(f, names))
if banner.empty_state(data):
    st.stop()

total = data.kpis(f)["records"]
st.write(f"Записей по фильтрам: **{fmt.number(total)}**.")
downloads.buttons(f, names, total)
if total > SHOWN_LIMIT:
    st.caption(f"На экране первые {fmt.number(SHOWN_LIMIT)} записей; файлы содержат все {fmt.number(total)}.")
tables.activity_table(data.records(f, SHOWN_LIMIT), key="records")
