"""Texts: the catalogues in Russian, Kazakh and English, and formatting of numbers and dates."""
