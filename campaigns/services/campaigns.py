"""Campaigns: load one from its data document, cut it into periods, enrol its units."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction

from campaigns.models import Campaign, Indicator, Objective, Participation, ReportingPeriod
from campaigns.periods import period_spans
from campaigns.services.figures import figures_changed_for, maintains_figures
from units.models import Unit


@transaction.atomic
@maintains_figures
def campaign_generate_periods(*, campaign: Campaign) -> list[ReportingPeriod]:
    """Create the campaign's periods from its cadence; existing ones get their dates refreshed.

    Safe to run again: periods are matched by label, so nothing is duplicated, and a change of
    the days of grace or of locking moves the due and lock dates of every period.
    """
    existing = {period.label: period for period in campaign.periods.all()}
    grace = datetime.timedelta(days=campaign.grace_days)
    lock = datetime.timedelta(days=campaign.lock_days)
    periods = []
    for span in period_spans(campaign.cadence, campaign.starts_on, campaign.ends_on):
        values = {
            "starts_on": span.starts_on,
            "ends_on": span.ends_on,
            "due_on": span.ends_on + grace,
            "locks_on": span.ends_on + grace + lock,
        }
        period = existing.get(span.label)
        if period is None:
            period = ReportingPeriod.objects.create(campaign=campaign, label=span.label, **values)
        elif any(getattr(period, key) != value for key, value in values.items()):
            for key, value in values.items():
                setattr(period, key, value)
            period.save()
        periods.append(period)
    campaign_generate_review_periods(campaign=campaign)
    return periods


def _day(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


# The labels are the documents' own names (like "2024-Q1", they are data, not interface text).
REVIEW_LABELS = {"midterm": "Sơ kết", "final": "Tổng kết"}
REVIEW_WINDOW_DAYS = 30  # units write their review report in the month before its date


def campaign_generate_review_periods(*, campaign: Campaign) -> list[ReportingPeriod]:
    """A review period for each review date set on the campaign: due on that date, opening
    REVIEW_WINDOW_DAYS before it (not before the campaign starts), locking the campaign's lock
    days after it. Matched by label, so running it again only moves the dates; a review date
    cleared removes its period while no unit has started a report on it."""
    existing = {
        period.label: period
        for period in ReportingPeriod.all_kinds.filter(
            campaign=campaign, kind=ReportingPeriod.Kind.REVIEW
        )
    }
    window = datetime.timedelta(days=REVIEW_WINDOW_DAYS)
    lock = datetime.timedelta(days=campaign.lock_days)
    periods = []
    for key, day in (("midterm", campaign.midterm_review_on), ("final", campaign.final_review_on)):
        label = REVIEW_LABELS[key]
        period = existing.get(label)
        if day is None:
            if period is not None and not period.reports.exists():
                period.delete()
            continue
        values = {
            "starts_on": max(campaign.starts_on, day - window),
            "ends_on": day,
            "due_on": day,
            "locks_on": day + lock,
        }
        if period is None:
            period = ReportingPeriod.all_kinds.create(
                campaign=campaign, label=label, kind=ReportingPeriod.Kind.REVIEW, **values
            )
        elif any(getattr(period, key) != value for key, value in values.items()):
            for name, value in values.items():
                setattr(period, name, value)
            period.save()
        periods.append(period)
    return periods


@transaction.atomic
@maintains_figures
def campaign_load(*, data: dict[str, Any]) -> Campaign:
    """Create or update a campaign, its objectives and indicators from a data document.

    Objectives are matched by number and indicators by code, so loading the same document
    twice changes nothing; the launching unit must already exist (it is looked up by code).
    """
    launched_by = Unit.objects.get(code=data["launched_by"])
    campaign, _ = Campaign.objects.update_or_create(
        code=data["code"],
        defaults={
            "title": data["title"],
            "title_en": data.get("title_en", ""),
            "slogan": data.get("slogan", ""),
            "document_ref": data.get("document_ref", ""),
            "launched_on": datetime.date.fromisoformat(data["launched_on"]),
            "launched_by": launched_by,
            "starts_on": datetime.date.fromisoformat(data["starts_on"]),
            "ends_on": datetime.date.fromisoformat(data["ends_on"]),
            "cadence": data.get("cadence", Campaign.Cadence.QUARTERLY),
            "grace_days": data.get("grace_days", 15),
            "lock_days": data.get("lock_days", 30),
            "status": data.get("status", Campaign.Status.ACTIVE),
            "midterm_review_on": _day(data.get("midterm_review_on")),
            "final_review_on": _day(data.get("final_review_on")),
        },
    )
    for objective_data in data["objectives"]:
        objective, _ = Objective.objects.update_or_create(
            campaign=campaign,
            number=objective_data["number"],
            defaults={
                "title": objective_data["title"],
                "title_en": objective_data.get("title_en", ""),
                "text": objective_data["text"],
                "weight": Decimal(objective_data.get("weight", "1")),
            },
        )
        for order, indicator_data in enumerate(objective_data.get("indicators", []), start=1):
            Indicator.objects.update_or_create(
                code=indicator_data["code"],
                defaults={
                    "objective": objective,
                    "name": indicator_data["name"],
                    "name_en": indicator_data.get("name_en", ""),
                    "measure": indicator_data["measure"],
                    "measure_en": indicator_data.get("measure_en", ""),
                    "kind": indicator_data["kind"],
                    "direction": indicator_data.get("direction", Indicator.Direction.HIGHER),
                    "rollup": indicator_data["rollup"],
                    "weight": Decimal(indicator_data.get("weight", "1")),
                    "order": order,
                },
            )
    campaign_generate_periods(campaign=campaign)
    return campaign


@transaction.atomic
@maintains_figures
def campaign_enrol_units(*, campaign: Campaign, units: list[Unit]) -> int:
    """Add units to the campaign's participants; returns how many were new."""
    already = set(campaign.participations.values_list("unit_id", flat=True))
    new = [
        Participation(campaign=campaign, unit=unit, joined_on=unit.opened_on)
        for unit in units
        if unit.pk not in already
    ]
    Participation.objects.bulk_create(new)
    # bulk_create sends no signal: the new participants' figures are marked here.
    figures_changed_for(campaign=campaign, unit_ids=[p.unit_id for p in new])
    return len(new)
