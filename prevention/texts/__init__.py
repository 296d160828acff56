"""Texts: the catalogues in Russian, Kazakh and English (data/i18n), formatting of numbers and dates by Babel, and
problem messages. No Streamlit, no storage: every layer may use it."""
from prevention.texts.lookup import (
                                     DEFAULT,
                                     LANGUAGES,
                                     catalogue,
                                     loader_message,
                                     month_name,
                                     placeholders,
                                     plural,
                                     region_name,
                                     t,
                                     vocab_label,
)
from prevention.texts.problems import problem_message, render

__all__ = ["DEFAULT", "LANGUAGES", "catalogue", "loader_message", "month_name", "placeholders", "plural",
           "problem_message", "region_name", "render", "t", "vocab_label"]
