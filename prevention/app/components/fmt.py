"""Numbers, dates and names in the interface language of this session: prevention.i18n with lang().

Russian and Kazakh: «12 345», «3,5», «26.05.2025»; English: «12,345», «3.5», «26 May 2025». Region names,
event forms and audiences are stored in Russian (the canonical values filters and links use) and shown here in
the reader's language."""
from __future__ import annotations

import math
from datetime import date, datetime

from prevention import texts
from prevention.queries.activity import NOT_GIVEN
from prevention.app.session.i18n import lang, tr

THIN = "\u202f"  # narrow no-break space: before «%» in Russian and Kazakh


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def number(value, digits: int = 0, language: str | None = None) -> str:
    """12345 -> «12 345» (ru, kk) / «12,345» (en); 3.456 with digits=1 -> «3,5» / «3.5»; None -> «—»."""
    if _missing(value):
        return "—"
    if digits == 0:
        return texts.fmt_int(value, language or lang())
    return texts.fmt_float(float(value), language or lang(), digits)


def change(current, previous, digits: int = 1) -> str | None:
    """The change against a previous value as a signed percentage, «+12,5 %», or None when unknown.
    From zero to something it is the signed absolute difference, «+35»."""
    if _missing(current) or _missing(previous):
        return None
    if previous == 0:
        if current == 0:
            return None
        return "+" + number(current, 0 if float(current).is_integer() else digits)
    pct = (current - previous) * 100.0 / previous
    if round(pct, digits) == 0:
        return "0"  # st.metric shows the string "0" grey, without an arrow
    space = "" if lang() == "en" else THIN
    # st.metric colours a delta red when its text starts with an ASCII minus
    return f"{'-' if pct < 0 else '+'}{number(abs(pct), digits)}{space}%"


def day(d: date | None, language: str | None = None) -> str:
    """A date in a period: «26.05.2025» (ru, kk), «26 May 2025» (en); «…» when open."""
    if d is None:
        return "…"
    return texts.fmt_date(d, "en") if (language or lang()) == "en" else d.strftime("%d.%m.%Y")


def period(start: date | None, end: date | None, language: str | None = None) -> str:
    """«01.01.2025 – 31.12.2025»; `language` for texts outside the interface (the Russian export)."""
    language = language or lang()
    if start is None and end is None:
        return texts.t("common.ui.all_time", language)
    return f"{day(start, language)} – {day(end, language)}"


def date_time(value: datetime | date | None, language: str | None = None) -> str:
    """«25 июня 2025, 14:05» / «2025 ж. 25 маусым, 14:05» / «25 June 2025, 14:05»; a date alone without the time."""
    if value is None or (not isinstance(value, date) and _missing(value)):
        return "—"
    if hasattr(value, "to_pydatetime"):  # a pandas Timestamp
        value = value.to_pydatetime()
    if isinstance(value, datetime):
        return f"{texts.fmt_date(value, language or lang())}, {value:%H:%M}"
    return texts.fmt_date(value, language or lang())


def month_short(value: date) -> str:
    """«июн 2025», «2025 мау», «Jun 2025»: a column of the completeness grid."""
    name = tr(f"common.ui.month_short.{value.month}")
    return f"{value.year} {name}" if lang() == "kk" else f"{name} {value.year}"


def date_format() -> str:
    """The display format of st.column_config.DateColumn in this language."""
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
