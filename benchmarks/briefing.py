"""Benchmark: a whole briefing (queries, charts, DOCX and PDF) for all regions over a year of 1,000,000 records.

The generator of benchmarks/queries.py spreads its records evenly over 2024 and 2025, so 2,000,000 of them put about
1,000,000 in the year 2025, the briefing's window (the count is printed).

Budget (issue 15): ready within 5 s on this machine, median of 3 runs, after one first run that also pays what a
running server pays once (the region shapes simplified, matplotlib's fonts loaded), which is reported apart. The
load average and the number of cores are printed with the figures, and the peak resident memory of the process.

    python benchmarks/briefing.py [--rows N] [--runs N] [--keep PATH]

Exit code 0 within budget, 1 over it.
"""
from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.queries import generate
from prevention.output import briefing
from prevention.output.briefing import docx as docx_writer
from prevention.output.briefing import pdf as pdf_writer
from prevention.output.briefing.layout import blocks
from prevention.queries.filters import Filters
from prevention.storage.db import connect

BUDGET_S = 5.0
YEAR = Filters(date(2025, 1, 1), date(2025, 12, 31))


def one_briefing(con, lang: str = "ru") -> dict[str, float]:
    """Both files of the Overview's briefing, as the two buttons build them (each its own queries and charts);
    seconds per stage."""
    times: dict[str, float] = {}
    started = time.perf_counter()
    figures = briefing.gather(con, YEAR)
    times["queries"] = time.perf_counter() - started
    mark = time.perf_counter()
    content = briefing.compose(figures, lang, "participants")
    content_blocks = blocks(content)
    times["content and charts"] = time.perf_counter() - mark
    mark = time.perf_counter()
    docx = docx_writer.write(content, content_blocks)
    times["docx"] = time.perf_counter() - mark
    mark = time.perf_counter()
    pdf = pdf_writer.write(content, content_blocks)
    times["pdf"] = time.perf_counter() - mark
    times["total"] = time.perf_counter() - started
    assert len(content.regions.rows) == 20 and docx[:2] == b"PK" and pdf[:4] == b"%PDF"
    return times


def both_buttons(con) -> float:
    """The Word button and the PDF button clicked one after the other: each builds its briefing from the queries."""
    started = time.perf_counter()
    briefing.docx_bytes(briefing.build(con, YEAR, "ru"))
    briefing.pdf_bytes(briefing.build(con, YEAR, "ru"))
    return time.perf_counter() - started


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2_000_000, help="records in the database (half in 2025)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", help="write the database here instead of a temporary file")
    parser.add_argument("--generate-only", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.generate_only:  # in a child process, so that the peak memory printed below is the briefing's
        con = connect(Path(args.generate_only))
        generate(con, args.rows)
        con.close()
        return 0

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(args.keep) if args.keep else Path(tmp) / "bench.duckdb"
        started = time.perf_counter()
        subprocess.run([sys.executable, __file__, "--rows", str(args.rows), "--generate-only", str(path)], check=True)
        print(f"Сгенерировано {args.rows:,} строк за {time.perf_counter() - started:.1f} с".replace(",", " "))
        con = connect(path)
        con.execute("SET memory_limit = '256MB'")  # as the dashboard server (app/session/state.py)
        rss_before = peak_rss_mb()
        in_window = briefing.gather(con, YEAR).kpis["current"]["records"]
        print(f"Записей в окне справки (2025 год): {in_window:,}".replace(",", " "))
        load = os.getloadavg()
        print(f"Ядер: {os.cpu_count()}, load average: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
        first = one_briefing(con)
        print(f"Первая справка (с подготовкой карты и шрифтов): {first['total']:.2f} с")
        runs = [one_briefing(con) for _ in range(args.runs)]
        for stage in runs[0]:
            print(f"  {stage:<20} {statistics.median(r[stage] for r in runs):6.2f} с (медиана {args.runs})")
        buttons = statistics.median(both_buttons(con) for _ in range(args.runs))
        con.close()

    total = statistics.median(r["total"] for r in runs)
    load = os.getloadavg()
    print(f"Обе кнопки подряд (каждая со своими запросами): {buttons:.2f} с")
    print(f"Пиковая память процесса: {peak_rss_mb():.0f} МБ (до первой справки, с открытой базой: {rss_before:.0f} МБ)")
    print(f"load average после: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    ok = total <= BUDGET_S
    print(f"Справка целиком (запросы, графики, DOCX и PDF): {total:.2f} с (бюджет {BUDGET_S:.0f} с): "
          f"{'OK' if ok else 'ПРЕВЫШЕН БЮДЖЕТ'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
