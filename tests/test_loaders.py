"""Loading event-log workbooks the tests write: whole reports, stored rows, duplicates, deletion."""
from __future__ import annotations

from datetime import date

import pytest

from prevention.storage import batches, db
from prevention.texts import problem_message
from tests.loading import load
from tests.workbooks import KARAGANDA_JUNE_2025, event_log, event_rows, simple_sheet

TODAY = date(2026, 11, 27)


@pytest.fixture
def con(tmp_path):
    connection = db.connect(tmp_path / "test.duckdb")
    yield connection
    connection.close()


def flat_errors(report):
    return [(e.row, e.column, e.code) for e in report.errors]


def test_press_release_workbook_gives_one_region_four_events_and_the_college_students(tmp_path, con):
    path = event_log(tmp_path / "karaganda.xlsx", KARAGANDA_JUNE_2025)
    report = load(con, path, today=TODAY).report
    assert (report.status, report.shape) == ("loaded", "events")
    assert (report.rows_read, report.rows_loaded, report.rows_skipped, report.rows_rejected) == (5, 4, 1, 0)
    assert [{k: s[k] for k in ("sheet", "header_rows", "shape", "columns")} for s in report.sheets] == [
        {"sheet": "Мероприятия", "header_rows": [3, 4], "shape": "events", "columns": {
        "Дата проведения": "date", "Регион": "region", "Район": "district", "Место проведения": "venue",
        "Форма мероприятия": "event_type", "Организатор": "organizer", "Охват участников / всего": "participants",
        "Охват участников / в т.ч. студентов": "students", "Охват участников / в т.ч. школьников": "schoolchildren"}}]
    regions, events, students = con.execute(
        "SELECT count(DISTINCT region_code), sum(events), max(students) FROM activity").fetchone()
    assert (regions, events) == (1, 4)
    assert students >= 180
    college = con.execute(
        "SELECT region_code, region, period_start, participants, students, schoolchildren, event_type, source_row "
        "FROM activity WHERE venue LIKE '%политехнический колледж%'").fetchall()
    assert college == [("KZ-35", "Карагандинская область", date(2025, 6, 25), 195, 180, 0, "встреча", 6)]
    forms = sorted(r[0] for r in con.execute("SELECT event_type FROM activity").fetchall())
    assert forms == ["встреча", "встреча", "заседание", "заседание"]


def test_each_rejection_reason_has_a_code_a_column_and_a_russian_message(tmp_path, con):
    rows = [
        [1, "01.03.2025", "Марс", "", "", "лекция", "", 10, 1, 0],            # unknown region
        [2, None, "ВКО", "", "", "лекция", "", 10, 1, 0],                     # missing date
        [3, "31.02.2025", "ВКО", "", "", "лекция", "", 10, 1, 0],             # impossible date
        [4, "01.03.2025", "ВКО", "", "", "лекция", "", -3, 0, 0],             # negative count
        [5, "01.03.2025", "ВКО", "", "", "лекция", "", "около ста", 0, 0],   # not a number
        [6, "01.03.2025", "ВКО", "", "", "лекция", "", 10, 25, 0],            # part larger than total
        [7, "01.03.2025", None, "", "", "лекция", "", 10, 0, 0],              # missing region
        [8, "вчера", "ВКО", "", "", "лекция", "", 10, 0, 0],                  # unreadable date
        [9, "01.03.2025", "ВКО", "", "", "лекция", "", 10, 2, 3],             # valid
    ]
    report = load(con, event_log(tmp_path / "bad.xlsx", rows, total_row=False), today=TODAY).report
    assert (report.rows_read, report.rows_loaded, report.rows_skipped, report.rows_rejected) == (9, 1, 0, 8)
    assert flat_errors(report) == [
        (5, "Регион", "unknown-region"),
        (6, "Дата проведения", "missing-date"),
        (7, "Дата проведения", "impossible-date"),
        (8, "Охват участников / всего", "negative-count"),
        (9, "Охват участников / всего", "not-a-number"),
        (10, "Охват участников / в т.ч. студентов", "part-exceeds-total"),
        (11, "Регион", "missing-region"),
        (12, "Дата проведения", "invalid-date"),
    ]
    messages = [problem_message(e) for e in report.errors]
    assert messages[0] == "Регион «Марс» не найден в справочнике"
    assert {"text": "Марс", "region_code": None, "confidence": 0.0, "method": "unknown",
            "note": "not-found", "rows": 1} in report.region_matches
    assert messages[5] == "25 больше общего охвата (10)"
    assert messages[4] == "Не число: «около ста»"
    stored = batches.rejected_rows(con, report.batch_id)
    assert [r["row"] for r in stored] == list(range(5, 13))
    assert stored[0]["raw_values"]["Регион"] == "Марс"
    assert (stored[0]["problems"][0]["code"], stored[0]["problems"][0]["params"]) == ("unknown-region",
                                                                                      {"value": "Марс"})
    assert con.execute("SELECT count(*) FROM activity").fetchone()[0] == 1


def test_text_numbers_and_dates_are_normalised(tmp_path, con):
    rows = [[1, "05.05.2025 г.", "Карагандинская обл.", "", "", "лекция", "", "1 250", "1\u00a0000", "—"],
            [2, 45800, "г. Алматы", "", "", "беседа", "", "180 чел.", "20", "0"]]
    report = load(con, event_log(tmp_path / "t.xlsx", rows), today=TODAY).report
    assert report.rows_rejected == 0
    got = con.execute("SELECT region_code, period_start, participants, students, schoolchildren FROM activity "
                      "ORDER BY source_row").fetchall()
    assert got == [("KZ-35", date(2025, 5, 5), 1250, 1000, 0), ("KZ-75", date(2025, 5, 23), 180, 20, 0)]


def test_loading_the_same_bytes_again_is_a_duplicate_and_changes_nothing(tmp_path, con):
    path = event_log(tmp_path / "k.xlsx", KARAGANDA_JUNE_2025)
    first = load(con, path, today=TODAY).report
    version = db.data_version(con)
    second = load(con, path, today=TODAY).report
    assert second.status == "duplicate"
    assert second.duplicate_of["batch_id"] == first.batch_id
    assert con.execute("SELECT count(*) FROM batch").fetchone()[0] == 1
    assert con.execute("SELECT count(*) FROM activity").fetchone()[0] == 4
    assert db.data_version(con) == version


def test_deleting_a_batch_removes_all_its_rows_and_nothing_else(tmp_path, con):
    a = load(con, event_log(tmp_path / "a.xlsx", event_rows(10)), today=TODAY).report
    b = load(con, event_log(tmp_path / "b.xlsx", event_rows(5, start=100) + [[0, "x", "Марс"] + [None] * 7]),
                    today=TODAY).report
    assert (a.rows_loaded, b.rows_loaded, b.rows_rejected) == (10, 5, 1)
    assert batches.delete_batch(con, b.batch_id) is True
    assert con.execute("SELECT count(*), count(DISTINCT batch_id) FROM activity").fetchone() == (10, 1)
    assert con.execute("SELECT count(*) FROM rejected_record").fetchone()[0] == 0
    assert batches.delete_batch(con, b.batch_id) is False
    again = load(con, tmp_path / "b.xlsx", today=TODAY).report  # deleted bytes may be loaded again
    assert again.status == "loaded"


def test_dry_run_reports_without_writing(tmp_path, con):
    report = load(con, event_log(tmp_path / "a.xlsx", event_rows(7)), dry_run=True, today=TODAY).report
    assert (report.status, report.dry_run, report.rows_loaded, report.batch_id) == ("loaded", True, 7, None)
    assert con.execute("SELECT count(*) FROM batch").fetchone()[0] == 0


def test_several_sheets_are_read_and_hidden_sheets_ignored(tmp_path, con):
    import openpyxl

    path = event_log(tmp_path / "two.xlsx", event_rows(3), sheet_title="Январь")
    wb = openpyxl.load_workbook(path)
    event_log(path, event_rows(2, start=50), sheet_title="Февраль", workbook=wb)
    wb = openpyxl.load_workbook(path)
    event_log(path, event_rows(4, start=80), sheet_title="Скрытый", workbook=wb)
    wb = openpyxl.load_workbook(path)
    wb["Скрытый"].sheet_state = "hidden"
    wb.save(path)
    report = load(con, path, today=TODAY).report
    assert [s["sheet"] for s in report.sheets] == ["Январь", "Февраль"]
    assert (report.rows_loaded, report.rows_skipped) == (5, 2)
    assert con.execute("SELECT source_sheet, count(*) FROM activity GROUP BY 1 ORDER BY 1").fetchall() == [
        ("Февраль", 2), ("Январь", 3)]


def test_plain_single_row_header_without_title_and_english_names(tmp_path, con):
    path = simple_sheet(tmp_path / "en.xlsx", [
        ["Date", "Region", "Event type", "Audience", "Participants", "Students"],
        ["2025-06-01", "Karaganda Region", "Lecture", "students", 50, 50],
        ["2025-06-02", "Almaty Region", "Talk", "parents", 30, 0],
    ])
    report = load(con, path, today=TODAY).report
    assert (report.rows_read, report.rows_loaded) == (2, 2)
    assert con.execute("SELECT region_code, event_type, audience FROM activity ORDER BY source_row").fetchall() == [
        ("KZ-35", "лекция", "студенты"), ("KZ-19", "беседа", "родители")]


def test_a_region_summary_takes_its_period_from_the_title_and_skips_the_national_total(tmp_path, con):
    path = simple_sheet(tmp_path / "summary.xlsx", [
        ["Сводные сведения о профилактических мероприятиях за 1 полугодие 2025 года"],
        [],
        ["№", "Регион", "Количество мероприятий", "Охват", "из них студентов"],
        [1, "Акмолинская область", 120, "3 400", 900],
        [2, "г. Шымкент", 80, 2000, 600],
        [None, "Всего по РК", 200, 5400, 1500],
    ])
    report = load(con, path, today=TODAY).report
    assert (report.shape, report.rows_read, report.rows_loaded, report.rows_skipped) == ("summary", 3, 2, 1)
    assert con.execute("SELECT region_code, period_start, period_end, events, participants, students FROM activity "
                       "ORDER BY source_row").fetchall() == [
        ("KZ-11", date(2025, 1, 1), date(2025, 6, 30), 120, 3400, 900),
        ("KZ-79", date(2025, 1, 1), date(2025, 6, 30), 80, 2000, 600)]


def test_failure_while_storing_leaves_the_database_as_it_was(tmp_path, con, monkeypatch):
    load(con, event_log(tmp_path / "a.xlsx", event_rows(4)), today=TODAY)
    before = con.execute("SELECT count(*) FROM activity_record").fetchone()[0], db.data_version(con)

    def broken(*args):  # the last step of the batch's insert fails half-way through the transaction
        raise RuntimeError("disk full")
    monkeypatch.setattr(batches, "bump_data_version", broken)
    uploads = tmp_path / "uploads"
    kept = set(uploads.iterdir())
    report = load(con, event_log(tmp_path / "b.xlsx", event_rows(6, start=10)), today=TODAY,
                  uploads_dir=uploads).report
    assert (report.status, report.error_code) == ("failed", "store-failed")
    after = con.execute("SELECT count(*) FROM activity_record").fetchone()[0], db.data_version(con)
    assert after == before
    assert con.execute("SELECT count(*) FROM batch").fetchone()[0] == 1
    assert con.execute("SELECT count(*) FROM audit_log WHERE details LIKE '%b.xlsx%'").fetchone()[0] == 0
    assert set(uploads.iterdir()) == kept  # the temporary original is gone too


def test_an_analysts_column_and_region_corrections_are_applied(tmp_path, con):
    from loaders import ParseOptions, parse_bytes

    path = simple_sheet(tmp_path / "odd.xlsx", [
        ["Когда", "Регион", "Охват", "Примечание"],
        ["01.06.2025", "Караганд. р-н", 10, "x"],
        ["02.06.2025", "ВКО", 20, "y"],
    ])
    plain = parse_bytes(path.read_bytes(), "odd.xlsx", TODAY).report
    assert plain.sheets[0]["columns"]["Когда"] == "date"  # «Когда» over dates: recognised from both
    assert (plain.rows_loaded, plain.rows_rejected) == (1, 1)  # «Караганд. р-н» is no region
    options = ParseOptions(column_overrides={"Когда": "date"}, region_overrides={"Караганд. р-н": "KZ-35"})
    fixed = parse_bytes(path.read_bytes(), "odd.xlsx", TODAY, options)
    assert (fixed.report.rows_loaded, fixed.report.rows_rejected) == (2, 0)
    assert fixed.columns["region_code"] == ["KZ-35", "KZ-63"]
    assert any(m["method"] == "confirmed" for m in fixed.report.region_matches)
    ignored = parse_bytes(path.read_bytes(), "odd.xlsx", TODAY,
                          ParseOptions(column_overrides={"Когда": "date", "Охват": None},
                                       region_overrides={"Караганд. р-н": "KZ-35"}))
    assert ignored.columns["participants"] == [None, None]


def test_a_summary_counts_and_the_event_log_inside_it_is_its_detail(tmp_path, con):
    from prevention.queries import activity
    from prevention.queries.filters import Filters

    summary = simple_sheet(tmp_path / "summary.xlsx", [
        ["Сведения за июнь 2025 года"], [],
        ["Регион", "Количество мероприятий", "Охват"],
        ["Карагандинская область", 10, 1000],
        ["Павлодарская область", 5, 300],
    ])
    assert load(con, summary, today=TODAY).report.rows_loaded == 2
    assert activity.kpis(con, Filters())["events"] == 15
    log = load(con, event_log(tmp_path / "log.xlsx", KARAGANDA_JUNE_2025), today=TODAY).report
    totals = activity.kpis(con, Filters())
    assert (totals["events"], totals["participants"], totals["detail_records"]) == (10 + 5, 1000 + 300, 4)
    assert con.execute("SELECT count(*) FROM activity WHERE region_code = 'KZ-35'").fetchone()[0] == 1 + 4
    june_25 = activity.kpis(con, Filters(date(2025, 6, 25), date(2025, 6, 25)))
    assert (june_25["events"], june_25["participants"]) == (4, 30 + 195 + 40 + 25)  # the month is not inside a day
    assert batches.delete_batch(con, log.batch_id)
    assert activity.kpis(con, Filters())["detail_records"] == 0


def test_the_same_bytes_stored_twice_at_once_are_refused_inside_the_transaction(tmp_path, con):
    info = batches.BatchInfo("a.xlsx", "same-sha", 10, "events", 1, 1, 0, 0)
    row = {"region_code": "KZ-35", "period_start": date(2025, 6, 1), "period_end": date(2025, 6, 1), "events": 1}
    first = batches.store_batch(con, info, [row])
    with pytest.raises(batches.DuplicateBatch) as caught:
        batches.store_batch(con, info, [row])
    assert caught.value.batch_id == first
    assert con.execute("SELECT count(*) FROM activity_record").fetchone()[0] == 1


def test_a_log_beside_a_summary_of_values_is_flagged(tmp_path):
    """A «Свод» sheet of plain values beside the event log it sums loads as log records too: the reader cannot tell
    a repeat from new figures, so it says so (warning), never silently."""
    from openpyxl import Workbook

    from loaders.ingest import parse_bytes

    book = Workbook()
    log = book.active
    log.title = "Мероприятия"
    log.append(["Дата", "Регион", "Форма", "Охват"])
    log.append([date(2025, 6, 3), "Атырауская область", "лекция", 40])
    log.append([date(2025, 6, 10), "Атырауская область", "беседа", 60])
    summary = book.create_sheet("Свод")
    summary.append(["Сведения за июнь 2025 года"])
    summary.append(["Регион", "Количество мероприятий", "Охват"])
    summary.append(["Атырауская область", 2, 100])
    path = tmp_path / "mixed.xlsx"
    book.save(path)
    report = parse_bytes(path.read_bytes(), path.name, today=date(2026, 1, 1)).report
    mixed = [w for w in report.warnings if w.code == "mixed-shapes"]
    assert [w.params for w in mixed] == [{"events": "Мероприятия", "summary": "Свод"}]
