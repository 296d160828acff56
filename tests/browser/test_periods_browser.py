"""The period rule in a real browser (Debian's chromium, closed network): a database holding a yearly summary of
three regions for 2025 and an event log (tests/test_periods_pages.py). The trend shows years and says why; a June
window says what it leaves out and links to the list; the breakdown bars add up to the KPI; the quality page holds
the reconciliation; the Excel download says which records count. Screenshots: artifacts/screenshots/periods_*.png.
Waits are on the page's own state (the script idle, a text, a chart drawn), never fixed sleeps."""
from __future__ import annotations

import urllib.parse
from pathlib import Path

import pytest

from tests.browser.harness import (
    CHROMIUM,
    IDLE,
    SCREENSHOTS,
    OfflineTab,
    checked,
    metric_values,
    start_server,
    stop,
)
from tests.test_periods_pages import LOG, QUARTERS, SUMMARY, expected_year, store

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(),
                                reason=f"{CHROMIUM} is not installed (apt-get install chromium)")

MAP_READY = """() => { const gd = document.querySelector('[data-testid="stMain"] .js-plotly-plot');
                       const m = gd && gd._fullLayout && gd._fullLayout.map && gd._fullLayout.map._subplot;
                       return !m || (m.map && m.map.loaded() && m.map.areTilesLoaded()); }"""
TABLES_READY = """() => [...document.querySelectorAll('[data-testid="stMain"] [data-testid="stDataFrame"]')]
                        .every(t => t.querySelector('canvas') && t.querySelectorAll('[role="row"]').length > 1)"""
DRAWN = """n => { const plots = document.querySelectorAll('[data-testid="stMain"] .js-plotly-plot');
                 return plots.length >= n && [...plots].every(p => p._fullLayout && p._fullData); }"""
BARS = """i => { const gd = document.querySelectorAll('[data-testid="stMain"] .js-plotly-plot')[i];
                return gd._fullData.map(t => ({name: t.name, x: Array.from(t.x || []), y: Array.from(t.y || []),
                                               width: Array.from(t.width || [])})); }"""


def days(trace: dict) -> list[int]:
    """How many days each trend bar spans (drawn 85 % of its period wide)."""
    return [round(width / 0.85 / 86_400_000) for width in trace["width"]]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from prevention.storage import db

    tmp = tmp_path_factory.mktemp("periods_browser")
    path = tmp / "periods.duckdb"
    con = db.connect(path)
    store(con, "svod_2025.xlsx", SUMMARY, "summary")
    store(con, "q1.xlsx", QUARTERS[:1], "summary")
    store(con, "feb_apr.xlsx", QUARTERS[1:], "summary")
    store(con, "log.xlsx", LOG, "events")
    con.close()
    proc, url = start_server(path, tmp / "server.log")
    yield url
    stop(proc)


class Tab(OfflineTab):
    def open(self, path: str = "", charts: int = 0, **params) -> None:
        query = urllib.parse.urlencode(params, doseq=True)
        self.page.goto(f"{self.base_url}/{path}" + (f"?{query}" if query else ""))
        self.idle(charts)

    def idle(self, charts: int = 0) -> None:
        from playwright.sync_api import expect

        expect(self.page.locator('[data-testid="stMain"] h1').first).to_be_visible(timeout=60_000)
        expect(self.page.locator(IDLE)).to_have_count(1, timeout=60_000)
        if charts:
            self.page.wait_for_function(DRAWN, arg=charts, timeout=60_000)
            self.page.wait_for_function(MAP_READY, timeout=60_000)  # the Overview's MapLibre map has drawn

    def kpi(self) -> int:
        return int("".join(ch for ch in metric_values(self.page)[0] if ch.isdigit()))

    def bars(self, index: int) -> list[dict]:
        return self.page.evaluate(BARS, index)

    def shot(self, name: str, charts: int = 0) -> Path:
        """The whole page: the window grown to the content (Streamlit scrolls inside the app), charts redrawn."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        height = self.page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
        self.page.set_viewport_size({"width": 1500, "height": min(int(height) + 40, 6000)})
        self.idle(charts)
        self.page.wait_for_function(TABLES_READY, timeout=60_000)  # the data grids have their rows
        for _ in range(3):  # the canvases repaint for the new size on the next animation frames
            self.page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
        path = SCREENSHOTS / f"{name}.png"
        self.page.screenshot(path=str(path))
        return path


@pytest.fixture
def tab(browser, server):
    yield from checked(Tab(browser, server, width=1500, height=1000))


def test_the_trend_shows_years_and_says_why(tab):
    from playwright.sync_api import expect

    tab.open(charts=5)
    assert tab.kpi() == expected_year()
    expect(tab.page.get_by_text("Шаг — по годам: среди учтённых записей есть своды (годовой свод — 3)")).to_be_visible()
    trend = tab.bars(2)
    assert trend[0]["y"] == [expected_year("participants")] and days(trend[0]) == [365]
    box = tab.page.locator('[data-testid="stPlotlyChart"]').nth(2).locator("g.point path").first.bounding_box()
    assert box["width"] > 200  # drawn a year wide
    tab.shot("periods_overview_year", charts=5)


def test_the_breakdown_bars_add_up_to_the_kpi(tab):
    tab.open(charts=5, metric="events")
    for index in (3, 4):  # forms, audiences
        bars = tab.bars(index)
        assert sum(sum(trace["x"]) for trace in bars) == tab.kpi() == expected_year()
        assert bars[-1]["y"] == ["по сводам, без разбивки"]


def test_a_finer_unit_on_request_says_what_it_leaves_out(tab):
    from playwright.sync_api import expect

    tab.open(charts=5)
    tab.page.get_by_test_id("stMain").get_by_text("по месяцам", exact=True).click()
    expect(tab.page.get_by_text("В этом шаге не показаны 4 свода", exact=False)).to_be_visible(timeout=60_000)
    tab.idle(charts=5)
    trend = tab.bars(2)
    assert days(trend[0]) == [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    assert trend[1]["name"] == "в т.ч. по журналам мероприятий (внутри сводов)"
    tab.page.get_by_test_id("stPlotlyChart").nth(2).scroll_into_view_if_needed()
    tab.page.get_by_test_id("stPlotlyChart").nth(2).screenshot(path=str(SCREENSHOTS / "periods_trend_months.png"))


def test_a_june_window_says_what_it_leaves_out_and_links_to_the_list(tab):
    from playwright.sync_api import expect

    tab.open(charts=5, period=["2025-06-01", "2025-06-30"])
    note = tab.page.get_by_text("Не учтены 3 свода и 1 запись журнала, период которых выходит за 01.06.2025 – "
                                "30.06.2025: годовой свод 2025 г. (3); запись журнала 20.06.2025 – 02.07.2025.")
    expect(note).to_be_visible()
    tab.shot("periods_overview_june", charts=5)
    tab.page.get_by_role("link", name="Список неучтённых записей").first.click()
    expect(tab.page.get_by_text("Не учтённые записи (4)")).to_be_visible(timeout=60_000)
    tab.idle()
    assert "/table" in tab.page.url and "period=" in tab.page.url
    tab.shot("periods_table_june")


def test_the_region_page_shows_a_summary_as_its_year_with_its_detail(tab):
    from playwright.sync_api import expect

    tab.open("region", charts=4, regions="Карагандинская область")
    expect(tab.page.get_by_text("Записи (4)")).to_be_visible()
    assert tab.kpi() == 1153
    tab.shot("periods_region", charts=4)


def test_the_quality_page_reconciles_and_lists_the_conflict(tab):
    from playwright.sync_api import expect

    tab.open("quality", charts=1)
    expect(tab.page.get_by_text("Журналы больше свода: 1.")).to_be_visible()
    expect(tab.page.get_by_text("Конфликтов: 1.")).to_be_visible()
    tab.shot("periods_quality", charts=1)


def test_the_excel_download_says_which_records_count(tab):
    from openpyxl import load_workbook

    tab.open("table")
    with tab.page.expect_download(timeout=60_000) as info:
        tab.page.get_by_role("button", name="Скачать Excel").click()
    saved = SCREENSHOTS.parent / "downloads" / "periods_table.xlsx"
    saved.parent.mkdir(parents=True, exist_ok=True)
    info.value.save_as(saved)
    book = load_workbook(saved, read_only=True)
    rows = list(book["Данные"].iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    counting = [r[header.index("Учёт")] for r in body]
    assert len(body) == len(SUMMARY) + 1 + len(LOG)
    assert counting.count("в т.ч. по журналам мероприятий") == 6 and counting.count("учтена") == len(body) - 6
    settings = dict(row[:2] for row in book["Фильтры"].iter_rows(values_only=True))
    assert settings["Правило подсчёта"].startswith("Учтены записи, период которых целиком внутри периода фильтра")
