"""Campaigns, their participants and periods, as the campaign pages and the home page read them."""

from __future__ import annotations

import datetime

from django.db.models import Count, Prefetch, Q, QuerySet

from campaigns.models import Campaign, Indicator, Objective, Participation, ReportingPeriod


def campaign_list(*, include_drafts: bool = True) -> QuerySet[Campaign]:
    campaigns = Campaign.objects.select_related("launched_by").annotate(
        participant_count=Count("participations", distinct=True)
    )
    if not include_drafts:
        campaigns = campaigns.exclude(status=Campaign.Status.DRAFT)
    return campaigns


def campaigns_running(*, today: datetime.date) -> list[Campaign]:
    """The launched campaigns under way today, side by side (the latest started first)."""
    return list(
        Campaign.objects.select_related("launched_by")
        .filter(status=Campaign.Status.ACTIVE, starts_on__lte=today, ends_on__gte=today)
        .order_by("-starts_on", "code")
    )


def campaign_detail(*, code: str) -> Campaign:
    return (
        Campaign.objects.select_related("launched_by")
        .prefetch_related(
            Prefetch(
                "objectives",
                queryset=Objective.objects.order_by("number").prefetch_related(
                    Prefetch("indicators", queryset=Indicator.objects.order_by("order", "code"))
                ),
            ),
            Prefetch("periods", queryset=ReportingPeriod.objects.order_by("starts_on")),
        )
        .get(code=code)
    )


def campaign_active(*, today: datetime.date) -> Campaign | None:
    return (
        Campaign.objects.select_related("launched_by")
        .filter(status=Campaign.Status.ACTIVE, starts_on__lte=today, ends_on__gte=today)
        .order_by("-starts_on")
        .first()
    )


def campaign_latest() -> Campaign | None:
    """The campaign that started last, whatever its status (when none runs today)."""
    return Campaign.objects.exclude(status=Campaign.Status.DRAFT).order_by("-starts_on").first()


def participant_counts(*, campaign: Campaign, on: datetime.date) -> dict[str, int]:
    """How many units take part, and how many of them exist on the given day."""
    open_units = Q(unit__opened_on__isnull=True) | Q(unit__opened_on__lte=on)
    not_closed = Q(unit__closed_on__isnull=True) | Q(unit__closed_on__gte=on)
    return campaign.participations.aggregate(
        total=Count("pk"), open_now=Count("pk", filter=open_units & not_closed)
    )


def participant_list(
    *, campaign: Campaign, kind: str = "", bloc_code: str = "", query: str = ""
) -> QuerySet[Participation]:
    participations = campaign.participations.select_related("unit", "unit__bloc")
    if kind:
        participations = participations.filter(unit__kind=kind)
    if bloc_code:
        participations = participations.filter(unit__bloc__code=bloc_code)
    if query:
        participations = participations.filter(
            Q(unit__name__icontains=query)
            | Q(unit__code__icontains=query)
            | Q(unit__province__icontains=query)
        )
    return participations.order_by("unit__bloc__name", "unit__path")


def period_state(period: ReportingPeriod, today: datetime.date) -> str:
    if today < period.starts_on:
        return "upcoming"
    if today > period.locks_on:
        return "locked"
    if today > period.due_on:
        return "overdue"
    return "open"


def periods_open(*, campaign: Campaign, today: datetime.date) -> QuerySet[ReportingPeriod]:
    """Periods a unit may still report on today, the most urgent (earliest due) first."""
    return campaign.periods.filter(starts_on__lte=today, locks_on__gte=today).order_by("due_on")


def period_current(*, campaign: Campaign, today: datetime.date) -> ReportingPeriod | None:
    """The one rule for "the current period", used by the home page and the dashboard and
    stated on both: the period units are reporting on now (open for reporting today, the
    earliest due first); when none is open, the latest that has ended; before any has ended,
    the first. One query."""
    periods = list(campaign.periods.order_by("starts_on"))
    open_now = [p for p in periods if p.starts_on <= today <= p.locks_on]
    if open_now:
        return min(open_now, key=lambda p: (p.due_on, p.starts_on))
    ended = [p for p in periods if p.ends_on < today]
    if ended:
        return ended[-1]
    return periods[0] if periods else None


def period_detail(*, period_id: int) -> ReportingPeriod:
    """A period, of either kind, with its campaign (one query)."""
    return ReportingPeriod.all_kinds.select_related("campaign").get(pk=period_id)
