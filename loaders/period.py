"""Reporting periods written in words, and the kind of a period.

Titles and cells: «за июнь 2025 г.», «за 1 полугодие 2025 года», «за 9 месяцев 2025 г.», «за II квартал 2025 года»,
«январь–март 2025», «2025 жылдың қаңтар-маусым айлары», «за 2024 год». Column-group headings may leave the year out
(«Январь», «I квартал», «1 полугодие») and take it from the title or the sheet name; «Всего за год» and «Итого» are
totals, not periods."""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from loaders.parse import month_number

KINDS = ("day", "month", "quarter", "half_year", "nine_months", "year", "other")
_YEAR = re.compile(r"(?<!\d)(20\d\d)(?!\d)")
_FOLD = str.maketrans({"ё": "е", "ә": "а", "ғ": "г", "қ": "к", "ң": "н", "ө": "о", "ұ": "у", "ү": "у", "һ": "х",
                       "і": "и", "ы": "и", "й": "и", "ъ": "", "ь": ""})
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_HALF = re.compile(r"(?<![\w])(1|2|i|ii|перв\w*|втор\w*)\s*(?:-?е|-?ое)?\s*"
                   r"(полугоди\w*|жартижилдик\w*|жарти жил\w*|half)")
_HALF_WORD = re.compile(r"\b(полугоди\w*|жартижилдик\w*|half[- ]year)\b")
_QUARTER = re.compile(r"(?<![\w])([1-4]|i{1,3}|iv)\s*(?:-?и|-?ии|-?ыи|-?ои|-?ши|-?нши)?\s*"
                      r"(квартал\w*|токсан\w*|quarter|кв\b)")
_QUARTER_AFTER = re.compile(r"\b(q|квартал|quarter)\s*([1-4])\b")
_MONTHS_SPAN = re.compile(r"(?<![\w])(\d{1,2})\s*(?:-?ти|-?и|-?ми)?\s*(месяц\w*|мес\b|аи\w*|ai\w*|months?)")
_TOTAL = re.compile(r"^(итог\w*|всего\w*|барлиги|жиини|total|за год|за весь|год в целом)\b|всего за|итого за|"
                    r"барлиги|жиини")
_YEAR_WORD = re.compile(r"\b(год|года|году|годовой|жил|жилга|жилдин|жилги|year)\b")


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    @property
    def kind(self) -> str:
        return period_kind(self.start, self.end)


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def period_kind(start: date, end: date) -> str:
    """day, month, quarter, half_year, nine_months, year or other, from the dates alone."""
    if start == end:
        return "day"
    if start.day != 1 or end != _month_end(end.year, end.month) or start.year != end.year:
        return "other"
    first, last = start.month, end.month
    if first == last:
        return "month"
    if last - first == 2 and first % 3 == 1:
        return "quarter"
    if (first, last) in ((1, 6), (7, 12)):
        return "half_year"
    if (first, last) == (1, 9):
        return "nine_months"
    if (first, last) == (1, 12):
        return "year"
    return "other"


def fold(text: str) -> str:
    text = re.sub(r"[^\w\s-]+", " ", str(text).lower().translate(_FOLD))
    return " ".join(text.replace("-", " - ").split())


def is_total_label(text: str | None) -> bool:
    """«Всего за год», «Итого», «Барлығы»: a column group or row of totals, not a period of its own."""
    return bool(text) and bool(_TOTAL.search(fold(text)))


MAX_PERIOD_TEXT = 400
_MONTH_YEAR = re.compile(r"(\d{1,2})\s*[./]\s*((?:19|20)\d\d)(?:\s*(?:г\.?|года?))?")
_YEAR_MONTH = re.compile(r"((?:19|20)\d\d)\s*[-./]\s*(\d{1,2})")


_DASHES = "-–—−"
_DATE_SPAN = re.compile(rf"(\d{{1,2}})\.(\d{{1,2}})(?:\.(\d{{4}}|\d{{2}}))?\s*(?:г\.?|года)?\s*(?:[{_DASHES}]|по|до)\s*"
                        r"(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})(?!\d)", re.IGNORECASE)
_DAY_SPAN = re.compile(rf"(?<!\d)(\d{{1,2}})\s*(?:[{_DASHES}]|по)\s*(\d{{1,2}})\s+([^\W\d_]+)\s+(\d{{4}})(?!\d)",
                       re.IGNORECASE)


def _full_year(text: str) -> int:
    year = int(text)
    return year + 2000 if year < 100 else year


def _date_span(text: str) -> Period | None:
    """«01.01.2025–30.06.2025», «с 01.01.2025 г. по 30.06.2025 г.», «за 01.01-30.06.2025», «с 1 по 26 июня 2025
    года»: the days a title states, or None."""
    found = _DATE_SPAN.search(text)
    try:
        if found:
            d1, m1, y1, d2, m2, y2 = found.groups()
            end = date(_full_year(y2), int(m2), int(d2))
            start = date(_full_year(y1) if y1 else end.year, int(m1), int(d1))
        else:
            found = _DAY_SPAN.search(text)
            month = month_number(found.group(3)) if found else None
            if not month:
                return None
            year = int(found.group(4))
            start, end = date(year, month, int(found.group(1))), date(year, month, int(found.group(2)))
    except ValueError:  # 31.06: no such day
        return None
    return Period(start, end) if start <= end else None




def parse_period(text: str | None, default_year: int | None = None) -> Period | None:
    """The period a title, a cell, a sheet name or a column-group heading states, or None.

    Without a year in the text, `default_year` is used (a heading «Январь» under the title «… за 2025 год»)."""
    if not text:
        return None
    text = text[:MAX_PERIOD_TEXT]  # a title line; a 32,767-character cell is not read whole word by word
    numeric = _MONTH_YEAR.fullmatch(text.strip())
    if numeric and 1 <= int(numeric.group(1)) <= 12:  # «01.2025», «1/2025», «2025-01»
        month, year = int(numeric.group(1)), int(numeric.group(2))
        return Period(date(year, month, 1), _month_end(year, month))
    numeric = _YEAR_MONTH.fullmatch(text.strip())
    if numeric and 1 <= int(numeric.group(2)) <= 12:
        year, month = int(numeric.group(1)), int(numeric.group(2))
        return Period(date(year, month, 1), _month_end(year, month))
    spanned = _date_span(text)
    if spanned:
        return spanned
    folded = fold(text)
    years = [int(y) for y in _YEAR.findall(folded)]
    year = years[-1] if years else default_year
    if year is None:
        return None
    found = _half(folded, year) or _quarter(folded, year) or _months_span(folded, year) or _months(folded, year)
    if found:
        return found
    if years and (_YEAR_WORD.search(folded) or re.fullmatch(r"(за\s+)?20\d\d(\s+г)?", folded.strip())
                  or re.fullmatch(r"20\d\d", folded.strip())):
        return Period(date(year, 1, 1), date(year, 12, 31))
    return None


def _half(folded: str, year: int) -> Period | None:
    match = _HALF.search(folded)
    if not match:
        return None
    second = match.group(1) in ("2", "ii") or match.group(1).startswith("втор")
    return Period(date(year, 7, 1), date(year, 12, 31)) if second else Period(date(year, 1, 1), date(year, 6, 30))


_QUARTER_SPAN = re.compile(r"(?<![\w])([1-4]|i{1,3}|iv)\s*(?:-?и|-?ии|-?ыи)?\s*[-–—]\s*"
                           r"([1-4]|i{1,3}|iv)\s*(?:-?и|-?ии|-?ыи)?\s*(квартал\w*|токсан\w*|quarters?|кв\b)")


def _quarter(folded: str, year: int) -> Period | None:
    span = _QUARTER_SPAN.search(folded)  # «за 1-3 квартал»: the first three quarters together
    if span:
        first, last = (_ROMAN.get(g) or int(g) for g in span.group(1, 2))
        if first <= last:
            return Period(date(year, 3 * first - 2, 1), _month_end(year, 3 * last))
    match = _QUARTER.search(folded)
    number = None
    if match:
        number = _ROMAN.get(match.group(1)) or int(match.group(1))
    elif (match := _QUARTER_AFTER.search(folded)):
        number = int(match.group(2))
    if number is None:
        return None
    return Period(date(year, 3 * number - 2, 1), _month_end(year, 3 * number))


def _months_span(folded: str, year: int) -> Period | None:
    match = _MONTHS_SPAN.search(folded)
    if match and 1 <= int(match.group(1)) <= 12 and not _months(folded, year):
        return Period(date(year, 1, 1), _month_end(year, int(match.group(1))))
    return None


def _months(folded: str, year: int) -> Period | None:
    months = [m for m in (month_number(w) for w in folded.split()) if m]
    if not months:
        return None
    return Period(date(year, min(months), 1), _month_end(year, max(months)))
