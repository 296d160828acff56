"""Built charts, cached: a chart of the Overview or Region page is built once per database state, filter, metric and
language, not on every rerun of every session.

Each cached function takes what its chart depends on and nothing else: the database (path and data version, which
every load or deletion bumps, so a new load is never shown stale), the filters, the metric, the unit and the
language. It reads its figures itself (state.Data of that path and version: the cached queries) and translates
with that language, so nothing outside the key reaches the chart. It keeps the figure's dict (`Figure.to_dict()`).
The map's region shapes are not in the key: one committed file, read once per process (state.region_shapes); the
map is kept without them and they are put back on every rerun (unpickling some 40,000 coordinate lists per rerun
cost more than building the rest). The region selection is drawn on the cached map and ranking, so choosing a
region builds neither again.

What comes back is a `Built` figure: the cached dict as it is, so `st.plotly_chart` sends the same spec as for the
figure built anew, without Plotly validating and deep-copying it again on every rerun.
"""
from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from prevention import texts
from prevention.app.components import fmt
from prevention.app.session import state
from prevention.output import figures
from prevention.queries.activity import NOT_GIVEN, SUMMARY_REST
from prevention.queries.filters import Filters
from prevention.texts import periods as period_texts

TTL = 6 * 3600


class Built(go.Figure):
    """A figure already built: `to_dict()` (what st.plotly_chart and plotly.io.to_json read) is the cached spec."""

    def __init__(self, spec: dict):
        super().__init__()
        self._spec = spec

    def to_dict(self) -> dict:
        return self._spec

    def to_plotly_json(self) -> dict:
        return self._spec


@st.cache_data(show_spinner=False, max_entries=300, ttl=TTL)
def _map_spec(path: str, version: int, f: Filters, metric: str, label: str, lang: str, _shapes: dict) -> dict:
    regions = state.Data(path, version).by_region(f)
    return figures.without_shapes(figures.choropleth(regions, metric, _shapes, (), label, lang=lang).to_dict())


def choropleth(data: state.Data, f: Filters, metric: str, shapes: dict, selected: tuple[str, ...], label: str, *,
               lang: str) -> Built:
    """figures.choropleth of data.by_region(f), the `selected` regions outlined."""
    spec = _map_spec(data.path, data.version, f, metric, label, lang, shapes)
    return Built(figures.select_on_map(spec, selected, shapes))


@st.cache_data(show_spinner=False, max_entries=300, ttl=TTL)
def _ranking_spec(path: str, version: int, f: Filters, metric: str, label: str, lang: str) -> dict:
    regions = state.Data(path, version).by_region(f)
    return figures.ranked_bar(regions, metric, (), label, lang=lang).to_dict()


def ranked_bar(data: state.Data, f: Filters, metric: str, selected: tuple[str, ...], label: str, *,
               lang: str) -> Built:
    """figures.ranked_bar of data.by_region(f), the `selected` regions highlighted."""
    return Built(figures.select_on_ranking(_ranking_spec(data.path, data.version, f, metric, label, lang), selected))


def _label(kind: str | None, value, lang: str) -> str:
    """A breakdown's label in `lang`: a form or audience by its vocabulary, free text (districts) as written."""
    if kind:
        return fmt.vocab(kind, value, lang)
    return texts.t("common.not_specified", lang) if value == NOT_GIVEN else (value or "")


@st.cache_data(show_spinner=False, max_entries=600, ttl=TTL)
def _breakdown_spec(path: str, version: int, f: Filters, column: str, kind: str | None, metric: str,
                    lang: str) -> tuple[dict, bool]:
    rows = state.Data(path, version).breakdown(f, column)
    name = "label" if "label" in rows.columns else rows.columns[0]
    is_rest = rows[name] == SUMMARY_REST
    rest = float(rows.loc[is_rest, metric].iloc[0]) if is_rest.any() else None
    labels = rows[~is_rest].copy()
    labels[name] = [_label(kind, v, lang) for v in labels[name]]
    fig = figures.breakdown_with_rest(labels, metric, rest, texts.t("breakdown.rest", lang),
                                      texts.t("breakdown.exceeds", lang), lang=lang)
    return fig.to_dict(), rest is not None


def breakdown(data: state.Data, f: Filters, column: str, kind: str | None, metric: str, *,
              lang: str) -> tuple[Built, bool]:
    """figures.breakdown_with_rest of a breakdown (column "event_type", "audience" or "district"; `kind` the
    vocabulary its labels are translated by, None for free text) and whether it has the summaries' own bar."""
    spec, has_rest = _breakdown_spec(data.path, data.version, f, column, kind, metric, lang)
    return Built(spec), has_rest


@st.cache_data(show_spinner=False, max_entries=300, ttl=TTL)
def _trend_spec(path: str, version: int, f: Filters, unit: str | None, metric: str, lang: str) -> dict:
    trend = state.Data(path, version).trend(f, unit)
    bars, drawn = trend["bars"], trend["unit"]
    labels = [period_texts.unit_period_label(start, drawn, lang) for start in bars["period_start"]]
    return figures.period_trend(bars, drawn, metric, labels, texts.t("trend.counted", lang),
                                texts.t("trend.detail", lang), period=(f.date_from, f.date_to), lang=lang).to_dict()


def period_trend(data: state.Data, f: Filters, unit: str | None, metric: str, *, lang: str) -> Built:
    """figures.period_trend of data.trend(f, unit) (unit None: the natural one)."""
    return Built(_trend_spec(data.path, data.version, f, unit, metric, lang))
