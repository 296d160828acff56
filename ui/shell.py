"""Make sure a page always runs inside dashboard.py (the sidebar, the banner, the navigation).

Streamlit still knows the legacy «pages/ folder» mode: until some session of the process has called
st.navigation, a link straight to /region runs pages/region.py alone, without the entrypoint.
dashboard.py marks every run just before it runs the page; a page that finds no mark runs the
entrypoint itself (which routes back to this same page, by the URL) and stops.
"""
from __future__ import annotations

import runpy
from pathlib import Path

import streamlit as st

ENTRYPOINT = Path(__file__).resolve().parent.parent / "dashboard.py"
_MARK = "_shell_run"


def mark() -> None:
    """Called by dashboard.py just before it runs the page."""
    st.session_state[_MARK] = True


def require() -> None:
    """First line of every page."""
    if st.session_state.pop(_MARK, False):
        return
    runpy.run_path(str(ENTRYPOINT), run_name="__main__")
    st.stop()
