"""`python -m loaders` as a person runs it: exit codes, the JSON report, the readable summary, a busy database."""
from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from tests.workbooks import KARAGANDA_JUNE_2025, event_log, event_rows

ROOT = Path(__file__).resolve().parent.parent


def run(*args, env_db: Path | None = None):
    import os

    env = dict(os.environ)
    env.pop("PREVENTION_DB", None)
    if env_db:
        env["PREVENTION_DB"] = str(env_db)
    return subprocess.run([sys.executable, "-m", "loaders", *map(str, args)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120, check=False)


def test_json_report_and_exit_codes(tmp_path):
    db = tmp_path / "cli.duckdb"
    good = event_log(tmp_path / "good.xlsx", KARAGANDA_JUNE_2025)
    first = run("--db", db, "--json", good)
    assert first.returncode == 0, first.stderr
    report = json.loads(first.stdout)
    (entry,) = report["files"]
    assert {k: entry[k] for k in ("file", "status", "shape", "rows_read", "rows_loaded", "rows_skipped",
                                  "rows_rejected", "errors", "error")} == {
        "file": "good.xlsx", "status": "loaded", "shape": "events", "rows_read": 5, "rows_loaded": 4,
        "rows_skipped": 1, "rows_rejected": 0, "errors": [], "error": None}
    assert len(entry["sha256"]) == 64
    again = run("--db", db, "--json", good)
    assert again.returncode == 0
    assert json.loads(again.stdout)["files"][0]["status"] == "duplicate"


def test_rejected_rows_and_failed_files_exit_1_with_errors_in_json(tmp_path):
    bad = event_log(tmp_path / "bad.xlsx", event_rows(2) + [[9, "01.01.2025", "Марс"] + [None] * 7], total_row=False)
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"not a workbook at all \x00\x01\x02")
    result = run("--db", tmp_path / "x.duckdb", "--json", bad, junk)
    assert result.returncode == 1
    files = json.loads(result.stdout)["files"]
    assert files[0]["status"] == "loaded" and files[0]["rows_rejected"] == 1
    assert files[0]["errors"] == [{"sheet": "Мероприятия", "row": 7, "column": "Регион", "code": "unknown-region",
                                   "message": "Регион «Марс» не найден в справочнике", "params": {"value": "Марс"}}]
    assert files[0]["warnings"] == []
    assert files[1]["status"] == "failed" and files[1]["error"] and files[1]["error_code"]
    assert "/" not in files[1]["error"]  # no server path in a message
    for f in files:
        assert f["rows_read"] == f["rows_loaded"] + f["rows_skipped"] + f["rows_rejected"]


def test_readable_summary_names_rows_and_reasons(tmp_path):
    bad = event_log(tmp_path / "bad.xlsx", event_rows(2) + [[9, "31.02.2025", "ВКО"] + [None] * 7])
    result = run("--db", tmp_path / "x.duckdb", bad)
    assert result.returncode == 1
    assert "bad.xlsx: загружен" in result.stdout
    assert "строк прочитано 4, загружено 2, пропущено 1 (пустые и итоговые), отклонено 1" in result.stdout
    assert ("лист «Мероприятия», строка 7, столбец «Дата проведения»: Такой даты не существует: «31.02.2025»"
            in result.stdout)
    assert "Traceback" not in result.stdout + result.stderr


def test_a_kazakh_run_prints_kazakh(tmp_path):
    bad = event_log(tmp_path / "bad.xlsx", event_rows(2) + [[9, "31.02.2025", "ВКО"] + [None] * 7])
    result = run("--db", tmp_path / "x.duckdb", "--lang", "kk", bad)
    assert result.returncode == 1
    assert "bad.xlsx: жүктелді" in result.stdout
    assert "жол оқылды 4, жүктелді 2, өткізілді 1 (бос және жиынтық), қабылданбады 1" in result.stdout
    assert "«31.02.2025»" in result.stdout
    for russian in ("загружен", "строк", "лист", "Такой даты"):
        assert russian not in result.stdout


def test_dry_run_writes_nothing_and_db_comes_from_the_environment(tmp_path):
    db = tmp_path / "env.duckdb"
    good = event_log(tmp_path / "good.xlsx", event_rows(3))
    assert run("--dry-run", good, env_db=db).returncode == 0
    assert not db.exists()
    assert run(good, env_db=db).returncode == 0
    assert db.exists()


def test_bad_usage_exits_2():
    assert run().returncode == 2
    assert run("--no-such-flag", "x.xlsx").returncode == 2


def test_a_database_held_by_another_process_is_reported_not_waited_on(tmp_path):
    db = tmp_path / "busy.duckdb"
    holder = subprocess.Popen([sys.executable, "-c", (
        f"import sys, time; sys.path.insert(0, {str(ROOT)!r}); from prevention.storage.db import connect; "
        f"c = connect({str(db)!r}); print('ready', flush=True); time.sleep(60)")], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        started = time.monotonic()
        result = run("--db", db, event_log(tmp_path / "g.xlsx", event_rows(2)))
        assert result.returncode == 1
        assert "занята другим процессом" in result.stderr
        assert time.monotonic() - started < 60
    finally:
        holder.kill()
        holder.wait()


def test_several_files_are_read_ahead_in_order_and_each_reported(tmp_path):
    """The command line reads the next file while it stores one (prevention.cli.prefetch): every file is still
    loaded once, reported in the order given, a missing one in its place, and the totals are the files' own."""
    import duckdb

    first = event_log(tmp_path / "first.xlsx", event_rows(7))
    second = event_log(tmp_path / "second.xlsx", event_rows(5, start=7))
    third = event_log(tmp_path / "third.xlsx", event_rows(3, start=12))
    db = tmp_path / "ahead.duckdb"
    result = run("--db", db, "--json", first, tmp_path / "missing.xlsx", second, third)
    assert result.returncode == 1  # the missing file fails
    files = json.loads(result.stdout)["files"]
    assert [f["file"] for f in files] == ["first.xlsx", "missing.xlsx", "second.xlsx", "third.xlsx"]
    assert [f["status"] for f in files] == ["loaded", "failed", "loaded", "loaded"]
    assert [f["rows_loaded"] for f in files if f["status"] == "loaded"] == [7, 5, 3]
    expected = sum(row[7] for row in event_rows(15))  # «Охват» of the fixture's own rows
    with duckdb.connect(str(db), read_only=True) as con:
        stored = con.execute("SELECT count(*), sum(participants) FROM activity_record").fetchone()
    assert stored == (15, expected)


def test_prefetch_gives_each_file_once_in_order(tmp_path):
    from prevention.cli.prefetch import Prefetch

    names = [event_log(tmp_path / f"f{i}.xlsx", event_rows(i + 1, start=10 * i)) for i in range(3)]
    ahead = Prefetch([str(names[0]), str(tmp_path / "nowhere.xlsx"), str(names[1]), str(names[2])])
    try:
        taken = [ahead.take(i) for i in range(4)]
    finally:
        ahead.close()
    assert taken[1]["problem"].code == "file-not-found"
    assert [t["parsed"].report.rows_loaded for t in taken if "parsed" in t] == [1, 2, 3]
    assert [t["data"] for t in taken if "data" in t] == [n.read_bytes() for n in names]


def test_collections_are_paused_only_inside_the_block():
    import gc

    from loaders import collector

    assert gc.isenabled()
    try:
        with collector.paused():
            assert not gc.isenabled()
            with collector.paused():
                assert not gc.isenabled()
            assert not gc.isenabled()  # the inner block leaves the outer one paused
            raise KeyError("a failure inside")
    except KeyError:
        pass
    assert gc.isenabled()


def test_districts_under_section_headings_are_reported_with_their_sections_region(tmp_path):
    """A summary with «Павлодарская область» written across the table and its towns and districts under it: the
    report names each district with the region its rows were given, never «не найден», and a column's warning
    says its sheet without a row number (no «None»)."""
    from tests.corpus.cases import sum_sections_xls

    case = sum_sections_xls(tmp_path)
    result = run("--dry-run", "--json", case.path)
    matches = {m["text"]: m for m in json.loads(result.stdout)["files"][0]["region_matches"]}
    for district in ("г. Экибастуз", "Баянаульский район"):
        assert (matches[district]["region_code"], matches[district]["method"]) == ("KZ-55", "placed")
    for district in ("г. Тараз", "Кордайский район"):
        assert (matches[district]["region_code"], matches[district]["method"]) == ("KZ-31", "placed")
    assert all(m["region_code"] for m in matches.values())
    for lang in ("ru", "kk", "en"):
        readable = run("--dry-run", "--lang", lang, case.path).stdout
        assert "None" not in readable and "unknown" not in readable, readable


def test_a_region_found_only_by_its_words_form_is_a_warning_in_every_language(tmp_path):
    """«Жамбылськая область» is Jambyl region, but not written as its name: the JSON report carries a
    «spelling-region» warning, and the readable report says it in the chosen language."""
    path = tmp_path / "zhambyl.csv"
    path.write_text("Дата;Регион;Охват\n12.03.2025;Жамбылськая область;40\n13.03.2025;Карагандинская область;50\n",
                    encoding="utf-8")
    report = json.loads(run("--dry-run", "--json", path).stdout)["files"][0]
    assert [(w["code"], w["params"]) for w in report["warnings"]] == [
        ("spelling-region", {"value": "Жамбылськая область", "region": "KZ-31"})]
    assert report["rows_loaded"] == 2
    for lang, words in (("ru", "Жамбылская область"), ("kk", "Жамбыл облысы"), ("en", "Jambyl Region")):
        readable = run("--dry-run", "--lang", lang, path).stdout
        assert words in readable and "spelling" not in readable.replace("spelling differs", ""), readable


def test_row_numbers_of_a_short_table_are_not_a_column_left_unread(tmp_path):
    """«№» over 1, 2 (too short to be seen as a sequence) is the row number: no «column-not-read» warning; a real
    figures column nobody took is still named."""
    short = tmp_path / "short.csv"
    short.write_text("Сведения за май 2025 года\n№;Регион;Мероприятий;Охват\n1;Карагандинская область;12;400\n"
                     "2;ВКО;5;200\n", encoding="utf-8")
    warned = json.loads(run("--dry-run", "--json", short).stdout)["files"][0]["warnings"]
    assert [w for w in warned if w["code"] == "column-not-read"] == []
    extra = tmp_path / "extra.csv"
    extra.write_text("Сведения за май 2025 года\n№;Регион;Мероприятий;Охват;до 14 лет\n1;Карагандинская область;12;400;"
                     "90\n2;ВКО;5;200;31\n", encoding="utf-8")
    warned = json.loads(run("--dry-run", "--json", extra).stdout)["files"][0]["warnings"]
    assert [w["params"] for w in warned if w["code"] == "column-not-read"] == [{"column": "до 14 лет"}]


def test_a_failed_formula_in_a_read_cell_rejects_its_row_in_every_language(tmp_path):
    """«#REF!» in «Охват» is read as empty by the parser; the row is rejected with the error (it was loaded with
    no reach), while «#DIV/0!» in a share column nobody reads changes nothing."""
    import xlsxwriter

    path = tmp_path / "formulas.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Май")
    sheet.write_row(0, 0, ["Сведения о профилактических мероприятиях за май 2025 года"])
    sheet.write_row(2, 0, ["Регион", "Мероприятий", "Охват", "Доля молодёжи, %"])
    sheet.write_row(3, 0, ["Жамбылская область", 14, 900])
    sheet.write_formula(3, 3, "=C4/0", None, "#DIV/0!")
    sheet.write_row(4, 0, ["Кызылординская область", 11])
    sheet.write_formula(4, 2, "=Лист2!A1", None, "#REF!")
    sheet.write_row(4, 3, [9.5])
    sheet.write_row(5, 0, ["Туркестанская область", 29, 2300, 14.1])
    book.close()
    report = json.loads(run("--dry-run", "--json", path).stdout)["files"][0]
    assert (report["rows_loaded"], report["rows_rejected"]) == (2, 1)
    assert [(e["row"], e["code"], e["params"], e["column"]) for e in report["errors"]] == [
        (5, "formula-error", {"value": "#REF!"}, "Охват")]
    for lang, word in (("ru", "Ошибка формулы"), ("kk", "формула қатесі"), ("en", "formula failed")):
        assert word in run("--dry-run", "--lang", lang, path).stdout
