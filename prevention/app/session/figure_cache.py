"""Built charts, cached: a figure builder of prevention.output.figures runs once per distinct input, not on every
rerun of every session.

A figure is a pure function of the builder's arguments: the small frames the queries return (so a load or deletion,
which changes them, gives a new figure), the metric, the selection, the labels and the language (`lang`, passed by
every caller). The cache is keyed on all of them (`st.cache_data` hashes a frame by its values, index and columns)
and holds the figure's dict (`Figure.to_dict()`). The one argument left out of the key is the map's region shapes:
one committed file, read once per process (state.region_shapes); the map is kept without them and they are put
back on every rerun (unpickling some 40,000 coordinate lists per rerun cost more than building the rest).

What comes back is a `Built` figure: the cached dict as it is, so `st.plotly_chart` sends the same spec as for the
figure built anew, without Plotly validating and deep-copying it again on every rerun.
"""
from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from prevention.output import figures

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


@st.cache_data(show_spinner=False, max_entries=600, ttl=TTL)
def _spec(builder: str, args: tuple, kwargs: dict) -> dict:
    return getattr(figures, builder)(*args, **kwargs).to_dict()


@st.cache_data(show_spinner=False, max_entries=300, ttl=TTL)
def _map_spec(regions, metric: str, label: str | None, lang: str, _shapes: dict) -> dict:
    """The map without its shapes: they are most of its size, the same for every map, and put back per rerun."""
    return figures.without_shapes(figures.choropleth(regions, metric, _shapes, (), label, lang=lang).to_dict())


def build(builder: str, *args, lang: str, **kwargs) -> Built:
    """`figures.<builder>(*args, lang=lang, **kwargs)`, from the cache when these arguments were drawn before."""
    return Built(_spec(builder, args, {"lang": lang, **kwargs}))


def choropleth(regions, metric: str, shapes: dict, selected: tuple[str, ...], label: str | None, *,
               lang: str) -> Built:
    """figures.choropleth with the process's region shapes (not hashed: one file, read once per process). The
    selected regions' outlines are drawn on the cached map, so choosing a region builds no new map."""
    return Built(figures.select_on_map(_map_spec(regions, metric, label, lang, shapes), selected, shapes))


def ranked_bar(regions, metric: str, selected: tuple[str, ...], label: str | None, *, lang: str) -> Built:
    """figures.ranked_bar, the selected regions highlighted on the cached ranking."""
    return Built(figures.select_on_ranking(_spec("ranked_bar", (regions, metric, (), label), {"lang": lang}),
                                           selected))
