"""The dashboard's socket server: started once per process (lazily, from dashboard.py), a daemon thread that
accepts the command line's requests on <database>.sock and runs them (prevention.service.commands) on a connection
of this process, which already holds the database file.

Only the same operating-system user can connect: the socket is created with mode 0600 (bound under a temporary
name, restricted, then renamed into place, so it is never reachable with wider rights) and every peer's uid is
checked (SO_PEERCRED). A socket file left by a killed server is replaced; ours is removed at exit."""
from __future__ import annotations

import atexit
import logging
import os
import socket
import struct
import threading
from pathlib import Path

from prevention.ipc import protocol
from prevention.service import commands

log = logging.getLogger(__name__)

_servers: dict[Path, Path] = {}  # database -> its socket: the one piece of process state (start once)
_start_lock = threading.Lock()


def serve_beside(db_path: str | os.PathLike) -> Path | None:
    """Start the server for this database unless this process already did; returns the socket's path (None when
    it could not be created: the dashboard works on, the command line then says the database is busy)."""
    db = Path(db_path).resolve()
    with _start_lock:
        if db in _servers:
            return _servers[db]
        try:
            db.parent.mkdir(parents=True, exist_ok=True)  # as the connection does: the folder may be new
            listener, path = _bind(db)
        except (OSError, AttributeError) as e:  # AttributeError: no Unix sockets on this system
            log.warning("socket beside %s not started: %s", db, e)
            return None
        _servers[db] = path
    identity = os.stat(path).st_ino
    atexit.register(_remove, path, identity)
    threading.Thread(target=_accept, args=(listener, db), name="prevention-socket", daemon=True).start()
    return path


def _bind(db: Path) -> tuple[socket.socket, Path]:
    path = protocol.socket_path(db)
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        if temporary.exists():
            temporary.unlink()
        with protocol.addressable(temporary) as address:
            listener.bind(address)
        os.chmod(temporary, 0o600)
        listener.listen(8)
        os.replace(temporary, path)  # replaces a stale socket file left by a killed server
    except OSError:
        listener.close()
        temporary.unlink(missing_ok=True)
        raise
    return listener, path


def _remove(path: Path, identity: int) -> None:
    """At exit: remove the socket file if it is still ours."""
    try:
        if os.stat(path).st_ino == identity:
            path.unlink()
    except OSError:
        pass


def _accept(listener: socket.socket, db: Path) -> None:
    while True:
        try:
            conn, _ = listener.accept()
        except OSError as e:
            log.warning("socket beside %s stopped: %s", db, e)
            return
        threading.Thread(target=_serve, args=(conn, db), name="prevention-socket-request", daemon=True).start()


def same_user(conn: socket.socket) -> bool:
    """The peer runs as this process's user (Linux SO_PEERCRED: pid, uid, gid; elsewhere the socket's mode 0600 is
    the only guard)."""
    if not hasattr(socket, "SO_PEERCRED"):
        return True
    credentials = conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
    _, uid, _ = struct.unpack("3i", credentials)
    return uid == os.getuid()


def _serve(conn: socket.socket, db: Path) -> None:
    with conn:
        try:
            if not same_user(conn):
                return
            conn.settimeout(60)  # reading the request; running it takes as long as it takes
            request = protocol.receive(conn)
            conn.settimeout(None)
            protocol.send(conn, commands.run(db, request))
        except (OSError, ValueError, protocol.Truncated) as e:
            log.warning("socket request not answered: %s", e)
        except Exception:  # noqa: BLE001 - a bug must not end the thread silently
            log.exception("socket request failed")
