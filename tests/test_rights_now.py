"""Rights are checked when an action runs, not when its page was drawn: two AppTest sessions share one database
the way two browser tabs share the server. A widget callback runs before dashboard.py's sign-in check, so each
of these would have gone through before."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from prevention.app.components import downloads
from prevention.storage import db
from prevention.storage.accounts import authenticate, create_user
from prevention.usecases import accounts as rules
from prevention.usecases.batches import delete_batch
from prevention.usecases.rights import Actor, Forbidden, cli_actor
from tests.conftest import build_db, delete_confirm, load
from tests.workbooks import KARAGANDA_JUNE_2025, event_log, event_rows

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "Irtysh-Evening-2025"


@pytest.fixture
def database(tmp_path, monkeypatch) -> Path:
    path = build_db(tmp_path / "prevention.duckdb", population=False)
    con = db.connect(path)
    for name, role in (("admin1", "admin"), ("admin2", "admin"), ("analyst1", "analyst"), ("viewer1", "viewer")):
        create_user(con, name, PASSWORD, role)
    load(con, event_log(tmp_path / "a.xlsx", KARAGANDA_JUNE_2025), "a.xlsx")
    load(con, event_log(tmp_path / "b.xlsx", event_rows(3)), "b.xlsx")
    con.close()
    monkeypatch.setenv("PREVENTION_DB", str(path))
    return path


def sql(path: Path, query: str) -> list[tuple]:
    con = db.connect(path)
    try:
        return con.execute(query).fetchall()
    finally:
        con.close()


def session(name: str, page: str | None = None) -> AppTest:
    """A browser tab: signed in as `name`, on `page`."""
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run().run()
    at.text_input(key="signin_username").input(name)
    at.text_input(key="signin_password").input(PASSWORD)
    at.button(key="sign_in_submit").click().run()
    if page:
        at.switch_page(f"prevention/app/views/{page}.py").run()
    assert not at.exception, at.exception
    return at


def signed_out(at: AppTest) -> bool:
    return [t.value for t in at.title] == ["Вход"]


def test_a_demoted_admins_open_new_user_form_creates_nothing(database):
    demoted = session("admin1", "users")
    demoted.text_input(key="new_username").input("intruder")
    demoted.selectbox(key="new_role").set_value("admin")
    demoted.text_input(key="new_password").input("Intruder-Password-1")
    demoted.text_input(key="new_password_repeat").input("Intruder-Password-1")

    other = session("admin2", "users")
    other.selectbox(key="users_pick").set_value("admin1").run()
    other.selectbox(key="edit_role").set_value("viewer")
    other.button(key="edit_user_submit").click().run()
    assert sql(database, "SELECT role FROM app_user WHERE username = 'admin1'") == [("viewer",)]

    demoted.button(key="add_user_submit").click().run()  # the form was still open
    assert not demoted.exception, demoted.exception
    assert sql(database, "SELECT count(*) FROM app_user WHERE username = 'intruder'") == [(0,)]
    con = db.connect(database)
    assert authenticate(con, "intruder", "Intruder-Password-1").user is None
    con.close()
    assert signed_out(demoted)  # and the demoted session had to sign in again


def test_a_deactivated_analysts_delete_deletes_nothing(database):
    analyst = session("analyst1", "batches")
    analyst.selectbox(key="batch_pick").set_value(2).run()
    delete_confirm(analyst, 2).check().run()
    assert not analyst.button(key="delete_batch_2").disabled

    rules.change_account(db.connect(database), cli_actor("boss"), "analyst1", active=False)

    analyst.button(key="delete_batch_2").click().run()
    assert not analyst.exception, analyst.exception
    assert sql(database, "SELECT batch_id FROM batch ORDER BY batch_id") == [(1,), (2,), (3,)]
    assert sql(database, "SELECT count(*) FROM audit_log WHERE action = 'delete'") == [(0,)]
    assert signed_out(analyst)


def test_a_password_reset_signs_the_other_session_out_at_its_next_run(database):
    viewer = session("viewer1")
    assert [t.value for t in viewer.title] == ["Обзор"]
    admin = session("admin1", "users")
    admin.selectbox(key="users_pick").set_value("viewer1").run()
    admin.text_input(key="reset_password").input("Brand-New-Password-7")
    admin.text_input(key="reset_password_repeat").input("Brand-New-Password-7")
    admin.button(key="reset_password_submit").click().run()
    assert not admin.exception and not signed_out(admin)  # the admin's own session goes on

    viewer.run()  # the viewer's next interaction
    assert signed_out(viewer)
    assert "Ваш доступ изменился" in "\n".join(e.value for e in viewer.error)


def test_an_admins_own_new_password_keeps_their_session(database):
    admin = session("admin1", "users")
    admin.selectbox(key="users_pick").set_value("admin1").run()
    admin.text_input(key="reset_password").input("Own-New-Password-9")
    admin.text_input(key="reset_password_repeat").input("Own-New-Password-9")
    admin.button(key="reset_password_submit").click().run()
    admin.run()
    assert not signed_out(admin)


def test_a_delete_confirmation_does_not_carry_over_to_another_batch(database):
    second = session("analyst1", "batches")  # B ticks «delete batch №3»
    second.selectbox(key="batch_pick").set_value(3).run()
    delete_confirm(second, 3).check().run()

    first = session("admin1", "batches")  # A deletes №3
    first.selectbox(key="batch_pick").set_value(3).run()
    delete_confirm(first, 3).check().run()
    first.button(key="delete_batch_3").click().run()
    assert sql(database, "SELECT batch_id FROM batch ORDER BY batch_id") == [(1,), (2,)]

    second.run()  # B's page refreshes: now on №2, nothing ticked
    assert second.selectbox(key="batch_pick").value == 2
    assert not delete_confirm(second, 2).value
    assert second.button(key="delete_batch_2").disabled
    assert sql(database, "SELECT batch_id FROM batch ORDER BY batch_id") == [(1,), (2,)]


def test_a_delete_of_a_batch_that_changed_is_refused_and_says_who(database):
    con = db.connect(database)
    sha3 = con.execute("SELECT sha256 FROM batch WHERE batch_id = 3").fetchone()[0]
    sha2 = con.execute("SELECT sha256 FROM batch WHERE batch_id = 2").fetchone()[0]
    assert delete_batch(con, cli_actor("aigerim"), 3, sha3) is None
    gone = delete_batch(con, cli_actor("bolat"), 3, sha3)  # the second click, from a page drawn before
    assert (gone.code, gone.params["batch"], gone.params["user"]) == ("batch-gone", 3, "aigerim")
    wrong = delete_batch(con, cli_actor("bolat"), 2, sha3)  # batch №2 does not hold the bytes confirmed
    assert wrong.code == "batch-gone"
    assert con.execute("SELECT batch_id FROM batch ORDER BY batch_id").fetchall() == [(1,), (2,)]
    assert delete_batch(con, cli_actor("bolat"), 2, sha2) is None
    con.close()


def test_an_export_built_after_the_account_was_deactivated_is_refused(database):
    con = db.connect(database)
    epoch = con.execute("SELECT session_epoch FROM app_user WHERE username = 'viewer1'").fetchone()[0]
    viewer = Actor("viewer1", "web", epoch)
    rules.change_account(con, cli_actor("boss"), "viewer1", active=False)
    con.close()
    with pytest.raises(Forbidden):
        downloads._records(None, "csv", viewer)  # the deferred builder checks before it reads anything
    assert sql(database, "SELECT count(*) FROM audit_log WHERE action = 'export'") == [(0,)]


def test_account_changes_on_the_command_line_are_audited_under_the_os_user(database, monkeypatch):
    monkeypatch.setattr("getpass.getuser", lambda: "operator")
    con = db.connect(database)
    rules.change_account(con, cli_actor(), "viewer1", role="analyst")
    user, details = con.execute("SELECT username, details FROM audit_log ORDER BY audit_id DESC LIMIT 1").fetchone()
    con.close()
    assert user == "operator" and json.loads(details)["channel"] == "cli"


def test_a_batchs_original_and_rejected_rows_are_not_built_for_an_account_deactivated_since(database, monkeypatch):
    from streamlit.runtime.media_file_manager import MediaFileManager

    built: dict = {}
    original = MediaFileManager.add_deferred

    def record(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
        built[file_name] = data_callable
        return original(self, data_callable, mimetype, coordinates, file_name, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", record)
    analyst = session("analyst1", "batches")
    analyst.selectbox(key="batch_pick").set_value(2).run()
    assert built["a.xlsx"]().startswith(b"PK")  # the kept original, while allowed
    rules.change_account(db.connect(database), cli_actor("boss"), "analyst1", active=False)
    with pytest.raises(Forbidden):
        built["a.xlsx"]()
