"""Load test: many sessions changing the sidebar filters of the Overview at once, on 1,000,000 activity rows.

    python benchmarks/load_test.py [--client browser|ws] [--rows N] [--sessions N] [--browsers N] [--seconds S]
                                   [--think S] [--keep PATH] [--writers N --commits N --file-rows N]

It generates the rows inside DuckDB (benchmarks/queries.generate), starts `streamlit run dashboard.py` on them
(tests/browser/harness), times the first rendered Overview after start (KPI cards, the map drawn, the script idle),
then opens N sessions (Playwright pages of Debian's chromium spread over a few browser processes, every request off
127.0.0.1 refused) and lets each change a sidebar filter in a loop for S seconds: a period preset, a region added
through the multiselect, or «Сбросить фильтры», chosen at random. The latency of a change runs from the click to the
end of the script run it started (`data-test-script-state` back to `notRunning`, with no further run for 300 ms),
measured inside the page. Meanwhile the server's resident memory (its process and children, psutil) is sampled.

`--client ws` drives the sessions through Streamlit's websocket protocol instead (benchmarks/stclient.py): no
browser, so on a small machine the figures are the server's alone (a script run from the rerun message to
`script_finished`), where with chromium tabs on the same cores the browsers' drawing takes most of the CPU.
With `--writers N` (ws client) N browser tabs meanwhile commit event logs through the «Загрузка» page
(benchmarks/writers.py), and the latencies of changes made while a commit ran are reported apart.

Targets (issue 14): p95 of a filter change under 1 s, the server under 600 MB, the first Overview under 3 s.
Exit code 0 within them, 1 over them.
"""
from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import statistics
import sys
import tempfile
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

import psutil

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from benchmarks.server_memory import build, rss_mb  # noqa: E402
from tests.browser.harness import CHROMIUM, IDLE, LAUNCH_ARGS, start_server, stop  # noqa: E402

TARGET_P95_S, TARGET_MB, TARGET_FIRST_S = 1.0, 600.0, 3.0
PRESETS = ["Этот год", "12 месяцев", "Месячник", "Квартал", "Всё время"]
REGIONS = ["Караганд", "Астана", "Алматы", "Туркестан", "Павлодар", "Абай", "Костанай", "Атырау", "Шымкент",
           "Жетісу", "Акмолин", "Актюбин", "Жамбыл", "Кызылорд", "Мангист", "Улытау"]
QUIET_MS = 300

# Records every change of the script state with its time; installed once per page.
WATCH = """() => {
    if (window.__states) return;
    window.__states = [];
    const app = document.querySelector('[data-testid="stApp"]');
    new MutationObserver(() => window.__states.push([app.getAttribute('data-test-script-state'), performance.now()]))
        .observe(app, {attributes: true, attributeFilter: ['data-test-script-state']});
}"""
# True once a run started after `since` and the script has been idle for `quiet` ms since the last change.
DONE = """([since, quiet]) => {
    const app = document.querySelector('[data-testid="stApp"]');
    const states = window.__states.filter(s => s[1] >= since);
    if (!states.some(s => s[0] === 'running')) return false;
    const last = states[states.length - 1];
    return app.getAttribute('data-test-script-state') === 'notRunning' && last[0] === 'notRunning'
        && performance.now() - last[1] >= quiet;
}"""
LAST_IDLE = "([since]) => { const s = window.__states.filter(s => s[1] >= since && s[0] === 'notRunning');" \
            " return s[s.length - 1][1]; }"


def _offline(outside: list[str]):
    async def route(route):
        if urllib.parse.urlsplit(route.request.url).hostname != "127.0.0.1":
            outside.append(route.request.url)
            await route.abort()
        else:
            await route.continue_()
    return route


async def open_overview(browser, url: str, outside: list[str]):
    """A new session on the Overview, returned once it is rendered (KPI cards, the map, idle)."""
    context = await browser.new_context(viewport={"width": 1400, "height": 900}, locale="ru-RU")
    page = await context.new_page()
    await page.route("**/*", _offline(outside))
    await page.goto(url + "/", timeout=180_000)
    await page.wait_for_selector('[data-testid="stMetricValue"]', timeout=180_000)
    await page.wait_for_selector('[data-testid="stPlotlyChart"] canvas', timeout=180_000)
    await page.wait_for_selector(IDLE, timeout=180_000)
    await page.evaluate(WATCH)
    return page


async def change_filter(page, rng: random.Random) -> str:
    """One filter change through the sidebar; returns what was done."""
    sidebar = page.get_by_test_id("stSidebar")
    action = rng.choice(["preset", "preset", "region", "reset"])
    if action == "preset":
        label = rng.choice(PRESETS)
        await sidebar.get_by_test_id("stButtonGroup").get_by_text(label, exact=True).click()
        return f"preset {label}"
    if action == "region":
        name = rng.choice(REGIONS)
        box = sidebar.get_by_test_id("stMultiSelect").first
        await box.click()
        await page.keyboard.type(name)
        await page.keyboard.press("Enter")
        await page.keyboard.press("Escape")
        return f"region {name}"
    await sidebar.get_by_text("Сбросить фильтры", exact=True).click()
    return "reset"


async def session(page, seconds: float, seed: int, latencies: list[float], errors: list[str],
                  think: float = 0.0) -> None:
    rng = random.Random(seed)
    deadline = time.perf_counter() + seconds
    await asyncio.sleep(rng.uniform(0, think))  # sessions do not all click at the same moment
    while time.perf_counter() < deadline:
        since = await page.evaluate("performance.now()")
        try:
            what = await change_filter(page, rng)
            await page.wait_for_function(DONE, arg=[since, QUIET_MS], polling=50, timeout=60_000)
        except Exception as e:  # noqa: BLE001 - a change that never finishes is reported, the loop goes on
            errors.append(f"{type(e).__name__}: {str(e).splitlines()[0][:120]}")
            continue
        ended = await page.evaluate(LAST_IDLE, [since])
        latencies.append((ended - since) / 1000)
        del what
        await asyncio.sleep(think * rng.uniform(0.5, 1.5))


async def sample_memory(pid: int, samples: list[float], stop_event: asyncio.Event) -> None:
    while not stop_event.is_set():
        try:
            samples.append(rss_mb(pid))
        except psutil.NoSuchProcess:
            return
        await asyncio.sleep(0.5)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def cpu_seconds(pid: int) -> float:
    """CPU time of the server process and its children so far."""
    proc = psutil.Process(pid)
    total = sum(proc.cpu_times()[:2])
    for child in proc.children(recursive=True):
        with contextlib.suppress(psutil.NoSuchProcess):
            total += sum(child.cpu_times()[:2])
    return total


@dataclass
class Watched:
    proc: object
    url: str
    started: float  # when the server was asked to start (perf_counter)
    healthy: float  # seconds until /_stcore/health answered
    memory: list[float]  # resident memory samples of the server and its children, MB


@contextlib.asynccontextmanager
async def watched_server(db: Path, log: Path):
    """The dashboard started on `db`, its memory sampled until the block ends, then stopped."""
    started = time.perf_counter()
    proc, url = start_server(db, log, timeout=120)
    watched = Watched(proc, url, started, time.perf_counter() - started, [rss_mb(proc.pid)])
    stop_event = asyncio.Event()
    sampler = asyncio.create_task(sample_memory(proc.pid, watched.memory, stop_event))
    try:
        yield watched
    finally:
        stop_event.set()
        await sampler
        stop(proc)


async def run(db: Path, log: Path, args) -> dict:
    """Browsers first (their start is not the server's), then the server, the first Overview, the sessions."""
    from playwright.async_api import async_playwright

    outside: list[str] = []
    async with async_playwright() as p:
        browsers = [await p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS) for _ in range(args.browsers)]
        async with watched_server(db, log) as server:
            proc, url, healthy, memory = server.proc, server.url, server.healthy, server.memory
            first_page = await open_overview(browsers[0], url, outside)
            first = time.perf_counter() - server.started
            opened = time.perf_counter()
            gate = asyncio.Semaphore(args.open_at_once)

            async def opened_one(i: int):
                async with gate:
                    return await open_overview(browsers[(i + 1) % args.browsers], url, outside)

            pages = [first_page] + list(await asyncio.gather(*(opened_one(i) for i in range(args.sessions - 1))))
            open_all = time.perf_counter() - opened
            latencies: list[float] = []
            errors: list[str] = []
            cpu_before, loop_started = cpu_seconds(proc.pid), time.perf_counter()
            await asyncio.gather(*(session(page, args.seconds, i, latencies, errors, args.think)
                                   for i, page in enumerate(pages)))
            server_cpu, loop_seconds = cpu_seconds(proc.pid) - cpu_before, time.perf_counter() - loop_started
        for browser in browsers:
            await browser.close()
    return {"healthy": healthy, "first": first, "open_all": open_all, "latencies": latencies, "errors": errors,
            "memory": memory, "outside": outside, "server_cpu": server_cpu, "loop_seconds": loop_seconds}


# ---------------------------------------------------------------- sessions without a browser (benchmarks/stclient)

async def ws_session(session, seconds: float, seed: int, latencies: list[float], errors: list[str],
                     think: float = 0.0, stamps: list[float] | None = None) -> None:
    """Like `session`, through the protocol: the widget values kept as a browser keeps them, one changed at a time."""
    rng = random.Random(seed)
    chosen: dict[str, list[str]] = {}
    deadline = time.perf_counter() + seconds
    await asyncio.sleep(rng.uniform(0, think))  # sessions do not all click at the same moment
    while time.perf_counter() < deadline:
        action = rng.choice(["preset", "preset", "region", "region", "form", "reset"])
        if action == "reset":
            chosen = {}
        else:
            label = {"preset": "Быстрый выбор", "region": "Регионы", "form": "Формы мероприятий"}[action]
            options = session.widgets[label][1]
            chosen[label] = rng.sample(options, 1 if action != "region" else rng.randint(0, 2))
        try:
            started = time.perf_counter()
            latencies.append(await session.rerun(chosen))
            if stamps is not None:
                stamps.append(started)
        except Exception as e:  # noqa: BLE001 - reported, the loop goes on
            errors.append(f"{type(e).__name__}: {str(e).splitlines()[0][:120] if str(e) else ''}")
            return
        await asyncio.sleep(think * rng.uniform(0.5, 1.5))


async def run_ws(db: Path, log: Path, args) -> dict:
    from benchmarks.stclient import Session

    async with watched_server(db, log) as server:
        proc, url, healthy, memory = server.proc, server.url, server.healthy, server.memory
        sessions = [Session(url) for _ in range(args.sessions)]
        await sessions[0].open()
        first = time.perf_counter() - server.started
        opened = time.perf_counter()
        await asyncio.gather(*(s.open() for s in sessions[1:]))
        open_all = time.perf_counter() - opened
        latencies: list[float] = []
        stamps: list[float] = []
        errors: list[str] = []
        spans: list[tuple[float, float]] = []
        cpu_before, loop_started = cpu_seconds(proc.pid), time.perf_counter()
        readers = [ws_session(s, args.seconds, i, latencies, errors, args.think, stamps)
                   for i, s in enumerate(sessions)]
        await asyncio.gather(*readers, *(await writer_tasks(url, log.parent, args, spans, errors)))
        server_cpu, loop_seconds = cpu_seconds(proc.pid) - cpu_before, time.perf_counter() - loop_started
        for s in sessions:
            await s.close()
        if any(s.exceptions for s in sessions):
            shown = sorted({m for s in sessions for m in s.messages})
            errors.append(f"{sum(s.exceptions for s in sessions)} exceptions shown by the app: {shown[:3]}")
    return {"healthy": healthy, "first": first, "open_all": open_all, "latencies": latencies, "errors": errors,
            "memory": memory, "outside": [], "server_cpu": server_cpu, "loop_seconds": loop_seconds,
            "stamps": stamps, "spans": spans}


async def writer_tasks(url: str, folder: Path, args, spans: list, errors: list) -> list:
    """`--writers` browser tabs committing `--commits` event logs each (benchmarks/writers.py), started at once."""
    if not args.writers:
        return []
    from playwright.async_api import async_playwright

    from benchmarks import writers

    files = [writers.workbooks(folder / "uploads", w, args.commits, args.file_rows) for w in range(args.writers)]

    async def run_writers():
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
            await asyncio.gather(*(writers.writer(browser, url, paths, spans, errors) for paths in files))
            await browser.close()
    return [run_writers()]


def split_by_commits(result: dict) -> tuple[list[float], list[float]]:
    """The latencies of changes started while a commit ran, and of the others."""
    spans = result.get("spans") or []
    during, outside = [], []
    for started, seconds in zip(result.get("stamps") or [], result["latencies"]):
        busy = any(a <= started <= b or a <= started + seconds <= b for a, b in spans)
        (during if busy else outside).append(seconds)
    return during, outside


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--browsers", type=int, default=2, help="chromium processes the sessions are spread over")
    parser.add_argument("--seconds", type=float, default=60, help="how long every session changes filters")
    parser.add_argument("--client", choices=["browser", "ws"], default="browser",
                        help="chromium tabs, or websocket sessions without a browser (benchmarks/stclient.py)")
    parser.add_argument("--think", type=float, default=0.0,
                        help="mean pause between a session's changes, s (0: each change right after the last); "
                             "each session starts after a random part of it")
    parser.add_argument("--writers", type=int, default=0,
                        help="with --client ws: browser tabs committing event logs through «Загрузка» meanwhile")
    parser.add_argument("--commits", type=int, default=2, help="commits per writer")
    parser.add_argument("--file-rows", type=int, default=5000, help="rows of each committed event log")
    parser.add_argument("--open-at-once", type=int, default=4, help="sessions opened at the same time")
    parser.add_argument("--keep", type=Path, help="keep the generated database at this path (reused if present)")
    args = parser.parse_args(argv)

    tmp = Path(tempfile.mkdtemp(prefix="load_test_"))
    db = args.keep or tmp / "load.duckdb"
    if not db.exists():
        print(f"generated {args.rows:,} rows in {build(db, args.rows):.1f} s")
    result = asyncio.run((run if args.client == "browser" else run_ws)(db, tmp / "server.log", args))
    print(f"client: {args.client}" + (" (Streamlit's websocket protocol, no browser: the latency is the server's "
                                      "script run and its messages, no drawing; the first Overview is the server's "
                                      "first run)" if args.client == "ws" else " (Playwright tabs of chromium)"))

    lat = result["latencies"]
    peak = max(result["memory"])
    print(f"nproc {os.cpu_count()}; load average at the end (1, 5, 15 min): "
          f"{', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"server healthy after {result['healthy']:.1f} s; first rendered Overview {result['first']:.1f} s after "
          f"`streamlit run` (browser already running; target {TARGET_FIRST_S:.0f} s)")
    print(f"think time between a session's changes: {args.think:.1f} s on average")
    how = (f"in {args.browsers} chromium processes (one browser each, several tabs) opened (all rendered, "
           f"{args.open_at_once} at a time)" if args.client == "browser" else "opened (first run each, all at once)")
    print(f"{args.sessions} sessions {how} in "
          f"{result['open_all']:.1f} s")
    if lat:
        print(f"filter changes: {len(lat)} in {args.seconds:.0f} s ({len(lat) / args.seconds:.1f}/s); "
              f"median {statistics.median(lat) * 1000:.0f} ms, p95 {percentile(lat, 0.95) * 1000:.0f} ms, "
              f"max {max(lat) * 1000:.0f} ms (target p95 {TARGET_P95_S * 1000:.0f} ms)")
        print(f"server CPU during the loop: {result['server_cpu']:.1f} s of {result['loop_seconds']:.0f} s wall "
              f"({result['server_cpu'] / result['loop_seconds'] / (os.cpu_count() or 1):.0%} of the machine), "
              f"{result['server_cpu'] / len(lat) * 1000:.0f} ms per change; the rest is the browsers and "
              f"whatever else runs on the machine")
    if result.get("spans") or args.writers:
        during, outside = split_by_commits(result)
        commits = [b - a for a, b in result["spans"]]
        from benchmarks.writers import RETRIES
        if RETRIES:
            print(f"commit clicked again (the first click was lost to a rerun): {RETRIES}")
        print(f"commits: {len(commits)} of {args.writers * args.commits} ({args.file_rows:,} rows each, "
              f"{args.writers} writers at once), seconds each: {', '.join(f'{c:.1f}' for c in commits)}")
        for name, values in (("while a commit ran", during), ("otherwise", outside)):
            if values:
                print(f"  filter changes {name}: {len(values)}, median {statistics.median(values) * 1000:.0f} ms, "
                      f"p95 {percentile(values, 0.95) * 1000:.0f} ms, max {max(values) * 1000:.0f} ms")
    print(f"server RSS (process and children): start {result['memory'][0]:.0f} MB, peak {peak:.0f} MB "
          f"(target {TARGET_MB:.0f} MB), {len(result['memory'])} samples")
    if result["errors"]:
        print(f"{len(result['errors'])} changes did not finish: {sorted(set(result['errors']))[:5]}")
    if result["outside"]:
        print(f"requests off 127.0.0.1 (refused): {result['outside'][:5]}")
    ok = (bool(lat) and percentile(lat, 0.95) < TARGET_P95_S and peak < TARGET_MB
          and result["first"] < TARGET_FIRST_S and not result["outside"])
    print("OK" if ok else "OVER TARGET")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
