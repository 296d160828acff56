"""The sums kept beside the records (activity_month, activity_span: storage.rollup, queries.detail) give exactly the
figures of reading every record.

A generated database (a fresh DuckDB file per test) of event logs written through storage.batches (day records and
ranges across months, missing counts, forms, audiences and organisers) and summaries of months, quarters,
half-years, nine months and years (nested, in conflict, one that is not whole months), then random filters: every
record_parts, label_sets and window_notes through the sums must equal the old SQL over every record, also after a batch
is deleted or replaced through the use cases, and the sums must equal their rebuild from the records.
"""
from __future__ import annotations

import hashlib
import random
from datetime import date, timedelta

import pandas as pd
import pytest

from prevention.queries import activity, detail, parts, periods
from prevention.queries.filters import Filters
from prevention.storage import db, rollup
from prevention.storage.batches import BatchInfo, store_batch
from prevention.usecases.batches import delete_batch, replace_batch
from prevention.usecases.rights import cli_actor
from tests.conftest import load
from tests.workbooks import event_log, event_rows

REGIONS = ["KZ-35", "KZ-71", "KZ-75", "KZ-61", "KZ-10", "KZ-55"]
FORMS = ["лекция", "беседа", "акция", None]
AUDIENCES = ["студенты", "школьники", "родители", None]
ORGANIZERS = ["ДП", "акимат", "НПО", None]
FIRST, LAST = date(2024, 1, 1), date(2025, 12, 31)
RANGES = [(date(2025, 6, 20), date(2025, 6, 26)), (date(2025, 3, 28), date(2025, 4, 3)),
          (date(2024, 12, 30), date(2025, 1, 5)), (date(2025, 1, 1), date(2025, 1, 31))]
FILTERS_PER_STATE = 40


def _store(con, name: str, rows: list[dict], shape: str = "events") -> int:
    info = BatchInfo(name, hashlib.sha256(name.encode()).hexdigest(), 100, shape, len(rows), len(rows), 0, 0)
    return store_batch(con, info, rows)


def _count(rng: random.Random) -> int | None:
    return None if rng.random() < 0.1 else rng.randint(0, 300)


def _events(rng: random.Random, n: int) -> list[dict]:
    rows = []
    for i in range(n):
        start = FIRST + timedelta(days=rng.randrange((LAST - FIRST).days + 1))
        end = start if rng.random() < 0.8 else min(LAST, start + timedelta(days=rng.randint(1, 70)))
        if rng.random() < 0.05:  # the same range again and again (a week's campaign reported row by row)
            start, end = rng.choice(RANGES)
        rows.append({"region_code": rng.choice(REGIONS), "period_start": start, "period_end": end,
                     "events": rng.randint(1, 3), "participants": _count(rng), "students": _count(rng),
                     "event_type": rng.choice(FORMS), "audience": rng.choice(AUDIENCES),
                     "organizer": rng.choice(ORGANIZERS), "district": rng.choice(["район 1", "район 2", None]),
                     "source_sheet": "Лист1", "source_row": i + 2})
    return rows


def _summary(region: str, start: date, end: date, events: int, row: int) -> dict:
    return {"region_code": region, "period_start": start, "period_end": end, "events": events,
            "participants": events * 40, "students": None if row % 5 == 0 else events * 10,
            "district": None, "source_sheet": "Свод", "source_row": row}


def _summaries() -> tuple[list[dict], list[dict], list[dict]]:
    """Yearly, half-year, quarterly, monthly and nine-month summaries (nested), a newer batch in conflict (the
    first quarter against February–April), and one summary that is not whole months (15.01–14.02.2025)."""
    older, newer = [], []
    for i, region in enumerate(REGIONS[:4]):
        older += [_summary(region, date(2025, 1, 1), date(2025, 12, 31), 500 + i, 2),
                  _summary(region, date(2024, 1, 1), date(2024, 12, 31), 400 + i, 3),
                  _summary(region, date(2025, 1, 1), date(2025, 6, 30), 250, 4),
                  _summary(region, date(2025, 4, 1), date(2025, 6, 30), 120, 5),
                  _summary(region, date(2025, 6, 1), date(2025, 6, 30), 40, 6),
                  _summary(region, date(2025, 1, 1), date(2025, 9, 30), 350, 7),
                  _summary(region, date(2024, 7, 1), date(2024, 9, 30), 90, 8)]
    older += [{**_summary("KZ-35", date(2025, 1, 1), date(2025, 12, 31), 60, 9), "district": district}
              for district in ("район 1", "район 2")]  # a summary given by district: its rows add up
    for region in REGIONS[2:5]:
        newer += [_summary(region, date(2025, 1, 1), date(2025, 3, 31), 70, 2),
                  _summary(region, date(2025, 2, 1), date(2025, 4, 30), 75, 3),
                  _summary(region, date(2024, 3, 1), date(2024, 3, 31), 30, 4)]
    odd = [_summary("KZ-35", date(2025, 1, 15), date(2025, 2, 14), 33, 2)]
    return older, newer, odd


def _day(rng: random.Random, first: date = FIRST - timedelta(days=40), last: date = LAST + timedelta(days=40)):
    return first + timedelta(days=rng.randrange((last - first).days + 1))


def _month_start(rng: random.Random) -> date:
    return date(rng.choice([2023, 2024, 2025]), rng.randint(1, 12), 1)


def _month_end(day: date) -> date:
    following = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return following - timedelta(days=1)


def random_filters(rng: random.Random) -> Filters:
    """A window (open, whole months, whole years, any days, one day, inside one month, one end open) and lists."""
    kind = rng.choice(["open", "months", "months", "year", "days", "days", "one_day", "in_month", "from", "to"])
    if kind == "open":
        start = end = None
    elif kind == "months":
        start = _month_start(rng)
        end = _month_end(start + timedelta(days=31 * rng.randint(0, 14)))
    elif kind == "year":
        year = rng.choice([2024, 2025])
        start, end = date(year, 1, 1), date(year, 12, 31)
    elif kind == "days":
        start = _day(rng)
        end = start + timedelta(days=rng.randint(0, 500))
    elif kind == "one_day":
        start = end = _day(rng)
    elif kind == "in_month":
        start = _month_start(rng) + timedelta(days=rng.randint(1, 10))
        end = start + timedelta(days=rng.randint(0, 15))
    elif kind == "from":
        start, end = _day(rng), None
    else:
        start, end = None, _day(rng)

    def some(values):
        return tuple(rng.sample(values, rng.randint(1, 2))) if rng.random() < 0.3 else ()

    return Filters(start, end, some(REGIONS + ["KZ-11"]), some([v for v in FORMS if v] + ["тренинг"]),
                   some([v for v in AUDIENCES if v]), some([v for v in ORGANIZERS if v]))


def assert_same(con, f: Filters) -> None:
    fast, slow = parts.record_parts(con, f), parts.record_parts(con, f, rollup=False)
    pd.testing.assert_frame_equal(fast, slow, obj=str(f))
    for derived in (parts.kpis_of, parts.rest_of):
        assert derived(fast) == derived(slow), f
    columns = ("event_type", "audience")
    order = ["dimension", "label"]
    fast_labels = activity.label_sets(con, f, columns).sort_values(order, ignore_index=True)
    slow_labels = activity.label_sets(con, f, columns, rollup=False).sort_values(order, ignore_index=True)
    pd.testing.assert_frame_equal(fast_labels, slow_labels, obj=str(f))
    pd.testing.assert_frame_equal(periods.window_notes(con, f), periods.window_notes(con, f, rollup=False),
                                  obj=str(f))


def assert_rollup_is_rebuilt(con) -> None:
    order = "ORDER BY ALL"
    tables = ("activity_month", "activity_span")
    kept = [con.execute(f"SELECT * FROM {table} {order}").fetchall() for table in tables]
    rollup.rebuild(con)
    assert kept == [con.execute(f"SELECT * FROM {table} {order}").fetchall() for table in tables]


@pytest.fixture
def con(tmp_path):
    connection = db.connect(tmp_path / "rollup.duckdb")
    yield connection
    connection.close()


def test_whole_months_of_a_window():
    assert detail.whole_months(Filters()) == (None, None)
    assert detail.whole_months(Filters(date(2025, 1, 1), date(2025, 12, 31))) == (2025 * 12, 2025 * 12 + 11)
    assert detail.whole_months(Filters(date(2025, 1, 2), date(2025, 2, 27))) == (2025 * 12 + 1, 2025 * 12)
    assert detail.whole_months(Filters(date(2024, 2, 1), date(2024, 2, 29))) == (2024 * 12 + 1, 2024 * 12 + 1)
    assert detail.whole_months(Filters(None, date(2024, 2, 28))) == (None, 2024 * 12)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_monthly_sums_equal_every_record_on_random_filters(con, seed):
    rng = random.Random(seed)
    first = _store(con, "log_a.xlsx", _events(rng, 700))
    _store(con, "log_b.xlsx", _events(rng, 500))
    older, newer, odd = _summaries()
    _store(con, "svod_old.xlsx", older, "summary")
    _store(con, "svod_new.xlsx", newer, "summary")
    assert_rollup_is_rebuilt(con)
    for _ in range(FILTERS_PER_STATE):
        assert_same(con, random_filters(rng))

    odd_batch = _store(con, "svod_odd.xlsx", odd, "summary")  # not whole months: record_parts reads every record
    for _ in range(FILTERS_PER_STATE // 2):
        assert_same(con, random_filters(rng))
    sha = con.execute("SELECT sha256 FROM batch WHERE batch_id = ?", [odd_batch]).fetchone()[0]
    assert delete_batch(con, cli_actor("tester"), odd_batch, sha) is None

    sha = con.execute("SELECT sha256 FROM batch WHERE batch_id = ?", [first]).fetchone()[0]
    assert delete_batch(con, cli_actor("tester"), first, sha) is None
    assert con.execute("SELECT count(*) FROM activity_month WHERE batch_id = ?", [first]).fetchone()[0] == 0
    assert_rollup_is_rebuilt(con)
    for _ in range(FILTERS_PER_STATE):
        assert_same(con, random_filters(rng))


def test_a_replaced_batch_leaves_no_sums_behind(con, tmp_path):
    rng = random.Random(7)
    _store(con, "log_a.xlsx", _events(rng, 300))
    _store(con, "svod.xlsx", _summaries()[0], "summary")
    first = load(con, event_log(tmp_path / "v1.xlsx", event_rows(40)), "june.xlsx")
    assert first.status == "loaded"
    assert_same(con, Filters(date(2025, 1, 1), date(2025, 12, 31)))
    sha = con.execute("SELECT sha256 FROM batch WHERE batch_id = ?", [first.batch_id]).fetchone()[0]
    second = replace_batch(con, event_log(tmp_path / "v2.xlsx", event_rows(25, start=100)).read_bytes(), "june.xlsx",
                           cli_actor("tester"), first.batch_id, sha)
    assert second.status == "loaded", second.error
    month_records = con.execute(
        "SELECT batch_id, sum(records) FROM activity_month WHERE grain = 0 GROUP BY 1 ORDER BY 1").fetchall()
    assert (first.batch_id, 40) not in month_records and (second.batch_id, 25) in month_records
    assert_rollup_is_rebuilt(con)
    for _ in range(FILTERS_PER_STATE):
        assert_same(con, random_filters(rng))


def test_a_failed_load_leaves_the_sums_as_they_were(con, monkeypatch):
    from prevention.storage import batches

    _store(con, "log_a.xlsx", _events(random.Random(3), 200))
    before = con.execute("SELECT * FROM activity_month ORDER BY ALL").fetchall()
    spans = con.execute("SELECT * FROM activity_span ORDER BY ALL").fetchall()

    def broken(*args):
        raise RuntimeError("disk full")

    monkeypatch.setattr(batches, "bump_data_version", broken)  # fails after the records and sums are written
    with pytest.raises(RuntimeError):
        _store(con, "log_b.xlsx", _events(random.Random(4), 200))
    assert con.execute("SELECT * FROM activity_month ORDER BY ALL").fetchall() == before
    assert con.execute("SELECT * FROM activity_span ORDER BY ALL").fetchall() == spans
