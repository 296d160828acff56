"""The period rule (issue 11) on real DuckDB files: whole periods inside the window, a summary as its region's figure
of record with the event-log records inside it as detail, nested and overlapping summaries, the trend's unit, the
breakdowns' own bar, and the migration of a database built with the earlier rule.

Every expected figure is computed here from the fixture rows of the test, never through the queries."""
from __future__ import annotations

import hashlib
from datetime import date

import pandas as pd
import pytest

from prevention.queries import activity as q
from prevention.queries import periods
from prevention.queries.filters import Filters
from prevention.storage import db
from prevention.storage.batches import BatchInfo, store_batch

REGIONS = ["KZ-10", "KZ-11", "KZ-15", "KZ-19", "KZ-23", "KZ-27", "KZ-31", "KZ-33", "KZ-35", "KZ-39",
           "KZ-43", "KZ-47", "KZ-55", "KZ-59", "KZ-61", "KZ-62", "KZ-63", "KZ-71", "KZ-75", "KZ-79"]
YEAR = (date(2025, 1, 1), date(2025, 12, 31))
JANUARY = (date(2025, 1, 1), date(2025, 1, 31))
JUNE = (date(2025, 6, 1), date(2025, 6, 30))
Q2 = (date(2025, 4, 1), date(2025, 6, 30))
H1 = (date(2025, 1, 1), date(2025, 6, 30))
TWO_YEARS = (date(2024, 1, 1), date(2025, 12, 31))


def rec(region, start, end=None, events=1, participants=None, students=None, event_type=None, audience=None,
        district=None, row=2):
    return {"region_code": region, "period_start": start, "period_end": end or start, "events": events,
            "participants": participants, "students": students, "event_type": event_type, "audience": audience,
            "district": district, "source_sheet": "Лист1", "source_row": row}


def store(con, name, rows, shape="events"):
    info = BatchInfo(name, hashlib.sha256(name.encode()).hexdigest(), 100, shape, len(rows), len(rows), 0, 0)
    return store_batch(con, info, rows)


@pytest.fixture
def con(tmp_path):
    connection = db.connect(tmp_path / "periods.duckdb")
    yield connection
    connection.close()


def window(span) -> Filters:
    return Filters(*span)


def total(rows, metric="events"):
    return sum(r[metric] or 0 for r in rows)


# A yearly summary of all 20 regions (Karaganda's 1,153 events as in the issue).
YEARLY = [rec(code, *YEAR, events=1153 if code == "KZ-35" else 500 + 37 * i, participants=(500 + 37 * i) * 40,
              row=i + 5) for i, code in enumerate(REGIONS)]
# One May event per region in an event log (the issue's «one event hides a whole year»).
MAY_LOG = [rec(code, date(2025, 5, 12), participants=30 + i, event_type="лекция" if i % 2 else "беседа",
               audience="школьники", row=i + 2) for i, code in enumerate(REGIONS)]


# ---------------------------------------------------------------- a yearly summary alone

def test_a_yearly_summary_alone_counts_only_in_windows_that_hold_its_whole_year(con):
    store(con, "svod_2025.xlsx", YEARLY, "summary")
    year_events, year_people = total(YEARLY), total(YEARLY, "participants")
    for span in (YEAR, TWO_YEARS):
        k = q.kpis(con, window(span))
        assert (k["events"], k["participants"], k["regions_reporting"], k["records"]) == (year_events, year_people,
                                                                                         20, 20)
    for span in (JANUARY, Q2, JUNE):
        k = q.kpis(con, window(span))
        assert (k["events"], k["participants"], k["regions_reporting"]) == (0, 0, 0)
        notes = q.window_notes(con, window(span))
        assert notes[["reason", "is_summary", "period_kind", "items", "events"]].to_dict("records") == [
            {"reason": "partial", "is_summary": True, "period_kind": "year", "items": 20, "events": year_events}]
    karaganda = q.kpis(con, Filters(*JANUARY, regions=("KZ-35",)))
    assert karaganda["events"] == 0  # not the whole year's 1,153 in January
    assert q.kpis(con, Filters(*YEAR, regions=("KZ-35",)))["events"] == 1153


def test_a_yearly_summary_is_a_year_bar_never_a_january_bar(con):
    store(con, "svod_2025.xlsx", YEARLY, "summary")
    year = q.trend(con, window(YEAR))
    assert (year["unit"], year["natural"], year["reason"]) == ("year", "year", {"year": 20})
    bars = year["bars"]
    assert [(s.date(), e.date(), v) for s, e, v in zip(bars["period_start"], bars["period_end"], bars["events"])] == [
        (date(2025, 1, 1), date(2025, 12, 31), total(YEARLY))]
    two = q.trend(con, window(TWO_YEARS))["bars"]
    assert list(two["events"]) == [0, total(YEARLY)] and [d.year for d in two["period_start"]] == [2024, 2025]
    months = q.trend(con, window(YEAR), "month")
    assert months["unit"] == "month" and int(months["bars"]["events"].sum()) == 0  # no January bar
    assert months["left_out"][["period_kind", "summaries", "events"]].to_dict("records") == [
        {"period_kind": "year", "summaries": 20, "events": total(YEARLY)}]
    assert q.by_month(con, window(YEAR))["events"].sum() == 0


def test_the_region_record_of_a_yearly_summary_is_its_year(con):
    store(con, "svod_2025.xlsx", YEARLY, "summary")
    rows = q.records(con, Filters(*YEAR, regions=("KZ-35",)))
    assert rows[["period_start", "period_end", "period_kind", "events", "counting"]].astype(str).to_dict("records") \
        == [{"period_start": "2025-01-01", "period_end": "2025-12-31", "period_kind": "year", "events": "1153",
             "counting": "counted"}]
    assert q.records(con, Filters(*JANUARY, regions=("KZ-35",))).empty
    listed = q.left_out_records(con, Filters(*JANUARY, regions=("KZ-35",)))
    assert list(zip(listed["events"], listed["reason"])) == [(1153, "partial")]


# ---------------------------------------------------------------- a summary and an event log of the same region

def test_one_event_no_longer_hides_a_whole_year(con):
    store(con, "svod_2025.xlsx", YEARLY, "summary")
    store(con, "may_log.xlsx", MAY_LOG)
    k = q.kpis(con, window(YEAR))
    assert (k["events"], k["participants"]) == (total(YEARLY), total(YEARLY, "participants"))
    assert (k["records"], k["detail_records"]) == (20, 20)
    may = q.kpis(con, Filters(date(2025, 5, 1), date(2025, 5, 31)))
    assert (may["events"], may["participants"]) == (20, total(MAY_LOG, "participants"))
    median = q.region_vs_median(con, Filters(*YEAR, regions=("KZ-35",)), "KZ-35").set_index("metric")
    events = sorted(r["events"] for r in YEARLY)
    assert median.loc["events", "region_value"] == 1153
    assert median.loc["events", "national_median"] == (events[9] + events[10]) / 2  # not «+76 767 %»


def test_a_summary_with_a_partial_event_log_of_its_region_and_year(con):
    summary = [rec("KZ-35", *YEAR, events=1200, participants=48_000), rec("KZ-71", *YEAR, events=900,
                                                                            participants=27_000, row=3)]
    log = [rec("KZ-35", date(2025, 5, d), participants=40, event_type="лекция", audience="студенты", row=d)
           for d in (5, 6, 7)]
    log += [rec("KZ-75", date(2025, 5, 8), participants=25, event_type="беседа", audience="родители", row=9)]
    store(con, "svod.xlsx", summary, "summary")
    store(con, "log.xlsx", log)
    k = q.kpis(con, window(YEAR))
    assert (k["events"], k["participants"]) == (1200 + 900 + 1, 48_000 + 27_000 + 25)
    assert q.by_region(con, window(YEAR)).set_index("region_code").loc[["KZ-35", "KZ-71", "KZ-75"],
                                                                        "events"].tolist() == [1200, 900, 1]
    forms = q.by_event_type(con, window(YEAR)).set_index("label")
    assert forms["events"].to_dict() == {"лекция": 3, "беседа": 1, q.SUMMARY_REST: 1200 + 900 - 3}
    assert forms["participants"].sum() == k["participants"] and forms["events"].sum() == k["events"]
    audiences = q.by_audience(con, window(YEAR))
    assert audiences["events"].sum() == k["events"] and audiences["label"].iloc[-1] == q.SUMMARY_REST
    rows = q.records(con, Filters(*YEAR, regions=("KZ-35",)))
    assert sorted(rows["counting"]) == ["counted", "detail", "detail", "detail"]
    assert rows.loc[rows["counting"] == "counted", "events"].sum() == 1200
    may = Filters(date(2025, 5, 1), date(2025, 5, 31))
    assert q.kpis(con, may)["events"] == 4  # the summary's year is not inside May: the log counts in full


def _complete_log(events, people_each):
    return [rec("KZ-35", date(2025, 4 + i % 3, 10 + i), participants=people_each, event_type="акция",
                audience="школьники", row=i + 2) for i in range(events)]


@pytest.mark.parametrize("log_events, people_each", [(4, 100), (6, 110)])
def test_a_summary_with_a_complete_event_log_agreeing_or_exceeding(con, log_events, people_each):
    summary = [rec("KZ-35", *Q2, events=4, participants=400)]
    log = _complete_log(log_events, people_each)
    store(con, "svod_q2.xlsx", summary, "summary")
    store(con, "log_q2.xlsx", log)
    k = q.kpis(con, window(Q2))
    assert (k["events"], k["participants"]) == (4, 400)  # the summary is the figure of record
    forms = q.by_event_type(con, window(Q2)).set_index("label")
    rest = forms.loc[q.SUMMARY_REST]
    assert (rest["events"], rest["participants"]) == (4 - log_events, 400 - log_events * people_each)
    assert (forms["events"].sum(), forms["participants"].sum()) == (4, 400)
    months = q.trend(con, window(Q2))
    assert months["unit"] == "quarter" and list(months["bars"]["events"]) == [4]


# ---------------------------------------------------------------- several summaries of one region

NESTED = [("h1.xlsx", H1, 600), ("june.xlsx", JUNE, 150), ("q2.xlsx", Q2, 400)]


@pytest.mark.parametrize("span, expected", [(YEAR, 600), (H1, 600), (Q2, 400), (JUNE, 150),
                                            ((date(2025, 5, 1), date(2025, 6, 30)), 150)])
def test_nested_summaries_count_the_longest_inside_the_window(con, span, expected):
    for name, (start, end), events in NESTED:
        store(con, name, [rec("KZ-35", start, end, events=events)], "summary")
    assert q.kpis(con, window(span))["events"] == expected
    chosen = periods.counted(con, window(span))
    assert [s.events for s in chosen.counted] == [expected] and chosen.conflicts == ()


def test_partly_overlapping_summaries_are_a_conflict_and_the_newer_batch_counts(con):
    q1 = store(con, "q1.xlsx", [rec("KZ-71", date(2025, 1, 1), date(2025, 3, 31), events=300)], "summary")
    feb_apr = store(con, "feb_apr.xlsx", [rec("KZ-71", date(2025, 2, 1), date(2025, 4, 30), events=280)], "summary")
    assert q.kpis(con, window(YEAR))["events"] == 280
    chosen = periods.counted(con, window(YEAR))
    assert [(lost.batch_id, kept.batch_id) for lost, kept in chosen.conflicts] == [(q1, feb_apr)]
    assert q.kpis(con, Filters(date(2025, 1, 1), date(2025, 3, 31)))["events"] == 300  # Feb–Apr is not inside


def test_the_same_period_from_two_batches_is_a_conflict(con):
    store(con, "first.xlsx", [rec("KZ-75", *YEAR, events=1000)], "summary")
    second = store(con, "second.xlsx", [rec("KZ-75", *YEAR, events=1100)], "summary")
    assert q.kpis(con, window(YEAR))["events"] == 1100
    (lost, kept), = periods.counted(con, window(YEAR)).conflicts
    assert kept.batch_id == second and lost.events == 1000


def test_january_to_april_holds_the_first_quarter_so_it_counts_alone(con):
    """The issue calls Q1 and January–April overlapping; by the decided rule Q1 lies inside January–April."""
    store(con, "jan_apr.xlsx", [rec("KZ-71", date(2025, 1, 1), date(2025, 4, 30), events=410)], "summary")
    store(con, "q1.xlsx", [rec("KZ-71", date(2025, 1, 1), date(2025, 3, 31), events=300)], "summary")
    chosen = periods.counted(con, window(YEAR))
    assert [s.events for s in chosen.counted] == [410] and chosen.conflicts == ()
    assert [status for status, _ in chosen.status().values()] == ["counted", "nested"]


# ---------------------------------------------------------------- the window boundary inside a summary

def test_a_window_boundary_inside_a_summary_period(con):
    store(con, "svod_q2.xlsx", [rec("KZ-35", *Q2, events=90, participants=900)], "summary")
    store(con, "log.xlsx", [rec("KZ-35", date(2025, 5, 10), participants=30),
                            rec("KZ-35", date(2025, 6, 20), participants=50, row=3),
                            rec("KZ-35", date(2025, 6, 20), date(2025, 7, 2), participants=70, row=4)])
    inside = q.kpis(con, window(Q2))
    assert (inside["events"], inside["participants"], inside["detail_records"]) == (90, 900, 2)
    later = Filters(date(2025, 5, 1), date(2025, 12, 31))
    assert (q.kpis(con, later)["events"], q.kpis(con, later)["participants"]) == (3, 150)
    middle = Filters(date(2025, 4, 15), date(2025, 6, 15))
    assert q.kpis(con, middle)["participants"] == 30
    notes = q.window_notes(con, middle)
    assert notes[["is_summary", "period_kind", "items"]].to_dict("records") == [
        {"is_summary": True, "period_kind": "quarter", "items": 1}]
    june = q.window_notes(con, window(JUNE))  # the event held 20.06–02.07 overlaps June in part
    assert june[["is_summary", "period_kind", "items"]].to_dict("records") == [
        {"is_summary": True, "period_kind": "quarter", "items": 1}, {"is_summary": False, "period_kind": "other",
                                                                     "items": 1}]


def test_a_form_filter_leaves_the_summaries_out_and_says_so(con):
    store(con, "svod_2025.xlsx", YEARLY, "summary")
    store(con, "may_log.xlsx", MAY_LOG)
    lectures = Filters(*YEAR, event_types=("лекция",))
    chosen = [r for r in MAY_LOG if r["event_type"] == "лекция"]
    k = q.kpis(con, lectures)
    assert (k["events"], k["participants"]) == (len(chosen), total(chosen, "participants"))
    assert q.by_event_type(con, lectures)["label"].tolist() == ["лекция"]
    notes = q.window_notes(con, lectures)
    assert notes[["reason", "items"]].to_dict("records") == [{"reason": "no_breakdown", "items": 20}]


# ---------------------------------------------------------------- the trend's unit

def test_the_trend_unit_is_the_coarsest_counted_summary(con):
    store(con, "q.xlsx", [rec("KZ-35", *Q2, events=90), rec("KZ-71", date(2025, 7, 1), date(2025, 9, 30),
                                                            events=60, row=3)], "summary")
    store(con, "log.xlsx", [rec("KZ-75", date(2025, 2, 3)), rec("KZ-75", date(2025, 8, 30), row=3)])
    got = q.trend(con, window(YEAR))
    assert (got["unit"], got["units"], got["reason"]) == ("quarter", ["month", "quarter"], {"quarter": 2})
    assert list(got["bars"]["events"]) == [1, 90, 61, 0]
    months = q.trend(con, window(YEAR), "month")
    assert int(months["bars"]["events"].sum()) == 2 and int(months["left_out"]["events"].sum()) == 150
    store(con, "nine.xlsx", [rec("KZ-10", date(2025, 1, 1), date(2025, 9, 30), events=33)], "summary")
    assert q.trend(con, window(YEAR))["unit"] == "year"  # nine months fit only a year


def test_a_summary_across_two_years_fits_no_unit_and_is_left_out_of_the_trend(con):
    school_year = (date(2024, 9, 1), date(2025, 5, 31))
    store(con, "school.xlsx", [rec("KZ-35", *school_year, events=77)], "summary")
    got = q.trend(con, window(TWO_YEARS))
    assert got["unit"] == "month" and int(got["bars"]["events"].sum()) == 0
    assert got["left_out"][["period_kind", "events"]].to_dict("records") == [{"period_kind": "other", "events": 77}]
    assert q.kpis(con, window(TWO_YEARS))["events"] == 77


# ---------------------------------------------------------------- the choice among summaries, by hand

def summary(start, end, batch, region="KZ-35"):
    return periods.Summary(region, start, end, batch, "other", 1, None, None, 1)


def test_select_takes_maximal_summaries_newest_first():
    h1, h2 = summary(*H1, 1), summary(date(2025, 7, 1), date(2025, 12, 31), 1)
    june, feb_jul, jan = summary(*JUNE, 3), summary(date(2025, 2, 1), date(2025, 7, 31), 2), summary(*JANUARY, 4)
    chosen = periods.select([h1, h2, june, feb_jul, jan])
    assert set(chosen.counted) == {feb_jul, jan}  # Feb–Jul beats H1 and H2 (newer); January fills the gap
    assert set(chosen.conflicts) == {(h1, feb_jul), (h2, feb_jul)}
    assert chosen.status()[june] == ("nested", feb_jul)
    other_region = periods.select([summary(*H1, 1, "KZ-71"), h1])
    assert len(other_region.counted) == 2 and other_region.conflicts == ()


def test_period_kind_in_sql_is_the_loaders_rule(con):
    from loaders.period import period_kind

    days = [date(2024, 1, 1) + pd.Timedelta(days=n).to_pytimedelta() for n in range(0, 800, 1)]
    starts = [d for d in days if d.day in (1, 2, 15)]
    ends = [d for d in days if d.day in (1, 28, 29, 30, 31)]
    pairs = [(s, e) for s in starts for e in ends if s <= e and (e - s).days < 400]
    con.register("pairs", pd.DataFrame({"s": [p[0] for p in pairs], "e": [p[1] for p in pairs]}))
    got = con.execute(f"SELECT {db.period_kind_sql('s::DATE', 'e::DATE')} FROM pairs").fetchall()
    assert [g[0] for g in got] == [period_kind(s, e) for s, e in pairs]
    assert {g[0] for g in got} == set(periods_kinds())


def periods_kinds():
    from loaders.period import KINDS

    return KINDS


# ---------------------------------------------------------------- the migration of a database of the earlier rule

def _earlier_database(path):
    """A database at schema version 3, written as the earlier code wrote it: rows without period_kind or
    is_summary, and `counted` set by the earlier rule (an event log hides the summary of its region)."""
    import duckdb

    raw = duckdb.connect(str(path))
    db.schema_version(raw)
    for number, step in enumerate(db.MIGRATIONS[:3], start=1):
        step(raw)
        raw.execute("INSERT INTO schema_version VALUES (?, current_localtimestamp())", [number])
    for name, shape, rows in (("svod_2025.xlsx", "summary", YEARLY), ("may_log.xlsx", "events", MAY_LOG)):
        batch_id = raw.execute(
            """INSERT INTO batch (file_name, sha256, size_bytes, shape, rows_read, rows_loaded, rows_skipped,
                                  rows_rejected) VALUES (?, ?, 1, ?, ?, ?, 0, 0) RETURNING batch_id""",
            [name, name, shape, len(rows), len(rows)]).fetchone()[0]
        raw.executemany(
            """INSERT INTO activity_record (batch_id, source_sheet, source_row, region_code, period_start, period_end,
                                            events, participants, event_type) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [[batch_id, r["source_sheet"], r["source_row"], r["region_code"], r["period_start"], r["period_end"],
              r["events"], r["participants"], r["event_type"]] for r in rows])
        db.refresh_counted(raw)
    return raw


def test_a_database_of_the_earlier_rule_gives_the_new_figures_after_migration(tmp_path):
    path = tmp_path / "earlier.duckdb"
    raw = _earlier_database(path)
    # the earlier rule: one May event per region hid every region's year
    assert raw.execute("SELECT sum(events) FROM activity").fetchone()[0] == len(MAY_LOG)
    raw.close()

    con = db.connect(path)  # migrates, no reload
    try:
        assert db.schema_version(con) == len(db.MIGRATIONS)
        columns = [r[0] for r in con.execute("DESCRIBE activity").fetchall()]
        assert columns == ["region_code", "region", "district", "period_start", "period_end", "period_kind", "events",
                           "participants", "students", "schoolchildren", "parents", "teachers", "event_type",
                           "audience", "venue", "organizer", "batch_id", "source_file", "source_sheet", "source_row"]
        table = [r[0] for r in con.execute("DESCRIBE activity_record").fetchall()]
        assert "counted" not in table and {"period_kind", "is_summary"} <= set(table)
        assert con.execute("SELECT count(*), sum(events) FROM activity").fetchone() == (40, total(YEARLY) + 20)
        kinds = con.execute("SELECT is_summary, period_kind, count(*) FROM activity_record GROUP BY ALL ORDER BY 1"
                            ).fetchall()
        assert kinds == [(False, "day", 20), (True, "year", 20)]
        k = q.kpis(con, window(YEAR))
        assert (k["events"], k["participants"], k["detail_records"]) == (total(YEARLY), total(YEARLY, "participants"),
                                                                          20)
        assert q.kpis(con, Filters(date(2025, 5, 1), date(2025, 5, 31)))["events"] == 20
        store(con, "june_log.xlsx", [rec("KZ-35", date(2025, 6, 2))])  # loading after the migration still works
        assert q.kpis(con, window(YEAR))["detail_records"] == 21
    finally:
        con.close()


def test_the_rule_is_written_in_the_readme_and_on_the_quality_page():
    from pathlib import Path

    from prevention import texts

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Periods and the figure of record", 1)[1].split("\n## ", 1)[0]
    for words in ("whole period lies inside the window", "official total for its period", "longest inside the window",
                  "the newer batch counts", "finest calendar unit", "по сводам, без разбивки"):
        assert words in section, words
    for lang in texts.LANGUAGES:
        assert len(texts.t("quality.rule", lang)) > 400


def test_the_year_earlier_change_and_per_10000_follow_the_rule(con):
    previous = [rec("KZ-35", date(2024, 1, 1), date(2024, 12, 31), events=1000, participants=40_000)]
    store(con, "svod_2024.xlsx", previous, "summary")
    store(con, "svod_2025.xlsx", YEARLY, "summary")
    batch = store(con, "population.xlsx", [])
    con.execute("INSERT INTO population VALUES (?, 'KZ-35', NULL, 2025, 1130000)", [batch])
    change = q.kpis_with_change(con, Filters(*YEAR, regions=("KZ-35",)))
    assert (change["current"]["events"], change["previous"]["events"]) == (1153, 1000)
    june = q.kpis_with_change(con, Filters(*JUNE, regions=("KZ-35",)))
    assert (june["current"]["events"], june["previous"]["events"]) == (0, 0)
    karaganda = next(r for r in YEARLY if r["region_code"] == "KZ-35")
    row = q.by_region(con, window(YEAR)).set_index("region_code").loc["KZ-35"]
    assert row["per_10k"] == pytest.approx(karaganda["participants"] * 10_000 / 1_130_000)
    assert q.by_region(con, window(JUNE)).set_index("region_code").loc["KZ-35", "per_10k"] == 0


def test_a_summary_of_days_not_whole_months_holds_only_the_days_inside_it(con):
    """The anti-drug month reported as its own summary (20.05–10.06): a log record of 15 May, in the same month but
    outside the summary, still counts; one of 25 May is the summary's detail."""
    store(con, "month_campaign.xlsx", [rec("KZ-35", date(2025, 5, 20), date(2025, 6, 10), events=50)], "summary")
    store(con, "log.xlsx", [rec("KZ-35", date(2025, 5, 15)), rec("KZ-35", date(2025, 5, 25), row=3)])
    k = q.kpis(con, Filters(date(2025, 5, 1), date(2025, 6, 30)))
    assert (k["events"], k["records"], k["detail_records"]) == (50 + 1, 2, 1)
    got = q.trend(con, Filters(date(2025, 4, 1), date(2025, 6, 30)))
    assert (got["unit"], got["reason"], list(got["bars"]["events"])) == ("quarter", {"other": 1}, [51])


def test_forms_and_audiences_read_together_equal_each_read_alone(con):
    store(con, "svod_2025.xlsx", YEARLY, "summary")
    store(con, "may_log.xlsx", MAY_LOG + [rec("KZ-71", date(2025, 6, 2), participants=5)])
    both = q.label_sets(con, window(YEAR), ("event_type", "audience"))
    for column in ("event_type", "audience"):
        alone = q.labels(con, window(YEAR), column).sort_values("label", ignore_index=True)
        together = q.label_set(both, column).sort_values("label", ignore_index=True)
        pd.testing.assert_frame_equal(together, alone)
    assert set(q.label_set(both, "audience")["label"]) == {"школьники", "не указано"}
