"""What an anonymous visitor can put into the server's memory: the server's resident memory before and after PUTs
of 20 MB to /_stcore/upload_file from the sign-in screen's own session (the session id read from the websocket,
the XSRF token from its cookie, as any page script could), then after that session's next run, when the sign-in
screen drops every file of its session.

    .venv/bin/python benchmarks/anonymous_upload.py [--puts 8] [--mb 20]

Prints the figures (MB) and the HTTP status of each PUT; a PUT over server.maxUploadSize is refused with 413.
Runs on a closed network against a temporary database with one account (so nobody is signed in).
"""
from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

import psutil

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))
from tests.browser.harness import IDLE, OfflineTab, launch, start_server, stop  # noqa: E402

MB = 1024 * 1024
UUID = re.compile(rb"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
PUT = """async ([session, size, n]) => {
  const token = (document.cookie.match(/_streamlit_xsrf=([^;]+)/) || [])[1] || "";
  const data = new Uint8Array(size);
  for (let i = 0; i < size; i += 65536) data[i] = (i / 65536 + n) % 251;
  const form = new FormData();
  form.append("file", new Blob([data]), `attack-${n}.xlsx`);
  const response = await fetch(`/_stcore/upload_file/${session}/attack-${n}`,
                               {method: "PUT", body: form, headers: {"X-Xsrftoken": decodeURIComponent(token)}});
  return response.status;
}"""


def rss(proc) -> float:
    return psutil.Process(proc.pid).memory_info().rss / MB


def settle(proc, seconds: float = 7.0) -> float:  # longer than the upload sweeper's period
    time.sleep(seconds)
    return rss(proc)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--puts", type=int, default=8)
    parser.add_argument("--mb", type=int, default=20)
    parser.add_argument("--after-close", action="store_true",
                        help="also: a tab that never runs again, closed; how long until its files are dropped")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    from prevention.storage import db
    from prevention.storage.accounts import create_user

    folder = Path(tempfile.mkdtemp(prefix="anonymous-upload-"))
    try:
        con = db.connect(folder / "prevention.duckdb")
        create_user(con, "admin1", "Not-Signed-In-2025", "admin")
        con.close()
        server, url = start_server(folder / "prevention.duckdb", folder / "server.log")
        try:
            with sync_playwright() as playwright:
                browser = launch(playwright)
                return measure(browser, server, url, args)
        finally:
            stop(server)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def measure(browser, server, url: str, args) -> int:
    tab = OfflineTab(browser, url)
    sessions: list[str] = []

    def frames(ws):
        ws.on("framereceived", lambda payload: sessions.extend(
            m.decode() for m in UUID.findall(payload if isinstance(payload, bytes) else payload.encode())))
    tab.page.on("websocket", frames)
    tab.page.goto(url)
    tab.page.wait_for_selector(IDLE, timeout=60_000)
    tab.page.get_by_test_id("stTextInput").first.wait_for()
    # the websocket carries several ids; the session's is the one the upload endpoint accepts (a 1 kB probe)
    session = next(s for s in dict.fromkeys(sessions) if tab.page.evaluate(PUT, [s, 1024, 0]) == 204)
    before = settle(server)
    statuses = [tab.page.evaluate(PUT, [session, args.mb * MB, n]) for n in range(args.puts)]
    after_puts = settle(server)
    oversized = tab.page.evaluate(PUT, [session, 26 * MB, 99])
    tab.page.get_by_text("English", exact=True).click()  # the session's next run: the sign-in screen drops its files
    tab.page.wait_for_selector(IDLE, timeout=60_000)
    after_run = settle(server)
    tab.close()
    print(f"anonymous PUTs of {args.mb} MB: {statuses}; one of 26 MB: {oversized}")
    print(f"server RSS: before {before:.0f} MB, after {args.puts} PUTs {after_puts:.0f} MB, "
          f"after the sign-in screen's next run {after_run:.0f} MB")
    held = after_run - before
    print(f"held after the next run: {held:+.0f} MB ({'ok' if held < args.mb else 'over'})")
    if args.after_close:
        closed(browser, server, url, args, before)
    return 0 if held < args.mb else 1


def closed(browser, server, url: str, args, before: float) -> None:
    """A visitor who never lets the session run again: the files stay until Streamlit ends the session, which it
    does server.disconnectedSessionTTL seconds after the websocket closed."""
    tab = OfflineTab(browser, url)
    sessions: list[str] = []
    tab.page.on("websocket", lambda ws: ws.on("framereceived", lambda payload: sessions.extend(
        m.decode() for m in UUID.findall(payload if isinstance(payload, bytes) else payload.encode()))))
    tab.page.goto(url)
    tab.page.wait_for_selector(IDLE, timeout=60_000)
    session = next(s for s in dict.fromkeys(sessions) if tab.page.evaluate(PUT, [s, 1024, 0]) == 204)
    for n in range(args.puts):
        tab.page.evaluate(PUT, [session, args.mb * MB, n])
    held = settle(server)
    tab.close()
    started = time.monotonic()
    while rss(server) > before + args.mb and time.monotonic() - started < 60:
        time.sleep(5)
    print(f"a tab that never runs again: {held:.0f} MB after its PUTs, {rss(server):.0f} MB "
          f"{time.monotonic() - started:.0f} s after it closed")


if __name__ == "__main__":
    sys.exit(main())
