"""prevention.queries against real temporary DuckDB files, checked by hand and against plain pandas."""
from __future__ import annotations

import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest

from prevention.queries import activity as q
from prevention.queries.filters import Filters
from prevention.storage.batches import BatchInfo, store_batch
from prevention.storage.db import connect

PROJECT = Path(__file__).resolve().parent.parent
ALL_REGIONS = [
    "KZ-10", "KZ-11", "KZ-15", "KZ-19", "KZ-23", "KZ-27", "KZ-31", "KZ-33", "KZ-35", "KZ-39",
    "KZ-43", "KZ-47", "KZ-55", "KZ-59", "KZ-61", "KZ-62", "KZ-63", "KZ-71", "KZ-75", "KZ-79",
]


def rec(region, day, events=1, participants=None, students=None, event_type=None, audience=None,
        organizer=None, district=None, end=None, row=None):
    return {"region_code": region, "period_start": day, "period_end": end or day, "events": events,
            "participants": participants, "students": students, "event_type": event_type,
            "audience": audience, "organizer": organizer, "district": district, "source_row": row,
            "source_sheet": "Лист1"}


# Batch A (a.xlsx): event rows and one summary row.
BATCH_A = [
    rec("KZ-35", date(2025, 6, 25), 1, 185, 185, "встреча", "студенты", "МВД", "г. Караганда", row=2),
    rec("KZ-35", date(2025, 6, 25), 1, 30, 0, "заседание", "представители госорганов и НПО", "МВД", "г. Караганда",
        row=3),
    rec("KZ-35", date(2025, 3, 10), 1, 40, None, "лекция", "школьники", "ДП области", "Абайский район", row=4),
    rec("KZ-10", date(2025, 3, 11), 1, 25, 5, "лекция", "студенты", "ДП области", "Абайский район", row=5),
    rec("KZ-75", date(2025, 1, 1), 12, 600, 200, "акция", "подростки и молодёжь", "акимат", None,
        end=date(2025, 1, 31), row=6),
    rec("KZ-71", date(2025, 12, 31), 1, None, None, None, None, None, "район Есиль", row=7),
]
# Batch B (b.xlsx): the year before.
BATCH_B = [
    rec("KZ-35", date(2024, 6, 20), 1, 100, 60, "встреча", "студенты", "МВД", "г. Караганда", row=2),
    rec("KZ-35", date(2024, 2, 29), 1, 50, 10, "беседа", "родители", "НПО", "г. Темиртау", row=3),
    rec("KZ-75", date(2024, 1, 15), 3, 90, 30, "лекция", "студенты", "акимат", "Алмалинский район", row=4),
]


def store(con, name, records, demo=False):
    info = BatchInfo(name, f"sha-{name}", 100, "events", len(records), len(records), 0, 0, is_demo=demo)
    return store_batch(con, info, records)


@pytest.fixture
def con(tmp_path):
    connection = connect(tmp_path / "test.duckdb")
    yield connection
    connection.close()


@pytest.fixture
def loaded(con):
    store(con, "a.xlsx", BATCH_A)
    store(con, "b.xlsx", BATCH_B)
    return con


def frame_of(records):
    df = pd.DataFrame(records)
    df["period_start"] = pd.to_datetime(df["period_start"])
    df["period_end"] = pd.to_datetime(df["period_end"])
    return df


ALL_ROWS = frame_of(BATCH_A + BATCH_B)


def pandas_subset(f: Filters) -> pd.DataFrame:
    """The filter semantics written independently, in pandas: the whole period inside the window (these batches
    are event logs, so every record in the window counts)."""
    df = ALL_ROWS
    mask = pd.Series(True, index=df.index)
    if f.date_from:
        mask &= df["period_start"] >= pd.Timestamp(f.date_from)
    if f.date_to:
        mask &= df["period_end"] <= pd.Timestamp(f.date_to)
    for column, values in (("region_code", f.regions), ("event_type", f.event_types),
                           ("audience", f.audiences), ("organizer", f.organizers)):
        if values:
            mask &= df[column].isin(values)
    return df[mask]


FILTERS = {
    "none": Filters(),
    "2025": Filters(date(2025, 1, 1), date(2025, 12, 31)),
    "from only": Filters(date_from=date(2025, 3, 11)),
    "to only": Filters(date_to=date(2025, 3, 10)),
    "one day": Filters(date(2025, 6, 25), date(2025, 6, 25)),
    "region": Filters(regions=("KZ-35",)),
    "two regions": Filters(regions=("KZ-35", "KZ-75")),
    "event type": Filters(event_types=("лекция",)),
    "audience": Filters(audiences=("студенты",)),
    "organizer": Filters(organizers=("акимат", "МВД")),
    "combined": Filters(date(2024, 1, 1), date(2025, 12, 31), ("KZ-35", "KZ-75"), ("встреча", "лекция"),
                        ("студенты",), ("МВД", "акимат")),
    "nothing matches": Filters(regions=("KZ-62",)),
}


@pytest.mark.parametrize("name", FILTERS)
def test_kpis_match_pandas(loaded, name):
    f = FILTERS[name]
    sub = pandas_subset(f)
    events = int(sub["events"].sum())
    participants = int(sub["participants"].fillna(0).sum())
    students = int(sub["students"].fillna(0).sum())
    assert q.kpis(loaded, f) == {
        "events": events,
        "participants": participants,
        "students": students,
        "students_per_event": students / events if events else None,
        "participants_per_event": participants / events if events else None,
        "regions_reporting": sub["region_code"].nunique(),
        "records": len(sub),
        "detail_records": 0,
    }


@pytest.mark.parametrize("name", FILTERS)
def test_groupings_match_pandas(loaded, name):
    f = FILTERS[name]
    sub = pandas_subset(f).copy()
    totals = ["events", "participants", "students"]
    sub[totals] = sub[totals].fillna(0).astype(int)

    regions = q.by_region(loaded, f).set_index("region_code")
    expected = sub.groupby("region_code")[totals].sum().reindex(ALL_REGIONS, fill_value=0)
    assert sorted(regions.index) == ALL_REGIONS
    for column in totals:
        assert regions[column].to_dict() == expected[column].to_dict()

    for query, column in ((q.by_event_type, "event_type"), (q.by_audience, "audience")):
        got = query(loaded, f)
        want = sub.assign(label=sub[column].fillna("не указано")).groupby("label")[totals].sum()
        assert got.set_index("label")[totals].to_dict() == want.to_dict()
        assert list(got["events"]) == sorted(got["events"], reverse=True)

    months = q.by_month(loaded, f)
    want = sub.groupby(sub["period_start"].dt.to_period("M").dt.start_time)[totals].sum()
    got = months[months["events"] > 0].set_index("month")[totals]
    assert {k.date(): v for k, v in got.to_dict("index").items()} == {k.date(): v for k,
                                                                      v in want.to_dict("index").items()}
    assert int(months["events"].sum()) == int(sub["events"].sum())

    districts = q.by_district(loaded, f)
    want = (sub.assign(district=sub["district"].fillna("не указано"))
            .groupby(["region_code", "district"])[totals].sum())
    assert districts.set_index(["region_code",
                                "district"])[totals].sort_index().to_dict() == want.sort_index().to_dict()

    assert len(q.records(loaded, f)) == len(sub)


def test_kpis_by_hand(loaded):
    k = q.kpis(loaded, Filters(date(2025, 1, 1), date(2025, 12, 31)))
    # 1 + 1 + 1 + 1 + 12 + 1 events; 185 + 30 + 40 + 25 + 600 participants; 185 + 0 + 5 + 200 students
    assert k == {"events": 17, "participants": 880, "students": 390, "students_per_event": 390 / 17,
                 "participants_per_event": 880 / 17, "regions_reporting": 4, "records": 6, "detail_records": 0}


def test_year_earlier_change(loaded):
    change = q.kpis_with_change(loaded, Filters(date(2025, 1, 1), date(2025, 6, 30), regions=("KZ-35",)))
    assert change["current"]["events"] == 3 and change["current"]["participants"] == 255
    assert change["previous"] == {"events": 2, "participants": 150, "students": 70, "students_per_event": 35.0,
                                  "participants_per_event": 75.0, "regions_reporting": 1, "records": 2,
                                  "detail_records": 0}


def test_year_earlier_of_a_leap_day_ends_on_28_february(loaded):
    # 29.02.2024 is in the current window; a year earlier is 01.01.2023–28.02.2023: nothing.
    change = q.kpis_with_change(loaded, Filters(date(2024, 1, 1), date(2024, 2, 29)))
    assert change["current"]["events"] == 4
    assert change["previous"]["events"] == 0 and change["previous"]["students_per_event"] is None


@pytest.mark.parametrize("f", [Filters(), Filters(date_from=date(2025, 1, 1)), Filters(date_to=date(2025, 1, 1))])
def test_no_previous_period_without_both_dates(loaded, f):
    change = q.kpis_with_change(loaded, f)
    assert change["previous"] is None
    assert change["current"] == q.kpis(loaded, f)


def add_population(con, rows, name="population.xlsx"):
    batch_id = store(con, name, [])
    con.executemany("INSERT INTO population VALUES (?, ?, ?, ?, ?)", [[batch_id, *r] for r in rows])
    return batch_id


def test_per_10k_uses_whole_region_population_of_nearest_year(loaded):
    add_population(loaded, [
        ("KZ-35", None, 2024, 1_000_000),
        ("KZ-35", None, 2025, 1_100_000),
        ("KZ-35", "г. Караганда", 2025, 500_000),  # a district row is never the denominator
        ("KZ-75", None, 2022, 2_000_000),
    ])
    rows = q.by_region(loaded, Filters(date(2025, 1, 1), date(2025, 12, 31))).set_index("region_code")
    assert rows.loc["KZ-35", "population"] == 1_100_000
    assert rows.loc["KZ-35", "population_year"] == 2025
    assert rows.loc["KZ-35", "per_10k"] == pytest.approx(255 * 10_000 / 1_100_000)
    assert rows.loc["KZ-75", "population_year"] == 2022  # the only year it has
    assert rows.loc["KZ-75", "per_10k"] == pytest.approx(600 * 10_000 / 2_000_000)
    assert pd.isna(rows.loc["KZ-10", "per_10k"]) and pd.isna(rows.loc["KZ-10", "population"])
    assert rows.loc["KZ-35", "per_event"] == pytest.approx(255 / 3)
    assert rows.loc["KZ-35", "students_per_event"] == pytest.approx(185 / 3)
    assert pd.isna(rows.loc["KZ-62", "per_event"])

    earlier = q.by_region(loaded, Filters(date(2020, 1, 1), date(2020, 12, 31))).set_index("region_code")
    assert earlier.loc["KZ-35", "population_year"] == 2024
    assert earlier.loc["KZ-35", "per_10k"] == 0
    latest = q.by_region(loaded, Filters()).set_index("region_code")
    assert latest.loc["KZ-35", "population_year"] == 2025
    assert latest.loc["KZ-35", "per_10k"] == pytest.approx((255 + 150) * 10_000 / 1_100_000)


def test_newer_population_batch_wins_for_the_same_year(loaded):
    add_population(loaded, [("KZ-35", None, 2025, 1_000_000)], "old.xlsx")
    add_population(loaded, [("KZ-35", None, 2025, 1_250_000)], "new.xlsx")
    row = q.by_region(loaded, Filters(regions=("KZ-35",))).set_index("region_code").loc["KZ-35"]
    assert row["population"] == 1_250_000
    assert row["per_10k"] == pytest.approx(405 * 10_000 / 1_250_000)


def test_population_ties_go_to_the_later_year_and_district_rows_never_count(loaded):
    add_population(loaded, [("KZ-35", None, 2024, 1_000_000), ("KZ-35", None, 2026, 1_200_000)])
    add_population(loaded, [("KZ-35", "г. Караганда", 2025, 500_000)], "districts.xlsx")  # newer, nearer, district
    f = Filters(date(2025, 1, 1), date(2025, 12, 31), regions=("KZ-35",))
    row = q.by_region(loaded, f).set_index("region_code").loc["KZ-35"]
    assert (row["population"], row["population_year"]) == (1_200_000, 2026)
    assert row["per_10k"] == pytest.approx(255 * 10_000 / 1_200_000)


def test_newer_population_batch_wins_with_dates_too(loaded):
    add_population(loaded, [("KZ-35", None, 2025, 1_000_000)], "old.xlsx")
    add_population(loaded, [("KZ-35", None, 2025, 1_250_000)], "new.xlsx")
    row = q.by_region(loaded, Filters(date(2025, 1, 1), date(2025, 12, 31))).set_index("region_code").loc["KZ-35"]
    assert row["population"] == 1_250_000


def test_by_region_names_and_zeros(loaded):
    regions = q.by_region(loaded, Filters(regions=("KZ-35",)))
    assert len(regions) == 20
    karaganda = regions.set_index("region_code").loc["KZ-35"]
    assert (karaganda["region"], karaganda["name_kk"], karaganda["name_en"], karaganda["adm1_en"]) == (
        "Карагандинская область", "Қарағанды облысы", "Karaganda Region", "Karaganda Region")
    assert int(regions["events"].sum()) == 5
    assert (regions.loc[regions["region_code"] != "KZ-35", ["events", "participants", "students"]] == 0).all().all()
    assert str(regions["events"].dtype) == "int64"


def test_by_month_fills_months_without_records(loaded):
    months = q.by_month(loaded, Filters(date(2025, 1, 1), date(2025, 6, 30)))
    assert [m.date() for m in months["month"]] == [date(2025, m, 1) for m in range(1, 7)]
    assert list(months["events"]) == [12, 0, 2, 0, 0, 2]
    assert list(months["participants"]) == [600, 0, 65, 0, 0, 215]


def test_missing_labels_are_not_given(loaded):
    types = q.by_event_type(loaded, Filters(regions=("KZ-71",)))
    assert types.to_dict("records") == [{"label": "не указано", "events": 1, "participants": 0, "students": 0}]
    districts = q.by_district(loaded, Filters(regions=("KZ-75",)))
    assert "не указано" in set(districts["district"])


def test_same_district_name_in_two_regions_stays_apart(loaded):
    districts = q.by_district(loaded, Filters(date(2025, 3, 1), date(2025, 3, 31)))
    assert list(districts.columns[:4]) == ["district", "events", "participants", "students"]
    abai = districts[districts["district"] == "Абайский район"].set_index("region_code")
    assert abai["participants"].to_dict() == {"KZ-35": 40, "KZ-10": 25}
    assert abai.loc["KZ-10", "region"] == "область Абай"


def test_region_vs_median(loaded):
    f = Filters(date(2025, 1, 1), date(2025, 12, 31), regions=("KZ-35",))  # the region filter is ignored for the median
    got = q.region_vs_median(loaded, f, "KZ-35").set_index("metric")
    assert list(got.index) == ["events", "participants", "students", "students_per_event"]
    # 2025 by region: KZ-35 3 events, KZ-10 1, KZ-75 12, KZ-71 1, 16 regions with 0: median of 20 values is 0.
    assert got.loc["events"].tolist()[:2] == [3.0, 0.0]
    assert got.loc["participants"].tolist()[:2] == [255.0, 0.0]
    # students per event exists for four regions: 185/3, 5, 200/12, 0 -> median (5 + 200/12) / 2
    assert got.loc["students_per_event", "region_value"] == pytest.approx(185 / 3)
    assert got.loc["students_per_event", "national_median"] == pytest.approx((5 + 200 / 12) / 2)


def test_region_vs_median_of_a_region_without_records(loaded):
    got = q.region_vs_median(loaded, Filters(), "KZ-62").set_index("metric")
    assert got.loc["events", "region_value"] == 0.0
    assert pd.isna(got.loc["students_per_event", "region_value"])


def test_records_columns_order_and_limit(loaded):
    rows = q.records(loaded, Filters(regions=("KZ-35",)))
    assert list(rows.columns) == [
        "region_code", "region", "district", "period_start", "period_end", "period_kind", "events", "participants",
        "students", "schoolchildren", "parents", "teachers", "event_type", "audience", "venue", "organizer",
        "batch_id", "source_file", "source_sheet", "source_row", "counting"]
    assert set(rows["counting"]) == {"counted"} and set(rows["period_kind"]) == {"day"}
    assert [(d.date(), r) for d, r in zip(rows["period_start"], rows["source_row"])] == [
        (date(2024, 2, 29), 3), (date(2024, 6, 20), 2), (date(2025, 3, 10), 4),
        (date(2025, 6, 25), 2), (date(2025, 6, 25), 3)]
    assert set(rows["source_file"]) == {"a.xlsx", "b.xlsx"}
    assert len(q.records(loaded, Filters(), limit=2)) == 2


def test_batches_for_lists_only_contributing_batches(loaded):
    got = q.batches_for(loaded, Filters(date(2025, 1, 1), date(2025, 12, 31)))
    assert list(got.columns) == ["batch_id", "file_name", "loaded_at", "rows_loaded"]
    assert got[["file_name", "rows_loaded"]].to_dict("records") == [{"file_name": "a.xlsx", "rows_loaded": 6}]
    assert list(q.batches_for(loaded, Filters())["file_name"]) == ["a.xlsx", "b.xlsx"]
    assert q.batches_for(loaded, Filters(regions=("KZ-62",))).empty


def test_status_helpers(con):
    assert q.is_empty(con) and not q.has_demo(con) and q.as_of(con) is None
    add_population(con, [("KZ-35", None, 2025, 1)])
    assert q.is_empty(con) and not q.has_demo(con)  # a population table alone is not activity data
    store(con, "demo", BATCH_B, demo=True)
    assert not q.is_empty(con) and q.has_demo(con)
    assert isinstance(q.as_of(con), datetime)
    assert q.as_of(con) == con.execute("SELECT max(loaded_at) FROM batch").fetchone()[0]


def test_filter_options(loaded):
    options = q.filter_options(loaded)
    assert options["date_min"] == date(2024, 1, 15) and options["date_max"] == date(2025, 12, 31)
    assert list(options["regions"].columns) == ["region_code", "name_ru", "name_kk", "name_en"]
    assert len(options["regions"]) == 20
    assert options["regions"]["name_ru"].iloc[0] == "Акмолинская область"
    assert options["event_types"] == ["акция", "беседа", "встреча", "заседание", "лекция"]
    assert options["audiences"] == ["подростки и молодёжь", "представители госорганов и НПО", "родители",
                                    "студенты", "школьники"]
    assert options["organizers"] == ["ДП области", "МВД", "НПО", "акимат"]


def test_empty_database(con):
    options = q.filter_options(con)
    assert options["date_min"] is None and options["date_max"] is None
    assert options["event_types"] == [] and len(options["regions"]) == 20
    assert q.kpis(con, Filters())["events"] == 0
    assert q.kpis(con, Filters())["students_per_event"] is None
    assert q.by_month(con, Filters()).empty
    regions = q.by_region(con, Filters())
    assert len(regions) == 20 and int(regions["events"].sum()) == 0


def test_where_clause_uses_parameters(loaded):
    sql, params = q.where_clause(Filters(date(2025, 1, 1), date(2025, 3, 31), ("KZ-35", "KZ-35"), (), ("студенты",)))
    assert sql == "WHERE period_start >= ? AND period_end <= ? AND region_code IN (?) AND audience IN (?)"
    assert params == [date(2025, 1, 1), date(2025, 3, 31), "KZ-35", "студенты"]
    assert q.where_clause(Filters()) == ("", [])
    hostile = Filters(regions=("KZ-35' OR '1'='1",), organizers=("x'); DROP TABLE batch; --",))
    assert q.kpis(loaded, hostile)["records"] == 0
    assert len(q.batches_for(loaded, Filters())) == 2


def test_query_module_does_not_import_streamlit():
    code = ("import sys; import prevention.queries.activity, prevention.output.exports, prevention.demo; "
            "print('streamlit' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], cwd=PROJECT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
