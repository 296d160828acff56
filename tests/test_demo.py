"""Demonstration data: shape, realism checks, the four Karaganda events, loading and the CLI."""
from __future__ import annotations

import csv
import subprocess
import sys
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from prevention.queries import activity as q
from prevention.queries.filters import Filters
from prevention.storage.batches import RECORD_COLUMNS, BatchInfo, store_batch
from prevention.storage.db import DATA_DIR, connect
from prevention.usecases.demo import DEMO_FILE_NAME, generate_demo, load_demo

PROJECT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def demo() -> pd.DataFrame:
    return generate_demo()


def vocabulary(kind: str) -> set[str]:
    with open(DATA_DIR / "vocabulary.csv", encoding="utf-8") as fh:
        return {r["label_ru"] for r in csv.DictReader(fh) if r["kind"] == kind}


def test_shape_and_size(demo):
    assert list(demo.columns) == RECORD_COLUMNS
    assert 15_000 <= len(demo) <= 30_000
    assert demo["region_code"].nunique() == 20
    assert (demo["events"] == 1).all()
    assert demo["source_row"].tolist() == list(range(2, len(demo) + 2))
    starts = pd.to_datetime(demo["period_start"])
    assert (starts == pd.to_datetime(demo["period_end"])).all()
    months = set(zip(starts.dt.year, starts.dt.month))
    assert {(y, m) for y in (2024, 2025) for m in range(1, 13)} <= months


def test_deterministic_per_seed(demo):
    pd.testing.assert_frame_equal(generate_demo(), demo)
    assert not generate_demo(seed=7).equals(demo)


def test_counts_are_consistent(demo):
    assert (demo["participants"] > 0).all()
    assert (demo["students"] <= demo["participants"]).all()
    for column in ("schoolchildren", "parents", "teachers"):
        given = demo[column].notna()
        assert (demo.loc[given, column] <= demo.loc[given, "participants"]).all()
    students_share = demo.groupby("audience")["students"].sum() / demo.groupby("audience")["participants"].sum()
    assert students_share["студенты"] > 0.8 and students_share["школьники"] == 0


def test_labels_come_from_the_vocabulary(demo):
    assert set(demo["event_type"]) <= vocabulary("event_type")
    assert set(demo["audience"]) <= vocabulary("audience")
    assert len(set(demo["event_type"])) >= 12 and len(set(demo["audience"])) >= 8
    assert {"ДП области", "Комитет по противодействию наркопреступности МВД", "акимат", "управление образования",
            "НПО"} <= set(demo["organizer"])
    assert demo["district"].notna().all() and demo["venue"].notna().all()


def test_region_size_follows_population(demo):
    per_region = demo["region_code"].value_counts()
    assert per_region["KZ-61"] > 5 * per_region["KZ-62"]  # Turkistan vs Ulytau
    assert per_region["KZ-75"] > 2 * per_region["KZ-59"]  # Almaty city vs North Kazakhstan
    assert per_region.min() >= 100


def test_june_peak(demo):
    starts = pd.to_datetime(demo["period_start"])
    for year in (2024, 2025):
        monthly = demo[starts.dt.year == year].groupby(starts.dt.month)["events"].sum()
        assert monthly.idxmax() == 6
        assert monthly[6] > 2 * monthly.drop([5, 6]).mean()
    # the anti-drug month 26 May – 26 June, not June as a whole
    days = starts.dt.strftime("%m-%d")
    assert (days == "06-20").sum() > 2 * (days == "06-30").sum()


KARAGANDA_DAY = date(2025, 6, 25)


def karaganda_events(frame: pd.DataFrame) -> pd.DataFrame:
    starts = pd.to_datetime(frame["period_start"]).dt.date
    return frame[(frame["region_code"] == "KZ-35") & (starts == KARAGANDA_DAY)
                 & frame["organizer"].isin(["Комитет по противодействию наркопреступности МВД", "акимат"])
                 & frame["description"].fillna("").str.contains("Совет|колледж|Центр|штаб", regex=True)]


def test_the_four_karaganda_events_of_25_june_2025(demo):
    events = karaganda_events(demo)
    assert len(events) == 4
    assert sorted(events["event_type"]) == ["встреча", "встреча", "заседание", "совещание"]
    assert set(events["district"]) == {"г. Караганда"}

    council = events[events["event_type"] == "заседание"].iloc[0]
    assert "Совета при МВД" in council["description"] and "областным советом по профилактике" in council["description"]

    college = events[events["venue"] == "Карагандинский высший политехнический колледж"]
    assert len(college) == 1
    college = college.iloc[0]
    assert (college["event_type"], college["audience"], college["students"]) == ("встреча", "студенты", 185)
    assert college["participants"] >= college["students"]
    assert "заместителя председателя Комитета по противодействию наркопреступности МВД" in college["description"]

    family = events[events["venue"] == "Центр поддержки семьи"]
    assert len(family) == 1 and family.iloc[0]["event_type"] == "встреча"

    headquarters = events[events["event_type"] == "совещание"].iloc[0]
    assert "Внеочередное совещание" in headquarters["description"]
    assert "межведомственного штаба" in headquarters["description"]
    assert "заместителя акима Карагандинской области" in headquarters["description"]


def test_karaganda_events_do_not_depend_on_the_seed():
    assert len(karaganda_events(generate_demo(seed=1))) == 4


def test_load_demo_stores_one_demo_batch(tmp_path, demo):
    con = connect(tmp_path / "demo.duckdb")
    batch_id = load_demo(con)
    batch = con.execute("SELECT batch_id, file_name, is_demo, sha256, rows_loaded, shape FROM batch").fetchall()
    assert batch == [(batch_id, DEMO_FILE_NAME, True, "demo-2025", len(demo), "events")]
    assert con.execute("SELECT count(*) FROM activity_record").fetchone()[0] == len(demo)
    assert q.has_demo(con)
    assert load_demo(con) == batch_id  # the same demo is not stored twice
    assert con.execute("SELECT count(*) FROM batch").fetchone()[0] == 1

    college = q.records(con, Filters(KARAGANDA_DAY, KARAGANDA_DAY, regions=("KZ-35",), audiences=("студенты",)))
    assert "Карагандинский высший политехнический колледж" in set(college["venue"])
    k = q.kpis(con, Filters())
    assert k["events"] == int(demo["events"].sum()) and k["participants"] == int(demo["participants"].sum())


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "prevention.demo", *args], cwd=PROJECT,
                          capture_output=True, text=True, timeout=120, check=False)


def test_cli_loads_once_if_empty(tmp_path):
    db = str(tmp_path / "cli.duckdb")
    first = run_cli("--db", db, "--if-empty")
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith("Загружены демонстрационные данные: ")
    second = run_cli("--db", db, "--if-empty")
    assert second.returncode == 0
    assert "уже есть данные (загрузок: 1); демонстрационные данные не загружались" in second.stdout
    third = run_cli("--db", db)
    assert third.returncode == 0 and "уже загружены" in third.stdout
    con = duckdb.connect(db, read_only=True)
    assert con.execute("SELECT count(*), bool_and(is_demo) FROM batch").fetchone() == (1, True)
    con.close()


def test_cli_if_empty_leaves_real_data_alone(tmp_path):
    db = tmp_path / "real.duckdb"
    con = connect(db)
    store_batch(con, BatchInfo("отчёт.xlsx", "abc", 1, "events", 1, 1, 0, 0),
                [{"region_code": "KZ-35", "period_start": date(2025, 1, 1), "period_end": date(2025, 1, 1),
                  "events": 1}])
    con.close()
    result = run_cli("--db", str(db), "--if-empty")
    assert result.returncode == 0 and "не загружались" in result.stdout
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*) FROM batch WHERE is_demo").fetchone()[0] == 0
    con.close()


def test_cli_reports_a_locked_database(tmp_path):
    db = tmp_path / "locked.duckdb"
    holder = connect(db)  # this process holds the file, as a running dashboard would
    try:
        result = run_cli("--db", str(db), "--if-empty")
    finally:
        holder.close()
    assert result.returncode == 1
    assert "занята другим процессом" in result.stderr
