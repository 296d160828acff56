"""One way a file is stored (prevention.usecases.load): the command line and the Загрузка page give the same rows,
the same kept original, the same audit entry (with the user) and the same remembered mapping; a load is one unit
(nothing left behind when the original cannot be kept, no server path in the message, a retry works)."""
from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import loaders
from prevention.storage import db, mappings, originals
from prevention.storage.accounts import create_user
from tests.conftest import load
from tests.workbooks import KARAGANDA_JUNE_2025, event_log, simple_sheet

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "Steppe-Sunrise-2025"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER = ["Дата проведения", "Регион", "Форма мероприятия", "Слушатели"]
REMEMBERED = {"Слушатели": "participants"}  # an earlier analyst's correction for files with these headers
ROW_COLUMNS = ("source_sheet", "source_row", "region_code", "period_start", "period_end", "events", "participants",
               "event_type")


@pytest.fixture
def report_file(tmp_path) -> Path:
    return simple_sheet(tmp_path / "июнь_ДП.xlsx", [
        HEADER, [date(2025, 6, 2), "Карагандинская область", "лекция", 40],
        [date(2025, 6, 3), "город Астана", "беседа", 25], ["32.06.2025", "город Астана", "беседа", 5]])


@pytest.fixture
def database(tmp_path, monkeypatch) -> Path:
    """An empty database with the analyst «aigerim» and a remembered mapping for HEADER."""
    path = tmp_path / "db" / "prevention.duckdb"
    con = db.connect(path)
    create_user(con, "aigerim", PASSWORD, "analyst")
    mappings.remember_mapping(con, mappings.header_signature(HEADER), HEADER, REMEMBERED, "earlier")
    con.close()
    monkeypatch.setenv("PREVENTION_DB", str(path))
    return path


def stored(path: Path) -> dict:
    """Everything a load leaves: rows, kept originals, audit entries, remembered mappings."""
    con = db.connect(path)
    try:
        rows = con.execute(f"SELECT {', '.join(ROW_COLUMNS)} FROM activity_record ORDER BY source_row").fetchall()
        audit = [(user, action, {k: v for k, v in json.loads(details).items() if k != "channel"})
                 for user, action, details in con.execute(
                     "SELECT username, action, details FROM audit_log WHERE action <> 'sign-in' ORDER BY audit_id"
                 ).fetchall()]
        memory = con.execute("SELECT signature, overrides, updated_by FROM mapping_memory").fetchall()
        batch = con.execute("SELECT file_name, loaded_by, rows_loaded, rows_rejected FROM batch").fetchall()
        rejected = con.execute("SELECT source_row, errors FROM rejected_record").fetchall()
    finally:
        con.close()
    folder = path.parent / "uploads"
    kept = {p.name: p.read_bytes() for p in folder.iterdir()} if folder.exists() else {}
    return {"rows": rows, "audit": audit, "mapping": memory, "batch": batch, "kept": kept,
            "rejected": [(row, json.loads(problems)) for row, problems in rejected]}


def expected(report_file: Path) -> dict:
    data = report_file.read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    parsed = loaders.parse_bytes(data, report_file.name, options=loaders.ParseOptions(column_overrides=REMEMBERED))
    columns = parsed.columns
    rows = sorted(zip(*(columns[c] for c in ROW_COLUMNS)), key=lambda r: r[1])
    return {
        "rows": rows, "batch": [(report_file.name, "aigerim", 2, 1)],
        "audit": [("aigerim", "upload", {"file": report_file.name, "batch_id": 1, "sha256": sha, "shape": "events",
                                         "rows_loaded": 2, "rows_skipped": 0, "rows_rejected": 1})],
        "mapping": [(mappings.header_signature(HEADER), json.dumps(REMEMBERED, ensure_ascii=False), "earlier")],
        "kept": {f"{sha}.xlsx": data},
        "rejected": [(4, [{"sheet": "Sheet", "row": 4, "column": "Дата проведения", "code": "impossible-date",
                           "params": {"value": "32.06.2025"}}])],
    }


def test_a_command_line_load_stores_rows_original_audit_and_mapping(report_file, database):
    result = subprocess.run([sys.executable, "-m", "loaders", "--user", "aigerim", "--json", str(report_file)],
                            cwd=ROOT, env={**os.environ, "PREVENTION_DB": str(database)}, capture_output=True,
                            text=True, timeout=120, check=False)
    assert result.returncode == 1, result.stderr  # one row rejected
    assert json.loads(result.stdout)["files"][0]["status"] == "loaded"
    assert stored(database) == expected(report_file)


def test_a_page_load_stores_the_same_rows_original_audit_and_mapping(report_file, database):
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run().run()
    at.text_input(key="signin_username").input("aigerim")
    at.text_input(key="signin_password").input(PASSWORD)
    at.button(key="sign_in_submit").click().run()
    at.switch_page("prevention/app/views/upload.py").run()
    at.file_uploader[0].set_value([(report_file.name, report_file.read_bytes(), XLSX)]).run()
    assert not at.exception, at.exception
    at.button(key="commit").click().run()
    assert not at.exception, at.exception
    assert stored(database) == expected(report_file)


# ---------------------------------------------------------------- one unit

def nothing_stored(path: Path) -> None:
    con = db.connect(path)
    try:
        for table in ("batch", "activity_record", "rejected_record", "audit_log"):
            assert con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0, table
    finally:
        con.close()


@pytest.fixture
def empty(tmp_path) -> Path:
    path = tmp_path / "unit" / "prevention.duckdb"
    db.connect(path).close()
    return path


def test_an_uploads_folder_that_cannot_be_written_leaves_nothing_and_a_retry_works(tmp_path, empty):
    data = event_log(tmp_path / "k.xlsx", KARAGANDA_JUNE_2025).read_bytes()
    blocker = empty.parent / "uploads"
    blocker.write_text("a file where the folder should be")  # root ignores permissions; this stops it too
    con = db.connect(empty)
    report = load(con, data, "karaganda.xlsx")
    assert report.status == "failed" and report.failure.code == "original-not-saved"
    assert str(empty.parent) not in json.dumps(report.to_dict(), ensure_ascii=False)
    con.close()
    nothing_stored(empty)
    blocker.unlink()
    con = db.connect(empty)
    again = load(con, data, "karaganda.xlsx")
    con.close()
    assert (again.status, again.rows_loaded) == ("loaded", 4)
    assert [p.name for p in blocker.iterdir()] == [f"{again.sha256}.xlsx"]


def test_a_failed_move_into_place_rolls_the_load_back_and_a_retry_works(tmp_path, empty, monkeypatch):
    data = event_log(tmp_path / "k.xlsx", KARAGANDA_JUNE_2025).read_bytes()

    def broken(source, target):
        raise PermissionError(13, "Permission denied", str(target))
    monkeypatch.setattr(originals.os, "replace", broken)
    con = db.connect(empty)
    report = load(con, data, "karaganda.xlsx")
    assert report.status == "failed" and report.failure.code == "original-not-saved"
    assert "/" not in json.dumps(report.failure.to_dict())
    con.close()
    nothing_stored(empty)
    assert list((empty.parent / "uploads").iterdir()) == []  # the temporary file is gone too
    monkeypatch.undo()
    con = db.connect(empty)
    assert load(con, data, "karaganda.xlsx").status == "loaded"
    con.close()


def test_a_page_upload_that_cannot_keep_the_original_says_so_without_paths(tmp_path, empty, monkeypatch):
    monkeypatch.setenv("PREVENTION_DB", str(empty))
    (empty.parent / "uploads").write_text("not a folder")
    data = event_log(tmp_path / "k.xlsx", KARAGANDA_JUNE_2025).read_bytes()
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    at.switch_page("prevention/app/views/upload.py").run()
    at.file_uploader[0].set_value([("karaganda.xlsx", data, XLSX)]).run()
    at.button(key="commit").click().run()
    assert not at.exception, at.exception
    message = "\n".join(e.value for e in at.error)
    assert "Не удалось сохранить исходный файл на сервере" in message
    assert str(empty.parent) not in message and "uploads" not in message
    nothing_stored(empty)


# ---------------------------------------------------------------- replaced bytes, corrected rejected rows

def test_the_bytes_of_a_replaced_batch_are_still_a_duplicate(tmp_path, empty):
    from prevention.usecases.batches import replace_batch
    from prevention.usecases.rights import cli_actor

    first = event_log(tmp_path / "v1.xlsx", KARAGANDA_JUNE_2025[:3]).read_bytes()
    second = event_log(tmp_path / "v2.xlsx", KARAGANDA_JUNE_2025).read_bytes()
    con = db.connect(empty)
    old = load(con, first, "june.xlsx")
    new = replace_batch(con, second, "June.xlsx", cli_actor("tester"), old.batch_id, old.sha256)
    assert new.status == "loaded"
    again = load(con, first, "june.xlsx")
    assert again.status == "duplicate"
    assert (again.duplicate_of["batch_id"], again.duplicate_of["replaced_by"]) == (old.batch_id, new.batch_id)
    assert con.execute("SELECT count(*) FROM activity_record").fetchone()[0] == 4
    con.close()


def test_corrected_rejected_rows_load_as_a_new_batch_that_fixes_the_first(tmp_path, empty):
    from prevention.output import rejected as rejected_rows
    from prevention.storage import batches

    bad = [5, "32.06.2025", "Карагандинская область", "г. Караганда", "Школа №1", "лекция", "ДП", 10, None, None]
    con = db.connect(empty)
    first = load(con, event_log(tmp_path / "june.xlsx", [*KARAGANDA_JUNE_2025, bad]), "june.xlsx")
    assert (first.rows_loaded, first.rows_rejected) == (4, 1)
    workbook = rejected_rows.rejected_workbook(batches.rejected_rows(con, first.batch_id))
    import io

    import openpyxl
    book = openpyxl.load_workbook(io.BytesIO(workbook))
    sheet = book.active
    date_column = [c.value for c in sheet[1]].index("Дата проведения") + 1
    sheet.cell(2, date_column, "30.06.2025")
    out = io.BytesIO()
    book.save(out)
    fixed = load(con, out.getvalue(), rejected_rows.rejected_file_name("june.xlsx"))
    assert (fixed.status, fixed.rows_loaded) == ("loaded", 1)
    assert con.execute("SELECT batch_id, fixes_batch_id FROM batch ORDER BY batch_id").fetchall() == [
        (first.batch_id, None), (fixed.batch_id, first.batch_id)]
    assert con.execute("SELECT count(*) FROM activity_record").fetchone()[0] == 5  # the first batch's rows stay
    con.close()
