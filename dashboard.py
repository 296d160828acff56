"""Prevention dashboard: `streamlit run dashboard.py`. Page config, sign-in, the pages each role may open, the
shared filter sidebar and the banners; each page lives in prevention/app/views/."""
import streamlit as st

from prevention.app.components import banner, sidebar, style
from prevention.app.session import auth, live, state
from prevention.app.session.auth import NavPage
from prevention.service import socket_server
from prevention.storage import errorlog

errorlog.configure()  # internal errors with their tracebacks go to logs/prevention.log
socket_server.serve_beside(state.db_path())  # once per process: the command line reaches the dashboard via <db>.sock
# An emoji favicon is drawn inline; a ":material/...:" one would be fetched from fonts.gstatic.com.
st.set_page_config(page_title="Профилактика наркомании — мониторинг", page_icon="📊", layout="wide")

PAGES = [  # adding a page is one line here: file, title (data/i18n key), icon, the least role that may open it
    NavPage("prevention/app/views/overview.py", "nav.overview", ":material/dashboard:", "viewer", default=True),
    NavPage("prevention/app/views/region.py", "nav.region", ":material/location_on:", "viewer"),
    NavPage("prevention/app/views/table.py", "nav.table", ":material/table:", "viewer"),
    NavPage("prevention/app/views/upload.py", "nav.upload", ":material/upload_file:", "analyst"),
    NavPage("prevention/app/views/batches.py", "nav.batches", ":material/inventory_2:", "analyst"),
    NavPage("prevention/app/views/quality.py", "nav.quality", ":material/fact_check:", "analyst"),
    NavPage("prevention/app/views/users.py", "nav.users", ":material/group:", "admin"),
    NavPage("prevention/app/views/audit.py", "nav.audit", ":material/history:", "admin"),
]

user = auth.signed_in(PAGES)  # the sign-in screen (and a stop) until someone is signed in
page = auth.navigation(PAGES, user)  # only the pages this role may open
style.apply()  # after the language is known: the uploader's own words are replaced in it
data = state.data()
sidebar.render(data)
auth.local_mode_banner()
banner.demo_banner(data)
live.follow_data_version()
page.run()
