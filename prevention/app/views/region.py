"""Region: one region against the national median, its districts, forms, audiences and records."""
from dataclasses import replace
from functools import partial

import streamlit as st

from prevention.app.components import (
    banner,
    fmt,
    periods_view,
    sidebar,
    tables,
    widgets,
)
from prevention.app.components.briefing import briefing_buttons
from prevention.app.session import links, state
from prevention.app.session.i18n import lang, tr
from prevention.output import figures

RECORD_LIMIT = 2000

data = state.data()
f = sidebar.current_filters(data)
names = data.region_names()

st.title(tr("region.title"))
if banner.empty_state(data):
    st.stop()

codes = sorted(names, key=lambda c: (fmt.sort_key(fmt.region(c)), c))
region_label = partial(fmt.region, language=lang())
if f.regions:
    code = f.regions[0]
else:  # the region with the most events under the current filters
    code = data.by_region(f).sort_values(["events", "region"], ascending=[False, True])["region_code"].iloc[0]
st.session_state[sidebar.REGION_PICK] = code  # the page follows the region filter...
st.selectbox(tr("region.pick"), codes, format_func=region_label, key=sidebar.REGION_PICK,
             on_change=sidebar.region_picked, args=(names,), help=tr("region.pick_help"))  # ...and sets it
region_filters = replace(f, regions=(code,))
st.caption(sidebar.caption(f, names))  # the same filters the sidebar shows
periods_view.window_note(data, region_filters)
if banner.no_records(data, region_filters):
    st.stop()

st.subheader(tr("region.vs_median", region=fmt.region(code)))
comparison = data.region_vs_median(f, code)
for column, row in zip(st.columns(len(comparison)), comparison.itertuples()):
    digits = 1 if row.metric == "students_per_event" else 0
    delta = fmt.change(row.region_value, row.national_median, digits=0)
    column.metric(tr(f"region.median.{row.metric}"), fmt.number(row.region_value, digits), delta, border=True,
                  delta_description=tr("region.to_median") if delta else None,
                  help=tr("region.median_help", value=fmt.number(row.national_median, digits)))

METRIC, DEFAULT_METRIC = "region_metric", "participants"  # widget key and URL parameter: a link keeps the metric
if METRIC not in st.session_state:
    links.seed(METRIC, links.lookup([(m, m) for m in figures.COUNT_METRIC_NAMES]), single=True)
links.keep(METRIC)
if st.session_state.get(METRIC) not in figures.COUNT_METRIC_NAMES:
    st.session_state[METRIC] = DEFAULT_METRIC
metric = st.segmented_control(tr("region.metric"), list(figures.COUNT_METRIC_NAMES),
                              format_func=partial(figures.metric_label, lang=lang()), key=METRIC, required=True)
links.publish(METRIC, metric, default=DEFAULT_METRIC)
briefing_buttons(data, f, region_code=code, metric=metric)

periods_view.trend_chart(data, region_filters, metric, "region_trend_unit")

districts_col, forms_col, audience_col = st.columns(3)
with districts_col:
    widgets.breakdown_chart(tr("region.districts"), data, region_filters, "district", None, metric, "region_districts")
with forms_col:
    widgets.breakdown_chart(tr("region.forms"), data, region_filters, "event_type", "event_type", metric,
                            "region_forms")
with audience_col:
    widgets.breakdown_chart(tr("region.audiences"), data, region_filters, "audience", "audience", metric,
                            "region_audiences", note=True)

counts = data.kpis(region_filters)
total = counts["records"] + counts["detail_records"]
st.subheader(tr("region.records", count=fmt.number(total)))
if counts["detail_records"]:
    st.caption(tr("table.count_detail", count=fmt.number(counts["detail_records"])))
if total > RECORD_LIMIT:
    st.caption(tr("region.records_limit", shown=fmt.number(RECORD_LIMIT)))
tables.activity_table(
    data.records(region_filters, RECORD_LIMIT),
    ["period_start", "period_end", "period_kind", "counting", "district", "event_type", "audience", "events",
     "participants", "students", "organizer", "source_file", "source_sheet", "source_row"],
    key="region_records",
)
