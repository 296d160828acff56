"""A briefing for a meeting («справка»): the view on screen as an editable Word document and a PDF, in Russian,
Kazakh or English. No Streamlit here.

    figures = gather(con, filters, region_code)      # the pages' own queries (figures_of.py, the one adapter)
    briefing = compose(figures, "kk", metric)          # every text and number formatted once (model.Briefing)
    docx_bytes(briefing), pdf_bytes(briefing)          # two writers of the same blocks (layout.py)
"""
from __future__ import annotations

from datetime import datetime

import duckdb

from prevention.output.briefing.compose import compose
from prevention.output.briefing.figures_of import Figures, gather
from prevention.output.briefing.model import Briefing
from prevention.output.briefing.names import file_name
from prevention.queries.filters import Filters

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF_MIME = "application/pdf"

__all__ = [
    "DOCX_MIME",
    "PDF_MIME",
    "Briefing",
    "Figures",
    "build",
    "compose",
    "documents",
    "docx_bytes",
    "file_name",
    "gather",
    "pdf_bytes",
]


def build(con: duckdb.DuckDBPyConnection, f: Filters, lang: str, region_code: str | None = None,
          metric: str = "participants", now: datetime | None = None) -> Briefing:
    """The briefing of the Overview page (no region) or of one region's page, for the filters `f`, in `lang`."""
    return compose(gather(con, f, region_code), lang, metric, now)


# The writers (python-docx, fpdf2, matplotlib: 1.5 s of imports) are imported when a file is asked for, not with the
# page that draws the buttons: the server's first Overview does not wait for them.

def docx_bytes(b: Briefing) -> bytes:
    from prevention.output.briefing import docx as docx_writer

    return docx_writer.write(b)


def pdf_bytes(b: Briefing) -> bytes:
    from prevention.output.briefing import pdf as pdf_writer

    return pdf_writer.write(b)


def documents(b: Briefing) -> tuple[bytes, bytes]:
    """Both files, the charts drawn once: (docx, pdf)."""
    from prevention.output.briefing import docx as docx_writer
    from prevention.output.briefing import pdf as pdf_writer
    from prevention.output.briefing.layout import blocks

    content = blocks(b)
    return docx_writer.write(b, content), pdf_writer.write(b, content)
