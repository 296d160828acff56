"""Sums kept beside the records (schema version 6), for the figures that need sums only.

`activity_month`: the event-log records (not summaries) summed by batch, region and the months their period starts
and ends in, at three grains (`grain`): 0 no more (a few hundred rows), 1 also by event form and audience (what the
breakdowns group by), 2 also by organiser. A query reads the coarsest grain that has every column it filters or
groups by (prevention.queries.detail); the columns a grain lacks are NULL there.

The Overview's queries need sums only, and a month holds every day record of it: at 10,000,000 records the table has
a few hundred thousand rows, so the figures of a window of whole months read it instead of the records
(prevention.queries.detail). It is kept in the transaction that writes the records: `add_batch` after a batch's
records are inserted, `drop_batch` before they are deleted (prevention.storage.batches), so the two never disagree.
Anything that writes activity_record directly (a migration, a benchmark's generator) calls `rebuild`.

`activity_span`: the records that are not one day (summaries and event-log ranges: the only ones a window can cut)
summed by batch, region, exact period, kind, form, audience and organiser, for the one-line note on what a window
leaves out (prevention.queries.periods.window_notes); a few rows where activity_record has millions.

Months are numbered `year * 12 + month - 1`. Sums are BIGINT and NULL where every record's count is NULL, as sum()
over the records gives."""
from __future__ import annotations

import duckdb

TABLE_SQL = """
    CREATE TABLE activity_month (
        batch_id BIGINT NOT NULL,
        region_code VARCHAR NOT NULL,
        start_month INTEGER NOT NULL,   -- year * 12 + month - 1 of period_start
        end_month INTEGER NOT NULL,     -- the same of period_end
        grain TINYINT NOT NULL,         -- 0: by region and months; 1: also form and audience; 2: also organiser
        event_type VARCHAR,
        audience VARCHAR,
        organizer VARCHAR,
        events BIGINT,
        participants BIGINT,
        students BIGINT,
        records BIGINT NOT NULL
    )"""

SPAN_SQL = """
    CREATE TABLE activity_span (
        batch_id BIGINT NOT NULL,
        is_summary BOOLEAN NOT NULL,
        region_code VARCHAR NOT NULL,
        period_start DATE NOT NULL,
        period_end DATE NOT NULL,
        period_kind VARCHAR,
        event_type VARCHAR,
        audience VARCHAR,
        organizer VARCHAR,
        events BIGINT,
        records BIGINT NOT NULL
    )"""

MONTH_OF = "(year({0}) * 12 + month({0}) - 1)"
GRAINS = (frozenset(), frozenset({"event_type", "audience"}), frozenset({"event_type", "audience", "organizer"}))
_KEYS = "batch_id, region_code, start_month, end_month"
# Every grain in one read of the records; rows written grain by grain, so a grain's rows lie together in the file.
_SUMMED = f"""SELECT {_KEYS}, (CASE WHEN grouping(event_type) = 1 THEN 0 WHEN grouping(organizer) = 1 THEN 1
                                   ELSE 2 END)::TINYINT AS grain, event_type, audience, organizer,
                     sum(events)::BIGINT, sum(participants)::BIGINT, sum(students)::BIGINT, count(*)
              FROM (SELECT *, {MONTH_OF.format('period_start')} AS start_month,
                           {MONTH_OF.format('period_end')} AS end_month
                    FROM activity_record WHERE NOT is_summary {{where}})
              GROUP BY GROUPING SETS (({_KEYS}), ({_KEYS}, event_type, audience),
                                      ({_KEYS}, event_type, audience, organizer))
              ORDER BY grain"""
_SPANS = """SELECT batch_id, is_summary, region_code, period_start, period_end, period_kind, event_type, audience,
                  organizer, sum(events)::BIGINT, count(*)
           FROM activity_record WHERE (is_summary OR period_start <> period_end) {where}
           GROUP BY ALL"""


def create(con: duckdb.DuckDBPyConnection) -> None:
    """The tables, filled from the records stored (migration 6)."""
    con.execute(TABLE_SQL)
    con.execute(SPAN_SQL)
    rebuild(con)


def rebuild(con: duckdb.DuckDBPyConnection) -> None:
    """Sum every stored event-log record again (inside the caller's transaction, if any)."""
    con.execute("DELETE FROM activity_month")
    con.execute("INSERT INTO activity_month " + _SUMMED.format(where=""))
    con.execute("DELETE FROM activity_span")
    con.execute("INSERT INTO activity_span " + _SPANS.format(where=""))


def add_batch(cur: duckdb.DuckDBPyConnection, batch_id: int) -> None:
    """Sum the records of a batch just inserted (inside the caller's transaction)."""
    cur.execute("INSERT INTO activity_month " + _SUMMED.format(where="AND batch_id = ?"), [int(batch_id)])
    cur.execute("INSERT INTO activity_span " + _SPANS.format(where="AND batch_id = ?"), [int(batch_id)])


def drop_batch(cur: duckdb.DuckDBPyConnection, batch_id: int) -> None:
    """Forget a batch's sums (inside the transaction that deletes its records)."""
    cur.execute("DELETE FROM activity_month WHERE batch_id = ?", [int(batch_id)])
    cur.execute("DELETE FROM activity_span WHERE batch_id = ?", [int(batch_id)])
