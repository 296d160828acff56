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


# True once Streamlit's script is idle and the main area has not changed for `quiet` ms (its element count, text
# length and the URL, sampled every POLL ms): a run that follows another (a callback, a page switch) resets it.
_STILL = """([quiet]) => {
    const app = document.querySelector('[data-testid="stApp"]');
    const now = performance.now();
    if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') { window.__still = null; return false; }
    const main = document.querySelector('[data-testid="stMain"]') || app;
    const snap = [main.querySelectorAll('[data-testid]').length, main.innerText.length, location.href].join('|');
    if (!window.__still || window.__still.snap !== snap) { window.__still = {snap, since: now}; return false; }
    return now - window.__still.since >= quiet;
}"""
POLL = 100


def settle(page, quiet: int = 600, timeout: float = 120_000) -> None:
    """Wait on the page's own state, never a fixed sleep: until the script run the last interaction started has
    finished and the page has stopped changing."""
    page.evaluate("() => { window.__still = null; }")
    page.wait_for_function(_STILL, arg=[quiet], polling=POLL, timeout=timeout)


def screenshot_whole(page, path: Path, width: int) -> Path:
    """The whole main area in one picture: Streamlit scrolls inside the app, so the window grows to the content
    (the page is settled again at that size), then goes back."""
    before = page.viewport_size
    height = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": width, "height": min(int(height) + 40, 6000)})
    settle(page, quiet=400)
    page.screenshot(path=str(path))
    page.set_viewport_size(before)
    return path


def checked(tab: OfflineTab):
    """The body of a `tab` fixture: yield the tab, then assert no request left 127.0.0.1, then close it."""
    yield tab
    assert tab.outside == [], f"requests left 127.0.0.1: {tab.outside}"
    tab.close()
