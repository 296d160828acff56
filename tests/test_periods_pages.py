"""The pages under the period rule (issue 11), through AppTest, on a database holding a yearly summary of three
regions for 2025 and an event log: the KPIs, the note of what a window leaves out, the trend's unit, breakdown bars
that add up to the KPI, the Region and Table pages' records, and the quality page's reconciliation and conflicts.

Expected figures are computed here from the fixture rows, never through the queries."""
from __future__ import annotations

import base64
import hashlib
import json
import re
from datetime import date
from pathlib import Path

import numpy as np
import plotly.io
import pytest
from streamlit.testing.v1 import AppTest

from prevention.storage import db
from prevention.storage.batches import BatchInfo, store_batch

PROJECT = Path(__file__).resolve().parent.parent
YEAR = (date(2025, 1, 1), date(2025, 12, 31))


def rec(region, start, end=None, events=1, participants=None, event_type=None, audience=None, row=2):
    return {"region_code": region, "period_start": start, "period_end": end or start, "events": events,
            "participants": participants, "event_type": event_type, "audience": audience, "source_sheet": "Лист1",
            "source_row": row, "district": None}


# Yearly 2025 summaries of three regions; an event log with May events in two of them and events of two regions
# without a summary; a second summary file giving Astana's first quarter and February–April (a conflict).
SUMMARY = [rec("KZ-35", *YEAR, events=1153, participants=46_000, row=5),
           rec("KZ-55", *YEAR, events=420, participants=12_600, row=6),
           rec("KZ-61", *YEAR, events=2, participants=90, row=7)]
LOG = [rec("KZ-35", date(2025, 5, d), participants=30 + d, event_type="лекция", audience="студенты", row=d)
       for d in (5, 6, 7)]
LOG += [rec("KZ-61", date(2025, 5, 12), participants=40, event_type="акция", audience="школьники", row=12),
        rec("KZ-61", date(2025, 5, 13), participants=40, event_type="акция", audience="школьники", row=13),
        rec("KZ-61", date(2025, 5, 14), participants=40, event_type="беседа", audience="родители", row=14),
        rec("KZ-75", date(2025, 6, 3), participants=60, event_type="беседа", audience="родители", row=20),
        rec("KZ-10", date(2025, 6, 20), date(2025, 7, 2), participants=25, event_type="акция",
            audience="школьники", row=21)]
QUARTERS = [rec("KZ-71", date(2025, 1, 1), date(2025, 3, 31), events=300, participants=9000, row=3),
            rec("KZ-71", date(2025, 2, 1), date(2025, 4, 30), events=280, participants=8400, row=4)]


def store(con, name, rows, shape):
    info = BatchInfo(name, hashlib.sha256(name.encode()).hexdigest(), 100, shape, len(rows), len(rows), 0, 0)
    return store_batch(con, info, rows)


@pytest.fixture
def database(tmp_path, monkeypatch):
    path = tmp_path / "periods.duckdb"
    con = db.connect(path)
    store(con, "svod_2025.xlsx", SUMMARY, "summary")
    store(con, "q1.xlsx", QUARTERS[:1], "summary")
    store(con, "feb_apr.xlsx", QUARTERS[1:], "summary")
    store(con, "log.xlsx", LOG, "events")
    con.close()
    monkeypatch.setenv("PREVENTION_DB", str(path))
    return path


def expected_year(metric="events") -> int:
    """2025 under the rule: each summary region's summary (the log inside it is its detail), Astana's February–April
    summary (the newer of two overlapping ones), and the log records of regions without a summary that lie in the
    year (the 20.06–02.07 event lies in it too)."""
    summary_regions = {r["region_code"] for r in SUMMARY}
    logs = [r for r in LOG if r["region_code"] not in summary_regions]
    return sum(r[metric] for r in SUMMARY) + QUARTERS[1][metric] + sum(r[metric] for r in logs)


def app(page=None, query=None, state=None) -> AppTest:
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


def number(text: str) -> int:
    return int(re.sub(r"\s", "", text))


def captions(at: AppTest) -> str:
    return "\n".join(c.value for c in at.caption)


def _decoded(value):
    """Plotly's typed arrays ({"dtype", "bdata"}) as lists, everything else as it is."""
    if isinstance(value, dict) and set(value) >= {"dtype", "bdata"}:
        return np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"]).tolist()
    if isinstance(value, dict):
        return {k: _decoded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decoded(v) for v in value]
    return value


def chart(at: AppTest, index: int):
    """The page's index-th Plotly figure, its arrays decoded."""
    return plotly.io.from_json(json.dumps(_decoded(json.loads(at.get("plotly_chart")[index].proto.spec))))


def bar_days(trace) -> list[int]:
    """How many days each bar of the trend spans (figures.period_trend draws a bar 85 % of its period wide)."""
    return [round(width / 0.85 / 86_400_000) for width in trace.width]


def bars_total(fig) -> float:
    return sum(sum(trace.x) for trace in fig.data)


def test_overview_counts_each_summary_once_and_the_trend_shows_years(database):
    at = app()
    kpis = {m.label: m.value for m in at.metric}
    assert number(kpis["Мероприятия"]) == expected_year()
    assert number(kpis["Охват, человек"]) == expected_year("participants")
    assert "Шаг — по годам: среди учтённых записей есть своды (годовой свод — 3)" in captions(at)
    trend = chart(at, 2)  # the Overview's charts show reach (participants) by default
    assert list(trend.data[0].y) == [expected_year("participants")]
    assert bar_days(trend.data[0]) == [365]  # one bar as wide as the year, not a January bar
    assert "Не учтены" not in captions(at)  # nothing of 2025 overlaps the year in part


def test_overview_breakdown_bars_add_up_to_the_kpi(database):
    at = app()
    forms, audiences = chart(at, 3), chart(at, 4)  # reach (participants), the default metric
    assert bars_total(forms) == bars_total(audiences) == expected_year("participants")
    assert list(forms.data[1].y) == ["по сводам, без разбивки"]
    inside = sum(r["participants"] for r in LOG if r["region_code"] in {"KZ-35", "KZ-55", "KZ-61"})
    assert list(forms.data[1].x) == [sum(r["participants"] for r in SUMMARY) + QUARTERS[1]["participants"] - inside]
    events = app(query={"metric": "events"})
    assert bars_total(chart(events, 3)) == bars_total(chart(events, 4)) == expected_year()
    assert any(c.value.startswith("«По сводам, без разбивки»") for c in at.caption)


def test_a_june_window_leaves_the_year_out_and_says_so(database):
    at = app(query={"period": ["2025-06-01", "2025-06-30"]})
    june = [r for r in LOG if date(2025, 6, 1) <= r["period_start"] and r["period_end"] <= date(2025, 6, 30)]
    assert number(at.metric[0].value) == sum(r["events"] for r in june)
    note = next(c.value for c in at.caption if c.value.startswith("Не учтены"))
    assert note == ("Не учтены 3 свода и 1 запись журнала, период которых выходит за 01.06.2025 – 30.06.2025: "
                    "годовой свод 2025 г. (3); запись журнала 20.06.2025 – 02.07.2025.")
    assert [link.label for link in at.get("page_link")] == ["Список неучтённых записей"]
    assert "Шаг — месяц" in captions(at)


def test_a_finer_unit_says_what_it_leaves_out(database):
    at = app(state={"trend_unit": "month"})
    notes = captions(at)
    assert "В этом шаге не показаны 4 свода, период которых длиннее шага (годовой свод 2025 г. (3); " in notes
    trend = chart(at, 2)
    assert bar_days(trend.data[0]) == [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]


def test_a_form_filter_counts_the_logs_alone_and_says_the_summaries_are_left_out(database):
    at = app(query={"forms": "акция"})
    assert number(at.metric[0].value) == sum(r["events"] for r in LOG if r["event_type"] == "акция")
    assert any("не учтены 5 сводов — в сводах нет такой разбивки" in c.value for c in at.caption)


def test_region_page_compares_the_summary_with_the_median_and_lists_its_detail(database):
    at = app("prevention/app/views/region.py", query={"regions": "Карагандинская область"})
    events = next(m for m in at.metric if m.label == "Мероприятия")
    assert number(events.value) == 1153
    records = at.dataframe[0].value
    assert list(records["counting"]) == ["учтена"] + ["в т.ч. по журналам мероприятий"] * 3
    assert list(records["period_kind"])[:2] == ["год", "день"]
    assert any(s.value == "Записи (4)" for s in at.subheader)


def test_table_page_lists_counted_records_and_the_left_out_ones(database):
    at = app("prevention/app/views/table.py", query={"period": ["2025-06-01", "2025-06-30"]})
    counted, left = at.dataframe[0].value, at.dataframe[1].value
    assert len(counted) == 1 and counted["region"].iloc[0] == "город Алматы"
    assert len(left) == 3 + 1 and set(left["reason"]) == {"период выходит за фильтр"}
    year = app("prevention/app/views/table.py")
    rows = year.dataframe[0].value
    assert len(rows) == len(SUMMARY) + 1 + len(LOG)  # the three summaries, Feb–Apr, every log record
    assert (rows["counting"] == "в т.ч. по журналам мероприятий").sum() == 6


def test_quality_page_reconciles_summaries_with_their_logs_and_lists_the_conflict(database):
    at = app("prevention/app/views/quality.py")
    reconciliation = next(d.value for d in at.dataframe if "exceeds" in d.value.columns)
    by_region = reconciliation.set_index("region_code")
    assert by_region.loc["KZ-35", "detail_events"] == 3 and by_region.loc["KZ-35", "difference_events"] == 1150
    assert bool(by_region.loc["KZ-61", "exceeds"]) and by_region.loc["KZ-61", "difference_events"] == -1
    assert any(w.value == "Журналы больше свода: 1." for w in at.warning)
    conflicts = next(d.value for d in at.dataframe if "counted_batch" in d.value.columns)
    assert list(conflicts["source_file"]) == ["q1.xlsx"] and list(conflicts["counted_file"]) == ["feb_apr.xlsx"]
    assert any(i.value.startswith("Правило подсчёта. Запись учитывается") for i in at.info)
    metrics = {m.label: m.value for m in at.metric}
    # covered months: 12 for each of the three summary regions, Feb–Apr for Astana (its counted summary), June for
    # Almaty, June and July for Abai (the event held 20.06–02.07)
    assert metrics["Пропусков (регион × месяц)"] == str(240 - 3 * 12 - 3 - 1 - 2)


@pytest.mark.parametrize("lang", ["kk", "en"])
@pytest.mark.parametrize("page", [None, "prevention/app/views/region.py", "prevention/app/views/table.py",
                                  "prevention/app/views/quality.py"])
def test_the_period_texts_in_kazakh_and_english(database, page, lang):
    at = app(page, state={"lang": lang}, query={"period": ["2025-06-01", "2025-06-30"]})
    text = "\n".join(e.value for kind in ("caption", "subheader", "info", "warning", "markdown")
                     for e in getattr(at, kind))
    assert not re.search(r"\b(periods|trend|breakdown|table|quality)\.[a-z_.]+", text), "a key shown as text"
    assert "Не учтены" not in text and "свод" not in text


def test_logs_exceeding_their_summary_show_as_a_negative_bar(database):
    at = app("prevention/app/views/region.py", query={"regions": "Туркестанская область"},
             state={"region_metric": "events"})
    summary = next(r for r in SUMMARY if r["region_code"] == "KZ-61")
    logs = [r for r in LOG if r["region_code"] == "KZ-61"]
    assert number(next(m for m in at.metric if m.label == "Мероприятия").value) == summary["events"]
    forms = chart(at, 2)
    assert list(forms.data[1].y) == ["журналы больше свода"]
    assert list(forms.data[1].x) == [summary["events"] - len(logs)]
    assert bars_total(forms) == summary["events"]


def test_the_quarter_preset_follows_the_rule(database):
    at = app()
    at.sidebar.button_group(key="preset").set_value("Квартал").run()  # the first quarter of 2025 (the defaults)
    assert not at.exception
    assert at.session_state["period"] == (date(2025, 1, 1), date(2025, 3, 31))
    assert number(at.metric[0].value) == QUARTERS[0]["events"]  # Q1 of Astana: February–April is not inside
    assert any(c.value.startswith("Не учтены 4 свода, период которых выходит за 01.01.2025 – 31.03.2025")
               for c in at.caption)
