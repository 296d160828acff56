"""Uploaded files live in the server's memory until their session ends: drop them as soon as they are not needed.

Streamlit accepts a PUT to /_stcore/upload_file from any session that has a websocket, signed in or not; a
session that is not signed in never needs a file, so every run of the sign-in screen drops all of its session's
files, and the upload page drops its files once they are loaded."""
from __future__ import annotations


def _context():
    try:
        from streamlit.runtime.scriptrunner_utils.script_run_context import (
            get_script_run_ctx,
        )
    except ImportError:
        return None
    return get_script_run_ctx()


def drop_uploads(file_ids: list[str] | None = None) -> None:
    """Remove this session's uploaded files from the server's memory: the given ones, or all of them."""
    ctx = _context()
    manager = getattr(ctx, "uploaded_file_mgr", None)
    if manager is None:
        return
    if file_ids is None:
        manager.remove_session_files(ctx.session_id)
        return
    for file_id in file_ids:
        manager.remove_file(session_id=ctx.session_id, file_id=file_id)
