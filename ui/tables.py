"""How the activity records are shown: Russian headers and number/date formats for st.dataframe."""
from __future__ import annotations

import pandas as pd
import streamlit as st

_COUNT = dict(format="localized", min_value=0)


def activity_columns() -> dict:
    c = st.column_config
    return {
        "region_code": c.TextColumn("Код", width="small"),
        "region": c.TextColumn("Регион"),
        "district": c.TextColumn("Район / город"),
        "period_start": c.DateColumn("Дата (начало)", format="DD.MM.YYYY"),
        "period_end": c.DateColumn("Конец периода", format="DD.MM.YYYY"),
        "events": c.NumberColumn("Мероприятий", **_COUNT),
        "participants": c.NumberColumn("Охват", **_COUNT),
        "students": c.NumberColumn("Студенты", **_COUNT),
        "schoolchildren": c.NumberColumn("Школьники", **_COUNT),
        "parents": c.NumberColumn("Родители", **_COUNT),
        "teachers": c.NumberColumn("Педагоги", **_COUNT),
        "event_type": c.TextColumn("Форма"),
        "audience": c.TextColumn("Аудитория"),
        "venue": c.TextColumn("Место"),
        "organizer": c.TextColumn("Организатор"),
        "batch_id": c.NumberColumn("Пакет", format="%d"),
        "source_file": c.TextColumn("Файл"),
        "source_sheet": c.TextColumn("Лист"),
        "source_row": c.NumberColumn("Строка", format="%d"),
    }


def activity_table(frame: pd.DataFrame, columns: list[str] | None = None, max_height: int = 560,
                   key: str | None = None) -> None:
    """The records with Russian headers; missing text shows as blank, not «None»."""
    shown = (frame[columns] if columns else frame).copy()
    for column in shown.columns:
        if shown[column].dtype == object or pd.api.types.is_string_dtype(shown[column]):
            shown[column] = shown[column].fillna("")
    height = "auto" if len(shown) <= 15 else max_height
    st.dataframe(shown, column_config=activity_columns(), hide_index=True, height=height, key=key)

