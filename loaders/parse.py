"""Cell parsers: each returns a value, None for an empty cell, or a Problem. They never raise."""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache


@dataclass(frozen=True)
class Problem:
    """Why a cell could not be read: a stable code and the details for the message."""
    code: str
    detail: str = ""


DASHES = {"-", "—", "–", "−", "‐", "‒", "―"}
_THOUSANDS = re.compile(r"(?<=\d)[\s\u00a0\u202f\u2009\u2007']+(?=\d{3}(?!\d))")  # "1 250" -> "1250"
_COUNT = re.compile(
    r"^(?:(?:более|свыше|около|примерно|не менее|астам|шамамен)\s*)?(?P<num>-?\d+(?:[.,]\d+)?)\s*\+?\s*"
    r"(?:чел(?:овек|\.)?|человек|адам|уч\.?|участник(?:ов|а)?|шт\.?|ед\.?)?\.?$",
    re.IGNORECASE,
)
EXCEL_EPOCH = date(1899, 12, 30)
MIN_DATE = date(2000, 1, 1)


def parse_count(value) -> int | None | Problem:
    """A head count: 180, 180.0, "1 250", "1\u00a0250", "180 чел.", "более 180", "—" (zero). Empty -> None."""
    if value is None:
        return None
    if isinstance(value, bool):
        return Problem("not-a-number", str(value))
    if isinstance(value, (int, float)):
        return _count_from_number(value)
    if isinstance(value, (date, datetime)):
        return Problem("not-a-number", str(value))
    return _count_from_text(str(value))


def _count_from_number(value: float) -> int | Problem:
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return Problem("not-a-number", str(value))
    if value != int(value):
        return Problem("not-an-integer", _fmt(value))
    if value < 0:
        return Problem("negative-count", _fmt(value))
    return int(value)


@lru_cache(maxsize=4096)
def _count_from_text(text: str) -> int | None | Problem:
    stripped = text.strip()
    if not stripped:
        return None
    if stripped in DASHES:
        return 0
    match = _COUNT.match(_THOUSANDS.sub("", stripped))
    if not match:
        return Problem("not-a-number", stripped)
    number = float(match.group("num").replace(",", "."))
    return _count_from_number(number)


def _fmt(value: float) -> str:
    return str(int(value)) if value == int(value) else str(value)


_DMY = re.compile(r"^(\d{1,2})[./-](\d{1,2})[./-](\d{2}|\d{4})\s*(?:г\.?|года?|ж\.?|жыл)?\.?$", re.IGNORECASE)
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_DMY_TIME = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})\s+\d{1,2}:\d{2}(?::\d{2})?$")


def parse_date(value, today: date | None = None) -> date | None | Problem:
    """A real Excel date, an Excel serial number, dd.mm.yyyy (with «г.»), dd.mm.yy or ISO. Empty -> None.

    Dates before 2000 or more than a year ahead are a Problem("date-out-of-range")."""
    if value is None:
        return None
    result = _date_value(value)
    if isinstance(result, date):
        limit = (today or date.today()) + timedelta(days=366)
        if not (MIN_DATE <= result <= limit):
            return Problem("date-out-of-range", result.strftime("%d.%m.%Y"))
    return result


def _date_value(value) -> date | None | Problem:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        return Problem("invalid-date", str(value))
    if isinstance(value, (int, float)):
        if isinstance(value, float) and (math.isnan(value) or math.isinf(value) or value != int(value)):
            return Problem("invalid-date", str(value))
        if 32874 <= value <= 73051:  # 1990-01-01 .. 2099-12-31 as Excel serials
            return EXCEL_EPOCH + timedelta(days=int(value))
        return Problem("invalid-date", _fmt(value))
    return _date_from_text(str(value))


@lru_cache(maxsize=4096)
def _date_from_text(text: str) -> date | None | Problem:
    stripped = text.strip()
    if not stripped:
        return None
    match = _DMY.match(stripped) or _DMY_TIME.match(stripped)
    if match:
        day, month, year = (int(g) for g in match.groups()[:3])
        if year < 100:
            year += 2000
    else:
        match = _ISO.match(stripped)
        if not match:
            return Problem("invalid-date", stripped)
        year, month, day = (int(g) for g in match.groups()[:3])
    try:
        return date(year, month, day)
    except ValueError:
        return Problem("impossible-date", stripped)


def clean_text(value) -> str | None:
    """Cell text with spaces folded; None for empty cells."""
    if value is None:
        return None
    if isinstance(value, float) and value == int(value):
        value = int(value)
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    text = " ".join(str(value).split())
    return text or None
