"""Demo data of the organisation: the sector's units, people and one user per role.

`seed_demo` calls each installed app's `demo.seed(run=...)` in INSTALLED_APPS order, so an app
seeds after the apps it builds on and may read what they seeded; this one comes first.
Everything is matched by code or username, so seeding twice changes nothing and duplicates
nothing; passwords of the demo users are reset to the printed ones.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.auth.hashers import make_password
from django.utils.translation import gettext_lazy as _

from units.models import Membership, Person, Unit
from units.roles import BOARD_GROUP, SECRETARY_GROUP
from units.services import (
    board_groups,
    person_upsert,
    sector_load,
    unit_ensure_ministry,
    user_upsert,
)

SECTOR_FILE = Path(__file__).resolve().parent / "data" / "sector-units.json"
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


@dataclass
class DemoRun:
    """What the apps' seeding shares: one random stream, drawn from in app order so that every
    run draws the same values, and the logins the command prints."""

    rng: random.Random = field(default_factory=lambda: random.Random(2021))
    logins: list[DemoLogin] = field(default_factory=list)


def _person_name(rng: random.Random) -> tuple[str, str]:
    female = rng.random() < 0.5
    middle = rng.choice(MIDDLE_F if female else MIDDLE_M)
    given = rng.choice(GIVEN_F if female else GIVEN_M)
    return (
        f"{rng.choice(FAMILY)} {middle} {given}",
        Person.Sex.FEMALE if female else Person.Sex.MALE,
    )


def seed(*, run: DemoRun) -> None:
    unit_ensure_ministry()
    sector_load(data=json.loads(SECTOR_FILE.read_text(encoding="utf-8")))
    board_groups()

    rng = run.rng
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
        # Cục Xuất nhập khẩu holds commendation authority: its own council (awards.demo) with
        # the head as chair, this secretary and this member decides its CSTĐCS and LĐTT.
        (
            _("Unit council secretary"),
            "thuky.xnk",
            "Phan Thị Hồng",
            "cuc-xnk",
            {"units": [Membership.Role.OFFICER]},
        ),
        (
            _("Unit council member"),
            "hoidong.xnk",
            "Trịnh Quang Hải",
            "cuc-xnk",
            {"units": [Membership.Role.OFFICER]},
        ),
        (
            _("Unit officer (another unit)"),
            "canbo.hanoi",
            "Hoàng Văn Nam",
            "sct-ha-noi",
            {"units": [Membership.Role.OFFICER]},
        ),
    ]

    password_hash = make_password(DEMO_PASSWORD)
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
        # A code goes into URLs (`<slug:code>`), a username may have a dot.
        code = f"user-{username.replace('.', '-')}"
        person_upsert(code=code, unit=unit, full_name=full_name, user=user)
        run.logins.append(DemoLogin(role, username, DEMO_PASSWORD, full_name, unit.name))
