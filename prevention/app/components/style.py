"""The few rules Streamlit's own styling lacks, as one stylesheet every page gets: KPI cards whose labels wrap
instead of being cut with «…» (five cards at 1366 px, Kazakh labels at 1500 px), whose values shrink on narrow
cards instead of being clipped, and which are as tall as the tallest of their row; the file uploader's own words
(«Upload», «25MB per file • XLSX…») and the empty date fields' «dd.mm.yyyy», which Streamlit writes in English
whatever the page's language, replaced by the interface language's (the field keeps its width: the English
placeholder is hidden, not removed)."""
import json

import streamlit as st

from prevention.app.session.i18n import tr

CSS = """
[data-testid="stMetricLabel"], [data-testid="stMetricLabel"] * {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
  overflow-wrap: anywhere; height: auto !important;
}
[data-testid="stMetricValue"], [data-testid="stMetricValue"] * {
  white-space: nowrap; overflow: visible !important; text-overflow: clip !important;
}
[data-testid="stMetricValue"] { font-size: clamp(1.5rem, 2.3vw, 2.25rem); }
[data-testid="stColumn"] > [data-testid="stVerticalBlock"] > [data-testid="stElementContainer"]:only-child:has(
  > [data-testid="stMetric"]) { flex-grow: 1; }
[data-testid="stColumn"] [data-testid="stElementContainer"]:only-child > [data-testid="stMetric"] { height: 100%; }
[data-testid="stMetric"] :not([data-testid="stMetricValue"], [data-testid="stMetricValue"] *),
[data-testid="stMetricDelta"], [data-testid="stMetricDelta"] * {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
}
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p { font-size: 0; }
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p::after {
  content: BUTTON; font-size: 0.875rem;
}
[data-testid="stDateInputField"] [data-placeholder="true"]:is([data-type="day"], [data-type="month"],
[data-type="year"]) { visibility: hidden; position: relative; }
[data-testid="stDateInputField"] [data-placeholder="true"]:is([data-type="day"], [data-type="month"],
[data-type="year"])::after { visibility: visible; position: absolute; left: 0; right: 0; text-align: center; }
[data-testid="stDateInputField"] [data-placeholder="true"][data-type="day"]::after { content: DAY; }
[data-testid="stDateInputField"] [data-placeholder="true"][data-type="month"]::after { content: MONTH; }
[data-testid="stDateInputField"] [data-placeholder="true"][data-type="year"]::after { content: YEAR; }
[data-testid="stFileUploaderDropzoneInstructions"] span { font-size: 0; }
[data-testid="stFileUploaderDropzoneInstructions"] span::after { content: HINT; font-size: 0.875rem; }
"""


SHEET = "<style>{css}</style>"


def _css_string(text: str) -> str:
    """A CSS string literal (JSON's escapes of quotes and backslashes are CSS's too)."""
    return json.dumps(text, ensure_ascii=False)


def apply() -> None:
    """Add the stylesheet to this run's page (it takes no room)."""
    limit = st.get_option("server.maxUploadSize")
    words = {"BUTTON": tr("uploader.button"), "HINT": tr("uploader.hint", limit=limit),
             "DAY": tr("date.placeholder.day"), "MONTH": tr("date.placeholder.month"),
             "YEAR": tr("date.placeholder.year")}
    css = CSS
    for name, text in words.items():
        css = css.replace(name, _css_string(text))
    st.html(SHEET.format(css=css))
