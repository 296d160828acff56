"""Hostile files uploaded through the real Загрузка page: the page says why the file is refused, and the server
survives. A parser that aborts the process (a Rust allocation failure inside calamine) or swallows the
machine's memory takes every analyst's session down with it; this test guards against exactly that.

Each file gets its own Streamlit server on a fresh database (local mode on 127.0.0.1: the user is an admin),
so one crash cannot hide behind another. The server runs with RLIMIT_AS = 4 GB and a watchdog that kills it
above 3 GB resident, so a hostile upload cannot eat the test machine either. Screenshots go to
artifacts/screenshots/hostile_*.png.
"""
from __future__ import annotations

import threading
import time
import urllib.request
from pathlib import Path

import pytest

from tests.browser.harness import CHROMIUM, IDLE, SCREENSHOTS, OfflineTab, checked, start_server, stop
from tests.hostile.files import far_cell_single_quotes, far_cell_xls, repeated_cell_ods

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(),
                                reason=f"{CHROMIUM} is not installed (apt-get install chromium)")

GB = 1 << 30
SERVER_AS = 4 * GB       # address space of the Streamlit server
SERVER_RSS_KILL = 3 * GB  # the watchdog's line
ACCEPTED = "Проверка без записи"  # the heading of a file's dry-run report: the file was accepted
CASES = [far_cell_single_quotes, far_cell_xls, repeated_cell_ods]
ERROR = '[data-testid="stAlertContentError"]'  # st.error; a bare stAlert would also match the local-mode banner


class Watchdog(threading.Thread):
    """Kills the server (by pid) if its resident memory passes SERVER_RSS_KILL; remembers the peak."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        import psutil

        self.process = psutil.Process(pid)
        self.peak = 0
        self.killed = False
        self.done = threading.Event()

    def run(self) -> None:
        import psutil

        while not self.done.is_set():
            try:
                rss = sum(p.memory_info().rss for p in [self.process, *self.process.children(recursive=True)])
            except psutil.Error:
                return
            self.peak = max(self.peak, rss)
            if rss > SERVER_RSS_KILL:
                self.killed = True
                self.process.kill()
                return
            self.done.wait(0.05)


@pytest.fixture
def server(tmp_path, db_builder):
    import psutil

    db = db_builder(tmp_path / "fresh.duckdb", rows=[], population=False)
    log = tmp_path / "server.log"
    proc, url = start_server(db, log)
    psutil.Process(proc.pid).rlimit(psutil.RLIMIT_AS, (SERVER_AS, SERVER_AS))
    watchdog = Watchdog(proc.pid)
    watchdog.start()
    yield {"proc": proc, "url": url, "log": log, "watchdog": watchdog}
    watchdog.done.set()
    watchdog.join()
    if proc.poll() is None:
        stop(proc)


@pytest.fixture
def tab(browser, server):
    yield from checked(OfflineTab(browser, server["url"]))


def health(url: str) -> int | str:
    try:
        with urllib.request.urlopen(url + "/_stcore/health", timeout=5) as response:
            return response.status
    except OSError as e:
        return f"{type(e).__name__}: {e}"


@pytest.mark.parametrize("generate", CASES, ids=lambda g: g.__name__)
def test_hostile_upload_is_refused_and_the_server_survives(generate, server, tab, tmp_path):
    from playwright.sync_api import expect

    folder = tmp_path / "files"
    folder.mkdir()
    h = generate(folder)
    page = tab.page
    page.goto(f"{server['url']}/upload")
    expect(page.locator(IDLE)).to_be_visible(timeout=60_000)
    expect(page.get_by_test_id("stFileUploaderDropzoneInput")).to_be_attached(timeout=30_000)

    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(h.path))
    proc, watchdog = server["proc"], server["watchdog"]
    problem = None
    try:
        expect(page.get_by_text(h.name).first).to_be_visible(timeout=30_000)  # the uploaded file's chip
        problem = wait_for_error(page, proc, timeout_s=120)
        if problem is None:
            expect(page.locator(IDLE)).to_be_visible(timeout=60_000)
    except AssertionError as e:
        problem = str(e).splitlines()[0]
    finally:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"hostile_{Path(h.name).stem}.png"), full_page=True)

    log_tail = "\n".join(server["log"].read_text(errors="replace").splitlines()[:15])
    assert not watchdog.killed, f"{h.name}: the server passed {SERVER_RSS_KILL // GB} GB resident and was killed"
    assert proc.poll() is None, (f"{h.name}: the server died (exit code {proc.returncode}, peak "
                                 f"{watchdog.peak >> 20} MB) while checking the upload; its log:\n{log_tail}")
    assert health(server["url"]) == 200
    assert problem is None, f"{h.name}: {problem} (peak {watchdog.peak >> 20} MB)"
    text = page.locator(ERROR).first.inner_text()
    assert "Traceback" not in text and "/work/" not in text and "/tmp/" not in text, text


def wait_for_error(page, proc, timeout_s: float) -> str | None:
    """Wait for the error alert, looking at the server between short waits so that a dead server is reported
    at once rather than after the whole timeout. Returns None when the error is shown, else what happened."""
    from playwright.sync_api import expect

    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return f"the server exited with code {proc.returncode}"
        try:
            expect(page.locator(ERROR).first).to_be_visible(timeout=1_000)
            return None
        except AssertionError:
            pass
        if page.locator(IDLE).count() and page.get_by_text(ACCEPTED).count():
            return "no error: the file was checked and offered for loading (see the screenshot)"
    shown = page.get_by_test_id("stMain").inner_text()[:300].replace("\n", " | ")
    return f"no error shown within {timeout_s:.0f} s; the page shows: {shown}"
