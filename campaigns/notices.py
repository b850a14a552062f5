"""What a reminder says: its subject, the one-line message for the inbox and the e-mail text.

Rendered when the reminder is sent, in the recipient's language, from what is true at that
moment (the escalation lists the units still missing then, not when it was queued).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from campaigns.models import ProgressReport, Reminder
from campaigns.selectors.reminders import DigestFigures
from units.models import Unit


@dataclass(frozen=True)
class Section:
    title: str
    lines: list[tuple[str, str]]  # (text, absolute link or "")
    more: int = 0


@dataclass(frozen=True)
class Notice:
    subject: str
    message: str  # the inbox line, and the e-mail's first paragraph
    url: str  # a path inside the site
    body: str = ""
    sections: list[Section] = field(default_factory=list)


def _day(value: datetime.date) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT")


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _report_path(unit: Unit, period) -> str:
    return reverse("reports:report_for_period", args=[unit.code, period.pk])


def _follow_up_path(reminder: Reminder) -> str:
    path = reverse("campaigns:follow_up", args=[reminder.campaign.code])
    return f"{path}?period={reminder.period_id}" if reminder.period_id else path


def _before_due(reminder: Reminder, **_context) -> Notice:
    unit, period = reminder.unit.localized("name"), reminder.period
    values = {"unit": unit, "period": period.label, "due": _day(period.due_on)}
    return Notice(
        subject=_("Reminder: report %(period)s of %(unit)s is due on %(due)s") % values,
        message=_(
            "The report of %(unit)s for %(period)s is due on %(due)s and has not been "
            "submitted yet."
        )
        % values,
        url=_report_path(reminder.unit, period),
    )


def _overdue(reminder: Reminder, **_context) -> Notice:
    period = reminder.period
    values = {
        "unit": reminder.unit.localized("name"),
        "period": period.label,
        "due": _day(period.due_on),
        "locks": _day(period.locks_on),
    }
    return Notice(
        subject=_("Overdue: report %(period)s of %(unit)s") % values,
        message=_(
            "The report of %(unit)s for %(period)s was due on %(due)s and is late. Submit it "
            "before %(locks)s, when the period locks."
        )
        % values,
        url=_report_path(reminder.unit, period),
    )


def _nudge(reminder: Reminder, **_context) -> Notice:
    period = reminder.period
    values = {
        "unit": reminder.unit.localized("name"),
        "period": period.label,
        "due": _day(period.due_on),
    }
    return Notice(
        subject=_("The board secretary reminds you: report %(period)s of %(unit)s") % values,
        message=_(
            "The board secretary reminds you that the report of %(unit)s for %(period)s "
            "(due %(due)s) has not been submitted yet."
        )
        % values,
        url=_report_path(reminder.unit, period),
    )


def _returned(reminder: Reminder, *, report: ProgressReport, **_context) -> Notice:
    reviewer = report.reviewed_by.get_full_name() if report.reviewed_by else _("The unit head")
    values = {
        "unit": reminder.unit.localized("name"),
        "period": reminder.period.label,
        "reviewer": reviewer,
    }
    return Notice(
        subject=_("Report %(period)s of %(unit)s was returned for correction") % values,
        message=_("%(reviewer)s returned the report of %(unit)s for %(period)s for correction.")
        % values,
        url=reverse("reports:report", args=[report.pk]),
        body=_("Reason: %(reason)s") % {"reason": report.return_reason},
    )


def _escalation(reminder: Reminder, *, units: list[Unit], **_context) -> Notice:
    period = reminder.period
    values = {"count": len(units), "period": period.label, "due": _day(period.due_on)}
    return Notice(
        subject=ngettext(
            "Escalation: %(count)s unit has not reported for %(period)s",
            "Escalation: %(count)s units have not reported for %(period)s",
            len(units),
        )
        % values,
        message=ngettext(
            "%(count)s unit has still not reported for %(period)s, due %(due)s.",
            "%(count)s units have still not reported for %(period)s, due %(due)s.",
            len(units),
        )
        % values,
        url=_follow_up_path(reminder),
        sections=[
            Section(
                _("Units that have not reported"),
                [(unit.localized("name"), absolute(_report_path(unit, period))) for unit in units],
            )
        ],
    )


def _report_lines(reports: list[ProgressReport], total: int) -> tuple[list, int]:
    lines = [
        (
            f"{report.unit.localized('name')} — {report.period.label}",
            absolute(reverse("reports:report", args=[report.pk])),
        )
        for report in reports
    ]
    return lines, max(total - len(lines), 0)


def _digest(reminder: Reminder, *, figures: DigestFigures, **_context) -> Notice:
    values = {
        "start": _day(figures.week_start),
        "end": _day(figures.week_end),
        "campaign": reminder.campaign.localized("title"),
        "received": figures.received,
        "late": figures.late,
        "returned": figures.returned,
        "accepted": figures.accepted,
    }
    late, late_more = _report_lines(figures.late_reports, figures.late)
    returned, returned_more = _report_lines(figures.returned_reports, figures.returned)
    sections = []
    if late:
        sections.append(Section(_("Received late"), late, late_more))
    if returned:
        sections.append(Section(_("Returned for correction"), returned, returned_more))
    return Notice(
        subject=_("Weekly digest %(start)s–%(end)s: %(campaign)s") % values,
        message=_(
            "Week %(start)s–%(end)s — reports received: %(received)s (late: %(late)s), "
            "returned: %(returned)s, accepted: %(accepted)s."
        )
        % values,
        url=reverse("campaigns:follow_up", args=[reminder.campaign.code]),
        sections=sections,
    )


WRITERS = {
    Reminder.Kind.BEFORE_DUE: _before_due,
    Reminder.Kind.OVERDUE: _overdue,
    Reminder.Kind.NUDGE: _nudge,
    Reminder.Kind.RETURNED: _returned,
    Reminder.Kind.ESCALATION: _escalation,
    Reminder.Kind.DIGEST: _digest,
}


def notice_for(reminder: Reminder, **context) -> tuple[Notice, str]:
    """The notice and its e-mail text, written in the recipient's language."""
    recipient = reminder.recipient
    with translation.override(recipient.language or settings.LANGUAGE_CODE):
        notice = WRITERS[reminder.kind](reminder, **context)
        text = render_to_string(
            "campaigns/email/reminder.txt",
            {
                "name": recipient.get_full_name(),
                "notice": notice,
                "link": absolute(notice.url),
                "essential": reminder.kind in Reminder.ESSENTIAL,
                "preferences": absolute(reverse("me:preferences")),
            },
        )
    return notice, text
