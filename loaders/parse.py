"""Cell parsers: each returns a value, None for an empty cell, or a Problem. They never raise.

Counts: 180, 180.0, «1 250», «180 чел.», «более 180», «—» (zero). Dates: Excel dates and serials (also as text),
dd.mm.yyyy with or without «г.», dd.mm.yy, ISO, «20 июня 2025 г.», «20 маусым 2025 ж.», «2025 жылғы 20 маусым», and
ranges «20–25.06.2025», «20.06–25.06.2025», «20–25 июня 2025», which give (start, end)."""
from __future__ import annotations

import math
import re
from datetime import date, datetime, timedelta
from functools import lru_cache

from loaders.problems import Problem

DASHES = {"-", "—", "–", "−", "‐", "‒", "―"}
NONE_WORDS = {"нет", "не было", "не проводилось", "жоқ", "болған жоқ", "none", "nil"}  # «none held»: zero
_THOUSANDS = re.compile(r"(?<=\d)[\s\u00a0\u202f\u2009\u2007']+(?=\d{3}(?!\d))")  # "1 250" -> "1250"
_COUNT = re.compile(
    r"^(?:(?:более|свыше|около|примерно|не менее|астам|шамамен|over|about)\s*)?(?P<num>-?\d+(?:[.,]\d+)?)\s*\+?\s*"
    r"(?:чел(?:овек|\.)?|человек|адам|уч\.?|участник(?:ов|а)?|шт\.?|ед\.?|мер\.?|people)?\.?$",
    re.IGNORECASE,
)
EXCEL_EPOCH = date(1899, 12, 30)
MIN_DATE = date(2000, 1, 1)
MAX_COUNT = 20_000_000  # more people than live in Kazakhstan: a typo or a formula error, never a count
FIRST_SERIAL, LAST_SERIAL = 32874, 73051  # 1990-01-01 .. 2099-12-31 as Excel serials

# Characters that must never reach storage or a page: control characters, bidirectional overrides and isolates,
# zero-width characters and the byte-order mark. Tabs and line breaks become spaces.
_INVISIBLE = {c: None for c in [*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0), 0x200B, 0x200C, 0x200D, 0x200E,
                               0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A), 0xFEFF]}
for _space in (0x09, 0x0A, 0x0D, 0x0B, 0x0C, 0x85):
    _INVISIBLE[_space] = " "

MONTH_STEMS = {  # folded stems, Russian and Kazakh, nominative and genitive
    1: ("январ", "кантар"), 2: ("феврал", "акпан"), 3: ("март", "наурыз", "науриз"), 4: ("апрел", "сауир"),
    5: ("мамыр", "мамир"), 6: ("июн", "маусым", "маусим"), 7: ("июл", "шилде"), 8: ("август", "тамыз", "тамиз"),
    9: ("сентябр", "кыркуиек"), 10: ("октябр", "казан"), 11: ("ноябр", "караша"), 12: ("декабр", "желтоксан"),
}
_MAY = {"май", "мая", "маи", "мае", "маю", "маем"}
_ENGLISH_MONTHS = {name: number for number, names in enumerate(
    [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",), ("june", "jun"),
     ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
     ("december", "dec")], 1) for name in names}
_FOLD = str.maketrans({"ё": "е", "ә": "а", "ғ": "г", "қ": "к", "ң": "н", "ө": "о", "ұ": "у", "ү": "у", "һ": "х",
                       "і": "и", "ы": "и", "й": "и", "ъ": "", "ь": ""})


MONTH_STEMS = {number: tuple(dict.fromkeys(s.translate(_FOLD) for s in stems)) for number, stems in MONTH_STEMS.items()}


def month_number(word: str) -> int | None:
    """A month named in Russian or Kazakh, any case form («июня», «маусым», «мамырда»), folded or not, or in English
    («June», «Jun»)."""
    word = word.lower().translate(_FOLD).strip(".")
    if word in _MAY:
        return 5
    if word in _ENGLISH_MONTHS:
        return _ENGLISH_MONTHS[word]
    if len(word) < 3:
        return None
    for number, stems in MONTH_STEMS.items():
        for stem in stems:
            rest = word[len(stem):]
            if word.startswith(stem) and len(rest) <= 4 and "ск" not in rest:  # not «Октябрьский район»
                return number
    return None


def clean_text(value) -> str | None:
    """Cell text with spaces folded and invisible characters removed; None for empty cells."""
    if value is None:
        return None
    if isinstance(value, float):
        if not math.isfinite(value):
            return str(value)
        if value == int(value):
            value = int(value)
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    text = str(value)
    if not text.isprintable():
        text = text.translate(_INVISIBLE)
    text = " ".join(text.split())
    return text or None


def parse_count(value) -> int | None | Problem:
    """A head count: 180, 180.0, "1 250", "1\u00a0250", "180 чел.", "более 180", "—" (zero). Empty -> None."""
    if value is None:
        return None
    if isinstance(value, bool):
        return Problem("not-a-number", {"value": str(value)})
    if isinstance(value, (int, float)):
        return _count_from_number(value)
    if isinstance(value, (date, datetime, timedelta)):
        return Problem("not-a-number", {"value": clean_text(value) or str(value)})
    return _count_from_text(str(value))


def _count_from_number(value: float) -> int | Problem:
    if isinstance(value, float) and not math.isfinite(value):
        return Problem("not-a-number", {"value": str(value)})
    if value != int(value):
        return Problem("not-an-integer", {"value": _fmt(value)})
    if value < 0:
        return Problem("negative-count", {"value": _fmt(value)})
    if value > MAX_COUNT:
        return Problem("implausible-count", {"value": _fmt(value), "limit": MAX_COUNT})
    return int(value)


@lru_cache(maxsize=4096)
def _count_from_text(text: str) -> int | None | Problem:
    stripped = clean_text(text) or ""
    if not stripped:
        return None
    if stripped in DASHES or stripped.lower().rstrip(".") in NONE_WORDS:
        return 0
    match = _COUNT.match(_THOUSANDS.sub("", stripped))
    if not match:
        return Problem("not-a-number", {"value": stripped[:200]})
    number = float(match.group("num").replace(",", "."))
    return _count_from_number(number)


def _fmt(value: float) -> str:
    return str(int(value)) if value == int(value) else str(value)


_YEAR_WORD = r"\s*(?:г\.?|года?|гг\.?|ж\.?|жыл\w*)?\.?"
_DMY = re.compile(r"^(\d{1,2})[./-](\d{1,2})[./-](\d{2}|\d{4})" + _YEAR_WORD + "$", re.IGNORECASE)
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_DMY_TIME = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})\s+\d{1,2}:\d{2}(?::\d{2})?$")
_SERIAL = re.compile(r"^\d{5}(?:\.0+)?$")
_WORDS_DMY = re.compile(r"^(\d{1,2})\s+([^\W\d_]+)\.?,?\s+(\d{4})" + _YEAR_WORD + "$", re.IGNORECASE)
_WORDS_YMD = re.compile(r"^(\d{4})\s*(?:ж\.?|жыл\w*)?\s+(\d{1,2})\s+([^\W\d_]+)\.?$", re.IGNORECASE)
_DASH = "[-–—−‐‒―]"
_RANGE_DAYS = re.compile(rf"^(\d{{1,2}})\s*{_DASH}\s*(\d{{1,2}})[./](\d{{1,2}})[./](\d{{2}}|\d{{4}})"
                         + _YEAR_WORD + "$", re.IGNORECASE)
_RANGE_DM = re.compile(rf"^(\d{{1,2}})[./](\d{{1,2}})\s*{_DASH}\s*(\d{{1,2}})[./](\d{{1,2}})[./](\d{{2}}|\d{{4}})"
                       + _YEAR_WORD + "$", re.IGNORECASE)
_RANGE_WORDS = re.compile(rf"^(\d{{1,2}})\s*{_DASH}\s*(\d{{1,2}})\s+([^\W\d_]+)\.?\s+(\d{{4}})" + _YEAR_WORD + "$",
                          re.IGNORECASE)
_RANGE_FULL = re.compile(rf"^(.+?)\s*{_DASH}\s*(\d{{1,2}}[./]\d{{1,2}}[./]\d{{2,4}}" + _YEAR_WORD + ")$",
                         re.IGNORECASE)

DateValue = date | tuple[date, date]


def parse_date(value, today: date | None = None) -> DateValue | None | Problem:
    """A date (or a (start, end) range) from a cell. Empty -> None.

    Dates before 2000 or more than a year ahead are a Problem("date-out-of-range")."""
    if value is None:
        return None
    result = _date_value(value)
    if isinstance(result, (date, tuple)):
        limit = (today or date.today()) + timedelta(days=366)
        for day in (result if isinstance(result, tuple) else (result,)):
            if not (MIN_DATE <= day <= limit):
                return Problem("date-out-of-range", {"value": day.strftime("%d.%m.%Y")})
    return result


def _date_value(value) -> DateValue | None | Problem:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        return Problem("invalid-date", {"value": str(value)})
    if isinstance(value, (int, float)):
        if isinstance(value, float) and (not math.isfinite(value) or value != int(value)):
            return Problem("invalid-date", {"value": str(value)})
        if FIRST_SERIAL <= value <= LAST_SERIAL:
            return EXCEL_EPOCH + timedelta(days=int(value))
        return Problem("invalid-date", {"value": _fmt(value)})
    return _date_from_text(str(value))


def _ymd(year: int, month: int, day: int, text: str) -> date | Problem:
    if year < 100:
        year += 2000
    try:
        return date(year, month, day)
    except ValueError:
        return Problem("impossible-date", {"value": text})


@lru_cache(maxsize=4096)
def _date_from_text(text: str) -> DateValue | None | Problem:
    stripped = clean_text(text) or ""
    if not stripped:
        return None
    if _SERIAL.match(stripped):
        return _date_value(int(float(stripped)))
    single = _single_day(stripped)
    if single is not None:
        return single
    span = _range(stripped)
    if span is not None:
        return span
    return Problem("invalid-date", {"value": stripped[:200]})


def _single_day(text: str) -> date | Problem | None:
    match = _DMY.match(text) or _DMY_TIME.match(text)
    if match:
        day, month, year = (int(g) for g in match.groups()[:3])
        return _ymd(year, month, day, text)
    match = _ISO.match(text)
    if match:
        year, month, day = (int(g) for g in match.groups()[:3])
        return _ymd(year, month, day, text)
    match = _WORDS_DMY.match(text)
    if match and month_number(match.group(2)):
        return _ymd(int(match.group(3)), month_number(match.group(2)), int(match.group(1)), text)
    match = _WORDS_YMD.match(text)
    if match and month_number(match.group(3)):
        return _ymd(int(match.group(1)), month_number(match.group(3)), int(match.group(2)), text)
    return None


def _range(text: str) -> tuple[date, date] | Problem | None:
    found = None
    match = _RANGE_DAYS.match(text)
    if match:
        d1, d2, month, year = (int(g) for g in match.groups())
        found = (_ymd(year, month, d1, text), _ymd(year, month, d2, text))
    elif (match := _RANGE_DM.match(text)):
        d1, m1, d2, m2, year = (int(g) for g in match.groups())
        found = (_ymd(year, m1, d1, text), _ymd(year, m2, d2, text))
    elif (match := _RANGE_WORDS.match(text)) and month_number(match.group(3)):
        month, year = month_number(match.group(3)), int(match.group(4))
        found = (_ymd(year, month, int(match.group(1)), text), _ymd(year, month, int(match.group(2)), text))
    elif (match := _RANGE_FULL.match(text)):
        first, second = _single_day(match.group(1).strip()), _single_day(match.group(2).strip())
        if isinstance(first, date) and isinstance(second, date):
            found = (first, second)
    if found is None:
        return None
    for part in found:
        if isinstance(part, Problem):
            return part
    start, end = found
    if end < start:
        return Problem("invalid-date", {"value": text})
    return (start, end) if end != start else start
