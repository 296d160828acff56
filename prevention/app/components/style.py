"""The few rules Streamlit's own styling lacks, as one stylesheet every page gets: KPI cards whose labels wrap
instead of being cut with «…» (five cards at 1366 px, Kazakh labels at 1500 px) and whose values shrink on narrow
cards instead of being clipped; the file uploader's own words («Upload», «25MB per file • XLSX…»), which Streamlit
writes in English whatever the page's language, replaced by the interface language's."""
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
[data-testid="stMetric"] :not([data-testid="stMetricValue"], [data-testid="stMetricValue"] *),
[data-testid="stMetricDelta"], [data-testid="stMetricDelta"] * {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
}
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p { font-size: 0; }
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p::after {
  content: BUTTON; font-size: 0.875rem;
}
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
    css = CSS.replace("BUTTON", _css_string(tr("uploader.button"))).replace(
        "HINT", _css_string(tr("uploader.hint", limit=limit)))
    st.html(SHEET.format(css=css))
