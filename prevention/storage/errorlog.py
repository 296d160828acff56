"""The error log: internal errors (a bug, never a user's bad file) with their tracebacks, in one file the README
names: `logs/prevention.log` beside the project, or $PREVENTION_LOG. Rotated at 5 MB, three files kept.
The dashboard and every command-line tool call `configure()` once at start."""
from __future__ import annotations

import logging
import os
from logging.handlers import RotatingFileHandler
from pathlib import Path

DEFAULT = Path(__file__).resolve().parents[2] / "logs" / "prevention.log"
_MARK = "_prevention_error_log"


def path() -> Path:
    return Path(os.environ.get("PREVENTION_LOG") or DEFAULT)


def configure(level: int = logging.WARNING) -> Path | None:
    """Send warnings and errors of the reader and the application to the error log (once per process). Returns
    the file, or None when it cannot be written (the tools then keep working without it)."""
    root = logging.getLogger()
    target = path()
    for handler in [h for h in root.handlers if getattr(h, _MARK, False)]:
        if Path(handler.baseFilename) == target.resolve():
            return target
        root.removeHandler(handler)  # the log was moved (PREVENTION_LOG changed): write where it now is
        handler.close()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handler = RotatingFileHandler(target, maxBytes=5 * 1024 * 1024, backupCount=3, encoding="utf-8")
    except OSError:
        return None
    handler.setLevel(level)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    setattr(handler, _MARK, True)
    root.addHandler(handler)
    if root.level == logging.NOTSET or root.level > level:
        root.setLevel(level)
    return target
