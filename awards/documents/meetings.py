"""A council meeting's documents: the cover letter (tờ trình) and the minutes (biên bản)."""

from __future__ import annotations

import datetime

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from docx.enum.text import WD_ALIGN_PARAGRAPH

from awards.documents.blocks import (
    add_paragraph,
    grid,
    masthead,
    new_document,
    nominee_line,
    pursuant_to_decree,
    signatures,
    to_bytes,
)
from awards.models import CouncilMember, Meeting
from awards.selectors.council import ResultRow


def _seat_holder(seats: list[CouncilMember], role: str) -> str:
    return next((seat.user.get_full_name() for seat in seats if seat.role == role), "")


def _council_masthead(document, meeting: Meeting, number: str, day: datetime.date) -> None:
    masthead(
        document,
        issuer_lines=[
            meeting.council.unit.name.upper()
            if meeting.council.unit_id
            else _("MINISTRY OF INDUSTRY AND TRADE"),
            meeting.council.name.upper(),
        ],
        number=number,
        day=day,
    )


def _ratio(approvals: int, size: int) -> str:
    # For reading only: the decision itself is share_reached on the frozen threshold, in
    # integers.
    return f"{approvals}/{size} ({approvals * 100 / size:.1f}%)".replace(".", ",")


def _publicity(document, tallies, heading: str) -> None:
    """What the public said of each nomination (NĐ 98/2023 Art 46.2, NĐ 152/2025 Art 44.2: the
    list is published before the council meets): its window, the comments the secretary
    approved, and how many were held back (awaiting moderation or hidden). Reads the agenda's
    prefetched comments and counts (awards.selectors.council._agenda_queryset)."""
    add_paragraph(document, heading, bold=True)
    published = [t for t in tallies if getattr(t.nomination, "publication", None) is not None]
    if not published:
        add_paragraph(document, _("No nomination of this list required publicity."))
        return
    for index, tally in enumerate(published, start=1):
        publication = tally.nomination.publication
        name, _where = nominee_line(tally.nomination)
        add_paragraph(
            document,
            _(
                "%(index)s. %(name)s (%(award)s): published from %(start)s to %(end)s; "
                "%(shown)s comments shown, %(held)s held back."
            )
            % {
                "index": index,
                "name": name,
                "award": tally.nomination.award_type.name,
                "start": f"{publication.opens_on:%d/%m/%Y}",
                "end": f"{publication.closes_on:%d/%m/%Y}",
                "shown": tally.comments_shown,
                "held": tally.comments_held,
            },
        )
        for comment in publication.shown_comments:
            sent = timezone.localtime(comment.created_at)
            add_paragraph(document, f"– {comment.name} ({sent:%d/%m/%Y}): {comment.text}")


def cover_letter(meeting: Meeting, seats: list[CouncilMember]) -> bytes:
    """Tờ trình: the council proposes to the Minister the nominees it approved (or, before the
    ballot, submits its agenda)."""
    with translation.override("vi"):
        document = new_document()
        day = meeting.held_on
        _council_masthead(document, meeting, _("No.: ……/TTr-HĐTĐKT"), day)
        centre = WD_ALIGN_PARAGRAPH.CENTER
        add_paragraph(document, _("COVER LETTER"), bold=True, align=centre, size=14)
        add_paragraph(document, _("On the proposal of commendations"), bold=True, align=centre)
        add_paragraph(
            document,
            _("To: the head of %(unit)s") % {"unit": meeting.council.unit.name}
            if meeting.council.unit_id
            else _("To: the Minister of Industry and Trade"),
            align=centre,
        )
        add_paragraph(
            document, _("Pursuant to the Law on Emulation and Commendation No. 06/2022/QH15;")
        )
        pursuant_to_decree(document, day)
        tallies = list(meeting.tallies.all())
        if meeting.is_closed:
            tallies = [tally for tally in tallies if tally.outcome == tally.Outcome.APPROVED]
            add_paragraph(
                document,
                _(
                    "At its meeting of %(day)s the council considered the nominations by secret "
                    "ballot and proposes to commend the following %(count)s nominees:"
                )
                % {"day": f"{day:%d/%m/%Y}", "count": len(tallies)},
            )
        else:
            add_paragraph(
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
            name, where = nominee_line(tally.nomination)
            row = [str(index), name, where, tally.nomination.award_type.name]
            row.append(str(tally.nomination.year))
            if meeting.is_closed:
                row.append(_ratio(tally.approvals, meeting.council_size))
            rows.append(row)
        grid(document, headers, rows, widths)
        add_paragraph(document)
        _publicity(document, tallies, _("Public comments during the publicity"))
        add_paragraph(document)
        add_paragraph(document, _("We respectfully submit it for the Minister's consideration."))
        signatures(
            document,
            [(_("CHAIR OF THE COUNCIL"), _seat_holder(seats, CouncilMember.Role.CHAIR))],
        )
        return to_bytes(document)


def minutes(meeting: Meeting, results: list[ResultRow], seats: list[CouncilMember]) -> bytes:
    """Biên bản: attendance, the count of the secret ballot for each nomination, the result."""
    with translation.override("vi"):
        document = new_document(landscape=True)
        closed_on = timezone.localtime(meeting.ballot_closed_at).date()
        _council_masthead(document, meeting, _("No.: ……/BB-HĐTĐKT"), closed_on)
        centre = WD_ALIGN_PARAGRAPH.CENTER
        add_paragraph(document, _("MINUTES"), bold=True, align=centre, size=14)
        add_paragraph(
            document,
            _("Meeting of the Emulation and Commendation Council"),
            bold=True,
            align=centre,
        )
        add_paragraph(
            document,
            _("Date: %(day)s. Place: %(place)s.")
            % {"day": f"{meeting.held_on:%d/%m/%Y}", "place": meeting.location or "…"},
        )
        attendance = list(meeting.attendance.all())
        written = {receipt.member_id for receipt in meeting.receipts.all() if receipt.in_writing}
        voting = [row for row in attendance if row.votes]
        present = sum(1 for row in voting if row.present)
        add_paragraph(document, _("I. ATTENDANCE"), bold=True)
        add_paragraph(
            document,
            _(
                "The council has %(size)s members: %(present)s present, %(absent)s absent "
                "(%(written)s of whom voted in writing)."
            )
            % {
                "size": meeting.council_size,
                "present": present,
                "absent": len(voting) - present,
                "written": len(written),
            },
        )
        add_paragraph(
            document,
            _(
                "The council's size counts every member seated on the meeting day, whatever "
                "the state of their user account."
            ),
        )
        for row in attendance:
            if not row.votes:
                add_paragraph(
                    document,
                    _(
                        "%(name)s, %(role)s, is not a member of the council: attends without "
                        "a vote and is not counted in its size."
                    )
                    % {"name": row.member.get_full_name(), "role": row.get_role_display()},
                )
        grid(
            document,
            [_("No."), _("Full name"), _("Role in the council"), _("Attendance")],
            (
                [
                    str(index),
                    row.member.get_full_name(),
                    row.get_role_display()
                    if row.votes
                    else f"{row.get_role_display()} ({_('does not vote')})",
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
        add_paragraph(document)
        add_paragraph(document, _("II. SECRET BALLOT"), bold=True)
        add_paragraph(
            document,
            _(
                "Ballots cast: %(cast)s of %(size)s. Each threshold is a share of all the "
                "council's members, not of those present."
            )
            % {"cast": len(meeting.receipts.all()), "size": meeting.council_size},
        )
        _publicity(
            document,
            [row.tally for row in results],
            _("III. PUBLICITY BEFORE THE MEETING AND PUBLIC COMMENTS"),
        )
        add_paragraph(document, _("IV. RESULTS"), bold=True)
        rows = []
        for index, row in enumerate(results, start=1):
            name, where = nominee_line(row.nomination)
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
                    f"{row.threshold} ({row.source})" if row.source else row.threshold,
                    _("Approved") if row.approved else _("Not approved"),
                ]
            )
        grid(
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
        add_paragraph(document)
        add_paragraph(
            document,
            _("The meeting closed at %(time)s on %(day)s.")
            % {
                "time": f"{timezone.localtime(meeting.ballot_closed_at):%H:%M}",
                "day": f"{closed_on:%d/%m/%Y}",
            },
        )
        signatures(
            document,
            [
                (_("SECRETARY"), _seat_holder(seats, CouncilMember.Role.SECRETARY)),
                (_("CHAIR OF THE COUNCIL"), _seat_holder(seats, CouncilMember.Role.CHAIR)),
            ],
        )
        return to_bytes(document)
