"""A load in one session reaches the others: every session follows the data version and reruns itself."""
from datetime import date
from pathlib import Path

from streamlit.testing.v1 import AppTest

from prevention.app.session.live import _SEEN
from prevention.storage import batches, db

PROJECT = Path(__file__).resolve().parent.parent


def test_a_session_notices_another_sessions_load_and_reruns(make_db, monkeypatch):
    path = make_db()
    monkeypatch.setenv("PREVENTION_DB", str(path))
    at = AppTest.from_file(str(PROJECT / "dashboard.py"), default_timeout=90)
    at.run()
    assert not at.exception
    first = at.session_state[_SEEN]
    events_before = next(m.value for m in at.metric if m.label == "Мероприятия")

    con = db.connect(path)  # "another session": a second connection to the same database file
    row = {"region_code": "KZ-43", "period_start": date(2025, 6, 2), "period_end": date(2025, 6, 2), "events": 500,
           "participants": 9000}
    batches.store_batch(con, batches.BatchInfo("other.xlsx", "other-session", 1, "events", 1, 1, 0, 0), [row])
    assert db.data_version(con) == first + 1

    at.run()
    assert not at.exception
    assert at.session_state[_SEEN] == first + 1
    events_after = next(m.value for m in at.metric if m.label == "Мероприятия")
    assert events_after != events_before
