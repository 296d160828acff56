"""Widget values that mean the same in every language: in the session and in a shared link.

A select widget keeps its options as canonical values (ISO codes, Russian vocabulary labels, metric codes) and
shows them through a translated format_func. Two things would still tie a value to a language:

- Streamlit's URL binding writes the *shown* label into the URL, so `bind="query-params"` is used only where the
  label does not depend on the language (dates, organisers). The translated filters are kept in the URL here:
  `seed()` reads the canonical values (or a label in any language) on the session's first run, `publish()` writes
  the canonical values back after the widget is drawn.
- After a language switch the browser sends the old labels back once; `keep()` re-states the values the previous
  run understood, before the widget is drawn, so no filter is lost.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable

import streamlit as st

from prevention.app.session.i18n import lang

_SEEN = "_links_lang_seen"
_CHANGED = "_links_lang_changed"
_SEEDED = "_links_seeded"


def note_language() -> None:
    """Once per run, before any widget of keep(): did the language change since the last run?"""
    current = lang()
    st.session_state[_CHANGED] = st.session_state.get(_SEEN, current) != current
    st.session_state[_SEEN] = current


def keep(*keys: str) -> None:
    """Before drawing these widgets: after a language switch, pin the values the previous run held."""
    if not st.session_state.get(_CHANGED):
        return
    for key in keys:
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]


def first_run() -> bool:
    """True on the session's first run (the URL is read then, later runs follow the widgets)."""
    if st.session_state.get(_SEEDED):
        return False
    st.session_state[_SEEDED] = True
    return True


def url_values(key: str, canonical: Callable[[str], object | None]) -> list:
    """The canonical values of a query parameter (repeated, ?regions=a&regions=b); unknown ones dropped."""
    values = []
    for text in st.query_params.get_all(key):
        value = canonical(text)
        if value is not None and value not in values:
            values.append(value)
    return values


def seed(key: str, canonical: Callable[[str], object | None], single: bool = False) -> None:
    """On the first run, a widget's value from the URL (the widget itself is not bound)."""
    values = url_values(key, canonical)
    if values:
        st.session_state[key] = values[0] if single else values


def publish(key: str, values: Iterable[str] | str | None, default=None) -> None:
    """Write a widget's canonical value(s) to the URL; the default (or nothing) leaves the parameter out."""
    if isinstance(values, str):
        values = [values]
    values = [v for v in (values or []) if v is not None]
    wanted = [] if (default is not None and values == [default]) else values
    if st.query_params.get_all(key) == wanted:
        return
    if wanted:
        st.query_params[key] = wanted
    elif key in st.query_params:
        del st.query_params[key]


def lookup(pairs: Iterable[tuple[str, object]]) -> Callable[[str], object | None]:
    """A canonical() for seed(): any of the given texts (case and spaces ignored) -> its value."""
    table = {" ".join(str(text).split()).casefold(): value for text, value in pairs if text}
    return lambda text: table.get(" ".join(str(text).split()).casefold())
