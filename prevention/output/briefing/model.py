"""The content of a briefing, built once and written twice (DOCX and PDF): every text already in the reader's
language and every number already formatted, so both documents say exactly the same thing. Chart data keeps the
numbers (charts.py draws them) beside their formatted labels."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Table:
    """A real table: a header row, body rows of text, an optional total row. `numeric` columns are aligned right;
    `bold` rows (the chosen regions) are emphasised; `widths` are relative column widths."""
    header: list[str]
    rows: list[list[str]]
    numeric: tuple[int, ...] = ()
    total: list[str] | None = None
    bold: tuple[int, ...] = ()
    widths: tuple[float, ...] | None = None


@dataclass(frozen=True)
class KpiRow:
    key: str
    label: str
    value: str
    previous: str | None
    change: str | None


@dataclass(frozen=True)
class Bars:
    """A horizontal bar chart: labels top to bottom, values, and the values as the document writes them."""
    title: str
    labels: list[str]
    values: list[float]
    texts: list[str]
    axis: str


@dataclass(frozen=True)
class MapData:
    """The 20 regions coloured by one metric: ISO code -> value (None or 0 drawn grey)."""
    metric: str
    label: str
    values: dict[str, float | None]
    selected: tuple[str, ...]
    no_data: str
    integral: bool


@dataclass(frozen=True)
class Trend:
    """Totals per unit of time (a month today), the anti-drug month shaded in every year shown."""
    unit: str
    starts: list[date]
    labels: list[str]
    values: list[int]
    axis: str
    band_label: str


@dataclass(frozen=True)
class Breakdown:
    key: str
    title: str
    table: Table
    bars: Bars


@dataclass(frozen=True)
class RegionDetails:
    code: str
    name: str
    median_title: str
    median: Table
    districts_title: str
    districts: Table
    largest_title: str
    largest: Table
    largest_note: str


@dataclass(frozen=True)
class DataNote:
    title: str
    lines: list[str]
    batches_title: str
    batches: Table | None


@dataclass
class Briefing:
    """One briefing: its title block, then the sections in order. `empty` when nothing in the window counts: then
    only the title block, `empty_text` and the data note are written, and no chart is drawn."""
    lang: str
    title: str
    lines: list[str]
    empty: bool
    empty_text: str
    empty_hint: str
    kpi_title: str
    kpi_header: list[str]
    kpis: list[KpiRow]
    kpi_note: str
    map_title: str
    map: MapData | None
    map_note: str
    regions_title: str
    regions: Table | None
    regions_note: str
    trend_title: str
    trend: Trend | None
    trend_note: str
    breakdowns: list[Breakdown] = field(default_factory=list)
    region: RegionDetails | None = None
    note: DataNote | None = None
    footer: str = ""
    page_label: str = "{page} / {pages}"
    file_stem: str = "briefing"
