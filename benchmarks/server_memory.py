"""Benchmark: the dashboard server's resident memory with 1,000,000 activity rows and 10 open sessions.

Budget (DESIGN.md): the server stays under 600 MB resident (the Streamlit process and any children).
Naive reference, measured in the same run: the same rows as one pandas DataFrame in this process
(what a dashboard that loads the table into memory would hold before doing anything per session).

    python benchmarks/server_memory.py [--rows N] [--sessions N] [--keep PATH]

It generates the rows inside DuckDB (the generator of benchmarks/queries.py), starts
`streamlit run dashboard.py` on a free port, opens N Playwright pages on the Overview (Debian's
chromium, every request off 127.0.0.1 refused), waits for each map to be drawn, changes a filter in
every session, and samples the server's resident memory with psutil. Exit code 0 within budget.
"""
from __future__ import annotations

import argparse
import contextlib
import gc
import importlib.util
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

import psutil

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from prevention.storage.db import connect  # noqa: E402
from tests.browser.harness import IDLE, launch, start_server  # noqa: E402

BUDGET_MB = 600.0


def _generator():
    spec = importlib.util.spec_from_file_location("bench_queries", PROJECT / "benchmarks" / "queries.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.generate


def build(path: Path, rows: int) -> float:
    started = time.perf_counter()
    con = connect(path)
    _generator()(con, rows)
    con.execute("CHECKPOINT")
    con.close()
    return time.perf_counter() - started


def rss_mb(pid: int) -> float:
    proc = psutil.Process(pid)
    total = proc.memory_info().rss
    for child in proc.children(recursive=True):
        with contextlib.suppress(psutil.NoSuchProcess):
            total += child.memory_info().rss
    return total / 2**20


def naive_mb(db: Path) -> float:
    """Resident memory the same rows take as one pandas DataFrame in a fresh process."""
    code = (
        f"import duckdb, psutil, os; con = duckdb.connect({str(db)!r}, read_only=True); "
        "before = psutil.Process().memory_info().rss; df = con.execute('SELECT * FROM activity').df(); "
        "print((psutil.Process().memory_info().rss - before) / 2**20)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=PROJECT)
    return float(out.stdout.strip())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--sessions", type=int, default=10)
    parser.add_argument("--keep", type=Path, help="keep the generated database at this path")
    args = parser.parse_args(argv)

    from playwright.sync_api import sync_playwright

    tmp = Path(tempfile.mkdtemp(prefix="server_memory_"))
    db = args.keep or tmp / "bench.duckdb"
    if not db.exists():
        seconds = build(db, args.rows)
        print(f"generated {args.rows:,} rows in {seconds:.1f} s ({db.stat().st_size / 2**20:.0f} MB file)")
    naive = naive_mb(db)
    proc, url = start_server(db, tmp / "server.log", timeout=120)
    outside: list[str] = []
    samples: list[tuple[str, float]] = [("server started", rss_mb(proc.pid))]
    try:
        with sync_playwright() as p:
            browser = launch(p)
            pages = []
            for i in range(args.sessions):
                context = browser.new_context(viewport={"width": 1400, "height": 900})
                page = context.new_page()
                page.route("**/*", lambda route: (outside.append(route.request.url), route.abort())
                           if urllib.parse.urlsplit(route.request.url).hostname != "127.0.0.1"
                           else route.continue_())
                started = time.perf_counter()
                page.goto(url + "/")
                page.wait_for_selector('[data-testid="stMetricValue"]', timeout=120_000)
                page.wait_for_selector(IDLE, timeout=120_000)
                page.wait_for_selector('[data-testid="stPlotlyChart"] canvas', timeout=120_000)
                pages.append(page)
                samples.append((f"session {i + 1} open ({time.perf_counter() - started:.1f} s)", rss_mb(proc.pid)))
            # every session changes a filter (a different region each), so every session runs its own queries
            regions = ["Карагандинская область", "город Астана", "город Алматы", "Туркестанская область",
                       "Павлодарская область", "область Абай", "Костанайская область", "Атырауская область",
                       "город Шымкент", "область Жетісу"]
            for i, page in enumerate(pages):
                query = urllib.parse.urlencode({"regions": regions[i % len(regions)]})
                page.goto(f"{url}/?{query}")
                page.wait_for_selector('[data-testid="stMetricValue"]', timeout=120_000)
                page.wait_for_selector(IDLE, timeout=120_000)
            time.sleep(2)
            samples.append(("10 sessions after a filter change each", rss_mb(proc.pid)))
            gc.collect()
            time.sleep(3)
            samples.append(("10 sessions, settled", rss_mb(proc.pid)))
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=20)

    for label, mb in samples:
        print(f"{label:45s} {mb:7.0f} MB")
    peak = max(mb for _, mb in samples)
    print(f"peak server RSS with {args.sessions} sessions: {peak:.0f} MB of {BUDGET_MB:.0f} MB budget "
          f"({peak / BUDGET_MB:.0%}); naive path (the rows as one pandas DataFrame): {naive:.0f} MB, "
          f"ratio naive/server {naive / peak:.2f}x")
    if outside:
        print(f"requests off 127.0.0.1 (refused): {outside}")
    within = peak <= BUDGET_MB and not outside
    print("OK" if within else "OVER BUDGET")
    return 0 if within else 1


if __name__ == "__main__":
    sys.exit(main())
