"""Banners every page shows: the demo-data warning and the empty-database state."""
from __future__ import annotations

import importlib.util

import streamlit as st

from prevention.app.session.i18n import tr
from prevention.app.session.state import Data, connection
from prevention.usecases.rights import Forbidden


def _may_change_data() -> bool:
    """Only analysts and admins write to the database; viewers see the banner without its button."""
    from prevention.app.session import auth

    user = auth.current_user()
    return user is not None and user.can("analyst")


def _delete_demo() -> None:
    """on_click: the use case checks the rights when it runs (a callback runs before the sign-in check)."""
    from prevention.app.session import auth
    from prevention.usecases import demo

    try:
        st.session_state["_demo_removed"] = demo.delete_demo(connection(), auth.actor())
    except Forbidden:
        return


def _load_demo() -> None:
    from prevention.app.session import auth
    from prevention.usecases import demo  # imported only when asked for

    try:
        demo.load_demo(connection(), actor=auth.actor())
    except Forbidden:
        return


def demo_banner(data: Data) -> None:
    """A warning with one button that deletes every demo batch (the page then reruns by itself)."""
    removed = st.session_state.pop("_demo_removed", None)
    if removed:
        st.toast(tr("banner.demo_removed"))
    if data.has_demo():
        with st.container(border=True, key="demo_banner"):
            text, button = st.columns([5, 2], vertical_alignment="center")
            text.warning(tr("banner.demo"), icon=":material/science:")
            if _may_change_data():
                button.button(tr("banner.delete_demo"), key="delete_demo", type="primary",
                              on_click=_delete_demo, width="stretch")


def empty_state(data: Data) -> bool:
    """When no record is stored, say so in words and return True (the page then stops)."""
    if not data.is_empty():
        return False
    st.info(tr("banner.empty"), icon=":material/inbox:")
    if _may_change_data() and importlib.util.find_spec("prevention.usecases.demo") is not None:
        st.button(tr("banner.load_demo"), key="load_demo", on_click=_load_demo)
    return True


def no_records(data: Data, f) -> bool:
    """When the filters leave no record to count (a period without reports, a region and form that never met), say
    so in words instead of drawing empty axes, and return True (the page then stops after its window note)."""
    from prevention.app.components import fmt

    counts = data.kpis(f)
    if counts["records"] or counts["detail_records"]:
        return False
    st.info(tr("empty.filtered", period=fmt.period(f.date_from, f.date_to)), icon=":material/search_off:")
    return True
