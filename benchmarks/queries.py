"""Benchmark: the Overview page's queries for one filter change on 1,000,000 activity rows.

Budget (DESIGN.md): all overview queries (kpis_with_change, by_region, trend, by_event_type,
by_audience, window_notes) together in at most 150 ms, and at least 10x faster than the naive path: loading the
records into pandas and applying the same period rule there (window, counted summaries, their detail), measured in
the same run. Beside the event rows the data holds yearly and quarterly regional summaries (some nested, some
covering event logs of their region), so the rule has work to do.

    python benchmarks/activity.py [--rows N] [--runs N] [--naive-runs N] [--keep PATH]

Exit code 0 within budget, 1 over it.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pandas as pd

from prevention.queries import activity, periods
from prevention.queries.filters import Filters
from prevention.storage import rollup
from prevention.storage.db import connect

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
    "II квартал 2025": Filters(date(2025, 4, 1), date(2025, 6, 30)),
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
        FROM base ORDER BY day""",  # in date order, as storage.batches stores a batch
        [batch_id],
    )
    cur.execute(
        "INSERT INTO population SELECT ?, region_code, NULL, 2025, 500000 + 100000 * row_number() OVER () FROM region",
        [batch_id],
    )
    summaries(cur, regions)
    rollup.rebuild(cur)  # the records were written directly, not through storage.batches: sum them again
    cur.execute("CHECKPOINT")


def summaries(cur, regions: list[str]) -> None:
    """A batch of regional summaries: yearly 2024 and 2025 for the first ten regions, quarterly 2025 for regions
    6–15 (nested in the yearly ones for 6–10), each a little above the events its region's log holds."""
    batch_id = cur.execute(
        """INSERT INTO batch (file_name, sha256, size_bytes, shape, rows_read, rows_loaded, rows_skipped, rows_rejected)
           VALUES ('svody.xlsx', 'benchmark-summaries', 0, 'summary', 0, 0, 0, 0) RETURNING batch_id""").fetchone()[0]
    periods_wanted = [(code, date(year, 1, 1), date(year + 1, 1, 1), "year") for code in regions[:10]
                      for year in (2024, 2025)]
    periods_wanted += [(code, date(2025, 3 * q - 2, 1), date(2025 + q // 4, 3 * q % 12 + 1, 1), "quarter")
                       for code in regions[5:15] for q in (1, 2, 3, 4)]
    cur.execute("CREATE TEMP TABLE wanted (region_code VARCHAR, period_start DATE, next_start DATE, kind VARCHAR)")
    cur.executemany("INSERT INTO wanted VALUES (?, ?, ?, ?)", periods_wanted)
    cur.execute(
        """INSERT INTO activity_record (batch_id, source_sheet, source_row, region_code, period_start, period_end,
                                        period_kind, is_summary, events, participants, students)
           SELECT ?, 'Свод', row_number() OVER () + 1, w.region_code, w.period_start, w.next_start - 1, w.kind, true,
                  (count(a.events) * 1.1)::INTEGER, (sum(a.participants) * 1.1)::INTEGER,
                  (sum(a.students) * 1.1)::INTEGER
           FROM wanted w JOIN activity_record a ON a.region_code = w.region_code
                AND a.period_start >= w.period_start AND a.period_start < w.next_start
           GROUP BY w.region_code, w.period_start, w.next_start, w.kind""",
        [batch_id])
    cur.execute("DROP TABLE wanted")


def overview(con, f: Filters) -> None:
    """Everything the Overview page asks for on one filter change, the way it asks (app/session/state.Data): the
    record parts read once per filter (the app caches them per filter), KPIs, regions, trend and the breakdowns'
    own bar derived from them; the breakdown labels and the window note are queries of their own."""
    parts = activity.record_parts(con, f)
    activity.kpis_of(parts)
    if f.date_from is not None and f.date_to is not None:
        activity.kpis_of(activity.record_parts(con, f.year_earlier()))
    national = replace(f, regions=())
    national_parts = parts if national == f else activity.record_parts(con, national)
    activity.by_region_of(national_parts, activity.region_info(con, national))
    activity.trend_of(parts, f)
    rest = activity.rest_of(parts)
    labels = activity.label_sets(con, f, ("event_type", "audience"))
    activity.with_rest(activity.label_set(labels, "event_type"), rest)
    activity.with_rest(activity.label_set(labels, "audience"), rest)
    activity.window_notes(con, f)


def _naive_rule(frame: pd.DataFrame, flt: Filters) -> tuple[pd.DataFrame, pd.DataFrame, list]:
    """The period rule in pandas: (counted detail records, all detail records in the window, counted summaries)."""
    mask = pd.Series(True, index=frame.index)
    if flt.date_from is not None:
        mask &= frame["period_start"] >= pd.Timestamp(flt.date_from)
    if flt.date_to is not None:
        mask &= frame["period_end"] <= pd.Timestamp(flt.date_to)
    if flt.regions:
        mask &= frame["region_code"].isin(flt.regions)
    chosen = []
    if not (flt.event_types or flt.audiences or flt.organizers):
        units = (frame[mask & frame["is_summary"]]
                 .groupby(["region_code", "period_start", "period_end", "batch_id", "period_kind"], as_index=False)
                 [["events", "participants", "students"]].sum())
        chosen = list(periods.select(
            periods.Summary(r.region_code, r.period_start.date(), r.period_end.date(), r.batch_id, r.period_kind,
                            r.events, r.participants, r.students, 1) for r in units.itertuples()).counted)
    for column, values in (("event_type", flt.event_types), ("audience", flt.audiences),
                           ("organizer", flt.organizers)):
        if values:
            mask &= frame[column].isin(values)
    detail = frame[mask & ~frame["is_summary"]]
    inside = pd.Series(False, index=detail.index)
    for s in chosen:
        inside |= ((detail["region_code"] == s.region_code) & (detail["period_start"] >= pd.Timestamp(s.period_start))
                   & (detail["period_end"] <= pd.Timestamp(s.period_end)))
    return detail[~inside], detail, chosen


def naive_overview(con, f: Filters) -> None:
    """The same numbers the naive way: load every record into pandas, apply the rule and group there."""
    frame = con.execute("select * from activity_record").df()
    frame["period_start"] = pd.to_datetime(frame["period_start"])
    frame["period_end"] = pd.to_datetime(frame["period_end"])
    totals = ["events", "participants", "students"]

    def summed(flt: Filters) -> pd.DataFrame:
        counted, _, chosen = _naive_rule(frame, flt)
        extra = pd.DataFrame([{"region_code": s.region_code, "events": s.events, "participants": s.participants,
                               "students": s.students} for s in chosen], columns=["region_code", *totals])
        return pd.concat([counted[["region_code", *totals]], extra]).groupby("region_code")[totals].sum()

    current = summed(f)
    current.sum()
    if f.date_from is not None and f.date_to is not None:
        summed(f.year_earlier()).sum()
    counted, detail, _ = _naive_rule(frame, f)
    counted.groupby(counted["period_start"].dt.to_period("M"))[totals].sum()
    detail.groupby(detail["event_type"].fillna("не указано"))[totals].sum()
    detail.groupby(detail["audience"].fillna("не указано"))[totals].sum()
    if f.date_from is not None or f.date_to is not None:
        low, high = pd.Timestamp(f.date_from or date.min), pd.Timestamp(f.date_to or date(2262, 1, 1))
        partial = frame[(frame["period_start"] <= high) & (frame["period_end"] >= low)
                        & ~((frame["period_start"] >= low) & (frame["period_end"] <= high))]
        partial.groupby(["is_summary", "period_kind"]).size()


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
        worst_ms, worst_ratio, changes = 0.0, float("inf"), []
        print(f"{'изменение фильтра':<40} {'запросы, мс':>12} {'pandas, мс':>12} {'во сколько раз':>15}")
        for name, f in FILTER_CHANGES.items():
            fast = timed(lambda f=f: overview(con, f), args.runs)
            naive = timed(lambda f=f: naive_overview(con, f), args.naive_runs)
            ratio = naive / fast
            worst_ms, worst_ratio = max(worst_ms, fast), min(worst_ratio, ratio)
            changes.append(fast)
            print(f"{name:<40} {fast:>12.1f} {naive:>12.1f} {ratio:>14.1f}x")
        con.close()

    print(f"DuckDB: {con_threads} потока(ов), memory_limit {args.memory_limit}; "
          f"нагрузка машины (load average за 1, 5, 15 мин): {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"Медиана по изменениям фильтра: {statistics.median(changes):.1f} мс")
    ok = worst_ms <= BUDGET_MS and worst_ratio >= MIN_RATIO
    print(f"Худший случай: {worst_ms:.1f} мс (бюджет {BUDGET_MS:.0f} мс), "
          f"ускорение не меньше {worst_ratio:.1f}x (нужно {MIN_RATIO:.0f}x): {'OK' if ok else 'ПРЕВЫШЕН БЮДЖЕТ'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
