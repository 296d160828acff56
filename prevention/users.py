"""Accounts from the command line.

    python -m prevention.users create-admin USERNAME      # asks for the password twice
    python -m prevention.users add USERNAME --role analyst
    python -m prevention.users reset-password USERNAME
    python -m prevention.users list

--db PATH as for the loaders; --password-stdin reads the password from standard input (for scripts)."""
from __future__ import annotations

import argparse
import getpass
import sys

from prevention.storage import audit
from prevention.storage.accounts import ROLES, AuthError, create_user, list_users, set_password
from prevention.storage.db import DatabaseError, connect


def _password(args) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Пароль: ")
    if first != getpass.getpass("Повторите пароль: "):
        raise AuthError("Пароли не совпадают")
    return first


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m prevention.users", description="Учётные записи дашборда")
    parser.add_argument("--db", help="файл базы данных (по умолчанию $PREVENTION_DB или data/prevention.duckdb)")
    parser.add_argument("--password-stdin", action="store_true", help="прочитать пароль из стандартного ввода")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("create-admin", help="создать администратора").add_argument("username")
    add = sub.add_parser("add", help="создать пользователя")
    add.add_argument("username")
    add.add_argument("--role", choices=ROLES, default="viewer")
    add.add_argument("--email")
    sub.add_parser("reset-password", help="задать новый пароль").add_argument("username")
    sub.add_parser("list", help="список пользователей")
    args = parser.parse_args(argv)
    try:
        con = connect(args.db)
    except DatabaseError as e:
        print(f"Ошибка: {e}", file=sys.stderr)
        return 1
    try:
        if args.command == "list":
            print(list_users(con).drop(columns=["failed_attempts"]).to_string(index=False))
            return 0
        if args.command in ("create-admin", "add"):
            role = "admin" if args.command == "create-admin" else args.role
            create_user(con, args.username, _password(args), role, email=getattr(args, "email", None))
            audit.record(con, "cli", "user-change", user=args.username, change="created", role=role)
            print(f"Пользователь «{args.username}» создан, роль: {role}.")
        else:
            set_password(con, args.username, _password(args))
            audit.record(con, "cli", "user-change", user=args.username, change="password reset")
            print(f"Пароль пользователя «{args.username}» изменён, блокировка снята.")
        return 0
    except AuthError as e:
        print(f"Ошибка: {e}", file=sys.stderr)
        return 1
    finally:
        con.close()


if __name__ == "__main__":
    sys.exit(main())
