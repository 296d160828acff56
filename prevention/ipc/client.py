"""The command line's side of the socket: send one request to the dashboard beside the database, wait (bounded)
for its reply. No messages here: the CLI turns the two exceptions into words."""
from __future__ import annotations

import os
import socket
import time
from pathlib import Path

from prevention.ipc import protocol

CONNECT_SECONDS = 3.0


class NoServer(Exception):
    "No dashboard listens beside this database (no socket file, or a stale one left by a killed server)."


class NoAnswer(Exception):
    "The dashboard took the request but did not answer in time, or closed the connection without an answer."

    def __init__(self, reason: str, seconds: float) -> None:
        super().__init__(f"{reason} after {seconds:.0f} s")
        self.reason, self.seconds = reason, seconds  # reason: "timeout" | "closed"


def call(db_path: str | os.PathLike, request: dict, timeout: float) -> dict:
    """The reply {"stdout", "stderr", "code"} of the dashboard holding `db_path`."""
    path = protocol.socket_path(db_path)
    sock = _connect(path)
    started = time.monotonic()
    try:
        sock.settimeout(timeout)
        try:
            protocol.send(sock, request)
            sock.shutdown(socket.SHUT_WR)
            reply = protocol.receive(sock)
        except TimeoutError as e:
            raise NoAnswer("timeout", time.monotonic() - started) from e
        except (protocol.Truncated, OSError, ValueError) as e:
            raise NoAnswer("closed", time.monotonic() - started) from e
    finally:
        sock.close()
    if not isinstance(reply, dict) or not isinstance(reply.get("code"), int):
        raise NoAnswer("closed", time.monotonic() - started)
    return reply


def _connect(path: Path) -> socket.socket:
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(CONNECT_SECONDS)
    try:
        with protocol.addressable(path) as address:
            sock.connect(address)
    except (FileNotFoundError, ConnectionRefusedError, TimeoutError, OSError) as e:
        sock.close()
        raise NoServer(str(path)) from e
    return sock
