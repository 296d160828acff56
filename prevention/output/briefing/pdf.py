"""The briefing as a PDF (fpdf2), the same blocks as the Word document: A4 portrait, DejaVu Sans (matplotlib's copy,
which has every Kazakh letter) embedded as a subset, tables with their header repeated on each page, «Стр. N из M»
in the footer."""
from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

import matplotlib
from fpdf import FPDF
from fpdf.fonts import FontFace

from prevention.output.briefing.layout import (
    Block,
    Heading,
    Image,
    Para,
    TableBlock,
    blocks,
)
from prevention.output.briefing.model import Briefing, Table

FAMILY = "DejaVu"
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 20.0, 15.0, 15.0, 18.0
HEADER_FILL = (220, 230, 240)
GREY = (64, 64, 64)
SIZES = {0: 15.0, 1: 12.5, 2: 11.0}
NOTE_SPACE = 10.0  # mm a one- or two-line note takes
HEADING_SPACE = 14.0  # mm a heading takes; it starts a new page unless the start of what follows fits under it


@lru_cache(maxsize=1)
def fonts() -> dict[str, Path]:
    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    return {"": folder / "DejaVuSans.ttf", "B": folder / "DejaVuSans-Bold.ttf", "I": folder / "DejaVuSans-Oblique.ttf"}


class _Document(FPDF):
    def __init__(self, b: Briefing) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.briefing = b
        for style, path in fonts().items():
            self.add_font(FAMILY, style, str(path))
        self.set_margins(MARGIN_LEFT, MARGIN_TOP, MARGIN_RIGHT)
        self.set_auto_page_break(True, MARGIN_BOTTOM)
        self.set_title(b.title)
        self.set_lang(b.lang)
        self.set_creator("prevention dashboard")
        self.set_author("")

    def footer(self) -> None:
        self.set_y(-13)
        self.set_font(FAMILY, "", 7.5)
        self.set_text_color(*GREY)
        label = self.briefing.page_label.format(page=self.page_no(), pages=self.str_alias_nb_pages)
        self.cell(self.epw * 0.7, 4, self.briefing.footer, align="L")
        self.cell(self.epw * 0.3, 4, label, align="R")
        self.set_text_color(0, 0, 0)

    def space_left(self) -> float:
        return self.h - self.b_margin - self.get_y()


def write(b: Briefing, content: list[Block] | None = None) -> bytes:
    """The .pdf bytes of a briefing (`content`: its layout.blocks, when the caller has drawn them already)."""
    pdf = _Document(b)
    pdf.add_page()
    content = blocks(b) if content is None else content
    for index, block in enumerate(content):
        following = content[index + 1] if index + 1 < len(content) else None
        if pdf.space_left() < _kept_together(pdf, block, following):
            pdf.add_page()
        _block(pdf, block)
    return bytes(pdf.output())


def _kept_together(pdf: _Document, block: Block, following: Block | None) -> float:
    """The room a block needs with the start of the next: a heading with what it introduces, a chart with its
    note (0 when the block may simply flow)."""
    if isinstance(block, Heading) and block.level > 0:
        return HEADING_SPACE + _start_height(pdf, following)
    if isinstance(block, Image) and isinstance(following, Para):
        return _image_height(pdf, block) + NOTE_SPACE
    return 0.0


def _image_height(pdf: _Document, block: Image) -> float:
    from PIL import Image as PILImage

    with PILImage.open(io.BytesIO(block.png)) as picture:
        return pdf.epw * block.width * picture.height / picture.width


def _start_height(pdf: _Document, block: Block | None) -> float:
    """How much of a block must fit under its heading: a whole image, a table's header and first rows, a line."""
    if isinstance(block, Image):
        return _image_height(pdf, block)
    if isinstance(block, TableBlock):
        return 8.0 + 4.5 * min(len(block.table.rows), 3)
    return 8.0 if block is not None else 0.0


def _block(pdf: _Document, block: Block) -> None:
    if isinstance(block, Heading):
        _heading(pdf, block)
    elif isinstance(block, Para):
        _paragraph(pdf, block)
    elif isinstance(block, Image):
        _image(pdf, block)
    elif isinstance(block, TableBlock):
        _table(pdf, block.table)


def _heading(pdf: _Document, block: Heading) -> None:
    pdf.set_font(FAMILY, "B", SIZES[block.level])
    pdf.ln(5 if block.level == 1 else 3 if block.level == 2 else 0)
    pdf.multi_cell(0, SIZES[block.level] * 0.5, block.text, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2 if block.level else 3)


def _paragraph(pdf: _Document, block: Para) -> None:
    style, size, colour = {"subtitle": ("", 10.0, (0, 0, 0)), "note": ("I", 8.5, GREY),
                           "empty": ("B", 12.0, (0, 0, 0))}.get(block.kind, ("", 10.0, (0, 0, 0)))
    if block.kind == "empty":
        pdf.ln(6)
    pdf.set_font(FAMILY, style, size)
    pdf.set_text_color(*colour)
    pdf.multi_cell(0, size * 0.48, block.text, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    pdf.ln(1.5 if block.kind == "subtitle" else 2.5)


def _image(pdf: _Document, block: Image) -> None:
    width = pdf.epw * block.width
    height = _image_height(pdf, block)
    if pdf.space_left() < height:
        pdf.add_page()
    pdf.image(io.BytesIO(block.png), x=pdf.l_margin + (pdf.epw - width) / 2, w=width, h=height, alt_text=block.alt)
    pdf.ln(1)


def _table(pdf: _Document, table: Table) -> None:
    """A table across the text width, the header shaded and repeated after a page break, numbers right."""
    columns = len(table.header)
    align = tuple("RIGHT" if c in table.numeric else "LEFT" for c in range(columns))
    pdf.set_font(FAMILY, "", 8.5)
    bold = FontFace(emphasis="BOLD")
    with pdf.table(col_widths=table.widths or (1,) * columns, text_align=align, line_height=4.3,
                   headings_style=FontFace(emphasis="BOLD", size_pt=7.5, fill_color=HEADER_FILL), repeat_headings=1,
                   padding=(0.8, 1.2), width=pdf.epw, align="LEFT", first_row_as_headings=True) as grid:
        header = grid.row()
        for text in table.header:
            header.cell(text, align="CENTER")
        for index, values in enumerate(table.rows):
            row = grid.row()
            for text in values:
                row.cell(text, style=bold if index in table.bold else None)
        if table.total:
            row = grid.row()
            for text in table.total:
                row.cell(text, style=bold)
    pdf.ln(2)
