"""Demo data of the campaign: the 2021–2026 campaign with the sector enrolled, registrations for
2026 and reports for its first three quarters.

Seeded after units.demo (the sector and its people); matched by code, so seeding twice changes
nothing.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

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
    _demo_reports(campaign, run.rng)
    # Written in bulk (no signal): the dashboards' figures are recomputed once at the end.
    from campaigns.services.figures import figures_rebuild

    figures_rebuild(campaign=campaign)


def _demo_reports(campaign, rng: random.Random) -> None:
    """Registrations for 2026 and reports for its first three quarters, some late, some missing.

    Written in bulk (demo data has no history to keep); skipped for rows that already exist.
    """
    import datetime
    from decimal import Decimal

    from django.utils import timezone

    from campaigns.models import (
        Indicator,
        IndicatorValue,
        ProgressReport,
        Registration,
        ReportLine,
        Target,
    )
    from campaigns.selectors.expected import units_expected

    indicators = list(Indicator.objects.filter(objective__campaign=campaign))
    objectives = list(campaign.objectives.all())
    periods = list(campaign.periods.filter(label__in=["Q1/2026", "Q2/2026", "Q3/2026"]))

    def sample(indicator: Indicator, scale: float) -> Decimal:
        if indicator.kind == Indicator.Kind.PERCENT:
            return Decimal(min(100, round(rng.uniform(55, 100) * scale, 1))).quantize(
                Decimal("0.1")
            )
        return Decimal(max(0, round(rng.uniform(2, 40) * scale)))

    expected = list(units_expected(period=periods[-1]).exclude(code="cuc-xnk"))
    for unit in expected:
        registration, created = Registration.objects.get_or_create(
            campaign=campaign,
            unit=unit,
            year=2026,
            defaults={
                "commitments": "Hoàn thành xuất sắc nhiệm vụ được giao năm 2026.",
                "target_title": Registration.TargetTitle.TTLDXS,
                "status": Registration.Status.CONFIRMED,
            },
        )
        if created:
            Target.objects.bulk_create(
                Target(registration=registration, indicator=indicator, value=sample(indicator, 1.1))
                for indicator in indicators
            )
    for period in periods:
        have = set(ProgressReport.objects.filter(period=period).values_list("unit_id", flat=True))
        for unit in expected:
            # Seeded per unit and period, so a second run takes the same decisions.
            rng = random.Random(f"{unit.code}:{period.label}")
            if unit.pk in have or rng.random() < 0.12:  # about one unit in eight never reports
                continue
            late = rng.random() < 0.2
            submitted = datetime.datetime.combine(
                period.due_on
                + datetime.timedelta(days=rng.randint(1, 10) if late else -rng.randint(0, 10)),
                datetime.time(9, 30),
                tzinfo=timezone.get_current_timezone(),
            )
            report = ProgressReport.objects.create(
                unit=unit,
                period=period,
                status=ProgressReport.Status.ACCEPTED,
                first_submitted_at=submitted,
                submitted_at=submitted,
                late=late,
                reviewed_at=submitted + datetime.timedelta(days=2),
            )
            ReportLine.objects.bulk_create(
                ReportLine(
                    report=report,
                    objective=objective,
                    percent_complete=rng.randint(60, 100),
                    narrative="Đơn vị đã triển khai đầy đủ các nội dung của nhiệm vụ trong kỳ.",
                )
                for objective in objectives
            )
            IndicatorValue.objects.bulk_create(
                IndicatorValue(report=report, indicator=indicator, value=sample(indicator, 0.35))
                for indicator in indicators
            )
