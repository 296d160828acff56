"""Banners every page shows: the demo-data warning and the empty-database state."""
from __future__ import annotations

import importlib.util

import streamlit as st

from prevention.storage import batches
from prevention.app.session.i18n import tr
from prevention.app.session.state import Data, connection


def _may_change_data() -> bool:
    """Only analysts and admins write to the database; viewers see the banner without its button."""
    from prevention.app.session import auth

    user = auth.current_user()
    return user is not None and user.can("analyst")


def _delete_demo() -> None:
    if not _may_change_data():
        return
    from prevention.app.session import auth

    removed = batches.delete_demo(connection())
    auth.audit("delete", demo=True, batches=removed)
    st.session_state["_demo_removed"] = removed


def _load_demo() -> None:
    if not _may_change_data():
        return
    from prevention import demo  # written by the data side; imported only when asked for
    from prevention.app.session import auth

    batch_id = demo.load_demo(connection())
    auth.audit("upload", demo=True, batch_id=batch_id)


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
    if _may_change_data() and importlib.util.find_spec("prevention.demo") is not None:
        st.button(tr("banner.load_demo"), key="load_demo", on_click=_load_demo)
    return True
