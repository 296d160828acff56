"""From the query results (figures_of.Figures) to the content of a briefing (model.Briefing) in one language.

The numbers are the queries' own, formatted as the pages format them (words.py, Babel); nothing is recomputed
except what a document adds: the order of the region table (by the chosen metric) and the «прочие» row of a long
breakdown (the sum of the rows it replaces)."""
from __future__ import annotations

from datetime import date, datetime

import pandas as pd

from prevention.output.briefing import words
from prevention.output.briefing.details import data_note, region_details
from prevention.output.briefing.figures_of import Figures
from prevention.output.briefing.model import (
    Bars,
    Breakdown,
    Briefing,
    KpiRow,
    MapData,
    Table,
    Trend,
)
from prevention.output.briefing.names import file_stem
from prevention.texts import formats
from prevention.texts import periods as period_texts

REGION_METRICS = ("events", "participants", "students", "per_event", "per_10k")
COUNT_METRICS = ("events", "participants", "students")
# The KPI cards of the Overview page: (key of queries.kpis, decimals)
KPIS = (("events", 0), ("participants", 0), ("students", 0), ("students_per_event", 1), ("regions_reporting", 0))
BREAKDOWN_TOP = 12  # as the page's breakdown chart (figures.breakdown_bar)
t = words.t


def compose(figs: Figures, lang: str, metric: str = "participants", now: datetime | None = None) -> Briefing:
    """The briefing of `figs` in `lang`; `metric` colours the map and orders the region table (as the Overview's
    switch); the trend and the breakdowns show it when it is a count, else people reached."""
    lang = formats.lang_of(lang)
    has_population = bool(figs.regions["population"].notna().any())
    if metric not in REGION_METRICS or (metric == "per_10k" and not has_population):
        metric = "participants"
    count_metric = metric if metric in COUNT_METRICS else "participants"
    region_name = words.region(figs.region_code, lang) if figs.region_code else None
    briefing = Briefing(
        lang=lang,
        title=t("title_region", lang, region=region_name) if region_name else t("title", lang),
        lines=title_lines(figs, lang), empty=figs.empty, empty_text=t("empty", lang),
        empty_hint=t("empty_hint", lang),
        kpi_title=t("h.kpis", lang), kpi_header=[], kpis=[], kpi_note="",
        map_title=t("h.map", lang, metric=metric_label(metric, lang)), map=None, map_note=t("map_note", lang),
        regions_title=t("h.regions", lang), regions=None, regions_note="",
        trend_title=t(f"h.trend.{figs.trend_unit}", lang, metric=metric_label(count_metric, lang)), trend=None,
        trend_note=t("trend_note", lang),
        footer=t("footer", lang, when=formats.date_time(now or datetime.now(), lang)),
        page_label=t("page", lang, page="{page}", pages="{pages}"),
        file_stem=file_stem(figs.filters, figs.region_code, lang),
    )
    briefing.note = data_note(figs, lang)
    if figs.empty:
        return briefing
    briefing.kpi_header, briefing.kpis = kpi_rows(figs, lang)
    if figs.kpis["previous"] is None:
        briefing.kpi_note = t("kpi.no_previous", lang)
    briefing.map = map_data(figs, metric, lang)
    briefing.regions, briefing.regions_note = region_table(figs, metric, has_population, lang)
    briefing.trend = trend(figs, count_metric, lang)
    briefing.breakdowns = [
        breakdown("forms", t("h.forms", lang), figs.forms, "event_type", count_metric, lang),
        breakdown("audiences", t("h.audiences", lang), figs.audiences, "audience", count_metric, lang),
    ]
    if figs.region_code:
        briefing.region = region_details(figs, lang)
    return briefing


def metric_label(metric: str, lang: str) -> str:
    return t(f"metric.{metric}", lang)


def title_lines(figs: Figures, lang: str) -> list[str]:
    """Period, regions, the other filters when set, and when the data were loaded."""
    f = figs.filters
    codes = (figs.region_code,) if figs.region_code else f.regions
    regions = ", ".join(words.region(c, lang) for c in codes) if codes else t("regions_all", lang)
    lines = [t("line.period", lang, period=words.period(f.date_from, f.date_to, lang)),
             t("line.regions", lang, regions=regions)]
    for key, values in (("forms", [words.vocab("event_type", v, lang) for v in f.event_types]),
                        ("audiences", [words.vocab("audience", v, lang) for v in f.audiences]),
                        ("organizers", list(f.organizers))):
        if values:
            lines.append(t(f"line.{key}", lang, values=", ".join(values)))
    when = formats.date_time(figs.as_of, lang) if figs.as_of is not None else words.DASH
    lines.append(t("line.as_of", lang, when=when))
    return lines


def kpi_rows(figs: Figures, lang: str) -> tuple[list[str], list[KpiRow]]:
    """The Overview's KPI cards as rows: value, the value a year earlier and the change (when both dates are set)."""
    current, previous = figs.kpis["current"], figs.kpis["previous"]
    scope = figs.scope
    header = [t("kpi.indicator", lang), words.period(scope.date_from, scope.date_to, lang)]
    if previous is not None:
        earlier = scope.year_earlier()
        header += [words.period(earlier.date_from, earlier.date_to, lang), t("kpi.change", lang)]
    rows = []
    for key, digits in KPIS:
        if key == "regions_reporting" and figs.region_code:
            continue  # one region: «1 из 1» says nothing
        if key == "regions_reporting":
            total = len(figs.regions)  # «2 из 20» as the KPI card says, whatever regions are chosen
            value = t("kpi.out_of", lang, count=words.number(current[key], lang), total=words.number(total, lang))
            old = None if previous is None else t("kpi.out_of", lang, count=words.number(previous[key], lang),
                                                   total=words.number(total, lang))
            delta = None if previous is None else words.difference(current[key], previous[key], lang)
        else:
            value = words.number(current[key], lang, digits)
            old = None if previous is None else words.number(previous[key], lang, digits)
            delta = None if previous is None else words.change(current[key], previous[key], lang)
        rows.append(KpiRow(key, t(f"kpi.{key}", lang), value, old, delta))
    return header, rows


def map_data(figs: Figures, metric: str, lang: str) -> MapData:
    values = {code: (None if pd.isna(v) else float(v)) for code, v in zip(figs.regions["region_code"],
                                                                          figs.regions[metric])}
    selected = (figs.region_code,) if figs.region_code else tuple(figs.filters.regions)
    return MapData(metric, metric_label(metric, lang), values, selected, t("no_data", lang),
                   integral=metric in COUNT_METRICS)


def region_table(figs: Figures, metric: str, has_population: bool, lang: str) -> tuple[Table, str]:
    """The 20 regions (queries.by_region without the region filter, as the Overview's map and ranking), ranked by
    `metric`; the chosen regions in bold; a total row from queries.kpis of the same filters."""
    frame = figs.regions.copy()
    frame["name"] = [words.region(c, lang) for c in frame["region_code"]]
    rank = sorted(range(len(frame)), key=lambda i: (-_value(frame[metric].iloc[i]),
                                                    words.sort_key(frame["name"].iloc[i])))
    frame = frame.iloc[rank].reset_index(drop=True)
    header = ["№", t("col.region", lang), t("col.events", lang), t("col.participants", lang),
              t("col.students", lang), t("col.per_event", lang)]
    if has_population:
        header.append(t("col.per_10k", lang))
    rows = []
    for rank, row in enumerate(frame.itertuples(), start=1):
        cells = [str(rank), row.name, words.number(row.events, lang), words.number(row.participants, lang),
                 words.number(row.students, lang), words.number(row.per_event, lang, 1)]
        if has_population:
            cells.append(words.number(row.per_10k, lang, 1))
        rows.append(cells)
    totals = figs.national_kpis
    total = ["", t("total", lang), words.number(totals["events"], lang), words.number(totals["participants"], lang),
             words.number(totals["students"], lang), words.number(totals["participants_per_event"], lang, 1)]
    if has_population:
        total.append("")
    selected = {figs.region_code} if figs.region_code else set(figs.filters.regions)
    bold = tuple(i for i, code in enumerate(frame["region_code"]) if code in selected)
    widths = (0.5, 3.1, 1.65, 1.5, 1.4, 1.6) + ((1.5,) if has_population else ())
    note = t("regions_note", lang, metric=metric_label(metric, lang))
    if has_population:
        note += " " + t("population_note", lang, years=_years(frame["population_year"]))
    return Table(header, rows, tuple(range(2, len(header))), total, bold, widths), note


def _value(value) -> float:
    return -1.0 if pd.isna(value) else float(value)


def _years(series: pd.Series) -> str:
    years = sorted({int(y) for y in series.dropna()})
    if not years:
        return words.DASH
    return str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}"


def trend(figs: Figures, metric: str, lang: str) -> Trend:
    """The trend's bars; on a monthly axis the months of the window without records are shown empty, as on the
    page's chart (its axis spans the window)."""
    values = {pd.Timestamp(d).date(): int(v) for d, v in zip(figs.trend["period_start"], figs.trend[metric])}
    starts = sorted(values)
    if figs.trend_unit == "month":
        starts = _months(figs.scope.date_from or starts[0], figs.scope.date_to or starts[-1]) or starts
    labels = [unit_label(d, figs.trend_unit, lang) for d in starts]
    return Trend(figs.trend_unit, starts, labels, [values.get(d, 0) for d in starts], metric_label(metric, lang),
                 t("drug_month", lang))


def _months(first: date, last: date, limit: int = 120) -> list[date]:
    """First days of the months from `first` to `last` (none beyond `limit` months)."""
    count = (last.year - first.year) * 12 + last.month - first.month + 1
    if count < 1 or count > limit:
        return []
    return [date(first.year + (first.month - 1 + i) // 12, (first.month - 1 + i) % 12 + 1, 1) for i in range(count)]


def unit_label(start, unit: str, lang: str) -> str:
    """«июн. 2025» for a month, else the pages' label of the unit («2 кв. 2025», «1 полугодие 2025», «2025 г.»)."""
    if unit == "month":
        return formats.short_month_year(start, lang)
    return period_texts.unit_period_label(start, unit, lang)


def breakdown(key: str, title: str, frame: pd.DataFrame, kind: str, metric: str, lang: str) -> Breakdown:
    """A breakdown (queries.by_event_type / by_audience) largest first by `metric`: the first BREAKDOWN_TOP labels
    and the rest summed as «прочие»."""
    frame = frame.sort_values([metric, "label"], ascending=[False, True], kind="stable")
    head, rest = frame.iloc[:BREAKDOWN_TOP], frame.iloc[BREAKDOWN_TOP:]
    names = [words.vocab(kind, v, lang) for v in head["label"]]
    counts = head[list(COUNT_METRICS)].astype("int64").values.tolist()
    if len(rest):
        names.append(t("others", lang, count=words.number(len(rest), lang)))
        counts.append([int(rest[c].sum()) for c in COUNT_METRICS])
    header = [t(f"col.{kind}", lang), t("col.events", lang), t("col.participants", lang), t("col.students", lang)]
    rows = [[name] + [words.number(v, lang) for v in values] for name, values in zip(names, counts)]
    column = COUNT_METRICS.index(metric)
    bars = Bars(title, names, [float(v[column]) for v in counts], [r[1 + column] for r in rows],
                metric_label(metric, lang))
    return Breakdown(key, title, Table(header, rows, (1, 2, 3), widths=(3.4, 1.4, 1.5, 1.4)), bars)
