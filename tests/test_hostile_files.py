"""Hostile and broken files end 'failed' with a clear Russian message, and the database stays as it was."""
from __future__ import annotations

import io
import random
import re
import zipfile
from datetime import date

import pytest

from loaders import parse_bytes, read
from prevention.storage import db
from prevention.texts import problem_message
from tests.loading import load
from tests.workbooks import KARAGANDA_JUNE_2025, event_log, simple_sheet

TODAY = date(2026, 11, 27)


@pytest.fixture
def con(tmp_path):
    connection = db.connect(tmp_path / "test.duckdb")
    yield connection
    connection.close()


@pytest.fixture
def good_xlsx(tmp_path) -> bytes:
    return event_log(tmp_path / "good.xlsx", KARAGANDA_JUNE_2025).read_bytes()


def assert_failed(con, data: bytes, code: str, words: str):
    version = db.data_version(con)
    report = load(con, data, "hostile.xlsx", today=TODAY).report
    assert report.status == "failed", report
    message = problem_message(report.failure)
    assert report.error_code == code, message
    assert words in message
    assert "Traceback" not in message
    assert (report.rows_read, report.rows_loaded, report.errors) == (0, 0, [])
    assert con.execute("SELECT count(*) FROM batch").fetchone()[0] == 0
    assert con.execute("SELECT count(*) FROM activity_record").fetchone()[0] == 0
    assert db.data_version(con) == version
    return report


def rewrite_member(data: bytes, member: str, change) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            target.writestr(info.filename, change(content) if info.filename == member else content)
    return out.getvalue()


def test_empty_file(con):
    assert_failed(con, b"", "empty-file", "пустой")
    assert_failed(con, b"\x00\x00 \r\n", "empty-file", "пустой")


def test_random_bytes(con):
    assert_failed(con, random.Random(7).randbytes(20_000), "not-a-spreadsheet", "не таблица")


def test_truncated_workbook(con, good_xlsx):
    assert_failed(con, good_xlsx[: len(good_xlsx) // 2], "corrupt-file", "повреждён или обрезан")


def test_corrupt_sheet_inside_a_valid_zip(con, good_xlsx):
    broken = rewrite_member(good_xlsx, "xl/worksheets/sheet1.xml", lambda c: c[: len(c) // 3])
    report = assert_failed(con, broken, "corrupt-file", "повреждён")
    assert report.file == "hostile.xlsx"


def test_password_protected_workbook(con, good_xlsx):
    from msoffcrypto.format.ooxml import OOXMLFile

    encrypted = io.BytesIO()
    OOXMLFile(io.BytesIO(good_xlsx)).encrypt("s3cret", encrypted)
    assert_failed(con, encrypted.getvalue(), "password-protected", "защищён паролем")


def test_zip_that_is_not_a_workbook(con):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    assert_failed(con, out.getvalue(), "not-a-spreadsheet", "не таблица Excel")


def test_whitespace_zip_bomb_is_refused_before_parsing(good_xlsx, monkeypatch):
    def parser_must_not_run(*args, **kwargs):
        raise AssertionError("the parser was reached")
    monkeypatch.setattr(read, "_read_workbook", parser_must_not_run)
    out = io.BytesIO()
    source = zipfile.ZipFile(io.BytesIO(good_xlsx))
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, source.read(info.filename))
        with target.open("xl/worksheets/sheet2.xml", "w") as bomb:
            block = b" " * (1 << 20)
            for _ in range(200):  # 200 MB of spaces, about 200 KB compressed
                bomb.write(block)
    data = out.getvalue()
    assert len(data) < 1_000_000
    report = parse_bytes(data, "bomb.xlsx", today=TODAY).report  # in this process: the parser is watched
    assert (report.status, report.error_code) == ("failed", "zip-bomb")
    assert "zip-бомб" in problem_message(report.failure)


def test_a_sheet_declaring_millions_of_cells_but_filling_few_loads(con, good_xlsx):
    """A declared <dimension> alone is no reason to refuse: only the cells that hold something count."""
    huge = rewrite_member(good_xlsx, "xl/worksheets/sheet1.xml",
                          lambda c: re.sub(rb'<dimension ref="[^"]*"\s*/>', b'<dimension ref="A1:XFD1048576"/>', c))
    assert b"XFD1048576" in zipfile.ZipFile(io.BytesIO(huge)).read("xl/worksheets/sheet1.xml")
    report = load(con, huge, "huge.xlsx", today=TODAY).report
    assert (report.status, report.rows_loaded) == ("loaded", 4)


def test_sheet_with_one_cell_far_away(con, good_xlsx):
    far = rewrite_member(good_xlsx, "xl/worksheets/sheet1.xml", lambda c: c.replace(
        b"</sheetData>", b'<row r="1048000"><c r="ZZZ1048000" t="n"><v>1</v></c></row></sheetData>'))
    assert_failed(con, far, "too-many-columns", "столбцов")
    quoted = rewrite_member(good_xlsx, "xl/worksheets/sheet1.xml", lambda c: c.replace(
        b"</sheetData>", b"<row r = '1048000'><c r = 'AL1048000' t='n'><v>1</v></c></row></sheetData>"))
    assert_failed(con, quoted, "too-many-cells", "ячеек")


def test_workbook_with_no_activity_columns_lists_what_it_found(con, tmp_path):
    crime = simple_sheet(tmp_path / "crime.xlsx", [
        ["Форма 1-М: сведения о зарегистрированных уголовных правонарушениях"],
        ["Статья УК", "Зарегистрировано", "Раскрыто", "Направлено в суд"],
        ["ст. 296", 120, 80, 60],
    ]).read_bytes()
    report = assert_failed(con, crime, "no-header", "не распознаны её столбцы")
    assert "«Статья УК»" in problem_message(report.failure)


def test_header_without_rows_is_empty(con, tmp_path):
    data = simple_sheet(tmp_path / "h.xlsx", [["Дата", "Регион", "Охват", "Форма мероприятия"]]).read_bytes()
    assert_failed(con, data, "no-data-rows", "пустой")


def test_external_entities_are_not_resolved(con, good_xlsx, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    def inject(content: bytes) -> bytes:
        doctype = f'<!DOCTYPE sst [<!ENTITY xxe SYSTEM "file://{secret}">]>'.encode()
        content = content.replace(b"?>", b"?>" + doctype, 1)
        return content.replace("<t>Центр поддержки семьи</t>".encode(), b"<t>&xxe;</t>")
    hostile = rewrite_member(good_xlsx, "xl/sharedStrings.xml", inject)
    parsed = parse_bytes(hostile, "xxe.xlsx", today=TODAY)
    text = repr(parsed.columns) + repr(parsed.report.to_dict()) + repr(parsed.rejected)
    assert "TOP-SECRET-CONTENT" not in text
    assert parsed.report.status in ("loaded", "failed")


def test_formula_text_in_cells_is_stored_as_text_not_evaluated(con, tmp_path):
    data = simple_sheet(tmp_path / "f.xlsx", [
        ["Дата", "Регион", "Место проведения", "Охват"],
        ["01.06.2025", "ВКО", "=HYPERLINK(\"http://evil\",\"x\")", 10],
    ]).read_bytes()
    parsed = load(con, data, "f.xlsx", today=TODAY)
    assert parsed.report.status == "loaded"
    assert con.execute("SELECT count(*) FROM activity").fetchone()[0] == 1


def test_oversized_file_is_refused_without_reading(monkeypatch):
    monkeypatch.setattr(read, "MAX_FILE_BYTES", 1000)
    report = parse_bytes(b"PK\x03\x04" + b"\0" * 2000, "big.xlsx", today=TODAY).report
    assert (report.status, report.error_code) == ("failed", "too-large-file")
    assert "больше" in problem_message(report.failure)


def test_an_internal_error_is_a_code_of_its_own_and_logged_with_its_traceback(monkeypatch, tmp_path, good_xlsx):
    """Outside the tests (no PREVENTION_STRICT) a bug is reported as «internal-error», never as a broken file, and
    its traceback goes to the error log the README names; under the tests it is raised."""
    import logging

    from loaders import ingest
    from prevention.storage import errorlog

    def broken(*args, **kwargs):
        raise ZeroDivisionError("a bug in the reader")
    monkeypatch.setattr(ingest, "_parse_book", broken)
    with pytest.raises(ZeroDivisionError):
        parse_bytes(good_xlsx, "k.xlsx", today=TODAY)  # under the tests: raised
    monkeypatch.delenv("PREVENTION_STRICT")
    monkeypatch.setenv("PREVENTION_LOG", str(tmp_path / "logs" / "prevention.log"))
    before = list(logging.getLogger().handlers)
    try:
        assert errorlog.configure() == tmp_path / "logs" / "prevention.log"
        report = parse_bytes(good_xlsx, "k.xlsx", today=TODAY).report
    finally:
        for handler in set(logging.getLogger().handlers) - set(before):
            logging.getLogger().removeHandler(handler)
            handler.close()
    assert (report.status, report.error_code) == ("failed", "internal-error")
    assert "logs/prevention.log" in problem_message(report.failure)
    logged = (tmp_path / "logs" / "prevention.log").read_text(encoding="utf-8")
    assert "Traceback" in logged and "ZeroDivisionError: a bug in the reader" in logged and "k.xlsx" in logged


def test_the_error_log_follows_its_configured_place(monkeypatch, tmp_path):
    """A process that configured the log once and is then pointed elsewhere (PREVENTION_LOG) writes to the new
    place, once: the earlier handler is closed, not kept beside the new one."""
    import logging

    from prevention.storage import errorlog

    before = list(logging.getLogger().handlers)
    try:
        for name in ("first", "second"):
            monkeypatch.setenv("PREVENTION_LOG", str(tmp_path / name / "prevention.log"))
            assert errorlog.configure() == tmp_path / name / "prevention.log"
            assert errorlog.configure() == tmp_path / name / "prevention.log"  # twice: still one handler
            logging.getLogger("loaders.test").error("written to %s", name)
        ours = [h for h in logging.getLogger().handlers if h not in before]
        assert len(ours) == 1
    finally:
        for handler in set(logging.getLogger().handlers) - set(before):
            logging.getLogger().removeHandler(handler)
            handler.close()
    first = (tmp_path / "first" / "prevention.log").read_text(encoding="utf-8")
    second = (tmp_path / "second" / "prevention.log").read_text(encoding="utf-8")
    assert "written to first" in first and "written to second" not in first
    assert "written to second" in second and "written to first" not in second
