"""What waits for a unit's officers and heads in the campaigns: reports to fill, to correct and
to accept (the home page's "waiting for you", units/waiting.py). Two queries at most."""

from __future__ import annotations

import datetime

from django.db.models import Count, Exists, F, Min, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign, ProgressReport, ReportingPeriod
from campaigns.selectors.expected import RECEIVED
from units.models import User
from units.roles import Roles
from units.waiting import WaitingItem

# Enough to say "many"; the count is exact below it.
REPORTS_TO_FILL_LIMIT = 500


def reports_to_fill(*, unit_ids: frozenset[int], today: datetime.date) -> list[tuple[int, str]]:
    """(period id, unit code) of every report the units owe today and have not submitted: a
    period of a running campaign open for reporting, the unit taking part and existing when the
    period ends (the rule of campaigns/selectors/expected.py). Most urgent first; one query."""
    if not unit_ids:
        return []
    unit = "campaign__participations__unit"
    received = ProgressReport.objects.filter(
        unit_id=OuterRef("owing_unit"), period_id=OuterRef("pk"), status__in=RECEIVED
    )
    return list(
        ReportingPeriod.objects.filter(
            # One filter() call: every condition on the participation is about the same row.
            Q(**{f"{unit}__in": unit_ids})
            & (
                Q(**{f"{unit}__opened_on__isnull": True})
                | Q(**{f"{unit}__opened_on__lte": F("ends_on")})
            )
            & (
                Q(**{f"{unit}__closed_on__isnull": True})
                | Q(**{f"{unit}__closed_on__gte": F("ends_on")})
            ),
            campaign__status=Campaign.Status.ACTIVE,
            starts_on__lte=today,
            locks_on__gte=today,
        )
        .annotate(owing_unit=F(f"{unit}__pk"), owing_code=F(f"{unit}__code"))
        .filter(~Exists(received))
        .order_by("due_on", "owing_code")
        .values_list("pk", "owing_code")[:REPORTS_TO_FILL_LIMIT]
    )


def report_items(user: User, roles: Roles, today: datetime.date) -> list[WaitingItem]:
    if not roles.is_unit_member:
        return []
    items = []
    to_fill = reports_to_fill(unit_ids=roles.officer_unit_ids, today=today)
    if to_fill:
        period_id, code = to_fill[0]
        items.append(
            WaitingItem(
                _("Reports to fill in and submit"),
                len(to_fill),
                reverse("reports:report_for_period", args=[code, period_id]),
            )
        )
    # Only the conditions that can hold go into the query: an aggregate filtered on an empty
    # set of units would make the whole statement answer nothing.
    conditions = {}
    if roles.officer_unit_ids:
        conditions["returned"] = Q(
            unit_id__in=roles.officer_unit_ids, status=ProgressReport.Status.RETURNED
        )
    if roles.head_unit_ids:
        conditions["submitted"] = Q(
            unit_id__in=roles.head_unit_ids, status=ProgressReport.Status.SUBMITTED
        )
    either = Q()
    aggregates = {}
    for name, condition in conditions.items():
        either |= condition
        aggregates[name] = Count("pk", filter=condition)
        aggregates[f"first_{name}"] = Min("pk", filter=condition)
    figures = dict.fromkeys(["returned", "submitted"], 0)
    figures.update(ProgressReport.objects.filter(either).aggregate(**aggregates))
    if figures["returned"]:
        items.append(
            WaitingItem(
                _("Reports returned for correction"),
                figures["returned"],
                reverse("reports:report", args=[figures["first_returned"]]),
            )
        )
    if figures["submitted"]:
        items.append(
            WaitingItem(
                _("Reports to accept or return"),
                figures["submitted"],
                reverse("reports:report", args=[figures["first_submitted"]]),
            )
        )
    return items
