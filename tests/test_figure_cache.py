"""Cached charts (prevention.app.session.figure_cache): the same spec as a figure built anew, a new one after a
load (the data version is in every key), never one language's chart in another. On a real DuckDB file per test,
through AppTest where the page is involved; the caches are shared by every AppTest of this process, as by every
session of a server."""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import plotly.io
import pytest
from streamlit.testing.v1 import AppTest

from prevention.app.session import figure_cache, state
from prevention.output import figures, geo
from prevention.queries import activity
from prevention.queries.filters import Filters
from prevention.storage import batches, db

PROJECT = Path(__file__).resolve().parent.parent


def specs(at: AppTest) -> list[str]:
    """The Plotly specs of the page, in page order (map, ranking, trend, forms, audiences), as readable text."""
    return [json.dumps(json.loads(chart.proto.spec), ensure_ascii=False) for chart in at.get("plotly_chart")]


def overview(lang: str | None = None) -> AppTest:
    at = AppTest.from_file(str(PROJECT / "dashboard.py"), default_timeout=90)
    if lang:
        at.session_state["lang"] = lang
    at.run()
    assert not at.exception, at.exception
    return at


@pytest.fixture
def database(make_db, monkeypatch) -> Path:
    path = make_db()
    monkeypatch.setenv("PREVENTION_DB", str(path))
    return path


def test_the_charts_change_after_a_load_in_another_connection(database):
    at = overview()
    before = specs(at)
    assert len(before) == 5
    assert specs(overview())[0] == before[0]  # a second session: the same map

    con = db.connect(database)  # another session loads a file: the data version moves on
    row = {"region_code": "KZ-43", "period_start": date(2025, 6, 2), "period_end": date(2025, 6, 2), "events": 1,
           "participants": 77777, "event_type": "акция", "audience": "студенты"}
    batches.store_batch(con, batches.BatchInfo("later.xlsx", "later-load", 1, "events", 1, 1, 0, 0), [row])
    con.close()

    at.run()
    assert not at.exception, at.exception
    after = specs(at)
    assert all(a != b for a, b in zip(before, after)), "every chart of the Overview counts the new record"
    assert "77" in after[0] and "77\u00a0777" not in before[0]


def test_a_cached_chart_is_never_shown_in_another_language(database):
    russian = specs(overview())
    kazakh = specs(overview("kk"))
    again = specs(overview())
    assert again == russian
    for ru, kk in zip(russian, kazakh):
        assert ru != kk
    assert "Карагандинская область" in russian[0] and "Карагандинская область" not in kazakh[0]
    assert "Қарағанды облысы" in kazakh[0] and "Қарағанды облысы" not in russian[0]
    assert "Охват, человек" in russian[1] and "Охват, человек" not in kazakh[1]


def _json(spec: dict) -> str:
    return plotly.io.to_json(spec, validate=False)


@pytest.mark.parametrize("selected", [(), ("KZ-35",), ("KZ-11", "KZ-75", "KZ-43")])
def test_a_selection_drawn_on_the_cached_map_and_ranking_is_the_figure_built_with_it(make_db, selected):
    path = make_db()
    data = state.Data(str(path))
    f = Filters(date(2025, 1, 1), date(2025, 12, 31))
    regions = activity.by_region(db.connect(path), f)
    shapes = geo.regions_geojson()
    for metric in ("participants", "per_10k"):
        built = figures.choropleth(regions, metric, shapes, selected, "Метрика", lang="kk").to_dict()
        cached = figure_cache.choropleth(data, f, metric, shapes, selected, "Метрика", lang="kk")
        assert _json(cached.to_dict()) == _json(built)
        built = figures.ranked_bar(regions, metric, selected, "Метрика", lang="en").to_dict()
        cached = figure_cache.ranked_bar(data, f, metric, selected, "Метрика", lang="en")
        assert _json(cached.to_dict()) == _json(built)
