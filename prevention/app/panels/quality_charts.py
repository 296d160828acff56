"""The data-quality page's parts: the region × month completeness heatmap and the tables of findings, with region
names, event forms, months and numbers in the interface language."""
from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from prevention.app.components import fmt, tables
from prevention.app.components.widgets import plotly_config
from prevention.app.session.i18n import lang, tr
from prevention.texts import formats
from prevention.texts import periods as period_texts

GAP_COLOUR = "#f2b8b5"  # a month without any record: the gaps stand out in red
SUMMARY_COLOUR = "#7fbf7b"  # a month covered only by a counted summary
SENT_SCALE = ["#dbe8f5", "#1f5fa8"]
SUMMARY_MARK = "Σ"  # a month inside a counted summary's period (language-neutral)


def _pivot(grid: pd.DataFrame, column: str, regions: list[str], months: list) -> np.ndarray:
    return grid.pivot(index="region", columns="month", values=column).reindex(index=regions, columns=months).to_numpy()


def _hover(label: str, records: int, events: int, summary: tuple) -> str:
    """A cell's hover: the event-log records of the month and the counted summary covering it, or «нет данных»."""
    parts = [tr("quality.hover", records=fmt.number(records), events=fmt.number(events))] if records else []
    kind, start, end, summary_events = summary
    if isinstance(kind, str):
        parts.append(tr("quality.hover_summary", kind=tr(f"periods.kind.{kind}"),
                        period=period_texts.period_label(pd.Timestamp(start), pd.Timestamp(end), kind, lang()),
                        events=fmt.number(summary_events)))
    return f"{label}: " + ("; ".join(parts) if parts else tr("quality.hover_gap"))


def completeness_figure(grid: pd.DataFrame) -> go.Figure:
    """Rows: the 20 regions (alphabetical in the interface language, top to bottom); columns: months; colour:
    event-log records of the month (log-like blue scale), green where only a counted summary covers the month,
    «Σ» on every month a counted summary covers, gaps in red with a dash."""
    grid = grid.assign(region=[fmt.region(code) for code in grid["region_code"]])
    regions = sorted(dict.fromkeys(grid["region"]), key=fmt.sort_key)
    months = sorted(grid["month"].unique())
    labels = [fmt.month_short(pd.Timestamp(m).date()) for m in months]
    records, events = _pivot(grid, "records", regions, months), _pivot(grid, "events", regions, months)
    summaries = _pivot(grid, "summaries", regions, months)
    top = max(int(records.max()), 1)
    # gap -0.1 (red), summary only -0.05 (green), records 0..1 on a blue scale by the logarithm of the count
    z = np.where(records > 0, np.log1p(records) / np.log1p(top), np.where(summaries > 0, -0.05, -0.1))
    scale = [[0.0, GAP_COLOUR], [0.03, GAP_COLOUR], [0.031, SUMMARY_COLOUR], [0.08, SUMMARY_COLOUR],
             [0.081, SENT_SCALE[0]], [1.0, SENT_SCALE[1]]]
    text = np.where(summaries > 0, SUMMARY_MARK, np.where(records > 0, "", "—"))
    covering = [_pivot(grid, c, regions, months) for c in ("summary_kind", "summary_start", "summary_end",
                                                          "summary_events")]
    hover = [[f"{region}<br>" + _hover(label, records[i][j], events[i][j], tuple(c[i][j] for c in covering))
              for j, label in enumerate(labels)] for i, region in enumerate(regions)]
    fig = go.Figure(go.Heatmap(
        z=z, x=labels, y=regions, zmin=-0.1, zmax=1.0, colorscale=scale, showscale=False, xgap=2, ygap=2,
        text=text, texttemplate="%{text}", hovertext=hover, hoverinfo="text",
    ))
    fig.update_layout(height=40 + 26 * len(regions), margin={"l": 10, "r": 10, "t": 10, "b": 10},
                      yaxis={"autorange": "reversed", "tickfont": {"size": 12}}, xaxis={"side": "top"},
                      plot_bgcolor="white", separators=formats.separators(lang()))
    return fig


def heatmap(grid: pd.DataFrame) -> None:
    st.plotly_chart(completeness_figure(grid), config=plotly_config(), key="completeness_map")


def _named(frame: pd.DataFrame) -> pd.DataFrame:
    """Region names and event forms in the interface language."""
    return tables.translated(frame)


def outliers_table(frame: pd.DataFrame) -> None:
    c = st.column_config
    directions = {"high": tr("quality.outliers.high"), "low": tr("quality.outliers.low")}
    st.dataframe(
        tables.styled(_named(frame).assign(direction=frame["direction"].map(directions))),
        hide_index=True, key="outliers_table",
        column_order=["period_start", "region", "event_type", "events", "participants", "per_event", "usual_median",
                      "usual_high", "direction", "batch_id", "source_file", "source_sheet", "source_row"],
        column_config={
            "period_start": c.DateColumn(tr("quality.col.date"), format=fmt.date_format()),
            "region": c.TextColumn(tr("quality.col.region")),
            "event_type": c.TextColumn(tr("quality.col.form")),
            "events": c.NumberColumn(tr("quality.col.events")),
            "participants": c.NumberColumn(tr("quality.col.participants")),
            "per_event": c.NumberColumn(tr("quality.col.per_event")),
            "usual_median": c.NumberColumn(tr("quality.col.usual_median")),
            "usual_high": c.NumberColumn(tr("quality.col.usual_high")),
            "direction": c.TextColumn(tr("quality.col.direction")),
            "batch_id": c.NumberColumn(tr("quality.col.batch"), format="%d"),
            "source_file": c.TextColumn(tr("quality.col.file")), "source_sheet": c.TextColumn(tr("quality.col.sheet")),
            "source_row": c.NumberColumn(tr("quality.col.row"), format="%d"),
        },
    )


def duplicates_table(frame: pd.DataFrame) -> None:
    c = st.column_config
    st.dataframe(
        tables.styled(_named(frame)), hide_index=True, key="duplicates_table",
        column_order=["period_start", "region", "venue", "event_type", "records", "participants", "batch_list",
                      "files"],
        column_config={
            "period_start": c.DateColumn(tr("quality.col.date"), format=fmt.date_format()),
            "region": c.TextColumn(tr("quality.col.region")),
            "venue": c.TextColumn(tr("quality.col.venue")), "event_type": c.TextColumn(tr("quality.col.form")),
            "records": c.NumberColumn(tr("quality.col.records")),
            "participants": c.NumberColumn(tr("quality.col.participants")),
            "batch_list": c.TextColumn(tr("quality.col.batches")), "files": c.TextColumn(tr("quality.col.files")),
        },
    )


SOURCE_COLUMNS = ["region", "overlap_start", "overlap_end", "first_batch", "first_file", "first_records",
                  "second_batch", "second_file", "second_records"]


def source_overlaps_table(frame: pd.DataFrame) -> None:
    """Files of different sources over the same region and period: listed, not merged."""
    c = st.column_config
    config = {name: c.TextColumn(tr(f"quality.sources.col.{name}")) for name in ("first_file", "second_file")}
    config.update({name: c.NumberColumn(tr(f"quality.sources.col.{name}"), format="%d")
                   for name in ("first_batch", "second_batch")})
    config.update({name: c.NumberColumn(tr(f"quality.sources.col.{name}"))
                   for name in ("first_records", "second_records")})
    config["region"] = c.TextColumn(tr("quality.sources.col.region"))
    config["overlap_start"] = c.DateColumn(tr("quality.sources.col.start"), format=fmt.date_format())
    config["overlap_end"] = c.DateColumn(tr("quality.sources.col.end"), format=fmt.date_format())
    st.dataframe(tables.styled(_named(frame)), hide_index=True, key="source_overlaps_table",
                 column_order=SOURCE_COLUMNS,
                 column_config=config)
