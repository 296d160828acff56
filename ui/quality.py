"""The data-quality page's parts: the region × month completeness heatmap and the tables of findings."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from ui import fmt
from ui.widgets import PLOTLY_CONFIG

MONTHS_SHORT = ["янв", "фев", "мар", "апр", "май", "июн", "июл", "авг", "сен", "окт", "ноя", "дек"]
GAP_COLOUR = "#f2b8b5"  # a month without any record: the gaps stand out in red
SENT_SCALE = ["#dbe8f5", "#1f5fa8"]


def completeness_figure(grid: pd.DataFrame) -> go.Figure:
    """Rows: the 20 regions (alphabetical, top to bottom); columns: months; colour: records covering the month
    (log-like scale), gaps in red with a dash."""
    regions = list(dict.fromkeys(grid["region"]))
    months = sorted(grid["month"].unique())
    labels = [f"{MONTHS_SHORT[pd.Timestamp(m).month - 1]} {pd.Timestamp(m).year}" for m in months]
    records = grid.pivot(index="region", columns="month", values="records").reindex(index=regions, columns=months)
    events = grid.pivot(index="region", columns="month", values="events").reindex(index=regions, columns=months)
    top = max(int(records.to_numpy().max()), 1)
    # 0 is a gap (red); 1..top on a blue scale by the logarithm of the count
    import numpy as np

    z = np.where(records.to_numpy() > 0, np.log1p(records.to_numpy()) / np.log1p(top), -0.05)
    scale = [[0.0, GAP_COLOUR], [0.0476, GAP_COLOUR], [0.0477, SENT_SCALE[0]], [1.0, SENT_SCALE[1]]]
    text = np.where(records.to_numpy() > 0, "", "—")
    hover = [[f"{region}<br>{label}: " + (f"записей {fmt.number(r)}, мероприятий {fmt.number(e)}" if r else
                                         "нет данных")
              for label, r, e in zip(labels, rec_row, ev_row)]
             for region, rec_row, ev_row in zip(regions, records.to_numpy(), events.to_numpy())]
    fig = go.Figure(go.Heatmap(
        z=z, x=labels, y=regions, zmin=-0.05, zmax=1.0, colorscale=scale, showscale=False, xgap=2, ygap=2,
        text=text, texttemplate="%{text}", hovertext=hover, hoverinfo="text",
    ))
    fig.update_layout(height=40 + 26 * len(regions), margin=dict(l=10, r=10, t=10, b=10),
                      yaxis=dict(autorange="reversed", tickfont=dict(size=12)), xaxis=dict(side="top"),
                      plot_bgcolor="white")
    return fig


def heatmap(grid: pd.DataFrame) -> None:
    st.plotly_chart(completeness_figure(grid), config=PLOTLY_CONFIG, key="completeness_map")


def outliers_table(frame: pd.DataFrame) -> None:
    c = st.column_config
    st.dataframe(
        frame.assign(direction=frame["direction"].map({"high": "выше обычного", "low": "ниже обычного"})),
        hide_index=True, key="outliers_table",
        column_order=["period_start", "region", "event_type", "events", "participants", "per_event", "usual_median",
                      "usual_high", "direction", "batch_id", "source_file", "source_sheet", "source_row"],
        column_config={
            "period_start": c.DateColumn("Дата", format="DD.MM.YYYY"), "region": c.TextColumn("Регион"),
            "event_type": c.TextColumn("Форма"), "events": c.NumberColumn("Мероприятий", format="localized"),
            "participants": c.NumberColumn("Охват", format="localized"),
            "per_event": c.NumberColumn("Человек на мероприятие", format="%.1f"),
            "usual_median": c.NumberColumn("Обычно (медиана)", format="%.1f"),
            "usual_high": c.NumberColumn("Верхняя граница", format="%.1f"),
            "direction": c.TextColumn("Отклонение"), "batch_id": c.NumberColumn("Пакет", format="%d"),
            "source_file": c.TextColumn("Файл"), "source_sheet": c.TextColumn("Лист"),
            "source_row": c.NumberColumn("Строка", format="%d"),
        },
    )


def duplicates_table(frame: pd.DataFrame) -> None:
    c = st.column_config
    st.dataframe(
        frame, hide_index=True, key="duplicates_table",
        column_order=["period_start", "region", "venue", "event_type", "records", "participants", "batch_list",
                      "files"],
        column_config={
            "period_start": c.DateColumn("Дата", format="DD.MM.YYYY"), "region": c.TextColumn("Регион"),
            "venue": c.TextColumn("Место проведения"), "event_type": c.TextColumn("Форма"),
            "records": c.NumberColumn("Записей", format="%d"), "participants": c.NumberColumn("Охват", format="localized"),
            "batch_list": c.TextColumn("Пакеты"), "files": c.TextColumn("Файлы"),
        },
    )


def overlaps_table(frame: pd.DataFrame) -> None:
    c = st.column_config
    st.dataframe(
        frame, hide_index=True, key="overlaps_table",
        column_order=["region", "period_start", "period_end", "summary_batch", "summary_file", "summary_events",
                      "detail_records", "detail_events", "detail_batches"],
        column_config={
            "region": c.TextColumn("Регион"), "period_start": c.DateColumn("Период с", format="DD.MM.YYYY"),
            "period_end": c.DateColumn("по", format="DD.MM.YYYY"), "summary_batch": c.NumberColumn("Пакет сводки", format="%d"),
            "summary_file": c.TextColumn("Файл сводки"),
            "summary_events": c.NumberColumn("Мероприятий в сводке", format="localized"),
            "detail_records": c.NumberColumn("Строк журнала", format="localized"),
            "detail_events": c.NumberColumn("Мероприятий в журнале", format="localized"),
            "detail_batches": c.TextColumn("Пакеты журнала"),
        },
    )
