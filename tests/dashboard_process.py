"""A running dashboard for the command-line tests: `streamlit run dashboard.py` on a temporary database (the
browser harness's start_server), with one session opened over its websocket (no browser), so the dashboard's
script runs, opens the database and starts the socket server beside it."""
from __future__ import annotations

import time
import warnings
from pathlib import Path

from prevention.ipc.protocol import socket_path
from tests.browser.harness import start_server, stop

__all__ = ["open_dashboard", "stop"]


def _open_session(url: str) -> object:
    """A websocket session that asks for a script run (what a browser tab does first); kept open by the caller."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from websockets.sync.client import connect

    with warnings.catch_warnings():  # websockets would rather have a `with` block; the caller closes it
        warnings.simplefilter("ignore", DeprecationWarning)
        ws = connect(url.replace("http://", "ws://") + "/_stcore/stream", subprotocols=["streamlit"],
                     open_timeout=30, max_size=None)
        message = BackMsg()
        message.rerun_script.query_string = ""
        message.rerun_script.page_script_hash = ""
        ws.send(message.SerializeToString())
    return ws


def open_dashboard(db: Path, log: Path, timeout: float = 120) -> tuple:
    """(server process, url, session) once the dashboard holds `db` and its socket answers connections."""
    proc, url = start_server(db, log, timeout=timeout)
    session = _open_session(url)
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            raw = session.recv(timeout=1)
        except TimeoutError:
            continue
        message = ForwardMsg()
        message.ParseFromString(raw)
        if message.WhichOneof("type") == "script_finished" and socket_path(db).exists():
            return proc, url, session  # the first run is over: the database is open, the socket listens
    session.close()
    stop(proc)
    raise RuntimeError(f"the dashboard did not start its socket within {timeout:.0f} s: {log.read_text()[-2000:]}")
