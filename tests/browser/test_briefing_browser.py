"""The «Справка» buttons in a real browser (Debian's chromium, closed network): on the Overview and the Region page
both files download, open (python-docx, poppler) and hold the view's numbers. The files, their PDF pages as PNG
and screenshots of the pages go to artifacts/briefing/ to be looked at."""
from __future__ import annotations

import io
import shutil
import subprocess
import urllib.parse
from datetime import date
from pathlib import Path

import pytest

from prevention.queries import activity as q
from prevention.queries.filters import Filters
from prevention.storage.db import connect
from prevention.texts import formats
from tests.browser.harness import (
    CHROMIUM,
    IDLE,
    PROJECT,
    OfflineTab,
    checked,
    start_server,
    stop,
)

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(),
                                reason=f"{CHROMIUM} is not installed (apt-get install chromium)")

ARTIFACTS = PROJECT / "artifacts" / "briefing"
YEAR = Filters(date(2025, 1, 1), date(2025, 12, 31))  # the fixture's latest year: the view opens on it


@pytest.fixture(scope="module")
def database(tmp_path_factory, db_builder) -> Path:
    return db_builder(tmp_path_factory.mktemp("briefing") / "dashboard.duckdb")


@pytest.fixture(scope="module")
def expected(database) -> dict:
    """The pages' own queries on the fixture, read before the server holds the file."""
    con = connect(database)
    try:
        return {"kpis": q.kpis(con, YEAR), "karaganda": q.kpis(con, Filters(YEAR.date_from, YEAR.date_to, ("KZ-35",))),
                "districts": q.by_district(con, Filters(YEAR.date_from, YEAR.date_to, ("KZ-35",)))}
    finally:
        con.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory, database, expected):
    proc, url = start_server(database, tmp_path_factory.mktemp("briefing_log") / "server.log")
    yield url
    stop(proc)


class Page(OfflineTab):
    def open(self, path: str = "", **params) -> None:
        query = urllib.parse.urlencode(params, doseq=True)
        self.page.goto(f"{self.base_url}/{path}" + (f"?{query}" if query else ""))
        self.page.wait_for_selector('[data-testid="stMain"] h1', timeout=60_000)
        self.page.wait_for_selector(IDLE, timeout=60_000)

    def button(self, label: str):
        return self.page.get_by_test_id("stDownloadButton").get_by_role("button", name=label, exact=True)

    def download(self, label: str) -> Path:
        """Click a briefing button and wait for its file (built on the click, the button spinning meanwhile)."""
        from playwright.sync_api import expect

        button = self.button(label)
        expect(button).to_be_enabled(timeout=60_000)
        button.scroll_into_view_if_needed()
        with self.page.expect_download(timeout=90_000) as info:
            button.click()
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        saved = ARTIFACTS / info.value.suggested_filename
        info.value.save_as(saved)
        expect(button).to_be_enabled(timeout=60_000)  # the spinner is gone, the button usable again
        return saved

    def shot(self, name: str) -> None:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


@pytest.fixture
def tab(browser, server):
    yield from checked(Page(browser, server, width=1400, height=1000))


def word(path: Path):
    import docx

    return docx.Document(io.BytesIO(path.read_bytes()))


def pdf_text(path: Path) -> str:
    """The PDF's text (pdftotext), and its pages rendered as PNG beside it (pdftoppm) for a person to look at."""
    subprocess.run(["pdftoppm", "-png", "-r", "70", str(path), str(path.with_suffix(""))], check=True, timeout=60)
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True,
                         timeout=60).stdout
    return " ".join(out.replace("\xa0", " ").replace("\u202f", " ").split())


def n(value, lang: str = "ru") -> str:
    """A whole number as the documents write it, spaces plain (as in pdf_text)."""
    return formats.number(value, lang).replace("\xa0", " ")


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")
def test_overview_downloads_both_files_with_the_views_numbers(tab, expected):
    tab.open("")
    tab.shot("overview_buttons")
    docx_path = tab.download("Справка (Word)")
    assert docx_path.name == "Справка_Все_регионы_2025.docx"
    document = word(docx_path)
    assert document.paragraphs[0].text == "Справка о профилактических мероприятиях"
    regions = next(t for t in document.tables if t.rows[0].cells[1].text == "Регион")
    assert len(regions.rows) == 22  # header, 20 regions, total
    assert regions.rows[21].cells[3].text == formats.number(expected["kpis"]["participants"], "ru")
    pdf_path = tab.download("Справка (PDF)")
    assert pdf_path.name == "Справка_Все_регионы_2025.pdf" and pdf_path.read_bytes()[:4] == b"%PDF"
    text = pdf_text(pdf_path)
    assert "Справка о профилактических мероприятиях" in text and n(expected["kpis"]["participants"]) in text


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")
def test_region_page_downloads_the_regions_briefing(tab, expected):
    tab.open("region", regions="Карагандинская область")
    tab.shot("region_buttons")
    document = word(tab.download("Справка (Word)"))
    assert document.paragraphs[0].text == "Справка о профилактических мероприятиях: Карагандинская область"
    districts = next(t for t in document.tables if t.rows[0].cells[0].text == "Район, город")
    assert [row.cells[0].text for row in districts.rows[1:]] == expected["districts"]["district"].tolist()
    pdf_path = tab.download("Справка (PDF)")
    assert pdf_path.name == "Справка_Карагандинская_2025.pdf"
    text = pdf_text(pdf_path)
    assert "Крупнейшие мероприятия" in text and n(expected["karaganda"]["participants"]) in text


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")
def test_the_briefing_follows_the_interface_language(tab, expected):
    tab.open("region", regions="Карагандинская область", lang="Қазақша")  # the switch keeps its label in the link
    pdf_path = tab.download("Анықтама (PDF)")
    assert pdf_path.name == "Анықтама_Қарағанды_2025.pdf"
    text = pdf_text(pdf_path)
    assert "Профилактикалық іс-шаралар туралы анықтама: Қарағанды облысы" in text
    assert n(expected["karaganda"]["participants"], "kk") in text
