"""Issue 13: the analyst's and the leader's whole day in a real browser (Debian's chromium, closed network).

Each journey runs on a fresh server and database and photographs every step into
artifacts/journeys/<journey>/NN_step.png; every step is checked for an exception box, «None»/«nan»/«NaT», raw codes
or JSON, cut KPI cards and (Kazakh, English) Russian left behind (tests/browser/journey.py). Totals on screen are
compared with the sums of the files the test writes, never with the app's own queries."""
from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
import sys
import urllib.parse
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.browser.harness import CHROMIUM, PROJECT, start_server, stop
from tests.browser.journey import Journey, digits
from tests.workbooks import event_log, simple_sheet

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not Path(CHROMIUM).exists(),
                                 reason=f"{CHROMIUM} is not installed (apt-get install chromium)")]

REAL = PROJECT.parent / "shared" / "real"
BNS = [REAL / "bns_population_by_region_2000-2023.xlsx", REAL / "bns_population_2023-01-01_by_district.xlsx"]
YEAR = (date(2025, 1, 1), date(2025, 12, 31))

# An event log of three regions (one row a month, so the monthly trend has twelve bars) and a row whose date does
# not exist; № date region district venue form organiser participants students schoolchildren.
REGIONS = ["Карагандинская область", "г. Алматы", "г. Астана"]
CODES = {"Карагандинская область": "KZ-35", "г. Алматы": "KZ-75", "г. Астана": "KZ-71"}
LOG = [[m, date(2025, m, 10 + m), REGIONS[m % 3], f"район {m % 4 + 1}", f"Колледж №{m}",
        ["лекция", "беседа", "акция", "тренинг"][m % 4], "ДП", 20 + 7 * m, 5 + m, m % 3] for m in range(1, 13)]
BAD = [13, "31.02.2025", "г. Астана", "район 2", "Школа №5", "лекция", "ДП", 44, 11, 0]
FIXED_DATE = "28.02.2025"
# A half-year summary of two other regions, with the republic's total (skipped).
SUMMARY_TITLE = "Сводные сведения о профилактических мероприятиях за 1 полугодие 2025 года"
SUMMARY = [[1, "Акмолинская область", 120, 3400, 900], [2, "г. Шымкент", 80, 2000, 600]]
SUMMARY_V2 = [[1, "Акмолинская область", 130, 3600, 950], [2, "г. Шымкент", 80, 2000, 600]]


def summary_file(path: Path, rows: list[list]) -> Path:
    total = [None, "Всего по РК", *(sum(r[i] for r in rows) for i in (2, 3, 4))]
    return simple_sheet(path, [[SUMMARY_TITLE], [], ["№", "Регион", "Количество мероприятий", "Охват",
                                                     "из них студентов"], *rows, total])


def log_totals(rows: list[list]) -> list[int]:
    return [len(rows), sum(r[7] for r in rows), sum(r[8] for r in rows)]


def summary_totals(rows: list[list]) -> list[int]:
    return [sum(r[2] for r in rows), sum(r[3] for r in rows), sum(r[4] for r in rows)]


def plus(*parts: list[int]) -> list[int]:
    return [sum(values) for values in zip(*parts)]


@pytest.fixture(scope="module")
def leader_template(tmp_path_factory) -> Path:
    """The leader's database written once (the event log and both BNS files, through the one load path); every
    journey that starts from it gets its own copy."""
    path = tmp_path_factory.mktemp("leader_template") / "leader.duckdb"
    seed_leader(path)
    return path


@pytest.fixture
def fresh(tmp_path, leader_template):
    """A fresh server on a fresh database: fresh(seed) -> url; seed(path) may write the database first, and
    fresh(LEADER) starts from a copy of the leader's database."""
    servers = []

    def start(seed=None, then=None) -> str:
        db_path = tmp_path / f"journey_{len(servers)}.duckdb"
        if seed is LEADER:
            from prevention.storage import originals

            shutil.copy(leader_template, db_path)
            shutil.copytree(originals.uploads_dir(leader_template), originals.uploads_dir(db_path),
                            dirs_exist_ok=True)
        elif seed:
            seed(db_path)
        if then:
            then(db_path)
        proc, url = start_server(db_path, tmp_path / f"server_{len(servers)}.log")
        servers.append(proc)
        return url

    start.tmp = tmp_path
    yield start
    for proc in servers:
        stop(proc)


LEADER = object()  # fresh(LEADER): a copy of the leader's database


def seed_leader(path: Path) -> None:
    """The analyst's day already done, through the one load path: the event log and both BNS files."""
    from prevention.storage import db, originals
    from tests.conftest import load

    folder = path.parent / "seed"
    folder.mkdir(exist_ok=True)
    con = db.connect(path)
    try:
        for source in (event_log(folder / "journal_2025.xlsx", LOG), *BNS):
            assert load(con, source, uploads_dir=originals.uploads_dir(path)).status == "loaded"
    finally:
        con.close()


def expected(regions: set[str] | None = None) -> list[int]:
    return log_totals([r for r in LOG if regions is None or CODES[r[2]] in regions])


# ------------------------------------------------------------------------------------------------ 1. analyst

def upload(j: Journey, *paths: Path) -> None:
    j.page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files([str(p) for p in paths])
    j.page.get_by_text("Проверка без записи").nth(len(paths) - 1).wait_for(timeout=120_000)
    j.settle()


def commit(j: Journey) -> None:
    button = j.main().get_by_role("button", name=re.compile("Загрузить в базу"))
    assert button.is_enabled()
    button.click()
    j.page.get_by_text("Результат загрузки").wait_for(timeout=180_000)
    j.settle()


def test_1_analyst_uploads_fixes_replaces_and_deletes(browser, fresh):
    from openpyxl import load_workbook

    tmp = fresh.tmp
    url = fresh()
    j = Journey(browser, url, "1_analyst")
    journal = event_log(tmp / "journal_2025.xlsx", LOG + [BAD])
    svod = summary_file(tmp / "svod_2025.xlsx", SUMMARY)
    bns = [Path(shutil.copy(p, tmp / p.name)) for p in BNS]

    j.open()
    j.step("empty_overview")
    j.go("Загрузка")
    j.step("upload_page")
    upload(j, journal, svod, *bns)
    main = j.main()
    assert main.get_by_text("Форма отчёта: журнал мероприятий.").is_visible()
    assert main.get_by_text("Форма отчёта: сводка.").is_visible()
    # the BNS tables beside the event log, each named for what it is
    assert main.get_by_text("Форма отчёта: численность населения (БНС).").count() == 2
    j.step("four_files_checked")
    for box in main.get_by_text("Подтвердить все предложенные сопоставления").all():
        box.click()
        j.settle()
    j.step("regions_confirmed")
    commit(j)
    assert main.get_by_text(re.compile(r"«journal_2025\.xlsx» → пакет №1: загружено 12, пропущено 1, "
                                       r"отклонено 1 из 14 строк")).is_visible()
    assert main.get_by_text(re.compile(r"«svod_2025\.xlsx» → пакет №2: загружено 2")).is_visible()
    j.step("committed")

    name, data = j.download("Скачать отклонённые строки «journal_2025.xlsx» (.xlsx)")
    assert name == "journal_2025_отклонённые.xlsx"
    book = load_workbook(io.BytesIO(data))
    sheet = book.active
    header = [c.value for c in sheet[1]]
    assert header[-1] == "Причина" and sheet.max_row == 2
    assert sheet.cell(2, header.index("Дата проведения") + 1).value == BAD[1]
    sheet.cell(2, header.index("Дата проведения") + 1).value = FIXED_DATE
    fixed = tmp / name
    book.save(fixed)

    j.go("Обзор")
    before = log_totals(LOG)
    assert j.kpis() == plus(before, summary_totals(SUMMARY))
    j.step("overview_after_first_load")

    j.go("Загрузка")
    upload(j, fixed)
    assert main.get_by_text(re.compile("исправленные отклонённые строки пакета №1")).is_visible()
    j.step("fix_checked")
    commit(j)
    assert main.get_by_text(re.compile(r"пакет №5: загружено 1, пропущено 0, отклонено 0 из 1 строк")).is_visible()
    j.step("fix_committed")

    (tmp / "v2").mkdir()
    svod_v2 = summary_file(tmp / "v2" / "svod_2025.xlsx", SUMMARY_V2)
    upload(j, svod_v2)
    main.get_by_text(re.compile("Заменить пакет №2 «svod_2025.xlsx»")).click()
    j.settle()
    main.get_by_text(re.compile("Да, заменить пакет №2")).click()
    j.settle()
    j.step("replace_chosen")
    commit(j)
    assert main.get_by_text(re.compile(r"пакет №6: загружено 2.*Пакет №2 заменён")).is_visible()
    j.step("replaced")

    fixed_row = [13, None, "г. Астана", None, None, None, None, 44, 11, 0]
    j.go("Обзор")
    assert j.kpis() == plus(log_totals(LOG + [fixed_row]), summary_totals(SUMMARY_V2))
    j.step("overview_after_fix_and_replace")

    j.go("Пакеты")
    j.step("batches")
    picker = main.get_by_test_id("stSelectbox").first.locator("input")
    picker.click()
    j.page.get_by_role("option", name=re.compile("№5 · journal_2025_отклонённые")).click()
    j.settle()
    main.get_by_text(re.compile("Да, удалить пакет №5")).click()
    j.settle()
    main.get_by_role("button", name="Удалить пакет").click()
    j.settle()
    assert main.get_by_text("Пакет №5 «journal_2025_отклонённые.xlsx» удалён со всеми записями.").is_visible()
    picker.click()
    options = j.page.get_by_role("option").all_inner_texts()
    j.page.keyboard.press("Escape")
    j.settle()
    assert options and not any("№5" in o for o in options), options
    assert any("№6" in o for o in options)
    shown = main.get_by_test_id("stSelectbox").first.locator("input").input_value()
    assert shown.startswith("№6 · svod_2025.xlsx"), shown  # the box shows the batch the form below acts on
    j.step("batch_deleted")
    j.go("Обзор")
    assert j.kpis() == plus(log_totals(LOG), summary_totals(SUMMARY_V2))
    j.step("overview_after_delete")
    j.go("Качество данных")
    j.step("quality")
    assert j.outside == []
    j.close()


# ------------------------------------------------------------------------------------------------ 2. leader

TREND_TICKS = """() => { const gd = [...document.querySelectorAll('[data-testid="stMain"] .js-plotly-plot')]
    .find(p => p._fullLayout && p._fullLayout.xaxis && p._fullLayout.xaxis.type === 'date');
  if (!gd) return null;
  const bars = gd._fullData.filter(t => t.type === 'bar' && t.visible !== false)
    .reduce((n, t) => Math.max(n, (t.x || []).length), 0);
  const box = gd.getBoundingClientRect();
  const shown = [...gd.querySelectorAll('.xaxislayer-above .xtick text')].map(t => t.getBoundingClientRect())
    .filter(r => r.width > 0 && r.left >= box.left - 1 && r.right <= box.right + 1);
  return {bars, ticks: shown.length}; }"""

OVERLAPS = """() => { const out = [];
  for (const gd of document.querySelectorAll('[data-testid="stMain"] .js-plotly-plot')) {
    for (const axis of ['.yaxislayer-above .ytick text', '.xaxislayer-above .xtick text']) {
      const boxes = [...gd.querySelectorAll(axis)].map(t => t.getBoundingClientRect()).filter(b => b.width > 0);
      for (let i = 1; i < boxes.length; i++) {
        const a = boxes[i - 1], b = boxes[i];
        if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1)
          out.push(axis);
      }
    }
  }
  return out; }"""


def choose(j: Journey, selectbox, text: str) -> None:
    """Pick an option of a selectbox by typing it, as a keyboard user does."""
    field = selectbox.locator("input")
    for _ in range(3):  # a rerun that lands while the list is open closes it: then again
        field.click()
        field.fill(text)
        option = j.page.get_by_role("option", name=re.compile(re.escape(text))).first
        try:
            option.wait_for(timeout=10_000)
            field.press("Enter")
        except PlaywrightTimeout:
            field.press("Escape")
        j.settle()
        field.evaluate("e => e.blur()")  # typed text not taken as the choice goes back to the value on blur
        j.settle(quiet=300)
        if text in field.input_value():
            return
    raise AssertionError(f"could not choose {text!r}")


def map_ready(j: Journey) -> None:
    j.page.wait_for_function(
        """() => { const gd = document.querySelector('[data-testid="stMain"] .js-plotly-plot');
                   const m = gd && gd._fullLayout && gd._fullLayout.map && gd._fullLayout.map._subplot;
                   return m && m.map && m.map.loaded() && m.map.areTilesLoaded(); }""", timeout=90_000)


def click_map(j: Journey, lon: float, lat: float) -> None:
    j.main().get_by_test_id("stPlotlyChart").first.scroll_into_view_if_needed()
    x, y = j.page.evaluate(
        """([lon, lat]) => { const gd = document.querySelector('[data-testid="stMain"] .js-plotly-plot');
             const map = gd._fullLayout.map._subplot.map; const p = map.project([lon, lat]);
             const r = map.getCanvas().getBoundingClientRect(); return [r.left + p.x, r.top + p.y]; }""", [lon, lat])
    j.page.mouse.click(x, y)
    j.settle()


def click_bar(j: Journey, region_label: str) -> None:
    ranking = j.main().get_by_test_id("stPlotlyChart").nth(1)
    index = j.page.evaluate("""name => {
        const gd = document.querySelectorAll('[data-testid="stMain"] .js-plotly-plot')[1];
        return gd.data[0].y.indexOf(name); }""", region_label)
    assert index >= 0
    bar = ranking.locator("g.point path").nth(index)
    bar.scroll_into_view_if_needed()
    box = bar.bounding_box()
    j.page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    j.settle()


WORDS = {
    "ru": {"region": "Регион", "per_10k": "На 10 000 жителей", "quarter": "Квартал", "empty": "Нет данных",
           "astana": "город Астана", "months": "по месяцам"},
    "kk": {"region": "Өңір", "per_10k": "10 000 тұрғынға", "quarter": "Тоқсан", "empty": "деректер жоқ",
           "astana": "Астана қаласы", "months": "айлар бойынша"},
    "en": {"region": "Region", "per_10k": "Per 10,000 residents", "quarter": "Quarter", "empty": "No data",
           "astana": "Astana", "months": "by month"},
}
LANGUAGE_NAMES = {"ru": "Русский", "kk": "Қазақша", "en": "English"}


def leader_day(j: Journey, language: str = "ru") -> None:
    words = WORDS[language]
    j.open("", lang=LANGUAGE_NAMES[language])
    map_ready(j)
    assert j.kpis() == expected()
    trend = j.page.evaluate(TREND_TICKS)
    assert trend == {"bars": 12, "ticks": 12}, trend
    assert j.page.evaluate(OVERLAPS) == []
    j.step("overview")

    click_map(j, 73.3, 47.8)  # inside Karaganda region
    assert j.kpis() == expected({"KZ-35"})
    map_ready(j)
    j.step("map_clicked")
    click_map(j, 73.3, 47.8)  # again: all regions
    assert j.kpis() == expected()

    click_bar(j, words["astana"])
    assert j.kpis() == expected({"KZ-71"})
    j.step("bar_clicked")

    j.go(words["region"])
    assert j.kpis() == expected({"KZ-71"})
    caption = j.main().get_by_test_id("stCaptionContainer").first.inner_text()
    assert words["astana"].split()[0] in caption, caption  # the caption reads the sidebar's region
    assert j.page.evaluate(OVERLAPS) == []
    j.step("region_page")
    if language == "ru":
        j.main().get_by_text(words["months"], exact=True).count()

    j.go({"ru": "Обзор", "kk": "Шолу", "en": "Overview"}[language])
    j.main().get_by_test_id("stButtonGroup").first.get_by_text(words["per_10k"], exact=True).click()
    j.settle()
    map_ready(j)
    assert "metric=per_10k" in j.page.url
    j.step("per_10k")

    # an empty period: the quarter preset of a year without reports
    choose(j, j.sidebar().get_by_test_id("stSelectbox").first, "2026")
    j.sidebar().get_by_test_id("stButtonGroup").nth(1).get_by_text(words["quarter"], exact=True).click()
    j.settle()
    assert "period=2026-01-01" in urllib.parse.unquote(j.page.url)
    assert j.main().get_by_text(words["empty"]).first.is_visible()
    assert j.main().get_by_test_id("stPlotlyChart").count() == 0  # no axes «−1 0 1»
    j.step("empty_period")

    pages = [(words["region"], "region")]
    if language == "ru":
        pages += [("Таблица", "table"), ("Качество данных", "quality")]
    for title, slug in pages:  # every page of figures says the same, in words
        j.go(title)
        assert j.main().get_by_text(words["empty"]).first.is_visible()
        assert j.main().get_by_test_id("stPlotlyChart").count() == 0
        assert j.main().get_by_test_id("stDataFrame").count() == 0
        j.step(f"{slug}_empty_period")


def test_2_leader_overview_map_bar_region_per_10k_and_an_empty_period(browser, fresh):
    j = Journey(browser, fresh(LEADER), "2_leader")
    leader_day(j)
    # a link with the period reversed (end before start): said in words and read the right way, never zero
    j.open("", period=["2025-12-31", "2025-01-01"])
    assert j.sidebar().get_by_text(re.compile("Начало периода позже конца: показан период 01.01.2025 – "
                                              "31.12.2025")).is_visible()
    assert j.kpis() == expected()
    j.step("reversed_period")
    assert j.outside == []
    j.close()


# ------------------------------------------------------------------------------------------------ 3. sharing

def test_3_a_copied_link_opens_the_same_view_in_a_new_browser_context(browser, fresh):
    url = fresh(LEADER)
    j = Journey(browser, url, "3_sharing")
    j.open("region", regions="город Алматы", period=["2025-03-01", "2025-11-30"])
    j.main().get_by_test_id("stButtonGroup").first.get_by_text("Охват студентов", exact=True).click()
    j.settle()
    shown = j.kpis()
    caption = j.main().get_by_test_id("stCaptionContainer").first.inner_text()
    active = '[data-variant="segmented_control"][aria-checked="true"]'
    metric = j.main().locator(active).all_inner_texts()
    link = j.page.url
    assert "region_metric=students" in link
    j.step("view_to_share")
    rows = [r for r in LOG if CODES[r[2]] == "KZ-75" and date(2025, 3, 1) <= r[1] <= date(2025, 11, 30)]
    assert shown == log_totals(rows)

    other = Journey(browser, url, "3_sharing_opened")
    other.goto(link)
    assert other.kpis() == shown
    assert other.main().get_by_test_id("stCaptionContainer").first.inner_text() == caption
    assert other.page.url == link
    assert other.main().locator(active).all_inner_texts() == metric == ["Охват студентов"]
    other.step("opened_elsewhere")
    assert j.outside == [] and other.outside == []
    other.close()
    j.close()


# ------------------------------------------------------------------------------------------------ 4. exports

def read_csv(data: bytes, delimiter: str) -> tuple[list[list[str]], list[dict]]:
    text = data.decode("utf-8-sig")
    head, table = text.split("\r\n\r\n", 1)
    filters = list(csv.reader(io.StringIO(head), delimiter=delimiter))
    return filters, list(csv.DictReader(io.StringIO(table), delimiter=delimiter))


def test_4_exports_hold_the_rows_and_filters_of_the_screen(browser, fresh):
    from openpyxl import load_workbook

    j = Journey(browser, fresh(LEADER), "4_exports")
    j.open("table", regions=["Карагандинская область", "город Астана"], period=["2025-02-01", "2025-10-31"])
    rows = [r for r in LOG if CODES[r[2]] in {"KZ-35", "KZ-71"} and date(2025, 2, 1) <= r[1] <= date(2025, 10, 31)]
    count = j.main().get_by_text(re.compile(r"Записей по фильтрам: \d+")).inner_text()
    assert digits(count) == len(rows)
    j.step("table")
    screen_filters = j.main().get_by_test_id("stCaptionContainer").first.inner_text()

    _, plain = j.download("Скачать CSV")
    filters, table = read_csv(plain, ",")
    assert filters[0][0] == "Период" and "01.02.2025" in filters[0][1] and "31.10.2025" in filters[0][1]
    # the five filters read as the page's own line says them, then the row count of the table on screen
    assert " · ".join(f"{name}: {value}" for name, value in filters[:5]) == screen_filters
    assert dict(filters)["Строк в выгрузке"] == str(len(rows)) == str(len(table))
    assert sorted(int(r["Охват (всего)"]) for r in table) == sorted(r[7] for r in rows)

    name, excel_csv = j.download("CSV для Excel (;)")
    filters_excel, table_excel = read_csv(excel_csv, ";")
    assert filters_excel == filters and len(table_excel) == len(rows)
    assert sorted(int(r["Охват (всего)"]) for r in table_excel) == sorted(r[7] for r in rows)

    name, xlsx = j.download("Скачать Excel")
    assert name.endswith(".xlsx")
    book = load_workbook(io.BytesIO(xlsx), read_only=True)
    body = list(book["Данные"].iter_rows(values_only=True))
    header, body = body[0], body[1:]
    assert len(body) == len(rows)
    assert sorted(r[header.index("Охват (всего)")] for r in body) == sorted(r[7] for r in rows)
    sheet_filters = {k: v for k, v, *_ in book["Фильтры"].iter_rows(values_only=True)}
    assert sheet_filters["Период"] == filters[0][1] and sheet_filters["Регионы"] == filters[1][1]
    j.step("after_downloads")
    assert j.outside == []
    j.close()


# ------------------------------------------------------------------------------------------------ 5. languages

@pytest.mark.parametrize("language", ["kk", "en"])
def test_5_the_leader_day_in_kazakh_and_english(browser, fresh, language):
    j = Journey(browser, fresh(LEADER), f"5_leader_{language}", width=1500, height=900, language=language)
    leader_day(j, language)
    assert j.outside == []
    j.close()


# ------------------------------------------------------------------------------------------------ 6. admin

PASSWORD = "Tulip-Balkhash-Lake-31"


def users_cli(db_path: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "prevention.users", "--db", str(db_path), "--password-stdin",
                           "--user", "root", *args], input=PASSWORD + "\n", capture_output=True, text=True,
                          cwd=PROJECT, timeout=60)


def test_6a_admin_creates_accounts_from_the_cli_while_the_server_runs(browser, fresh):
    url = fresh()
    db_path = fresh.tmp / "journey_0.duckdb"
    result = users_cli(db_path, "create-admin", "boss")
    if result.returncode != 0:
        assert "занята другим процессом" in result.stderr or "lock" in result.stderr.lower(), result.stderr
        pytest.xfail("CLI beside server: reliability branch")
    assert users_cli(db_path, "add", "reader", "--role", "viewer").returncode == 0
    j = Journey(browser, url, "6a_cli_accounts")
    j.open()
    assert j.main().locator("input[type=password]").count() == 1  # the running server sees the new accounts
    j.step("sign_in_screen")
    sign_in(j, "boss")
    assert j.page.get_by_test_id("stSidebarNav").get_by_text("Журнал аудита").is_visible()
    j.go("Журнал аудита")
    j.step("admin_audit")
    j.close()


def with_accounts(path: Path) -> None:
    from prevention.storage import db
    from prevention.storage.accounts import create_user

    con = db.connect(path)
    for name, role in (("boss", "admin"), ("analyst1", "analyst"), ("reader", "viewer")):
        create_user(con, name, PASSWORD, role)
    con.close()


def sign_in(j: Journey, name: str, password: str = PASSWORD) -> None:
    j.main().locator("input[type=text]").fill(name)
    j.main().locator("input[type=password]").fill(password)
    j.main().get_by_role("button", name="Войти").click()
    j.settle()


def test_6b_roles_and_the_audit_log_of_the_day(browser, fresh):
    url = fresh(LEADER, then=with_accounts)
    tmp = fresh.tmp
    viewer = Journey(browser, url, "6b_viewer")
    viewer.open("upload")
    sign_in(viewer, "reader", "wrong-password-1")  # the audit log says why, in words
    sign_in(viewer, "reader")
    assert viewer.main().get_by_text("Недостаточно прав.").is_visible()
    assert viewer.page.get_by_test_id("stFileUploaderDropzoneInput").count() == 0
    viewer.step("upload_refused")
    viewer.open("batches")
    sign_in(viewer, "reader")
    assert viewer.main().get_by_text("Недостаточно прав.").is_visible()
    viewer.step("batches_refused")
    viewer.open("table")
    sign_in(viewer, "reader")
    viewer.download("Скачать CSV")
    viewer.step("viewer_exported")
    viewer.close()

    analyst = Journey(browser, url, "6b_analyst")
    analyst.open("upload")
    sign_in(analyst, "analyst1")
    svod = summary_file(tmp / "svod_2025.xlsx", SUMMARY)
    upload(analyst, svod)
    commit(analyst)
    analyst.step("uploaded")
    (tmp / "v2").mkdir()
    upload(analyst, summary_file(tmp / "v2" / "svod_2025.xlsx", SUMMARY_V2))
    analyst.main().get_by_text(re.compile("Заменить пакет №4")).click()
    analyst.settle()
    analyst.main().get_by_text(re.compile("Да, заменить пакет №4")).click()
    analyst.settle()
    commit(analyst)
    analyst.step("replaced")
    analyst.go("Пакеты")
    analyst.main().get_by_text(re.compile("Да, удалить пакет")).click()
    analyst.settle()
    analyst.main().get_by_role("button", name="Удалить пакет").click()
    analyst.settle()
    analyst.step("deleted")
    analyst.close()

    admin = Journey(browser, url, "6b_admin")
    admin.open()
    sign_in(admin, "boss")
    admin.go("Журнал аудита")
    _, data = admin.download("Скачать CSV")
    log = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    done = {(r["Кто"], r["Действие"]) for r in log}
    assert {("reader", "вход"), ("reader", "выгрузка"), ("analyst1", "загрузка"), ("analyst1", "замена"),
            ("analyst1", "удаление")} <= done, done
    assert ("reader", "неудачный вход") in done
    admin.step("audit")
    admin.go("Пакеты")  # the batch journal: in words, no JSON
    admin.main().get_by_text(re.compile("Журнал действий")).click()
    admin.settle()
    admin.step("batch_journal")
    admin.go("Качество данных")
    admin.step("quality")
    admin.close()
