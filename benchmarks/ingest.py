"""Ingest a generated 100,000-row event log with the CLI, against the raw floor and the naive path, in one run.

- the floor: python-calamine's bare read of the same file (open, parse the sheet, to_python), in this process;
- the CLI: `python -m loaders` as a whole process (start-up, pre-checks, the reading child, checks, store);
- the naive path: pandas.read_excel(engine="openpyxl") plus an insert into DuckDB.

Run: .venv/bin/python benchmarks/ingest.py [--rows N]. Prints the times and the ratios; exits 1 when the CLI takes
more than MAX_FLOOR_RATIO times the bare read or is less than MIN_RATIO times faster than the naive path. Also times
the refusal of a zip bomb."""
from __future__ import annotations

import argparse
import io
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MAX_FLOOR_RATIO = 2.0   # the CLI against calamine's bare read (the budget; the aim is 1.5)
MIN_RATIO = 8.0         # the naive pandas path against the CLI
REGIONS = ["Карагандинская область", "ВКО", "г. Алматы", "Туркестанская обл.", "Жетысу", "Астана", "ЗКО",
           "Акмолинская обл.", "Павлодарская область", "Қостанай облысы", "г. Шымкент", "область Абай"]
FORMS = ["лекция", "беседа", "встреча", "акция", "тренинг", "круглый стол", "семинар"]


def write_event_log(path: Path, rows: int) -> None:
    import xlsxwriter

    rng = random.Random(2025)
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet("Мероприятия")
    date_format = book.add_format({"num_format": "dd.mm.yyyy"})
    sheet.write_row(0, 0, ["Сведения о профилактических мероприятиях за 2025 год"])
    sheet.write_row(2, 0, ["№", "Дата проведения", "Регион", "Район", "Место проведения", "Форма мероприятия",
                           "Организатор", "Охват участников", None, None])
    sheet.write_row(3, 7, ["всего", "в т.ч. студентов", "в т.ч. школьников"])
    start = date(2025, 1, 1)
    for i in range(rows):
        r = i + 4
        total = rng.randint(10, 400)
        students = rng.randint(0, total)
        sheet.write_number(r, 0, i + 1)
        sheet.write_datetime(r, 1, start + timedelta(days=rng.randint(0, 364)), date_format)
        sheet.write_string(r, 2, rng.choice(REGIONS))
        sheet.write_string(r, 3, f"район {rng.randint(1, 12)}")
        sheet.write_string(r, 4, f"Колледж №{rng.randint(1, 60)}")
        sheet.write_string(r, 5, rng.choice(FORMS))
        sheet.write_string(r, 6, "ДП области")
        sheet.write_number(r, 7, total)
        sheet.write_number(r, 8, students)
        sheet.write_number(r, 9, rng.randint(0, total - students))
    book.close()


def time_cli(path: Path, db: Path) -> tuple[float, float, str]:
    """Wall-clock and CPU seconds (user + system) of the whole `python -m loaders` process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "loaders", "--db", str(db), "--json", str(path)],
                            cwd=ROOT, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        raise SystemExit(f"CLI failed: {result.stdout[:500]} {result.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu, result.stdout


def time_floor(path: Path) -> float:
    """python-calamine's bare read: the least any reader of this file must spend."""
    import python_calamine

    started = time.perf_counter()
    python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    return time.perf_counter() - started


def time_naive(path: Path, db: Path) -> float:
    started = time.perf_counter()
    import duckdb
    import pandas as pd

    frame = pd.read_excel(path, engine="openpyxl", header=[2, 3])
    frame.columns = [f"c{i}" for i in range(len(frame.columns))]
    con = duckdb.connect(str(db))
    con.execute("CREATE TABLE naive AS SELECT * FROM frame")
    con.close()
    return time.perf_counter() - started


def time_bomb() -> float:
    from loaders import parse_bytes

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            for _ in range(1024):
                sheet.write(b" " * (1 << 20))  # 1 GB of whitespace
    data = out.getvalue()
    started = time.perf_counter()
    report = parse_bytes(data, "bomb.xlsx").report
    elapsed = time.perf_counter() - started
    assert report.status == "failed" and report.error_code == "zip-bomb", report
    print(f"zip bomb: {len(data) / 1e6:.1f} MB compressed, 1 GB inflated, refused in {elapsed * 1000:.0f} ms")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        path = tmp / "events.xlsx"
        started = time.perf_counter()
        write_event_log(path, args.rows)
        took = time.perf_counter() - started
        print(f"generated {args.rows:,} rows, {path.stat().st_size / 1e6:.1f} MB in {took:.1f} s")
        floors, runs = [], []
        for i in range(3):  # interleaved, so a busy moment weighs on both alike
            floors.append(time_floor(path))
            runs.append(time_cli(path, tmp / f"cli{i}.duckdb"))
        floor = sorted(floors)[1]
        cli, cpu, output = sorted(runs)[1]  # the median of three runs
        import json
        entry = json.loads(output)["files"][0]
        assert entry["rows_loaded"] == args.rows, entry
        naive = time_naive(path, tmp / "naive.duckdb")
        print(f"floor (python-calamine bare read, median of 3): {floor:.2f} s")
        print(f"CLI (python -m loaders, whole process, median of 3): {cli:.2f} s wall, {cpu:.2f} s CPU "
              f"= {cli / floor:.2f}x the floor (budget <= {MAX_FLOOR_RATIO}x)")
        print(f"naive (pandas.read_excel openpyxl + insert): {naive:.2f} s = {naive / cli:.1f}x the CLI "
              f"(budget >= {MIN_RATIO}x)")
        print(f"load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores "
              "(above the core count, wall times are inflated by other processes)")
        bomb = time_bomb()
    ok = cli <= MAX_FLOOR_RATIO * floor and naive / cli >= MIN_RATIO and bomb < 2.0
    print("OK" if ok else "OVER BUDGET")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
