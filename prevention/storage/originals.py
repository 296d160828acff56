"""Original uploads kept beside the database, named by their sha256, so an analyst can download what was loaded."""
from __future__ import annotations

import contextlib
import os
import re
import time
import uuid
from pathlib import Path

import duckdb

UPLOAD_EXTENSIONS = ("xlsx", "xlsm", "xls", "ods", "csv")
MIME_TYPES = {
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".xlsm": "application/vnd.ms-excel.sheet.macroEnabled.12",
    ".xls": "application/vnd.ms-excel",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".csv": "text/csv",
}

def uploads_dir(db_path: str | os.PathLike) -> Path:
    """Where original uploads are kept: the folder «uploads» next to the database file."""
    return Path(db_path).resolve().parent / "uploads"


def extension(file_name: str) -> str:
    """The file's extension (with the dot, lower case) when it is one we accept, else ""."""
    suffix = Path(file_name).suffix.lower()
    return suffix if suffix.lstrip(".") in UPLOAD_EXTENSIONS else ""


def original_path(folder: Path, sha256: str, file_name: str) -> Path:
    """<folder>/<sha256><ext>: named by content, never by the name the user gave the file."""
    if not re.fullmatch(r"[0-9a-f]{64}", sha256 or ""):
        raise ValueError(f"not a sha256: {sha256!r}")
    return folder / f"{sha256}{extension(file_name)}"


def write_temporary(folder: Path, sha256: str, file_name: str, data: bytes) -> Path:
    """The uploaded bytes in a temporary file beside where they will be kept (same file system: the move is a
    rename). Raises OSError when the folder cannot be written."""
    folder.mkdir(parents=True, exist_ok=True)
    final = original_path(folder, sha256, file_name)
    sweep_stale_parts(folder, final.name)
    temporary = final.with_name(f"{final.name}.{uuid.uuid4().hex}.part")
    try:
        with open(temporary, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        discard(temporary)
        raise
    return temporary


STALE_PART_SECONDS = 3600  # no load takes an hour: a temporary file that old was left by a killed process


def sweep_stale_parts(folder: Path, kept_name: str, now: float | None = None) -> int:
    """Remove temporary files of these bytes (`<kept_name>.<id>.part`) left by a load killed before its rename;
    returns how many. Fresh ones may belong to a load running now and stay."""
    now = time.time() if now is None else now
    removed = 0
    for path in folder.glob(f"{kept_name}.*.part"):
        with contextlib.suppress(OSError):
            if now - path.stat().st_mtime > STALE_PART_SECONDS:
                path.unlink()
                removed += 1
    return removed


def move_into_place(temporary: Path, folder: Path, sha256: str, file_name: str) -> Path:
    """Rename the temporary file to <sha256><ext> (and flush the folder, so the name survives a power cut as the
    commit that follows does); raises OSError when it cannot."""
    final = original_path(folder, sha256, file_name)
    os.replace(temporary, final)
    _sync_folder(folder)
    return final


def _sync_folder(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def discard(path: Path | None) -> None:
    """Remove a file if it is there; never raises (clean-up after a failure)."""
    if path is None:
        return
    with contextlib.suppress(OSError):
        path.unlink(missing_ok=True)


def save_original(folder: Path, sha256: str, file_name: str, data: bytes) -> Path:
    """Write the uploaded bytes once (atomically: a temporary file renamed into place)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = original_path(folder, sha256, file_name)
    if path.exists() and path.stat().st_size == len(data):
        return path
    temporary = path.with_name(path.name + ".part")
    temporary.write_bytes(data)
    os.replace(temporary, path)
    return path


def remove_original_if_unused(con: duckdb.DuckDBPyConnection, folder: Path, sha256: str, file_name: str) -> bool:
    """Delete a stored original once no batch has those bytes any more. True when a file was removed."""
    still_used = con.cursor().execute("SELECT count(*) FROM batch WHERE sha256 = ?", [sha256]).fetchone()[0]
    path = original_path(folder, sha256, file_name)
    if still_used or not path.exists():
        return False
    try:  # after the commit: a file that cannot be removed stays, the deletion itself is done
        path.unlink()
    except OSError:
        return False
    return True

