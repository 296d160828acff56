"""Benchmark: server start-up, from `streamlit run dashboard.py` to the first rendered Overview.

    python benchmarks/startup.py [--tree DIR ...] [--runs N]

For each source tree (default: this one) it builds the labelled demo database once with that tree's
`python -m prevention.demo`, then N times: spawns the server, waits for /_stcore/health (the
process is up), opens the Overview in Debian's headless chromium and waits until the script is idle
with the KPI cards and the map drawn (the first rendered Overview). A second tab then measures the
warm render (caches filled). It prints the medians per tree and, with two trees, their ratio.

The script imports nothing of the project, so it can time an older checkout, e.g.
`git worktree add /tmp/before <commit>` and `--tree /tmp/before --tree .`. A tree with its own `.venv` runs
with that virtualenv's Python (an older checkout may need packages this one dropped).
"""
from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

PROJECT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
ARGS = ["--no-sandbox", "--use-gl=angle", "--use-angle=swiftshader", "--enable-unsafe-swiftshader"]


def python_of(tree: Path) -> str:
    """The tree's own virtualenv when it has one (an older checkout needs its own packages), else this Python."""
    own = Path(tree) / ".venv" / "bin" / "python"
    return str(own) if own.exists() else sys.executable


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def healthy(url: str, proc: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("streamlit exited")
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("no health answer")


def rendered(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector('[data-testid="stMetric"]', timeout=120_000)
    page.wait_for_selector(".js-plotly-plot, canvas", timeout=120_000)
    page.wait_for_selector(IDLE, timeout=120_000)


def one_run(tree: Path, db: Path, browser) -> tuple[float, float, float]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    started = time.perf_counter()
    proc = subprocess.Popen(
        [python_of(tree), "-m", "streamlit", "run", "dashboard.py", "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
         "--server.fileWatcherType", "none"],
        cwd=tree, env=dict(os.environ, PREVENTION_DB=str(db)), stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        healthy(url, proc)
        up = time.perf_counter() - started
        first = browser.new_page(viewport={"width": 1400, "height": 1000})
        rendered(first, url)
        cold = time.perf_counter() - started
        second = browser.new_page(viewport={"width": 1400, "height": 1000})
        mark = time.perf_counter()
        rendered(second, url)
        warm = time.perf_counter() - mark
        first.close()
        second.close()
        return up, cold, warm
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def measure(tree: Path, runs: int, browser) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "demo.duckdb"
        subprocess.run([python_of(tree), "-m", "prevention.demo", "--if-empty"], cwd=tree, check=True,
                       env=dict(os.environ, PREVENTION_DB=str(db)), stdout=subprocess.DEVNULL)
        times = [one_run(tree, db, browser) for _ in range(runs)]
    return {name: statistics.median(t[i] for t in times) for i, name in enumerate(("up", "cold", "warm"))}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tree", action="append", type=Path, help="source tree (repeatable)")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    trees = [t.resolve() for t in (args.tree or [PROJECT])]
    load = os.getloadavg()[0]
    results = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for tree in trees:
            results[tree] = measure(tree, args.runs, browser)
        browser.close()
    print(f"start-up to the first rendered Overview, median of {args.runs} (load average {load:.1f}, "
          f"{os.cpu_count()} cores)")
    for tree, r in results.items():
        print(f"  {tree}: server up {r['up']:.2f} s, first Overview {r['cold']:.2f} s, "
              f"warm Overview {r['warm']:.2f} s")
    if len(trees) == 2:
        a, b = (results[t] for t in trees)
        print(f"  ratio second/first: first Overview {b['cold'] / a['cold']:.2f}x, warm {b['warm'] / a['warm']:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
