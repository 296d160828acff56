"""Table: the filtered records, and downloads of exactly those rows as CSV and Excel."""
import streamlit as st

from prevention.app.components import banner
from prevention.app.components import downloads
from prevention.app.components import fmt
from prevention.app.components import sidebar
from prevention.app.session import state
from prevention.app.components import tables
from prevention.app.session.i18n import tr

SHOWN_LIMIT = 5000

data = state.data()
f = sidebar.current_filters(data)
names = data.region_names()

st.title(tr("table.title"))
st.caption(sidebar.caption(f, names))
if banner.empty_state(data):
    st.stop()

total = data.kpis(f)["records"]
st.write(tr("table.count", count=fmt.number(total)))
downloads.buttons(f, names, total)
if total > SHOWN_LIMIT:
    st.caption(tr("table.shown_first", shown=fmt.number(SHOWN_LIMIT), total=fmt.number(total)))
tables.activity_table(data.records(f, SHOWN_LIMIT), key="records")
