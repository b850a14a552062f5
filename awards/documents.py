"""The official documents of commendations, generated on demand as DOCX and XLSX.

They are Vietnamese administrative documents, so they are written in Vietnamese whatever the
language of the person downloading them (the texts are translated msgids, rendered under
translation.override("vi")). Every run of text is set in Times New Roman, including the
East Asian and complex-script slots of the font table, so that Word and LibreOffice never fall
back to a font without the Vietnamese diacritics.

Views check the permission and serve the bytes as an attachment; nothing here reads the
request.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterable

from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from awards.models import AwardGrant, CouncilMember, Decision, Meeting, Nomination
from awards.resources import neutralise
from awards.selectors import ResultRow

FONT = "Times New Roman"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def file_slug(text: str) -> str:
    """A file name part from Vietnamese text: "123/QĐ-BCT" → "123-qd-bct"."""
    return slugify(text.replace("Đ", "D").replace("đ", "d").replace("/", "-")) or "tai-lieu"


# --- Building blocks ---------------------------------------------------------------------------


def _font_everywhere(element, size: int | None = None) -> None:
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


def _document(*, landscape: bool = False) -> Document:
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
        _font_everywhere(style.element, size=13)
        style.font.name = FONT
        style.font.size = Pt(13)
    document.styles["Normal"].paragraph_format.space_after = Pt(4)
    return document


def _paragraph(
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
    for index, line in enumerate(text.split("\n")):
        run = paragraph.add_run(line)
        run.bold, run.italic, run.underline = bold, italic, underline
        _font_everywhere(run._element, size=size)
        if index < len(text.split("\n")) - 1:
            run.add_break(WD_BREAK.LINE)
    return paragraph


def _cell(cell, text: str, *, bold: bool = False, italic: bool = False, align=None) -> None:
    cell.text = ""
    paragraph = cell.paragraphs[0]
    if align is not None:
        paragraph.alignment = align
    run = paragraph.add_run(text)
    run.bold, run.italic = bold, italic
    _font_everywhere(run._element)


def _no_borders(table) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        node = OxmlElement(f"w:{edge}")
        node.set(qn("w:val"), "nil")
        borders.append(node)
    table._tbl.tblPr.append(borders)


def _vi_day(day: datetime.date) -> str:
    return _("Hanoi, day %(day)s month %(month)s year %(year)s") % {
        "day": f"{day.day:02d}",
        "month": f"{day.month:02d}",
        "year": day.year,
    }


def _masthead(document, *, issuer_lines: list[str], number: str, day: datetime.date) -> None:
    """The two columns that open every administrative document: the issuing body and its
    number on the left, the national name and motto and the place and date on the right."""
    table = document.add_table(rows=1, cols=2)
    _no_borders(table)
    left, right = table.rows[0].cells
    left.text = right.text = ""
    centre = WD_ALIGN_PARAGRAPH.CENTER
    for index, line in enumerate(issuer_lines):
        _paragraph(left, line, bold=index == len(issuer_lines) - 1, align=centre, size=12)
    _paragraph(left, number, align=centre, size=12)
    _paragraph(right, _("SOCIALIST REPUBLIC OF VIETNAM"), bold=True, align=centre, size=12)
    _paragraph(
        right, _("Independence - Freedom - Happiness"), bold=True, underline=True, align=centre
    )
    _paragraph(right, _vi_day(day), italic=True, align=centre)
    for cell in (left, right):
        first = cell.paragraphs[0]
        if not first.text:
            first._element.getparent().remove(first._element)
    _paragraph(document)


def _grid(document, headers: list[str], rows: Iterable[list[str]], widths: list[float]):
    table = document.add_table(rows=1, cols=len(headers))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        _cell(cell, header, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    for values in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, values, strict=True):
            _cell(cell, str(value))
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Cm(width)
    return table


def _signatures(document, columns: list[tuple[str, str]]) -> None:
    """Signature blocks side by side: (title, name under the signature)."""
    _paragraph(document)
    table = document.add_table(rows=1, cols=len(columns))
    _no_borders(table)
    centre = WD_ALIGN_PARAGRAPH.CENTER
    for cell, (title, name) in zip(table.rows[0].cells, columns, strict=True):
        cell.text = ""
        cell.paragraphs[0].alignment = centre
        run = cell.paragraphs[0].add_run(title)
        run.bold = True
        _font_everywhere(run._element)
        _paragraph(cell, _("(Signature and full name)"), italic=True, align=centre, size=12)
        _paragraph(cell, "\n\n")
        _paragraph(cell, name, bold=True, align=centre)


def _bytes(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _nominee_line(nomination: Nomination) -> tuple[str, str]:
    """(name, position and unit) as the lists of a decision write them."""
    if nomination.person_id:
        position = nomination.person.position
        where = ", ".join(filter(None, [position, nomination.proposing_unit.name]))
        return nomination.person.full_name, where
    return nomination.unit.name, nomination.proposing_unit.name


# --- The achievement report ---------------------------------------------------------------------


def achievement_report(nomination: Nomination) -> bytes:
    """Báo cáo thành tích: the legal template's three sections filled from the nomination
    (which was prefilled from the record) and the award history of the nominee."""
    with translation.override("vi"):
        document = _document()
        award = nomination.award_type
        individual = nomination.person_id is not None
        proposing = nomination.proposing_unit
        parent = (
            proposing.parent.name if proposing.parent_id else _("MINISTRY OF INDUSTRY AND TRADE")
        )
        _masthead(
            document,
            issuer_lines=[parent.upper(), proposing.name.upper()],
            number="",
            day=timezone.localdate(),
        )
        centre = WD_ALIGN_PARAGRAPH.CENTER
        _paragraph(document, _("ACHIEVEMENT REPORT"), bold=True, align=centre, size=14)
        _paragraph(
            document,
            _("Proposed for: %(award)s (%(year)s)")
            % {"award": award.name, "year": nomination.year},
            bold=True,
            align=centre,
        )
        _paragraph(document, str(nomination.nominee), bold=True, align=centre)
        _paragraph(document)
        _paragraph(
            document,
            _("I. CURRICULUM VITAE") if individual else _("I. SITUATION, FUNCTIONS AND DUTIES"),
            bold=True,
        )
        _paragraph(document, nomination.report_background or "…")
        _paragraph(document, _("II. ACHIEVEMENTS"), bold=True)
        _paragraph(document, nomination.report_achievements or "…")
        initiatives = list(nomination.initiatives.all())
        if initiatives:
            _paragraph(document, _("Initiatives relied on:"), italic=True)
            for item in initiatives:
                _paragraph(
                    document,
                    f"- {item.title} ({item.get_scope_display()}, "
                    f"{item.recognised_on:%d/%m/%Y}"
                    + (f", {item.recognised_by}" if item.recognised_by else "")
                    + ")",
                )
        _paragraph(document, _("III. AWARDS ALREADY RECEIVED"), bold=True)
        grants = list(
            AwardGrant.objects.filter(
                **({"person": nomination.person} if individual else {"unit": nomination.unit})
            )
            .select_related("award_type")
            .order_by("year", "award_type__order")
        )
        if grants:
            _grid(
                document,
                [_("Year"), _("Award"), _("Decision number and date"), _("Issuer")],
                (
                    [
                        str(grant.year),
                        grant.award_type.name,
                        ", ".join(
                            filter(
                                None,
                                [
                                    grant.decision_number,
                                    f"{grant.decided_on:%d/%m/%Y}" if grant.decided_on else "",
                                ],
                            )
                        ),
                        grant.issuer,
                    ]
                    for grant in grants
                ),
                [2, 6, 4.5, 4],
            )
        else:
            _paragraph(document, nomination.report_awards or _("None."))
        if individual:
            columns = [
                (_("HEAD OF THE UNIT ABOVE"), ""),
                (_("HEAD OF THE UNIT"), ""),
                (_("THE PERSON REPORTING"), nomination.person.full_name),
            ]
        else:
            columns = [(_("HEAD OF THE UNIT ABOVE"), ""), (_("HEAD OF THE UNIT"), "")]
        _signatures(document, columns)
        return _bytes(document)


# --- Meetings: cover letter and minutes -------------------------------------------------------


def _seat_holder(seats: list[CouncilMember], role: str) -> str:
    return next((seat.user.get_full_name() for seat in seats if seat.role == role), "")


def _council_masthead(document, meeting: Meeting, number: str, day: datetime.date) -> None:
    _masthead(
        document,
        issuer_lines=[_("MINISTRY OF INDUSTRY AND TRADE"), meeting.council.name.upper()],
        number=number,
        day=day,
    )


def _ratio(approvals: int, size: int) -> str:
    # For reading only: the decision itself is AwardType.approved_by, in integers.
    return f"{approvals}/{size} ({approvals * 100 / size:.1f}%)".replace(".", ",")


def cover_letter(meeting: Meeting, seats: list[CouncilMember]) -> bytes:
    """Tờ trình: the council proposes to the Minister the nominees it approved (or, before the
    ballot, submits its agenda)."""
    with translation.override("vi"):
        document = _document()
        day = meeting.held_on
        _council_masthead(document, meeting, _("No.: ……/TTr-HĐTĐKT"), day)
        centre = WD_ALIGN_PARAGRAPH.CENTER
        _paragraph(document, _("COVER LETTER"), bold=True, align=centre, size=14)
        _paragraph(document, _("On the proposal of commendations"), bold=True, align=centre)
        _paragraph(
            document,
            _("To: the Minister of Industry and Trade"),
            align=centre,
        )
        _paragraph(
            document, _("Pursuant to the Law on Emulation and Commendation No. 06/2022/QH15;")
        )
        tallies = list(meeting.tallies.all())
        if meeting.is_closed:
            tallies = [tally for tally in tallies if tally.outcome == tally.Outcome.APPROVED]
            _paragraph(
                document,
                _(
                    "At its meeting of %(day)s the council considered the nominations by secret "
                    "ballot and proposes to commend the following %(count)s nominees:"
                )
                % {"day": f"{day:%d/%m/%Y}", "count": len(tallies)},
            )
        else:
            _paragraph(
                document,
                _(
                    "The standing office submits to the council's meeting of %(day)s the "
                    "following %(count)s nominations:"
                )
                % {"day": f"{day:%d/%m/%Y}", "count": len(tallies)},
            )
        headers = [_("No."), _("Nominee"), _("Position, unit"), _("Award"), _("Year")]
        widths = [1.2, 4.5, 5, 4.5, 1.5]
        if meeting.is_closed:
            headers.append(_("Approve"))
            widths = [1.2, 4, 4.5, 4, 1.3, 2.5]
        rows = []
        for index, tally in enumerate(tallies, start=1):
            name, where = _nominee_line(tally.nomination)
            row = [str(index), name, where, tally.nomination.award_type.name]
            row.append(str(tally.nomination.year))
            if meeting.is_closed:
                row.append(_ratio(tally.approvals, meeting.council_size))
            rows.append(row)
        _grid(document, headers, rows, widths)
        _paragraph(document)
        _paragraph(document, _("We respectfully submit it for the Minister's consideration."))
        _signatures(
            document,
            [(_("CHAIR OF THE COUNCIL"), _seat_holder(seats, CouncilMember.Role.CHAIR))],
        )
        return _bytes(document)


def minutes(meeting: Meeting, results: list[ResultRow], seats: list[CouncilMember]) -> bytes:
    """Biên bản: attendance, the count of the secret ballot for each nomination, the result."""
    with translation.override("vi"):
        document = _document(landscape=True)
        closed_on = timezone.localtime(meeting.ballot_closed_at).date()
        _council_masthead(document, meeting, _("No.: ……/BB-HĐTĐKT"), closed_on)
        centre = WD_ALIGN_PARAGRAPH.CENTER
        _paragraph(document, _("MINUTES"), bold=True, align=centre, size=14)
        _paragraph(
            document,
            _("Meeting of the Emulation and Commendation Council"),
            bold=True,
            align=centre,
        )
        _paragraph(
            document,
            _("Date: %(day)s. Place: %(place)s.")
            % {"day": f"{meeting.held_on:%d/%m/%Y}", "place": meeting.location or "…"},
        )
        attendance = list(meeting.attendance.all())
        written = {receipt.member_id for receipt in meeting.receipts.all() if receipt.in_writing}
        present = sum(1 for row in attendance if row.present)
        _paragraph(document, _("I. ATTENDANCE"), bold=True)
        _paragraph(
            document,
            _(
                "The council has %(size)s members: %(present)s present, %(absent)s absent "
                "(%(written)s of whom voted in writing)."
            )
            % {
                "size": meeting.council_size,
                "present": present,
                "absent": len(attendance) - present,
                "written": len(written),
            },
        )
        _grid(
            document,
            [_("No."), _("Full name"), _("Role in the council"), _("Attendance")],
            (
                [
                    str(index),
                    row.member.get_full_name(),
                    row.get_role_display(),
                    _("Present")
                    if row.present
                    else (
                        _("Absent, voted in writing") if row.member_id in written else _("Absent")
                    ),
                ]
                for index, row in enumerate(
                    sorted(
                        attendance,
                        key=lambda row: (
                            CouncilMember.ROLE_ORDER.get(row.role, 99),
                            row.member.get_full_name(),
                        ),
                    ),
                    start=1,
                )
            ),
            [1.2, 7, 6, 7],
        )
        _paragraph(document)
        _paragraph(document, _("II. SECRET BALLOT"), bold=True)
        _paragraph(
            document,
            _(
                "Ballots cast: %(cast)s of %(size)s. Each threshold is a share of all the "
                "council's members, not of those present."
            )
            % {"cast": len(meeting.receipts.all()), "size": meeting.council_size},
        )
        _paragraph(document, _("III. RESULTS"), bold=True)
        rows = []
        for index, row in enumerate(results, start=1):
            name, where = _nominee_line(row.nomination)
            rows.append(
                [
                    str(index),
                    name,
                    where,
                    row.nomination.award_type.name,
                    str(row.tally.approvals),
                    str(row.tally.disapprovals),
                    str(row.not_voting),
                    _ratio(row.tally.approvals, row.council_size),
                    row.threshold,
                    _("Approved") if row.approved else _("Not approved"),
                ]
            )
        _grid(
            document,
            [
                _("No."),
                _("Nominee"),
                _("Position, unit"),
                _("Award"),
                _("Approve"),
                _("Disapprove"),
                _("No vote"),
                _("Approvals of all members"),
                _("Threshold"),
                _("Result"),
            ],
            rows,
            [1, 3.5, 4, 3.5, 1.6, 1.8, 1.6, 2.6, 2.8, 2.2],
        )
        _paragraph(document)
        _paragraph(
            document,
            _("The meeting closed at %(time)s on %(day)s.")
            % {
                "time": f"{timezone.localtime(meeting.ballot_closed_at):%H:%M}",
                "day": f"{closed_on:%d/%m/%Y}",
            },
        )
        _signatures(
            document,
            [
                (_("SECRETARY"), _seat_holder(seats, CouncilMember.Role.SECRETARY)),
                (_("CHAIR OF THE COUNCIL"), _seat_holder(seats, CouncilMember.Role.CHAIR)),
            ],
        )
        return _bytes(document)


# --- Decisions ---------------------------------------------------------------------------------


def _award_names(nominations: list[Nomination]) -> str:
    names = []
    for nomination in nominations:
        if nomination.award_type.name not in names:
            names.append(nomination.award_type.name)
    return ", ".join(names)


def decision_document(decision: Decision, nominations: list[Nomination]) -> bytes:
    """The decision (or the forwarding proposal) and its annexed list of nominees."""
    with translation.override("vi"):
        document = _document()
        centre = WD_ALIGN_PARAGRAPH.CENTER
        _masthead(
            document,
            issuer_lines=[_("MINISTRY OF INDUSTRY AND TRADE")],
            number=_("No.: %(number)s") % {"number": decision.number},
            day=decision.signed_on,
        )
        if decision.status == Decision.Status.REVOKED:
            _paragraph(
                document,
                _("REVOKED on %(day)s: %(reason)s")
                % {
                    "day": f"{timezone.localtime(decision.revoked_at):%d/%m/%Y}",
                    "reason": decision.revoke_reason,
                },
                bold=True,
                align=centre,
            )
        awards = _award_names(nominations)
        if decision.is_forwarding:
            _paragraph(document, _("COVER LETTER"), bold=True, align=centre, size=14)
            _paragraph(
                document,
                _("Proposing %(awards)s") % {"awards": awards},
                bold=True,
                align=centre,
            )
            _paragraph(
                document,
                _("To: the Prime Minister (through the Central Emulation and Commendation Board)"),
                align=centre,
            )
            _paragraph(
                document,
                _("Pursuant to the Law on Emulation and Commendation No. 06/2022/QH15;"),
            )
            _paragraph(
                document,
                _(
                    "On the proposal of the Emulation and Commendation Council of the Ministry, "
                    "the Ministry of Industry and Trade respectfully proposes %(awards)s for the "
                    "%(count)s nominees in the annexed list."
                )
                % {"awards": awards, "count": len(nominations)},
            )
        else:
            _paragraph(document, _("DECISION"), bold=True, align=centre, size=14)
            _paragraph(
                document,
                _("Awarding %(awards)s") % {"awards": awards},
                bold=True,
                align=centre,
            )
            _paragraph(document, decision.issuer.upper(), bold=True, align=centre)
            _paragraph(
                document,
                _("Pursuant to the Law on Emulation and Commendation No. 06/2022/QH15;"),
            )
            _paragraph(
                document,
                _("On the proposal of the Emulation and Commendation Council of the Ministry,"),
            )
            _paragraph(document, _("DECIDES:"), bold=True, align=centre)
            _paragraph(
                document,
                _(
                    "Article 1. To award %(awards)s to the %(count)s individuals and collectives "
                    "in the list annexed to this Decision."
                )
                % {"awards": awards, "count": len(nominations)},
            )
            _paragraph(document, _("Article 2. This Decision takes effect on the date of signing."))
            _paragraph(
                document,
                _(
                    "Article 3. The Chief of the Ministry's Office, the heads of the units "
                    "concerned and the individuals and collectives named in Article 1 carry out "
                    "this Decision."
                ),
            )
        _signatures(
            document, [((decision.signer_title or decision.issuer).upper(), decision.signer)]
        )
        # The annex starts on a page of its own.
        document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        _paragraph(document, _("LIST"), bold=True, align=centre, size=14)
        _paragraph(
            document,
            _("(Annexed to %(number)s of %(day)s of %(issuer)s)")
            % {
                "number": decision.number,
                "day": f"{decision.signed_on:%d/%m/%Y}",
                "issuer": decision.issuer,
            },
            italic=True,
            align=centre,
        )
        rows = []
        for index, nomination in enumerate(nominations, start=1):
            name, where = _nominee_line(nomination)
            rows.append([str(index), name, where, nomination.award_type.name, str(nomination.year)])
        _grid(
            document,
            [_("No."), _("Nominee"), _("Position, unit"), _("Award"), _("Year")],
            rows,
            [1.2, 4.5, 5.5, 4.5, 1.5],
        )
        return _bytes(document)


def awardees_workbook(decision: Decision, nominations: list[Nomination]) -> bytes:
    """The list of awardees of a decision as a spreadsheet; no cell can run as a formula."""
    with translation.override("vi"):
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = _("Awardees")[:31]
        headers = [
            _("No."),
            _("Nominee"),
            _("Individual or collective"),
            _("Position"),
            _("Proposing unit"),
            _("Award"),
            _("Year"),
            _("Decision number"),
            _("Decision date"),
            _("Issuer"),
        ]
        sheet.append(headers)
        for cell in sheet[1]:
            cell.font = Font(name=FONT, bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for index, nomination in enumerate(nominations, start=1):
            individual = nomination.person_id is not None
            sheet.append(
                [
                    index,
                    neutralise(nomination.person.full_name if individual else nomination.unit.name),
                    _("Individual") if individual else _("Collective"),
                    neutralise(nomination.person.position if individual else ""),
                    neutralise(nomination.proposing_unit.name),
                    neutralise(nomination.award_type.name),
                    nomination.year,
                    neutralise(decision.number),
                    decision.signed_on,
                    neutralise(decision.issuer),
                ]
            )
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                cell.font = Font(name=FONT)
            row[8].number_format = "DD/MM/YYYY"
        for column, width in zip("ABCDEFGHIJ", [6, 30, 14, 24, 34, 34, 8, 16, 14, 30], strict=True):
            sheet.column_dimensions[column].width = width
        sheet.freeze_panes = "A2"
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()
