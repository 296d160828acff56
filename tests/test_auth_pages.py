"""Sign-in, roles, the Users and Audit log pages and the language switch, driven through AppTest on real DuckDB files:
the anonymous screen, exactly the pages each role may open, a stale link to a page the role may not open, lock-out,
uploads and deletions logged with the signed-in user, local mode and its refusal on an open address, OpenID Connect
mapped by e-mail, and a password that never reaches the database file or the audit log."""
from __future__ import annotations

import json
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from streamlit import config
from streamlit.testing.v1 import AppTest

from prevention.app.session.auth import exposed
from prevention.app.session.oidc import oidc_account, oidc_providers
from prevention.storage import audit, db
from prevention.storage.accounts import MAX_FAILURES, create_user, update_user
from tests.conftest import build_db, delete_on_page
from tests.workbooks import KARAGANDA_JUNE_2025, event_log

PROJECT = Path(__file__).resolve().parent.parent
PASSWORD = "Sunflower-Steppe-2025"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PAGES = ["overview", "region", "table", "upload", "batches", "quality", "users", "audit"]
ROLE_PAGES = {
    "viewer": ["overview", "region", "table"],
    "analyst": ["overview", "region", "table", "upload", "batches", "quality"],
    "admin": PAGES,
}
DENIED = "Недостаточно прав"
OIDC = {"redirect_uri": "http://127.0.0.1:8501/oauth2callback", "cookie_secret": "test-only-not-a-secret",
        "client_id": "dashboard", "client_secret": "test-only",
        "server_metadata_url": "https://sso.example.kz/.well-known/openid-configuration"}


@pytest.fixture
def database(tmp_path, monkeypatch) -> Path:
    path = build_db(tmp_path / "prevention.duckdb", population=False)
    monkeypatch.setenv("PREVENTION_DB", str(path))
    return path


@pytest.fixture
def accounts(database) -> Path:
    con = db.connect(database)
    create_user(con, "viewer1", PASSWORD, "viewer", email="viewer@example.kz")
    create_user(con, "analyst1", PASSWORD, "analyst", email="Analyst@Example.kz")
    create_user(con, "aliya", PASSWORD, "analyst", email="aliya@example.kz", language="kk")
    create_user(con, "admin1", PASSWORD, "admin", display_name="Айгерим Сапарова")
    con.close()
    return database


def sql(path: Path, query: str, params: list | None = None) -> list[tuple]:
    con = db.connect(path)
    try:
        return con.execute(query, params or []).fetchall()
    finally:
        con.close()


def app(**query) -> AppTest:
    """The dashboard after its first two runs. AppTest starts every session in Streamlit's legacy pages/ mode;
    the first run settles on the page st.navigation picks, and a widget changed before the second run would be
    taken for a change on another page and dropped (a browser keeps its page, so it never sees this)."""
    at = AppTest.from_file(str(PROJECT / "dashboard.py"), default_timeout=60)
    at.query_params.update(query)
    return at.run().run()


def sign_in(at: AppTest, name: str, password: str = PASSWORD) -> AppTest:
    at.text_input(key="signin_username").input(name)
    at.text_input(key="signin_password").input(password)
    at.button(key="sign_in_submit").click().run()
    assert not at.exception, at.exception
    return at


def opens(at: AppTest, page: str) -> bool:
    """True when st.navigation registered pages/<page>.py for this session (so it can be opened)."""
    try:
        at.switch_page(f"prevention/app/views/{page}.py")
    except ValueError:
        return False
    return True


def shown(markdown: str) -> str:
    """What a person reads: user values are backslash-escaped for markdown (prevention.app.components.safe)."""
    return re.sub(r"\\(.)", r"\1", markdown).replace("\u200b", "")


def errors(at: AppTest) -> str:
    return "\n".join(shown(e.value) for e in at.error)


REFUSED = ("Неверное имя пользователя или пароль, либо вход временно закрыт. После 5 неудачных попыток подряд вход "
           "закрывается на 15 минут; если не получается войти, обратитесь к администратору.")


# --- who sees what --------------------------------------------------------------------------------

def test_an_anonymous_visitor_sees_only_the_sign_in_form(accounts):
    at = app()
    assert not at.exception
    assert [t.value for t in at.title] == ["Вход"]
    assert [w.key for w in at.text_input] == ["signin_username", "signin_password"]
    assert [b.key for b in at.button] == ["sign_in_submit"]
    assert [w.key for w in at.button_group] == ["lang"]  # the language switch, nothing else
    assert not at.multiselect and not at.date_input and not at.metric and not at.dataframe
    assert not at.info  # no local-mode banner once accounts exist
    assert not any(opens(at, page) for page in PAGES)
    assert "username" not in at.session_state


@pytest.mark.parametrize("role", ["viewer", "analyst", "admin"])
def test_each_role_gets_exactly_its_pages(accounts, role):
    at = sign_in(app(), f"{role}1")
    assert at.session_state["username"] == f"{role}1"
    assert [page for page in PAGES if opens(at, page)] == ROLE_PAGES[role]
    for page in ROLE_PAGES[role]:
        at.switch_page(f"prevention/app/views/{page}.py").run()
        assert not at.exception, (page, at.exception)
        assert DENIED not in errors(at), page


def test_a_stale_link_to_the_upload_page_shows_no_uploader_to_a_viewer(accounts):
    at = sign_in(app(), "admin1")
    at.switch_page("prevention/app/views/upload.py").run()
    assert len(at.file_uploader) == 1
    at.button(key="sign_out").click().run()
    assert [t.value for t in at.title] == ["Вход"] and not at.file_uploader
    sign_in(at, "viewer1")  # the session is still on /upload
    assert [t.value for t in at.title] == ["Загрузка"]
    assert DENIED in errors(at) and "«аналитик»" in errors(at) and "«читатель»" in errors(at)
    assert not at.file_uploader and not at.data_editor and not at.download_button
    assert [(u, a) for u, a, _ in sql(accounts, "SELECT username, action, details FROM audit_log ORDER BY audit_id")] \
        == [("admin1", "sign-in"), ("admin1", "sign-out"), ("viewer1", "sign-in")]


def test_the_page_guard_stops_a_page_for_a_role_below_it():
    script = """
import streamlit as st
from prevention.storage.accounts import User
from prevention.app.session import auth
from prevention.app.session.i18n import lang
st.session_state["_auth_user"] = User("v", "viewer", None, None, "ru")
auth.require("analyst")
st.file_uploader("never drawn")
"""
    at = AppTest.from_string(script, default_timeout=30).run()
    assert DENIED in errors(at) and not at.file_uploader


# --- sign-in ----------------------------------------------------------------------------------------

def test_five_failures_lock_the_account_and_the_sixth_try_with_the_right_password_is_refused(accounts):
    at = app()
    for attempt in range(1, MAX_FAILURES + 1):
        sign_in(at, "viewer1", f"wrong-password-{attempt}")
        assert errors(at) == REFUSED, attempt  # the same words whatever the reason: no hint which names exist
    sign_in(at, "viewer1", PASSWORD)
    assert errors(at) == REFUSED
    until = sql(accounts, "SELECT locked_until FROM app_user WHERE username = 'viewer1'")[0][0]
    assert until is not None and f"{until:%H:%M}" not in errors(at)
    assert [t.value for t in at.title] == ["Вход"] and "username" not in at.session_state
    log = sql(accounts, "SELECT username, action, details FROM audit_log ORDER BY audit_id")
    assert [(u, a) for u, a, _ in log] == [("viewer1", "sign-in-failed")] * (MAX_FAILURES + 1)
    assert [json.loads(d)["reason"] for _, _, d in log] == ["bad-credentials"] * 4 + ["locked", "locked"]


def test_an_inactive_account_and_an_unknown_name_are_refused_in_words(accounts):
    con = db.connect(accounts)
    update_user(con, "viewer1", active=False)
    con.close()
    at = sign_in(app(), "viewer1")
    assert errors(at) == REFUSED  # not «disabled»: the screen never says which names exist
    sign_in(at, "nobody", PASSWORD)
    assert errors(at) == REFUSED
    log = sql(accounts, "SELECT username, details FROM audit_log ORDER BY audit_id")
    # an unknown name is not stored: it could be a password typed into the wrong field
    assert [(u, json.loads(d)["reason"]) for u, d in log] == [("viewer1", "inactive"), (None, "unknown-user")]


def test_a_deactivated_user_is_signed_out_on_the_next_run(accounts):
    at = sign_in(app(), "viewer1")
    assert [t.value for t in at.title] == ["Обзор"]
    con = db.connect(accounts)
    update_user(con, "viewer1", active=False)
    con.close()
    at.run()
    assert [t.value for t in at.title] == ["Вход"]


def test_uploads_and_deletions_are_logged_with_the_signed_in_analyst(tmp_path, accounts):
    data = event_log(tmp_path / "karaganda.xlsx", KARAGANDA_JUNE_2025).read_bytes()
    at = sign_in(app(), "analyst1")
    at.switch_page("prevention/app/views/upload.py").run()
    at.file_uploader[0].set_value([("karaganda.xlsx", data, XLSX)]).run()
    at.button(key="commit").click().run()
    assert not at.exception, at.exception
    assert sql(accounts, "SELECT batch_id, loaded_by FROM batch ORDER BY batch_id DESC LIMIT 1") == [(2, "analyst1")]
    at.switch_page("prevention/app/views/batches.py").run()
    at.selectbox(key="batch_pick").set_value(2).run()
    delete_on_page(at, 2)
    assert not at.exception, at.exception
    log = sql(accounts, "SELECT username, action, details FROM audit_log ORDER BY audit_id")
    assert [(u, a) for u, a, _ in log] == [("analyst1", "sign-in"), ("analyst1", "upload"), ("analyst1", "delete")]
    assert json.loads(log[1][2])["batch_id"] == 2 and json.loads(log[2][2])["batch_id"] == 2


@pytest.fixture
def downloads(monkeypatch) -> dict:
    """file name -> the deferred callable of every download button drawn; the test calls it the way Streamlit
    does when the button is clicked (outside the script run, without session state)."""
    from streamlit.runtime.media_file_manager import MediaFileManager

    built: dict = {}
    original = MediaFileManager.add_deferred

    def record(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
        built[file_name] = data_callable
        return original(self, data_callable, mimetype, coordinates, file_name, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", record)
    return built


def test_a_table_export_is_logged_with_the_viewer_its_filters_and_row_count(accounts, activity_rows, downloads):
    at = sign_in(app(regions="Карагандинская область"), "viewer1")
    at.switch_page("prevention/app/views/table.py").run()
    assert not at.exception, at.exception
    csv_name = next(name for name in downloads if name.endswith(".csv") and "_excel" not in name)
    data = downloads[csv_name]()
    expected = [r for r in activity_rows if r["region_code"] == "KZ-35" and r["period_start"].year == 2025]
    filters, table = data.decode("utf-8-sig").split("\r\n\r\n", 1)
    assert "Карагандинская область" in filters  # the file says which filters made it
    assert table.strip().count("\n") == len(expected)
    user, action, details = sql(accounts, "SELECT username, action, details FROM audit_log ORDER BY audit_id")[-1]
    assert (user, action) == ("viewer1", "export")
    assert json.loads(details) == {"format": "csv", "rows": len(expected), "filters": {
        "date_from": "2025-01-01", "date_to": "2025-12-31", "regions": ["KZ-35"], "event_types": [],
        "audiences": [], "organizers": []}}


# --- local mode and its refusal -----------------------------------------------------------------------

def test_without_accounts_the_local_user_is_an_admin_and_a_banner_says_so(database):
    at = app()
    assert not at.exception
    banner = "\n".join(i.value for i in at.info)
    assert "Локальный режим для одного пользователя" in banner
    assert "python -m prevention.users create-admin ИМЯ" in banner
    assert at.session_state["username"] == "local"
    assert [page for page in PAGES if opens(at, page)] == PAGES
    assert not any(b.key == "sign_out" for b in at.button)


def test_in_local_mode_the_first_account_made_on_the_users_page_is_an_admin_and_sign_in_begins(database):
    at = app()
    at.switch_page("prevention/app/views/users.py").run()
    assert "Учётных записей пока нет." in "\n".join(i.value for i in at.info)
    assert at.selectbox(key="new_role").value == "admin" and at.selectbox(key="new_role").disabled
    at.text_input(key="new_username").input("first.admin")
    at.text_input(key="new_password").input(PASSWORD)
    at.text_input(key="new_password_repeat").input(PASSWORD)
    at.button(key="add_user_submit").click().run()
    assert [t.value for t in at.title] == ["Вход"]  # accounts exist now: local mode is over
    assert sql(database, "SELECT username, role FROM app_user") == [("first.admin", "admin")]
    assert sql(database, "SELECT username, action FROM audit_log") == [("local", "user-change")]
    sign_in(at, "first.admin")
    assert [page for page in PAGES if opens(at, page)] == PAGES


@pytest.mark.parametrize("address", ["0.0.0.0", "192.168.1.20", "::"])
def test_an_open_address_without_accounts_is_refused(database, address):
    previous = config.get_option("server.address")
    config.set_option("server.address", address)
    try:
        at = app()
    finally:
        config.set_option("server.address", previous)
    assert not at.exception
    assert [t.value for t in at.title] == ["Дашборд не открыт: нет учётных записей"]
    assert f"Сервер слушает адрес **{address}**" in errors(at)
    assert [c.value for c in at.code] == [".venv/bin/python -m prevention.users create-admin ИМЯ"]
    assert not any(opens(at, page) for page in PAGES)
    assert not at.multiselect and not at.metric and "username" not in at.session_state


def test_an_open_address_with_accounts_asks_for_a_password(accounts):
    previous = config.get_option("server.address")
    config.set_option("server.address", "0.0.0.0")
    try:
        at = app()
    finally:
        config.set_option("server.address", previous)
    assert [t.value for t in at.title] == ["Вход"]


def test_which_addresses_count_as_this_computer_only():
    assert [exposed(a) for a in ["127.0.0.1", "localhost", "::1", "[::1]", " LOCALHOST "]] == [False] * 5
    assert [exposed(a) for a in ["0.0.0.0", "::", "10.0.0.5", "dashboard.example.kz"]] == [True] * 4
    assert exposed(None) and exposed("")  # unset: every interface
    assert not exposed(None, serving=False)  # AppTest: nothing listens


# --- OpenID Connect ------------------------------------------------------------------------------------

def test_openid_connect_providers_are_read_from_the_auth_section():
    assert oidc_providers({}) == [] and oidc_providers(None) == []
    assert oidc_providers(OIDC) == [None]
    named = {"redirect_uri": OIDC["redirect_uri"], "cookie_secret": "x",
             "keycloak": {"client_id": "a", "client_secret": "b", "server_metadata_url": "https://k/x"},
             "entra": {"client_id": "c", "client_secret": "d", "server_metadata_url": "https://e/x"}}
    assert oidc_providers(named) == ["keycloak", "entra"]
    assert oidc_providers({k: v for k, v in OIDC.items() if k != "cookie_secret"}) == []


def test_an_openid_identity_maps_to_an_account_by_e_mail(accounts):
    con = db.connect(accounts)
    try:
        mapped = oidc_account(con, {"is_logged_in": True, "email": " ANALYST@example.kz "})
        assert mapped.user.username == "analyst1" and mapped.user.role == "analyst"
        assert oidc_account(con, {"is_logged_in": True, "email": "stranger@example.kz"}).reason == "no-account"
        assert oidc_account(con, {"is_logged_in": True}).reason == "no-email"
        assert oidc_account(con, {"is_logged_in": False, "email": "viewer@example.kz"}).reason == "not-signed-in"
        unverified = {"is_logged_in": True, "email": "viewer@example.kz", "email_verified": False}
        assert oidc_account(con, unverified).reason == "unverified-email"
        update_user(con, "viewer1", active=False)
        assert oidc_account(con, {"is_logged_in": True, "email": "viewer@example.kz"}).reason == "inactive"
    finally:
        con.close()


def oidc_app(user: dict) -> AppTest:
    at = AppTest.from_file(str(PROJECT / "dashboard.py"), default_timeout=60)
    at.secrets["auth"] = OIDC
    at.user = user
    return at.run()


def test_with_openid_connect_a_known_e_mail_gets_its_role(accounts):
    at = oidc_app({"is_logged_in": True, "email": "analyst@example.kz", "name": "Analyst"})
    assert not at.exception, at.exception
    assert at.session_state["username"] == "analyst1"
    assert [page for page in PAGES if opens(at, page)] == ROLE_PAGES["analyst"]
    at.switch_page("prevention/app/views/upload.py").run()
    assert len(at.file_uploader) == 1
    log = sql(accounts, "SELECT username, action, details FROM audit_log")
    assert [(u, a, json.loads(d)["method"]) for u, a, d in log] == [("analyst1", "sign-in", "oidc")]  # once


def test_with_openid_connect_the_account_language_applies_from_the_first_page(accounts):
    at = oidc_app({"is_logged_in": True, "email": "Aliya@Example.kz"})
    assert at.session_state["username"] == "aliya" and at.session_state["lang"] == "kk"
    assert "Сіз **aliya** ретінде кірдіңіз (талдаушы)" in [c.value for c in at.caption]


def test_with_openid_connect_an_unknown_e_mail_has_no_access(accounts):
    at = oidc_app({"is_logged_in": True, "email": "stranger@example.kz"})
    assert not at.exception
    assert "нет доступа к дашборду: обратитесь к администратору" in errors(at)
    assert not any(opens(at, page) for page in PAGES) and "username" not in at.session_state
    assert sql(accounts, "SELECT username, action FROM audit_log") == [(None, "sign-in-failed")]


def test_with_openid_connect_configured_there_is_no_password_form(accounts):
    at = oidc_app({})
    assert not at.text_input and [t.value for t in at.title] == ["Вход"]


# --- language -------------------------------------------------------------------------------------------

def test_the_language_of_the_account_applies_at_sign_in(accounts):
    at = sign_in(app(), "aliya")  # aliya prefers Kazakh
    assert at.session_state["lang"] == "kk"
    assert "Сіз **aliya** ретінде кірдіңіз (талдаушы)" in [c.value for c in at.caption]
    assert "Шығу" in [b.label for b in at.button]
    # Further runs of this AppTest stop at the sidebar's filters: AppTest calls their translated format_func
    # outside the script run, where the session's language is unknown (see the report); the browser test
    # switches languages on the real server.


def test_a_language_chosen_before_signing_in_is_kept(accounts):
    at = app()
    at.button_group(key="lang").set_value("en").run()
    assert [t.value for t in at.title] == ["Sign in"]
    sign_in(at, "viewer1")  # viewer1's account says Russian, but this visit chose English
    assert at.session_state["lang"] == "en"
    assert "Signed in as **viewer1** (viewer)" in [c.value for c in at.caption]
    assert sql(accounts, "SELECT language FROM app_user WHERE username = 'viewer1'") == [("ru",)]


def test_switching_the_language_while_signed_in_is_remembered_for_the_account(accounts):
    script = """
import streamlit as st
from prevention.app.session import auth
from prevention.app.session.i18n import lang
st.session_state.setdefault("_auth_account", "viewer1")
auth.language_switch()
st.write(lang())
"""
    at = AppTest.from_string(script, default_timeout=30).run()
    at.button_group(key="lang").set_value("kk").run()
    assert [m.value for m in at.markdown] == ["kk"]
    assert sql(accounts, "SELECT language FROM app_user WHERE username = 'viewer1'") == [("kk",)]


def test_the_sign_in_form_speaks_the_language_of_the_link(accounts):
    at = app(lang="English")  # a bound switch keeps its label in the link
    assert [t.value for t in at.title] == ["Sign in"]
    assert [w.label for w in at.text_input] == ["Username", "Password"]
    sign_in(at, "viewer1", "wrong-password")
    assert errors(at).startswith("Wrong user name or password, or signing in is closed for now.")
    at = app(lang="Қазақша")
    assert [t.value for t in at.title] == ["Кіру"]


# --- the Users page ----------------------------------------------------------------------------------------

def admin_on(page: str, accounts_path: Path) -> AppTest:
    at = sign_in(app(), "admin1")
    at.switch_page(f"prevention/app/views/{page}.py").run()
    assert not at.exception, at.exception
    return at


def test_an_admin_adds_a_user_changes_the_role_deactivates_and_resets_the_password(accounts):
    at = admin_on("users", accounts)
    new_password = "Karaganda-Lecture-77"
    at.text_input(key="new_username").input("dana")
    at.text_input(key="new_email").input("Dana@Example.kz")
    at.selectbox(key="new_role").set_value("analyst")
    at.text_input(key="new_password").input(new_password)
    at.text_input(key="new_password_repeat").input(new_password)
    at.button(key="add_user_submit").click().run()
    assert not at.exception, at.exception
    assert "Пользователь «dana» создан, роль: аналитик." in [shown(s.value) for s in at.success]
    assert sql(accounts, "SELECT role, email, active FROM app_user WHERE username = 'dana'") == \
        [("analyst", "dana@example.kz", True)]

    at.selectbox(key="users_pick").set_value("dana").run()
    at.selectbox(key="edit_role").set_value("viewer")
    at.toggle(key="edit_active").set_value(False)
    at.button(key="edit_user_submit").click().run()
    assert sql(accounts, "SELECT role, active FROM app_user WHERE username = 'dana'") == [("viewer", False)]

    at.text_input(key="reset_password").input("Another-Password-88")
    at.text_input(key="reset_password_repeat").input("Another-Password-88")
    at.button(key="reset_password_submit").click().run()
    assert "Пароль пользователя «dana» изменён, блокировка снята." in [shown(s.value) for s in at.success]

    log = sql(accounts,
              "SELECT username, action, details FROM audit_log WHERE action = 'user-change' ORDER BY audit_id")
    changes = [(u, json.loads(d)) for u, _, d in log]
    assert changes == [
        ("admin1", {"user": "dana", "change": "created", "role": "analyst", "email": "dana@example.kz",
                    "channel": "web"}),
        ("admin1", {"user": "dana", "change": ["active", "role"], "role": "viewer", "active": False,
                    "channel": "web"}),
        ("admin1", {"user": "dana", "change": "password-reset", "channel": "web"}),
    ]
    everything = " ".join(d for _, _, d in sql(accounts, "SELECT username, action, details FROM audit_log"))
    assert new_password not in everything and "Another-Password-88" not in everything


def test_the_users_page_refuses_mismatched_passwords_shared_e_mails_and_removing_the_last_admin(accounts):
    at = admin_on("users", accounts)
    at.text_input(key="new_username").input("erlan")
    at.text_input(key="new_password").input("Password-One-1")
    at.text_input(key="new_password_repeat").input("Password-Two-2")
    at.button(key="add_user_submit").click().run()
    assert "Пароли не совпадают." in errors(at)
    at.text_input(key="new_username").input("erlan")
    at.text_input(key="new_email").input("viewer@example.kz")
    at.text_input(key="new_password").input("Password-One-1")
    at.text_input(key="new_password_repeat").input("Password-One-1")
    at.button(key="add_user_submit").click().run()
    assert "Адрес viewer@example.kz уже у пользователя «viewer1»." in errors(at)
    at.text_input(key="new_username").input("local")
    at.text_input(key="new_password").input("Password-One-1")
    at.text_input(key="new_password_repeat").input("Password-One-1")
    at.button(key="add_user_submit").click().run()
    assert "Имя «local» занято журналом аудита" in errors(at)
    assert sql(accounts, "SELECT count(*) FROM app_user") == [(4,)]

    at.selectbox(key="users_pick").set_value("admin1").run()
    at.toggle(key="edit_active").set_value(False)
    at.button(key="edit_user_submit").click().run()
    assert "Свою роль и активность меняет другой администратор." in errors(at)
    assert sql(accounts, "SELECT active FROM app_user WHERE username = 'admin1'") == [(True,)]


# --- the Audit log page --------------------------------------------------------------------------------------

def test_the_audit_log_page_filters_and_offers_no_way_to_change_entries(accounts):
    con = db.connect(accounts)
    audit.record(con, "analyst1", "upload", batch_id=7, file="june.xlsx")
    audit.record(con, "analyst1", "delete", batch_id=7, file="june.xlsx")
    audit.record(con, "viewer1", "export", format="csv", rows=3)
    con.close()
    at = admin_on("audit", accounts)
    table = at.dataframe[0].value
    assert list(table.columns) == ["Когда", "Кто", "Действие", "Подробности"]
    assert list(table["Действие"]) == ["вход", "выгрузка", "удаление", "загрузка"]  # newest first
    at.selectbox(key="audit_user").set_value("analyst1").run()
    assert list(at.dataframe[0].value["Действие"]) == ["удаление", "загрузка"]
    at.selectbox(key="audit_action").set_value("delete").run()
    table = at.dataframe[0].value
    assert list(table["Подробности"]) == ["Пакет: №7 · Файл: june.xlsx"]  # in words, never raw keys or JSON
    today = date.today()
    at.date_input(key="audit_from").set_value(today).run()
    assert len(at.dataframe[0].value) == 1
    at.date_input(key="audit_from").set_value(today - timedelta(days=2))
    at.date_input(key="audit_to").set_value(today - timedelta(days=1)).run()
    assert "Записей по этим фильтрам нет." in [i.value for i in at.info]
    assert not at.data_editor and not any("удал" in b.label.lower() for b in at.button)


def test_the_audit_log_export_lists_the_filtered_entries_and_is_itself_logged(accounts, downloads):
    con = db.connect(accounts)
    audit.record(con, "analyst1", "upload", batch_id=7, file='=HYPERLINK("http://x")')
    audit.record(con, "viewer1", "export", format="csv", rows=3)
    con.close()
    at = admin_on("audit", accounts)
    at.selectbox(key="audit_action").set_value("upload").run()
    assert [b.key for b in at.download_button] == ["audit_download"]
    text = downloads["audit_log.csv"]().decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert lines[0] == "Когда,Кто,Действие,Подробности" and len(lines) == 2
    assert ",analyst1,загрузка," in lines[1] and "'=HYPERLINK" not in lines[1]  # JSON text starts with «{»
    user, action, details = sql(accounts, "SELECT username, action, details FROM audit_log ORDER BY audit_id")[-1]
    assert (user, action) == ("admin1", "export")
    assert json.loads(details) == {"what": "audit_log", "rows": 1, "filters": {"action": "upload"}}


# --- passwords never stored in clear ----------------------------------------------------------------------------

def test_a_password_never_reaches_the_database_file_or_the_audit_log(accounts):
    at = sign_in(app(), "admin1")
    sign_in(app(), "viewer1", "Wrong-" + PASSWORD)
    at.switch_page("prevention/app/views/users.py").run()
    at.text_input(key="new_username").input("gulnara")
    at.text_input(key="new_password").input("Gulnara-Secret-Phrase-9")
    at.text_input(key="new_password_repeat").input("Gulnara-Secret-Phrase-9")
    at.button(key="add_user_submit").click().run()
    assert not at.exception
    con = db.connect(accounts)
    con.execute("CHECKPOINT")
    details = " ".join(row[0] for row in con.execute("SELECT details FROM audit_log").fetchall())
    con.close()
    stored = accounts.read_bytes() + (accounts.with_suffix(".duckdb.wal").read_bytes()
                                      if accounts.with_suffix(".duckdb.wal").exists() else b"")
    for secret in (PASSWORD, "Wrong-" + PASSWORD, "Gulnara-Secret-Phrase-9"):
        assert secret not in details
        assert secret.encode() not in stored and secret.encode("utf-16-le") not in stored
    assert b"$argon2id$" in stored


def test_the_secrets_example_configures_one_provider_and_holds_no_secret():
    import tomllib

    text = (PROJECT / ".streamlit" / "secrets.toml.example").read_text(encoding="utf-8")
    section = tomllib.loads(text)["auth"]
    assert oidc_providers(section) == [None]
    assert section["redirect_uri"].endswith("/oauth2callback")
    assert section["cookie_secret"].startswith("REPLACE") and section["client_secret"].startswith("REPLACE")
    assert "email" in section["client_kwargs"]["scope"]
    assert ".streamlit/secrets.toml" in (PROJECT / ".gitignore").read_text().splitlines()


def test_a_viewer_sees_the_demo_banner_without_the_button_that_deletes_data(tmp_path, monkeypatch):
    path = build_db(tmp_path / "demo.duckdb", demo=True, population=False)
    monkeypatch.setenv("PREVENTION_DB", str(path))
    con = db.connect(path)
    create_user(con, "viewer2", PASSWORD, "viewer")
    create_user(con, "analyst2", PASSWORD, "analyst")
    con.close()
    viewer = sign_in(app(), "viewer2")
    assert any("Демонстрационные данные" in w.value for w in viewer.warning)
    assert not [b for b in viewer.button if b.key == "delete_demo"]
    analyst = sign_in(app(), "analyst2")
    analyst.button(key="delete_demo").click().run()
    assert not analyst.exception
    assert sql(path, "SELECT count(*) FROM batch WHERE is_demo")[0][0] == 0
    assert sql(path, "SELECT username, action FROM audit_log WHERE action = 'delete'") == [("analyst2", "delete")]
