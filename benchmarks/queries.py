"""Benchmark: the Overview page's queries for one filter change on 1,000,000 activity rows.

Budget (DESIGN.md): all overview queries (kpis_with_change, by_region, by_month, by_event_type,
by_audience) together in at most 150 ms, and at least 10x faster than the naive path: loading the
`activity` view into pandas and filtering and grouping there, measured in the same run.

    python benchmarks/activity.py [--rows N] [--runs N] [--naive-runs N] [--keep PATH]

Exit code 0 within budget, 1 over it.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pandas as pd  # noqa: E402

from prevention.queries import activity  # noqa: E402
from prevention.storage.db import connect  # noqa: E402
from prevention.queries.filters import Filters  # noqa: E402

BUDGET_MS = 150.0
MIN_RATIO = 10.0

EVENT_TYPES = ["лекция", "беседа", "встреча", "семинар", "тренинг", "круглый стол", "акция", "конкурс",
               "викторина", "форум", "спортивный турнир", "рейд", "анкетирование", "заседание", "совещание"]
AUDIENCES = ["студенты", "школьники", "родители", "педагоги", "несовершеннолетние", "подростки и молодёжь",
             "сотрудники", "представители госорганов и НПО", "население"]
ORGANIZERS = ["ДП области", "Комитет по противодействию наркопреступности МВД", "акимат области",
              "управление образования", "управление здравоохранения", "НПО", "волонтёры"]

FILTER_CHANGES = {
    "все данные": Filters(),
    "2025 год": Filters(date(2025, 1, 1), date(2025, 12, 31)),
    "июнь 2025, одна область": Filters(date(2025, 6, 1), date(2025, 6, 30), regions=("KZ-35",)),
    "2025, три области, лекции и беседы": Filters(
        date(2025, 1, 1), date(2025, 12, 31), regions=("KZ-35", "KZ-71", "KZ-75"), event_types=("лекция", "беседа")),
    "2024–2025, студенты, организатор": Filters(
        date(2024, 1, 1), date(2025, 12, 31), audiences=("студенты",),
        organizers=("Комитет по противодействию наркопреступности МВД",)),
}


def _sql_list(values: list[str]) -> str:
    return "[" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + "]"


def generate(con, rows: int) -> None:
    """Insert one batch of `rows` synthetic records, generated inside DuckDB."""
    cur = con.cursor()
    batch_id = cur.execute(
        """INSERT INTO batch (file_name, sha256, size_bytes, shape, rows_read, rows_loaded, rows_skipped, rows_rejected)
           VALUES ('benchmark.xlsx', 'benchmark', 0, 'events', ?, ?, 0, 0) RETURNING batch_id""",
        [rows, rows],
    ).fetchone()[0]
    regions = [r[0] for r in cur.execute("SELECT region_code FROM region ORDER BY region_code").fetchall()]
    cur.execute("SELECT setseed(0.42)")
    cur.execute(
        f"""
        INSERT INTO activity_record (batch_id, source_sheet, source_row, region_code, district,
            period_start, period_end, events, participants, students, event_type, audience, venue, organizer)
        WITH base AS (
            SELECT i,
                   DATE '2024-01-01' + CAST(floor(random() * 730) AS INTEGER) AS day,
                   CAST(floor(random() * 200) + 5 AS INTEGER) AS participants,
                   random() AS share,
                   random() AS r1, random() AS r2, random() AS r3, random() AS r4, random() AS r5
            FROM range({int(rows)}) t(i)
        )
        SELECT ?, 'Лист1', i + 2,
               {_sql_list(regions)}[1 + CAST(floor(r1 * {len(regions)}) AS INTEGER)],
               'район ' || CAST(floor(r5 * 12) AS INTEGER),
               day, day, 1, participants,
               CASE WHEN r2 < 0.15 THEN NULL ELSE CAST(floor(participants * share) AS INTEGER) END,
               {_sql_list(EVENT_TYPES)}[1 + CAST(floor(r2 * {len(EVENT_TYPES)}) AS INTEGER)],
               {_sql_list(AUDIENCES)}[1 + CAST(floor(r3 * {len(AUDIENCES)}) AS INTEGER)],
               'школа № ' || CAST(floor(r4 * 100) AS INTEGER),
               {_sql_list(ORGANIZERS)}[1 + CAST(floor(r4 * {len(ORGANIZERS)}) AS INTEGER)]
        FROM base""",
        [batch_id],
    )
    cur.execute(
        "INSERT INTO population SELECT ?, region_code, NULL, 2025, 500000 + 100000 * row_number() OVER () FROM region",
        [batch_id],
    )
    cur.execute("CHECKPOINT")


def overview(con, f: Filters) -> None:
    """Everything the Overview page asks for on one filter change."""
    activity.kpis_with_change(con, f)
    activity.by_region(con, f)
    activity.by_month(con, f)
    activity.by_event_type(con, f)
    activity.by_audience(con, f)


def naive_overview(con, f: Filters) -> None:
    """The same numbers the naive way: load the whole view into pandas, filter and group there."""
    frame = con.execute("select * from activity").df()

    def subset(flt: Filters) -> pd.DataFrame:
        mask = pd.Series(True, index=frame.index)
        start = pd.to_datetime(frame["period_start"])
        if flt.date_from is not None:
            mask &= start >= pd.Timestamp(flt.date_from)
        if flt.date_to is not None:
            mask &= start <= pd.Timestamp(flt.date_to)
        for column, values in (("region_code", flt.regions), ("event_type", flt.event_types),
                               ("audience", flt.audiences), ("organizer", flt.organizers)):
            if values:
                mask &= frame[column].isin(values)
        return frame[mask]

    totals = ["events", "participants", "students"]
    current = subset(f)
    current[totals].sum()
    current["region_code"].nunique()
    if f.date_from is not None and f.date_to is not None:
        previous = subset(f.year_earlier())
        previous[totals].sum()
        previous["region_code"].nunique()
    current.groupby("region_code")[totals].sum()
    current.groupby(pd.to_datetime(current["period_start"]).dt.to_period("M"))[totals].sum()
    current.groupby(current["event_type"].fillna("не указано"))[totals].sum()
    current.groupby(current["audience"].fillna("не указано"))[totals].sum()


def timed(fn, runs: int) -> float:
    """Median wall time of `runs` calls, in milliseconds."""
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=9, help="runs per filter change for the queries")
    parser.add_argument("--naive-runs", type=int, default=3, help="runs per filter change for the naive path")
    parser.add_argument("--keep", help="write the database here instead of a temporary file")
    parser.add_argument("--memory-limit", default="256MB",
                        help="DuckDB memory_limit, as the dashboard server sets it (ui/state.py); 'none' to leave it")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(args.keep) if args.keep else Path(tmp) / "bench.duckdb"
        con = connect(path)
        started = time.perf_counter()
        generate(con, args.rows)
        print(f"Сгенерировано {args.rows:,} строк за {time.perf_counter() - started:.1f} с ({path})".replace(",", " "))
        if args.memory_limit != "none":
            con.execute(f"SET memory_limit = '{args.memory_limit}'")
        overview(con, Filters())  # warm the buffer pool once, as a running server would be

        con_threads = con.execute("SELECT current_setting('threads')").fetchone()[0]
        worst_ms, worst_ratio = 0.0, float("inf")
        print(f"{'изменение фильтра':<40} {'запросы, мс':>12} {'pandas, мс':>12} {'во сколько раз':>15}")
        for name, f in FILTER_CHANGES.items():
            fast = timed(lambda: overview(con, f), args.runs)
            naive = timed(lambda: naive_overview(con, f), args.naive_runs)
            ratio = naive / fast
            worst_ms, worst_ratio = max(worst_ms, fast), min(worst_ratio, ratio)
            print(f"{name:<40} {fast:>12.1f} {naive:>12.1f} {ratio:>14.1f}x")
        con.close()

    print(f"DuckDB: {con_threads} потока(ов), memory_limit {args.memory_limit}")
    ok = worst_ms <= BUDGET_MS and worst_ratio >= MIN_RATIO
    print(f"Худший случай: {worst_ms:.1f} мс (бюджет {BUDGET_MS:.0f} мс), "
          f"ускорение не меньше {worst_ratio:.1f}x (нужно {MIN_RATIO:.0f}x): {'OK' if ok else 'ПРЕВЫШЕН БЮДЖЕТ'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
