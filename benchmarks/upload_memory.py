"""Upload a ~20 MB workbook through the real «Загрузка» page (Streamlit server + Debian chromium) and measure the
server's resident memory with psutil: before the upload, its peak while the file is checked and stored, and
after the commit. Budget: once committed, the server stays within 300 MB of where it started.

    .venv/bin/python benchmarks/upload_memory.py [--mb 20] [--keep]

Prints the figures; exit code 1 when over budget. Runs on a closed network (every request that does not go to
127.0.0.1 is aborted) against a temporary database.
"""
from __future__ import annotations

import argparse
import contextlib
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from datetime import date, timedelta
from pathlib import Path

import psutil

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))
from tests.browser.harness import IDLE, launch, start_server  # noqa: E402

BUDGET_MB = 300
MB = 1024 * 1024

REGIONS = ["Карагандинская область", "город Астана", "город Алматы", "Туркестанская область", "область Абай",
           "Павлодарская область", "Костанайская область", "Актюбинская область", "Жамбылская область",
           "Мангистауская область", "Западно-Казахстанская область", "область Жетісу"]
FORMS = ["лекция", "беседа", "встреча", "акция", "тренинг", "круглый стол", "семинар", "конкурс"]
AUDIENCES = ["студенты", "школьники", "родители", "педагоги", "подростки и молодёжь"]
SYLLABLES = ["про", "фи", "лак", "ти", "ка", "нар", "ко", "ма", "нии", "здо", "ро", "вый", "об", "раз", "жиз", "ни",
             "мо", "ло", "дёж", "ный", "за", "кон", "пра", "во", "ва", "я", "ку", "льту", "ра", "спор", "тив"]


def write_workbook(path: Path, target_bytes: int) -> int:
    """An event log of about target_bytes: realistic columns with a free-text description (less compressible)."""
    import xlsxwriter

    rng = random.Random(20250626)
    words = ["".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 5))) for _ in range(3000)]

    def rows_for(n: int):
        start = date(2025, 1, 1)
        for i in range(n):
            total = rng.randint(10, 400)
            students = rng.randint(0, total)
            yield [i + 1, start + timedelta(days=i % 365), REGIONS[i % len(REGIONS)], f"район {i % 17}",
                   f"Колледж №{rng.randint(1, 400)}", FORMS[i % len(FORMS)], AUDIENCES[i % len(AUDIENCES)],
                   f"ДП, исполнитель {rng.randint(1, 900)}",
                   " ".join(rng.choice(words) for _ in range(rng.randint(8, 16))),
                   total, students, rng.randint(0, total - students)]

    def write(n: int) -> None:
        book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
        sheet = book.add_worksheet("Мероприятия")
        date_format = book.add_format({"num_format": "dd.mm.yyyy"})
        header = ["№", "Дата проведения", "Регион", "Район", "Место проведения", "Форма мероприятия", "Аудитория",
                  "Организатор", "Наименование мероприятия", "Охват участников, всего", "в т.ч. студентов",
                  "в т.ч. школьников"]
        sheet.write_row(0, 0, header)
        for r, row in enumerate(rows_for(n), start=1):
            sheet.write_row(r, 0, row[:1])
            sheet.write_datetime(r, 1, row[1], date_format)
            sheet.write_row(r, 2, row[2:])
        book.close()

    sample = 20_000
    write(sample)
    rows = int(sample * target_bytes / path.stat().st_size)
    write(rows)
    return rows


def rss(proc: psutil.Process) -> int:
    total = proc.memory_info().rss
    for child in proc.children(recursive=True):
        with contextlib.suppress(psutil.NoSuchProcess):
            total += child.memory_info().rss
    return total


class Peak(threading.Thread):
    def __init__(self, proc: psutil.Process):
        super().__init__(daemon=True)
        self.proc, self.peak, self.running = proc, 0, True

    def run(self) -> None:
        while self.running:
            self.peak = max(self.peak, rss(self.proc))
            time.sleep(0.1)


def settle(page) -> None:
    for _ in range(2):
        page.wait_for_timeout(400)
        page.wait_for_selector(IDLE, timeout=600_000)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=20.0, help="size of the workbook in MB (default 20)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    from prevention.storage import db

    tmp = Path(tempfile.mkdtemp(prefix="upload_memory_"))
    workbook = tmp / "журнал_за_год.xlsx"
    started = time.perf_counter()
    rows = write_workbook(workbook, int(args.mb * MB))
    size = workbook.stat().st_size
    print(f"workbook: {size / MB:.1f} MB, {rows:,} rows (written in {time.perf_counter() - started:.0f} s)")
    db.connect(tmp / "bench.duckdb").close()
    server, url = start_server(tmp / "bench.duckdb", tmp / "server.log")
    process = psutil.Process(server.pid)
    outside: list[str] = []
    try:
        with sync_playwright() as p:
            browser = launch(p)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.route("**/*", lambda route: (outside.append(route.request.url), route.abort())
                       if urllib.parse.urlsplit(route.request.url).hostname != "127.0.0.1" else route.continue_())
            page.goto(url)
            settle(page)
            page.get_by_test_id("stSidebarNav").get_by_text("Загрузка", exact=True).click()
            settle(page)
            time.sleep(3)
            before = rss(process)
            peak = Peak(process)
            peak.start()
            t0 = time.perf_counter()
            page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(workbook))
            page.get_by_text("Проверка без записи").wait_for(timeout=600_000)
            settle(page)
            preview_s = time.perf_counter() - t0
            during_preview = rss(process)
            button = page.get_by_role("button", name=re.compile("Загрузить в базу"))
            label = button.inner_text().splitlines()[-1]
            t1 = time.perf_counter()
            button.click()
            page.get_by_text("Результат загрузки").wait_for(timeout=600_000)
            settle(page)
            commit_s = time.perf_counter() - t1
            result = page.get_by_text(re.compile(r"→ пакет №")).first.inner_text()
            time.sleep(5)
            after = rss(process)
            peak.running = False
            peak.join()
            page.get_by_test_id("stSidebarNav").get_by_text("Обзор", exact=True).click()
            settle(page)
            time.sleep(2)
            after_overview = rss(process)
            browser.close()
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        stored = db.connect(tmp / "bench.duckdb").execute("SELECT count(*) FROM activity").fetchone()[0]
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
    growth = after - before
    print(f"button: {label}")
    print(f"result: {result}")
    print(f"records stored: {stored:,}")
    print(f"preview (upload + dry run): {preview_s:.1f} s; commit: {commit_s:.1f} s")
    print(f"server RSS before upload:   {before / MB:8.1f} MB")
    print(f"server RSS with preview:    {during_preview / MB:8.1f} MB")
    print(f"server RSS peak:            {peak.peak / MB:8.1f} MB")
    print(f"server RSS after commit:    {after / MB:8.1f} MB  (growth {growth / MB:+.1f} MB, budget {BUDGET_MB} MB)")
    overview_growth = (after_overview - before) / MB
    print(f"server RSS after Overview:  {after_overview / MB:8.1f} MB  (growth {overview_growth:+.1f} MB)")
    print(f"requests outside 127.0.0.1: {len(outside)}")
    ok = growth <= BUDGET_MB * MB and not outside and stored == rows
    print("OK" if ok else "OVER BUDGET OR FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
