"""The parts of a briefing after the charts: a region's comparison with the median, its districts and largest
events, and the note on the data (completeness, what the window leaves out, the batches used)."""
from __future__ import annotations

import pandas as pd

from prevention import texts
from prevention.output.briefing import words
from prevention.output.briefing.figures_of import Figures
from prevention.output.briefing.model import DataNote, RegionDetails, Table
from prevention.texts import periods as period_texts

DISTRICTS_TOP = 25
BATCHES_SHOWN = 30
COUNTS = ("events", "participants", "students")
t = words.t


def region_details(figs: Figures, lang: str) -> RegionDetails:
    name = words.region(figs.region_code, lang)
    return RegionDetails(
        code=figs.region_code, name=name,
        median_title=t("h.vs_median", lang, region=name), median=median_table(figs.median, name, lang),
        districts_title=t("h.districts", lang), districts=district_table(figs.districts, lang),
        largest_title=t("h.largest", lang), largest=largest_table(figs.largest, lang),
        largest_note=t("largest_note", lang),
    )


def median_table(median: pd.DataFrame, name: str, lang: str) -> Table:
    """queries.region_vs_median as the Region page's cards: the region, the median of the 20 regions, the
    difference in per cent of the median."""
    rows = []
    for row in median.itertuples():
        digits = 1 if row.metric == "students_per_event" else 0
        rows.append([t(f"kpi.{row.metric}", lang), words.number(row.region_value, lang, digits),
                     words.number(row.national_median, lang, digits),
                     words.change(row.region_value, row.national_median, lang, digits=0)])
    header = [t("kpi.indicator", lang), name, t("col.median", lang), t("col.to_median", lang)]
    return Table(header, rows, (1, 2, 3), widths=(3.0, 1.6, 1.6, 1.6))


def district_table(districts: pd.DataFrame, lang: str) -> Table:
    """queries.by_district of the region, in its order (most events first); beyond DISTRICTS_TOP the rest summed."""
    head, rest = districts.iloc[:DISTRICTS_TOP], districts.iloc[DISTRICTS_TOP:]
    rows = [[words.free_text(r.district, lang)] + [words.number(getattr(r, c), lang) for c in COUNTS]
            for r in head.itertuples()]
    if len(rest):
        rows.append([t("others", lang, count=words.number(len(rest), lang))]
                    + [words.number(rest[c].sum(), lang) for c in COUNTS])
    header = [t("col.district", lang), t("col.events", lang), t("col.participants", lang), t("col.students", lang)]
    return Table(header, rows, (1, 2, 3), widths=(3.4, 1.4, 1.5, 1.4))


def largest_table(largest: pd.DataFrame, lang: str) -> Table:
    """The region's largest events: date, district, venue, form, audience, people reached."""
    rows = [[words.day(r.period_start, lang), words.free_text(r.district, lang), words.free_text(r.venue, lang),
             words.vocab("event_type", r.event_type, lang), words.vocab("audience", r.audience, lang),
             words.number(r.participants, lang)]
            for r in largest.itertuples()]
    header = [t("col.date", lang), t("col.district", lang), t("col.venue", lang), t("col.event_type", lang),
              t("col.audience", lang), t("col.participants", lang)]
    return Table(header, rows, (5,), widths=(1.3, 1.8, 2.4, 1.4, 1.5, 1.1))


def data_note(figs: Figures, lang: str) -> DataNote:
    """Completeness, what the window leaves out, the counting rule and the batches (files) the figures come from."""
    lines = [t("note.rule", lang)]
    c = figs.completeness
    if c.get("cells"):
        lines.append(t("note.completeness", lang, complete=words.number(c["complete_regions"], lang),
                       regions=words.number(c["regions"], lang), months=words.number(c["months"], lang),
                       gaps=words.number(c["gaps"], lang), silent=words.number(c["silent_regions"], lang)))
    window = (figs.scope.date_from, figs.scope.date_to)
    left = [line for line in (period_texts.window_note(figs.left_out, window, lang),
                              period_texts.breakdown_note(figs.left_out, lang)) if line]
    if left and figs.left_out_files:
        left[-1] += " " + t("note.files", lang, files=", ".join(figs.left_out_files))
    lines += left
    if not left and not figs.empty:
        lines.append(t("note.all_counted", lang))
    return DataNote(t("h.note", lang), lines, t("h.batches", lang), batch_table(figs.batches, lang))


def batch_table(batches: pd.DataFrame, lang: str) -> Table | None:
    """The batches behind the figures: number, file name, when loaded, rows loaded (the newest BATCHES_SHOWN)."""
    if batches.empty:
        return None
    shown = batches.sort_values("batch_id", ascending=False).iloc[:BATCHES_SHOWN].sort_values("batch_id")
    rows = [[str(int(r.batch_id)), str(r.file_name), texts.formats.date_time(r.loaded_at, lang),
             words.number(r.rows_loaded, lang)] for r in shown.itertuples()]
    total = None
    if len(batches) > len(shown):
        total = ["", t("more_batches", lang, count=words.number(len(batches) - len(shown), lang)), "", ""]
    header = [t("col.batch", lang), t("col.file", lang), t("col.loaded_at", lang), t("col.rows", lang)]
    return Table(header, rows, (3,), total, widths=(0.8, 4.0, 2.2, 1.2))
