"""Prevention dashboard: `streamlit run dashboard.py`. Page config, sign-in, the pages each role may open, the
shared filter sidebar and the banners; each page lives in pages/."""
import streamlit as st

from ui import auth, banner, live, shell, sidebar, state
from ui.auth import NavPage

# An emoji favicon is drawn inline; a ":material/...:" one would be fetched from fonts.gstatic.com.
st.set_page_config(page_title="Профилактика наркомании — мониторинг", page_icon="📊", layout="wide")

PAGES = [  # adding a page is one line here: file, title (data/i18n key), icon, the least role that may open it
    NavPage("pages/overview.py", "nav.overview", ":material/dashboard:", "viewer", default=True),
    NavPage("pages/region.py", "nav.region", ":material/location_on:", "viewer"),
    NavPage("pages/table.py", "nav.table", ":material/table:", "viewer"),
    NavPage("pages/upload.py", "nav.upload", ":material/upload_file:", "analyst"),
    NavPage("pages/batches.py", "nav.batches", ":material/inventory_2:", "analyst"),
    NavPage("pages/quality.py", "nav.quality", ":material/fact_check:", "analyst"),
    NavPage("pages/users.py", "nav.users", ":material/group:", "admin"),
    NavPage("pages/audit.py", "nav.audit", ":material/history:", "admin"),
]

user = auth.signed_in(PAGES)  # the sign-in screen (and a stop) until someone is signed in
page = auth.navigation(PAGES, user)  # only the pages this role may open
data = state.data()
sidebar.render(data)
auth.local_mode_banner()
banner.demo_banner(data)
shell.mark()
live.follow_data_version()
page.run()
