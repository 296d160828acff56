"""A problem (loaders.problems.Problem) as text in the reader's language, until the reader's own renderer lands.

TODO(reader): `prevention.texts.problem_message(problem, lang)` is being added with the catalogues
data/i18n/{ru,kk,en}.loader.json; once it is on main, `problem_text` is that function and this module goes.
Until then: the catalogue key `loader.<code>` when there is one (the row problems, and the use cases' own codes in
*.usecases.json), else the reader's Russian detail, else the code."""
from __future__ import annotations

import string

from prevention.texts import catalogue


class _Params(dict):
    def __missing__(self, key: str) -> str:
        return ""


def _shown(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return "" if value is None else str(value)


def problem_text(problem, lang: str | None = catalogue.DEFAULT) -> str:
    try:
        from prevention import texts
        reader_renderer = getattr(texts, "problem_message", None)
    except ImportError:
        reader_renderer = None
    if reader_renderer is not None:
        return reader_renderer(problem, lang)
    key = f"loader.{problem.code}"
    if key in catalogue.catalogue(catalogue.DEFAULT):
        text = catalogue.t(key, lang)
        params = _Params({k: _shown(v) for k, v in (problem.params or {}).items()})
        return string.Formatter().vformat(text, (), params)
    return str((problem.params or {}).get("detail") or problem.code)
