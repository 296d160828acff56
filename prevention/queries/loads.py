"""The batches as the Пакеты and Загрузка pages list them: what each load covers, and earlier versions of a file."""
from __future__ import annotations

import calendar
from datetime import date

import duckdb
import pandas as pd

MONTHS_NOMINATIVE = ["январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь",
                     "октябрь", "ноябрь", "декабрь"]

def batches_overview(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every batch, newest first, with the period and regions its records cover."""
    return con.cursor().execute(
        """
        WITH cover AS (
            SELECT batch_id, min(period_start) AS first_day, max(period_end) AS last_day,
                   count(DISTINCT region_code) AS regions, coalesce(sum(events), 0)::BIGINT AS events,
                   coalesce(sum(participants), 0)::BIGINT AS participants
            FROM activity_record GROUP BY batch_id
        )
        SELECT b.batch_id, b.file_name, b.shape, b.loaded_by, b.loaded_at, c.first_day, c.last_day,
               coalesce(c.regions, 0)::BIGINT AS regions, coalesce(c.events, 0)::BIGINT AS events,
               coalesce(c.participants, 0)::BIGINT AS participants,
               b.rows_read, b.rows_loaded, b.rows_skipped, b.rows_rejected, b.is_demo, b.sha256, b.size_bytes,
               b.fixes_batch_id
        FROM batch b LEFT JOIN cover c USING (batch_id)
        ORDER BY b.batch_id DESC"""
    ).df()


def batch(con: duckdb.DuckDBPyConnection, batch_id: int) -> dict | None:
    frame = con.cursor().execute(
        "SELECT batch_id, file_name, sha256, size_bytes, shape, loaded_at, loaded_by, rows_read, rows_loaded, "
        "rows_skipped, rows_rejected, is_demo FROM batch WHERE batch_id = ?", [int(batch_id)]
    ).df()
    return None if frame.empty else frame.iloc[0].to_dict()


def same_file_batches(con: duckdb.DuckDBPyConnection, file_name: str, sha256: str) -> pd.DataFrame:
    """Batches a new file may replace: only the same file lineage, that is the same file name (case-insensitive),
    never another source that happens to cover the same regions and months (those are listed on the quality page
    as possible overlaps). Demo batches and the file's own bytes are left out; newest first."""
    return con.cursor().execute(
        """SELECT batch_id, file_name, sha256, loaded_at, loaded_by, rows_loaded, shape
           FROM batch
           WHERE NOT is_demo AND sha256 <> ? AND lower(trim(file_name)) = lower(trim(?))
           ORDER BY batch_id DESC""",
        [sha256, file_name],
    ).df()


def period_title(first_day: date | None, last_day: date | None) -> str | None:
    """A title the loader reads back as this period («за июнь 2025 года», «за январь – март 2025 года»),
    or None when the period is not whole months of one year."""
    if first_day is None or last_day is None or first_day.year != last_day.year or first_day.day != 1:
        return None
    if last_day.day != calendar.monthrange(last_day.year, last_day.month)[1]:
        return None
    first, last = MONTHS_NOMINATIVE[first_day.month - 1], MONTHS_NOMINATIVE[last_day.month - 1]
    if first_day.month == 1 and last_day.month == 12:
        return f"Отчёт за {first_day.year} год"
    span = first if first_day.month == last_day.month else f"{first} – {last}"
    return f"Отчёт за {span} {first_day.year} года"


def batch_titles(con: duckdb.DuckDBPyConnection, batch_id: int) -> dict[str, list[str]]:
    """For a summary batch: per sheet whose stored records share one period, a title stating that period, so
    rejected rows downloaded later still carry the period their sheet's title gave."""
    rows = con.cursor().execute(
        """SELECT a.source_sheet, min(a.period_start), max(a.period_end),
                  count(DISTINCT (a.period_start, a.period_end))
           FROM activity_record a JOIN batch b USING (batch_id)
           WHERE a.batch_id = ? AND b.shape = 'summary'
           GROUP BY a.source_sheet""",
        [int(batch_id)],
    ).fetchall()
    titles = {}
    for sheet, first, last, periods in rows:
        title = period_title(first, last) if periods == 1 else None
        if title:
            titles[sheet] = [title]
    return titles

