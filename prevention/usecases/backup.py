"""Backups: the database as Parquet (prevention.storage.backups), the kept originals of its batches and a
manifest, in one dated folder; and a restore into a new database file, checked against the manifest.

A backup is written under `<folder>.part` and renamed when whole, so a folder without that suffix is complete."""
from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb

from prevention.storage import backups, db, originals

MANIFEST = "manifest.json"
DATABASE = "database"  # the EXPORT DATABASE folder inside a backup
ORIGINALS = "originals"


class NotABackup(Exception):
    "The folder has no manifest.json or no database export."


class NotEmpty(Exception):
    "The target database already holds tables; --force replaces it."

    def __init__(self, rows: int) -> None:
        super().__init__(f"{rows} rows")
        self.rows = rows


class Mismatch(Exception):
    "The restored database's row counts differ from the manifest's."

    def __init__(self, table: str, expected: int, got: int) -> None:
        super().__init__(f"{table}: {got} rows, expected {expected}")
        self.table, self.expected, self.got = table, expected, got


@dataclass
class Backup:
    folder: Path
    tables: dict[str, int]
    originals: list[str] = field(default_factory=list)
    missing: list[int] = field(default_factory=list)  # batches whose original file was not found


def folder_name(now: datetime, parent: Path) -> Path:
    """<parent>/2026-12-02T1130, or …T1130-2 when a backup of that minute exists."""
    base = now.strftime("%Y-%m-%dT%H%M")
    candidate, n = parent / base, 1
    while candidate.exists() or candidate.with_name(candidate.name + ".part").exists():
        n += 1
        candidate = parent / f"{base}-{n}"
    return candidate


def create_backup(con: duckdb.DuckDBPyConnection, uploads: Path, to: Path, now: datetime | None = None) -> Backup:
    """Export the database and copy the originals its batches keep into a new dated folder under `to`."""
    now = now or datetime.now()
    to.mkdir(parents=True, exist_ok=True)
    final = folder_name(now, to)
    work = final.with_name(final.name + ".part")
    work.mkdir()
    try:
        tables, kept = backups.export_database(con, work / DATABASE)
        copied, missing = _copy_originals(kept, uploads, work / ORIGINALS)
        manifest = {"format": 1, "created_at": now.isoformat(timespec="seconds"),
                    "schema_version": _schema_version(con),
                    "duckdb": duckdb.__version__, "tables": tables, "originals": copied, "missing_originals": missing}
        (work / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(work, final)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return Backup(final, tables, [c["file"] for c in copied], missing)


def _schema_version(con) -> int | None:
    return con.cursor().execute("SELECT max(version) FROM schema_version").fetchone()[0]


def _copy_originals(kept: list[tuple], uploads: Path, target: Path) -> tuple[list[dict], list[int]]:
    target.mkdir()
    copied: dict[str, dict] = {}
    missing: list[int] = []
    for batch_id, sha256, file_name in kept:
        source = originals.original_path(uploads, sha256, file_name)
        if source.name in copied:
            continue
        if not source.is_file():
            missing.append(batch_id)
            continue
        shutil.copy2(source, target / source.name)
        copied[source.name] = {"file": source.name, "sha256": sha256, "bytes": source.stat().st_size}
    return list(copied.values()), missing


@dataclass
class Restored:
    db: Path
    tables: dict[str, int]
    originals: int


def read_manifest(folder: Path) -> dict:
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise NotABackup(str(folder)) from e
    if not (folder / DATABASE / "schema.sql").is_file() or not isinstance(manifest.get("tables"), dict):
        raise NotABackup(str(folder))
    return manifest


def restore_backup(folder: Path, target: Path, force: bool = False) -> Restored:
    """Import the backup into `target`: a new file, or (with force) one that replaces a database with tables.
    The import goes to a temporary file beside the target, is checked against the manifest, then renamed into
    place; the originals go to the uploads folder beside the target. Raises NotABackup, NotEmpty, Mismatch,
    DatabaseLocked (the target is held by a running dashboard)."""
    manifest = read_manifest(folder)
    _check_target(target, force)
    temporary = target.with_name(f"{target.name}.restoring")
    _remove_database(temporary)
    try:
        con = db.connect(temporary, upgrade=False)
        try:
            tables = backups.import_database(con, folder / DATABASE)
            con.execute("CHECKPOINT")
        finally:
            con.close()
        for table, expected in manifest["tables"].items():
            if tables.get(table) != expected:
                raise Mismatch(table, expected, tables.get(table, 0))
        _remove_database(target)
        os.replace(temporary, target)
    except BaseException:
        _remove_database(temporary)
        raise
    db.connect(target).close()  # a backup of an older schema is brought up to date
    count = _restore_originals(folder / ORIGINALS, originals.uploads_dir(target))
    return Restored(target, tables, count)


def _check_target(target: Path, force: bool) -> None:
    if not target.exists() or target.stat().st_size == 0:
        return
    con = db.connect(target, upgrade=False)  # DatabaseLocked when a dashboard holds it
    try:
        tables = backups.table_rows(con)
    finally:
        con.close()
    if tables and not force:
        raise NotEmpty(sum(tables.values()))


def _remove_database(path: Path) -> None:
    for part in (path, path.with_name(path.name + ".wal")):
        part.unlink(missing_ok=True)


def _restore_originals(source: Path, uploads: Path) -> int:
    if not source.is_dir():
        return 0
    uploads.mkdir(parents=True, exist_ok=True)
    count = 0
    for path in source.iterdir():
        destination = uploads / path.name
        if not destination.exists() or destination.stat().st_size != path.stat().st_size:
            shutil.copy2(path, destination)
        count += 1
    return count
