"""The gate before loading: is this sheet a prevention report at all?

A sheet is read as a report only with enough evidence: a source of the region (a column, the sheet's name or a
title line), a source of the date or period (a column, column groups, the title or the sheet name), and at least one
count of events or people (an event log's dated rows count as events). Official statistical forms (indicator rows
× numbered columns: «Наименование показателей», «Шифр строки», «Форма № 1-М») are recognised and named, and so are
tables of offences and seizures (a crime register, results of the fight against drug crime): dated rows with a
region are not prevention events when the headings speak of offences and never of prevention."""
from __future__ import annotations

import re

from loaders.fields import COUNTS
from loaders.gazetteer import fold, folded
from loaders.headers import is_numbering_row
from loaders.recognise import Layout

_FORM = folded(r"форм\w*\s+(?:отчет\w*\s+|статистическ\w*\s+)?(?:n|№|no)\s*([0-9][\w-]*|[а-яa-z]{1,3}\s*-?\s*\d+\w*)")
_FORM_RAW = re.compile(r"[Фф]орм\w*\s+(?:отч[её]т\w*\s+|статистическ\w*\s+)?(?:№|N|No)\s*([0-9А-ЯA-Zа-я][\w-]*)")
_INDICATOR_WORDS = folded(r"шифр строки|код строки|n строки|номер строки|наименование показател|"
                              r"из графы|графа \d|раздел \d|код показател|жол коды|корсеткиштер")


_ENFORCEMENT = folded(r"уголовн|правонарушен|преступлен|статья ук|\bст ук|\bук рк|изъят|подозреваем|раскрыт|"
                     r"задержан|осужден|привлечен\w* к ответственност|наркопреступ|\bердр\b|фабул|квалификац|"
                     r"кылмис|кукик бузушилик|тәркілен|таркилен|куэкти")
_PREVENTION = folded(r"профилакт|мероприят|лекци|бесед|охват|акци|тренинг|семинар|встреч|участник|ис шара|камту|"
                     r"prevention|event|reach")


def enforcement_words(texts: list[str]) -> list[str]:
    """The offence words of a sheet's titles and headings («Статья УК РК», «Изъято, г») when it has two or more of
    them and no word of prevention work; else []."""
    folded_texts = [fold(t) for t in texts if t]
    if any(_PREVENTION.search(t) for t in folded_texts):
        return []
    hits = [t for t in texts if t and _ENFORCEMENT.search(fold(t))]
    words = {m for t in folded_texts for m in _ENFORCEMENT.findall(t)}
    return hits if len(words) >= 2 else []


def missing_sources(layout: Layout, region_from_context: bool, period_from_context: bool) -> list[str]:
    """What the sheet lacks to be a prevention report: some of "region", "date", "count"."""
    fields = layout.fields
    missing = []
    if not ({"region", "district"} & fields or region_from_context):
        missing.append("region")
    periods = [g for g in layout.groups if g.period is not None]
    if not ({"date", "period"} & fields or periods or period_from_context):
        missing.append("date")
    if not (set(COUNTS) & fields or "date" in fields):
        missing.append("count")
    return missing


def statistical_form(rows: list[list]) -> str | None:
    """The form's number («1-М») when the sheet looks like an official statistical form, "" when it does without a
    number, None when it does not."""
    head = rows[:15]
    texts = [str(v) for row in head for v in row if isinstance(v, str) and v.strip()]
    folded = " | ".join(fold(t) for t in texts)
    evidence = 0
    form = None
    for text in texts:
        match = _FORM_RAW.search(text)
        if match:
            form = match.group(1).strip()
            break
    if form is not None:
        evidence += 1
    evidence += min(len(set(_INDICATOR_WORDS.findall(folded))), 2)
    if any(is_numbering_row(row) and any(isinstance(v, str) and v.strip() in ("А", "Б", "A", "B") for v in row)
           for row in head):
        evidence += 1
    if evidence < 2:
        return None
    return form or ""
