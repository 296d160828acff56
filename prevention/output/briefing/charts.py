"""The briefing's charts as PNG images (about 150 dpi), drawn by matplotlib without a browser and without the
network, shared by the DOCX and the PDF: the map of the 20 regions from the committed shapes (output.geo), the
trend as bars with the anti-drug month shaded, breakdowns as horizontal bars.

Only matplotlib's object interface (Figure, no pyplot): no process-wide state, safe in the server's threads. The
default font, DejaVu Sans, has every Kazakh letter."""
from __future__ import annotations

import calendar
import io
import math
import textwrap
from datetime import date

from matplotlib import colormaps
from matplotlib.cm import ScalarMappable
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.patches import Patch, PathPatch
from matplotlib.path import Path
from matplotlib.ticker import FuncFormatter, MaxNLocator

from prevention.output import geo
from prevention.output.briefing import words
from prevention.output.briefing.model import Bars, MapData, Trend

DPI = 150
WIDTH = 7.0  # inches: the text width of an A4 page, so the image is printed at about its own size
ACCENT = "#1f5f8b"
HIGHLIGHT = "#d1495b"
NO_DATA = "#e3e3e3"
BAND = (209 / 255, 73 / 255, 91 / 255, 0.14)
SCALE = "YlGnBu"
FONT = 8.5
ASPECT = 1 / math.cos(math.radians(48.0))  # degrees of longitude shorter than latitude at Kazakhstan's centre


def _png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, bbox_inches="tight", pad_inches=0.05, facecolor="white")
    return buffer.getvalue()


def _formatter(lang: str, digits: int = 0) -> FuncFormatter:
    return FuncFormatter(lambda value, _: words.number(value, lang, digits))


def _region_path(geometry: dict) -> Path:
    """All rings of a (Multi)Polygon as one path: holes cut out by the even-odd rule of PathPatch."""
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    vertices, codes = [], []
    for polygon in polygons:
        for ring in polygon:
            vertices.extend((x, y) for x, y in ring)
            codes.extend([Path.MOVETO] + [Path.LINETO] * (len(ring) - 2) + [Path.CLOSEPOLY])
    return Path(vertices, codes)


def _colour_range(values: dict[str, float | None]) -> tuple[float, float]:
    """As the page's map: from the lowest to the highest value present (zero up when all are equal)."""
    present = [v for v in values.values() if v is not None and v > 0]
    if not present:
        return 0.0, 1.0
    low, high = min(present), max(present)
    return (low, high) if high > low else (0.0, high)


def map_png(data: MapData, lang: str) -> bytes:
    """The 20 regions coloured by the metric, grey where zero or unknown, the chosen ones outlined; a colour bar
    with the metric's name and a «нет данных» key."""
    fig = Figure(figsize=(WIDTH, 3.6))
    ax = fig.add_axes((0.0, 0.0, 0.84, 1.0))
    norm, cmap = Normalize(*_colour_range(data.values)), colormaps[SCALE]
    for selected_pass in (False, True):  # outlines of the chosen regions on top of their neighbours
        for feature in geo.regions_geojson()["features"]:
            code = feature["id"]
            if (code in data.selected) != selected_pass:
                continue
            value = data.values.get(code)
            face = cmap(norm(value)) if value is not None and value > 0 else NO_DATA
            ax.add_patch(PathPatch(_region_path(feature["geometry"]), facecolor=face,
                                   edgecolor=HIGHLIGHT if selected_pass else "white",
                                   linewidth=1.6 if selected_pass else 0.6, zorder=2 if selected_pass else 1))
    ax.autoscale_view()
    ax.set_aspect(ASPECT)
    ax.set_axis_off()
    ax.legend(handles=[Patch(facecolor=NO_DATA, edgecolor="#bbbbbb", label=data.no_data)], loc="lower left",
              frameon=False, fontsize=FONT)
    bar = fig.colorbar(ScalarMappable(norm=norm, cmap=cmap), cax=fig.add_axes((0.87, 0.12, 0.022, 0.76)))
    low, high = norm.vmin, norm.vmax
    bar.ax.yaxis.set_major_formatter(_formatter(lang, 0 if data.integral or high - low >= 10 else 1))
    bar.ax.yaxis.set_major_locator(MaxNLocator(5, integer=data.integral))
    bar.ax.tick_params(labelsize=FONT)
    bar.set_label(data.label, fontsize=FONT)
    return _png(fig)


def _band(starts: list[date]) -> list[tuple[float, float]]:
    """The anti-drug month (26 May – 26 June) in bar positions of a monthly axis, for every year shown."""
    index = {(d.year, d.month): i for i, d in enumerate(starts)}
    spans = []
    for year in sorted({d.year for d in starts}):
        may, june = index.get((year, 5)), index.get((year, 6))
        if may is None and june is None:
            continue
        left = may - 0.5 + 25 / 31 if may is not None else june - 0.5
        right = june - 0.5 + 26 / calendar.monthrange(year, 6)[1] if june is not None else may + 0.5
        spans.append((left, right))
    return spans


def trend_png(trend: Trend, lang: str) -> bytes:
    """Bars per month (or quarter, year) with their values, the anti-drug month shaded on a monthly axis."""
    fig = Figure(figsize=(WIDTH, 2.7))
    ax = fig.add_subplot()
    positions = list(range(len(trend.values)))
    ax.bar(positions, trend.values, width=0.75, color=ACCENT, zorder=2)
    if trend.unit == "month":
        for index, (left, right) in enumerate(_band(trend.starts)):
            ax.axvspan(left, right, color=BAND, lw=0, zorder=1, label=trend.band_label if index == 0 else None)
        if ax.get_legend_handles_labels()[0]:  # above the plot, clear of the bars and their values
            ax.legend(loc="lower left", bbox_to_anchor=(0.0, 1.0), frameon=False, fontsize=FONT, borderaxespad=0.2)
    step = max(1, math.ceil(len(positions) / 14))
    slanted = len(positions) > 6
    ax.set_xticks(positions[::step], trend.labels[::step], fontsize=FONT, rotation=45 if slanted else 0,
                  ha="right" if slanted else "center")
    ax.set_xlim(-0.6, len(positions) - 0.4)
    ax.set_ylim(0, max(trend.values + [1]) * 1.15)
    _bar_values(fig, ax, positions, trend.values, lang)
    ax.yaxis.set_major_formatter(_formatter(lang))
    ax.yaxis.set_major_locator(MaxNLocator(5, integer=True))
    ax.set_ylabel(trend.axis, fontsize=FONT)
    ax.tick_params(axis="y", labelsize=FONT)
    ax.grid(axis="y", color="#dddddd", lw=0.6, zorder=0)
    ax.spines[["top", "right"]].set_visible(False)
    return _png(fig)


def _bar_values(fig: Figure, ax, positions: list[int], values: list[int], lang: str) -> None:
    """Each bar's value: above it when the text fits the bar's width, else upright inside the bar (above a short
    one); none at all beyond 24 bars. An empty month stays empty, as on the page."""
    if not positions or len(positions) > 24:
        return
    texts = [words.number(v, lang) for v in values]
    size = FONT - 1
    bar_points = fig.get_figwidth() * 72 * ax.get_position().width * 0.75 / len(positions)
    upright = max(len(text) for text in texts) * size * 0.62 > bar_points
    top = max(values + [1])
    for x, value, text in zip(positions, values, texts):
        if value == 0:
            continue
        if not upright:
            ax.annotate(text, (x, value), xytext=(0, 2), textcoords="offset points", ha="center", va="bottom",
                        fontsize=size)
        elif value >= 0.35 * top:
            ax.annotate(text, (x, value), xytext=(0, -3), textcoords="offset points", ha="center", va="top",
                        rotation=90, fontsize=size, color="white")
        else:
            ax.annotate(text, (x, value), xytext=(0, 2), textcoords="offset points", ha="center", va="bottom",
                        rotation=90, fontsize=size)


def bars_png(bars: Bars, lang: str) -> bytes:
    """Horizontal bars, the largest on top, each with its value; long labels wrapped."""
    count = len(bars.values)
    fig = Figure(figsize=(WIDTH, 0.6 + 0.27 * max(count, 2)))
    ax = fig.add_subplot()
    positions = list(range(count))[::-1]
    ax.barh(positions, bars.values, height=0.65, color=ACCENT, zorder=2)
    ax.set_yticks(positions, [textwrap.shorten(label, 60, placeholder="…") for label in bars.labels], fontsize=FONT)
    top = max(bars.values + [1.0])
    for y, value, text in zip(positions, bars.values, bars.texts):
        ax.annotate(text, (value, y), xytext=(3, 0), textcoords="offset points", va="center", fontsize=FONT - 0.5)
    ax.set_xlim(0, top * 1.15)
    ax.set_ylim(-0.6, count - 0.4)
    ax.xaxis.set_major_formatter(_formatter(lang))
    ax.xaxis.set_major_locator(MaxNLocator(5, integer=True))
    ax.set_xlabel(bars.axis, fontsize=FONT)
    ax.tick_params(axis="x", labelsize=FONT)
    ax.grid(axis="x", color="#dddddd", lw=0.6, zorder=0)
    ax.spines[["top", "right"]].set_visible(False)
    return _png(fig)
