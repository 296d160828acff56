"""Writers for the load test: browser tabs that upload event logs through the «Загрузка» page and commit them, one
after another, as an analyst does (the running server holds the database, so a write can only come through it).

Each commit is a new event log of `rows` rows (tests/workbooks: a title row, a merged two-row header, a totals row),
different from every other, so no file is a duplicate. A commit is timed from choosing the file to the «Результат
загрузки» line.
"""
from __future__ import annotations

import contextlib
import re
import time
from pathlib import Path

from tests.browser.harness import IDLE
from tests.workbooks import event_log, event_rows

RETRIES: list[str] = []  # files whose commit button had to be clicked again


def workbooks(folder: Path, writer: int, count: int, rows: int) -> list[Path]:
    """`count` distinct event logs for this writer (written before the clock starts)."""
    folder.mkdir(parents=True, exist_ok=True)
    return [event_log(folder / f"writer{writer}_{n}.xlsx", event_rows(rows, start=(writer * 1000 + n) * rows))
            for n in range(count)]


async def commit_one(page, url: str, path: Path) -> float:
    """Upload and commit one file on a fresh «Загрузка» page; the seconds it took."""
    await page.goto(url + "/upload", timeout=180_000)
    await page.wait_for_selector(IDLE, timeout=180_000)
    started = time.perf_counter()
    await page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(path))
    await page.get_by_text("Проверка без записи").wait_for(timeout=180_000)
    await page.wait_for_selector(IDLE, timeout=180_000)
    confirm = page.get_by_text("Подтвердить все предложенные сопоставления")
    if await confirm.count():
        await confirm.first.click()
        await page.wait_for_timeout(200)
        await page.wait_for_selector(IDLE, timeout=180_000)
    commit = page.get_by_role("button", name=re.compile("Загрузить в базу"))
    for attempt in range(3):  # a rerun of the page (another writer's commit shows live) can swallow a click
        await page.wait_for_selector(IDLE, timeout=180_000)
        await commit.click()
        try:
            await page.get_by_text("Результат загрузки").wait_for(timeout=60_000)
            break
        except Exception:  # noqa: BLE001 - clicked again while the button is still there
            if attempt == 2 or not await commit.count():
                raise
            RETRIES.append(path.name)
    return time.perf_counter() - started


async def writer(browser, url: str, files: list[Path], spans: list[tuple[float, float]], errors: list[str]) -> None:
    """Commit `files` one after another in one tab; `spans` gets each commit's (start, end) perf_counter times."""
    context = await browser.new_context(viewport={"width": 1400, "height": 1000}, locale="ru-RU")
    page = await context.new_page()
    for path in files:
        try:
            took = await commit_one(page, url, path)
            spans.append((time.perf_counter() - took, time.perf_counter()))
        except Exception as e:  # noqa: BLE001 - reported with the figures, with a screenshot beside the file
            shot = path.with_suffix(".png")
            with contextlib.suppress(Exception):
                await page.screenshot(path=str(shot), full_page=True)
            errors.append(f"commit of {path.name}: {type(e).__name__}: {str(e).splitlines()[0][:120]} ({shot})")
    await context.close()
