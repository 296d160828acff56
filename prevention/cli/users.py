"""Accounts from the command line, under the same rules as the Users page (prevention.usecases.accounts).

    python -m prevention.users create-admin USERNAME      # asks for the password twice
    python -m prevention.users add USERNAME --role analyst [--email ADDRESS]
    python -m prevention.users reset-password USERNAME
    python -m prevention.users list

--db PATH as for the loaders; --password-stdin reads the password from standard input (for scripts); --user NAME
is who acts in the audit log (default: the operating system's user name); --lang ru|kk|en. These options may
stand before or after the command. When the running dashboard holds the database, the command (with the password
typed here) goes through its socket and the dashboard runs it (prevention.cli.remote, prevention.service)."""
from __future__ import annotations

import argparse
import getpass
import sys
from functools import partial

from prevention.cli import remote
from prevention.storage import errorlog
from prevention.storage.accounts import ROLES, AuthError
from prevention.storage.db import DatabaseError, DatabaseLocked, connect, resolve_path
from prevention.texts import formats
from prevention.texts import lookup as catalogue
from prevention.usecases import accounts as rules
from prevention.usecases.rights import CLI, Actor, cli_actor


def _common(parser: argparse.ArgumentParser, suppress: bool) -> None:
    """The options every command takes; on the commands they default to SUPPRESS, so a value given before the
    command is not overwritten by the command's default."""
    default = {"default": argparse.SUPPRESS} if suppress else {}
    t = catalogue.t
    parser.add_argument("--db", help=t("cli.db_help"), **default)
    parser.add_argument("--password-stdin", action="store_true", help=t("cli.users.password_stdin"), **default)
    parser.add_argument("--user", help=t("cli.users.as"), **default)
    parser.add_argument("--lang", choices=tuple(catalogue.LANGUAGES), help=t("cli.lang_help"), **default)


def build_parser() -> argparse.ArgumentParser:
    t = catalogue.t
    parser = argparse.ArgumentParser(prog="python -m prevention.users", description=t("cli.users.description"))
    _common(parser, suppress=False)
    parser.set_defaults(lang=catalogue.DEFAULT)
    sub = parser.add_subparsers(dest="command", required=True)
    commands = {"create-admin": "cli.users.create_admin", "add": "cli.users.add",
                "reset-password": "cli.users.reset", "list": "cli.users.list"}
    for name, help_key in commands.items():
        command = sub.add_parser(name, help=t(help_key))
        _common(command, suppress=True)
        if name != "list":
            command.add_argument("username")
        if name == "add":
            command.add_argument("--role", choices=ROLES, default="viewer")
            command.add_argument("--email")
    return parser


def _password(args, t) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass(t("cli.users.password"))
    if first != getpass.getpass(t("cli.users.repeat")):
        raise AuthError("mismatch")
    return first


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    errorlog.configure()
    t = partial(catalogue.t, lang=args.lang)
    path = resolve_path(args.db)
    try:
        con = connect(path)
    except DatabaseLocked:  # the running dashboard holds the file: ask it to run the command
        return _forward(path, args, t)
    except DatabaseError as e:
        print(t("cli.error", text=str(e)), file=sys.stderr)
        return 1
    try:
        return execute(con, request_of(args, t), sys.stdout, sys.stderr)
    except AuthError as e:  # the two passwords typed differ
        print(t("cli.error", text=t(f"users.error.{e.code}", **e.params)), file=sys.stderr)
        return 1
    finally:
        con.close()


def request_of(args, t) -> dict:
    """The command as plain data (asks for the password here, on the person's terminal)."""
    return {"command": "users", "action": args.command, "username": getattr(args, "username", None),
            "role": getattr(args, "role", None), "email": getattr(args, "email", None),
            "password": None if args.command == "list" else _password(args, t),
            "user": cli_actor(args.user).username, "lang": args.lang}


def _forward(path, args, t) -> int:
    try:
        request = request_of(args, t)
    except AuthError as e:
        print(t("cli.error", text=t(f"users.error.{e.code}", **e.params)), file=sys.stderr)
        return 1
    code = remote.forward(path, request, args.lang)
    if code is None:
        print(t("cli.error", text=t("cli.db_locked", path=str(path))), file=sys.stderr)
        return 1
    return code


def execute(con, request: dict, out, err) -> int:
    """Run one accounts command of `request_of` on `con`, print as the command line prints (also the socket
    server's entry)."""
    lang = request["lang"]
    t = partial(catalogue.t, lang=lang)
    try:
        print(_run(con, request, t), file=out)
        return 0
    except AuthError as e:
        print(t("cli.error", text=t(f"users.error.{e.code}", **e.params)), file=err)
        return 1


def _run(con, request: dict, t) -> str:
    actor = Actor(request["user"], CLI)
    action = request["action"]
    if action == "list":
        return listing(con, t, request["lang"])
    if action in ("create-admin", "add"):
        role = "admin" if action == "create-admin" else request["role"]
        user = rules.create_account(con, actor, request["username"], request["password"], role,
                                    email=request.get("email"))
        return t("cli.users.created", name=user.username, role=t(f"role.{user.role}"))
    rules.reset_password(con, actor, request["username"], request["password"])
    return t("cli.users.reset_done", name=request["username"])


LIST_COLUMNS = ("username", "role", "display_name", "email", "language", "active", "locked_until", "created_at")


def listing(con, t, lang: str = "ru") -> str:
    """The accounts as a plain table: roles and languages in words, times by Babel, an empty cell empty (never
    None, NaN or NaT)."""
    users = rules.list_accounts(con)
    if users.empty:
        return t("cli.users.empty")
    rows = [[t(f"users.col.{c}") for c in LIST_COLUMNS]]
    for record in users.to_dict("records"):
        record["role"] = t(f"role.{record['role']}")
        record["language"] = catalogue.LANGUAGES.get(record["language"], record["language"] or "")
        rows.append([_cell(record[c], t, lang) for c in LIST_COLUMNS])
    widths = [max(len(row[i]) for row in rows) for i in range(len(LIST_COLUMNS))]
    return "\n".join("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() for row in rows)


def _cell(value, t, lang: str) -> str:
    if isinstance(value, bool):
        return t("cli.users.yes") if value else t("cli.users.no")
    if formats.missing(value):
        return ""
    if hasattr(value, "strftime"):
        return formats.date_time(value, lang)
    return str(value)
