"""Many requests at once against one DuckDB connection, as the server runs them (one thread per session, a cursor
each): the sign-in lock-out holds under 50 parallel wrong passwords, and two replacements of one batch have one
winner while the other is told."""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from pathlib import Path

import pytest

import loaders
from prevention.storage import accounts, db
from prevention.storage.accounts import LOCK_MINUTES, MAX_FAILURES, create_user
from prevention.usecases import accounts as rules
from prevention.usecases.batches import replace_batch
from prevention.usecases.rights import cli_actor
from tests.conftest import load
from tests.workbooks import KARAGANDA_JUNE_2025, event_log, event_rows

PASSWORD = "Balkhash-Shore-2025"
ATTEMPTS = 50


@pytest.fixture
def con(tmp_path):
    connection = db.connect(tmp_path / "concurrent.duckdb")
    yield connection
    connection.close()


def test_fifty_parallel_wrong_passwords_lock_the_account_and_are_all_audited(con, monkeypatch):
    create_user(con, "bolat", PASSWORD, "viewer")
    verified = []

    class CountingHasher:  # argon2's PasswordHasher, counting the password checks
        def __init__(self, hasher):
            self.hasher = hasher

        def verify(self, *args):
            verified.append(1)
            return self.hasher.verify(*args)

        def __getattr__(self, name):
            return getattr(self.hasher, name)

    monkeypatch.setattr(accounts, "_hasher", CountingHasher(accounts._hasher))
    start = threading.Barrier(ATTEMPTS)

    def attempt(n: int):
        start.wait()
        return rules.sign_in(con, "bolat", f"wrong-password-{n}")

    before = datetime.now()
    with ThreadPoolExecutor(ATTEMPTS) as pool:
        results = list(pool.map(attempt, range(ATTEMPTS)))  # an exception in any thread is raised here

    assert all(r.user is None for r in results)
    assert len(verified) == MAX_FAILURES  # once locked, the rest are refused without a check
    failures, locked_until = con.execute(
        "SELECT failed_attempts, locked_until FROM app_user WHERE username = 'bolat'").fetchone()
    assert failures == MAX_FAILURES
    lock = timedelta(minutes=LOCK_MINUTES)
    assert before + lock <= locked_until <= datetime.now() + lock
    log = con.execute("SELECT username, action FROM audit_log").fetchall()
    assert log == [("bolat", "sign-in-failed")] * ATTEMPTS
    reasons = sorted(r.reason for r in results)
    assert reasons == ["bad-credentials"] * (MAX_FAILURES - 1) + ["locked"] * (ATTEMPTS - MAX_FAILURES + 1)
    assert rules.sign_in(con, "bolat", PASSWORD).user is None  # the right password waits for the lock too


def test_parallel_sign_ins_of_ten_people_all_get_in(con):
    names = [f"analyst{n}" for n in range(10)]
    for name in names:
        create_user(con, name, PASSWORD, "analyst")
    with ThreadPoolExecutor(10) as pool:
        results = list(pool.map(lambda name: rules.sign_in(con, name, PASSWORD), names))
    assert sorted(r.user.username for r in results) == names
    assert con.execute("SELECT count(*) FROM audit_log WHERE action = 'sign-in'").fetchone()[0] == 10
    assert con.execute("SELECT sum(failed_attempts) FROM app_user").fetchone()[0] == 0


def test_two_concurrent_replacements_of_one_batch_have_one_winner(con, tmp_path):
    first = load(con, event_log(tmp_path / "v1.xlsx", KARAGANDA_JUNE_2025[:2]), "june.xlsx")
    versions = {"a": event_log(tmp_path / "a.xlsx", KARAGANDA_JUNE_2025).read_bytes(),
                "b": event_log(tmp_path / "b.xlsx", event_rows(7)).read_bytes()}
    parsed = {k: loaders.parse_bytes(v, "june.xlsx") for k, v in versions.items()}
    start = threading.Barrier(2)

    def replace(key: str):
        start.wait()
        return key, replace_batch(con, versions[key], "june.xlsx", cli_actor(f"analyst_{key}"), first.batch_id,
                                  first.sha256, parsed=parsed[key])

    with ThreadPoolExecutor(2) as pool:
        outcome = dict(pool.map(replace, versions))
    winners = [k for k, report in outcome.items() if report.status == "loaded"]
    assert len(winners) == 1, {k: (r.status, r.error_code) for k, r in outcome.items()}
    (winner,) = winners
    loser = outcome["b" if winner == "a" else "a"]
    assert loser.status == "failed" and loser.failure.code in ("batch-gone", "busy")
    if loser.failure.code == "batch-gone":
        assert loser.failure.params["user"] == f"analyst_{winner}"  # the loser is told who replaced it
    stored = con.execute("SELECT batch_id, sha256 FROM batch").fetchall()
    assert stored == [(outcome[winner].batch_id, outcome[winner].sha256)]
    rows = con.execute("SELECT count(*) FROM activity_record").fetchone()[0]
    assert rows == parsed[winner].report.rows_loaded  # the data is exactly the winner's file
    actions = con.execute("SELECT action FROM audit_log ORDER BY audit_id").fetchall()
    assert actions == [("upload",), ("replace",)]
    uploads = Path(con.execute("SELECT path FROM duckdb_databases() WHERE database_name = current_database()")
                   .fetchone()[0]).parent / "uploads"
    assert sorted(p.name for p in uploads.iterdir()) == [f"{outcome[winner].sha256}.xlsx"]
