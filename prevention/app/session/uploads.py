"""Uploaded files live in the server's memory until their session ends: only signed-in analysts may keep any.

Streamlit accepts a PUT to /_stcore/upload_file from any session that has a websocket, signed in or not, and
keeps the file until the session is shut down, which may be never for a visitor who leaves the sign-in screen
open or closes it (a disconnected session is only cleaned up lazily). So:
- every run says whether its session may hold uploads (`allow`): a signed-in analyst's may, nobody else's;
- a session that may not, drops all of its files at once (the sign-in screen, a viewer's pages);
- a sweeper thread (one per process) drops, every few seconds, the files of every session that may not hold
  any or is no longer connected, so a visitor who never lets the page run again holds nothing for long;
- the upload page drops its files once they are loaded.
"""
from __future__ import annotations

import logging
import threading
import time

import streamlit as st

from prevention.app.session.workspace import release_memory

log = logging.getLogger(__name__)
SWEEP_SECONDS = 5.0


def _context():
    try:
        from streamlit.runtime.scriptrunner_utils.script_run_context import (
            get_script_run_ctx,
        )
    except ImportError:
        return None
    return get_script_run_ctx()


class UploadGate:
    """The sessions that may hold uploaded files now (signed-in analysts), and the sweeper that enforces it."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.allowed: set[str] = set()
        self.started = False

    def allow(self, session_id: str, allowed: bool) -> None:
        with self.lock:
            (self.allowed.add if allowed else self.allowed.discard)(session_id)

    def may_hold(self, session_id: str) -> bool:
        with self.lock:
            return session_id in self.allowed

    def start(self, manager) -> None:
        """Start the sweeper once, when a real server runs (not under AppTest, which has no Runtime)."""
        from streamlit.runtime import Runtime

        with self.lock:
            if self.started or not Runtime.exists() or not hasattr(manager, "file_storage"):
                return
            self.started = True
        threading.Thread(target=self._sweep, args=(manager, Runtime.instance()), name="upload-sweeper",
                         daemon=True).start()

    def _sweep(self, manager, runtime) -> None:
        while True:
            time.sleep(SWEEP_SECONDS)
            try:
                if self.sweep_once(manager, runtime.is_active_session):
                    release_memory()  # hand the dropped files' memory back to the operating system
            except Exception:
                log.log(logging.ERROR, "upload sweep failed", exc_info=True)

    def sweep_once(self, manager, is_active) -> int:
        """Drop the files of sessions that may not hold any or are gone; returns how many sessions lost files."""
        dropped = 0
        for session_id in list(manager.file_storage):
            active = is_active(session_id)
            if not active:
                self.allow(session_id, False)
            if not active or not self.may_hold(session_id):
                manager.remove_session_files(session_id)
                dropped += 1
        return dropped


@st.cache_resource(show_spinner=False)
def gate() -> UploadGate:
    return UploadGate()


def allow(may_upload: bool) -> None:
    """Called on every run: whether this session may hold uploads; when not, its files go now."""
    ctx = _context()
    manager = getattr(ctx, "uploaded_file_mgr", None)
    if manager is None:
        return
    keeper = gate()
    keeper.allow(ctx.session_id, may_upload)
    keeper.start(manager)
    if not may_upload:
        manager.remove_session_files(ctx.session_id)


def drop_uploads(file_ids: list[str]) -> None:
    """Remove these uploaded files of this session from the server's memory (after they were loaded)."""
    ctx = _context()
    manager = getattr(ctx, "uploaded_file_mgr", None)
    if manager is None:
        return
    for file_id in file_ids:
        manager.remove_file(session_id=ctx.session_id, file_id=file_id)
