"""Telling the next person in a report's workflow that it is their turn: a submitted report to
the unit's heads, an accepted one to its officers (a returned one goes through the reminders,
campaigns/services/reminders.py `reminders_for_return`).

The steps call these inside their transaction; the messages are written there in each
recipient's language and delivered once it commits (units/delivery.py), in the inbox and by
e-mail for those who want it. A message names only the unit's own report and goes only to
that unit's people. The key carries the report's content version as the step found it (every
step bumps it), so a resubmission is a new occasion while the same step tells nobody twice.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from campaigns.models import ProgressReport
from units.delivery import messages_post
from units.models import Membership, User


def _members(report: ProgressReport, role: str, *, actor: User | None):
    people = User.objects.filter(
        is_active=True, memberships__unit_id=report.unit_id, memberships__role=role
    ).distinct()
    return people.exclude(pk=actor.pk) if actor is not None else people


def report_tell_heads_submitted(*, report: ProgressReport, actor: User | None) -> int:
    """The officer submitted: the heads accept or return it."""

    def write(user):
        values = {"period": report.period.label, "unit": report.unit.name}
        return (
            _("Report %(period)s of %(unit)s to accept") % values,
            _("The report %(period)s of %(unit)s was submitted: accept it or return it.") % values,
            reverse("reports:report", args=[report.pk]),
        )

    return len(
        messages_post(
            recipients=_members(report, Membership.Role.HEAD, actor=actor),
            key=f"report-submitted:{report.pk}:{report.content_version}",
            write=write,
        )
    )


def report_tell_officers_accepted(*, report: ProgressReport, actor: User | None) -> int:
    """The head accepted: the officers (and whoever submitted) know the period is done."""
    people = list(_members(report, Membership.Role.OFFICER, actor=actor))
    submitter = report.submitted_by
    if submitter is not None and (actor is None or submitter.pk != actor.pk):
        people.append(submitter)

    def write(user):
        values = {"period": report.period.label, "unit": report.unit.name}
        return (
            _("Report %(period)s of %(unit)s accepted") % values,
            _("The report %(period)s of %(unit)s was accepted.") % values,
            reverse("reports:report", args=[report.pk]),
        )

    return len(
        messages_post(
            recipients=people,
            key=f"report-accepted:{report.pk}:{report.content_version}",
            write=write,
        )
    )
