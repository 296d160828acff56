"""Reader and load problems (loaders.problems.Problem) as messages in Russian, Kazakh or English.

The message template is the catalogue key `loader.<code>`; parameters are formatted here by their name:
numbers by Babel, `region` (an ISO code) as the region's name, `field` as the field's label, `confidence` as a
percentage, `missing` and `found` as lists in words, `reasons` as the most frequent row problems with their counts.
"""
from __future__ import annotations

from typing import Any

from prevention.texts import formats
from prevention.texts.lookup import DEFAULT, catalogue, placeholders, plural, region_name, t

REGION_CODE_PREFIX = "KZ-"


def _param(name: str, value: Any, lang: str) -> str:
    if value is None:
        return ""
    if name == "region" and isinstance(value, str) and value.startswith(REGION_CODE_PREFIX):
        return region_name(value, lang)
    if name == "field" and isinstance(value, str):
        key = f"upload.field.{value}"
        return t(key, lang) if key in catalogue(DEFAULT) else value
    if name == "confidence" and isinstance(value, (int, float)):
        return formats.percent(value, lang, 0)
    if name == "source" and isinstance(value, str):
        return t(f"loader.source.{value}", lang)
    if name == "missing" and isinstance(value, (list, tuple)):
        return t("loader.and", lang).join(t(f"loader.missing.{m}", lang) for m in value) or t("loader.nothing", lang)
    if name == "year" and isinstance(value, int):
        return str(value)  # a year, never «2 025»
    if name == "found" and isinstance(value, (list, tuple)) or name == "values" and isinstance(value, (list, tuple)):
        return ", ".join(f"«{v}»" for v in value) or t("loader.nothing", lang)
    if name == "reasons" and isinstance(value, (list, tuple)):
        return "; ".join(_reason(r, lang) for r in value) or t("loader.nothing", lang)
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return formats.number(value, lang)
    if isinstance(value, float):
        return formats.number(value, lang, 0 if value.is_integer() else 1)
    return str(value)


def _reason(reason: dict, lang: str) -> str:
    """{"code", "params", "count"}: «Регион «Марс» не найден — 120 строк»."""
    message = render(reason.get("code", ""), reason.get("params") or {}, lang)
    return t("loader.reason", lang, message=message, rows=plural("loader.rows", reason.get("count", 0), lang))


def render(code: str, params: dict, lang: str | None = DEFAULT) -> str:
    """The message of a problem code with its parameters; the code itself when the catalogue lacks it."""
    key = f"loader.{code}"
    if key not in catalogue(DEFAULT):
        return code
    lang = formats.lang_of(lang)
    template = catalogue(lang).get(key) or catalogue(DEFAULT)[key]
    values = {name: _param(name, params.get(name), lang) for name in placeholders(template)}
    return template.format(**values)


def problem_message(problem, lang: str | None = DEFAULT) -> str:
    """A loaders.problems.Problem (or its dict) in the reader's language."""
    if isinstance(problem, dict):
        return render(problem.get("code", ""), problem.get("params") or {}, lang)
    return render(problem.code, problem.params, lang)
