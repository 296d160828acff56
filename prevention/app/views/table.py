"""Table: the filtered records, and downloads of exactly those rows as CSV and Excel."""
import streamlit as st

from prevention.app.components import (
    banner,
    downloads,
    fmt,
    periods_view,
    sidebar,
    tables,
)
from prevention.app.session import state
from prevention.app.session.i18n import tr

SHOWN_LIMIT = 5000

data = state.data()
f = sidebar.current_filters(data)
names = data.region_names()

st.title(tr("table.title"))
st.caption(sidebar.caption(f, names))
if banner.empty_state(data):
    st.stop()
if banner.no_records(data, f):
    periods_view.window_note(data, f, link=False)
    st.stop()

counts = data.kpis(f)
total = counts["records"] + counts["detail_records"]  # the counted records and the detail of counted summaries
st.write(tr("table.count", count=fmt.number(total)))
if counts["detail_records"]:
    st.write(tr("table.count_detail", count=fmt.number(counts["detail_records"])))
left_out = periods_view.window_note(data, f, link=False)
downloads.buttons(f, names, total)
if total > SHOWN_LIMIT:
    st.caption(tr("table.shown_first", shown=fmt.number(SHOWN_LIMIT), total=fmt.number(total)))
tables.activity_table(data.records(f, SHOWN_LIMIT), tables.RECORD_ORDER, key="records")
if left_out:  # the list the other pages' notes link to
    excluded = data.left_out_records(f, SHOWN_LIMIT)
    st.subheader(tr("table.left_out", count=fmt.number(len(excluded))))
    tables.activity_table(excluded, ["reason", "region", "period_start", "period_end", "period_kind", "events",
                                     "participants", "event_type", "audience", "source_file", "source_sheet",
                                     "source_row"], key="left_out")
