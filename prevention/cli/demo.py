"""python -m prevention.demo [--db PATH] [--if-empty] [--seed N] [--user NAME] [--lang ru|kk|en]: the demo data."""
from __future__ import annotations

import argparse
import sys
from functools import partial

from prevention.storage import errorlog
from prevention.storage.batches import find_batch_by_sha
from prevention.storage.db import DatabaseError, connect, resolve_path
from prevention.texts import lookup as catalogue
from prevention.usecases.demo import DEFAULT_SEED, load_demo
from prevention.usecases.rights import cli_actor


def build_parser() -> argparse.ArgumentParser:
    t = catalogue.t
    parser = argparse.ArgumentParser(prog="python -m prevention.demo", description=t("cli.demo.description"))
    parser.add_argument("--db", help=t("cli.db_help"))
    parser.add_argument("--if-empty", action="store_true", help=t("cli.demo.if_empty"))
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=t("cli.demo.seed"))
    parser.add_argument("--user", default=None, help=t("cli.load.user"))
    parser.add_argument("--lang", choices=tuple(catalogue.LANGUAGES), default=catalogue.DEFAULT,
                        help=t("cli.lang_help"))
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    errorlog.configure()
    t = partial(catalogue.t, lang=args.lang)
    path = resolve_path(args.db)
    try:
        con = connect(path)
    except DatabaseError as e:
        print(str(e), file=sys.stderr)
        return 1
    try:
        stored = con.cursor().execute("SELECT count(*) FROM batch").fetchone()[0]
        if args.if_empty and stored:
            print(t("cli.demo.not_empty", path=path, batches=stored))
            return 0
        existing = find_batch_by_sha(con, f"demo-{args.seed}")
        if existing is not None:
            print(t("cli.demo.already", path=path, batch=existing["batch_id"]))
            return 0
        batch_id = load_demo(con, args.seed, cli_actor(args.user))
        rows = con.cursor().execute("SELECT rows_loaded FROM batch WHERE batch_id = ?", [batch_id]).fetchone()[0]
        print(t("cli.demo.loaded", rows=rows, batch=batch_id, path=path))
        return 0
    finally:
        con.close()
