"""`python -m prevention.backup`: a dated folder (Parquet export, kept originals, manifest) and a restore into a
new file that matches the database table for table, row for row; a database with data is replaced only with
--force. (The backup beside a running dashboard: tests/test_cli_beside_dashboard.py.)"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from prevention.storage import backups, db, originals
from prevention.storage.accounts import create_user
from tests.conftest import load
from tests.workbooks import KARAGANDA_JUNE_2025, event_log, event_rows

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parent.parent


def backup_cli(*args):
    env = {k: v for k, v in os.environ.items() if k != "PREVENTION_DB"}
    return subprocess.run([sys.executable, "-m", "prevention.backup", *map(str, args)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120, check=False)


@pytest.fixture
def loaded(tmp_path) -> Path:
    """A database with two batches (one with a rejected row), an account and their audit entries."""
    path = tmp_path / "live" / "prevention.duckdb"
    con = db.connect(path)
    try:
        assert load(con, event_log(tmp_path / "karaganda.xlsx", KARAGANDA_JUNE_2025)).status == "loaded"
        rows = event_rows(30) + [[31, "не дата", "Карагандинская область", "", "", "лекция", "ДП", 5, 0, 0]]
        assert load(con, event_log(tmp_path / "log.xlsx", rows)).rows_rejected == 1
        create_user(con, "dana", "Balkhash-Shore-2025", "admin")
    finally:
        con.close()
    return path


def every_row(path: Path) -> dict[str, list]:
    con = db.connect(path, read_only=True)
    try:
        return {table: con.execute(f'SELECT * FROM "{table}" ORDER BY ALL').fetchall()
                for table in backups.table_rows(con)}
    finally:
        con.close()


def test_a_backup_restores_into_a_new_file_table_for_table_row_for_row(loaded, tmp_path):
    made = backup_cli("create", "--db", loaded)
    assert made.returncode == 0, made.stderr
    [folder] = (loaded.parent / "backups").iterdir()  # the default: backups beside the database
    assert made.stdout.startswith(f"Резервная копия: {folder}\n")
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["tables"]["activity_record"] == 34 and manifest["tables"]["rejected_record"] == 1
    assert manifest["schema_version"] == len(db.MIGRATIONS) and manifest["missing_originals"] == []
    assert sorted(p.name for p in (folder / "originals").iterdir()) == sorted(o["file"] for o in manifest["originals"])
    assert len(manifest["originals"]) == 2

    target = tmp_path / "elsewhere" / "restored.duckdb"
    restored = backup_cli("restore", folder, "--db", target)
    assert restored.returncode == 0, restored.stderr
    assert every_row(target) == every_row(loaded)
    for kept in (loaded.parent / "uploads").iterdir():
        assert (target.parent / "uploads" / kept.name).read_bytes() == kept.read_bytes()

    con = db.connect(target)  # the restored database goes on: sequences continue, duplicates are known
    try:
        again = load(con, tmp_path / "karaganda.xlsx")
        assert again.status == "duplicate"
        assert load(con, event_log(tmp_path / "new.xlsx", event_rows(3, start=100))).batch_id == 3
    finally:
        con.close()


def test_a_database_with_data_is_replaced_only_with_force(loaded, tmp_path):
    assert backup_cli("create", "--db", loaded, "--to", tmp_path / "b").returncode == 0
    [folder] = (tmp_path / "b").iterdir()
    other = tmp_path / "other.duckdb"
    con = db.connect(other)
    assert load(con, event_log(tmp_path / "x.xlsx", event_rows(5, start=500))).status == "loaded"
    con.close()
    before = every_row(other)

    refused = backup_cli("restore", folder, "--db", other)
    assert refused.returncode == 1 and refused.stdout == ""
    assert refused.stderr.startswith(f"Ошибка: {other} уже содержит данные (")
    assert "--force" in refused.stderr
    assert every_row(other) == before  # untouched

    forced = backup_cli("restore", folder, "--db", other, "--force")
    assert forced.returncode == 0, forced.stderr
    assert every_row(other) == every_row(loaded)


def test_what_is_not_a_backup_is_refused_in_words(tmp_path):
    for args in (("--lang", "en", "restore", tmp_path), ("restore", tmp_path, "--lang", "en")):
        result = backup_cli(*args, "--db", tmp_path / "n.duckdb")
        assert result.returncode == 1
        assert result.stderr == f"Error: {tmp_path} is not a backup (no manifest.json or database folder).\n"
    assert not (tmp_path / "n.duckdb").exists()
    assert backup_cli("restore").returncode == 2


def test_two_backups_in_one_minute_get_two_folders_and_a_missing_original_is_listed(loaded, tmp_path):
    con = db.connect(loaded)
    sha, name = con.execute("SELECT sha256, file_name FROM batch WHERE batch_id = 1").fetchone()
    con.close()
    originals.original_path(loaded.parent / "uploads", sha, name).unlink()
    first = backup_cli("create", "--db", loaded, "--to", tmp_path / "b")
    second = backup_cli("create", "--db", loaded, "--to", tmp_path / "b")
    assert first.returncode == second.returncode == 0
    folders = sorted((tmp_path / "b").iterdir())
    assert len(folders) == 2 and not any(f.name.endswith(".part") for f in folders)
    assert "нет исходных файлов пакетов: 1" in second.stdout
    assert json.loads((folders[-1] / "manifest.json").read_text())["missing_originals"] == [1]
