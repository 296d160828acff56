"""The interface language of this session, for pages: `lang()` and `tr(key, **params)`.

The language lives in st.session_state["lang"] (the sidebar switch, bound to the URL as ?lang=kk) and is
remembered per account (app_user.language). The texts are in data/i18n/{ru,kk,en}.json; prevention.i18n
reads them and formats numbers and dates without Streamlit."""
from __future__ import annotations

import streamlit as st

from prevention import texts

KEY = "lang"  # session-state key, widget key and URL query parameter
LANGUAGES = texts.LANGUAGES  # code -> name in that language: Русский, Қазақша, English
DEFAULT = texts.DEFAULT


def lang() -> str:
    """The current language code: "ru", "kk" or "en"."""
    value = st.session_state.get(KEY)
    return value if value in LANGUAGES else DEFAULT


def tr(key: str, **params) -> str:
    """The catalogue text for `key` in the current language, placeholders filled."""
    return texts.t(key, lang(), **params)

