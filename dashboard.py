"""Prevention dashboard: `streamlit run dashboard.py`. Page config, the shared filter sidebar, the
demo banner and the list of pages; each page lives in pages/."""
import streamlit as st

from ui import banner, live, shell, sidebar, state

# An emoji favicon is drawn inline; a ":material/...:" one would be fetched from fonts.gstatic.com.
st.set_page_config(page_title="Профилактика наркомании — мониторинг", page_icon="📊", layout="wide")

PAGES = [  # adding a page is one line here
    st.Page("pages/overview.py", title="Обзор", icon=":material/dashboard:", default=True),
    st.Page("pages/region.py", title="Регион", icon=":material/location_on:"),
    st.Page("pages/table.py", title="Таблица", icon=":material/table:"),
    st.Page("pages/upload.py", title="Загрузка", icon=":material/upload_file:"),
    st.Page("pages/batches.py", title="Пакеты", icon=":material/inventory_2:"),
    st.Page("pages/quality.py", title="Качество данных", icon=":material/fact_check:"),
]

page = st.navigation(PAGES)
data = state.data()
sidebar.render(data)
banner.demo_banner(data)
shell.mark()
live.follow_data_version()
page.run()
