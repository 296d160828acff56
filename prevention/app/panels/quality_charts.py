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
from prevention.output import figures

GAP_COLOUR = "#f2b8b5"  # a month without any record: the gaps stand out in red
SENT_SCALE = ["#dbe8f5", "#1f5fa8"]


def completeness_figure(grid: pd.DataFrame) -> go.Figure:
    """Rows: the 20 regions (alphabetical in the interface language, top to bottom); columns: months; colour:
    records covering the month (log-like scale), gaps in red with a dash."""
    grid = grid.assign(region=[fmt.region(code) for code in grid["region_code"]])
    regions = sorted(dict.fromkeys(grid["region"]), key=fmt.sort_key)
    months = sorted(grid["month"].unique())
    labels = [fmt.month_short(pd.Timestamp(m).date()) for m in months]
    records = grid.pivot(index="region", columns="month", values="records").reindex(index=regions, columns=months)
    events = grid.pivot(index="region", columns="month", values="events").reindex(index=regions, columns=months)
    top = max(int(records.to_numpy().max()), 1)
    # 0 is a gap (red); 1..top on a blue scale by the logarithm of the count
    z = np.where(records.to_numpy() > 0, np.log1p(records.to_numpy()) / np.log1p(top), -0.05)
    scale = [[0.0, GAP_COLOUR], [0.0476, GAP_COLOUR], [0.0477, SENT_SCALE[0]], [1.0, SENT_SCALE[1]]]
    text = np.where(records.to_numpy() > 0, "", "—")
    hover = [[f"{region}<br>{label}: " + (tr("quality.hover", records=fmt.number(r), events=fmt.number(e)) if r else
                                         tr("quality.hover_gap"))
              for label, r, e in zip(labels, rec_row, ev_row)]
             for region, rec_row, ev_row in zip(regions, records.to_numpy(), events.to_numpy())]
    fig = go.Figure(go.Heatmap(
        z=z, x=labels, y=regions, zmin=-0.05, zmax=1.0, colorscale=scale, showscale=False, xgap=2, ygap=2,
        text=text, texttemplate="%{text}", hovertext=hover, hoverinfo="text",
    ))
    fig.update_layout(height=40 + 26 * len(regions), margin={"l": 10, "r": 10, "t": 10, "b": 10},
                      yaxis={"autorange": "reversed", "tickfont": {"size": 12}}, xaxis={"side": "top"},
                      plot_bgcolor="white", separators=figures.SEPARATORS.get(lang(), ", "))
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
        _named(frame).assign(direction=frame["direction"].map(directions)),
        hide_index=True, key="outliers_table",
        column_order=["period_start", "region", "event_type", "events", "participants", "per_event", "usual_median",
                      "usual_high", "direction", "batch_id", "source_file", "source_sheet", "source_row"],
        column_config={
            "period_start": c.DateColumn(tr("quality.col.date"), format=fmt.date_format()),
            "region": c.TextColumn(tr("quality.col.region")),
            "event_type": c.TextColumn(tr("quality.col.form")),
            "events": c.NumberColumn(tr("quality.col.events"), format="localized"),
            "participants": c.NumberColumn(tr("quality.col.participants"), format="localized"),
            "per_event": c.NumberColumn(tr("quality.col.per_event"), format="%.1f"),
            "usual_median": c.NumberColumn(tr("quality.col.usual_median"), format="%.1f"),
            "usual_high": c.NumberColumn(tr("quality.col.usual_high"), format="%.1f"),
            "direction": c.TextColumn(tr("quality.col.direction")),
            "batch_id": c.NumberColumn(tr("quality.col.batch"), format="%d"),
            "source_file": c.TextColumn(tr("quality.col.file")), "source_sheet": c.TextColumn(tr("quality.col.sheet")),
            "source_row": c.NumberColumn(tr("quality.col.row"), format="%d"),
        },
    )


def duplicates_table(frame: pd.DataFrame) -> None:
    c = st.column_config
    st.dataframe(
        _named(frame), hide_index=True, key="duplicates_table",
        column_order=["period_start", "region", "venue", "event_type", "records", "participants", "batch_list",
                      "files"],
        column_config={
            "period_start": c.DateColumn(tr("quality.col.date"), format=fmt.date_format()),
            "region": c.TextColumn(tr("quality.col.region")),
            "venue": c.TextColumn(tr("quality.col.venue")), "event_type": c.TextColumn(tr("quality.col.form")),
            "records": c.NumberColumn(tr("quality.col.records"), format="%d"),
            "participants": c.NumberColumn(tr("quality.col.participants"), format="localized"),
            "batch_list": c.TextColumn(tr("quality.col.batches")), "files": c.TextColumn(tr("quality.col.files")),
        },
    )


def overlaps_table(frame: pd.DataFrame) -> None:
    c = st.column_config
    st.dataframe(
        _named(frame), hide_index=True, key="overlaps_table",
        column_order=["region", "period_start", "period_end", "summary_batch", "summary_file", "summary_events",
                      "detail_records", "detail_events", "detail_batches"],
        column_config={
            "region": c.TextColumn(tr("quality.col.region")),
            "period_start": c.DateColumn(tr("quality.col.period_from"), format=fmt.date_format()),
            "period_end": c.DateColumn(tr("quality.col.period_to"), format=fmt.date_format()),
            "summary_batch": c.NumberColumn(tr("quality.col.summary_batch"), format="%d"),
            "summary_file": c.TextColumn(tr("quality.col.summary_file")),
            "summary_events": c.NumberColumn(tr("quality.col.summary_events"), format="localized"),
            "detail_records": c.NumberColumn(tr("quality.col.detail_records"), format="localized"),
            "detail_events": c.NumberColumn(tr("quality.col.detail_events"), format="localized"),
            "detail_batches": c.TextColumn(tr("quality.col.detail_batches")),
        },
    )


SOURCE_COLUMNS = ["region", "overlap_start", "overlap_end", "first_batch", "first_file", "first_records",
                  "second_batch", "second_file", "second_records"]


def source_overlaps_table(frame: pd.DataFrame) -> None:
    """Files of different sources over the same region and period: listed, not merged."""
    c = st.column_config
    config = {name: c.TextColumn(tr(f"quality.sources.col.{name}")) for name in ("first_file", "second_file")}
    config.update({name: c.NumberColumn(tr(f"quality.sources.col.{name}"), format="%d")
                   for name in ("first_batch", "second_batch", "first_records", "second_records")})
    config["region"] = c.TextColumn(tr("quality.sources.col.region"))
    config["overlap_start"] = c.DateColumn(tr("quality.sources.col.start"), format=fmt.date_format())
    config["overlap_end"] = c.DateColumn(tr("quality.sources.col.end"), format=fmt.date_format())
    st.dataframe(_named(frame), hide_index=True, key="source_overlaps_table", column_order=SOURCE_COLUMNS,
                 column_config=config)
