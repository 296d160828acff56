"""Numbers and dates the Russian way: 12 345, 3,5, 26.05.2025."""
from __future__ import annotations

import math
from datetime import date, datetime

THIN = "\u202f"  # narrow no-break space, the Russian thousands separator
MONTHS_GENITIVE = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
                   "сентября", "октября", "ноября", "декабря"]


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def number(value, digits: int = 0) -> str:
    """12345 -> «12 345»; 3.456 with digits=1 -> «3,5»; None -> «—»."""
    if _missing(value):
        return "—"
    text = f"{value:,.{digits}f}"
    return text.replace(",", THIN).replace(".", ",")


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
    # st.metric colours a delta red when its text starts with an ASCII minus
    return f"{'-' if pct < 0 else '+'}{number(abs(pct), digits)}{THIN}%"


def date_ru(d: date | None) -> str:
    return d.strftime("%d.%m.%Y") if d else "…"


def period_ru(start: date | None, end: date | None) -> str:
    if start is None and end is None:
        return "всё время"
    return f"{date_ru(start)} – {date_ru(end)}"


def datetime_ru(value: datetime | date | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, datetime):
        return f"{value.day} {MONTHS_GENITIVE[value.month - 1]} {value.year}, {value:%H:%M}"
    return f"{value.day} {MONTHS_GENITIVE[value.month - 1]} {value.year}"
