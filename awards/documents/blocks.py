"""The building blocks of the documents: page, paragraphs, tables, masthead, signatures."""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterable

from django.utils.text import slugify
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from awards.models import Nomination
from awards.selectors.catalogue import guiding_decree_on
from config.text import xml_safe

FONT = "Times New Roman"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def file_slug(text: str) -> str:
    """A file name part from Vietnamese text: "123/QĐ-BCT" → "123-qd-bct"."""
    return slugify(text.replace("Đ", "D").replace("đ", "d").replace("/", "-")) or "tai-lieu"


# --- Building blocks ---------------------------------------------------------------------------


def font_everywhere(element, size: int | None = None) -> None:
    """Times New Roman in the four slots of w:rFonts of a style or a run."""
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), FONT)
    if size is not None:
        for tag in ("w:sz", "w:szCs"):
            node = rpr.find(qn(tag))
            if node is None:
                node = OxmlElement(tag)
                rpr.append(node)
            node.set(qn("w:val"), str(size * 2))


def new_document(*, landscape: bool = False) -> Document:
    document = Document()
    section = document.sections[0]
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    # The margins of the government's rules on administrative documents (NĐ 30/2020).
    section.top_margin = section.bottom_margin = Cm(2)
    section.left_margin = Cm(3)
    section.right_margin = Cm(1.5)
    for name in ("Normal", "Table Grid"):
        style = document.styles[name]
        font_everywhere(style.element, size=13)
        style.font.name = FONT
        style.font.size = Pt(13)
    document.styles["Normal"].paragraph_format.space_after = Pt(4)
    return document


def add_paragraph(
    container,
    text: str = "",
    *,
    bold: bool = False,
    italic: bool = False,
    underline: bool = False,
    align=None,
    size: int | None = None,
):
    paragraph = container.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    text = xml_safe(text)
    for index, line in enumerate(text.split("\n")):
        run = paragraph.add_run(line)
        run.bold, run.italic, run.underline = bold, italic, underline
        font_everywhere(run._element, size=size)
        if index < len(text.split("\n")) - 1:
            run.add_break(WD_BREAK.LINE)
    return paragraph


def fill_cell(cell, text: str, *, bold: bool = False, italic: bool = False, align=None) -> None:
    cell.text = ""
    paragraph = cell.paragraphs[0]
    if align is not None:
        paragraph.alignment = align
    run = paragraph.add_run(xml_safe(text))
    run.bold, run.italic = bold, italic
    font_everywhere(run._element)


def no_borders(table) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        node = OxmlElement(f"w:{edge}")
        node.set(qn("w:val"), "nil")
        borders.append(node)
    table._tbl.tblPr.append(borders)


def vi_day(day: datetime.date) -> str:
    return _("Hanoi, day %(day)s month %(month)s year %(year)s") % {
        "day": f"{day.day:02d}",
        "month": f"{day.month:02d}",
        "year": day.year,
    }


def masthead(document, *, issuer_lines: list[str], number: str, day: datetime.date) -> None:
    """The two columns that open every administrative document: the issuing body and its
    number on the left, the national name and motto and the place and date on the right."""
    table = document.add_table(rows=1, cols=2)
    no_borders(table)
    left, right = table.rows[0].cells
    left.text = right.text = ""
    centre = WD_ALIGN_PARAGRAPH.CENTER
    for index, line in enumerate(issuer_lines):
        add_paragraph(left, line, bold=index == len(issuer_lines) - 1, align=centre, size=12)
    add_paragraph(left, number, align=centre, size=12)
    add_paragraph(right, _("SOCIALIST REPUBLIC OF VIETNAM"), bold=True, align=centre, size=12)
    add_paragraph(
        right, _("Independence - Freedom - Happiness"), bold=True, underline=True, align=centre
    )
    add_paragraph(right, vi_day(day), italic=True, align=centre)
    for cell in (left, right):
        first = cell.paragraphs[0]
        if not first.text:
            first._element.getparent().remove(first._element)
    add_paragraph(document)


def grid(document, headers: list[str], rows: Iterable[list[str]], widths: list[float]):
    table = document.add_table(rows=1, cols=len(headers))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        fill_cell(cell, header, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    for values in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, values, strict=True):
            fill_cell(cell, str(value))
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Cm(width)
    return table


def signatures(document, columns: list[tuple[str, str]]) -> None:
    """Signature blocks side by side: (title, name under the signature)."""
    add_paragraph(document)
    table = document.add_table(rows=1, cols=len(columns))
    no_borders(table)
    centre = WD_ALIGN_PARAGRAPH.CENTER
    for cell, (title, name) in zip(table.rows[0].cells, columns, strict=True):
        cell.text = ""
        cell.paragraphs[0].alignment = centre
        run = cell.paragraphs[0].add_run(xml_safe(title))
        run.bold = True
        font_everywhere(run._element)
        add_paragraph(cell, _("(Signature and full name)"), italic=True, align=centre, size=12)
        add_paragraph(cell, "\n\n")
        add_paragraph(cell, name, bold=True, align=centre)


def to_bytes(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def nominee_line(nomination: Nomination) -> tuple[str, str]:
    """(name, position and unit) as the lists of a decision write them."""
    if nomination.person_id:
        position = nomination.person.position
        where = ", ".join(filter(None, [position, nomination.proposing_unit.name]))
        return nomination.person.full_name, where
    return nomination.unit.name, nomination.proposing_unit.name


def pursuant_to_decree(document, day: datetime.date) -> None:
    """The "Căn cứ" line of the decree guiding the Law on `day` (NĐ 98/2023 until
    30/06/2025, NĐ 152/2025 from 01/07/2025)."""
    number = guiding_decree_on(day)
    if number:
        add_paragraph(
            document,
            _(
                "Pursuant to Decree No. %(number)s of the Government detailing the Law on "
                "Emulation and Commendation;"
            )
            % {"number": number},
        )
