"""Reporting periods written in words: «за июнь 2025 г.», «за 1 полугодие 2025 года», «за 2024 год»."""
from __future__ import annotations

import calendar
import re
from datetime import date

from loaders.gazetteer import fold

MONTHS = {  # folded stems, Russian and Kazakh, nominative and genitive
    1: ("январ", "кантар"), 2: ("феврал", "акпан"), 3: ("март", "наурыз", "наурiз", "науриз"), 4: ("апрел", "сауир"),
    5: ("ма", "мамыр", "мамир"), 6: ("июн", "маусым", "маусим"), 7: ("июл", "шилде"), 8: ("август", "тамыз", "тамиз"),
    9: ("сентябр", "кыркуиек"), 10: ("октябр", "казан"), 11: ("ноябр", "караша"), 12: ("декабр", "желтоксан"),
}
_YEAR = re.compile(r"\b(20\d\d)\b")


def _month_number(word: str) -> int | None:
    for number, stems in MONTHS.items():
        for stem in stems:
            if stem == "ма":
                if word in ("май", "мая", "маи", "мае"):
                    return number
            elif word.startswith(stem):
                return number
    return None


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def parse_period(text: str | None) -> tuple[date, date] | None:
    """The period a title, a cell or a sheet name states, or None."""
    if not text:
        return None
    folded = fold(text)
    years = _YEAR.findall(folded)
    if not years:
        return None
    year = int(years[-1])
    words = folded.split()
    if re.search(r"\b(1|i|первое|перв\w*)\s+полугоди|\b(1|i)\s+жартиджил|жарты жил", folded):
        return date(year, 1, 1), date(year, 6, 30)
    if re.search(r"\b(2|ii|второе|втор\w*)\s+полугоди", folded):
        return date(year, 7, 1), date(year, 12, 31)
    quarter = re.search(r"\b([1-4]|i{1,3}|iv)\s*(?:и\s*)?(?:квартал|токсан)", folded)
    if quarter:
        q = {"i": 1, "ii": 2, "iii": 3, "iv": 4}.get(quarter.group(1)) or int(quarter.group(1))
        return date(year, 3 * q - 2, 1), _month_end(year, 3 * q)
    months_span = re.search(r"\b(\d{1,2})\s+(месяц|мес|аи)", folded)
    if months_span and 1 <= int(months_span.group(1)) <= 12:
        return date(year, 1, 1), _month_end(year, int(months_span.group(1)))
    months = [m for m in (_month_number(w) for w in words) if m]
    if months:
        return date(year, months[0], 1), _month_end(year, months[-1])
    if re.search(r"\b(год|года|жил|жилга|жилдин|year)\b", folded) or re.fullmatch(r"(за\s+)?20\d\d", folded.strip()):
        return date(year, 1, 1), date(year, 12, 31)
    return None
