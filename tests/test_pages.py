"""The Overview, Region and Table pages through AppTest, on a fixture DuckDB file per test.

Expected numbers are computed here from the fixture rows (tests/conftest.py), not through the SQL.

AppTest (1.67) keeps only the page's elements in its tree after the first run of an app that uses
st.navigation (the entrypoint's sidebar and banner disappear from `at.sidebar` / `at.main`, although
they still run), so each scenario starts a fresh AppTest with its URL or widget values set before the
first run, or changes a sidebar widget only once, on the first tree.
"""
from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import demo_rows, fixture_rows

PROJECT = Path(__file__).resolve().parent.parent
YEAR_2025 = (date(2025, 1, 1), date(2025, 12, 31))  # the default period of the fixture data
YEAR_2024 = (date(2024, 1, 1), date(2024, 12, 31))


def expected(period=YEAR_2025, regions=None, forms=None, audiences=None, organizers=None, demo=False) -> dict:
    rows = fixture_rows() + (demo_rows() if demo else [])
    chosen = [
        r for r in rows
        if period[0] <= r["period_start"] <= period[1]
        and (regions is None or r["region_code"] in regions)
        and (forms is None or r["event_type"] in forms)
        and (audiences is None or r["audience"] in audiences)
        and (organizers is None or r["organizer"] in organizers)
    ]
    totals = {k: sum(r[k] or 0 for r in chosen) for k in ("events", "participants", "students")}
    totals["records"] = len(chosen)
    totals["regions_reporting"] = len({r["region_code"] for r in chosen})
    return totals


def number(text: str) -> float:
    """«12 345» or «62,1» as a number."""
    return float(re.sub(r"\s", "", text).replace(",", "."))


def kpis(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def overview_numbers(at: AppTest) -> tuple:
    values = kpis(at)
    return (number(values["Мероприятия"]), number(values["Охват, человек"]), number(values["Охват студентов"]),
            values["Регионов с отчётами"])


def as_expected(e: dict) -> tuple:
    return (e["events"], e["participants"], e["students"], f"{e['regions_reporting']} из 20")


@pytest.fixture
def database(make_db, monkeypatch):
    def use(**kwargs) -> Path:
        path = make_db(**kwargs)
        monkeypatch.setenv("PREVENTION_DB", str(path))
        return path
    return use


def app(page: str | None = None, query: dict | None = None, state: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(PROJECT / "dashboard.py"), default_timeout=90)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    for key, value in (state or {}).items():
        at.session_state[key] = value
    if page:
        at.switch_page(page)
    at.run()
    assert not at.exception, at.exception
    return at


# ---------------------------------------------------------------- every page renders

@pytest.mark.parametrize("page, title", [
    (None, "Обзор"), ("prevention/app/views/overview.py", "Обзор"), ("prevention/app/views/region.py", "Регион"),
    ("prevention/app/views/table.py", "Таблица"),
])
def test_page_renders_without_exception(database, page, title):
    database()
    at = app(page)
    assert at.title[0].value == title
    assert len(at.metric) >= (1 if page != "prevention/app/views/table.py" else 0)


def test_sidebar_offers_the_filters_of_the_data(database):
    database()
    at = app()
    keys = {w.key for w in at.sidebar.multiselect}
    assert keys == {"regions", "forms", "audiences", "organizers"}
    assert len(at.sidebar.multiselect(key="regions").options) == 20
    assert set(at.sidebar.multiselect(key="forms").options) == {r["event_type"] for r in fixture_rows()}
    assert at.sidebar.date_input(key="period").value == YEAR_2025


# ---------------------------------------------------------------- KPIs follow the filters

def test_overview_kpis_are_the_fixture_totals_with_the_year_earlier_change(database):
    database()
    at = app()
    now, before = expected(), expected(period=YEAR_2024)
    assert overview_numbers(at) == as_expected(now)
    events = at.metric[0]
    change = (now["events"] - before["events"]) * 100 / before["events"]
    assert events.delta == f"+{change:.1f}\xa0%".replace(".", ",")  # Babel's Russian percentage
    per_event = now["students"] / now["events"]
    assert number(kpis(at)["Студ. на мероприятие"]) == pytest.approx(per_event, abs=0.05)


def test_changing_a_sidebar_filter_changes_the_kpis(database):
    database()
    at = app()
    at.sidebar.multiselect(key="forms").set_value(["акция"]).run()
    assert not at.exception
    assert overview_numbers(at) == as_expected(expected(forms={"акция"}))


def test_changing_the_period_changes_the_kpis(database):
    database()
    at = app()
    at.sidebar.date_input(key="period").set_value(YEAR_2024).run()
    assert overview_numbers(at) == as_expected(expected(period=YEAR_2024))


def test_the_anti_drug_month_preset_sets_the_period(database):
    database()
    at = app()
    at.sidebar.button_group(key="preset").set_value("Месячник").run()
    month = (date(2025, 5, 26), date(2025, 6, 26))
    assert at.session_state["period"] == month
    assert overview_numbers(at) == as_expected(expected(period=month))


def test_filters_from_the_url_are_applied(database):
    database()
    at = app(query={"period": ["2024-01-01", "2025-12-31"], "audiences": ["студенты", "школьники"],
                    "organizers": "акимат"})
    assert overview_numbers(at) == as_expected(expected(period=(date(2024, 1, 1), date(2025, 12, 31)),
                                                        audiences={"студенты", "школьники"}, organizers={"акимат"}))


def test_a_region_filter_from_the_url_is_applied(database):
    database()
    at = app(query={"regions": "Карагандинская область"})
    assert overview_numbers(at) == as_expected(expected(regions={"KZ-35"}))
    assert at.sidebar.multiselect(key="regions").value == ["Карагандинская область"]


def test_several_regions_from_the_url(database):
    database()
    at = app(query={"regions": ["город Астана", "город Алматы"]})
    assert overview_numbers(at) == as_expected(expected(regions={"KZ-71", "KZ-75"}))


def test_region_set_by_a_click_callback_filters_the_page(database):
    """What a click on the map or the ranking does: the region filter's state is set before the run."""
    database()
    at = app(state={"regions": ["город Астана"]})
    assert overview_numbers(at) == as_expected(expected(regions={"KZ-71"}))


def test_per_10k_is_offered_only_with_population(database):
    database(population=True)
    assert "На 10 000 жителей" in app().button_group(key="metric").options
    database(population=False)
    assert "На 10 000 жителей" not in app().button_group(key="metric").options


def test_per_10k_states_the_population_year(database):
    database(population=True)
    at = app(query={"metric": "На 10 000 жителей"})
    assert any("Население на 1 января 2025 г." in c.value for c in at.caption)


# ---------------------------------------------------------------- Region page

def test_region_page_takes_its_region_from_the_filter(database):
    database()
    at = app("prevention/app/views/region.py", query={"regions": "город Алматы"})
    assert at.selectbox(key="region_pick").value == "KZ-75"
    e = expected(regions={"KZ-75"})
    values = kpis(at)
    assert number(values["Мероприятия"]) == e["events"]
    assert number(values["Охват (всего)"]) == e["participants"]
    assert number(values["в т.ч. студентов"]) == e["students"]
    records = at.dataframe[0].value
    assert len(records) == e["records"]
    assert {"source_file", "source_sheet", "source_row"} <= set(records.columns)
    assert set(records["source_file"]) == {"отчёт_области.xlsx"}


def test_region_page_compares_with_the_national_median(database):
    database()
    at = app("prevention/app/views/region.py", query={"regions": "Карагандинская область"})
    e = expected(regions={"KZ-35"})
    # 14 of the 20 regions report nothing in the fixture, so the national median of events is 0
    events = next(m for m in at.metric if m.label == "Мероприятия")
    assert number(events.value) == e["events"]
    assert "Медиана по 20 регионам: 0" in events.help


def test_picking_a_region_on_the_region_page_sets_the_filter(database):
    database()
    at = app("prevention/app/views/region.py", query={"regions": "город Алматы"})
    at.selectbox(key="region_pick").set_value("KZ-71").run()
    assert not at.exception
    assert at.session_state["regions"] == ["город Астана"]
    assert number(kpis(at)["Мероприятия"]) == expected(regions={"KZ-71"})["events"]


# ---------------------------------------------------------------- Table page

def test_table_page_lists_exactly_the_filtered_records(database):
    database()
    at = app("prevention/app/views/table.py", query={"forms": "лекция", "period": ["2024-01-01", "2025-12-31"]})
    e = expected(period=(date(2024, 1, 1), date(2025, 12, 31)), forms={"лекция"})
    table = at.dataframe[0].value
    assert len(table) == e["records"]
    assert set(table["event_type"]) == {"лекция"}
    assert int(table["participants"].sum()) == e["participants"]
    assert any(f"Записей по фильтрам: **{e['records']}**" in m.value for m in at.markdown)


# ---------------------------------------------------------------- demo banner and empty state

def test_demo_banner_and_its_button(database):
    database(demo=True)
    at = app()
    assert any("Демонстрационные данные" in w.value for w in at.warning)
    assert overview_numbers(at)[0] == expected(demo=True)["events"]
    at.button(key="delete_demo").click().run()
    assert not at.exception
    assert overview_numbers(at) == as_expected(expected())
    again = app()
    assert not any("Демонстрационные данные" in w.value for w in again.warning)


@pytest.mark.parametrize("page", [None, "prevention/app/views/region.py", "prevention/app/views/table.py"])
def test_empty_database_shows_a_friendly_state(database, page):
    database(rows=[])
    at = app(page)
    assert any("Данных пока нет" in i.value for i in at.info)
    assert len(at.metric) == 0


@pytest.mark.parametrize("page", [None, "prevention/app/views/region.py", "prevention/app/views/table.py"])
def test_a_period_without_records_shows_a_designed_empty_state(database, page):
    """No zeros over empty axes («−1 0 1»): the page says in words that the window holds nothing, and stops."""
    database()
    at = app(page, query={"period": ["2019-01-01", "2019-12-31"], "regions": "Кызылординская область"})
    assert not at.exception
    assert any(i.value.startswith("**Нет данных за выбранный период.** За 01.01.2019 – 31.12.2019") for i in at.info)
    assert len(at.metric) == 0 and len(at.get("plotly_chart")) == 0 and len(at.dataframe) == 0


# ---------------------------------------------------------------- the map shapes and the figure builders

def test_region_shapes_are_the_20_regions_keyed_by_iso_code_and_small():
    import json

    from prevention.output import geo

    shapes = geo.regions_geojson()
    codes = {f["id"] for f in shapes["features"]}
    assert codes == {f"KZ-{n}" for n in (10, 11, 15, 19, 23, 27, 31, 33, 35, 39, 43, 47, 55, 59, 61, 62, 63, 71, 75,
                                         79)}
    assert len(json.dumps(shapes, separators=(",", ":"))) < 400_000
    abay = next(f for f in shapes["features"] if f["id"] == "KZ-10")
    assert abay["properties"]["adm1_en"] == "Abay Region"  # the asset's spelling, mapped through regions.csv


def test_simplified_neighbours_share_their_border_exactly():
    from prevention.output import geo

    shapes = {f["id"]: f["geometry"] for f in geo.regions_geojson()["features"]}

    def points(geometry):
        polys = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        return {tuple(p) for poly in polys for ring in poly for p in ring}

    # Astana is an enclave of Akmola: every vertex of the city's outline is a vertex of Akmola's hole
    astana, akmola = shapes["KZ-71"], shapes["KZ-11"]
    big = max(astana["coordinates"] if astana["type"] == "MultiPolygon" else [astana["coordinates"]],
              key=lambda poly: len(poly[0]))
    assert {tuple(p) for p in big[0]} <= points(akmola)
    # Karaganda and Ulytau keep a long common border after simplification
    assert len(points(shapes["KZ-35"]) & points(shapes["KZ-62"])) >= 10


def test_douglas_peucker_keeps_the_ends_and_drops_collinear_points():
    import importlib.util

    spec = importlib.util.spec_from_file_location("build_shapes", PROJECT / "scripts" / "build_region_shapes.py")
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    douglas_peucker = build.douglas_peucker

    line = [(0.0, 0.0), (1.0, 0.001), (2.0, 0.0), (3.0, 5.0), (4.0, 0.0)]
    assert douglas_peucker(line, 0.01) == [(0.0, 0.0), (2.0, 0.0), (3.0, 5.0), (4.0, 0.0)]


def test_figures_draw_maps_with_maplibre_traces_only(make_db):
    import pandas as pd

    from prevention.output import figures, geo
    from prevention.queries import activity
    from prevention.queries.filters import Filters
    from prevention.storage import db

    con = db.connect(make_db())
    regions = activity.by_region(con, Filters(YEAR_2025[0], YEAR_2025[1]))
    fig = figures.choropleth(regions, "participants", geo.regions_geojson(), selected=("KZ-35",))
    assert {t.type for t in fig.data} == {"choroplethmap"}  # never the CDN-bound "choropleth" geo trace
    assert fig.layout.map.style == "white-bg"
    coloured, grey = fig.data
    assert set(coloured.locations) == {r["region_code"] for r in fixture_rows() if YEAR_2025[0] <= r["period_start"]}
    assert len(coloured.locations) + len(grey.locations) == 20  # each shape drawn (and sent) once
    assert {f["id"] for f in coloured.geojson["features"]} == set(coloured.locations)
    widths = dict(zip(coloured.locations, coloured.marker.line.width))
    assert widths["KZ-35"] == 3 and widths["KZ-71"] < 3  # the outline of the chosen region
    bar = figures.ranked_bar(regions, "events")
    assert len(bar.data[0].y) == 20 and bar.data[0].customdata[-1][0] == regions.sort_values("events").iloc[-1][
        "region_code"]
    trend = figures.monthly_trend(activity.by_month(con, Filters(*YEAR_2024)), "events", period=YEAR_2024)
    assert [s.x0 for s in trend.layout.shapes] == [date(2024, 5, 26)]
    breakdown = figures.breakdown_bar(pd.DataFrame({"label": list("abcdefghijklmn"), "events": range(14)}), "events",
                                      top=12)
    assert "прочие" in list(breakdown.data[0].y)


def test_figures_and_geo_do_not_import_streamlit():
    import subprocess
    import sys

    code = "import sys, prevention.output.figures, prevention.output.geo; print('streamlit' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], cwd=PROJECT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_a_locked_database_is_explained_not_crashed(tmp_path, monkeypatch):
    import duckdb

    path = tmp_path / "locked.duckdb"
    monkeypatch.setenv("PREVENTION_DB", str(path))
    monkeypatch.setattr(duckdb, "connect", lambda *a, **k: (_ for _ in ()).throw(
        duckdb.IOException("Could not set lock on file: Conflicting lock is held")))
    at = AppTest.from_file(str(PROJECT / "dashboard.py"), default_timeout=60).run()
    assert not at.exception
    assert any("занята другим процессом" in e.value for e in at.error)


def test_a_reversed_period_in_a_link_is_read_forwards_and_said(make_db, monkeypatch, activity_rows):
    """«30.06–01.06» from a hand-edited link: the figures are those of 01.06–30.06, and the sidebar says so."""
    monkeypatch.setenv("PREVENTION_DB", str(make_db()))
    at = AppTest.from_file(str(PROJECT / "dashboard.py"), default_timeout=90)
    at.query_params["period"] = ["2025-06-30", "2025-06-01"]
    at.run()
    assert not at.exception, at.exception
    june = [r for r in activity_rows if date(2025, 6, 1) <= r["period_start"] <= date(2025, 6, 30)]
    events = next(m.value for m in at.metric if m.label == "Мероприятия")
    assert events == f"{sum(r['events'] for r in june):,}".replace(",", "\u00a0")
    assert any("показан период 01.06.2025 – 30.06.2025" in w.value for w in at.sidebar.warning)
