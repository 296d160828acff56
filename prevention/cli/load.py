"""python -m loaders [--db PATH] [--dry-run] [--json] [--user NAME] [--lang ru|kk|en] FILE...

Every file goes through the load use case, as on the Загрузка page: same rows, same kept original, same audit
entry (under --user, else the operating system's user name), same remembered mapping. When the running
dashboard holds the database, the files (read here) go through its socket and the dashboard runs this same load
(prevention.cli.remote, prevention.service).
Exit codes: 0 every file loaded (or was already loaded) with no rejected row; 1 a file failed or a row was
rejected (or the database is busy and no dashboard answers); 2 bad usage."""
from __future__ import annotations

import argparse
import base64
import json
import sys
from functools import partial
from pathlib import Path

from loaders.problems import LoaderError, Problem
from loaders.report import FileReport, IngestReport
from prevention.cli import remote
from prevention.cli.prefetch import Prefetch
from prevention.ipc.protocol import socket_path
from prevention.storage import errorlog
from prevention.texts import formats
from prevention.texts import lookup as catalogue
from prevention.texts import matches as match_texts
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


def _open(path, dry_run: bool, lang: str):
    """(connection or None, a message when the database cannot be opened, whether another process holds it)."""
    from prevention.storage.db import DatabaseError, DatabaseLocked, connect

    if dry_run and not path.exists():
        return None, None, False
    try:
        return connect(path, read_only=dry_run), None, False
    except DatabaseLocked:
        return None, catalogue.t("cli.db_locked", lang, path=str(path)), True
    except DatabaseError as e:
        return None, catalogue.t("cli.db_error", lang, path=str(path), error=str(e.__cause__ or e)), False


def read_file(name: str) -> tuple[bytes | None, Problem | None]:
    """The file's bytes, or why they cannot be had (missing, a folder or device, too large, unreadable)."""
    from loaders.read import read_path

    try:
        return read_path(name), None
    except LoaderError as e:
        return None, e.problem


def load_one(con, entry: dict, actor, dry_run: bool) -> FileReport:
    """One file of the request: {"name": path} is read here; {"name", "data": bytes} or {"name", "problem"} come
    read already (by the command line that sent them through the dashboard's socket)."""
    from prevention.usecases.load import load_file

    name = entry["name"]
    data, problem = entry.get("data"), entry.get("problem")
    if data is None and problem is None:
        data, problem = read_file(name)
    if problem is not None:
        return FileReport(file=Path(name).name, dry_run=dry_run).fail(problem)
    return load_file(con, data, Path(name).name, actor, dry_run=dry_run, parsed=entry.get("parsed"))


def remote_request(args) -> dict:
    """The request the dashboard's socket server runs: the files read here (the bytes, base64), who acts."""
    from prevention.usecases.rights import cli_actor

    files = []
    for name in args.files:
        data, problem = read_file(name)
        entry = {"name": Path(name).name}
        if problem is not None:
            entry["problem"] = problem.to_dict()
        else:
            entry["data"] = base64.b64encode(data).decode("ascii")
        files.append(entry)
    return {"command": "load", "files": files, "user": cli_actor(args.user).username, "lang": args.lang,
            "dry_run": args.dry_run, "json": args.json}


def decoded(entry: dict) -> dict:
    """A file of a socket request as load_one takes it."""
    if entry.get("problem") is not None:
        return {"name": entry["name"], "problem": Problem.from_dict(entry["problem"])}
    return {"name": entry["name"], "data": base64.b64decode(entry["data"])}


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)  # exits 2 on bad usage
    from loaders import sandbox

    sandbox.warm_up()  # the reading worker loads the reader while this process opens the database
    errorlog.configure()
    from prevention.storage.db import resolve_path

    path = resolve_path(args.db)
    # the first file is read while the database opens; not when a running dashboard will take the load
    ahead = None if socket_path(path).exists() else Prefetch(args.files)
    try:
        return _main(args, path, ahead)
    finally:
        if ahead is not None:
            ahead.close()


def _main(args, path, ahead: Prefetch | None) -> int:
    from prevention.usecases.rights import cli_actor

    con, refusal, locked = _open(path, args.dry_run, args.lang)
    refuse = partial(_refuse, as_json=args.json)
    if locked:  # the running dashboard holds the file: ask it to run the load
        code = remote.forward(path, remote_request(args), args.lang, refuse)
        if code is not None:
            return code
    if refusal and not args.dry_run:
        refuse(refusal, args.lang)
        return 1
    request = {"files": [{"name": name} for name in args.files], "user": cli_actor(args.user).username,
               "lang": args.lang, "dry_run": args.dry_run, "json": args.json}
    try:
        return run(con, request, sys.stdout, ahead)
    finally:
        if con is not None:
            con.close()


def _refuse(text: str, lang: str, as_json: bool) -> None:
    """Why nothing was loaded: the JSON report's `error` with --json, else «Ошибка: …» on standard error."""
    if as_json:
        print(json.dumps({"files": [], "error": text}, ensure_ascii=False))
    else:
        print(catalogue.t("cli.error", lang, text=text), file=sys.stderr)


def execute(con, request: dict, out, err) -> int:
    """The socket server's entry: a request of remote_request, on the dashboard's connection."""
    request = dict(request, files=[decoded(entry) for entry in request["files"]])
    return run(con, request, out)


def run(con, request: dict, out, ahead: Prefetch | None = None) -> int:
    """Load every file of the request, print as the command line prints, return the exit code. `ahead`: the
    request's files being read ahead (the command line's own files, in the same order)."""
    from prevention.usecases.rights import CLI, Actor

    lang, as_json, dry_run = request["lang"], request["json"], request["dry_run"]
    render = partial(problem_text, lang=lang)
    report, actor = IngestReport(), Actor(request["user"], CLI)
    for index, entry in enumerate(request["files"]):
        file_report = load_one(con, ahead.take(index) if ahead is not None else entry, actor, dry_run)
        report.files.append(file_report)
        if not as_json:
            print_summary(file_report, lang, out)
    if as_json:
        print(json.dumps(report.to_dict(render), ensure_ascii=False, default=str), file=out)
    elif len(report.files) > 1:
        n = partial(formats.number, lang=lang)
        print(catalogue.t("cli.load.total", lang, files=n(len(report.files)),
                          loaded=n(sum(f.rows_loaded for f in report.files)),
                          rejected=n(sum(f.rows_rejected for f in report.files))), file=out)
    out.flush()
    return report.exit_code


def print_summary(report: FileReport, lang: str, out=None) -> None:
    t = partial(catalogue.t, lang=lang)
    say = partial(print, file=out or sys.stdout)
    status = "dry_run" if report.dry_run and report.status == "loaded" else report.status
    say(t("cli.load.file", file=report.file, status=t(f"cli.load.status.{status}")))
    if report.status == "failed":
        say("  " + problem_text(report.failure, lang))
        return
    if report.status == "duplicate":
        earlier = report.duplicate_of or {}
        key = "cli.load.duplicate_replaced" if earlier.get("replaced_by") else "cli.load.duplicate"
        when = earlier.get("loaded_at")
        say("  " + t(key, when=formats.date_time(when, lang) if when else "", batch=earlier.get("batch_id"),
                       new_batch=earlier.get("replaced_by")))
        return
    shape = report.shape if report.shape in ("events", "summary", "population") else "events"
    n = partial(formats.number, lang=lang)
    say("  " + t("cli.load.counts", shape=t(f"cli.load.shape.{shape}"), read=n(report.rows_read),
                   loaded=n(report.rows_loaded), skipped=n(report.rows_skipped), rejected=n(report.rows_rejected),
                   skipped_what=t(f"cli.load.skipped.{shape}")))
    for sheet in report.sheets:
        say("  " + t("cli.load.sheet", sheet=sheet["sheet"], rows=", ".join(map(str, sheet["header_rows"]))))
    for match in report.region_matches:
        if match["region_code"] is None:
            say("  " + t("cli.load.region_unknown", text=match["text"]))
        elif match["confidence"] < 1.0 or match["note"]:
            note = match_texts.note_label(match, lang) if match["note"] != "spelling" else ""  # the method says it
            say("  " + t("cli.load.region", text=match["text"], code=match["region_code"],
                           method=match_texts.method_label(match["method"], match["note"], lang),
                           confidence=formats.percent(match["confidence"], lang, digits=0),
                           note=f"— {note}" if note else "").rstrip())
    for problem in report.errors[:SHOW_ERRORS] + report.warnings[:SHOW_ERRORS]:
        say("  " + where(problem, lang) + ": " + problem_text(problem, lang))
    if len(report.errors) > SHOW_ERRORS:
        say("  " + t("cli.load.more_errors", count=len(report.errors) - SHOW_ERRORS))


def where(problem: Problem, lang: str) -> str:
    """Where a problem is: sheet and row, the sheet alone (a column's warning), or the file."""
    if problem.sheet is not None and problem.row is not None:
        text = catalogue.t("cli.load.where", lang, sheet=problem.sheet, row=problem.row)
    elif problem.sheet is not None:
        text = catalogue.t("cli.load.where_sheet", lang, sheet=problem.sheet)
    else:
        text = catalogue.t("cli.load.where_file", lang)
    if problem.column:
        text += catalogue.t("cli.load.where_column", lang, column=problem.column)
    return text
