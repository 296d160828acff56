"""Overview: where prevention work reaches people and where it does not."""
from dataclasses import replace

import streamlit as st

from prevention.app.components import banner, periods_view, sidebar, widgets
from prevention.app.components.briefing import briefing_buttons
from prevention.app.session import figure_cache, links, state
from prevention.app.session.i18n import lang, tr
from prevention.output import figures

METRIC, DEFAULT_METRIC = "metric", "participants"  # widget key and URL parameter (?metric=per_10k)

data = state.data()
f = sidebar.current_filters(data)
names = data.region_names()

st.title(tr("overview.title"))
st.caption(sidebar.caption(f, names))
if banner.empty_state(data):
    st.stop()
if banner.no_records(data, f):
    periods_view.window_note(data, f)
    st.stop()

widgets.kpi_row(data.kpis_with_change(f), f)
periods_view.window_note(data, f)

# The map and the ranking keep all 20 regions in view; the chosen ones are outlined.
national = replace(f, regions=())
regions = data.by_region(national)
metrics = widgets.region_metric_options(regions)
# The switch holds metric codes and the URL keeps the code (a label from an older link is understood too).
if METRIC not in st.session_state:
    widgets.seed_metric(METRIC, metrics)
links.keep(METRIC)
if st.session_state.get(METRIC) not in metrics:
    st.session_state[METRIC] = DEFAULT_METRIC
metric = st.segmented_control(tr("overview.metric"), list(metrics), format_func=widgets.switch_label(lang()),
                              key=METRIC, required=True)
links.publish(METRIC, metric, default=DEFAULT_METRIC)
briefing_buttons(data, f, metric=metric)
label = metrics[metric]

st.subheader(tr("overview.map"))
widgets.region_chart(figure_cache.choropleth(data, national, metric, state.region_shapes(), f.regions, label,
                                             lang=lang()), "map", names)
note = tr("overview.map_note")
if metric == "per_10k":
    note += " " + tr("overview.population_note", years=widgets.population_years(regions))
st.caption(note)

count_metric = metric if metric in figures.COUNT_METRIC_NAMES else "participants"
ranking_col, trend_col = st.columns(2, gap="large")
with ranking_col:
    st.subheader(tr("overview.ranking"))
    ranking = figure_cache.ranked_bar(data, national, metric, f.regions, figures.metric_label(metric, lang()),
                                      lang=lang())
    widgets.region_chart(ranking, "ranking", names)
with trend_col:
    periods_view.trend_chart(data, f, count_metric, "trend_unit")

forms_col, audience_col = st.columns(2, gap="large")
with forms_col:
    widgets.breakdown_chart(tr("overview.forms"), data, f, "event_type", "event_type", count_metric, "chart_forms")
with audience_col:
    widgets.breakdown_chart(tr("overview.audiences"), data, f, "audience", "audience", count_metric,
                            "chart_audiences", note=True)
