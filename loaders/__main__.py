"""python -m loaders [--db PATH] [--dry-run] [--json] FILE...

Exit codes: 0 every file loaded (or was already loaded) with no rejected row; 1 a file failed or a row was
rejected (or the database is busy); 2 bad usage."""
from __future__ import annotations

import argparse
import json
import sys

from loaders.report import FileReport, IngestReport

SHOW_ERRORS = 10


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m loaders",
        description="Загрузка отчётов о профилактических мероприятиях (xlsx, xlsm, xls, ods, csv) в базу DuckDB.",
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="файлы отчётов")
    parser.add_argument("--db", help="файл базы данных (по умолчанию $PREVENTION_DB или data/prevention.duckdb)")
    parser.add_argument("--dry-run", action="store_true", help="только проверить файлы, ничего не записывать")
    parser.add_argument("--json", action="store_true", help="вывести отчёт одним объектом JSON")
    parser.add_argument("--user", default=None, help="кто загружает (записывается в журнал пакетов)")
    return parser


def _open(db: str | None, dry_run: bool):
    from prevention.storage.db import DatabaseError, DatabaseLocked, connect, resolve_path

    path = resolve_path(db)
    if dry_run and not path.exists():
        return None, None
    try:
        return connect(path, read_only=dry_run), None
    except DatabaseLocked as e:
        return None, str(e)
    except DatabaseError as e:
        return None, str(e)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)  # exits 2 on bad usage
    con, problem = _open(args.db, args.dry_run)
    if problem and not args.dry_run:
        if args.json:
            print(json.dumps({"files": [], "error": problem}, ensure_ascii=False))
        else:
            print(f"Ошибка: {problem}", file=sys.stderr)
        return 1
    report = IngestReport()
    from prevention.texts import problem_message
    try:
        for name in args.files:
            parsed = _interim_load(con, name, args.dry_run, args.user)
            report.files.append(parsed.report)
            if not args.json:
                print_summary(parsed.report)
    finally:
        if con is not None:
            con.close()
    if args.json:
        print(json.dumps(report.to_dict(problem_message), ensure_ascii=False, default=str))
    elif len(report.files) > 1:
        loaded = sum(f.rows_loaded for f in report.files)
        rejected = sum(f.rows_rejected for f in report.files)
        print(f"Итого: файлов {len(report.files)}, строк загружено {loaded}, отклонено {rejected}.")
    return report.exit_code


def _interim_load(con, name, dry_run, user):
    """Parse in the sandbox and store with prevention.storage (until the load use case replaces this)."""
    import hashlib
    from pathlib import Path

    from loaders.ingest import Parsed, hashed_report
    from loaders.problems import LoaderError
    from loaders.read import read_path
    from loaders.sandbox import parse_isolated
    from prevention.storage import batches

    try:
        data = read_path(name)
    except LoaderError as e:
        return Parsed(hashed_report(b"", Path(name).name).fail(e.problem))
    if con is not None:
        earlier = batches.find_batch_by_sha(con, hashlib.sha256(data).hexdigest())
        if earlier is not None:
            report = hashed_report(data, Path(name).name)
            report.status, report.duplicate_of = "duplicate", earlier
            return Parsed(report)
    parsed = parse_isolated(data, Path(name).name)
    report = parsed.report
    report.dry_run = dry_run
    if report.status != "loaded" or dry_run or con is None:
        return parsed
    info = batches.BatchInfo(file_name=report.file, sha256=report.sha256, size_bytes=len(data), shape=report.shape,
                             rows_read=report.rows_read, rows_loaded=report.rows_loaded,
                             rows_skipped=report.rows_skipped, rows_rejected=report.rows_rejected, loaded_by=user)
    rejected = [{"source_sheet": r["sheet"], "source_row": r["row"], "raw_values": r["raw_values"],
                 "errors": r["problems"]} for r in parsed.rejected]
    report.batch_id = batches.store_batch(con, info, parsed.columns, rejected, population=parsed.population)
    return parsed


SKIPPED_RU = {"events": "пустые и итоговые", "summary": "пустые и итоговые",
              "population": "пустые, итоговые, населённые пункты и повторы"}
STATUS_RU = {"loaded": "загружен", "duplicate": "уже был загружен", "failed": "не загружен"}


def print_summary(report: FileReport) -> None:
    status = "проверен (пробный прогон, ничего не записано)" if report.dry_run and report.status == "loaded" else STATUS_RU[report.status]
    print(f"{report.file}: {status}")
    if report.status == "failed":
        from prevention.texts import problem_message
        print(f"  {problem_message(report.failure)}")
        return
    if report.status == "duplicate":
        earlier = report.duplicate_of or {}
        print(f"  Тот же файл уже загружен {earlier.get('loaded_at')} (пакет {earlier.get('batch_id')}); ничего не записано.")
        return
    shape = {"events": "журнал мероприятий", "summary": "сводка по регионам",
             "population": "численность населения (справочник)"}.get(report.shape, report.shape)
    print(f"  Вид: {shape}; строк прочитано {report.rows_read}, загружено {report.rows_loaded}, "
          f"пропущено {report.rows_skipped} ({SKIPPED_RU.get(report.shape, SKIPPED_RU['events'])}), "
          f"отклонено {report.rows_rejected}.")
    for sheet in report.sheets:
        print(f"  Лист «{sheet['sheet']}», заголовок в строках {', '.join(map(str, sheet['header_rows']))}.")
    from prevention.texts import problem_message
    for error in report.errors[:SHOW_ERRORS]:
        where = f"лист «{error.sheet}», строка {error.row}" + (f", столбец «{error.column}»" if error.column else "")
        print(f"  {where}: {problem_message(error)}")
    if len(report.errors) > SHOW_ERRORS:
        print(f"  … и ещё {len(report.errors) - SHOW_ERRORS} ошибок (полный список: --json).")


if __name__ == "__main__":
    sys.exit(main())
