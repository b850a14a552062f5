"""Demo data for the embedded default: the sector's units, people and one user per role.

Everything is matched by code or username, so seeding twice changes nothing and duplicates
nothing; passwords of the demo users are reset to the printed ones.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from awards.demo import awards_demo_seed
from campaigns.services.campaigns import campaign_enrol_units, campaign_load
from units.models import Membership, Person, Unit
from units.roles import BOARD_GROUP, SECRETARY_GROUP
from units.services import (
    board_groups,
    person_upsert,
    sector_load,
    unit_ensure_ministry,
    user_upsert,
)

DATA_DIR = Path(__file__).resolve().parent / "data"
SECTOR_FILE = Path(__file__).resolve().parent.parent / "units" / "data" / "sector-units.json"
CAMPAIGN_FILE = DATA_DIR / "campaign-2021-2026.json"
DEMO_PASSWORD = "thidua-demo-2026"

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương"]
MIDDLE_F = ["Thị", "Thu", "Ngọc", "Thanh", "Minh", "Hồng"]
MIDDLE_M = ["Văn", "Đức", "Minh", "Quang", "Hữu", "Thành"]
GIVEN_F = ["Lan", "Hương", "Mai", "Hà", "Linh", "Trang", "Thảo", "Yến", "Phương", "Nga"]
GIVEN_M = ["Hùng", "Dũng", "Nam", "Sơn", "Tuấn", "Long", "Quân", "Hải", "Thắng", "Phong"]
POSITIONS = ["Chuyên viên", "Chuyên viên chính", "Phó Trưởng phòng", "Trưởng phòng", "Kế toán"]


@dataclass(frozen=True)
class DemoLogin:
    role: object  # a lazy translation, printed in the command's language
    username: str
    password: str
    full_name: str
    unit: str


def _person_name(rng: random.Random) -> tuple[str, str]:
    female = rng.random() < 0.5
    middle = rng.choice(MIDDLE_F if female else MIDDLE_M)
    given = rng.choice(GIVEN_F if female else GIVEN_M)
    return (
        f"{rng.choice(FAMILY)} {middle} {given}",
        Person.Sex.FEMALE if female else Person.Sex.MALE,
    )


@transaction.atomic
def demo_seed() -> list[DemoLogin]:
    unit_ensure_ministry()
    sector_load(data=json.loads(SECTOR_FILE.read_text(encoding="utf-8")))
    campaign = campaign_load(data=json.loads(CAMPAIGN_FILE.read_text(encoding="utf-8")))
    campaign_enrol_units(
        campaign=campaign, units=list(Unit.objects.exclude(kind=Unit.Kind.MINISTRY))
    )
    board_groups()

    rng = random.Random(2021)
    for unit in Unit.objects.exclude(kind=Unit.Kind.MINISTRY).order_by("code"):
        for index in range(1, 4):
            name, sex = _person_name(rng)
            person_upsert(
                code=f"{unit.code}-{index:02d}",
                unit=unit,
                full_name=name,
                sex=sex,
                position=rng.choice(POSITIONS),
            )

    units = {
        unit.code: unit
        for unit in Unit.objects.filter(
            code__in=[
                "van-phong-bo",
                "cuc-xnk",
                "sct-ha-noi",
                "vu-tccb",
                "vu-phap-che",
            ]
        )
    }
    cast = [
        (_("Administrator"), "quantri", "Trần Quốc Bảo", "van-phong-bo", {"is_superuser": True}),
        (
            _("Board secretary"),
            "thuky",
            "Lê Thị Thu Hà",
            "van-phong-bo",
            {"groups": [SECRETARY_GROUP], "is_staff": True},
        ),
        (_("Board member"), "hoidong1", "Phạm Văn Hùng", "vu-tccb", {"groups": [BOARD_GROUP]}),
        (_("Board member"), "hoidong2", "Nguyễn Thị Lan", "vu-phap-che", {"groups": [BOARD_GROUP]}),
        (
            _("Unit head"),
            "truongdonvi",
            "Đỗ Minh Tuấn",
            "cuc-xnk",
            {"units": [Membership.Role.HEAD]},
        ),
        (_("Unit officer"), "canbo", "Vũ Thị Mai", "cuc-xnk", {"units": [Membership.Role.OFFICER]}),
        (
            _("Unit officer (another unit)"),
            "canbo.hanoi",
            "Hoàng Văn Nam",
            "sct-ha-noi",
            {"units": [Membership.Role.OFFICER]},
        ),
    ]
    _demo_reports(campaign, rng)

    password_hash = make_password(DEMO_PASSWORD)
    logins = []
    for role, username, full_name, unit_code, options in cast:
        unit = units[unit_code]
        user = user_upsert(
            username=username,
            password_hash=password_hash,
            full_name=full_name,
            email=f"{username}@thidua.local",
            units=[(unit, unit_role) for unit_role in options.get("units", [])],
            groups=options.get("groups", []),
            is_staff=options.get("is_staff", False),
            is_superuser=options.get("is_superuser", False),
        )
        person_upsert(code=f"user-{username}", unit=unit, full_name=full_name, user=user)
        logins.append(DemoLogin(role, username, DEMO_PASSWORD, full_name, unit.name))
    awards_demo_seed()
    return logins


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
