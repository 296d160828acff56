"""What the socket server and its client agree on: where the socket is, and one JSON object per line each way.

Request: {"command": "load" | "users" | "backup", ...the command's fields}. Reply: {"stdout": str, "stderr": str,
"code": int}: exactly what the command line would have printed and its exit code."""
from __future__ import annotations

import json
import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

MAX_REQUEST = 256 * 2**20  # several 25 MB workbooks, base64-encoded
MAX_PATH = 100  # sun_path holds 108 bytes on Linux; longer paths go through /proc/self/fd


def socket_path(db_path: str | os.PathLike) -> Path:
    """<database file>.sock, beside the file."""
    db = Path(db_path).resolve()
    return db.with_name(db.name + ".sock")


@contextmanager
def addressable(path: Path) -> Iterator[str]:
    """An address for bind() or connect(): the path itself, or for a path too long for sun_path the same file
    reached through an open descriptor of its folder (/proc/self/fd/N/name)."""
    if len(os.fsencode(path)) < MAX_PATH:
        yield str(path)
        return
    fd = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
    try:
        yield f"/proc/self/fd/{fd}/{path.name}"
    finally:
        os.close(fd)


def send(sock: socket.socket, message: dict) -> None:
    sock.sendall(json.dumps(message, ensure_ascii=False).encode("utf-8") + b"\n")


class Truncated(Exception):
    "The other side closed the connection before a whole line (or sent more than MAX_REQUEST)."


def receive(sock: socket.socket, limit: int = MAX_REQUEST) -> dict:
    """One JSON line; socket.timeout propagates, Truncated when the line never ends."""
    chunks: list[bytes] = []
    size = 0
    while True:
        chunk = sock.recv(1 << 20)
        if not chunk:
            raise Truncated("connection closed")
        newline = chunk.find(b"\n")
        if newline >= 0:
            chunks.append(chunk[:newline])
            return json.loads(b"".join(chunks).decode("utf-8"))
        chunks.append(chunk)
        size += len(chunk)
        if size > limit:
            raise Truncated("request too large")
