"""Sign-in, roles and languages in a real browser (Debian's chromium through Playwright), on a closed network.

One Streamlit server per module on a temporary database with the fixture rows and three accounts. Every request that
does not go to 127.0.0.1 is aborted and recorded; each test asserts that none was attempted. A direct link to the
upload page gives a viewer «Недостаточно прав» and no uploader; the interface switches to Kazakh and English;
exports land in the audit log; and the password typed in the browser reaches neither the server's log nor the
database file. Screenshots go to artifacts/screenshots/auth_*.png.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from prevention.storage import db
from prevention.storage.accounts import create_user
from tests.browser.harness import (
    CHROMIUM,
    SCREENSHOTS,
    OfflineTab,
    checked,
    settle,
    start_server,
    stop,
)

PASSWORD = "Tulip-Balkhash-Lake-31"
WRONG = "Tulip-Balkhash-Lake-13"

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(),
                                reason=f"{CHROMIUM} is not installed (apt-get install chromium)")


def with_accounts(path: Path) -> Path:
    con = db.connect(path)
    create_user(con, "viewer1", PASSWORD, "viewer", display_name="Бауыржан Viewer")
    create_user(con, "admin1", PASSWORD, "admin")
    con.close()
    return path


@pytest.fixture(scope="module")
def server(tmp_path_factory, db_builder):
    tmp = tmp_path_factory.mktemp("auth_browser")
    proc, url = start_server(with_accounts(db_builder(tmp / "dashboard.duckdb")), tmp / "server.log")
    yield url
    stop(proc)


class Tab(OfflineTab):
    """A browser tab that records (and refuses) every request leaving 127.0.0.1."""

    def __init__(self, browser, base_url: str):
        super().__init__(browser, base_url, width=1400, height=900)

    def open(self, path: str = "") -> None:
        self.page.goto(f"{self.base_url}/{path}")
        self.page.wait_for_selector('[data-testid="stMain"] h1', timeout=60_000)
        self.settle()

    def settle(self) -> None:
        """Wait until the last interaction's script run has finished and the page stopped changing."""
        settle(self.page)

    def sign_in(self, name: str, password: str = PASSWORD, button: str = "Войти") -> None:
        main = self.page.get_by_test_id("stMain")
        main.locator("input[type=text]").fill(name)
        main.locator("input[type=password]").fill(password)
        main.get_by_role("button", name=button).click()
        self.settle()

    def heading(self) -> str:
        return self.page.locator('[data-testid="stMain"] h1').first.inner_text().strip()

    def nav(self) -> list[str]:
        """The page titles in the sidebar (a link's text also holds its icon's ligature name on a line before)."""
        return [t.strip().splitlines()[-1] for t in self.page.get_by_test_id("stSidebarNav").get_by_test_id(
            "stSidebarNavLink").all_inner_texts()]

    def language(self, name: str) -> None:
        self.page.get_by_test_id("stSidebar").get_by_test_id("stButtonGroup").first.get_by_text(
            name, exact=True).click()
        self.settle()

    def shot(self, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        self.page.screenshot(path=str(path))
        return path

    def download(self, label: str) -> str:
        with self.page.expect_download(timeout=60_000) as info:
            self.page.get_by_role("button", name=label).first.click()
        return Path(info.value.path()).read_bytes().decode("utf-8-sig")


@pytest.fixture
def tab(browser, server):
    yield from checked(Tab(browser, server))


# ------------------------------------------------------------------------------------------------

def test_a_viewer_signs_in_and_a_direct_link_to_the_upload_page_is_refused(tab):
    tab.open()
    assert tab.heading() == "Вход"
    assert tab.page.get_by_test_id("stSidebarNav").count() == 0  # no page list before signing in
    tab.shot("auth_sign_in")
    tab.sign_in("viewer1", WRONG)
    assert tab.page.get_by_text("Неверное имя пользователя или пароль, либо вход временно закрыт.",
                                exact=False).is_visible()
    tab.sign_in("viewer1")
    assert tab.heading() == "Обзор"
    assert tab.nav() == ["Обзор", "Регион", "Таблица"]
    assert tab.page.get_by_text("Вы вошли как").is_visible()

    tab.open("upload")  # a new browser session: sign in again, then the page of the link
    assert tab.heading() == "Вход"
    tab.sign_in("viewer1")
    assert tab.heading() == "Загрузка"
    assert tab.page.get_by_text("Недостаточно прав.").is_visible()
    assert tab.page.get_by_test_id("stFileUploader").count() == 0
    assert tab.page.get_by_test_id("stFileUploaderDropzoneInput").count() == 0
    assert tab.nav() == ["Обзор", "Регион", "Таблица"]
    tab.shot("auth_viewer_upload_denied")


def test_the_interface_switches_to_kazakh_and_english_and_keeps_the_choice_in_the_link(tab):
    tab.open()
    tab.sign_in("viewer1")
    tab.language("Қазақша")
    assert tab.nav() == ["Шолу", "Өңір", "Кесте"]
    assert tab.page.get_by_text("ретінде кірдіңіз").is_visible()
    assert "lang=" in tab.page.url
    tab.shot("auth_viewer_kk")
    tab.language("English")
    assert tab.nav() == ["Overview", "Region", "Table"]
    assert tab.page.get_by_text("Signed in as").is_visible()
    assert "lang=English" in tab.page.url
    tab.shot("auth_viewer_en")
    link = tab.page.url  # a link opened later shows the sign-in form in English
    tab.page.goto("about:blank")
    tab.page.goto(link)
    tab.page.wait_for_selector('[data-testid="stMain"] h1', timeout=60_000)
    tab.settle()
    assert tab.heading() == "Sign in"
    tab.sign_in("viewer1", button="Sign in")
    assert tab.nav() == ["Overview", "Region", "Table"]
    tab.language("Русский")  # remembered for the account: the other tests sign in to a Russian interface
    assert tab.nav() == ["Обзор", "Регион", "Таблица"]


def test_an_export_by_the_viewer_appears_in_the_admins_audit_log(browser, server):
    viewer = Tab(browser, server)
    viewer.open("table")
    viewer.sign_in("viewer1")
    assert viewer.heading() == "Таблица"
    filters, table = viewer.download("Скачать CSV").split("\r\n\r\n", 1)  # the filters, a blank line, the table
    rows = table.strip().count("\n")
    assert rows > 0 and filters.startswith("Период,")
    assert viewer.outside == [], viewer.outside
    viewer.close()

    admin = Tab(browser, server)
    admin.open()
    admin.sign_in("admin1")
    assert admin.nav() == ["Обзор", "Регион", "Таблица", "Загрузка", "Пакеты", "Качество данных", "Пользователи",
                           "Журнал аудита"]
    admin.page.get_by_test_id("stSidebarNav").get_by_text("Журнал аудита").click()
    admin.settle()
    assert admin.heading() == "Журнал аудита"
    admin.shot("auth_admin_audit")
    log = list(csv.DictReader(io.StringIO(admin.download("Скачать CSV"))))
    exports = [r for r in log if r["Действие"] == "выгрузка" and r["Кто"] == "viewer1"]
    assert len(exports) == 1 and f"Строк: {rows}" in exports[0]["Подробности"]
    assert {"вход", "неудачный вход"} <= {r["Действие"] for r in log}
    assert PASSWORD not in "".join(r["Подробности"] for r in log)
    admin.page.get_by_test_id("stSidebarNav").get_by_text("Пользователи").click()
    admin.settle()
    admin.shot("auth_admin_users")
    assert admin.outside == [], admin.outside
    admin.close()


def test_the_password_reaches_neither_the_server_log_nor_the_database_file(browser, tmp_path, db_builder):
    path = with_accounts(db_builder(tmp_path / "secret.duckdb"))
    log = tmp_path / "server.log"
    proc, url = start_server(path, log)
    try:
        tab = Tab(browser, url)
        tab.open()
        tab.sign_in("viewer1", WRONG)
        tab.sign_in("viewer1")
        assert tab.heading() == "Обзор"
        tab.page.get_by_test_id("stSidebar").get_by_role("button", name="Выйти").click()
        tab.settle()
        assert tab.heading() == "Вход" and tab.outside == []
        tab.close()
    finally:
        stop(proc)
    con = db.connect(path)
    con.execute("CHECKPOINT")
    audit = con.execute("SELECT username, action, details FROM audit_log ORDER BY audit_id").fetchall()
    con.close()
    assert [(u, a) for u, a, _ in audit] == [("viewer1", "sign-in-failed"), ("viewer1", "sign-in"),
                                             ("viewer1", "sign-out")]
    stored = path.read_bytes()
    wal = path.with_suffix(".duckdb.wal")
    stored += wal.read_bytes() if wal.exists() else b""
    text = log.read_text(encoding="utf-8", errors="replace")
    for secret in (PASSWORD, WRONG):
        assert secret not in text
        assert secret not in " ".join(d for _, _, d in audit)
        assert secret.encode() not in stored and secret.encode("utf-16-le") not in stored
