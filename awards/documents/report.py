"""The achievement report (báo cáo thành tích) of a nomination."""

from __future__ import annotations

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from docx.enum.text import WD_ALIGN_PARAGRAPH

from awards.documents.blocks import (
    add_paragraph,
    grid,
    masthead,
    new_document,
    signatures,
    to_bytes,
)
from awards.models import AwardGrant, Nomination

# --- The achievement report ---------------------------------------------------------------------


def achievement_report(nomination: Nomination) -> bytes:
    """Báo cáo thành tích: the legal template's three sections filled from the nomination
    (which was prefilled from the record) and the award history of the nominee."""
    with translation.override("vi"):
        document = new_document()
        award = nomination.award_type
        individual = nomination.person_id is not None
        proposing = nomination.proposing_unit
        parent = (
            proposing.parent.name if proposing.parent_id else _("MINISTRY OF INDUSTRY AND TRADE")
        )
        masthead(
            document,
            issuer_lines=[parent.upper(), proposing.name.upper()],
            number="",
            day=timezone.localdate(),
        )
        centre = WD_ALIGN_PARAGRAPH.CENTER
        add_paragraph(document, _("ACHIEVEMENT REPORT"), bold=True, align=centre, size=14)
        add_paragraph(
            document,
            _("Proposed for: %(award)s (%(year)s)")
            % {"award": award.name, "year": nomination.year},
            bold=True,
            align=centre,
        )
        add_paragraph(document, str(nomination.nominee), bold=True, align=centre)
        add_paragraph(document)
        add_paragraph(
            document,
            _("I. CURRICULUM VITAE") if individual else _("I. SITUATION, FUNCTIONS AND DUTIES"),
            bold=True,
        )
        add_paragraph(document, nomination.report_background or "…")
        add_paragraph(document, _("II. ACHIEVEMENTS"), bold=True)
        add_paragraph(document, nomination.report_achievements or "…")
        initiatives = list(nomination.initiatives.all())
        if initiatives:
            add_paragraph(document, _("Initiatives relied on:"), italic=True)
            for item in initiatives:
                add_paragraph(
                    document,
                    f"- {item.title} ({item.get_scope_display()}, "
                    f"{item.recognised_on:%d/%m/%Y}"
                    + (f", {item.recognised_by}" if item.recognised_by else "")
                    + ")",
                )
        add_paragraph(document, _("III. AWARDS ALREADY RECEIVED"), bold=True)
        grants = list(
            AwardGrant.objects.filter(
                **({"person": nomination.person} if individual else {"unit": nomination.unit})
            )
            .select_related("award_type")
            .order_by("year", "award_type__order")
        )
        if grants:
            grid(
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
            add_paragraph(document, nomination.report_awards or _("None."))
        if individual:
            columns = [
                (_("HEAD OF THE UNIT ABOVE"), ""),
                (_("HEAD OF THE UNIT"), ""),
                (_("THE PERSON REPORTING"), nomination.person.full_name),
            ]
        else:
            columns = [(_("HEAD OF THE UNIT ABOVE"), ""), (_("HEAD OF THE UNIT"), "")]
        signatures(document, columns)
        return to_bytes(document)
