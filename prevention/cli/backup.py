"""python -m prevention.backup create [--db PATH] [--to DIR] | restore FOLDER --db NEWFILE [--force]

create: a dated folder (e.g. data/backups/2026-12-02T1130/) with the database exported as Parquet, the kept
original uploads of its batches and manifest.json; beside a running dashboard it goes through the dashboard's
socket. restore: into a new database file (a database that holds tables is replaced only with --force).
Exit codes: 0 done, 1 refused or failed, 2 bad usage."""
from __future__ import annotations

import argparse
import sys
from functools import partial
from pathlib import Path

from prevention.cli import remote
from prevention.storage import errorlog
from prevention.storage.db import DatabaseError, DatabaseLocked, connect, resolve_path
from prevention.texts import formats
from prevention.texts import lookup as catalogue
from prevention.usecases import backup as backups
from prevention.usecases.load import uploads_folder


def build_parser() -> argparse.ArgumentParser:
    t = catalogue.t
    parser = argparse.ArgumentParser(prog="python -m prevention.backup", description=t("cli.backup.description"))
    languages = {"choices": tuple(catalogue.LANGUAGES), "help": t("cli.lang_help")}
    parser.add_argument("--lang", default=catalogue.DEFAULT, **languages)
    sub = parser.add_subparsers(dest="action", required=True)
    create = sub.add_parser("create", help=t("cli.backup.create"))
    create.add_argument("--db", help=t("cli.db_help"))
    create.add_argument("--to", help=t("cli.backup.to"))
    restore = sub.add_parser("restore", help=t("cli.backup.restore"))
    restore.add_argument("folder", help=t("cli.backup.folder"))
    for command in (create, restore):  # --lang before or after the command; a value before it is kept
        command.add_argument("--lang", default=argparse.SUPPRESS, **languages)
    restore.add_argument("--db", required=True, help=t("cli.backup.target"))
    restore.add_argument("--force", action="store_true", help=t("cli.backup.force"))
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    errorlog.configure()
    t = partial(catalogue.t, lang=args.lang)
    path = resolve_path(args.db).resolve()
    if args.action == "restore":
        return _restore(Path(args.folder), path, args.force, t, args.lang)
    to = Path(args.to).resolve() if args.to else path.parent / "backups"
    request = {"command": "backup", "action": "create", "to": str(to), "lang": args.lang}
    try:
        con = connect(path)
    except DatabaseLocked:  # the running dashboard holds the file: it writes the backup
        code = remote.forward(path, request, args.lang)
        if code is None:
            print(t("cli.error", text=t("cli.db_locked", path=str(path))), file=sys.stderr)
            return 1
        return code
    except DatabaseError as e:
        print(t("cli.error", text=t("cli.db_error", path=str(path), error=str(e.__cause__ or e))), file=sys.stderr)
        return 1
    try:
        return execute(con, request, sys.stdout, sys.stderr)
    finally:
        con.close()


def execute(con, request: dict, out, err) -> int:
    """Create a backup (also the socket server's entry)."""
    lang = request["lang"]
    t = partial(catalogue.t, lang=lang)
    n = partial(formats.number, lang=lang)
    try:
        made = backups.create_backup(con, uploads_folder(con), Path(request["to"]))
    except OSError as e:
        print(t("cli.error", text=t("cli.backup.write_failed", folder=request["to"], reason=e.strerror or e)),
              file=err)
        return 1
    print(t("cli.backup.created", folder=str(made.folder), tables=n(len(made.tables)),
            rows=n(sum(made.tables.values())), originals=n(len(made.originals))), file=out)
    if made.missing:
        print(t("cli.backup.missing_originals", batches=", ".join(map(str, made.missing))), file=out)
    return 0


def _restore(folder: Path, target: Path, force: bool, t, lang: str) -> int:
    n = partial(formats.number, lang=lang)
    try:
        done = backups.restore_backup(folder, target, force)
    except backups.NotABackup:
        return _error(t, t("cli.backup.not_a_backup", folder=str(folder)))
    except backups.NotEmpty as e:
        return _error(t, t("cli.backup.not_empty", db=str(target), rows=n(e.rows)))
    except backups.Mismatch as e:
        return _error(t, t("cli.backup.mismatch", table=e.table, expected=n(e.expected), got=n(e.got)))
    except DatabaseLocked:
        return _error(t, t("cli.db_locked", path=str(target)))
    except DatabaseError as e:
        return _error(t, t("cli.db_error", path=str(target), error=str(e.__cause__ or e)))
    except OSError as e:
        return _error(t, t("cli.backup.write_failed", folder=str(target), reason=e.strerror or e))
    print(t("cli.backup.restored", db=str(done.db), tables=n(len(done.tables)), rows=n(sum(done.tables.values())),
            originals=n(done.originals)))
    return 0


def _error(t, text: str) -> int:
    print(t("cli.error", text=text), file=sys.stderr)
    return 1
