"""Overview: where prevention work reaches people and where it does not."""
from dataclasses import replace

import streamlit as st

from prevention import figures
from ui import banner, shell, sidebar, state, widgets

shell.require()
data = state.data()
f = sidebar.current_filters(data)
names = data.region_names()

st.title("Обзор")
st.caption(sidebar.caption(f, names))
if banner.empty_state(data):
    st.stop()

widgets.kpi_row(data.kpis_with_change(f), f)

# The map and the ranking keep all 20 regions in view; the chosen ones are outlined.
national = replace(f, regions=())
regions = data.by_region(national)
metrics = widgets.region_metric_options(regions)
metric = st.segmented_control(
    "Показатель на карте и в рейтинге", list(metrics), format_func=widgets.SWITCH_LABELS.get,
    default="participants", key="metric", bind="query-params", required=True,
)
label = metrics[metric]

st.subheader("Карта регионов")
widgets.region_chart(figures.choropleth(regions, metric, state.region_shapes(), f.regions, label), "map", names)
note = ("Серым — регионы без записей за выбранный период. "
        "Щелчок по региону на карте или в рейтинге фильтрует все страницы (повторный щелчок снимает фильтр).")
if metric == "per_10k":
    note += f" Население на 1 января {widgets.population_years(regions)} г."
st.caption(note)

count_metric = metric if metric in figures.COUNT_METRICS else "participants"
ranking_col, trend_col = st.columns(2, gap="large")
with ranking_col:
    st.subheader("Рейтинг регионов")
    widgets.region_chart(figures.ranked_bar(regions, metric, f.regions, figures.REGION_METRICS[metric]), "ranking",
                         names)
with trend_col:
    st.subheader("По месяцам")
    widgets.chart(figures.monthly_trend(data.by_month(f), count_metric, period=(f.date_from, f.date_to)),
                  key="chart_trend")
    st.caption("Розовая полоса — антинаркотический месячник (26 мая – 26 июня).")

forms_col, audience_col = st.columns(2, gap="large")
with forms_col:
    st.subheader("Формы мероприятий")
    widgets.chart(figures.breakdown_bar(data.by_event_type(f), count_metric), key="chart_forms")
with audience_col:
    st.subheader("Аудитории")
    widgets.chart(figures.breakdown_bar(data.by_audience(f), count_metric), key="chart_audiences")
