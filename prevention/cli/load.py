"""python -m loaders [--db PATH] [--dry-run] [--json] [--user NAME] [--lang ru|kk|en] FILE...

Every file goes through the load use case, as on the Загрузка page: same rows, same kept original, same audit
entry (under --user, else the operating system's user name), same remembered mapping.
Exit codes: 0 every file loaded (or was already loaded) with no rejected row; 1 a file failed or a row was
rejected (or the database is busy); 2 bad usage."""
from __future__ import annotations

import argparse
import json
import sys
from functools import partial
from pathlib import Path

from loaders.problems import LoaderError, Problem
from loaders.report import FileReport, IngestReport
from prevention.storage import errorlog
from prevention.texts import formats
from prevention.texts import lookup as catalogue
from prevention.texts import problem_message as problem_text

SHOW_ERRORS = 10


def build_parser() -> argparse.ArgumentParser:
    t = catalogue.t
    parser = argparse.ArgumentParser(prog="python -m loaders", description=t("cli.load.description"))
    parser.add_argument("files", nargs="+", metavar="FILE", help=t("cli.load.files"))
    parser.add_argument("--db", help=t("cli.db_help"))
    parser.add_argument("--dry-run", action="store_true", help=t("cli.load.dry_run"))
    parser.add_argument("--json", action="store_true", help=t("cli.load.json"))
    parser.add_argument("--user", default=None, help=t("cli.load.user"))
    parser.add_argument("--lang", choices=tuple(catalogue.LANGUAGES), default=catalogue.DEFAULT,
                        help=t("cli.lang_help"))
    return parser


def _open(db: str | None, dry_run: bool, lang: str):
    """(connection or None, a message when the database cannot be opened)."""
    from prevention.storage.db import (
        DatabaseError,
        DatabaseLocked,
        connect,
        resolve_path,
    )

    path = resolve_path(db)
    if dry_run and not path.exists():
        return None, None
    try:
        return connect(path, read_only=dry_run), None
    except DatabaseLocked:
        return None, catalogue.t("cli.db_locked", lang, path=str(path))
    except DatabaseError as e:
        return None, catalogue.t("cli.db_error", lang, path=str(path), error=str(e.__cause__ or e))


def read_file(name: str) -> tuple[bytes | None, Problem | None]:
    """The file's bytes, or why they cannot be had (missing, a folder or device, too large, unreadable)."""
    from loaders.read import read_path

    try:
        return read_path(name), None
    except LoaderError as e:
        return None, e.problem


def load_one(con, name: str, actor, dry_run: bool) -> FileReport:
    from prevention.usecases.load import load_file

    data, problem = read_file(name)
    if problem is not None:
        return FileReport(file=Path(name).name, dry_run=dry_run).fail(problem)
    return load_file(con, data, Path(name).name, actor, dry_run=dry_run)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)  # exits 2 on bad usage
    from loaders import sandbox

    sandbox.warm_up()  # the reading worker loads the reader while this process opens the database
    errorlog.configure()
    from prevention.usecases.rights import cli_actor

    render = partial(problem_text, lang=args.lang)
    con, refusal = _open(args.db, args.dry_run, args.lang)
    if refusal and not args.dry_run:
        if args.json:
            print(json.dumps({"files": [], "error": refusal}, ensure_ascii=False))
        else:
            print(catalogue.t("cli.error", args.lang, text=refusal), file=sys.stderr)
        return 1
    report, actor = IngestReport(), cli_actor(args.user)
    try:
        for name in args.files:
            file_report = load_one(con, name, actor, args.dry_run)
            report.files.append(file_report)
            if not args.json:
                print_summary(file_report, args.lang)
    finally:
        if con is not None:
            con.close()
    if args.json:
        print(json.dumps(report.to_dict(render), ensure_ascii=False, default=str))
    elif len(report.files) > 1:
        n = partial(formats.number, lang=args.lang)
        print(catalogue.t("cli.load.total", args.lang, files=n(len(report.files)),
                          loaded=n(sum(f.rows_loaded for f in report.files)),
                          rejected=n(sum(f.rows_rejected for f in report.files))))
    return report.exit_code


def print_summary(report: FileReport, lang: str) -> None:
    t = partial(catalogue.t, lang=lang)
    status = "dry_run" if report.dry_run and report.status == "loaded" else report.status
    print(t("cli.load.file", file=report.file, status=t(f"cli.load.status.{status}")))
    if report.status == "failed":
        print("  " + problem_text(report.failure, lang))
        return
    if report.status == "duplicate":
        earlier = report.duplicate_of or {}
        key = "cli.load.duplicate_replaced" if earlier.get("replaced_by") else "cli.load.duplicate"
        when = earlier.get("loaded_at")
        print("  " + t(key, when=formats.date_time(when, lang) if when else "", batch=earlier.get("batch_id"),
                       new_batch=earlier.get("replaced_by")))
        return
    shape = report.shape if report.shape in ("events", "summary", "population") else "events"
    n = partial(formats.number, lang=lang)
    print("  " + t("cli.load.counts", shape=t(f"cli.load.shape.{shape}"), read=n(report.rows_read),
                   loaded=n(report.rows_loaded), skipped=n(report.rows_skipped), rejected=n(report.rows_rejected),
                   skipped_what=t(f"cli.load.skipped.{shape}")))
    for sheet in report.sheets:
        print("  " + t("cli.load.sheet", sheet=sheet["sheet"], rows=", ".join(map(str, sheet["header_rows"]))))
    for match in report.region_matches:
        if match["confidence"] < 1.0 or match["note"]:
            print("  " + t("cli.load.region", text=match["text"], code=match["region_code"] or t("cli.load.not_found"),
                           method=match["method"], confidence=f"{match['confidence']:.2f}", note=match["note"] or ""))
    for problem in report.errors[:SHOW_ERRORS] + report.warnings[:SHOW_ERRORS]:
        print("  " + where(problem, lang) + ": " + problem_text(problem, lang))
    if len(report.errors) > SHOW_ERRORS:
        print("  " + t("cli.load.more_errors", count=len(report.errors) - SHOW_ERRORS))


def where(problem: Problem, lang: str) -> str:
    text = catalogue.t("cli.load.where", lang, sheet=problem.sheet, row=problem.row)
    if problem.column:
        text += catalogue.t("cli.load.where_column", lang, column=problem.column)
    return text
