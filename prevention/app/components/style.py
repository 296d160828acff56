"""The few rules Streamlit's own styling lacks, as one stylesheet every page gets: KPI cards whose labels wrap
instead of being cut with «…» (five cards at 1366 px, Kazakh labels at 1500 px) and whose values shrink on narrow
cards instead of being clipped."""
import streamlit as st

CSS = """<style>
[data-testid="stMetricLabel"], [data-testid="stMetricLabel"] * {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
  overflow-wrap: anywhere; height: auto !important;
}
[data-testid="stMetricValue"], [data-testid="stMetricValue"] * {
  white-space: nowrap; overflow: visible !important; text-overflow: clip !important;
}
[data-testid="stMetricValue"] { font-size: clamp(1.5rem, 2.3vw, 2.25rem); }
[data-testid="stMetricDelta"], [data-testid="stMetricDelta"] * {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
}
</style>"""


def apply() -> None:
    """Add the stylesheet to this run's page (it takes no room)."""
    st.html(CSS)
