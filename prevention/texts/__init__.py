"""Texts: the catalogues in Russian, Kazakh and English (data/i18n), formatting of numbers and dates by Babel, and
problem messages. No Streamlit, no storage: every layer may use it."""
from prevention.texts.catalogue import DEFAULT, LANGUAGES, catalogue, plural, region_name, t, vocab_label
from prevention.texts.problems import problem_message

__all__ = ["DEFAULT", "LANGUAGES", "catalogue", "plural", "problem_message", "region_name", "t", "vocab_label"]
