"""Accounts, lock-out, the users CLI and the audit log, on real DuckDB files."""
from __future__ import annotations

import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from prevention.storage import audit, db
from prevention.storage.accounts import (
    MAX_FAILURES,
    AuthError,
    authenticate,
    create_user,
    get_user,
    has_accounts,
    set_password,
    update_user,
)
from prevention.texts import lookup as catalogue

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "Correct-Horse-Battery-42"


@pytest.fixture
def con(tmp_path):
    connection = db.connect(tmp_path / "auth.duckdb")
    yield connection
    connection.close()


def test_sign_in_with_the_right_password_only(con):
    assert not has_accounts(con)
    create_user(con, "aliya", PASSWORD, "analyst", email="Aliya@Example.kz")
    assert has_accounts(con)
    assert authenticate(con, "aliya", PASSWORD).user.role == "analyst"
    assert authenticate(con, "aliya", "wrong-password").reason == "bad-credentials"
    assert authenticate(con, "nobody", PASSWORD).reason == "unknown-user"  # for the audit log; the screen says
    # the same for every refusal (prevention.app.session.auth.failure_text)
    stored = con.execute("SELECT password_hash FROM app_user").fetchone()[0]
    assert stored.startswith("$argon2") and PASSWORD not in stored


def test_five_failures_lock_the_account_for_a_while(con):
    create_user(con, "bolat", PASSWORD, "viewer")
    now = datetime(2026, 6, 1, 10, 0)
    results = [authenticate(con, "bolat", "nope", now) for _ in range(MAX_FAILURES)]
    assert [r.reason for r in results] == ["bad-credentials"] * (MAX_FAILURES - 1) + ["locked"]
    locked = authenticate(con, "bolat", PASSWORD, now + timedelta(minutes=1))
    assert locked.user is None and locked.reason == "locked"
    later = authenticate(con, "bolat", PASSWORD, now + timedelta(minutes=16))
    assert later.user is not None and later.user.username == "bolat"


def test_roles_are_ordered_and_deactivated_users_cannot_sign_in(con):
    admin = create_user(con, "admin1", PASSWORD, "admin")
    viewer = create_user(con, "viewer1", PASSWORD, "viewer")
    assert admin.can("analyst") and admin.can("viewer") and not viewer.can("analyst")
    update_user(con, "viewer1", active=False)
    assert authenticate(con, "viewer1", PASSWORD).reason == "inactive"
    assert get_user(con, "viewer1") is None


def test_bad_input_is_refused_with_a_code_the_edges_say_in_russian(con):
    def refusal(call, *args) -> str:
        with pytest.raises(AuthError) as caught:
            call(con, *args)
        return catalogue.t(f"users.error.{caught.value.code}", "ru", **caught.value.params)

    assert "не короче 8" in refusal(create_user, "short", "123", "viewer")
    assert refusal(create_user, "someone", PASSWORD, "superuser").startswith("Роль должна быть одной из")
    create_user(con, "dana", PASSWORD)
    assert refusal(create_user, "DANA", PASSWORD) == "Пользователь «DANA» уже существует."
    assert refusal(set_password, "ghost", PASSWORD) == "Пользователь «ghost» не найден."


def test_audit_log_records_and_filters_and_never_takes_a_password(con):
    audit.record(con, "aliya", "upload", file="june.xlsx", batch_id=3, rows=120)
    audit.record(con, "bolat", "export", filters={"regions": ["KZ-35"]}, rows=4)
    with pytest.raises(ValueError):
        audit.record(con, "aliya", "user-change", password=PASSWORD)
    everything = audit.entries(con)
    assert list(everything["action"]) == ["export", "upload"]
    uploads = audit.entries(con, username="aliya", action="upload")
    assert len(uploads) == 1 and '"file": "june.xlsx"' in uploads["details"][0]


def test_users_cli_creates_an_admin_and_resets_a_password_without_leaking_it(tmp_path):
    path = tmp_path / "cli.duckdb"

    def run(*args, stdin=""):
        return subprocess.run([sys.executable, "-m", "prevention.users", "--db", str(path), "--password-stdin", *args],
                              cwd=ROOT, input=stdin, capture_output=True, text=True, timeout=60, check=False)
    created = run("create-admin", "root_admin", stdin=PASSWORD + "\n")
    assert created.returncode == 0, created.stderr
    assert "создан, роль: администратор" in created.stdout
    assert run("create-admin", "root_admin", stdin=PASSWORD + "\n").returncode == 1
    reset = run("reset-password", "root_admin", stdin="Another-Secret-99\n")
    assert reset.returncode == 0 and "изменён" in reset.stdout
    listing = run("list")
    assert "root_admin" in listing.stdout and "$argon2" not in listing.stdout
    con = db.connect(path)
    assert authenticate(con, "root_admin", "Another-Secret-99").user.role == "admin"
    con.execute("CHECKPOINT")
    con.close()
    for text in (created.stdout + created.stderr + reset.stdout + listing.stdout, path.read_bytes().decode("latin-1")):
        assert PASSWORD not in text and "Another-Secret-99" not in text


def test_users_cli_takes_its_options_after_the_command_and_lists_without_none_nan_or_nat(tmp_path):
    path = tmp_path / "cli.duckdb"

    def run(*args, stdin=""):
        return subprocess.run([sys.executable, "-m", "prevention.users", *args], cwd=ROOT, input=stdin,
                              capture_output=True, text=True, timeout=60, check=False)
    created = run("create-admin", "boss", "--password-stdin", "--db", str(path), "--user", "ops",
                  stdin=PASSWORD + "\n")
    assert created.returncode == 0, created.stderr
    added = run("--db", str(path), "add", "aliya", "--role", "analyst", "--password-stdin", stdin=PASSWORD + "\n")
    assert added.returncode == 0, added.stderr
    listing = run("list", "--db", str(path))
    assert listing.returncode == 0, listing.stderr
    lines = listing.stdout.splitlines()
    assert lines[0].split()[:2] == ["Имя", "пользователя"] and len(lines) == 3
    for word in ("None", "NaN", "NaT", "nan"):
        assert word not in listing.stdout
    # roles in words, not codes
    assert "aliya" in lines[1] and "аналитик" in lines[1] and "boss" in lines[2] and "администратор" in lines[2]
    assert "analyst" not in listing.stdout and " admin " not in listing.stdout
    refused = run("add", "local", "--password-stdin", "--db", str(path), stdin=PASSWORD + "\n")
    assert refused.returncode == 1 and "занято журналом аудита" in refused.stderr
    english = run("add", "x", "--lang", "en", "--password-stdin", "--db", str(path), stdin="short\n")
    assert english.returncode == 1 and "User name: 3–64 Latin letters" in english.stderr
    con = db.connect(path)
    log = con.execute("SELECT username, details FROM audit_log ORDER BY audit_id").fetchall()
    con.close()
    assert log[0][0] == "ops" and '"channel": "cli"' in log[0][1]
