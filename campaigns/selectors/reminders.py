"""What the reminders need: who receives them, and what a message says when it goes out."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from campaigns.models import Campaign, ProgressReport, Reminder, ReportingPeriod
from campaigns.selectors.expected import units_missing
from units.models import Membership, Unit, User
from units.roles import BOARD_GROUP, SECRETARY_GROUP


@dataclass(frozen=True)
class Recipient:
    unit_id: int
    user_id: int
    email: str
    wants_email: bool


def unit_recipients(
    *, units: QuerySet[Unit] | list[int], roles: tuple[str, ...], heads_if_no_officer: bool = False
) -> list[Recipient]:
    """Active members of the units in the given roles, one row per unit and person (1 query).

    With heads_if_no_officer, a unit that has no active officer is reached through its head.
    """
    wanted = set(roles) | ({Membership.Role.HEAD} if heads_if_no_officer else set())
    rows = (
        Membership.objects.filter(unit__in=units, role__in=wanted, user__is_active=True)
        .order_by("unit_id", "user_id")
        .values_list("unit_id", "user_id", "role", "user__email", "user__email_notifications")
    )
    by_unit: dict[int, dict[str, list[Recipient]]] = {}
    for unit_id, user_id, role, email, wants_email in rows:
        by_unit.setdefault(unit_id, {}).setdefault(role, []).append(
            Recipient(unit_id, user_id, email or "", wants_email)
        )
    recipients: list[Recipient] = []
    for members in by_unit.values():
        chosen = [person for role in roles for person in members.get(role, [])]
        if not chosen and heads_if_no_officer:
            chosen = members.get(Membership.Role.HEAD, [])
        seen: set[int] = set()
        for person in chosen:
            if person.user_id not in seen:
                seen.add(person.user_id)
                recipients.append(person)
    return recipients


def board_recipients(*, secretaries: bool = True, members: bool = False) -> list[User]:
    groups = ([SECRETARY_GROUP] if secretaries else []) + ([BOARD_GROUP] if members else [])
    return list(
        User.objects.filter(groups__name__in=groups, is_active=True).distinct().order_by("pk")
    )


def overdue_units(*, period: ReportingPeriod) -> list[Unit]:
    """For the escalation: every unit still missing, in the tree's order (1 query)."""
    return list(units_missing(period=period).select_related("parent").order_by("path"))


@dataclass
class DigestFigures:
    week_start: datetime.date
    week_end: datetime.date
    received: int
    late: int
    returned: int
    accepted: int
    late_reports: list[ProgressReport]
    returned_reports: list[ProgressReport]


DIGEST_LIST_LIMIT = 20


def digest_figures(
    *, campaign: Campaign, week_start: datetime.date, week_end: datetime.date
) -> DigestFigures:
    """What happened to the campaign's reports during a week, by their current state (3 queries).

    Received counts reports (re)submitted that week, late those among them first submitted
    after their due date; returned and accepted count reviews made that week that still stand.
    """
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(week_start, datetime.time.min, tzinfo=tz)
    end = datetime.datetime.combine(
        week_end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz
    )
    reports = ProgressReport.objects.filter(period__campaign=campaign)
    submitted = Q(submitted_at__gte=start, submitted_at__lt=end)
    reviewed = Q(reviewed_at__gte=start, reviewed_at__lt=end)
    figures = reports.aggregate(
        received=Count("pk", filter=submitted),
        late=Count("pk", filter=submitted & Q(late=True)),
        returned=Count("pk", filter=reviewed & Q(status=ProgressReport.Status.RETURNED)),
        accepted=Count("pk", filter=reviewed & Q(status=ProgressReport.Status.ACCEPTED)),
    )
    listed = reports.select_related("unit", "period").order_by("unit__path", "period__starts_on")
    return DigestFigures(
        week_start=week_start,
        week_end=week_end,
        late_reports=list(listed.filter(submitted & Q(late=True))[:DIGEST_LIST_LIMIT]),
        returned_reports=list(
            listed.filter(reviewed & Q(status=ProgressReport.Status.RETURNED))[:DIGEST_LIST_LIMIT]
        ),
        **figures,
    )


def reminder_for_delivery(*, reminder_id: int) -> Reminder:
    return Reminder.objects.select_related("campaign", "unit", "period", "recipient").get(
        pk=reminder_id
    )
