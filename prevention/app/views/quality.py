"""Качество данных: which regions reported for which month, unusual people-per-event figures, the same event in
two batches, each summary beside the event logs inside it with its conflicts and the counting rule, and
files of different sources over the same region and period (possible overlaps, listed and never merged)."""
import streamlit as st

from prevention.app.components import banner, fmt, periods_view, sidebar
from prevention.app.panels import quality_charts as parts
from prevention.app.panels import reconcile_panel
from prevention.app.session import auth, state, workspace
from prevention.app.session.i18n import tr
from prevention.queries import quality

auth.require("analyst")  # a second check beside the navigation: a stale link shows «Недостаточно прав»
data = state.data()
f = sidebar.current_filters(data)
names = data.region_names()

st.title(tr("quality.title"))
st.caption(sidebar.caption(f, names))
if banner.empty_state(data):
    st.stop()
if banner.no_records(data, f):
    periods_view.window_note(data, f)
    st.stop()
periods_view.window_note(data, f)

st.subheader(tr("quality.completeness"))
grid = workspace.query("quality", "completeness", f)
summary = quality.completeness_summary(grid)
cols = st.columns(4)
cols[0].metric(tr("quality.months"), fmt.number(summary["months"]))
cols[1].metric(tr("quality.gaps"), fmt.number(summary["gaps"]), help=tr("quality.gaps_help"))
cols[2].metric(tr("quality.complete_regions"), fmt.out_of(summary["complete_regions"]))
cols[3].metric(tr("quality.silent_regions"), fmt.out_of(summary["silent_regions"]))
parts.heatmap(grid)
st.caption(tr("quality.completeness_note", months=quality.MAX_MONTHS))

st.subheader(tr("quality.outliers"))
outliers = workspace.query("quality", "outliers", f)
st.caption(tr("quality.outliers_note", k=fmt.number(quality.OUTLIER_K,
                                                    0 if float(quality.OUTLIER_K).is_integer() else 1),
              min_group=quality.OUTLIER_MIN_GROUP))
if outliers.empty:
    st.success(tr("quality.outliers_none"), icon=":material/check_circle:")
else:
    limited = len(outliers) >= quality.OUTLIER_LIMIT
    st.write(tr("quality.outliers_found_limited" if limited else "quality.outliers_found",
                count=fmt.number(len(outliers)), limit=fmt.number(quality.OUTLIER_LIMIT)))
    parts.outliers_table(outliers)

st.subheader(tr("quality.duplicates"))
duplicates = workspace.query("quality", "suspected_duplicates", f)
st.caption(tr("quality.duplicates_note"))
if duplicates.empty:
    st.success(tr("quality.duplicates_none"), icon=":material/check_circle:")
else:
    st.write(tr("quality.duplicates_found", count=fmt.number(len(duplicates))))
    parts.duplicates_table(duplicates)

reconcile_panel.render(f)

st.subheader(tr("quality.sources.title"))
sources = workspace.query("quality", "source_overlaps", f)
st.caption(tr("quality.sources.note"))
if sources.empty:
    st.success(tr("quality.sources.none"), icon=":material/check_circle:")
else:
    st.warning(tr("quality.sources.found", count=fmt.number(len(sources))), icon=":material/call_split:")
    parts.source_overlaps_table(sources)
