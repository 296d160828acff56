"""What the socket server runs: the command line's own commands, on a connection of the dashboard's process
(DuckDB gives every connection of one process to one file the same database, so this one shares the dashboard's
and its write lock), their output captured as the command line would have printed it."""
from __future__ import annotations

import io
import logging
from pathlib import Path

from prevention.storage import db
from prevention.storage.transaction import WRITE_LOCK
from prevention.texts import lookup as catalogue

log = logging.getLogger(__name__)


def _handlers() -> dict:
    from prevention.cli import backup, load, users

    return {"load": load.execute, "users": users.execute, "backup": backup.execute}


def run(db_path: Path, request: dict) -> dict:
    """{"stdout", "stderr", "code"} of the request; never raises (a bug is logged and answered with exit 1)."""
    out, err = io.StringIO(), io.StringIO()
    if not isinstance(request, dict):
        request = {}
    lang = request.get("lang")
    handler = _handlers().get(request.get("command"))
    if handler is None:
        return {"stdout": "", "stderr": catalogue.t("service.bad_request", lang) + "\n", "code": 2}
    try:
        with WRITE_LOCK:  # opening migrates when needed (a no-op once the dashboard has): no write meanwhile
            con = db.connect(db_path)
    except db.DatabaseError as e:
        text = catalogue.t("cli.db_error", lang, path=str(db_path), error=str(e.__cause__ or e))
        return {"stdout": "", "stderr": catalogue.t("cli.error", lang, text=text) + "\n", "code": 1}
    try:
        code = handler(con, request, out, err)
    except Exception:  # noqa: BLE001 - the traceback goes to the error log, the person gets a sentence
        log.exception("socket command %s failed", request.get("command"))
        err.write(catalogue.t("cli.error", lang, text=catalogue.t("service.internal", lang)) + "\n")
        code = 1
    finally:
        con.close()
    return {"stdout": out.getvalue(), "stderr": err.getvalue(), "code": code}
