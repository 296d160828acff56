"""The briefing as an ordered list of blocks (headings, paragraphs, tables, images) that both writers walk, so
the DOCX and the PDF hold the same content in the same order. The charts are drawn here, once."""
from __future__ import annotations

from dataclasses import dataclass

from prevention.output.briefing import charts
from prevention.output.briefing.model import Briefing, Table


@dataclass(frozen=True)
class Heading:
    text: str
    level: int  # 0 the title, 1 a section, 2 a subsection


@dataclass(frozen=True)
class Para:
    text: str
    kind: str = "body"  # "body", "subtitle" (the lines under the title), "note" (smaller), "empty" (no data)


@dataclass(frozen=True)
class TableBlock:
    table: Table


@dataclass(frozen=True)
class Image:
    png: bytes
    width: float  # share of the text width
    alt: str


Block = Heading | Para | TableBlock | Image


def blocks(b: Briefing) -> list[Block]:
    """Title block, then (unless the window is empty) key figures, map, regions, trend, breakdowns, the region's
    details, and the note on the data last."""
    out: list[Block] = [Heading(b.title, 0), *(Para(line, "subtitle") for line in b.lines)]
    if b.empty:
        out += [Para(b.empty_text, "empty"), Para(b.empty_hint)]
    else:
        out += _figures(b)
    if b.note is not None:
        out += [Heading(b.note.title, 1), *(Para(line, "note") for line in b.note.lines)]
        if b.note.batches is not None:
            out += [Heading(b.note.batches_title, 2), TableBlock(b.note.batches)]
    return out


def _figures(b: Briefing) -> list[Block]:
    header, rows = b.kpi_header, [[k.label, k.value] + ([k.previous, k.change] if len(b.kpi_header) > 2 else [])
                                  for k in b.kpis]
    kpis = Table(header, rows, tuple(range(1, len(header))), widths=(3.2,) + (1.9,) * (len(header) - 1))
    out: list[Block] = [Heading(b.kpi_title, 1), TableBlock(kpis)]
    if b.kpi_note:
        out.append(Para(b.kpi_note, "note"))
    if b.region is not None:
        out += [Heading(b.region.median_title, 2), TableBlock(b.region.median)]
    out += [Heading(b.map_title, 1), Image(charts.map_png(b.map, b.lang), 1.0, b.map_title), Para(b.map_note, "note"),
            Heading(b.regions_title, 1), TableBlock(b.regions), Para(b.regions_note, "note"),
            Heading(b.trend_title, 1), Image(charts.trend_png(b.trend, b.lang), 1.0, b.trend_title)]
    if b.trend.unit == "month":
        out.append(Para(b.trend_note, "note"))
    for part in b.breakdowns:
        out += [Heading(part.title, 1), Image(charts.bars_png(part.bars, b.lang), 0.9, part.title),
                TableBlock(part.table)]
    if b.region is not None:
        out += [Heading(b.region.districts_title, 1), TableBlock(b.region.districts),
                Heading(b.region.largest_title, 1),
                TableBlock(b.region.largest) if b.region.largest.rows else Para(b.map.no_data, "note"),
                Para(b.region.largest_note, "note")]
    return out
