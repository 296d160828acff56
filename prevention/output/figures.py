"""One Plotly figure builder per chart kind. Plain data in, a Figure out; no Streamlit here.

Every builder takes `lang` ("ru", "kk", "en"): axis titles, hover texts, the «others» bar, the anti-drug month's
note, number separators and region names are in that language (prevention.i18n). Event forms and audiences are
translated by the caller, which knows which vocabulary a breakdown holds.

Maps use `choropleth_map` (MapLibre, `map_style="white-bg"`): no tiles and no network. Never the
`geo` trace kinds: they fetch a base map from a CDN and draw nothing offline.
"""
from __future__ import annotations

import html
from datetime import date

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from prevention import texts
from prevention.texts import formats

# Metrics the map and the ranked bar can show (columns of queries.by_region); labels «figures.metric.<name>».
REGION_METRIC_NAMES = ("events", "participants", "students", "per_event", "per_10k")
# Metrics of the trend and breakdown charts.
COUNT_METRIC_NAMES = ("events", "participants", "students")


def metric_label(metric: str, lang: str | None = texts.DEFAULT) -> str:
    """«Охват, человек» / «Қамту, адам» / «Reach, people»."""
    key = f"figures.metric.{metric}"
    return texts.t(key, lang) if key in texts.catalogue(texts.DEFAULT) else metric


def region_metrics(lang: str | None = texts.DEFAULT) -> dict[str, str]:
    return {m: metric_label(m, lang) for m in REGION_METRIC_NAMES}


def count_metrics(lang: str | None = texts.DEFAULT) -> dict[str, str]:
    return {m: metric_label(m, lang) for m in COUNT_METRIC_NAMES}


# The Russian labels, as before (code -> label); the builders use metric_label(metric, lang).
REGION_METRICS = region_metrics()
COUNT_METRICS = count_metrics()

SCALE = "YlGnBu"
ACCENT = "#1f5f8b"
HIGHLIGHT = "#d1495b"
NO_DATA = "#e3e3e3"
BAND = "rgba(209, 73, 91, 0.12)"
MAP_CENTER = {"lat": 48.3, "lon": 67.0}
MAP_ZOOM = 3.7
FONT = {"family": "DejaVu Sans, Arial, sans-serif", "size": 13}


def plain(text) -> str:
    """A label from the data as Plotly shows it literally: Plotly renders <a href>, <b>, <span style> and <br> in
    chart text, hover text and axis labels, so «<» and «&» are escaped (shown as written), and a leading «$»
    (LaTeX) is kept from starting a formula."""
    value = html.escape("" if text is None else str(text), quote=False)
    return "\u200b" + value if value.startswith("$") else value


def _layout(fig: go.Figure, height: int, lang: str | None = texts.DEFAULT, **extra) -> go.Figure:
    fig.update_layout(
        height=height,
        margin={"l": 0, "r": 0, "t": 10, "b": 0},
        separators=formats.separators(lang),  # Babel's decimal mark and thousands separator
        font=FONT,
        **extra,
    )
    return fig


def _fmt(value, lang: str | None = texts.DEFAULT) -> str:
    if formats.missing(value):
        return texts.t("figures.no_data", lang)
    return formats.number(value, lang, 0 if float(value).is_integer() else 1)


def _region_names(frame: pd.DataFrame, lang: str | None) -> pd.DataFrame:
    """The frame's «region» column in `lang`, by its region_code."""
    frame = frame.copy()
    if "region_code" in frame.columns:
        frame["region"] = [texts.region_name(code, lang) for code in frame["region_code"]]
    return frame


class Shapes(dict):
    """A map trace's GeoJSON, shared and never changed: Plotly deep-copies a trace's values while it builds a figure
    and again in `to_dict()` (some 40,000 coordinate lists per map); this one is passed on as it is, the same values."""

    def __deepcopy__(self, memo):
        return self

    def __reduce__(self):  # pickled (st.cache_data) as a plain dict of the same items
        return (dict, (dict(self),))


def _subset(geojson: dict, codes) -> Shapes:
    wanted = set(codes)
    return Shapes(type="FeatureCollection", features=[f for f in geojson["features"] if f["id"] in wanted])


def _outline(codes, selected: tuple[str, ...]) -> dict:
    chosen = [code in selected for code in codes]
    return {"color": [HIGHLIGHT if c else "white" for c in chosen], "width": [3 if c else 0.8 for c in chosen]}


def choropleth(regions: pd.DataFrame, metric: str, geojson: dict, selected: tuple[str, ...] = (),
               label: str | None = None, lang: str | None = texts.DEFAULT) -> go.Figure:
    """All regions of `regions` (queries.by_region) coloured by `metric`, drawn with
    `px.choropleth_map` on a blank background.

    Regions whose value is zero or unknown are drawn grey, so a gap in coverage is visible, and stay
    clickable. The two layers hold disjoint sets of regions, so each shape is sent to the browser
    once. Selected regions get a thick outline. `location` (and customdata[0]) is the ISO code.
    """
    label = label or metric_label(metric, lang)
    frame = _region_names(regions, lang)
    frame["value_text"] = [_fmt(v, lang) for v in frame[metric]]
    frame["region"] = [plain(v) for v in frame["region"]]
    has_value = frame[metric].notna() & (frame[metric] > 0)
    coloured, grey = frame[has_value], frame[~has_value]
    hover = "<b>%{customdata[1]}</b><br>" + label + ": %{customdata[2]}<extra></extra>"
    custom = ["region_code", "region", "value_text"]

    fig = px.choropleth_map(
        coloured, geojson=_subset(geojson, coloured["region_code"]), locations="region_code", color=metric,
        custom_data=custom, color_continuous_scale=SCALE, range_color=_range(frame[metric]),
        map_style="white-bg", center=MAP_CENTER, zoom=MAP_ZOOM,
    )
    fig.update_traces(hovertemplate=hover, marker_line=_outline(coloured["region_code"], selected))
    if len(grey):
        fig.add_trace(go.Choroplethmap(
            geojson=_subset(geojson, grey["region_code"]), locations=grey["region_code"], z=[0] * len(grey),
            colorscale=[[0, NO_DATA], [1, NO_DATA]], showscale=False,
            marker={"line": _outline(grey["region_code"], selected)},
            customdata=grey[custom].to_numpy(), hovertemplate=hover, name=texts.t("figures.no_data", lang),
        ))
    fig.update_layout(
        coloraxis_colorbar={"title": {"text": _two_lines(label), "side": "right"}, "thickness": 12, "len": 0.8,
                                "tickformat": ",d" if metric in COUNT_METRIC_NAMES else ",.1f"},
        showlegend=False, dragmode=False,
    )
    return _layout(fig, 500, lang)


def select_on_map(spec: dict, selected: tuple[str, ...], geojson: dict | None = None) -> dict:
    """A choropleth's dict (`Figure.to_dict()`, built with no region selected) with `selected` outlined: the same
    dict as choropleth(..., selected).to_dict(), from a map built once for every selection (only the outlines
    differ). With `geojson`, each trace's shapes are taken from it anew (a map kept without its shapes)."""
    data = [{**trace, "marker": {**trace.get("marker", {}), "line": _outline(trace["locations"], selected)}}
            for trace in spec["data"]]
    if geojson is not None:
        data = [{**trace, "geojson": _subset(geojson, trace["locations"])} for trace in data]
    return {**spec, "data": data}


def without_shapes(spec: dict) -> dict:
    """A choropleth's dict without its GeoJSON (most of its size), to be kept and completed by select_on_map."""
    return {**spec, "data": [{**trace, "geojson": None} for trace in spec["data"]]}


def _two_lines(label: str, longest: int = 34) -> str:
    """A colour bar's title beside a bar about 400 px long: a long one («10 000 тұрғынға шаққандағы қамту (2023 ж.
    халық саны)») is broken at the space nearest its middle so that it does not run past the bar's ends."""
    if len(label) <= longest or " " not in label:
        return label
    middle = len(label) // 2
    cut = min((i for i, ch in enumerate(label) if ch == " "), key=lambda i: abs(i - middle))
    return label[:cut] + "<br>" + label[cut + 1:]


def _range(values: pd.Series) -> list[float]:
    """Colour range over the regions that have a value: from the lowest to the highest, so that
    differences show even when every region is far from zero (rates per 10,000)."""
    present = values[values.notna() & (values > 0)]
    if present.empty:
        return [0.0, 1.0]
    low, high = float(present.min()), float(present.max())
    return [low, high] if high > low else [0.0, high]


def ranked_bar(regions: pd.DataFrame, metric: str, selected: tuple[str, ...] = (),
               label: str | None = None, lang: str | None = texts.DEFAULT) -> go.Figure:
    """Regions ranked by `metric`, largest on top; zero and unknown values are listed at the bottom.
    customdata[0] is the region code (for click-to-filter)."""
    label = label or metric_label(metric, lang)
    frame = _region_names(regions, lang)
    frame["value"] = frame[metric].fillna(0).astype(float)
    frame = frame.sort_values(["value", "region"], ascending=[True, False])
    colours = _highlight([ACCENT if value > 0 else NO_DATA for value in frame["value"]], frame["region_code"],
                         selected)
    texts = [_fmt(v, lang) for v in frame[metric]]
    fig = go.Figure(go.Bar(
        x=frame["value"], y=[plain(v) for v in frame["region"]], orientation="h",
        marker={"color": colours},
        text=texts, textposition=_text_positions(frame["value"]), insidetextanchor="end", cliponaxis=False,
        customdata=frame[["region_code"]].to_numpy(),
        hovertemplate="<b>%{y}</b><br>" + label + ": %{text}<extra></extra>",
    ))
    _value_axis(fig, frame["value"], label)
    return _layout(fig, max(240, 24 * len(frame) + 60), lang, bargap=0.25, dragmode=False)


def _highlight(colours: list[str], codes, selected: tuple[str, ...]) -> list[str]:
    return [HIGHLIGHT if code in selected else colour for code, colour in zip(codes, colours)]


def select_on_ranking(spec: dict, selected: tuple[str, ...]) -> dict:
    """A ranked bar's dict (`Figure.to_dict()`, built with no region selected) with `selected` highlighted: the same
    dict as ranked_bar(..., selected).to_dict()."""
    bar = spec["data"][0]
    colours = _highlight(bar["marker"]["color"], [row[0] for row in bar["customdata"]], selected)
    bar = {**bar, "marker": {**bar["marker"], "color": colours}}
    return {**spec, "data": [bar, *spec["data"][1:]]}


def _text_positions(values: pd.Series) -> list[str]:
    """Labels inside long bars (they would overflow the chart), outside short ones and zeros."""
    top = float(values.max()) if len(values) and pd.notna(values.max()) else 0.0
    return ["inside" if top > 0 and pd.notna(v) and v >= 0.3 * top else "outside" for v in values]


def _value_axis(fig: go.Figure, values: pd.Series, label: str) -> None:
    """The value axis of a horizontal bar chart: from zero, with room for the labels outside the bars."""
    top = float(values.max()) if len(values) and pd.notna(values.max()) and values.max() > 0 else 1.0
    integral = bool((values.dropna() % 1 == 0).all())
    fig.update_xaxes(title=label, range=[0, top * 1.18], tickformat=",d" if integral else ",.1f", showgrid=True,
                     nticks=5, tickangle=0)
    fig.update_yaxes(title=None, automargin=True)


def _band_years(first: date, last: date) -> list[int]:
    return [y for y in range(first.year, last.year + 1) if date(y, 5, 26) <= last and date(y, 6, 26) >= first]


def monthly_trend(months: pd.DataFrame, metric: str, label: str | None = None,
                  period: tuple[date | None, date | None] | None = None,
                  lang: str | None = texts.DEFAULT) -> go.Figure:
    """Monthly totals as bars with the anti-drug month (26 May – 26 June) shaded in every year shown.
    With `period`, the time axis spans it (months without records stay empty)."""
    label = label or metric_label(metric, lang)
    frame = months.copy()
    frame["month"] = pd.to_datetime(frame["month"])
    fig = go.Figure(go.Bar(
        x=frame["month"], y=frame[metric], marker={"color": ACCENT},
        xperiod="M1", xperiodalignment="middle",
        customdata=[formats.month_year(m, lang) for m in frame["month"]],
        hovertemplate="%{customdata}<br>" + label + ": %{y:,}<extra></extra>",
        name=label,
    ))
    first = period[0] if period and period[0] else (frame["month"].min().date() if len(frame) else None)
    last = period[1] if period and period[1] else (
        (frame["month"].max() + pd.offsets.MonthEnd(0)).date() if len(frame) else None)
    if first and last:
        fig.update_xaxes(range=[pd.Timestamp(first), pd.Timestamp(last) + pd.Timedelta(days=1)])
        years = _band_years(first, last)
        for year in years:
            note = {"annotation_text": texts.t("figures.drug_month", lang), "annotation_position": "top left",
                        "annotation_font_size": 11} if year == years[-1] else {}
            fig.add_vrect(x0=date(year, 5, 26), x1=date(year, 6, 27), fillcolor=BAND, line_width=0,
                          layer="below", **note)
        span_months = (last.year - first.year) * 12 + last.month - first.month + 1
        fig.update_xaxes(dtick="M1" if span_months <= 14 else "M3")
    # labels under their bars; Plotly's own month names are English, so «06.2025» in Russian and Kazakh
    fig.update_xaxes(title=None, tickformat="%b %Y" if lang == "en" else "%m.%Y", ticklabelmode="period")
    fig.update_yaxes(title=label, rangemode="tozero", tickformat=",d")
    return _layout(fig, 340, lang, bargap=0.15, showlegend=False)


def breakdown_bar(rows: pd.DataFrame, metric: str, label: str | None = None, top: int = 12,
                  lang: str | None = texts.DEFAULT) -> go.Figure:
    """A category breakdown (queries.by_event_type / by_audience / by_district): the `top` largest
    labels by `metric`, the rest summed as «прочие» (in `lang`). The labels are shown as given: the caller
    translates event forms and audiences."""
    label = label or metric_label(metric, lang)
    name_col = "label" if "label" in rows.columns else rows.columns[0]
    frame = rows[[name_col, metric]].rename(columns={name_col: "label"}).copy()
    frame = frame.sort_values(metric, ascending=False)
    if len(frame) > top:
        rest = frame.iloc[top:][metric].sum()
        frame = pd.concat([frame.iloc[:top], pd.DataFrame({"label": [texts.t("figures.others", lang)],
                                                           metric: [rest]})])
    frame = frame.iloc[::-1]
    fig = go.Figure(go.Bar(
        x=frame[metric], y=[plain(v) for v in frame["label"]], orientation="h", marker={"color": ACCENT},
        text=[_fmt(v, lang) for v in frame[metric]], textposition=_text_positions(frame[metric]),
        insidetextanchor="end",
        cliponaxis=False,
        hovertemplate="<b>%{y}</b><br>" + label + ": %{text}<extra></extra>",
    ))
    _value_axis(fig, frame[metric], label)
    return _layout(fig, max(200, 26 * len(frame) + 60), lang, bargap=0.25)


# ---------------------------------------------------------------- the trend by its unit, breakdowns with their rest
# (kept apart from the builders above: prevention.queries.trend and the summaries' own bar of the breakdowns)

DETAIL_COLOUR = "#a9c4dd"  # event-log records inside summaries not drawn at this unit: lighter than ACCENT
REST_COLOUR = "#8c8c8c"    # the summaries' part without a breakdown
EXCESS_COLOUR = HIGHLIGHT  # event logs exceeding their summary


def period_trend(bars: pd.DataFrame, unit: str, metric: str, labels: list[str], counted_name: str,
                 detail_name: str, period: tuple[date | None, date | None] | None = None,
                 lang: str | None = texts.DEFAULT) -> go.Figure:
    """Bars of queries.trend: one per `unit` (month, quarter, half_year, year), each as wide as its whole period on
    a date axis (a yearly summary is a year-wide bar, never a January bar); `labels` name the bars in the hover and
    under a short axis. A second, lighter part stacked on top (`detail_<metric>`) is the event-log records inside
    summaries the unit leaves out. The anti-drug month is shaded at the month unit only."""
    label = metric_label(metric, lang)
    starts = pd.to_datetime(bars["period_start"])
    ends = pd.to_datetime(bars["period_end"]) + pd.Timedelta(days=1)
    middles = starts + (ends - starts) / 2
    widths = [(e - s).total_seconds() * 1000 * 0.85 for s, e in zip(starts, ends)]  # milliseconds on a date axis
    common = {"x": middles, "width": widths, "customdata": labels}
    fig = go.Figure(go.Bar(y=bars[metric], marker={"color": ACCENT}, name=counted_name,
                           hovertemplate="%{customdata}<br>" + label + ": %{y:,}<extra>" + counted_name + "</extra>",
                           **common))
    detail = bars.get(f"detail_{metric}")
    if detail is not None and detail.sum() > 0:
        fig.add_trace(go.Bar(y=detail, marker={"color": DETAIL_COLOUR}, name=detail_name,
                             hovertemplate="%{customdata}<br>" + label + ": %{y:,}<extra>" + detail_name + "</extra>",
                             **common))
    first = period[0] if period and period[0] else (starts.min().date() if len(bars) else None)
    last = period[1] if period and period[1] else ((ends.max() - pd.Timedelta(days=1)).date() if len(bars) else None)
    if first and last:
        fig.update_xaxes(range=[pd.Timestamp(first), pd.Timestamp(last) + pd.Timedelta(days=1)])
        if unit == "month":
            _drug_month_bands(fig, first, last, lang)
    if unit == "month" and first and last:  # «янв.» under each month, the year under the first and January
        values, names = month_ticks(first, last, lang)
        fig.update_xaxes(tickmode="array", tickvals=values, ticktext=names, autotickangles=[0, -90])
    elif unit == "month":
        fig.update_xaxes(dtick="M1", tickformat="%m.%Y", ticklabelmode="period")
    else:  # one labelled tick under the middle of each bar: «II кв. 2025», «2025 г.»
        fig.update_xaxes(tickmode="array", tickvals=list(middles), ticktext=labels)
    fig.update_xaxes(title=None)
    fig.update_yaxes(title=label, rangemode="tozero", tickformat=",d")
    return _layout(fig, 340, lang, bargap=0.15, barmode="stack", showlegend=len(fig.data) > 1,
                   legend={"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"})


def month_ticks(first: date, last: date, lang: str | None = texts.DEFAULT) -> tuple[list, list[str]]:
    """One tick under the middle of every month from `first` to `last` (every third month past 14), labelled with
    the month's short name in `lang` and, under the first tick and every new year, its year. Upright where they fit,
    else turned a quarter (never a slant that runs off the chart's right edge and drops the last months)."""
    from babel import dates as babel_dates

    language = formats.lang_of(lang)
    names = babel_dates.get_month_names("abbreviated", context="stand-alone", locale=language)
    months = pd.period_range(pd.Timestamp(first), pd.Timestamp(last), freq="M")
    step = 1 if len(months) <= 14 else 3
    values, labels, year = [], [], None
    for index, month in enumerate(months):
        if index % step:
            continue
        start, end = month.start_time, month.end_time.normalize() + pd.Timedelta(days=1)
        values.append(start + (end - start) / 2)
        name = names[month.month]
        labels.append(f"{name}<br>{month.year}" if month.year != year else name)
        year = month.year
    return values, labels


def _drug_month_bands(fig: go.Figure, first: date, last: date, lang: str | None) -> None:
    years = _band_years(first, last)
    for year in years:
        note = {"annotation_text": texts.t("figures.drug_month", lang), "annotation_position": "top left",
                "annotation_font_size": 11} if year == years[-1] else {}
        fig.add_vrect(x0=date(year, 5, 26), x1=date(year, 6, 27), fillcolor=BAND, line_width=0, layer="below",
                      **note)


def breakdown_with_rest(rows: pd.DataFrame, metric: str, rest: float | None, rest_label: str,
                        exceeds_label: str, top: int = 12, lang: str | None = texts.DEFAULT) -> go.Figure:
    """breakdown_bar() with the summaries' own bar at the bottom: `rest` (their totals minus the event-log records
    inside them) labelled `rest_label`, grey; negative (the logs exceed their summaries) labelled `exceeds_label`,
    red, to the left of zero. Without `rest` it is breakdown_bar()."""
    fig = breakdown_bar(rows, metric, top=top, lang=lang)
    if rest is None:
        return fig
    label = metric_label(metric, lang)
    name = rest_label if rest >= 0 else exceeds_label
    values = pd.Series(list(fig.data[0].x) + [rest], dtype=float)
    position = "inside" if rest >= 0.3 * float(values.abs().max()) else "outside"  # long bars hold their label
    fig.add_trace(go.Bar(
        x=[rest], y=[name], orientation="h", marker={"color": REST_COLOUR if rest >= 0 else EXCESS_COLOUR},
        text=[_fmt(rest, lang)], textposition=position, insidetextanchor="end", cliponaxis=False,
        hovertemplate="<b>%{y}</b><br>" + label + ": %{text}<extra></extra>",
    ))
    fig.data[0].textposition = _text_positions(values)[:-1]  # the labels' bars against the rest too
    categories = [name] + list(fig.data[0].y)  # bottom to top: the rest first, under the labels
    top_value = max(float(values.max()), 1.0)
    low = min(float(values.min()), 0.0)
    fig.update_yaxes(categoryorder="array", categoryarray=categories)
    fig.update_xaxes(range=[low * 1.25 if low < 0 else 0, top_value * 1.18])
    return fig.update_layout(height=max(200, 26 * len(categories) + 60), showlegend=False)
