"""A decision (or a forwarding) and the list of its awardees."""

from __future__ import annotations

import io

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from awards.documents.blocks import (
    FONT,
    add_paragraph,
    grid,
    masthead,
    new_document,
    nominee_line,
    pursuant_to_decree,
    signatures,
    to_bytes,
)
from awards.models import Decision, Nomination
from awards.resources import neutralise


def _award_names(nominations: list[Nomination]) -> str:
    names = []
    for nomination in nominations:
        if nomination.award_type.name not in names:
            names.append(nomination.award_type.name)
    return ", ".join(names)


def decision_document(decision: Decision, nominations: list[Nomination]) -> bytes:
    """The decision (or the forwarding proposal) and its annexed list of nominees."""
    with translation.override("vi"):
        document = new_document()
        centre = WD_ALIGN_PARAGRAPH.CENTER
        masthead(
            document,
            issuer_lines=[_("MINISTRY OF INDUSTRY AND TRADE")]
            + ([decision.unit.name.upper()] if decision.unit_id else []),
            number=_("No.: %(number)s") % {"number": decision.number},
            day=decision.signed_on,
        )
        if decision.status == Decision.Status.REVOKED:
            add_paragraph(
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
            add_paragraph(document, _("COVER LETTER"), bold=True, align=centre, size=14)
            add_paragraph(
                document,
                _("Proposing %(awards)s") % {"awards": awards},
                bold=True,
                align=centre,
            )
            add_paragraph(
                document,
                _("To: the Prime Minister (through the Central Emulation and Commendation Board)"),
                align=centre,
            )
            add_paragraph(
                document,
                _("Pursuant to the Law on Emulation and Commendation No. 06/2022/QH15;"),
            )
            pursuant_to_decree(document, decision.signed_on)
            add_paragraph(
                document,
                _(
                    "On the proposal of the Emulation and Commendation Council of the Ministry, "
                    "the Ministry of Industry and Trade respectfully proposes %(awards)s for the "
                    "%(count)s nominees in the annexed list."
                )
                % {"awards": awards, "count": len(nominations)},
            )
        else:
            add_paragraph(document, _("DECISION"), bold=True, align=centre, size=14)
            add_paragraph(
                document,
                _("Awarding %(awards)s") % {"awards": awards},
                bold=True,
                align=centre,
            )
            add_paragraph(document, decision.issuer.upper(), bold=True, align=centre)
            add_paragraph(
                document,
                _("Pursuant to the Law on Emulation and Commendation No. 06/2022/QH15;"),
            )
            pursuant_to_decree(document, decision.signed_on)
            add_paragraph(
                document,
                _("On the proposal of the Emulation and Commendation Council of %(unit)s,")
                % {"unit": decision.unit.name}
                if decision.unit_id
                else _(
                    "On the proposal of the Emulation and Commendation Council of the Ministry,"
                ),
            )
            add_paragraph(document, _("DECIDES:"), bold=True, align=centre)
            add_paragraph(
                document,
                _(
                    "Article 1. To award %(awards)s to the %(count)s individuals and collectives "
                    "in the list annexed to this Decision."
                )
                % {"awards": awards, "count": len(nominations)},
            )
            add_paragraph(
                document, _("Article 2. This Decision takes effect on the date of signing.")
            )
            add_paragraph(
                document,
                _(
                    "Article 3. The Chief of the Ministry's Office, the heads of the units "
                    "concerned and the individuals and collectives named in Article 1 carry out "
                    "this Decision."
                ),
            )
        signatures(
            document, [((decision.signer_title or decision.issuer).upper(), decision.signer)]
        )
        # The annex starts on a page of its own.
        document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        add_paragraph(document, _("LIST"), bold=True, align=centre, size=14)
        add_paragraph(
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
            name, where = nominee_line(nomination)
            rows.append([str(index), name, where, nomination.award_type.name, str(nomination.year)])
        grid(
            document,
            [_("No."), _("Nominee"), _("Position, unit"), _("Award"), _("Year")],
            rows,
            [1.2, 4.5, 5.5, 4.5, 1.5],
        )
        return to_bytes(document)


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
