"""The one place that opens DuckDB files and creates or migrates the schema."""
from __future__ import annotations

import csv
import os
from pathlib import Path

import duckdb

PROJECT_DIR = Path(__file__).resolve().parents[2]
DATA_DIR = PROJECT_DIR / "data"
DEFAULT_DB = DATA_DIR / "prevention.duckdb"


class DatabaseError(Exception):
    "The database could not be opened or used."


class DatabaseLocked(DatabaseError):
    "Another process (usually the running dashboard) holds the database file."


def resolve_path(path: str | os.PathLike | None = None) -> Path:
    """`--db PATH`, else the PREVENTION_DB environment variable, else data/prevention.duckdb."""
    if path:
        return Path(path)
    env = os.environ.get("PREVENTION_DB")
    return Path(env) if env else DEFAULT_DB


def connect(path: str | os.PathLike | None = None, read_only: bool = False, *,
            upgrade: bool = True) -> duckdb.DuckDBPyConnection:
    """Open the database file and bring its schema up to date (`upgrade=False`: leave it as it is, e.g. to import
    a backup into a new file)."""
    db_path = resolve_path(path)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    try:
        con = duckdb.connect(str(db_path), read_only=read_only)
    except duckdb.IOException as e:
        if "lock" in str(e).lower():
            raise DatabaseLocked(
                f"База данных {db_path} занята другим процессом (скорее всего, запущен дашборд). "
                "Загрузите файл через страницу «Загрузка» или остановите дашборд."
            ) from e
        raise DatabaseError(f"Не удалось открыть базу данных {db_path}: {e}") from e
    if upgrade and not read_only:
        migrate(con)
    return con


def _regions_rows() -> list[tuple]:
    with open(DATA_DIR / "regions.csv", encoding="utf-8") as fh:
        return [
            (r["region_code"], r["old_code"] or None, r["name_ru"], r["name_kk"], r["name_en"], r["adm1_en"], r["kind"])
            for r in csv.DictReader(fh)
        ]


def _v1(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("CREATE SEQUENCE IF NOT EXISTS batch_id_seq START 1")
    con.execute(
        """
        CREATE TABLE region (
            region_code VARCHAR PRIMARY KEY,
            old_code VARCHAR,
            name_ru VARCHAR NOT NULL,
            name_kk VARCHAR NOT NULL,
            name_en VARCHAR NOT NULL,
            adm1_en VARCHAR NOT NULL,
            kind VARCHAR NOT NULL
        )"""
    )
    con.executemany("INSERT INTO region VALUES (?, ?, ?, ?, ?, ?, ?)", _regions_rows())
    con.execute(
        """
        CREATE TABLE batch (
            batch_id BIGINT PRIMARY KEY DEFAULT nextval('batch_id_seq'),
            file_name VARCHAR NOT NULL,
            sha256 VARCHAR NOT NULL,
            size_bytes BIGINT NOT NULL,
            shape VARCHAR NOT NULL,
            loaded_at TIMESTAMP NOT NULL DEFAULT current_localtimestamp(),
            loaded_by VARCHAR,
            rows_read INTEGER NOT NULL,
            rows_loaded INTEGER NOT NULL,
            rows_skipped INTEGER NOT NULL,
            rows_rejected INTEGER NOT NULL,
            is_demo BOOLEAN NOT NULL DEFAULT false
        )"""
    )
    con.execute(
        """
        CREATE TABLE activity_record (
            batch_id BIGINT NOT NULL,
            source_sheet VARCHAR,
            source_row INTEGER,
            region_code VARCHAR NOT NULL,
            region_text VARCHAR,
            district VARCHAR,
            period_start DATE NOT NULL,
            period_end DATE NOT NULL,
            events INTEGER NOT NULL,
            participants INTEGER,
            students INTEGER,
            schoolchildren INTEGER,
            parents INTEGER,
            teachers INTEGER,
            event_type VARCHAR,
            audience VARCHAR,
            venue VARCHAR,
            organizer VARCHAR,
            description VARCHAR
        )"""
    )
    con.execute(
        """
        CREATE TABLE rejected_record (
            batch_id BIGINT NOT NULL,
            source_sheet VARCHAR,
            source_row INTEGER,
            raw_values VARCHAR NOT NULL,   -- JSON object: original header -> cell text
            errors VARCHAR NOT NULL        -- JSON list of {column, code, message}
        )"""
    )
    con.execute(
        """
        CREATE TABLE population (
            batch_id BIGINT NOT NULL,
            region_code VARCHAR NOT NULL,
            district VARCHAR,              -- NULL for the whole region
            year INTEGER NOT NULL,         -- population on 1 January of this year
            population BIGINT NOT NULL
        )"""
    )
    con.execute(
        """
        CREATE TABLE data_version (
            version BIGINT NOT NULL,
            changed_at TIMESTAMP NOT NULL
        )"""
    )
    con.execute("INSERT INTO data_version VALUES (0, current_localtimestamp())")
    con.execute(
        """
        CREATE VIEW activity AS
        SELECT a.region_code, r.name_ru AS region, a.district, a.period_start, a.period_end,
               a.events, a.participants, a.students, a.schoolchildren, a.parents, a.teachers,
               a.event_type, a.audience, a.venue, a.organizer, a.batch_id,
               b.file_name AS source_file, a.source_sheet, a.source_row
        FROM activity_record a
        JOIN region r USING (region_code)
        JOIN batch b USING (batch_id)"""
    )


def _v2(con: duckdb.DuckDBPyConnection) -> None:
    """Analysts' remembered column mappings, user accounts and the audit log."""
    con.execute(
        """
        CREATE TABLE mapping_memory (
            signature VARCHAR PRIMARY KEY,  -- sha256 of the file's flattened headers, in order
            headers VARCHAR NOT NULL,       -- JSON list of the headers, for people reading the table
            overrides VARCHAR NOT NULL,     -- JSON object: header -> field or null
            updated_by VARCHAR,
            updated_at TIMESTAMP NOT NULL DEFAULT current_localtimestamp()
        )"""
    )
    con.execute(
        """
        CREATE TABLE app_user (
            username VARCHAR PRIMARY KEY,
            password_hash VARCHAR,          -- argon2/bcrypt hash; NULL for OpenID Connect accounts
            role VARCHAR NOT NULL,          -- viewer | analyst | admin
            display_name VARCHAR,
            email VARCHAR,
            language VARCHAR NOT NULL DEFAULT 'ru',
            active BOOLEAN NOT NULL DEFAULT true,
            failed_attempts INTEGER NOT NULL DEFAULT 0,
            locked_until TIMESTAMP,
            created_at TIMESTAMP NOT NULL DEFAULT current_localtimestamp()
        )"""
    )
    con.execute("CREATE SEQUENCE IF NOT EXISTS audit_id_seq START 1")
    con.execute(
        """
        CREATE TABLE audit_log (
            audit_id BIGINT PRIMARY KEY DEFAULT nextval('audit_id_seq'),
            logged_at TIMESTAMP NOT NULL DEFAULT current_localtimestamp(),
            username VARCHAR,
            action VARCHAR NOT NULL,        -- sign-in, sign-in-failed, upload, replace, delete, export, ...
            details VARCHAR NOT NULL        -- JSON object: file, batch_id, filters, rows ...
        )"""
    )


def _v3(con: duckdb.DuckDBPyConnection) -> None:
    """`counted`: a summary row is left out of the totals where an event log covers its region and period
    (the log has dates, forms and audiences; counting both would count those events twice)."""
    con.execute("ALTER TABLE activity_record ADD COLUMN counted BOOLEAN DEFAULT true")
    con.execute("UPDATE activity_record SET counted = true")
    con.execute(
        """
        CREATE OR REPLACE VIEW activity AS
        SELECT a.region_code, r.name_ru AS region, a.district, a.period_start, a.period_end,
               a.events, a.participants, a.students, a.schoolchildren, a.parents, a.teachers,
               a.event_type, a.audience, a.venue, a.organizer, a.batch_id,
               b.file_name AS source_file, a.source_sheet, a.source_row
        FROM activity_record a
        JOIN region r USING (region_code)
        JOIN batch b USING (batch_id)
        WHERE a.counted"""
    )
    refresh_counted(con)


def refresh_counted(con: duckdb.DuckDBPyConnection) -> None:
    """The rule of migration 3 (kept for that migration only; migration 4 replaces it: see _v4_periods)."""
    con.execute(
        """
        UPDATE activity_record SET counted = NOT EXISTS (
            SELECT 1 FROM activity_record e JOIN batch b ON b.batch_id = e.batch_id
            WHERE b.shape = 'events' AND e.region_code = activity_record.region_code
              AND e.period_start BETWEEN activity_record.period_start AND activity_record.period_end)
        WHERE batch_id IN (SELECT batch_id FROM batch WHERE shape = 'summary')"""
    )


def _v4(con: duckdb.DuckDBPyConnection) -> None:
    """`app_user.session_epoch`: a role change, a deactivation or a password reset bumps it, and every session
    that signed in under an older epoch is signed out at its next interaction. `batch.fixes_batch_id`: a batch
    loaded from another batch's corrected rejected rows. `batch.warnings`: what the reader was unsure of (JSON
    list of problems). `replaced_file`: the bytes of a replaced batch stay known, so loading them again is a
    duplicate, not a silent return of the old figures."""
    con.execute("ALTER TABLE app_user ADD COLUMN session_epoch INTEGER DEFAULT 0")
    con.execute("UPDATE app_user SET session_epoch = 0")
    con.execute("ALTER TABLE batch ADD COLUMN fixes_batch_id BIGINT")
    con.execute("ALTER TABLE batch ADD COLUMN warnings VARCHAR DEFAULT '[]'")
    con.execute("UPDATE batch SET warnings = '[]'")
    con.execute(
        """
        CREATE TABLE replaced_file (
            sha256 VARCHAR NOT NULL,
            file_name VARCHAR NOT NULL,
            batch_id BIGINT NOT NULL,        -- the batch these bytes were loaded as
            replaced_by_batch BIGINT NOT NULL,
            replaced_at TIMESTAMP NOT NULL DEFAULT current_localtimestamp(),
            replaced_by VARCHAR
        )"""
    )




def period_kind_sql(start: str, end: str) -> str:
    """SQL for the kind of the period [start, end] (two DATE expressions): the rule of
    loaders.period.period_kind (day, month, quarter, half_year, nine_months, year, other)."""
    return f"""CASE
        WHEN {start} = {end} THEN 'day'
        WHEN day({start}) <> 1 OR {end} <> last_day({end}) OR year({start}) <> year({end}) THEN 'other'
        WHEN month({start}) = month({end}) THEN 'month'
        WHEN month({end}) - month({start}) = 2 AND month({start}) % 3 = 1 THEN 'quarter'
        WHEN (month({start}) = 1 AND month({end}) = 6) OR (month({start}) = 7 AND month({end}) = 12) THEN 'half_year'
        WHEN month({start}) = 1 AND month({end}) = 9 THEN 'nine_months'
        WHEN month({start}) = 1 AND month({end}) = 12 THEN 'year'
        ELSE 'other' END"""


ACTIVITY_VIEW_V5 = """
    CREATE VIEW activity AS
    SELECT a.region_code, r.name_ru AS region, a.district, a.period_start, a.period_end, a.period_kind,
           a.events, a.participants, a.students, a.schoolchildren, a.parents, a.teachers,
           a.event_type, a.audience, a.venue, a.organizer, a.batch_id,
           b.file_name AS source_file, a.source_sheet, a.source_row
    FROM activity_record a
    JOIN region r USING (region_code)
    JOIN batch b USING (batch_id)"""


def _v5(con: duckdb.DuckDBPyConnection) -> None:
    """Every record gets its period kind and whether it is a summary (its batch's shape); `counted` goes.

    Which records count is no longer stored: it depends on the date window, so the queries decide it
    (prevention.queries.periods). The `activity` view shows every record again, with its period_kind."""
    con.execute("ALTER TABLE activity_record ADD COLUMN period_kind VARCHAR")
    con.execute("ALTER TABLE activity_record ADD COLUMN is_summary BOOLEAN DEFAULT false")
    con.execute(
        f"""UPDATE activity_record SET period_kind = {period_kind_sql('period_start', 'period_end')},
                   is_summary = batch_id IN (SELECT batch_id FROM batch WHERE shape = 'summary')"""
    )
    con.execute("DROP VIEW activity")
    con.execute("ALTER TABLE activity_record DROP COLUMN counted")
    con.execute(ACTIVITY_VIEW_V5)


# Each migration takes the schema from version i to i + 1. Append; never edit a released one.
MIGRATIONS = [_v1, _v2, _v3, _v4, _v5]


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    con.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL, applied_at TIMESTAMP NOT NULL)")
    row = con.execute("SELECT max(version) FROM schema_version").fetchone()
    return row[0] or 0


def migrate(con: duckdb.DuckDBPyConnection) -> int:
    """Apply the migrations this file lacks, each in its own transaction. Returns the version."""
    current = schema_version(con)
    for number, step in enumerate(MIGRATIONS[current:], start=current + 1):
        con.execute("BEGIN TRANSACTION")
        try:
            step(con)
            con.execute("INSERT INTO schema_version VALUES (?, current_localtimestamp())", [number])
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
    return len(MIGRATIONS)


def data_version(con: duckdb.DuckDBPyConnection) -> int:
    """A number every load or deletion bumps; pages key their caches on it."""
    return con.cursor().execute("SELECT max(version) FROM data_version").fetchone()[0]


def bump_data_version(con: duckdb.DuckDBPyConnection) -> None:
    """Call inside the transaction that changed the data."""
    con.execute(
        "UPDATE data_version SET version = version + 1, changed_at = current_localtimestamp()"
    )
