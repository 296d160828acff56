"""The briefing as an editable Word document (python-docx): A4 portrait, real tables, named styles a clerk can
restyle, page numbers in the footer.

Styles: the title is «Title», sections «Heading 1» and «Heading 2» (Word shows them as «Заголовок 1/2» in Russian
and uses them for the navigation pane and a table of contents); the lines under the title, notes and table text
have paragraph styles of their own, and every table one table style (header row and total row formatted by the
style), all named in the briefing's language. Page numbers are PAGE and NUMPAGES fields, so Word keeps them right
after any edit."""
from __future__ import annotations

import io
import re

import docx as python_docx
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor

from prevention.output.briefing import words
from prevention.output.briefing.layout import (
    Block,
    Heading,
    Image,
    Para,
    TableBlock,
    blocks,
)
from prevention.output.briefing.model import Briefing, Table

FONT = "Times New Roman"
TEXT_WIDTH_CM = 17.0  # A4 (21 cm) minus margins of 2.5 and 1.5 cm
LANG_TAGS = {"ru": "ru-RU", "kk": "kk-KZ", "en": "en-GB"}
HEADER_FILL = "DCE6F0"
BLACK = RGBColor(0, 0, 0)


def write(b: Briefing, content: list[Block] | None = None) -> bytes:
    """The .docx bytes of a briefing (`content`: its layout.blocks, drawn once by the caller when both documents
    are written)."""
    document = python_docx.Document()
    _page(document)
    styles = _styles(document, b.lang)
    _footer(document, b)
    for block in blocks(b) if content is None else content:
        _block(document, block, styles)
    properties = document.core_properties
    properties.title, properties.author, properties.last_modified_by = b.title, "", ""
    properties.language, properties.comments = LANG_TAGS.get(b.lang, "ru-RU"), ""
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _page(document) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin, section.right_margin = Cm(2.5), Cm(1.5)
    section.top_margin, section.bottom_margin = Cm(2.0), Cm(2.0)
    section.footer_distance = Cm(1.0)


def _font(style, size: float, bold: bool | None = None, italic: bool | None = None, colour=BLACK) -> None:
    """A style's font: Times New Roman for every script (the theme fonts of the template removed)."""
    style.font.size, style.font.bold, style.font.italic = Pt(size), bold, italic
    style.font.color.rgb = colour
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attribute), None)
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), FONT)


def _spacing(style, before: float, after: float, keep_next: bool = False) -> None:
    fmt = style.paragraph_format
    fmt.space_before, fmt.space_after, fmt.keep_with_next = Pt(before), Pt(after), keep_next


def _paragraph_style(document, name: str, style_id: str, size: float, **font):
    style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.style_id = style_id  # the name is in the reader's language, the id plain ASCII
    style.base_style = document.styles["Normal"]
    style.quick_style = True
    _font(style, size, **font)
    return style


def _styles(document, lang: str) -> dict:
    """Normal, Title, Heading 1/2 restyled; the subtitle, note, table text and table styles added by name."""
    normal = document.styles["Normal"]
    _font(normal, 12)
    _spacing(normal, 0, 6)
    normal.element.get_or_add_rPr().append(parse_xml(f'<w:lang {nsdecls("w")} w:val="{LANG_TAGS.get(lang)}"/>'))
    title = document.styles["Title"]
    _font(title, 16, bold=True)
    _spacing(title, 0, 8)
    title_format = title.element.get_or_add_pPr()
    for rule in title_format.findall(qn("w:pBdr")):  # the template's coloured rule under the title
        title_format.remove(rule)
    for name, size, before in (("Heading 1", 14, 14), ("Heading 2", 12, 10)):
        _font(document.styles[name], size, bold=True)
        _spacing(document.styles[name], before, 6, keep_next=True)
    subtitle = _paragraph_style(document, words.t("style.subtitle", lang), "BriefingSubtitle", 11)
    _spacing(subtitle, 0, 2)
    note = _paragraph_style(document, words.t("style.note", lang), "BriefingNote", 10, italic=True,
                            colour=RGBColor(0x40, 0x40, 0x40))
    _spacing(note, 2, 6)
    cell = _paragraph_style(document, words.t("style.table_text", lang), "BriefingTableText", 10)
    _spacing(cell, 0, 0)
    return {"subtitle": subtitle.name, "note": note.name, "cell": cell.name, "table": _table_style(document, lang)}


def _table_style(document, lang: str) -> str:
    """A table style with a grid, a shaded bold header row and a bold total row."""
    style = document.styles.add_style(words.t("style.table", lang), WD_STYLE_TYPE.TABLE)
    style.style_id = "BriefingTable"
    style.base_style = document.styles["Table Grid"]
    style.quick_style = True
    _font(style, 10)
    for kind, fill in (("firstRow", HEADER_FILL), ("lastRow", None)):
        shading = f'<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="{fill}"/></w:tcPr>' if fill else ""
        style.element.append(parse_xml(
            f'<w:tblStylePr {nsdecls("w")} w:type="{kind}"><w:rPr><w:b/><w:bCs/></w:rPr>{shading}</w:tblStylePr>'))
    return style.name


def _footer(document, b: Briefing) -> None:
    """«Стр. N из M» (PAGE and NUMPAGES fields) on the right, under a small line with when it was made."""
    footer = document.sections[0].footer
    paragraph = footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for piece in re.split(r"(\{page\}|\{pages\})", b.page_label):
        if piece in ("{page}", "{pages}"):
            paragraph._p.append(_field("PAGE" if piece == "{page}" else "NUMPAGES"))
        elif piece:
            paragraph.add_run(piece)
    made = footer.add_paragraph(b.footer)
    made.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for p in (paragraph, made):
        for run in p.runs:
            run.font.size = Pt(8)


def _field(instruction: str):
    """A field Word computes (PAGE, NUMPAGES), showing «1» until it does."""
    return parse_xml(f'<w:fldSimple {nsdecls("w")} w:instr=" {instruction} "><w:r><w:rPr><w:sz w:val="16"/></w:rPr>'
                     '<w:t>1</w:t></w:r></w:fldSimple>')


def _block(document, block: Block, styles: dict) -> None:
    if isinstance(block, Heading):
        document.add_paragraph(block.text, style="Title" if block.level == 0 else f"Heading {block.level}")
    elif isinstance(block, Para):
        style = {"subtitle": styles["subtitle"], "note": styles["note"]}.get(block.kind)
        paragraph = document.add_paragraph(block.text, style=style)
        if block.kind == "empty":
            paragraph.runs[0].bold = True
    elif isinstance(block, Image):
        document.add_picture(io.BytesIO(block.png), width=Cm(TEXT_WIDTH_CM * block.width))
        picture = document.paragraphs[-1]
        picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
        picture.paragraph_format.keep_with_next = True
        _alt_text(picture, block.alt)
    elif isinstance(block, TableBlock):
        _table(document, block.table, styles)


def _alt_text(paragraph, text: str) -> None:
    for properties in paragraph._p.iter(qn("wp:docPr")):
        properties.set("descr", text)


def _table(document, table: Table, styles: dict) -> None:
    """A real Word table: header row repeated on every page, rows never split across pages, numbers right."""
    body = table.rows + ([table.total] if table.total else [])
    grid = document.add_table(rows=1 + len(body), cols=len(table.header), style=styles["table"])
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    _look(grid, total=bool(table.total))
    widths = _widths(table)
    for column, width in zip(grid.columns, widths):
        column.width = width  # the grid Word lays a fixed table out by
    for index, (row, values) in enumerate(zip(grid.rows, [table.header] + body)):
        _row_properties(row, header=index == 0)
        for column, (cell, value) in enumerate(zip(row.cells, values)):
            cell.width = widths[column]
            paragraph = cell.paragraphs[0]
            paragraph.style = styles["cell"]
            run = paragraph.add_run(value)
            if index == 0 or index - 1 in table.bold or (table.total and index == len(body)):
                run.bold = True
            if column in table.numeric and index > 0:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT


# Which parts of the table style apply (w:tblLook): the header row, the total row, no banding.
_LOOK_BITS = {"w:firstRow": 0x0020, "w:lastRow": 0x0040, "w:firstColumn": 0x0080, "w:lastColumn": 0x0100,
              "w:noHBand": 0x0200, "w:noVBand": 0x0400}


def _look(grid, total: bool) -> None:
    look = grid._tbl.tblPr.find(qn("w:tblLook"))
    if look is None:
        look = OxmlElement("w:tblLook")
        grid._tbl.tblPr.append(look)
    wanted = {"w:firstRow": True, "w:lastRow": total, "w:firstColumn": False, "w:lastColumn": False,
              "w:noHBand": True, "w:noVBand": True}
    for attribute, on in wanted.items():
        look.set(qn(attribute), "1" if on else "0")
    look.set(qn("w:val"), f"{sum(_LOOK_BITS[a] for a, on in wanted.items() if on):04X}")  # what Word 2007 reads


def _widths(table: Table) -> list:
    relative = table.widths or (1.0,) * len(table.header)
    total = sum(relative)
    return [Cm(TEXT_WIDTH_CM * w / total) for w in relative]


def _row_properties(row, header: bool) -> None:
    properties = row._tr.get_or_add_trPr()
    properties.append(OxmlElement("w:cantSplit"))
    if header:
        properties.append(OxmlElement("w:tblHeader"))
