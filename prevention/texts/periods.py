"""Periods in words, in Russian, Kazakh and English: a record's period by its kind («II кв. 2025», «2025 ж. II
тоқсан», «Q2 2025»), a trend unit, and the one-line note of what a window leaves out. No Streamlit."""
from __future__ import annotations

from datetime import date, datetime

import pandas as pd

from prevention.texts import formats
from prevention.texts.lookup import DEFAULT, plural, t

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
KINDS = ("day", "month", "quarter", "half_year", "nine_months", "year", "other")
NOTE_DETAILS = 3  # periods named in a note; more are «…»


def _day(value) -> date:
    if isinstance(value, (pd.Timestamp, datetime)):
        return value.date()
    return value


def period_label(start, end, kind: str, lang: str | None = DEFAULT) -> str:
    """A period by its kind (activity_record.period_kind): «05.06.2025», «июнь 2025», «II кв. 2025»,
    «I полугодие 2025», «9 месяцев 2025», «2025 г.», else the two dates."""
    start, end = _day(start), _day(end)
    if kind == "day":
        return formats.short_date(start, lang)
    if kind == "month":
        return formats.month_year(start, lang)
    if kind == "quarter":
        n = (start.month - 1) // 3 + 1
        return t("periods.label.quarter", lang, q=ROMAN[n], n=n, year=start.year)
    if kind == "half_year":
        n = 1 if start.month <= 6 else 2
        return t("periods.label.half_year", lang, h=ROMAN[n], n=n, year=start.year)
    if kind == "nine_months":
        return t("periods.label.nine_months", lang, year=start.year)
    if kind == "year":
        return t("periods.label.year", lang, year=start.year)
    return f"{formats.short_date(start, lang)} – {formats.short_date(end, lang)}"


def unit_period_label(start, unit: str, lang: str | None = DEFAULT) -> str:
    """A bar of the trend: the unit's period that starts on `start`."""
    start = _day(start)
    kind = {"month": "month", "quarter": "quarter", "half_year": "half_year", "year": "year"}[unit]
    return period_label(start, start, kind, lang)


def unit_name(unit: str, lang: str | None = DEFAULT) -> str:
    """«по месяцам», «по кварталам», «по полугодиям», «по годам»."""
    return t(f"periods.unit.{unit}", lang)


def summaries_phrase(count: int, lang: str | None = DEFAULT) -> str:
    return plural("periods.summaries", count, lang)


def records_phrase(count: int, lang: str | None = DEFAULT) -> str:
    return plural("periods.records", count, lang)


def _details(rows: pd.DataFrame, lang: str | None) -> str:
    parts = []
    for row in rows.head(NOTE_DETAILS).itertuples(index=False):
        noun = t(f"periods.kind.{row.period_kind}" if row.is_summary else "periods.kind.detail", lang)
        label = period_label(row.period_start, row.period_end, row.period_kind, lang)
        parts.append(f"{noun} {label}" + (f" ({formats.number(row.items, lang)})" if row.items > 1 else ""))
    if len(rows) > NOTE_DETAILS:
        parts.append("…")
    return "; ".join(parts)


def window_note(notes: pd.DataFrame, window: tuple, lang: str | None = DEFAULT) -> str | None:
    """The line «Не учтены 20 сводов, период которых выходит за 01.06.2025 – 30.06.2025: годовой свод 2025 г.
    (20).» from queries.periods.window_notes (reason "partial"); None when nothing is left out."""
    partial = notes[notes["reason"] == "partial"] if len(notes) else notes
    if partial.empty:
        return None
    summaries = int(partial.loc[partial["is_summary"].astype(bool), "items"].sum())
    detail = int(partial.loc[~partial["is_summary"].astype(bool), "items"].sum())
    what = [p for p in (summaries_phrase(summaries, lang) if summaries else None,
                        records_phrase(detail, lang) if detail else None) if p]
    grouped = (partial.groupby(["is_summary", "period_kind", "period_start", "period_end"], sort=False)["items"]
               .sum().reset_index().sort_values(["is_summary", "items"], ascending=[False, False]))
    first, last = window
    span = f"{formats.short_date(first, lang) if first else '…'} – {formats.short_date(last, lang) if last else '…'}"
    return t("periods.note.partial", lang, what=t("periods.and", lang).join(what), window=span,
             details=_details(grouped, lang))


def breakdown_note(notes: pd.DataFrame, lang: str | None = DEFAULT) -> str | None:
    """The line saying that a form, audience or organiser filter leaves the summaries out; None when it does not."""
    left = notes[notes["reason"] == "no_breakdown"] if len(notes) else notes
    if left.empty:
        return None
    return t("periods.note.no_breakdown", lang, what=summaries_phrase(int(left["items"].sum()), lang))
