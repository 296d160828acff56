"""The «Справка» buttons of the Overview and Region pages: the view as a Word document and a PDF for a meeting,
in the interface language, built only when clicked (deferred data, as the table's downloads), while the button
shows its spinner. The account may be demoted or signed out between drawing and clicking: the right to read is
checked again when the file is built; each file goes to the audit log as an export."""
from __future__ import annotations

from dataclasses import asdict
from functools import partial

import streamlit as st

from prevention.app.session import auth, state
from prevention.app.session.i18n import lang, tr
from prevention.output import briefing
from prevention.queries.filters import Filters
from prevention.usecases.rights import Actor, require

MIMES = {"docx": briefing.DOCX_MIME, "pdf": briefing.PDF_MIME}
ICONS = {"docx": ":material/description:", "pdf": ":material/picture_as_pdf:"}


def document(kind: str, f: Filters, region_code: str | None, metric: str, language: str, actor: Actor) -> bytes:
    """The briefing file, if the account may still read now; audited with the filters and the actor captured when
    the button was drawn (the file is built outside the script run, where session state is not at hand)."""
    con = state.connection()
    require(con, actor, "viewer")  # Forbidden: no file, nothing audited
    content = briefing.build(con, f, language, region_code, metric)
    data = briefing.docx_bytes(content) if kind == "docx" else briefing.pdf_bytes(content)
    auth.audit("export", actor=actor.username, format=f"briefing-{kind}", filters=asdict(f), region=region_code,
               language=language, metric=metric, file=briefing.file_name(f, region_code, language, kind),
               empty=content.empty)
    return data


def briefing_buttons(data: state.Data, f: Filters, region_code: str | None = None,
                     metric: str = "participants") -> None:
    """Two buttons, Word and PDF, for the current filters and language (and the region of the Region page)."""
    if data.is_empty():
        return
    actor, language = auth.actor(), lang()
    word, pdf, note = st.columns([1, 1, 3], vertical_alignment="center")
    for column, kind in ((word, "docx"), (pdf, "pdf")):
        column.download_button(
            tr(f"briefing.button.{kind}"), data=partial(document, kind, f, region_code, metric, language, actor),
            file_name=briefing.file_name(f, region_code, language, kind), mime=MIMES[kind], icon=ICONS[kind],
            key=f"briefing_{kind}", on_click="ignore", width="stretch", help=tr("briefing.button.help"))
    note.caption(tr("briefing.building"))
