"""The dashboard in a real browser (Debian's chromium through Playwright), on a closed network.

One Streamlit server per module on a temporary database (the fixture rows of tests/conftest.py and
one demo batch). Every request that does not go to 127.0.0.1 is aborted and recorded; each test
asserts that none was attempted. Screenshots go to artifacts/screenshots/.
"""
from __future__ import annotations

import io
import time
import urllib.parse
import urllib.request
from datetime import date
from pathlib import Path

import pytest

from tests.browser.harness import (
    CHROMIUM,
    SCREENSHOTS,
    OfflineTab,
    checked,
    screenshot_whole,
    settle,
    start_server,
    stop,
)

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(),
                                reason=f"{CHROMIUM} is not installed (apt-get install chromium)")

# Default period of the fixture data: its latest date is in 2025, so the view opens on 2025.
YEAR_2025 = (date(2025, 1, 1), date(2025, 12, 31))


@pytest.fixture(scope="module")
def server(tmp_path_factory, db_builder):
    tmp = tmp_path_factory.mktemp("browser")
    db_path = db_builder(tmp / "dashboard.duckdb", demo=True)
    proc, url = start_server(db_path, tmp / "server.log")
    yield url
    stop(proc)


class Page(OfflineTab):
    """A browser tab on the dashboard that records (and refuses) every request leaving 127.0.0.1."""

    def __init__(self, browser, base_url: str):
        super().__init__(browser, base_url, width=1500, height=1000)

    def open(self, path: str = "", **params) -> None:
        query = urllib.parse.urlencode(params, doseq=True)
        self.page.goto(f"{self.base_url}/{path}" + (f"?{query}" if query else ""))
        self.page.wait_for_selector('[data-testid="stMain"] h1', timeout=60_000)
        self.settle()

    def settle(self) -> None:
        """Wait until the script run triggered by the last interaction has finished and the page has
        stopped changing (a run can be followed by another: a callback, a page switch)."""
        settle(self.page)

    def kpis(self) -> list[str]:
        self.page.get_by_test_id("stMetricValue").first.wait_for(timeout=30_000)
        return [t.replace("\u202f", "").replace("\xa0", "").replace(" ", "")
                for t in self.page.get_by_test_id("stMetricValue").all_inner_texts()]

    def charts(self):
        return self.page.get_by_test_id("stPlotlyChart")

    def wait_for_map(self) -> None:
        self.page.wait_for_selector('[data-testid="stPlotlyChart"] canvas', timeout=60_000)
        self.page.wait_for_function(
            """() => { const gd = document.querySelector('.js-plotly-plot');
                       const m = gd && gd._fullLayout && gd._fullLayout.map && gd._fullLayout.map._subplot;
                       return m && m.map && m.map.loaded() && m.map.areTilesLoaded(); }""",
            timeout=60_000,
        )
        settle(self.page, quiet=300)

    def click_map(self, lon: float, lat: float) -> None:
        self.charts().nth(0).scroll_into_view_if_needed()  # banners above may push the map below the fold
        x, y = self.page.evaluate(
            """([lon, lat]) => { const gd = document.querySelector('.js-plotly-plot');
                 const map = gd._fullLayout.map._subplot.map; const p = map.project([lon, lat]);
                 const r = map.getCanvas().getBoundingClientRect(); return [r.left + p.x, r.top + p.y]; }""",
            [lon, lat],
        )
        self.page.mouse.click(x, y)
        self.settle()

    def shot(self, name: str, full: bool = False) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        if full:  # Streamlit scrolls inside the app, so grow the window to the content instead
            return screenshot_whole(self.page, path, 1500)
        self.page.screenshot(path=str(path))
        return path


@pytest.fixture
def tab(browser, server):
    yield from checked(Page(browser, server))


def totals(rows, period=YEAR_2025, regions=None, demo=None):
    chosen = [r for r in rows if period[0] <= r["period_start"] <= period[1]
              and (regions is None or r["region_code"] in regions)]
    chosen += [r for r in demo or [] if period[0] <= r["period_start"] <= period[1]
               and (regions is None or r["region_code"] in regions)]
    return {k: sum(r[k] or 0 for r in chosen) for k in ("events", "participants", "students")} | {
        "records": len(chosen)}


@pytest.fixture
def rows(activity_rows):
    return activity_rows


def n(value: int) -> str:
    return str(value)


# ------------------------------------------------------------------------------------------------

def test_overview_loads_offline_and_draws_the_map(tab, rows, demo_activity_rows):
    from PIL import Image

    started = time.time()
    tab.open()
    tab.wait_for_map()
    loaded = time.time() - started
    expected = totals(rows, demo=demo_activity_rows)
    assert tab.kpis()[:3] == [n(expected["events"]), n(expected["participants"]), n(expected["students"])]
    assert tab.page.get_by_text("Демонстрационные данные").first.is_visible()
    assert tab.charts().count() == 5  # map, ranking, trend, forms, audiences

    map_png = tab.charts().nth(0).screenshot(path=str(SCREENSHOTS / "overview_map.png"))
    image = Image.open(io.BytesIO(map_png)).convert("RGB")
    colours = {c for _, c in image.getcolors(maxcolors=1_000_000) if _ > 200}
    assert len(colours) >= 6, f"the map looks blank: {len(colours)} colours"
    tab.shot("overview", full=True)
    assert loaded < 60


def test_clicking_a_region_on_the_map_filters_the_page(tab, rows):
    tab.open()
    tab.wait_for_map()
    before = tab.kpis()
    tab.click_map(73.3, 47.8)  # inside Карагандинская область
    expected = totals(rows, regions={"KZ-35"})
    assert tab.kpis()[:3] == [n(expected["events"]), n(expected["participants"]), n(expected["students"])]
    assert tab.kpis() != before
    assert tab.kpis()[4] == "1из20"
    assert "regions=" in tab.page.url and urllib.parse.quote_plus("Карагандинская область") in tab.page.url
    tab.wait_for_map()
    tab.shot("overview_after_map_click")
    # the copied link reproduces the view in a fresh tab
    link = tab.page.url
    tab.page.goto("about:blank")
    tab.page.goto(link)
    tab.settle()
    assert tab.kpis()[:3] == [n(expected["events"]), n(expected["participants"]), n(expected["students"])]


def test_clicking_a_bar_in_the_ranking_filters_the_page(tab, rows):
    tab.open()
    ranking = tab.charts().nth(1)
    ranking.locator("g.point").last.wait_for()  # the largest bar (zero bars are invisible)
    index = tab.page.evaluate(
        """() => { const gd = document.querySelectorAll('.js-plotly-plot')[1];
                   return gd.data[0].y.indexOf('город Астана'); }""")
    assert index >= 0
    bar = ranking.locator("g.point path").nth(index)
    bar.scroll_into_view_if_needed()
    box = bar.bounding_box()
    tab.page.mouse.click(box["x"] + box["width"] / 2,
                         box["y"] + box["height"] / 2)  # as a user clicks: through plotly's drag layer
    tab.settle()
    expected = totals(rows, regions={"KZ-71"})
    assert tab.kpis()[:3] == [n(expected["events"]), n(expected["participants"]), n(expected["students"])]


def test_region_page_follows_the_region_filter(tab, rows):
    tab.open("region", regions="город Алматы")
    assert tab.page.get_by_role("heading", name="Регион").first.is_visible()
    expected = totals(rows, regions={"KZ-75"})
    assert tab.kpis()[:3] == [n(expected["events"]), n(expected["participants"]), n(expected["students"])]
    assert tab.page.get_by_test_id("stDataFrame").count() == 1
    tab.shot("region", full=True)


def test_table_download_holds_exactly_the_filtered_rows(tab, rows):
    from openpyxl import load_workbook

    period = (date(2024, 1, 1), date(2025, 12, 31))
    tab.open("", regions=["город Астана", "Карагандинская область"], period=[d.isoformat() for d in period],
             forms="акция")
    tab.page.get_by_test_id("stSidebarNav").get_by_text("Таблица").click()  # the filters travel with the page
    tab.settle()
    assert "/table" in tab.page.url and "forms=" in tab.page.url
    expected = [r for r in rows if r["region_code"] in {"KZ-71", "KZ-35"} and r["event_type"] == "акция"
                and period[0] <= r["period_start"] <= period[1]]
    assert tab.page.get_by_text(f"Записей по фильтрам: {len(expected)}").is_visible()
    tab.shot("table")
    with tab.page.expect_download(timeout=60_000) as info:
        tab.page.get_by_role("button", name="Скачать Excel").click()
    saved = SCREENSHOTS.parent / "downloads" / info.value.suggested_filename
    saved.parent.mkdir(parents=True, exist_ok=True)
    info.value.save_as(saved)
    workbook = load_workbook(saved, read_only=True)
    sheet = workbook["Данные"]
    table = list(sheet.iter_rows(values_only=True))
    header, body = table[0], table[1:]
    assert len(body) == len(expected)
    got = sorted((r[header.index("Код региона")], r[header.index("Охват (всего)")]) for r in body)
    assert got == sorted((r["region_code"], r["participants"]) for r in expected)
    assert info.value.suggested_filename.endswith(".xlsx")


def test_demo_banner_button_removes_the_demo_batch(tab, rows):
    tab.open()
    banner = tab.page.get_by_text("Демонстрационные данные").first
    assert banner.is_visible()
    before = tab.kpis()
    tab.page.get_by_role("button", name="Удалить демонстрационные данные").click()
    tab.settle()
    assert tab.page.get_by_text("Демонстрационные данные.").count() == 0
    expected = totals(rows)
    assert tab.kpis()[:3] == [n(expected["events"]), n(expected["participants"]), n(expected["students"])]
    assert tab.kpis() != before


def test_switching_the_language_keeps_the_filters_and_the_link(tab, rows):
    """Filters hold canonical Russian names: the link is the same in every language, and a switch keeps them."""
    tab.open("", regions=["город Астана", "Карагандинская область"], forms="акция", lang="English")
    expected = totals([r for r in rows if r["event_type"] == "акция"], regions={"KZ-71", "KZ-35"})
    sidebar = tab.page.get_by_test_id("stSidebar")
    for switch_to, region in (("Қазақша", "Қарағанды облысы"), ("Русский", "Карагандинская область"),
                              ("English", "Karaganda Region")):
        sidebar.get_by_text(switch_to, exact=True).click()
        tab.settle()
        assert tab.kpis()[:3] == [n(expected["events"]), n(expected["participants"]), n(expected["students"])]
        assert sidebar.get_by_test_id("stMultiSelect").first.get_by_text(region).is_visible()
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(tab.page.url).query)
        assert query["regions"] == ["город Астана", "Карагандинская область"] and query["forms"] == ["акция"]
    assert tab.page.get_by_role("heading", name="Overview").first.is_visible()
    tab.shot("overview_english", full=True)
