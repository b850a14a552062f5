"""The bloc's documents: the ranking report (DOCX) and the minutes of the year-end vote, and
the XLSX of the scores. Built on awards.documents.blocks, in Vietnamese like the other
official documents."""

from __future__ import annotations

import io

from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from docx.enum.text import WD_ALIGN_PARAGRAPH

from awards.documents.blocks import add_paragraph, grid, new_document, signatures, to_bytes, vi_day
from blocs.models import BlocMeeting, BlocYear
from blocs.selectors.ranking import TIE_BREAK_RULE, ranking, table

CENTRE = WD_ALIGN_PARAGRAPH.CENTER


def _points(value) -> str:
    return formats.number_format(value, 2) if value is not None else "—"


def _ranking_body(document, bloc_year: BlocYear) -> None:
    groups = table(bloc_year)
    sheets = ranking(bloc_year, groups=groups)
    add_paragraph(document, str(TIE_BREAK_RULE), italic=True)
    headers = [
        _("Rank"),
        _("Unit"),
        *(f"{group.number}" for group in groups),
        _("Bonus"),
        _("Penalty"),
        _("Total"),
    ]
    rows = [
        [
            str(sheet.rank),
            sheet.unit.name,
            *(_points(sheet.group_points.get(group.pk)) for group in groups),
            _points(sheet.bonus),
            _points(sheet.penalty),
            _points(sheet.total),
        ]
        for sheet in sheets
    ]
    width = 2.0
    grid(document, headers, rows, [1.3, 5.0, *([width] * len(groups)), 1.8, 1.8, 2.0])
    add_paragraph(document)
    add_paragraph(document, _("Scores per criterion"), bold=True)
    for sheet in sheets:
        add_paragraph(document, f"{sheet.rank}. {sheet.unit.name}", bold=True)
        lines = []
        for group in groups:
            for criterion in group.criteria.all():
                score = sheet.scores.get(criterion.pk)
                own = score.points if score else None
                final = score.final if score else None
                note = score.check_reason if score and score.checked_points is not None else ""
                lines.append(
                    [
                        f"{group.number}.{criterion.order}",
                        criterion.title,
                        _points(criterion.max_points),
                        _points(own),
                        _points(final),
                        note,
                    ]
                )
        grid(
            document,
            [
                _("No."),
                _("Criterion"),
                _("Maximum"),
                _("Self-scored"),
                _("Cross-checked"),
                _("Reason for the change"),
            ],
            lines,
            [1.3, 6.0, 1.8, 1.8, 1.8, 4.0],
        )


def ranking_report(bloc_year: BlocYear) -> bytes:
    with translation.override("vi"):
        document = new_document(landscape=True)
        add_paragraph(
            document,
            _("RANKING OF THE EMULATION BLOC “%(bloc)s”, YEAR %(year)s")
            % {"bloc": bloc_year.bloc.name.upper(), "year": bloc_year.year},
            bold=True,
            align=CENTRE,
        )
        published = bloc_year.ranking_published_at
        add_paragraph(
            document,
            _("Leading unit: %(unit)s. Published on %(day)s.")
            % {
                "unit": bloc_year.leading_unit.name if bloc_year.leading_unit else "—",
                "day": vi_day(timezone.localtime(published).date()) if published else "—",
            },
            align=CENTRE,
            italic=True,
        )
        _ranking_body(document, bloc_year)
        signatures(
            document,
            [(_("LEADING UNIT OF THE BLOC"), "")],
        )
        return to_bytes(document)


def minutes(meeting: BlocMeeting) -> bytes:
    bloc_year = meeting.bloc_year
    with translation.override("vi"):
        document = new_document()
        add_paragraph(
            document,
            _("MINUTES OF THE YEAR-END MEETING OF THE EMULATION BLOC “%(bloc)s”, YEAR %(year)s")
            % {"bloc": bloc_year.bloc.name.upper(), "year": bloc_year.year},
            bold=True,
            align=CENTRE,
        )
        add_paragraph(
            document,
            _(
                "Held on %(day)s at %(place)s. Member units voting: %(voters)s; units that "
                "voted: %(cast)s."
            )
            % {
                "day": vi_day(meeting.held_on),
                "place": meeting.location or "—",
                "voters": meeting.voters or 0,
                "cast": meeting.receipts.count(),
            },
        )
        add_paragraph(
            document,
            _("The bloc voted by secret ballot whom to propose for the emulation flags:"),
        )
        rows = []
        for item in meeting.items.select_related("unit", "award_type").order_by("pk"):
            rows.append(
                [
                    item.unit.name,
                    item.award_type.short_name,
                    str(item.approvals),
                    str(item.disapprovals),
                    _("at least %(percent)s%% of all members") % {"percent": item.threshold_percent}
                    if item.threshold_rule == "at_least"
                    else _("more than %(percent)s%% of all members")
                    % {"percent": item.threshold_percent},
                    item.get_outcome_display(),
                ]
            )
        grid(
            document,
            [_("Unit"), _("Award"), _("Approve"), _("Disapprove"), _("Threshold"), _("Result")],
            rows,
            [5.0, 3.0, 1.6, 1.8, 3.2, 2.4],
        )
        signatures(document, [(_("CHAIR"), ""), (_("SECRETARY"), "")])
        return to_bytes(document)


def scores_workbook(bloc_year: BlocYear, sheets, groups) -> bytes:
    """The scores per criterion of the scorings given, one row per unit and criterion."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(bloc_year.year)
    sheet.append(
        [
            str(_("Rank")),
            str(_("Unit")),
            str(_("Criterion")),
            str(_("Maximum")),
            str(_("Self-scored")),
            str(_("Cross-checked")),
            str(_("Reason for the change")),
            str(_("Total")),
        ]
    )
    for item in sheets:
        for group in groups:
            for criterion in group.criteria.all():
                score = item.scores.get(criterion.pk)
                sheet.append(
                    [
                        item.rank,
                        item.unit.name,
                        f"{group.number}.{criterion.order} {criterion.title}",
                        float(criterion.max_points),
                        float(score.points) if score and score.points is not None else None,
                        float(score.final) if score and score.final is not None else None,
                        score.check_reason if score else "",
                        float(item.total),
                    ]
                )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
