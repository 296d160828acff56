"""Region: one region against the national median, its districts, forms, audiences and records."""
from dataclasses import replace

import streamlit as st

from prevention import figures
from ui import banner, fmt, shell, sidebar, state, tables, widgets

RECORD_LIMIT = 2000

shell.require()
data = state.data()
f = sidebar.current_filters(data)
names = data.region_names()

st.title("Регион")
if banner.empty_state(data):
    st.stop()

codes = list(names)
if f.regions:
    code = f.regions[0]
else:  # the region with the most events under the current filters
    code = data.by_region(f).sort_values(["events", "region"], ascending=[False, True])["region_code"].iloc[0]
st.session_state[sidebar.REGION_PICK] = code  # the page follows the region filter...
st.selectbox("Регион", codes, format_func=names.get, key=sidebar.REGION_PICK, on_change=sidebar.region_picked,
             args=(names,), help="Выбор здесь меняет фильтр «Регионы» на боковой панели.")  # ...and sets it
region_filters = replace(f, regions=(code,))
st.caption(sidebar.caption(replace(f, regions=()), names))

st.subheader(f"{names[code]} и медиана 20 регионов")
comparison = data.region_vs_median(f, code)
for column, row in zip(st.columns(len(comparison)), comparison.itertuples()):
    digits = 1 if row.metric == "students_per_event" else 0
    delta = fmt.change(row.region_value, row.national_median, digits=0)
    column.metric(row.label, fmt.number(row.region_value, digits), delta, border=True,
                  delta_description="к медиане" if delta else None,
                  help=f"Медиана по 20 регионам: {fmt.number(row.national_median, digits)}.")

metric = st.segmented_control("Показатель", list(figures.COUNT_METRICS), default="participants",
                              format_func=figures.COUNT_METRICS.get, key="region_metric", required=True)

st.subheader("По месяцам")
widgets.chart(figures.monthly_trend(data.by_month(region_filters), metric,
                                     period=(f.date_from, f.date_to)), key="region_trend")
st.caption("Розовая полоса — антинаркотический месячник (26 мая – 26 июня).")

districts_col, forms_col, audience_col = st.columns(3)
with districts_col:
    st.subheader("Районы и города")
    widgets.chart(figures.breakdown_bar(data.by_district(region_filters), metric), key="region_districts")
with forms_col:
    st.subheader("Формы")
    widgets.chart(figures.breakdown_bar(data.by_event_type(region_filters), metric), key="region_forms")
with audience_col:
    st.subheader("Аудитории")
    widgets.chart(figures.breakdown_bar(data.by_audience(region_filters), metric), key="region_audiences")

total = data.kpis(region_filters)["records"]
st.subheader(f"Записи ({fmt.number(total)})")
if total > RECORD_LIMIT:
    st.caption(f"Показаны первые {fmt.number(RECORD_LIMIT)}; все записи — на странице «Таблица».")
tables.activity_table(
    data.records(region_filters, RECORD_LIMIT),
    ["period_start", "district", "event_type", "audience", "events", "participants", "students", "organizer",
     "source_file", "source_sheet", "source_row"],
    key="region_records",
)
