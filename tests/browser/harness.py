"""What every browser test and benchmark shares: a Streamlit server on a temporary database, Debian's
chromium, and tabs that refuse (and record) every request leaving 127.0.0.1."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
PROJECT = Path(__file__).resolve().parents[2]
SCREENSHOTS = PROJECT / "artifacts" / "screenshots"
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
LAUNCH_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-sync",
               "--use-gl=angle", "--use-angle=swiftshader", "--enable-unsafe-swiftshader"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db_path: Path, log_path: Path, timeout: float = 60) -> tuple[subprocess.Popen, str]:
    """`streamlit run dashboard.py` on 127.0.0.1 and a free port; returns once /_stcore/health answers."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
         "--server.fileWatcherType", "none"],
        cwd=PROJECT, env=dict(os.environ, PREVENTION_DB=str(db_path)),
        stdout=open(log_path, "w"),  # noqa: SIM115 - the log stays open as long as the server runs
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited: {log_path.read_text()}")
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return proc, url
        except OSError:
            time.sleep(0.2)
    stop(proc)
    raise RuntimeError(f"streamlit did not become healthy within {timeout:.0f} s")


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


def launch(playwright):
    """Debian's chromium (never a downloaded browser), software WebGL for the MapLibre map."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)


class OfflineTab:
    """A browser tab on the dashboard that records (and refuses) every request leaving 127.0.0.1."""

    def __init__(self, browser, base_url: str, width: int = 1400, height: int = 1000):
        self.context = browser.new_context(viewport={"width": width, "height": height}, accept_downloads=True,
                                           locale="ru-RU")
        self.context.add_init_script(RUN_COUNTER)
        self.page = self.context.new_page()
        self.base_url = base_url
        self.outside: list[str] = []
        self.page.route("**/*", self._route)

    def _route(self, route) -> None:
        if urllib.parse.urlsplit(route.request.url).hostname != "127.0.0.1":
            self.outside.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    def close(self) -> None:
        self.context.close()


# Counts the script runs the page has seen start (window.__runs), installed in every tab before the app loads.
RUN_COUNTER = """new MutationObserver(changes => {
    for (const c of changes) {
        if (c.target.getAttribute('data-test-script-state') === 'running') window.__runs = (window.__runs || 0) + 1;
    }
}).observe(document, {subtree: true, attributes: true, attributeFilter: ['data-test-script-state']});"""

# True once Streamlit's script is idle and the main area has not changed for a quiet time (its element count, SVG
# and canvas parts of charts included, its text length and the URL, sampled every POLL ms): a run that follows
# another (a callback, a page switch) resets it.
# When a run has started since the last settle, `quiet` ms suffice; when none has, the interaction may not have
# reached the server yet (a busy machine), so the page must stay unchanged for `unanswered` ms first.
_STILL = """([quiet, unanswered]) => {
    const app = document.querySelector('[data-testid="stApp"]');
    const now = performance.now();
    if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') { window.__still = null; return false; }
    // a component whose code is still loading shows a skeleton (React's Suspense fallback) in an idle app
    if (document.querySelector('[data-testid^="stSkeleton"], [data-testid="stAppSkeleton"]')) {
        window.__still = null; return false;
    }
    const main = document.querySelector('[data-testid="stMain"]') || app;
    const snap = [main.getElementsByTagName('*').length, main.innerText.length, location.href].join('|');
    if (!window.__still || window.__still.snap !== snap) { window.__still = {snap, since: now}; return false; }
    const runs = window.__runs || 0;
    const needed = runs > (window.__settledRuns || 0) ? quiet : unanswered;
    if (now - window.__still.since < needed) return false;
    window.__settledRuns = runs;
    return true;
}"""
POLL = 100
UNANSWERED_MS = 2500


def settle(page, quiet: int = 600, timeout: float = 120_000, unanswered: int = UNANSWERED_MS) -> None:
    """Wait on the page's own state, never a fixed sleep: until the script run the last interaction started has
    finished and the page has stopped changing (`quiet` ms; `unanswered` ms when no run has started since the last
    settle, as after an interaction that changes nothing)."""
    page.evaluate("() => { window.__still = null; }")
    page.wait_for_function(_STILL, arg=[quiet, unanswered], polling=POLL, timeout=timeout)


def goto(page, url: str) -> None:
    """Open a page of the app and wait for its first run to finish (its title shows once that run has begun)."""
    page.goto(url)
    page.wait_for_selector('[data-testid="stMain"] h1', timeout=60_000)
    settle(page)


# The value of every KPI card of the main area, read in one pass once every card shows one.
_METRIC_VALUES = """() => {
    const cards = [...document.querySelectorAll('[data-testid="stMain"] [data-testid="stMetric"]')];
    const values = cards.map(c => {
        const v = c.querySelector('[data-testid="stMetricValue"]');
        return v && v.innerText;
    });
    return cards.length > 0 && values.every(v => v) ? values : null;
}"""


def metric_values(page, timeout: float = 30_000) -> list[str]:
    """The KPI cards' values in page order, without thin or no-break spaces."""
    values = page.wait_for_function(_METRIC_VALUES, polling=POLL, timeout=timeout).json_value()
    return [v.replace("\u202f", "").replace("\xa0", "").replace(" ", "") for v in values]


def screenshot_whole(page, path: Path, width: int) -> Path:
    """The whole main area in one picture: Streamlit scrolls inside the app, so the window grows to the content
    (the page is settled again at that size), then goes back."""
    before = page.viewport_size
    height = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": width, "height": min(int(height) + 40, 6000)})
    settle(page, quiet=400, unanswered=400)  # a resize starts no script run
    page.screenshot(path=str(path))
    page.set_viewport_size(before)
    return path


def checked(tab: OfflineTab):
    """The body of a `tab` fixture: yield the tab, then assert no request left 127.0.0.1, then close it."""
    yield tab
    assert tab.outside == [], f"requests left 127.0.0.1: {tab.outside}"
    tab.close()
