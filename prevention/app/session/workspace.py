"""Shared helpers of the analysts' pages (Загрузка, Пакеты, Качество данных): who is working, where originals
are kept, cached quality queries keyed on the data version, and what to do after the data changed."""
from __future__ import annotations

import contextlib
import ctypes
import gc
import sys
from importlib import import_module
from pathlib import Path
from typing import Any

import streamlit as st

from prevention.app.session import state
from prevention.storage import db, originals

LOCAL_USER = "local"


def username() -> str:
    """The signed-in user's name (sign-in comes later), else «local»."""
    return st.session_state.get("username") or LOCAL_USER


def uploads_folder() -> Path:
    """data/uploads next to the database in use (a temporary folder for tests with a temporary database)."""
    return originals.uploads_dir(db.resolve_path())


@st.cache_data(show_spinner=False, max_entries=100, ttl=6 * 3600)
def _cached(module: str, name: str, path: str, version: int, args: tuple) -> Any:
    return getattr(import_module(f"prevention.queries.{module}"), name)(state.connection(), *args)


def query(module: str, name: str, *args) -> Any:
    """prevention.queries.<module>.<name>(con, *args), cached until the next load or deletion bumps data_version."""
    return _cached(module, name, state.db_path(), db.data_version(state.connection()), args)


def data_changed() -> None:
    """After a load, a replacement or a deletion. Cached results are keyed on data_version, so every session
    already gets fresh numbers on its next run; clearing drops the stale entries' memory at once."""
    st.cache_data.clear()


def release_memory() -> None:
    """Give freed memory back to the operating system after a large file was parsed and stored."""
    gc.collect()
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL("libc.so.6").malloc_trim(0)
