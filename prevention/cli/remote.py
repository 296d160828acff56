"""The command line beside a running dashboard: when the dashboard holds the database, the command goes through
its socket (prevention.service.socket_server runs the same command there) and prints what it would have printed."""
from __future__ import annotations

import os
import sys
from collections.abc import Callable

from prevention.ipc import client
from prevention.texts import lookup as catalogue

TIMEOUTS = {"load": 120.0, "users": 30.0, "backup": 600.0}  # seconds the command line waits for the dashboard
TIMEOUT_VARIABLE = "PREVENTION_SOCKET_TIMEOUT"  # overrides them all (tests, slow machines)


def timeout_for(command: str) -> float:
    value = os.environ.get(TIMEOUT_VARIABLE)
    try:
        return float(value) if value else TIMEOUTS[command]
    except ValueError:
        return TIMEOUTS[command]


def say_error(text: str, lang: str) -> None:
    print(catalogue.t("cli.error", lang, text=text), file=sys.stderr)


def forward(db_path, request: dict, lang: str, refuse: Callable[[str, str], None] = say_error) -> int | None:
    """Run `request` in the dashboard holding `db_path`, print its output, return its exit code; None when no
    dashboard listens (the caller then says the database is busy, as before). `refuse(text, lang)` prints why the
    dashboard gave no answer (by default «Ошибка: …» on standard error)."""
    seconds = timeout_for(request["command"])
    try:
        reply = client.call(db_path, request, seconds)
    except client.NoServer:
        return None
    except client.NoAnswer as e:
        key = "service.no_answer" if e.reason == "timeout" else "service.connection_lost"
        refuse(catalogue.t(key, lang, seconds=f"{seconds:.0f}", command=request["command"]), lang)
        return 1
    sys.stdout.write(reply.get("stdout") or "")
    sys.stderr.write(reply.get("stderr") or "")
    sys.stdout.flush()
    return reply["code"]
