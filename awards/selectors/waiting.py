"""What waits for each role in the commendations (the home page's "waiting for you",
units/waiting.py): the unit's nominations to complete or submit, the secretary's dossiers to
screen, comments to moderate and meetings to prepare, the member's open ballots. Three queries
at most, whatever the data."""

from __future__ import annotations

import datetime

from django.db.models import Count, Exists, Min, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from awards.models import Attendance, BallotReceipt, Meeting, Nomination, PublicComment
from units.models import User
from units.roles import Roles
from units.waiting import WaitingItem

Status = Nomination.Status
TO_COMPLETE = (Status.DRAFT, Status.RETURNED)
TO_SCREEN = (Status.SUBMITTED, Status.SCREENING)


def secretary_levels(roles: Roles, field: str) -> Q | None:
    """The levels whose secretary the user is, as a filter on `field` (a deciding unit): the
    Ministry's (None) for the secretary group, the units whose council's secretary seat they
    hold; None when they are no secretary at all."""
    levels = None
    if roles.is_secretary:
        levels = Q(**{f"{field}__isnull": True})
    if roles.secretary_unit_ids:
        unit_level = Q(**{f"{field}__in": roles.secretary_unit_ids})
        levels = unit_level if levels is None else levels | unit_level
    return levels


def _list(query: str) -> str:
    return f"{reverse('awards:list')}?{query}"


def _figures(queryset, conditions: dict[str, Q | None], *, first: str = "") -> dict[str, int]:
    """Count each condition over the queryset in one query; a condition that cannot hold (None)
    counts 0 without being sent (an aggregate filtered on an empty condition makes the whole
    statement answer nothing). `first` also answers the smallest id of that condition."""
    live = {name: condition for name, condition in conditions.items() if condition is not None}
    figures = dict.fromkeys(conditions, 0)
    if not live:
        return figures
    either = Q()
    for condition in live.values():
        either |= condition
    aggregates = {name: Count("pk", filter=condition) for name, condition in live.items()}
    if first in live:
        aggregates[f"first_{first}"] = Min("pk", filter=live[first])
    figures.update(queryset.filter(either).aggregate(**aggregates))
    return figures


def nomination_items(user: User, roles: Roles, today: datetime.date) -> list[WaitingItem]:
    items: list[WaitingItem] = []
    officer_only = roles.officer_unit_ids - roles.head_unit_ids
    levels = secretary_levels(roles, "deciding_unit")
    if roles.is_unit_member or levels is not None:
        figures = _figures(
            Nomination.objects.all(),
            {
                "complete": Q(proposing_unit_id__in=officer_only, status__in=TO_COMPLETE)
                if officer_only
                else None,
                "submit": Q(proposing_unit_id__in=roles.head_unit_ids, status__in=TO_COMPLETE)
                if roles.head_unit_ids
                else None,
                "screen": (levels & Q(status__in=TO_SCREEN)) if levels is not None else None,
            },
        )
        items += [
            WaitingItem(_("Nominations to complete"), figures["complete"], _list("status=draft")),
            WaitingItem(_("Nominations to submit"), figures["submit"], _list("status=draft")),
            WaitingItem(_("Dossiers to screen"), figures["screen"], _list("status=submitted")),
        ]
    if levels is not None:
        comments = PublicComment.objects.filter(
            secretary_levels(roles, "publication__nomination__deciding_unit"),
            status=PublicComment.Status.PENDING,
        ).count()
        items.append(
            WaitingItem(_("Public comments to moderate"), comments, reverse("awards:publicity"))
        )
    meetings = secretary_levels(roles, "council__unit")
    if meetings is not None or roles.is_board_member or roles.on_a_unit_council:
        seated = Attendance.objects.filter(
            meeting=OuterRef("pk"), member=user, present=True, votes=True
        )
        voted = BallotReceipt.objects.filter(meeting=OuterRef("pk"), member=user)
        figures = _figures(
            Meeting.objects.alias(seated=Exists(seated), voted=Exists(voted)),
            {
                "prepare": (meetings & Q(status=Meeting.Status.SCHEDULED))
                if meetings is not None
                else None,
                "ballots": Q(status=Meeting.Status.BALLOT_OPEN, seated=True, voted=False),
            },
            first="ballots",
        )
        items.append(
            WaitingItem(_("Meetings to prepare"), figures["prepare"], reverse("awards:meetings"))
        )
        if figures["ballots"]:
            url = (
                reverse("awards:ballot", args=[figures["first_ballots"]])
                if figures["ballots"] == 1
                else reverse("awards:meetings")
            )
            items.append(WaitingItem(_("Open ballots to cast"), figures["ballots"], url))
    return items
