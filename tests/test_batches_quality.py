"""Quality checks and workspace queries on hand-made batches in a real DuckDB file, the rejected-rows workbook
read back and re-loaded, and the Качество данных and Пакеты pages through AppTest."""
from __future__ import annotations

import hashlib
import io
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

import loaders
from prevention.output import rejected
from prevention.queries import loads, quality
from prevention.queries.filters import Filters
from prevention.storage import batches, db, originals
from tests.conftest import load
from tests.workbooks import KARAGANDA_JUNE_2025, event_log, simple_sheet

PROJECT = Path(__file__).resolve().parent.parent


def record(region: str, day: date, *, end: date | None = None, events: int = 1, participants: int | None = 30,
           event_type: str | None = "лекция", venue: str | None = None, row: int = 2) -> dict:
    return {"region_code": region, "region_text": region, "district": None, "period_start": day,
            "period_end": end or day,
                "events": events, "participants": participants, "students": None, "schoolchildren": None,
                "parents": None,
                "teachers": None, "event_type": event_type, "audience": None, "venue": venue, "organizer": None,
                "description": None, "source_sheet": "Лист1", "source_row": row}


def add_batch(con, name: str, rows: list[dict], shape: str = "events", demo: bool = False) -> int:
    content = name.encode() + repr(rows).encode() + str(demo).encode()  # different content, different bytes
    info = batches.BatchInfo(file_name=name, sha256=hashlib.sha256(content).hexdigest(), size_bytes=100,
                           shape=shape, rows_read=len(rows), rows_loaded=len(rows), rows_skipped=0, rows_rejected=0,
                           is_demo=demo)
    return batches.store_batch(con, info, rows)


@pytest.fixture
def con(tmp_path):
    connection = db.connect(tmp_path / "quality.duckdb")
    yield connection
    connection.close()


# ---------------------------------------------------------------- completeness

def test_completeness_grid_has_every_region_and_month_and_summaries_fill_their_months(con):
    add_batch(con, "karaganda.xlsx", [record("KZ-35", date(2025, 1, 15)), record("KZ-35", date(2025, 3, 2)),
                                      record("KZ-35", date(2024, 12, 31))])
    add_batch(con, "astana_q1.xlsx", [record("KZ-71", date(2025, 1, 1), end=date(2025, 3, 31), events=9)],
              shape="summary")
    grid = quality.completeness(con, Filters(date(2025, 1, 1), date(2025, 3, 31)))
    assert len(grid) == 20 * 3 and grid["region_code"].nunique() == 20
    sent = {(r.region_code, r.month.month): (r.records, r.events, r.summaries, r.summary_events)
            for r in grid.itertuples() if r.records or r.summaries}
    assert sent == {("KZ-35", 1): (1, 1, 0, 0), ("KZ-35", 3): (1, 1, 0, 0),
                    ("KZ-71", 1): (0, 0, 1, 9), ("KZ-71", 2): (0, 0, 1, 9), ("KZ-71", 3): (0, 0, 1, 9)}
    assert set(grid.loc[grid["summaries"] > 0, "summary_kind"]) == {"quarter"}
    assert quality.completeness_summary(grid) == {"months": 3, "cells": 60, "gaps": 55, "complete_regions": 1,
                                                  "silent_regions": 18}


def test_completeness_grid_is_capped_to_the_latest_months(con):
    add_batch(con, "old.xlsx", [record("KZ-35", date(2015, 1, 10)), record("KZ-35", date(2025, 6, 10))])
    start, end = quality.month_span(con, Filters())
    assert (start, end) == (date(2020, 7, 1), date(2025, 6, 1))
    assert quality.completeness(con, Filters())["month"].nunique() == quality.MAX_MONTHS


# ---------------------------------------------------------------- outliers

def test_outliers_flag_people_per_event_far_from_the_form_usual_range(con):
    lectures = [record("KZ-35", date(2025, 2, d), participants=30 + d, row=d) for d in range(1, 13)]
    lectures.append(record("KZ-35", date(2025, 2, 20), participants=3000, row=40))  # a stray zero or two
    lectures.append(record("KZ-35", date(2025, 2, 21), participants=2, row=41))
    flat = [record("KZ-71", date(2025, 3, d), participants=30, event_type="беседа", row=d) for d in range(1, 10)]
    flat.append(record("KZ-71", date(2025, 3, 20), participants=31, event_type="беседа", row=50))
    few = [record("KZ-75", date(2025, 4, 1), participants=5000, event_type="форум", row=60)]
    add_batch(con, "log.xlsx", lectures + flat + few)
    found = quality.outliers(con, Filters())
    assert list(zip(found["source_row"], found["direction"], found["event_type"])) == [(40, "high", "лекция")]
    row = found.iloc[0]
    assert row["per_event"] == 3000 and row["usual_median"] == pytest.approx(36.5)
    assert quality.outliers(con, Filters(regions=("KZ-71",))).empty  # only filtered records are listed


def test_summary_rows_are_judged_per_event(con):
    rows = [record("KZ-55", date(2025, 5, 1), end=date(2025, 5, 31), events=10, participants=300 + i, row=i)
            for i in range(10)]
    rows.append(record("KZ-55", date(2025, 6, 1), end=date(2025, 6, 30), events=1, participants=3000, row=99))
    add_batch(con, "svodka.xlsx", rows, shape="summary")
    assert list(quality.outliers(con, Filters())["source_row"]) == [99]


# ---------------------------------------------------------------- duplicates and overlaps

def test_the_same_event_in_two_batches_is_a_suspected_duplicate(con):
    day = date(2025, 6, 25)
    first = add_batch(con, "dp.xlsx", [record("KZ-35", day, venue="Колледж  №1", event_type="встреча"),
                                       record("KZ-35", day, venue="Школа 5", event_type="встреча", row=3)])
    second = add_batch(con, "akimat.xlsx", [record("KZ-35", day, venue="колледж №1", event_type="встреча",
                                                   participants=40),
                                            record("KZ-35", day, venue="Школа 5", event_type="лекция", row=3)])
    add_batch(con, "same_batch.xlsx", [record("KZ-71", day, venue="Дворец"), record("KZ-71", day, venue="Дворец",
                                                                                   row=3)])
    found = quality.suspected_duplicates(con, Filters())
    assert found[["region_code", "event_type", "records", "participants", "batch_list",
                  "files"]].to_dict("records") == [
        {"region_code": "KZ-35", "event_type": "встреча", "records": 2, "participants": 70,
         "batch_list": f"{first}, {second}", "files": "dp.xlsx; akimat.xlsx"}]
    assert quality.suspected_duplicates(con, Filters(date(2025, 7, 1), date(2025, 7, 31))).empty


def test_a_summary_beside_the_event_log_records_inside_it(con):
    from prevention.queries import reconcile

    summary = add_batch(con, "svodka_june.xlsx", [
        record("KZ-55", date(2025, 6, 1), end=date(2025, 6, 30), events=12, participants=800),
        record("KZ-39", date(2025, 6, 1), end=date(2025, 6, 30), events=2, participants=350, row=3)],
        shape="summary")
    add_batch(con, "pavlodar_log.xlsx", [record("KZ-55", date(2025, 6, d), row=d) for d in (3, 10, 28)]
              + [record("KZ-55", date(2025, 7, 2), row=9)])
    add_batch(con, "kostanay_log.xlsx", [record("KZ-39", date(2025, 6, d), participants=100, row=d) for d in (4, 5, 6)])
    found = reconcile.reconciliation(con, Filters(date(2025, 1, 1), date(2025, 12, 31)))
    assert found[["region_code", "batch_id", "status", "summary_events", "detail_records", "detail_events",
                  "detail_participants", "difference_events", "difference_participants", "exceeds"]].to_dict(
        "records") == [
        {"region_code": "KZ-39", "batch_id": summary, "status": "counted", "summary_events": 2, "detail_records": 3,
         "detail_events": 3, "detail_participants": 300, "difference_events": -1, "difference_participants": 50,
         "exceeds": True},
        {"region_code": "KZ-55", "batch_id": summary, "status": "counted", "summary_events": 12, "detail_records": 3,
         "detail_events": 3, "detail_participants": 90, "difference_events": 9, "difference_participants": 710,
         "exceeds": False}]
    assert reconcile.conflicts(con, Filters()).empty


# ---------------------------------------------------------------- workspace queries

def test_only_the_same_file_name_is_offered_for_replacement_never_the_same_coverage(con):
    june = add_batch(con, "Июнь.xlsx", [record("KZ-35", date(2025, 6, 3)), record("KZ-71", date(2025, 6, 20))])
    add_batch(con, "Июнь.xlsx", [record("KZ-35", date(2025, 6, 3))], demo=True)
    add_batch(con, "other.xlsx", [record("KZ-35", date(2025, 6, 3)), record("KZ-71", date(2025, 6, 20))])
    assert list(loads.same_file_batches(con, " июнь.XLSX", "f" * 64)["batch_id"]) == [june]
    assert loads.same_file_batches(con, "new.xlsx", "f" * 64).empty  # same regions and months: not a version
    own = batches.list_batches(con).set_index("batch_id").loc[june, "sha256"]
    assert loads.same_file_batches(con, "Июнь.xlsx", own).empty


def test_files_from_different_sources_covering_the_same_region_and_months_are_listed_not_merged(con):
    dp = add_batch(con, "dp_june.xlsx", [record("KZ-35", date(2025, 6, 3)), record("KZ-35", date(2025, 6, 20))])
    akimat = add_batch(con, "akimat_june.xlsx", [record("KZ-35", date(2025, 6, 10))])
    add_batch(con, "dp_june.xlsx", [record("KZ-71", date(2025, 6, 10))])  # another region: no overlap
    add_batch(con, "july.xlsx", [record("KZ-35", date(2025, 7, 10))])      # another month: no overlap
    found = quality.source_overlaps(con, Filters())
    assert found[["region_code", "first_batch", "first_file", "second_batch", "second_file"]].to_dict("records") == [
        {"region_code": "KZ-35", "first_batch": dp, "first_file": "dp_june.xlsx", "second_batch": akimat,
         "second_file": "akimat_june.xlsx"}]
    assert con.execute("SELECT count(*) FROM activity WHERE region_code = 'KZ-35'").fetchone()[0] == 4  # all kept


def test_batches_overview_and_stored_originals(con, tmp_path):
    batch_id = add_batch(con, "a.xlsx", [record("KZ-35", date(2025, 6, 3), participants=10),
                                         record("KZ-71", date(2025, 7, 1), participants=5)])
    row = loads.batches_overview(con).iloc[0]
    assert (row["batch_id"], row["regions"], row["events"], row["participants"]) == (batch_id, 2, 2, 15)
    assert (row["first_day"].date(), row["last_day"].date()) == (date(2025, 6, 3), date(2025, 7, 1))
    folder = originals.uploads_dir(tmp_path / "quality.duckdb")
    assert folder == (tmp_path / "uploads").resolve()
    sha = row["sha256"]
    path = originals.save_original(folder, sha, "Отчёт ИЮНЬ.XLSX", b"bytes")
    assert path.name == f"{sha}.xlsx" and path.read_bytes() == b"bytes"
    assert not originals.remove_original_if_unused(con, folder, sha, "a.xlsx")  # the batch still has these bytes
    batches.delete_batch(con, batch_id)
    assert originals.remove_original_if_unused(con, folder, sha, "a.xlsx") and not path.exists()
    with pytest.raises(ValueError):
        originals.original_path(folder, "../../etc/passwd", "x.xlsx")


# ---------------------------------------------------------------- the rejected-rows workbook

BAD_ROWS = [[5, "32.06.2025", "Карагандинская область", "г. Караганда", "@SUM(A1:A9)", "лекция", "ДП",
             10, None, None],
            [6, "01.06.2025", "Непонятная обл", "г. Караганда", "Школа", "лекция", "ДП", "-5", None, None]]


def test_rejected_rows_come_back_with_original_headers_and_a_reason(tmp_path):
    data = event_log(tmp_path / "k.xlsx", KARAGANDA_JUNE_2025 + BAD_ROWS).read_bytes()
    parsed = loaders.parse_bytes(data, "k.xlsx")
    assert parsed.report.rows_rejected == 2
    book = openpyxl.load_workbook(io.BytesIO(rejected.rejected_workbook(parsed.rejected)))
    assert book.sheetnames == ["Мероприятия"]
    rows = list(book["Мероприятия"].iter_rows(values_only=True))
    assert rows[0] == ("№", "Дата проведения", "Регион", "Район", "Место проведения", "Форма мероприятия",
                       "Организатор", "Охват участников / всего", "Охват участников / в т.ч. студентов",
                       "Охват участников / в т.ч. школьников", "Причина")
    assert len(rows) == 3
    # a string cell is never evaluated, so the text comes back as read, with no apostrophe
    assert rows[1][:5] == (5, "32.06.2025", "Карагандинская область", "г. Караганда", "@SUM(A1:A9)")
    formulas = [c.coordinate for row in book["Мероприятия"].iter_rows() for c in row if c.data_type == "f"]
    assert formulas == []
    assert rows[1][-1] == "Лист «Мероприятия», строка 9: Такой даты не существует: «32.06.2025»"
    assert rows[2][-1].startswith("Лист «Мероприятия», строка 10: Регион «Непонятная обл» не найден в справочнике; ")
    assert "Отрицательное число" in rows[2][-1] and rows[2][7] == -5


def test_the_rejected_rows_file_once_fixed_loads_through_the_loader(tmp_path):
    data = event_log(tmp_path / "k.xlsx", KARAGANDA_JUNE_2025 + BAD_ROWS).read_bytes()
    parsed = loaders.parse_bytes(data, "k.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(rejected.rejected_workbook(parsed.rejected)))
    sheet = book.active
    again = loaders.parse_bytes(_saved(book), "k_отклонённые.xlsx")
    # read back unchanged: the same problems, and since no row loads, the file is refused naming them
    assert (again.report.status, again.report.error_code) == ("failed", "no-rows-loaded")
    assert {r["code"] for r in again.report.failure.params["reasons"]} == {
        "impossible-date", "unknown-region", "negative-count"}
    assert rejected.is_rejected_rows_file([sheet.cell(1, c).value for c in range(1, sheet.max_column + 1)])
    sheet["B2"], sheet["C3"], sheet["H3"] = "30.06.2025", "Карагандинская область", 5
    fixed = loaders.parse_bytes(_saved(book), "k_отклонённые.xlsx")
    assert (fixed.report.rows_loaded, fixed.report.rows_rejected) == (2, 0)
    assert sorted(str(d) for d in fixed.columns["period_start"]) == ["2025-06-01", "2025-06-30"]


@pytest.mark.parametrize("lang, reason, where, name", [
    ("kk", "Себебі", "«Мероприятия» парағы, 9-жол: ", "k_қабылданбаған.xlsx"),
    ("en", "Reason", "Sheet «Мероприятия», row 9: ", "k_rejected.xlsx"),
])
def test_the_rejected_rows_workbook_in_kazakh_and_english_reads_back(tmp_path, con, lang, reason, where, name):
    data = event_log(tmp_path / "k.xlsx", KARAGANDA_JUNE_2025 + BAD_ROWS).read_bytes()
    first = load(con, data, "k.xlsx")
    parsed = loaders.parse_bytes(data, "k.xlsx")
    assert rejected.rejected_file_name("k.xlsx", lang) == name
    book = openpyxl.load_workbook(io.BytesIO(rejected.rejected_workbook(parsed.rejected, None, lang)))
    sheet = book.active
    header = [sheet.cell(1, c).value for c in range(1, sheet.max_column + 1)]
    assert header[-1] == reason and rejected.is_rejected_rows_file(header)
    assert sheet.cell(2, len(header)).value.startswith(where)
    assert "32.06.2025" in sheet.cell(2, len(header)).value and "Такой даты" not in sheet.cell(2, len(header)).value
    sheet["B2"], sheet["C3"], sheet["H3"] = "30.06.2025", "Карагандинская область", 5
    again = loaders.parse_bytes(_saved(book), name)
    table = again.tables[0]
    assert header.index(reason) not in table.mapping  # the reason column maps to no field
    fixed = load(con, _saved(book), name)
    assert (fixed.rows_loaded, fixed.rows_rejected) == (2, 0)
    # recognised as the first batch's corrected rows
    assert con.execute("SELECT fixes_batch_id FROM batch WHERE batch_id = ?", [fixed.batch_id]).fetchone() == (
        first.batch_id,)


def test_rejected_summary_rows_keep_the_period_of_their_title(tmp_path, con):
    data = simple_sheet(tmp_path / "s.xlsx", [
        ["Сводная информация о профилактических мероприятиях за июнь 2025 года"], [],
        ["Регион", "Количество мероприятий", "Охват участников"],
        ["Павлодарская область", 12, 800], ["Костанайская область", "много", 350]]).read_bytes()
    parsed = loaders.parse_bytes(data, "s.xlsx")
    report = load(con, data, "s.xlsx", parsed=parsed)
    titles = {t.sheet: t.title_lines for t in parsed.tables}
    for given in (titles, loads.batch_titles(con, report.batch_id)):
        book = openpyxl.load_workbook(io.BytesIO(rejected.rejected_workbook(parsed.rejected, given)))
        book.active["B4"] = 7
        fixed = loaders.parse_bytes(_saved(book), "s_отклонённые.xlsx")
        record_ = {name: values[0] for name, values in fixed.columns.items()}
        assert (fixed.report.rows_loaded, record_["region_code"], record_["events"]) == (1, "KZ-39", 7)
        assert (str(record_["period_start"]), str(record_["period_end"])) == ("2025-06-01", "2025-06-30")


def test_period_titles_read_back_as_their_period():
    from loaders.period import parse_period

    for first, last in ((date(2025, 6, 1), date(2025, 6, 30)), (date(2025, 1, 1), date(2025, 3, 31)),
                        (date(2024, 1, 1), date(2024, 12, 31)), (date(2025, 4, 1), date(2025, 9, 30))):
        found = parse_period(loads.period_title(first, last))
        assert (found.start, found.end) == (first, last)
    assert loads.period_title(date(2025, 6, 3), date(2025, 6, 30)) is None


def _saved(book: openpyxl.Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# ---------------------------------------------------------------- the pages

@pytest.fixture
def quality_db(tmp_path, monkeypatch):
    path = tmp_path / "pages.duckdb"
    con = db.connect(path)
    add_batch(con, "svodka_june.xlsx", [record("KZ-55", date(2025, 6, 1), end=date(2025, 6, 30), events=12,
                                               participants=800)], shape="summary")
    add_batch(con, "dp.xlsx", [record("KZ-55", date(2025, 6, 3), venue="Колледж"),
                               record("KZ-35", date(2025, 1, 10), venue="Школа")])
    add_batch(con, "akimat.xlsx", [record("KZ-55", date(2025, 6, 3), venue="колледж")])
    report = load(con, event_log(tmp_path / "k.xlsx", KARAGANDA_JUNE_2025 + BAD_ROWS).read_bytes(),
                  "karaganda.xlsx", user="aigerim")
    con.close()
    monkeypatch.setenv("PREVENTION_DB", str(path))
    return report.batch_id


def _page(page: str) -> AppTest:
    at = AppTest.from_file(str(PROJECT / "dashboard.py"), default_timeout=60).run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def test_quality_page_shows_gaps_duplicates_and_overlaps(quality_db):
    at = _page("prevention/app/views/quality.py")
    metrics = {m.label: m.value for m in at.metric}
    # 2025 (the latest year with data): KZ-55 reported in June, KZ-35 in January and June, others never
    assert metrics == {"Месяцев в периоде": "12", "Пропусков (регион × месяц)": str(240 - 3),
                       "Регионов без пропусков": "0 из 20", "Регионов без данных": "18 из 20"}
    assert len(at.get("plotly_chart")) == 1
    body = "\n".join(m.value for m in at.markdown)
    assert "Групп совпадающих записей: **1**." in body
    assert any(i.value.startswith("Правило подсчёта. Запись учитывается") for i in at.info)
    assert any(m.value == "Ни один журнал не больше своего свода." for m in at.success)
    assert "Возможных пересечений (не объединены): **1**." in [w.value for w in at.warning]  # dp.xlsx, akimat.xlsx
    sources = next(d.value for d in at.dataframe if "first_file" in d.value.columns)
    assert sources[["first_file", "second_file"]].to_dict("records") == [
        {"first_file": "dp.xlsx", "second_file": "akimat.xlsx"}]


def test_batches_page_lists_loads_and_offers_the_rejected_rows(quality_db):
    at = _page("prevention/app/views/batches.py")
    table = next(d.value for d in at.dataframe if "file_name" in d.value.columns)
    assert list(table["file_name"]) == ["karaganda.xlsx", "akimat.xlsx", "dp.xlsx", "svodka_june.xlsx"]
    assert list(table["loaded_by"]) == ["aigerim", "—", "—", "—"]
    assert list(table["rows_rejected"]) == [2, 0, 0, 0]
    assert at.selectbox(key="batch_pick").value == quality_db
    keys = [b.key for b in at.download_button]
    assert "download_rejected" in keys
    assert "download_original" in keys  # the command line keeps the original too (one load path)


def test_workspace_modules_do_not_import_streamlit():
    import subprocess
    import sys

    code = ("import sys, prevention.storage.originals, prevention.queries.loads, prevention.output.rejected, "
            "prevention.queries.quality, prevention.output.template; "
            "print(any(m == 'streamlit' or m.startswith('streamlit.') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], cwd=PROJECT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
