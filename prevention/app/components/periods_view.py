"""The period rule on the pages: the one-line note of what the window leaves out (with a link to the list), and the
trend by its unit (which unit, why, a finer one on request and what it leaves out)."""
from __future__ import annotations

from functools import partial

import pandas as pd
import streamlit as st

from prevention.app.components import fmt
from prevention.app.components.widgets import chart
from prevention.app.session import figure_cache
from prevention.app.session.i18n import lang, tr
from prevention.app.session.state import Data
from prevention.queries.filters import Filters
from prevention.texts import periods as period_texts

TABLE_PAGE = "prevention/app/views/table.py"


def window_note(data: Data, f: Filters, link: bool = True) -> bool:
    """«Не учтены 20 сводов, период которых выходит за …» and, with a form, audience or organiser filter, that the
    summaries are left out; a link to the list on the Table page. True when something was left out."""
    notes = data.window_notes(f)
    lines = [line for line in (period_texts.window_note(notes, (f.date_from, f.date_to), lang()),
                               period_texts.breakdown_note(notes, lang())) if line]
    if not lines:
        return False
    with st.container(horizontal=True, vertical_alignment="center", key=f"window_note_{link}"):
        st.caption(" ".join(lines))
        if link:
            st.page_link(TABLE_PAGE, label=tr("periods.note.link"), icon=":material/list:")
    return True


def _kinds(counts: dict[str, int]) -> str:
    return ", ".join(f"{tr(f'periods.kind.{kind}')} — {fmt.number(n)}" for kind, n in sorted(counts.items()))


def _left_out_line(left: pd.DataFrame, key: str) -> str:
    details = "; ".join(
        f"{tr(f'periods.kind.{row.period_kind}')} "
        f"{period_texts.period_label(row.period_start, row.period_end, row.period_kind, lang())}"
        + (f" ({fmt.number(row.summaries)})" if row.summaries > 1 else "")
        for row in left.head(period_texts.NOTE_DETAILS).itertuples(index=False))
    if len(left) > period_texts.NOTE_DETAILS:
        details += "; …"
    return tr(key, what=period_texts.summaries_phrase(int(left["summaries"].sum()), lang()), details=details)


def _notes(trend: dict) -> list[str]:
    """Which unit and why; what the unit drawn leaves out."""
    unit, natural = trend["unit"], trend["natural"]
    lines = [tr("trend.why.month") if natural == "month" else
             tr("trend.why.coarse", unit=period_texts.unit_name(natural, lang()), kinds=_kinds(trend["reason"]))]
    left = trend["left_out"]
    if len(left):
        crosses = pd.Series([s.year != e.year for s, e in zip(left["period_start"], left["period_end"])],
                            index=left.index, dtype=bool)
        no_unit, finer = left[crosses], left[~crosses]
        if len(finer):
            lines.append(_left_out_line(finer, "trend.finer"))
        if len(no_unit):
            lines.append(_left_out_line(no_unit, "trend.no_unit"))
    if unit == "month":
        lines.append(tr("overview.drug_month_note"))
    return lines


def trend_chart(data: Data, f: Filters, metric: str, key: str) -> None:
    """The trend's subheader, its unit switch (the natural unit and the finer ones), the chart and its notes."""
    st.subheader(tr("trend.title"))
    natural = data.trend(f)
    chosen = natural["natural"]
    if len(natural["units"]) > 1:
        if st.session_state.get(key) not in natural["units"]:
            st.session_state[key] = natural["natural"]
        chosen = st.segmented_control(tr("trend.unit"), natural["units"], key=key, required=True,
                                      format_func=partial(period_texts.unit_name, lang=lang()))
    unit = None if chosen == natural["unit"] else chosen  # None: the natural unit's trend, as read above
    trend = natural if unit is None else data.trend(f, unit)
    chart(figure_cache.period_trend(data, f, unit, metric, lang=lang()), key=f"{key}_chart")
    st.caption(" ".join(_notes(trend)))
