"""The schema module creates and migrates database files."""
from prevention.storage import db


def test_new_file_gets_every_migration_and_reopening_changes_nothing(tmp_path):
    path = tmp_path / "s.duckdb"
    con = db.connect(path)
    assert db.schema_version(con) == len(db.MIGRATIONS)
    assert con.execute("SELECT count(*) FROM region").fetchone()[0] == 20
    con.close()
    con = db.connect(path)
    assert con.execute("SELECT count(*) FROM schema_version").fetchone()[0] == len(db.MIGRATIONS)
    assert con.execute("SELECT count(*) FROM region").fetchone()[0] == 20
    columns = [r[0] for r in con.execute("DESCRIBE activity").fetchall()]
    assert columns == ["region_code", "region", "district", "period_start", "period_end", "period_kind", "events",
                       "participants", "students", "schoolchildren", "parents", "teachers", "event_type", "audience",
                       "venue", "organizer", "batch_id", "source_file", "source_sheet", "source_row"]


def test_path_resolution_order(tmp_path, monkeypatch):
    monkeypatch.setenv("PREVENTION_DB", str(tmp_path / "env.duckdb"))
    assert db.resolve_path(tmp_path / "arg.duckdb") == tmp_path / "arg.duckdb"
    assert db.resolve_path(None) == tmp_path / "env.duckdb"
    monkeypatch.delenv("PREVENTION_DB")
    assert db.resolve_path(None) == db.DEFAULT_DB
