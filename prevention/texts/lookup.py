"""The interface in Russian, Kazakh and English: one catalogue per language in data/i18n/, number and date
formats, and names of regions, event forms and audiences. No Streamlit here."""
from __future__ import annotations

import csv
import json
import string
from functools import cache, lru_cache
from pathlib import Path

from prevention.texts import formats

DATA_DIR = Path(__file__).resolve().parents[2] / "data"

LANGUAGES = {"ru": "Русский", "kk": "Қазақша", "en": "English"}
DEFAULT = "ru"


@cache
def catalogue(lang: str) -> dict[str, str]:
    """All keys of a language: data/i18n/<lang>.json plus any data/i18n/<lang>.<part>.json (one per area of the
    interface, so areas can be translated separately). A key defined twice is an error."""
    merged: dict[str, str] = {}
    folder = DATA_DIR / "i18n"
    for path in [folder / f"{lang}.json", *sorted(folder.glob(f"{lang}.*.json"))]:
        with open(path, encoding="utf-8") as fh:
            part = json.load(fh)
        clash = set(part) & set(merged)
        if clash:
            raise ValueError(f"{path.name} repeats keys {sorted(clash)[:5]}")
        merged.update(part)
    return merged


def _lang(lang: str | None) -> str:
    return lang if lang in LANGUAGES else DEFAULT


def t(key: str, lang: str | None = DEFAULT, **params) -> str:
    """The text for `key` in `lang` (Russian when the language lacks it), with {placeholders} filled."""
    text = catalogue(_lang(lang)).get(key) or catalogue(DEFAULT).get(key) or key
    return text.format(**params) if params else text


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def loader_message(code: str, lang: str | None = DEFAULT, **params) -> str:
    """A loader's row problem (loaders.report codes) in the reader's language."""
    key = f"loader.{code}"
    if key not in catalogue(DEFAULT):
        return code
    return t(key, lang, **{"value": "", "total": "", **params})


def plural(key: str, count, lang: str | None = DEFAULT, **params) -> str:
    """`key.<category>` for the count's CLDR plural category (ru: one/few/many/other; kk: other; en: one/other),
    with {count} formatted in the language."""
    lang = _lang(lang)
    category = formats.plural_form(count, lang)
    chosen = f"{key}.{category}" if f"{key}.{category}" in catalogue(DEFAULT) else f"{key}.other"
    return t(chosen, lang, count=formats.number(count, lang), **params)


def month_name(month: int, lang: str | None = DEFAULT) -> str:
    return formats.month_names(lang)[month - 1]



@lru_cache(maxsize=1)
def _regions() -> dict[str, dict[str, str]]:
    with open(DATA_DIR / "regions.csv", encoding="utf-8") as fh:
        return {r["region_code"]: {"ru": r["name_ru"], "kk": r["name_kk"],
                                   "en": r["name_en"]} for r in csv.DictReader(fh)}


def region_name(code: str | None, lang: str | None = DEFAULT) -> str:
    names = _regions().get(code or "")
    return names[_lang(lang)] if names else (code or "—")


@lru_cache(maxsize=1)
def _vocabulary() -> dict[tuple[str, str], dict[str, str]]:
    with open(DATA_DIR / "vocabulary.csv", encoding="utf-8") as fh:
        return {(r["kind"], r["label_ru"]): {"ru": r["label_ru"], "kk": r["label_kk"], "en": r["label_en"]}
                for r in csv.DictReader(fh)}


def vocab_label(kind: str, label_ru: str | None, lang: str | None = DEFAULT) -> str:
    """An event form or audience in the reader's language; text outside the vocabulary is shown as written."""
    if label_ru is None:
        return t("common.not_specified", lang)
    names = _vocabulary().get((kind, label_ru))
    return names[_lang(lang)] if names else label_ru
