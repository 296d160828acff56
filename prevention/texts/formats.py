"""Numbers, percentages, dates, months and plurals in Russian, Kazakh and English, by Babel (CLDR data).

Russian and Kazakh group thousands with a no-break space and use a decimal comma («12 345», «3,5»); English uses
«12,345» and «3.5». Dates follow each language's own order («25 июня 2025», «2025 ж. 25 маусым», «25 June 2025»).
"""
from __future__ import annotations

import math
from datetime import date, datetime
from functools import lru_cache

from babel import Locale
from babel import dates as babel_dates
from babel import numbers as babel_numbers

LANGUAGES = ("ru", "kk", "en")
DEFAULT = "ru"
MISSING = "—"
_LONG_DATE = {"ru": "d MMMM y", "kk": "y 'ж.' d MMMM", "en": "d MMMM y"}
_MONTH_YEAR = {"ru": "LLLL y", "kk": "y 'ж.' LLLL", "en": "LLLL y"}
_SHORT_MONTH_YEAR = {"ru": "LLL y", "kk": "y LLL", "en": "LLL y"}


def lang_of(lang: str | None) -> str:
    return lang if lang in LANGUAGES else DEFAULT


def missing(value) -> bool:
    """None, NaN, NaT or pandas' NA (whose comparisons are themselves NA)."""
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    try:
        return bool(value != value)
    except (TypeError, ValueError):
        return True  # pd.NA: `NA != NA` is NA, and its truth value is ambiguous


def number(value, lang: str | None = DEFAULT, digits: int = 0) -> str:
    """12345 -> «12 345» (ru, kk) / «12,345» (en); 3.456 with digits=1 -> «3,5» / «3.5»; missing -> «—»."""
    if missing(value):
        return MISSING
    if digits == 0:
        return babel_numbers.format_decimal(int(round(float(value))), locale=lang_of(lang))
    pattern = "#,##0." + "0" * digits
    return babel_numbers.format_decimal(float(value), format=pattern, locale=lang_of(lang))


def separators(lang: str | None = DEFAULT) -> str:
    """The decimal mark and the thousands separator of a language, as Plotly's `separators` wants them."""
    lang = lang_of(lang)
    return babel_numbers.get_decimal_symbol(lang) + babel_numbers.get_group_symbol(lang)


def percent(value, lang: str | None = DEFAULT, digits: int = 1) -> str:
    """A share (0.125) as «12,5 %» / «12.5%»."""
    if missing(value):
        return MISSING
    lang = lang_of(lang)
    decimals = "." + "0" * digits if digits else ""
    pattern = Locale(lang).percent_formats[None].pattern.replace("#,##0", "#,##0" + decimals)
    return babel_numbers.format_percent(float(value), format=pattern, locale=lang)


def change(current, previous, lang: str | None = DEFAULT, digits: int = 1) -> str | None:
    """The change against a previous value as a signed percentage, «+12,5 %» / «+12.5%»; «0» when it rounds to
    nothing; from zero to something the signed difference «+35»; None when unknown. The sign is an ASCII «+» or
    «-» (Streamlit colours a metric's delta by it)."""
    if missing(current) or missing(previous) or (previous == 0 and current == 0):
        return None
    if previous == 0:
        return "+" + number(current, lang, 0 if float(current).is_integer() else digits)
    share = (current - previous) / previous
    if round(share * 100, digits) == 0:
        return "0"
    return ("-" if share < 0 else "+") + percent(abs(share), lang, digits)


def _as_date(value) -> date:
    if hasattr(value, "to_pydatetime"):
        value = value.to_pydatetime()
    return value


def long_date(value, lang: str | None = DEFAULT) -> str:
    """«25 июня 2025», «2025 ж. 25 маусым», «25 June 2025»."""
    if missing(value):
        return MISSING
    lang = lang_of(lang)
    return babel_dates.format_date(_as_date(value), _LONG_DATE[lang], locale=lang)


def short_date(value, lang: str | None = DEFAULT) -> str:
    """«25.06.2025» (ru, kk), «25 Jun 2025» (en)."""
    if missing(value):
        return MISSING
    lang = lang_of(lang)
    return babel_dates.format_date(_as_date(value), "d MMM y" if lang == "en" else "dd.MM.y", locale=lang)


def date_time(value, lang: str | None = DEFAULT) -> str:
    """«25 июня 2025, 14:05»; a date without a time as long_date."""
    if missing(value):
        return MISSING
    value = _as_date(value)
    if isinstance(value, datetime):
        return f"{long_date(value, lang)}, {value:%H:%M}"
    return long_date(value, lang)


def month_year(value, lang: str | None = DEFAULT) -> str:
    """«июнь 2025», «2025 ж. маусым», «June 2025»."""
    lang = lang_of(lang)
    text = babel_dates.format_date(_as_date(value), _MONTH_YEAR[lang], locale=lang)
    return text.lower() if lang != "en" else text


def short_month_year(value, lang: str | None = DEFAULT) -> str:
    """«июн. 2025», «2025 мау.», «Jun 2025»: a narrow axis or grid column."""
    lang = lang_of(lang)
    text = babel_dates.format_date(_as_date(value), _SHORT_MONTH_YEAR[lang], locale=lang)
    return text.lower() if lang != "en" else text


@lru_cache(maxsize=8)
def month_names(lang: str | None = DEFAULT) -> list[str]:
    """The twelve stand-alone month names, lower case in Russian and Kazakh."""
    lang = lang_of(lang)
    names = babel_dates.get_month_names("wide", context="stand-alone", locale=lang)
    return [names[m].lower() if lang != "en" else names[m] for m in range(1, 13)]


def plural_form(count, lang: str | None = DEFAULT) -> str:
    """CLDR plural category of a count: ru one/few/many/other, kk other, en one/other."""
    try:
        return Locale(lang_of(lang)).plural_form(abs(int(count)))
    except (TypeError, ValueError, OverflowError):
        return "other"
