"""Numbers, changes, dates and periods of a briefing in its language: Babel through prevention.texts, the same
rules as the pages (prevention.app.components.fmt), which this layer may not import (it imports Streamlit)."""
from __future__ import annotations

import calendar
import re
from datetime import date

from prevention import texts
from prevention.queries.activity import NOT_GIVEN
from prevention.texts import formats

DASH = "—"
_UNSAFE = re.compile(r"[^\w\-]+")


def t(key: str, lang: str, **params) -> str:
    return texts.t(f"briefing.{key}", lang, **params)


def number(value, lang: str, digits: int = 0) -> str:
    """«12 345», «3,5» (ru, kk); «12,345», «3.5» (en); «—» when missing."""
    return formats.number(value, lang, digits)


def change(current, previous, lang: str, digits: int = 1) -> str:
    """The change against a previous value as the KPI cards show it (formats.change); «—» when unknown."""
    return formats.change(current, previous, lang, digits) or DASH


def difference(current, previous, lang: str) -> str:
    """A signed whole difference: «+2», «-1», «0»."""
    if formats.missing(current) or formats.missing(previous):
        return DASH
    diff = int(current) - int(previous)
    return ("+" if diff > 0 else "-" if diff < 0 else "") + number(abs(diff), lang)


def day(value, lang: str) -> str:
    """«25.06.2025» (ru, kk), «25 Jun 2025» (en)."""
    return formats.short_date(value, lang)


def long_day(value, lang: str) -> str:
    return formats.long_date(value, lang)


def _whole_year(start: date, end: date) -> bool:
    return start == date(start.year, 1, 1) and end == date(start.year, 12, 31)


def _whole_month(start: date, end: date) -> bool:
    last = calendar.monthrange(start.year, start.month)[1]
    return start.day == 1 and end == date(start.year, start.month, last)


def period(start: date | None, end: date | None, lang: str) -> str:
    """A window in words: «2025 год», «июнь 2025», «1 января 2025 – 30 июня 2025», «всё время»."""
    if start is None and end is None:
        return t("all_time", lang)
    if start is not None and end is not None:
        if _whole_year(start, end):
            return t("year", lang, year=start.year)
        if _whole_month(start, end):
            return formats.month_year(start, lang)
    return f"{long_day(start, lang) if start else '…'} – {long_day(end, lang) if end else '…'}"


def period_stem(start: date | None, end: date | None, lang: str) -> str:
    """The period part of a file name: «2025», «2025-06», «2025-01-01_2025-06-30», «всё_время»."""
    if start is None and end is None:
        return safe(t("all_time", lang))
    if start is not None and end is not None:
        if _whole_year(start, end):
            return str(start.year)
        if _whole_month(start, end):
            return f"{start:%Y-%m}"
    return f"{start.isoformat() if start else '…'}_{end.isoformat() if end else '…'}".replace("…", "")


def safe(text: str) -> str:
    """Letters (any alphabet), digits, «-» and «_»: everything else that a file system or a browser could mind
    becomes «_», runs of it one, none at the ends."""
    return _UNSAFE.sub("_", text).strip("_")


# Cyrillic in the Kazakh alphabet's order (Russian is the same without the Kazakh letters): «Ақмола» before
# «Атырау». The same order as the pages' (app.components.fmt.sort_key).
_ALPHABET = {c: i for i, c in enumerate("аәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя")}


def sort_key(text: str) -> tuple:
    return tuple(100 + _ALPHABET[c] if c in _ALPHABET else 1000 + ord(c) if c.isalnum() else 0
                 for c in str(text).casefold())


def region(code: str, lang: str) -> str:
    return texts.region_name(code, lang)


def short_region(code: str, lang: str) -> str:
    """A region's name for a file name, without the word for «region» («Карагандинская», «Қарағанды», «Karaganda»);
    cities keep theirs («город_Алматы», «Алматы_қаласы»), so the city and the region never share a name."""
    name = texts.region_name(code, lang)
    for word in t("region_words", lang).split("|"):
        name = re.sub(rf"(?i)(^|\s){re.escape(word)}(\s|$)", " ", name)
    return safe(name.strip())


def vocab(kind: str, label_ru, lang: str) -> str:
    """An event form or audience in the language; a missing one (the queries' «не указано») in words."""
    if label_ru is None or formats.missing(label_ru) or label_ru == NOT_GIVEN:
        return texts.t("common.not_specified", lang)
    return texts.vocab_label(kind, label_ru, lang)


def free_text(value, lang: str) -> str:
    """A district or venue as written; «не указано» for the queries' missing label; «—» when empty."""
    if value is None or formats.missing(value) or str(value).strip() == "":
        return DASH
    if value == NOT_GIVEN:
        return texts.t("common.not_specified", lang)
    return str(value)
