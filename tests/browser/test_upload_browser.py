"""The analysts' pages in a real browser (Debian's chromium through Playwright), on a closed network: upload a
workbook through the real page, confirm its uncertain region, commit, download the rejected rows and read them
back, see the Overview totals move, and the same bytes refused the second time.

One Streamlit server for the module on a temporary database holding the fixture rows of tests/conftest.py.
Every request that does not go to 127.0.0.1 is aborted and recorded; each test asserts none was attempted.
Screenshots go to artifacts/screenshots/.
"""
from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from tests.browser.harness import (
    CHROMIUM,
    SCREENSHOTS,
    OfflineTab,
    checked,
    goto,
    metric_values,
    screenshot_whole,
    settle,
    start_server,
    stop,
)
from tests.workbooks import KARAGANDA_JUNE_2025, event_log

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(),
                                reason=f"{CHROMIUM} is not installed (apt-get install chromium)")

BAD_DATE = [5, "32.06.2025", "Карагандинская область", "г. Караганда", "Школа №1", "лекция", "ДП", 10, None, None]
FUZZY = [6, "10.06.2025", "Карагандинкая обл", "г. Темиртау", "Колледж", "беседа", "ДП", 50, 20, 5]


@pytest.fixture(scope="module")
def server(tmp_path_factory, db_builder):
    tmp = tmp_path_factory.mktemp("upload_browser")
    db_path = db_builder(tmp / "dashboard.duckdb", population=False)
    proc, url = start_server(db_path, tmp / "server.log")
    yield {"url": url, "db": db_path, "tmp": tmp}
    stop(proc)


class Tab(OfflineTab):
    """A browser tab that records (and refuses) every request leaving 127.0.0.1."""

    def __init__(self, browser, base_url: str):
        super().__init__(browser, base_url, width=1400, height=1000)

    def open(self, path: str = "") -> None:
        goto(self.page, f"{self.base_url}/{path}")

    def settle(self) -> None:
        settle(self.page)

    def go(self, title: str) -> None:
        """Follow a link of the sidebar navigation, as a user does."""
        self.page.get_by_test_id("stSidebarNav").get_by_text(title, exact=True).click()
        self.settle()

    def kpis(self) -> list[int]:
        return [int(re.sub(r"\D", "", v)) for v in metric_values(self.page)[:3]]

    def shot(self, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        return screenshot_whole(self.page, SCREENSHOTS / f"{name}.png", 1400)


@pytest.fixture
def tab(browser, server):
    yield from checked(Tab(browser, server["url"]))


def test_upload_commit_rejected_rows_and_overview_totals(tab, server):
    from openpyxl import load_workbook

    workbook = event_log(server["tmp"] / "karaganda_june.xlsx", KARAGANDA_JUNE_2025 + [BAD_DATE, FUZZY])
    # what loads, from the fixture's own numbers: the four press-release events («более 180» students at the
    # college) and the misspelt region's row once confirmed; the impossible date is rejected
    added = [4 + 1, 30 + 195 + 40 + 25 + FUZZY[7], 0 + 180 + FUZZY[8]]

    tab.open()
    before = tab.kpis()

    tab.go("Загрузка")
    tab.page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(workbook))
    tab.page.get_by_text("Проверка без записи").wait_for(timeout=60_000)
    tab.settle()
    page = tab.page
    assert page.get_by_text("Форма отчёта: журнал мероприятий.").is_visible()
    assert page.get_by_text("Лист «Мероприятия»: заголовок в строках 3–4").is_visible()
    commit = page.get_by_role("button", name=re.compile("Загрузить в базу"))
    assert commit.is_disabled()  # «Карагандинкая обл» waits for confirmation
    page.get_by_text("Сопоставление столбцов: распознано 9 из 10").click()
    page.get_by_test_id("stExpanderDetails").get_by_test_id("stDataFrame").first.wait_for()
    tab.settle()
    tab.shot("upload_preview")

    page.get_by_text("Подтвердить все предложенные сопоставления").click()
    tab.settle()
    assert commit.is_enabled()
    commit.click()
    page.get_by_text("Результат загрузки").wait_for(timeout=120_000)
    tab.settle()
    assert page.get_by_text(re.compile(r"«karaganda_june.xlsx» → пакет №2: загружено 5, пропущено 1, "
                                       r"отклонено 1 из 7 строк")).is_visible()
    tab.shot("upload_committed")

    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name=re.compile("Скачать отклонённые строки")).click()
    assert info.value.suggested_filename == "karaganda_june_отклонённые.xlsx"
    rows = list(load_workbook(io.BytesIO(Path(info.value.path()).read_bytes()),
                              read_only=True).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("№", "Дата проведения", "Регион") and rows[0][-1] == "Причина"
    assert len(rows) == 2
    assert rows[1][1] == "32.06.2025"
    assert rows[1][-1] == "Лист «Мероприятия», строка 9: Такой даты не существует: «32.06.2025»"

    tab.go("Обзор")
    assert tab.kpis() == [b + a for b, a in zip(before, added)]

    # the same bytes again: refused, nothing written
    tab.go("Загрузка")
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(workbook))
    page.get_by_text(re.compile("Файл уже загружен")).wait_for(timeout=60_000)
    tab.settle()
    assert page.get_by_text(re.compile("пользователем local — пакет №2")).is_visible()
    assert page.get_by_role("button", name=re.compile("Загрузить в базу")).is_disabled()
    tab.shot("upload_duplicate")


def test_template_download_and_the_batches_and_quality_pages(tab, server):
    from openpyxl import load_workbook

    tab.open()
    tab.go("Загрузка")
    with tab.page.expect_download(timeout=60_000) as info:
        tab.page.get_by_role("button", name=re.compile("Скачать шаблон отчёта")).click()
    book = load_workbook(io.BytesIO(Path(info.value.path()).read_bytes()))
    assert book.sheetnames == ["Мероприятия", "Справочники", "Инструкция"]

    tab.go("Пакеты")
    assert tab.page.get_by_role("heading", name="Пакеты").first.is_visible()
    tab.page.get_by_test_id("stDataFrame").first.wait_for(timeout=60_000)
    assert tab.page.get_by_text(re.compile(r"Пакетов: \d+, загружено строк: \d+")).is_visible()
    tab.shot("batches")

    tab.go("Качество данных")
    assert tab.page.get_by_role("heading", name="Полнота отчётности").is_visible()
    tab.page.wait_for_selector('[data-testid="stPlotlyChart"] .main-svg', timeout=60_000)
    tab.shot("quality")
