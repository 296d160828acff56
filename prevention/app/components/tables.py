"""How tables are shown: headers, number/date formats and names in the interface language for st.dataframe. The
column ids stay the query's (region_code, event_type…); only their labels are translated.

Numbers are formatted by Babel in the interface language («12 345», «3,5» / «12,345», «3.5») through a pandas
Styler: the table keeps the numbers, so sorting stays numeric, and the browser's own locale plays no part.
Identifiers (batch numbers, rows) keep a plain «%d» in their column configuration, which takes precedence."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from prevention.app.components import fmt
from prevention.app.session.i18n import lang, tr
from prevention.texts import formats

_COUNT = {"min_value": 0}
FLOAT_DIGITS = 1
# The records' columns on the Table page: where and when first, then whether the record counts, then the figures.
RECORD_ORDER = ["region_code", "region", "district", "period_start", "period_end", "period_kind", "counting",
                "events", "participants", "students", "schoolchildren", "parents", "teachers", "event_type",
                "audience", "venue", "organizer", "batch_id", "source_file", "source_sheet", "source_row"]


def activity_columns() -> dict:
    c = st.column_config
    return {
        "region_code": c.TextColumn(tr("table.col.region_code"), width="small"),
        "region": c.TextColumn(tr("table.col.region")),
        "district": c.TextColumn(tr("table.col.district")),
        "period_start": c.DateColumn(tr("table.col.period_start"), format=fmt.date_format()),
        "period_end": c.DateColumn(tr("table.col.period_end"), format=fmt.date_format()),
        "period_kind": c.TextColumn(tr("table.col.period_kind")),
        "counting": c.TextColumn(tr("table.col.counting")),
        "reason": c.TextColumn(tr("table.col.reason")),
        "events": c.NumberColumn(tr("table.col.events"), **_COUNT),
        "participants": c.NumberColumn(tr("table.col.participants"), **_COUNT),
        "students": c.NumberColumn(tr("table.col.students"), **_COUNT),
        "schoolchildren": c.NumberColumn(tr("table.col.schoolchildren"), **_COUNT),
        "parents": c.NumberColumn(tr("table.col.parents"), **_COUNT),
        "teachers": c.NumberColumn(tr("table.col.teachers"), **_COUNT),
        "event_type": c.TextColumn(tr("table.col.event_type")),
        "audience": c.TextColumn(tr("table.col.audience")),
        "venue": c.TextColumn(tr("table.col.venue")),
        "organizer": c.TextColumn(tr("table.col.organizer")),
        "batch_id": c.NumberColumn(tr("table.col.batch_id"), format="%d"),
        "source_file": c.TextColumn(tr("table.col.source_file")),
        "source_sheet": c.TextColumn(tr("table.col.source_sheet")),
        "source_row": c.NumberColumn(tr("table.col.source_row"), format="%d"),
    }


def translated(frame: pd.DataFrame) -> pd.DataFrame:
    """Region names, event forms and audiences in the interface language (a copy; other columns as they are)."""
    shown = frame.copy()
    if "region" in shown.columns and "region_code" in shown.columns:
        shown["region"] = [fmt.region(code) for code in shown["region_code"]]
    for column, kind in (("event_type", "event_type"), ("audience", "audience")):
        if column in shown.columns:
            shown[column] = [fmt.vocab(kind, v) if isinstance(v, str) else v for v in shown[column]]
    if "district" in shown.columns:
        shown["district"] = [fmt.not_given(v) if isinstance(v, str) else v for v in shown["district"]]
    for column, key in (("period_kind", "table.period_kind.{}"), ("counting", "table.counting.{}"),
                        ("reason", "table.left_out.{}")):
        if column in shown.columns:
            shown[column] = [tr(key.format(v)) if isinstance(v, str) else v for v in shown[column]]
    return shown


def styled(frame: pd.DataFrame, digits: dict[str, int] | None = None, language: str | None = None):
    """The frame with its number columns formatted by Babel in the interface language (missing: blank); `digits`
    per float column (default FLOAT_DIGITS). A frame without number columns is returned as it is."""
    language, digits = language or lang(), digits or {}
    formatters = {}
    for column in frame.columns:
        series = frame[column]
        if pd.api.types.is_bool_dtype(series) or not pd.api.types.is_numeric_dtype(series):
            continue
        places = 0 if pd.api.types.is_integer_dtype(series) else digits.get(column, FLOAT_DIGITS)
        formatters[column] = lambda v, p=places: formats.number(v, language, p)
    if not formatters or not frame.columns.is_unique or not frame.index.is_unique:
        return frame
    return frame.style.format(formatters, na_rep="")


def activity_table(frame: pd.DataFrame, columns: list[str] | None = None, max_height: int = 560,
                   key: str | None = None) -> None:
    """The records with translated headers and names; missing text shows as blank, not «None»."""
    shown = translated(frame)
    shown = shown[columns] if columns else shown
    if len(shown):  # counts no report in view gave (often parents, teachers) would be a column of «None»
        shown = shown[[c for c in shown.columns if not (pd.api.types.is_numeric_dtype(shown[c])
                                                        and shown[c].isna().all())]]
    for column in shown.columns:
        if shown[column].dtype == object or pd.api.types.is_string_dtype(shown[column]):
            shown[column] = shown[column].fillna("")
    height = "auto" if len(shown) <= 15 else max_height
    st.dataframe(styled(shown), column_config=activity_columns(), hide_index=True, height=height, key=key)
