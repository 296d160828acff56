"""Small page building blocks: KPI cards, charts that filter by region on click, metric switches."""
from __future__ import annotations

from functools import partial

import pandas as pd
import streamlit as st

from prevention import texts
from prevention.app.components import fmt, sidebar
from prevention.app.session import figure_cache, links
from prevention.app.session.i18n import lang, tr
from prevention.app.session.state import Data
from prevention.output import figures
from prevention.queries.filters import Filters

# (key of queries.kpis, decimals); labels «overview.kpi.<key>», help texts «overview.kpi.<key>.help»
KPI_CARDS = [("events", 0), ("participants", 0), ("students", 0), ("students_per_event", 1),
             ("regions_reporting", 0)]
_NONCE = "_region_chart_nonce"


def plotly_config() -> dict:
    """Plotly's toolbar without the lasso, the box select and the PNG export; its own texts in the language."""
    return {"displaylogo": False, "scrollZoom": False, "locale": "en" if lang() == "en" else "ru",
            "modeBarButtonsToRemove": ["lasso2d", "select2d", "toImage"]}


def kpi_row(change: dict, f: Filters) -> None:
    """Five KPI cards with the change against the same dates a year earlier."""
    current, previous = change["current"], change["previous"]
    earlier = f.year_earlier()
    description = None
    if previous is not None:
        same_year = earlier.date_from.year == earlier.date_to.year
        description = (tr("overview.kpi.against_year", year=earlier.date_from.year) if same_year
                       else tr("overview.kpi.year_ago"))
    for column, (key, digits) in zip(st.columns(len(KPI_CARDS)), KPI_CARDS):
        value = current[key]
        shown = fmt.number(value, digits)
        if key == "regions_reporting":
            shown = fmt.out_of(value)
        delta = None
        if previous is not None:
            if key == "regions_reporting":
                diff = value - previous[key]
                delta = f"{'+' if diff >= 0 else '-'}{abs(diff)}" if diff else None
            else:
                delta = fmt.change(value, previous[key])
        help_text = tr(f"overview.kpi.{key}.help")
        if previous is not None:
            help_text += " " + tr("overview.kpi.earlier", period=fmt.period(earlier.date_from, earlier.date_to),
                                  value=fmt.number(previous[key], digits))
        column.metric(tr(f"overview.kpi.{key}"), shown, delta, help=help_text, border=True,
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
                    config=plotly_config())


def chart(fig, key: str | None = None) -> None:
    st.plotly_chart(fig, key=key, config=plotly_config())


def breakdown_chart(title: str, data: Data, f: Filters, column: str, kind: str | None, metric: str, key: str,
                    note: bool = False) -> None:
    """A subheader and a horizontal bar chart of one breakdown (column "event_type", "audience" or "district";
    `kind` the vocabulary of its labels, None for free text such as districts), with the counted summaries' part that
    has no breakdown as its own bar (queries.activity.SUMMARY_REST), so the bars add up to the total on screen; with
    `note` (the page's last breakdown) a line says what that bar is."""
    st.subheader(title)
    fig, has_rest = figure_cache.breakdown(data, f, column, kind, metric, lang=lang())
    chart(fig, key=key)
    if has_rest and note:
        st.caption(tr("breakdown.note"))


def switch_label(language: str):
    """format_func of the Overview's metric switch: a metric code -> its short label in `language`."""
    return fmt.keyed("overview.switch.{option}", language)


def seed_metric(key: str, metrics: dict[str, str]) -> None:
    """The Overview's metric from the URL: its code, or its label in any language (links made before the codes)."""
    pairs = [(m, m) for m in metrics]
    pairs += [(texts.t(f"overview.switch.{m}", code), m) for m in metrics for code in texts.LANGUAGES]
    pairs += [(figures.metric_label(m, code), m) for m in metrics for code in texts.LANGUAGES]
    links.seed(key, links.lookup(pairs), single=True)


def population_years(regions: pd.DataFrame) -> str | None:
    """The population year(s) behind per-10,000 figures, e.g. «2023» or «2022–2023»; None if not loaded."""
    years = regions["population_year"].dropna()
    if years.empty:
        return None
    low, high = int(years.min()), int(years.max())
    return str(low) if low == high else f"{low}–{high}"


def region_metric_options(regions: pd.DataFrame) -> dict[str, str]:
    """Metric -> chart label; per 10,000 residents only when population is loaded, its year stated."""
    options = figures.region_metrics(lang())
    years = population_years(regions)
    if years is None:
        options.pop("per_10k")
    else:
        options["per_10k"] = tr("overview.per_10k_label", years=years)
    return options
