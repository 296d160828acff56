"""Shared fixtures: a small, hand-written activity database for the page and browser tests.

The rows are plain dicts, so tests compute the expected numbers from them independently of the
SQL in prevention.queries.
"""
from __future__ import annotations

import hashlib
import os
from datetime import date
from pathlib import Path

import pytest

os.environ.setdefault("PREVENTION_STRICT",
                      "1")  # an internal error in the reader fails the test, never passes as a bad file

from prevention.storage import batches, db  # noqa: E402

# region, district, date, events, participants, students, event_type, audience, organizer
_ROWS = [
    ("KZ-35", "Абайский район", date(2024, 3, 12), 1, 90, 60, "лекция", "студенты", "ДП Карагандинской области"),
    ("KZ-35", "г. Караганда", date(2024, 6, 3), 4, 400, 250, "акция", "студенты", "ДП Карагандинской области"),
    ("KZ-35", "г. Караганда", date(2025, 2, 20), 1, 120, 100, "лекция", "студенты", "ДП Карагандинской области"),
    ("KZ-35", "Абайский район", date(2025, 6, 5), 3, 350, 200, "акция", "школьники", "акимат"),
    ("KZ-35", "г. Темиртау", date(2025, 6, 20), 1, 75, 0, "беседа", "родители", "акимат"),
    ("KZ-35", None, date(2025, 9, 15), 2, 160, 140, "тренинг", "студенты", "НПО"),
    ("KZ-71", None, date(2024, 5, 28), 5, 600, 450, "акция", "студенты", "ДП города Астаны"),
    ("KZ-71", None, date(2025, 1, 15), 1, 45, 45, "лекция", "студенты", "ДП города Астаны"),
    ("KZ-71", None, date(2025, 6, 26), 6, 900, 700, "форум", "студенты", "ДП города Астаны"),
    ("KZ-71", None, date(2025, 10, 2), 1, 30, None, "беседа", "педагоги", "управление образования"),
    ("KZ-75", "Бостандыкский район", date(2024, 11, 5), 2, 150, 90, "семинар", "педагоги", "управление образования"),
    ("KZ-75", "Алмалинский район", date(2025, 3, 3), 1, 60, 60, "лекция", "студенты", "ДП города Алматы"),
    ("KZ-75", "Бостандыкский район", date(2025, 5, 30), 2, 210, 180, "конкурс", "школьники", "ДП города Алматы"),
    ("KZ-61", "г. Туркестан", date(2025, 4, 8), 1, 40, 10, "беседа", "родители", "акимат"),
    ("KZ-61", "Сарыагашский район", date(2025, 6, 10), 3, 260, 120, "акция", "школьники", "ДП Туркестанской области"),
    ("KZ-10", "г. Семей", date(2024, 6, 15), 2, 180, 130, "лекция", "студенты", "ДП области Абай"),
    ("KZ-10", "г. Семей", date(2025, 7, 1), 1, 55, 30, "викторина", "студенты", "НПО"),
    ("KZ-55", "г. Павлодар", date(2025, 11, 20), 1, 25, 25, "лекция", "студенты", "ДП Павлодарской области"),
]

COLUMNS = ["region_code", "district", "period_start", "events", "participants", "students", "event_type",
           "audience", "organizer"]

POPULATION_2025 = {"KZ-35": 1_130_000, "KZ-71": 1_500_000, "KZ-75": 2_300_000, "KZ-61": 2_150_000,
                   "KZ-10": 605_000, "KZ-55": 750_000}


def fixture_rows() -> list[dict]:
    rows = []
    for index, values in enumerate(_ROWS, start=2):
        row = dict(zip(COLUMNS, values))
        row.update(period_end=row["period_start"], source_sheet="Лист1", source_row=index,
                   region_text=row["region_code"], venue=None, description=None)
        rows.append(row)
    return rows


def demo_rows() -> list[dict]:
    return [{"region_code": "KZ-43", "district": None, "period_start": date(2025, 6, 1), "period_end": date(2025, 6, 1),
                 "events": 10, "participants": 1000, "students": 500, "event_type": "акция", "audience": "студенты",
                 "organizer": "демо", "source_sheet": "demo", "source_row": 2}]


def _info(name: str, rows: list[dict], demo: bool = False) -> batches.BatchInfo:
    return batches.BatchInfo(file_name=name, sha256=hashlib.sha256(name.encode()).hexdigest(), size_bytes=1000,
                           shape="events", rows_read=len(rows), rows_loaded=len(rows), rows_skipped=0,
                           rows_rejected=0, is_demo=demo)


def build_db(path: Path, *, demo: bool = False, population: bool = True, rows: list[dict] | None = None) -> Path:
    """A DuckDB file holding the fixture rows (and, when asked, a demo batch and population)."""
    con = db.connect(path)
    try:
        rows = fixture_rows() if rows is None else rows
        if rows:
            batch = batches.store_batch(con, _info("отчёт_области.xlsx", rows), rows)
            if population:
                con.executemany("INSERT INTO population VALUES (?, ?, NULL, 2025, ?)",
                                [[batch, code, people] for code, people in POPULATION_2025.items()])
        if demo:
            batches.store_batch(con, _info("demo.xlsx", demo_rows(), demo=True), demo_rows())
    finally:
        con.close()
    return path


def load(con, path_or_bytes, name: str | None = None, *, user: str = "tester", **options):
    """Load a file as the command line does (`python -m loaders --user tester`): through the load use case, the
    one way a batch is stored. Returns the FileReport. `options`: load_file's keywords (dry_run, replace,
    options, uploads_dir, today)."""
    from prevention.usecases.load import load_file
    from prevention.usecases.rights import cli_actor

    if isinstance(path_or_bytes, (str, Path)):
        path = Path(path_or_bytes)
        data, name = path.read_bytes(), name or path.name
    else:
        data = path_or_bytes
    return load_file(con, data, name or "upload.xlsx", cli_actor(user), **options)


def delete_confirm(at, batch_id: int):
    """The Пакеты page's delete confirmation of batch `batch_id` (its key names the batch, its bytes and the data
    version)."""
    return next(c for c in at.checkbox if (c.key or "").startswith(f"batch_delete_confirm_{batch_id}_"))


def delete_on_page(at, batch_id: int):
    """Tick the confirmation of batch `batch_id` and press its delete button, as an analyst does."""
    delete_confirm(at, batch_id).check().run()
    at.button(key=f"delete_batch_{batch_id}").click().run()
    return at


@pytest.fixture(scope="session")
def db_builder():
    """build_db(path, demo=False, population=True, rows=None) -> path (for module-scoped servers)."""
    return build_db


@pytest.fixture
def make_db(tmp_path):
    """Factory: make_db(demo=False, population=True, rows=None) -> path of a fresh DuckDB file."""
    counter = iter(range(1000))

    def make(**kwargs) -> Path:
        return build_db(tmp_path / f"fixture_{next(counter)}.duckdb", **kwargs)
    return make


@pytest.fixture
def activity_rows() -> list[dict]:
    """The records stored by build_db (without the demo batch)."""
    return fixture_rows()


@pytest.fixture
def demo_activity_rows() -> list[dict]:
    """The records of the demo batch build_db(demo=True) adds."""
    return demo_rows()


# Modules whose tests run whole pages (Streamlit's AppTest), subprocesses (the CLIs, concurrent sign-ins) or build
# documents (the briefing): seconds each, so `make test-fast` leaves them out and `make test` runs them.
SLOW_MODULES = {"test_pages", "test_periods_pages", "test_upload_page", "test_auth_pages", "test_i18n_pages",
                "test_rights_now", "test_briefing", "test_concurrency", "test_cli", "test_demo", "test_auth",
                "test_layering", "test_one_load_path"}


def pytest_collection_modifyitems(items):
    """Markers by place: browser tests drive chromium; the corpora, the browser tests and SLOW_MODULES are slow
    (`make test-fast` leaves them out, `make test` runs everything)."""
    for item in items:
        path = str(item.path)
        if "/tests/browser/" in path:
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.slow)
        elif "/tests/hostile/" in path or "/tests/corpus/" in path or item.path.stem in SLOW_MODULES:
            item.add_marker(pytest.mark.slow)
