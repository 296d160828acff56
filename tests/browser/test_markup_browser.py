"""Text from uploaded files is shown as written, never as markup, in a real browser (Debian's chromium) on a closed
network: a payload of a markdown image and link, HTML bold, a Streamlit colour directive, LaTeX and a bare link in
an organiser, event form, audience, district, venue, file name and sheet name injects no element (no image, no
link to an outside host, no bold or coloured text from data, no formula) and sends no request outside 127.0.0.1.

One Streamlit server for the module, single-user local mode, on a temporary database holding the payload rows.
"""
from __future__ import annotations

import hashlib
import io
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from prevention.storage import batches, db
from tests.browser.harness import (
    CHROMIUM,
    SCREENSHOTS,
    OfflineTab,
    checked,
    start_server,
    stop,
)
from tests.browser.harness import (
    settle as wait_still,
)

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(),
                                reason=f"{CHROMIUM} is not installed (apt-get install chromium)")

PAYLOAD = "![x](http://evil.example/i.png) [link](http://evil.example/) <b>bold</b> :red[x] $x$ http://evil.example/"
# File and sheet names cannot hold «/» (and sheet names no «[]:»): the same tricks without them.
FILE_PAYLOAD = "![x](https:evil.example) [link](https:evil.example) <b>bold</b> :red[x] $x$ www.evil.example"
SHEET_PAYLOAD = "<b>bold $x$ <img src=x> www.evil.example"
FIELDS = ("organizer", "event_type", "audience", "district", "venue")

INJECTED = """() => {
  const outside = u => u && !u.startsWith(location.origin) && !u.startsWith('data:') && !u.startsWith('blob:');
  const all = [...document.querySelectorAll('*')];
  return {
    images: [...document.querySelectorAll('img, image')].map(i => i.src || i.getAttribute('href')).filter(outside),
    links: [...document.querySelectorAll('a')].map(a => a.href || a.getAttribute('href') || '')
             .filter(h => { try { return new URL(h, location.href).hostname !== location.hostname; }
                            catch (e) { return true; } }),
    bold: all.filter(e => ['B', 'STRONG'].includes(e.tagName) && e.textContent.includes('bold')).length,
    svg_bold: [...document.querySelectorAll('.js-plotly-plot tspan')]
                .filter(t => (t.getAttribute('style') || '').includes('bold') && t.textContent === 'bold').length,
    coloured: all.filter(e => e.children.length === 0 && e.textContent === 'x' && e.closest('[data-testid]')
                              && e.tagName === 'SPAN').length,
    formulas: document.querySelectorAll('.katex, mjx-container').length,
    shown: document.body.innerText.includes('evil.example'),
    charted: [...document.querySelectorAll('.js-plotly-plot text')].some(t => t.textContent.includes('evil.example')),
  };
}"""


def payload_rows() -> list[dict]:
    rows = []
    for index, day in enumerate((date(2025, 6, 3), date(2025, 6, 10), date(2025, 6, 17)), start=2):
        row = {field: f"{PAYLOAD} {field}" for field in FIELDS}
        row.update(region_code="KZ-35", region_text="Карагандинская область", period_start=day, period_end=day,
                   events=1, participants=40 + index, students=10, source_sheet=SHEET_PAYLOAD, source_row=index,
                   description=PAYLOAD)
        rows.append(row)
    return rows


def store(con, file_name: str, rows: list[dict]) -> None:
    info = batches.BatchInfo(file_name=file_name, sha256=hashlib.sha256(file_name.encode()).hexdigest(),
                             size_bytes=100, shape="events", rows_read=len(rows), rows_loaded=len(rows),
                             rows_skipped=0, rows_rejected=0, loaded_by="analyst")
    batches.store_batch(con, info, rows)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("markup")
    path = tmp / "markup.duckdb"
    con = db.connect(path)
    store(con, "другой источник.xlsx", payload_rows()[:1])  # a possible overlap for the quality page
    store(con, f"{FILE_PAYLOAD}.xlsx", payload_rows())  # the newest batch: the one the Пакеты page opens on
    con.close()
    proc, url = start_server(path, tmp / "server.log")
    yield url
    stop(proc)


@pytest.fixture
def tab(browser, server):
    yield from checked(OfflineTab(browser, server))


def visit(tab: OfflineTab, path: str, name: str, shown: bool = True) -> dict:
    tab.page.goto(f"{tab.base_url}/{path}")
    settle(tab)
    return injected(tab, name, shown)


def settle(tab: OfflineTab) -> None:
    wait_still(tab.page)


def injected(tab: OfflineTab, name: str, shown: bool = True) -> dict:
    """Nothing injected; `shown`: the payload is on the page as text (tables draw on a canvas, not in the DOM)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    tab.page.screenshot(path=str(SCREENSHOTS / f"markup_{name}.png"), full_page=True)
    found = tab.page.evaluate(INJECTED)
    assert found == {"images": [], "links": [], "bold": 0, "svg_bold": 0, "coloured": 0, "formulas": 0,
                     "shown": found["shown"], "charted": found["charted"]}, name
    assert found["shown"] or not shown, f"{name}: the payload is not on the page at all"
    return found


ORGANIZER_LINK = ("?organizers=" + PAYLOAD.replace(" ", "+").replace("$", "%24").replace("[", "%5B")
                  .replace("]", "%5D") + "+organizer")


@pytest.mark.parametrize(("path", "shown"), [(ORGANIZER_LINK, True), ("region?regions=Карагандинская+область", True),
                                             ("table", False), ("batches", True), ("quality", False)])
def test_pages_show_uploaded_text_as_written(tab, path, shown):
    found = visit(tab, path, path.split("?")[0] or "overview", shown)
    if path.startswith(("?", "region")):  # forms, audiences and districts are chart labels there
        tab.page.locator(".js-plotly-plot").last.scroll_into_view_if_needed()
        assert tab.page.evaluate(INJECTED)["charted"] or found["charted"]


def test_the_upload_preview_shows_file_and_sheet_names_as_written(tab):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = SHEET_PAYLOAD[:31]
    sheet.append(["Дата проведения", "Регион", "Организатор", "Место проведения", "Охват"])
    sheet.append([date(2025, 7, 1), "Карагандинская область", PAYLOAD, PAYLOAD, 30])
    sheet.append([date(2025, 7, 2), "Карагандинская область", PAYLOAD, PAYLOAD, 31])
    data = io.BytesIO()
    book.save(data)
    tab.page.goto(f"{tab.base_url}/upload")
    settle(tab)
    tab.page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(
        {"name": f"{FILE_PAYLOAD}.xlsx",
         "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
         "buffer": data.getvalue()})
    settle(tab)
    tab.page.get_by_text("Лист «", exact=False).first.wait_for(timeout=60_000)
    injected(tab, "upload_preview")
    assert FILE_PAYLOAD in tab.page.get_by_test_id("stMain").inner_text().replace("\u200b", "")  # as written
    tab.page.get_by_test_id("stBaseButton-primary").filter(has_text="Загрузить в базу").click()
    settle(tab)
    injected(tab, "upload_result")
