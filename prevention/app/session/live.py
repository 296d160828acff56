"""Keep every open session's numbers current: a load or deletion in any session bumps the data version,
and each session notices within a few seconds and reruns itself."""
from __future__ import annotations

from datetime import timedelta

import streamlit as st

from prevention.app.session import state
from prevention.storage import db

POLL = timedelta(seconds=15)
_SEEN = "_data_version_seen"


@st.fragment(run_every=POLL)
def follow_data_version() -> None:
    """Renders nothing; reruns the whole app when another session changed the data."""
    version = db.data_version(state.connection())
    seen = st.session_state.setdefault(_SEEN, version)
    if version != seen:
        st.session_state[_SEEN] = version
        st.rerun(scope="app")
