"""The quality page's part on summaries: the counting rule in words, each summary beside the event-log records inside
it (flagging logs that exceed their summary), and the conflicts among summaries with the batch counted meanwhile."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from prevention.app.components import fmt, tables
from prevention.app.session import workspace
from prevention.app.session.i18n import lang, tr
from prevention.queries.filters import Filters
from prevention.texts import periods as period_texts


def _named(frame: pd.DataFrame) -> pd.DataFrame:
    shown = tables.translated(frame)
    if "period_kind" in shown.columns:
        shown["period"] = [period_texts.period_label(a, b, k, lang()) for a, b, k in
                           zip(frame["period_start"], frame["period_end"], frame["period_kind"])]
    return shown


def reconciliation_table(frame: pd.DataFrame) -> None:
    c = st.column_config
    shown = _named(frame).assign(status=[tr(f"quality.status.{s}") for s in frame["status"]])
    st.dataframe(
        tables.styled(shown), hide_index=True, key="reconciliation_table",
        column_order=["region", "period", "period_kind", "status", "summary_events", "detail_events",
                      "difference_events", "summary_participants", "detail_participants", "difference_participants",
                      "detail_records", "exceeds", "batch_id", "source_file", "instead_batch"],
        column_config={
            "region": c.TextColumn(tr("quality.col.region")), "period": c.TextColumn(tr("quality.col.period")),
            "period_kind": c.TextColumn(tr("quality.col.kind")), "status": c.TextColumn(tr("quality.col.status")),
            "summary_events": c.NumberColumn(tr("quality.col.summary_events")),
            "detail_events": c.NumberColumn(tr("quality.col.detail_events")),
            "difference_events": c.NumberColumn(tr("quality.col.difference_events")),
            "summary_participants": c.NumberColumn(tr("quality.col.summary_participants")),
            "detail_participants": c.NumberColumn(tr("quality.col.detail_participants")),
            "difference_participants": c.NumberColumn(tr("quality.col.difference_participants")),
            "detail_records": c.NumberColumn(tr("quality.col.detail_records")),
            "exceeds": c.CheckboxColumn(tr("quality.col.exceeds")),
            "batch_id": c.NumberColumn(tr("quality.col.batch"), format="%d"),
            "source_file": c.TextColumn(tr("quality.col.file")),
            "instead_batch": c.NumberColumn(tr("quality.col.instead"), format="%d"),
        },
    )


def conflicts_table(frame: pd.DataFrame) -> None:
    c = st.column_config
    st.dataframe(
        tables.styled(tables.translated(frame)), hide_index=True, key="conflicts_table",
        column_order=["region", "period_start", "period_end", "batch_id", "source_file", "counted_start",
                      "counted_end", "counted_batch", "counted_file"],
        column_config={
            "region": c.TextColumn(tr("quality.col.region")),
            "period_start": c.DateColumn(tr("quality.col.period_from"), format=fmt.date_format()),
            "period_end": c.DateColumn(tr("quality.col.period_to"), format=fmt.date_format()),
            "batch_id": c.NumberColumn(tr("quality.col.batch"), format="%d"),
            "source_file": c.TextColumn(tr("quality.col.file")),
            "counted_start": c.DateColumn(tr("quality.col.counted_from"), format=fmt.date_format()),
            "counted_end": c.DateColumn(tr("quality.col.period_to"), format=fmt.date_format()),
            "counted_batch": c.NumberColumn(tr("quality.col.counted_batch"), format="%d"),
            "counted_file": c.TextColumn(tr("quality.col.counted_file")),
        },
    )


def render(f: Filters) -> None:
    """The summaries' sections of the quality page."""
    st.subheader(tr("quality.reconcile"))
    st.info(tr("quality.rule"), icon=":material/rule:")
    st.caption(tr("quality.reconcile_note"))
    found = workspace.query("reconcile", "reconciliation", f)
    if found.empty:
        st.success(tr("quality.reconcile_none"), icon=":material/check_circle:")
    else:
        exceeding = int(found["exceeds"].sum())
        if exceeding:
            st.warning(tr("quality.reconcile_exceeds", count=fmt.number(exceeding)), icon=":material/warning:")
        else:
            st.success(tr("quality.reconcile_ok"), icon=":material/check_circle:")
        reconciliation_table(found)

    st.subheader(tr("quality.conflicts"))
    st.caption(tr("quality.conflicts_note"))
    conflicts = workspace.query("reconcile", "conflicts", f)
    if conflicts.empty:
        st.success(tr("quality.conflicts_none"), icon=":material/check_circle:")
    else:
        st.warning(tr("quality.conflicts_found", count=fmt.number(len(conflicts))), icon=":material/call_split:")
        conflicts_table(conflicts)
