"""Small page building blocks: KPI cards, charts that filter by region on click, metric switches."""
from __future__ import annotations

from functools import partial

import pandas as pd
import streamlit as st

from prevention import figures
from prevention.filters import Filters
from ui import fmt, sidebar

# (key of queries.kpis, card label, decimals, help)
KPI_CARDS = [
    ("events", "Мероприятия", 0, "Сумма мероприятий: строка журнала — одно мероприятие, строка свода — их число."),
    ("participants", "Охват, человек", 0, "Сколько человек охвачено (столбец «Охват», всего)."),
    ("students", "Охват студентов", 0, "В том числе студентов колледжей и вузов."),
    ("students_per_event", "Студ. на мероприятие", 1, "Охват студентов, делённый на число мероприятий."),
    ("regions_reporting", "Регионов с отчётами", 0, "Сколько из 20 регионов прислали хотя бы одну запись."),
]
PLOTLY_CONFIG = {"displaylogo": False, "scrollZoom": False, "locale": "ru",
                 "modeBarButtonsToRemove": ["lasso2d", "select2d", "toImage"]}
_NONCE = "_region_chart_nonce"


def kpi_row(change: dict, f: Filters) -> None:
    """Five KPI cards with the change against the same dates a year earlier."""
    current, previous = change["current"], change["previous"]
    earlier = f.year_earlier()
    description = None
    if previous is not None:
        same_year = earlier.date_from.year == earlier.date_to.year
        description = f"к {earlier.date_from.year} г." if same_year else "год назад"
    for column, (key, label, digits, help_text) in zip(st.columns(len(KPI_CARDS)), KPI_CARDS):
        value = current[key]
        shown = fmt.number(value, digits)
        if key == "regions_reporting":
            shown = f"{value} из 20"
        delta = None
        if previous is not None:
            if key == "regions_reporting":
                diff = value - previous[key]
                delta = f"{'+' if diff >= 0 else '-'}{abs(diff)}" if diff else None
            else:
                delta = fmt.change(value, previous[key])
        if previous is not None:
            help_text += (f" За {fmt.period_ru(earlier.date_from, earlier.date_to)}: "
                          f"{fmt.number(previous[key], digits)}.")
        column.metric(label, shown, delta, help=help_text, border=True,
                      delta_description=description if delta else None)


def _region_clicked(chart_key: str, names: dict[str, str]) -> None:
    """on_select callback: the clicked region becomes the region filter (clicked again: all regions)."""
    try:
        points = st.session_state[chart_key]["selection"]["points"]
    except (KeyError, TypeError):
        return
    if not points:
        return
    point = points[0]
    code = point.get("location")
    if not code and point.get("customdata"):
        code = point["customdata"][0]
    if code not in names:
        return
    chosen = [names[code]]
    sidebar.set_regions([] if st.session_state.get(sidebar.REGIONS) == chosen else [code], names)
    st.session_state[_NONCE] = st.session_state.get(_NONCE, 0) + 1  # a fresh chart, no stale selection


def region_chart(fig, name: str, names: dict[str, str]) -> None:
    """A chart whose click on a region (map location or bar customdata) filters every page to it."""
    key = f"{name}_{st.session_state.get(_NONCE, 0)}"
    st.plotly_chart(fig, key=key, on_select=partial(_region_clicked, key, names), selection_mode="points",
                    config=PLOTLY_CONFIG)


def chart(fig, key: str | None = None) -> None:
    st.plotly_chart(fig, key=key, config=PLOTLY_CONFIG)


SWITCH_LABELS = {"events": "Мероприятия", "participants": "Охват", "students": "Студенты",
                 "per_event": "На мероприятие", "per_10k": "На 10 000 жителей"}


def population_years(regions: pd.DataFrame) -> str | None:
    """The population year(s) behind per-10,000 figures, e.g. «2023» or «2022–2023»; None if not loaded."""
    years = regions["population_year"].dropna()
    if years.empty:
        return None
    low, high = int(years.min()), int(years.max())
    return str(low) if low == high else f"{low}–{high}"


def region_metric_options(regions: pd.DataFrame) -> dict[str, str]:
    """Metric -> chart label; per 10,000 residents only when population is loaded, its year stated."""
    options = dict(figures.REGION_METRICS)
    years = population_years(regions)
    if years is None:
        options.pop("per_10k")
    else:
        options["per_10k"] = f"Охват на 10 000 жителей (население {years} г.)"
    return options
