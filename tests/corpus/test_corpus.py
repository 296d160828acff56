"""Every corpus file goes through the real CLI (`python -m loaders --json`) in a subprocess; the JSON report and
the stored records must match the case's expectations exactly."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from tests.corpus.cases import CASES, Case

ROOT = Path(__file__).resolve().parents[2]   # the project root: python -m loaders runs from here
REAL = ROOT.parent / "shared" / "real"        # the real files, beside the clone (never copied into it)
needs_real = pytest.mark.skipif(not REAL.is_dir(),
                                reason=f"{REAL} (the real MVD and BNS files) is not beside this clone")

# Where the stored records are read from: change it here if the storage changes.
TOTALS_SQL = ("SELECT region_code, sum(events), sum(participants), sum(students) "
              "FROM activity_record GROUP BY 1")
PERIODS_SQL = ("SELECT region_code, period_start, period_end, sum(events) "
               "FROM activity_record GROUP BY 1, 2, 3")


def stored(db_path: Path) -> tuple[dict, dict]:
    """Per-region totals {code: (events, participants, students)} and per-period events
    {(code, "YYYY-MM-DD", "YYYY-MM-DD"): events} as stored in the database."""
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        totals = {code: tuple(None if v is None else int(v) for v in figures)
                  for code, *figures in con.execute(TOTALS_SQL).fetchall()}
        periods = {(code, str(start), str(end)): int(events)
                   for code, start, end, events in con.execute(PERIODS_SQL).fetchall()}
    finally:
        con.close()
    return totals, periods


def batches_stored(db_path: Path) -> int:
    """How many batches the database holds (0 when there is no database or no batch table)."""
    if not db_path.exists():
        return 0
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        has_table = con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'batch'").fetchone()[0]
        return con.execute("SELECT count(*) FROM batch").fetchone()[0] if has_table else 0
    finally:
        con.close()


def run_cli(db_path: Path, path: Path) -> tuple[dict, subprocess.CompletedProcess]:
    """Run the loader CLI on one file; return its one file report and the finished process."""
    done = subprocess.run([sys.executable, "-m", "loaders", "--db", str(db_path), "--json", str(path)],
                          cwd=ROOT, capture_output=True, text=True, timeout=60, check=False)
    assert "Traceback" not in done.stderr, done.stderr[-3000:]
    try:
        files = json.loads(done.stdout)["files"]
    except (ValueError, KeyError) as e:
        raise AssertionError(f"no JSON report ({e}); exit {done.returncode}\nstdout: {done.stdout[-2000:]}\n"
                             f"stderr: {done.stderr[-2000:]}") from None
    assert len(files) == 1, files
    return files[0], done


def summary_of(report: dict) -> str:
    keep = ("status", "shape", "rows_read", "rows_loaded", "rows_skipped", "rows_rejected", "error", "errors",
            "warnings")
    return json.dumps({k: report.get(k) for k in keep}, ensure_ascii=False, indent=1, default=str)[:4000]


@pytest.mark.parametrize("make_case", CASES, ids=[fn.__name__ for fn in CASES])
def test_corpus_file(tmp_path, make_case):
    folder = tmp_path / "in"
    folder.mkdir()
    case: Case = make_case(folder)
    db_path = tmp_path / "c.duckdb"
    report, _ = run_cli(db_path, case.path)
    context = f"{case.name} ({case.layout})\n{summary_of(report)}"

    assert report["status"] == case.status, context
    if case.status == "failed":
        error = (report.get("error") or "").lower()
        assert error, context
        assert "traceback" not in error, context
        missing = [w for w in case.error_words if w.lower() not in error]
        assert not missing, f"the message lacks {missing}\n{context}"
        assert batches_stored(db_path) == 0, f"a failed file left a batch behind\n{context}"
        return

    counts = {k: report[k] for k in ("rows_read", "rows_loaded", "rows_skipped", "rows_rejected")}
    assert counts == {"rows_read": case.rows_read, "rows_loaded": case.rows_loaded,
                      "rows_skipped": case.rows_skipped, "rows_rejected": case.rows_rejected}, context
    assert report["rows_read"] == report["rows_loaded"] + report["rows_skipped"] + report["rows_rejected"], context
    warned = {w.get("code") for w in report.get("warnings") or []}
    assert set(case.warning_codes) <= warned, f"warnings {sorted(warned)} lack {case.warning_codes}\n{context}"

    totals, periods = stored(db_path)
    assert totals == case.totals, context
    if case.periods is not None:
        assert periods == case.periods, context


def test_the_corpus_is_big_and_varied():
    """The corpus itself: enough cases, every format, both shapes and the failures."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        cases = [make(Path(folder)) for make in CASES]
    formats = [c.format for c in cases]
    assert len(cases) >= 45
    assert len({c.name for c in cases}) == len(cases)
    assert formats.count("xls") >= 4 and formats.count("ods") >= 4 and formats.count("csv") >= 5
    shapes = [c.shape for c in cases if c.status == "loaded"]
    assert shapes.count("events") >= 15 and shapes.count("summary") >= 15
    assert sum(c.status == "failed" for c in cases) >= 3
    for c in cases:
        if c.status == "loaded":
            assert c.rows_read == c.rows_loaded + c.rows_skipped + c.rows_rejected, c.name
            assert c.totals, c.name


# --- the real files -------------------------------------------------------------------------------------------

@needs_real
def test_real_mvd_form_1m_is_refused_as_not_a_prevention_report(tmp_path):
    path = REAL / "qamqor_form_1M_karaganda.xlsx"
    if not path.exists():
        pytest.skip(f"{path} is absent")
    db_path = tmp_path / "c.duckdb"
    report, _ = run_cli(db_path, path)
    assert report["status"] == "failed", summary_of(report)
    error = (report.get("error") or "").lower()
    assert "профилактическ" in error, summary_of(report)
    assert "traceback" not in error
    assert batches_stored(db_path) == 0


@needs_real
@pytest.mark.parametrize("name", ["bns_population_by_region_2000-2023.xlsx",
                                  "bns_population_2023-01-01_by_district.xlsx"])
def test_real_bns_population_files_still_load(tmp_path, name):
    path = REAL / name
    if not path.exists():
        pytest.skip(f"{path} is absent")
    report, _ = run_cli(tmp_path / "c.duckdb", path)
    assert report["status"] == "loaded", summary_of(report)
