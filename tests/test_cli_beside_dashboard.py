"""The command line beside a running dashboard (real processes, a real DuckDB file, no mocks): `streamlit run
dashboard.py` holds the database; `python -m loaders`, `python -m prevention.users` and `python -m
prevention.backup` go through the socket beside it, print what they print on a free database and exit the same."""
from __future__ import annotations

import json
import os
import socket
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from prevention.ipc.protocol import addressable, socket_path
from prevention.storage import db
from prevention.usecases.rights import cli_actor
from tests.dashboard_process import open_dashboard, stop
from tests.workbooks import KARAGANDA_JUNE_2025, event_log, event_rows

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "Balkhash-Shore-2025"


def cli(module: str, *args, stdin: str | None = None, timeout: float | None = None):
    env = {k: v for k, v in os.environ.items() if k != "PREVENTION_DB"}
    if timeout is not None:
        env["PREVENTION_SOCKET_TIMEOUT"] = str(timeout)
    return subprocess.run([sys.executable, "-m", module, *map(str, args)], cwd=ROOT, env=env, input=stdin,
                          capture_output=True, text=True, timeout=180, check=False)


def start_cli(module: str, *args) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k != "PREVENTION_DB"}
    return subprocess.Popen([sys.executable, "-m", module, *map(str, args)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_load_accounts_and_backup_go_through_the_running_dashboard(tmp_path):
    held, free = tmp_path / "held" / "prevention.duckdb", tmp_path / "free" / "prevention.duckdb"
    good = event_log(tmp_path / "karaganda.xlsx", KARAGANDA_JUNE_2025)
    more = event_log(tmp_path / "more.xlsx", event_rows(40))
    proc, _, session = open_dashboard(held, tmp_path / "server.log")
    try:
        sock = socket_path(held)
        assert stat.S_IMODE(sock.stat().st_mode) == 0o600
        through = cli("loaders", "--db", held, "--user", "aigerim", good, more)
        direct = cli("loaders", "--db", free, "--user", "aigerim", good, more)
        assert through.returncode == direct.returncode == 0, through.stderr
        assert through.stdout == direct.stdout  # exactly what the command line prints on a free database
        assert "karaganda.xlsx: загружен" in through.stdout
        assert "загружено 4" in through.stdout and "загружено 40" in through.stdout
        assert through.stderr == ""

        again = cli("loaders", "--db", held, "--json", good)
        assert again.returncode == 0 and '"status": "duplicate"' in again.stdout

        same = event_log(tmp_path / "same.xlsx", event_rows(25, start=1000))
        together = [start_cli("loaders", "--db", held, "--json", same) for _ in range(2)]
        statuses = sorted(json.loads(p.communicate(timeout=180)[0])["files"][0]["status"] for p in together)
        assert statuses == ["duplicate", "loaded"]  # two at once through the dashboard: its writes take turns

        english = cli("loaders", "--db", held, "--lang", "en", tmp_path / "missing.xlsx")
        assert english.returncode == 1 and "missing.xlsx" in english.stdout and "not found" in english.stdout

        made = cli("prevention.users", "--db", held, "--user", "aigerim", "add", "dana", "--role", "analyst",
                   "--password-stdin", stdin=PASSWORD + "\n")
        assert made.returncode == 0, made.stderr
        assert made.stdout == "Пользователь «dana» создан, роль: администратор.\n"  # the first account is an admin
        listed = cli("prevention.users", "--db", held, "list")
        assert listed.returncode == 0 and "dana" in listed.stdout
        refused = cli("prevention.users", "--db", held, "add", "dana", "--password-stdin", stdin=PASSWORD + "\n")
        assert refused.returncode == 1 and refused.stderr.startswith("Ошибка: ") and "dana" in refused.stderr

        backup = cli("prevention.backup", "create", "--db", held, "--to", tmp_path / "backups")
        assert backup.returncode == 0, backup.stderr
        assert "таблиц: 11" in backup.stdout and "исходных файлов: 3" in backup.stdout
    finally:
        session.close()
        stop(proc)
    assert not sock.exists()  # removed at exit

    con = db.connect(held, read_only=True)
    try:
        batches = con.execute("SELECT file_name, rows_loaded, loaded_by FROM batch ORDER BY batch_id").fetchall()
        assert batches[:2] == [("karaganda.xlsx", 4, "aigerim"), ("more.xlsx", 40, "aigerim")]
        assert [b[:2] for b in batches[2:]] == [("same.xlsx", 25)]
        assert con.execute("SELECT count(*) FROM activity_record").fetchone()[0] == 69
        assert con.execute("SELECT role FROM app_user WHERE username = 'dana'").fetchone() == ("admin",)
        audit = con.execute("SELECT username, action, details FROM audit_log ORDER BY audit_id").fetchall()
        system_user = cli_actor(None).username  # no --user: the operating system's user name
        assert [(u, a) for u, a, _ in audit] == [("aigerim", "upload"), ("aigerim", "upload"),
                                                  (system_user, "upload"), ("aigerim", "user-change")]
        assert all('"channel": "cli"' in d for _, _, d in audit)
    finally:
        con.close()
    [folder] = (tmp_path / "backups").iterdir()
    restored = cli("prevention.backup", "restore", folder, "--db", tmp_path / "restored.duckdb")
    assert restored.returncode == 0, restored.stderr


def _holder(db_path: Path, listen: bool) -> subprocess.Popen:
    """A process that holds the database and has a socket file beside it: listening but never answering, or a
    stale file nobody listens on (what a killed dashboard leaves)."""
    code = f"""
import socket, sys, time
sys.path.insert(0, {str(ROOT)!r})
from prevention.storage.db import connect
from prevention.ipc.protocol import addressable, socket_path
con = connect({str(db_path)!r})
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(str(socket_path({str(db_path)!r})))
if {listen}:
    s.listen(16)
else:
    s.close()
print("ready", flush=True)
time.sleep(120)
"""
    holder = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "ready"
    return holder


@pytest.mark.parametrize(("lang", "expected"), [("ru", "не ответил за 3 с"), ("kk", "3 с ішінде жауап бермеді"),
                                                ("en", "did not answer within 3 s")])
def test_a_dashboard_that_does_not_answer_gives_a_clear_message_and_exit_1(tmp_path, lang, expected):
    db_path = tmp_path / "silent.duckdb"
    holder = _holder(db_path, listen=True)
    try:
        started = time.monotonic()
        result = cli("loaders", "--db", db_path, "--lang", lang, event_log(tmp_path / "g.xlsx", event_rows(2)),
                     timeout=3)
        assert result.returncode == 1
        assert expected in result.stderr and "Traceback" not in result.stderr
        assert result.stdout == ""
        assert 3 <= time.monotonic() - started < 30
        users = cli("prevention.users", "--db", db_path, "--lang", lang, "list", timeout=3)
        assert users.returncode == 1 and expected in users.stderr
        if lang == "en":  # --json: the report's error, as for a busy database
            as_json = cli("loaders", "--db", db_path, "--lang", lang, "--json", tmp_path / "g.xlsx", timeout=3)
            assert as_json.returncode == 1
            report = json.loads(as_json.stdout)
            assert report["files"] == [] and expected in report["error"]
    finally:
        holder.kill()
        holder.wait()


def test_a_stale_socket_file_means_the_database_is_busy_as_before(tmp_path):
    db_path = tmp_path / "stale.duckdb"
    holder = _holder(db_path, listen=False)
    try:
        assert socket_path(db_path).exists()
        result = cli("loaders", "--db", db_path, event_log(tmp_path / "g.xlsx", event_rows(2)))
        assert result.returncode == 1 and "занята другим процессом" in result.stderr
        users = cli("prevention.users", "--db", db_path, "list")
        assert users.returncode == 1 and "занята другим процессом" in users.stderr
    finally:
        holder.kill()
        holder.wait()


def test_the_server_starts_once_replaces_a_stale_socket_and_refuses_nobody_of_this_user(tmp_path):
    from prevention.ipc import client
    from prevention.service import socket_server

    db_path = tmp_path / "deep" / ("x" * 90) / "in-process.duckdb"  # too long for sun_path: /proc/self/fd
    db_path.parent.mkdir(parents=True)
    stale = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    with addressable(socket_path(db_path)) as address:
        stale.bind(address)
    stale.close()
    first = socket_server.serve_beside(db_path)
    assert socket_server.serve_beside(db_path) == first == socket_path(db_path)
    assert stat.S_IMODE(first.stat().st_mode) == 0o600
    reply = client.call(db_path, {"command": "users", "action": "list", "user": "t", "lang": "en",
                                  "username": None, "role": None, "email": None, "password": None}, timeout=30)
    assert reply == {"stdout": "No accounts.\n", "stderr": "", "code": 0}
    bad = client.call(db_path, {"command": "format-disk", "lang": "en"}, timeout=30)
    assert bad["code"] == 2 and "did not understand" in bad["stderr"]
