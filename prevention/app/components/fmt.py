"""Numbers, dates and names in the interface language of this session: prevention.texts (Babel) with lang().

Russian and Kazakh: «12 345», «3,5», «26.05.2025»; English: «12,345», «3.5», «26 May 2025». Region names,
event forms and audiences are stored in Russian (the canonical values filters and links use) and shown here in
the reader's language."""
from __future__ import annotations

import math
from datetime import date, datetime

from prevention import texts
from prevention.app.session.i18n import lang, tr
from prevention.queries.activity import NOT_GIVEN
from prevention.texts import formats


def _missing(value) -> bool:
    return formats.missing(value)


def number(value, digits: int = 0, language: str | None = None) -> str:
    """12345 -> «12 345» (ru, kk) / «12,345» (en); 3.456 with digits=1 -> «3,5» / «3.5»; missing -> «—» (Babel)."""
    return formats.number(value, language or lang(), digits)


def change(current, previous, digits: int = 1) -> str | None:
    """The change against a previous value, «+12,5 %», «0», «+35» from zero, or None (formats.change)."""
    return formats.change(current, previous, lang(), digits)


def day(d: date | None, language: str | None = None) -> str:
    """A date in a period: «26.05.2025» (ru, kk), «26 May 2025» (en); «…» when open."""
    return "…" if d is None else formats.short_date(d, language or lang())


def period(start: date | None, end: date | None, language: str | None = None) -> str:
    """«01.01.2025 – 31.12.2025»; `language` for texts outside the interface (exports)."""
    language = language or lang()
    if start is None and end is None:
        return texts.t("common.ui.all_time", language)
    return f"{day(start, language)} – {day(end, language)}"


def date_time(value: datetime | date | None, language: str | None = None) -> str:
    """«25 июня 2025, 14:05» / «2025 ж. 25 маусым, 14:05» / «25 June 2025, 14:05»; a date alone without the time."""
    return formats.date_time(value, language or lang())


def month_short(value: date) -> str:
    """«июн. 2025», «2025 мау.», «Jun 2025»: a column of the completeness grid."""
    return formats.short_month_year(value, lang())


def date_format() -> str:
    """The display format of st.column_config.DateColumn in this language (moment.js tokens, the browser's side)."""
    return "D MMM YYYY" if lang() == "en" else "DD.MM.YYYY"


def datetime_format() -> str:
    return "D MMM YYYY, HH:mm" if lang() == "en" else "DD.MM.YYYY HH:mm"


def out_of(count, total: int = 20) -> str:
    """«3 из 20» / «20-дан 3» / «3 of 20»."""
    return tr("common.ui.out_of", count=number(count), total=number(total))


# Cyrillic in the Kazakh alphabet's order (Russian is the same without the Kazakh letters): «Ақмола» before «Атырау».
_ALPHABET = {c: i for i, c in enumerate("аәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя")}


def sort_key(text: str) -> tuple:
    """Alphabetical order for names in any of the three languages: spaces and punctuation first, then the
    Cyrillic letters in the Kazakh order, then Latin letters and digits by code point."""
    return tuple(100 + _ALPHABET[c] if c in _ALPHABET else 1000 + ord(c) if c.isalnum() else 0
                 for c in str(text).casefold())


# ---------------------------------------------------------------- names in the reader's language
#
# Functions given to widgets as format_func take the language explicitly (`language=lang()` bound when the widget
# is drawn): Streamlit may call them outside the script run (AppTest does), where the session's language is unknown.

def region(code: str | None, language: str | None = None) -> str:
    return texts.region_name(code, language or lang())


def vocab(kind: str, label_ru: str | None, language: str | None = None) -> str:
    """An event form (kind "event_type") or audience ("audience"): «лекция» -> «дәріс» / «lecture»;
    «не указано» (a missing value in the queries) -> the catalogue's word; empty stays empty."""
    if label_ru is None or (isinstance(label_ru, float) and math.isnan(label_ru)) or label_ru == "":
        return ""
    if label_ru == NOT_GIVEN:
        return texts.t("common.not_specified", language or lang())
    return texts.vocab_label(kind, label_ru, language or lang())


def form(label_ru: str | None, language: str | None = None) -> str:
    return vocab("event_type", label_ru, language)


def audience(label_ru: str | None, language: str | None = None) -> str:
    return vocab("audience", label_ru, language)


def keyed(key: str, language: str):
    """format_func for options whose labels are catalogue keys: key.format(option) in a fixed language."""
    return lambda option: texts.t(key.format(option=option), language)


def not_given(text: str | None) -> str:
    """A district or other free text: «не указано» in the reader's language, anything else as written."""
    return tr("common.not_specified") if text == NOT_GIVEN else (text or "")
