"""Streamlit helpers shared by the pages: cached data access, the filter sidebar, banners, widgets."""
