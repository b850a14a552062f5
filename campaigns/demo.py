"""Demo data of the campaign: the 2021–2026 campaign with the sector enrolled and a realistic
history for every unit: a registration with targets each year, and a report for most periods
that have ended (a few late, a few returned, some still waiting for the head), so that the unit
pages and the dashboard show attainment on the first run.

Seeded after units.demo (the sector and its people); matched by code, so seeding twice changes
nothing.
"""

from __future__ import annotations

import datetime
import json
import random
from decimal import Decimal
from pathlib import Path

from django.utils import timezone

from campaigns.models import (
    Campaign,
    Indicator,
    IndicatorValue,
    ProgressReport,
    Registration,
    ReportingPeriod,
    ReportLine,
    Target,
)
from campaigns.selectors.expected import units_expected
from campaigns.services.campaigns import campaign_enrol_units, campaign_load
from units.demo import DemoRun
from units.models import Unit

DATA_DIR = Path(__file__).resolve().parent / "data"
CAMPAIGN_FILE = DATA_DIR / "campaign-2021-2026.json"


def seed(*, run: DemoRun) -> None:
    campaign = campaign_load(data=json.loads(CAMPAIGN_FILE.read_text(encoding="utf-8")))
    campaign_enrol_units(
        campaign=campaign, units=list(Unit.objects.exclude(kind=Unit.Kind.MINISTRY))
    )
    today = timezone.localdate()
    demo_registrations(campaign=campaign, today=today)
    demo_reports(campaign=campaign, today=today)
    # Written in bulk (no signal): the dashboards' figures are recomputed once at the end.
    from campaigns.services.figures import figures_rebuild

    figures_rebuild(campaign=campaign)


# Every decision below is drawn from a generator seeded with the unit and the period (or year),
# so that a second run, or a run with other apps' demo data added, takes the same decisions.
NARRATIVE = "Đơn vị đã triển khai đầy đủ các nội dung của nhiệm vụ trong kỳ."
RETURN_REASON = "Đề nghị bổ sung số liệu chỉ tiêu và tài liệu minh chứng của kỳ."
# The demo persona's unit reports every period (its page shows its whole history).
ALWAYS_REPORTS = {"cuc-xnk"}


def _target(indicator: Indicator, rng: random.Random) -> Decimal:
    if indicator.kind == Indicator.Kind.PERCENT:
        low, high = (5, 20) if indicator.direction == Indicator.Direction.LOWER else (60, 100)
        return Decimal(rng.randint(low, high))
    if indicator.kind == Indicator.Kind.COUNT:
        return Decimal(rng.randint(8, 40))
    return Decimal(rng.randint(10, 500))


def _value(indicator: Indicator, target: Decimal, periods_in_year: int, rng) -> Decimal:
    """A period's value around what meets the year's target: a share of it for the indicators
    summed over the year, the target itself (give or take) for the others."""
    share = target / periods_in_year if indicator.rollup == Indicator.Rollup.SUM else target
    value = float(share) * rng.uniform(0.7, 1.2)
    if indicator.kind == Indicator.Kind.PERCENT:
        return Decimal(str(round(min(100.0, value), 1)))
    if indicator.kind == Indicator.Kind.COUNT:
        return Decimal(max(0, round(value)))
    return Decimal(str(round(value, 2)))


def _years(campaign: Campaign, today: datetime.date) -> list[int]:
    return list(range(campaign.starts_on.year, min(campaign.ends_on.year, today.year) + 1))


def demo_registrations(*, campaign: Campaign, today: datetime.date) -> None:
    """A confirmed registration with a target for every indicator, each year of the campaign up
    to this one, for every unit expected to report in that year. Existing ones are kept."""
    indicators = list(Indicator.objects.filter(objective__campaign=campaign).order_by("pk"))
    periods = list(campaign.periods.order_by("starts_on"))
    have = set(Registration.objects.filter(campaign=campaign).values_list("unit_id", "year"))
    new: list[Registration] = []
    for year in _years(campaign, today):
        in_year = [p for p in periods if p.ends_on.year == year]
        if not in_year:
            continue
        for unit in units_expected(period=in_year[-1]).order_by("code"):
            if (unit.pk, year) not in have:
                new.append(
                    Registration(
                        campaign=campaign,
                        unit=unit,
                        year=year,
                        commitments=f"Hoàn thành xuất sắc nhiệm vụ được giao năm {year}.",
                        target_title=Registration.TargetTitle.TTLDXS,
                        status=Registration.Status.CONFIRMED,
                    )
                )
    Registration.objects.bulk_create(new, batch_size=500)
    created = Registration.objects.filter(campaign=campaign, targets__isnull=True).select_related(
        "unit"
    )
    Target.objects.bulk_create(
        (
            Target(
                registration=registration,
                indicator=indicator,
                value=_target(indicator, random.Random(f"{registration.unit.code}:{year}:{i}")),
            )
            for registration in created
            for year in [registration.year]
            for i, indicator in enumerate(indicators)
        ),
        batch_size=2000,
    )


def _report_status(period: ReportingPeriod, today: datetime.date, rng: random.Random) -> str:
    draw = rng.random()
    if draw < 0.04:
        return ProgressReport.Status.RETURNED
    if today <= period.locks_on:  # the head may still be looking at it
        if draw < 0.12:
            return ProgressReport.Status.SUBMITTED
        if draw < 0.16:
            return ProgressReport.Status.DRAFT
    return ProgressReport.Status.ACCEPTED


def demo_reports(*, campaign: Campaign, today: datetime.date) -> None:
    """A report from most expected units for every period that has ended: about one in
    fourteen never came, about one in seven came late, a few were returned for correction, and
    in periods not yet locked some wait for the head. Written in bulk (demo data has no history
    to keep); a unit × period that already has a report is left alone."""
    objectives = list(campaign.objectives.order_by("number"))
    indicators = list(Indicator.objects.filter(objective__campaign=campaign).order_by("pk"))
    periods = [p for p in campaign.periods.order_by("starts_on") if p.ends_on < today]
    per_year: dict[int, int] = {}
    for period in campaign.periods.all():
        per_year[period.ends_on.year] = per_year.get(period.ends_on.year, 0) + 1
    targets = {
        (unit_id, year, indicator_id): value
        for unit_id, year, indicator_id, value in Target.objects.filter(
            registration__campaign=campaign
        ).values_list("registration__unit_id", "registration__year", "indicator_id", "value")
    }
    have = set(
        ProgressReport.objects.filter(period__campaign=campaign).values_list("unit_id", "period_id")
    )
    zone = timezone.get_current_timezone()
    for period in periods:
        year = period.ends_on.year
        rows: list[tuple[ProgressReport, random.Random]] = []
        for unit in units_expected(period=period).order_by("code"):
            rng = random.Random(f"{unit.code}:{period.label}")
            if (unit.pk, period.pk) in have:
                continue
            if rng.random() < 0.07 and unit.code not in ALWAYS_REPORTS:
                continue
            late = rng.random() < 0.15
            status = _report_status(period, today, rng)
            shift = rng.randint(1, 10) if late else -rng.randint(0, 10)
            submitted = datetime.datetime.combine(
                period.due_on + datetime.timedelta(days=shift), datetime.time(9, 30), tzinfo=zone
            )
            sent = status != ProgressReport.Status.DRAFT
            reviewed = status in (ProgressReport.Status.ACCEPTED, ProgressReport.Status.RETURNED)
            report = ProgressReport(
                unit=unit,
                period=period,
                status=status,
                first_submitted_at=submitted if sent else None,
                submitted_at=submitted if sent else None,
                late=late and sent,
                reviewed_at=submitted + datetime.timedelta(days=2) if reviewed else None,
                return_reason=RETURN_REASON if status == ProgressReport.Status.RETURNED else "",
            )
            rows.append((report, rng))
        ProgressReport.objects.bulk_create([report for report, _rng in rows], batch_size=500)
        lines: list[ReportLine] = []
        values: list[IndicatorValue] = []
        for report, rng in rows:
            lines += [
                ReportLine(
                    report=report,
                    objective=objective,
                    percent_complete=rng.randint(60, 100),
                    narrative=NARRATIVE,
                )
                for objective in objectives
            ]
            for indicator in indicators:
                target = targets.get((report.unit_id, year, indicator.pk))
                value = (
                    _value(indicator, target, per_year[year], rng) if target is not None else None
                )
                values.append(IndicatorValue(report=report, indicator=indicator, value=value))
        ReportLine.objects.bulk_create(lines, batch_size=2000)
        IndicatorValue.objects.bulk_create(values, batch_size=2000)
