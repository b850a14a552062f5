"""The secretary's follow-up page: the missing reports of a period and who was reminded when."""

from __future__ import annotations

import datetime

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from campaigns.models import Campaign, ProgressReport, Reminder, ReportingPeriod
from campaigns.selectors.campaigns import periods_open
from campaigns.selectors.expected import RECEIVED, units_expected, units_missing
from units.models import Membership, Unit


def periods_to_follow(*, campaign: Campaign, today: datetime.date) -> list[ReportingPeriod]:
    """Periods the secretary may chase today: started, not locked (most urgent first)."""
    return list(periods_open(campaign=campaign, today=today))


def last_reminder_sent(period: ReportingPeriod) -> Subquery:
    """When a reminder about the period's report last went out to the unit (OuterRef "pk")."""
    return Subquery(
        Reminder.objects.filter(
            unit=OuterRef("pk"),
            period=period,
            kind__in=Reminder.CHASING,
            state=Reminder.State.SENT,
        )
        .order_by("-sent_at")
        .values("sent_at")[:1]
    )


def follow_up_rows(
    *, period: ReportingPeriod, kind: str = "", bloc_code: str = "", query: str = ""
) -> QuerySet[Unit]:
    """The missing units of a period with what the follow-up page shows (1 query a page).

    Each unit carries its report's status (none, draft, returned), its active officers and
    heads (a reminder reaches the officers, or the heads when there is no officer), when a
    reminder last went out and whether one is still waiting to go.
    """
    chasing = Reminder.objects.filter(
        unit=OuterRef("pk"), period=period, kind__in=Reminder.CHASING
    ).order_by()

    def members(role: str) -> Coalesce:
        counted = (
            Membership.objects.filter(unit=OuterRef("pk"), role=role, user__is_active=True)
            .order_by()
            .values("unit")
            .annotate(count=Count("user"))
            .values("count")
        )
        return Coalesce(Subquery(counted, output_field=IntegerField()), 0)

    units = (
        units_missing(period=period)
        .select_related("bloc")
        .annotate(
            report_status=Subquery(
                ProgressReport.objects.filter(unit=OuterRef("pk"), period=period).values("status")[
                    :1
                ]
            ),
            last_reminded=last_reminder_sent(period),
            reminder_waiting=Exists(chasing.filter(state=Reminder.State.QUEUED)),
            officers=members(Membership.Role.OFFICER),
            heads=members(Membership.Role.HEAD),
        )
    )
    if kind:
        units = units.filter(kind=kind)
    if bloc_code:
        units = units.filter(bloc__code=bloc_code)
    if query:
        units = units.filter(
            Q(name__icontains=query) | Q(code__icontains=query) | Q(province__icontains=query)
        )
    return units.order_by("path")


def follow_up_row(*, period: ReportingPeriod, unit: Unit) -> Unit | None:
    """One unit's row of the page, or None once its report has come in."""
    return follow_up_rows(period=period).filter(pk=unit.pk).first()


def unit_to_remind(*, period: ReportingPeriod, code: str) -> Unit:
    """A unit expected to report for the period, by its code (Unit.DoesNotExist otherwise)."""
    return units_expected(period=period).get(code=code)


UNREACHABLE_SHOWN = 20


def units_unreachable_missing(*, period: ReportingPeriod) -> tuple[list[Unit], int]:
    """The missing units of the period nobody can be reminded in (no active officer or head):
    the first few to list, and how many there are (two queries)."""
    from units.waiting import reachable_members

    units = units_missing(period=period).filter(
        ~Exists(reachable_members().filter(unit=OuterRef("pk")))
    )
    return list(units.order_by("path")[:UNREACHABLE_SHOWN]), units.count()


def follow_up_counts(*, period: ReportingPeriod) -> dict[str, int]:
    expected = units_expected(period=period)
    return {
        "expected": expected.count(),
        "received": ProgressReport.objects.filter(
            period=period, status__in=RECEIVED, unit__in=expected
        ).count(),
    }
