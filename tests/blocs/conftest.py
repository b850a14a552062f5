"""A bloc with three member units (Cục A, Cục B, Cục C — C leads, B is deputy), their heads,
another bloc with its own unit and head, and the 2025 scoring table."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from blocs.models import Criterion
from blocs.services.table import criterion_add, group_add
from blocs.services.years import bloc_year_save
from tests.factories import BlocFactory, MembershipFactory, UnitFactory, UserFactory
from units.models import Membership

YEAR = 2025
PASSPHRASES = {
    "chair_passphrase": "hoa sen nở giữa hồ",
    "secretary_passphrase": "trống đồng Ngọc Lũ",
}


@pytest.fixture
def world(cast, unit, other_unit, ministry, campaign):
    bloc = BlocFactory(code="khoi-a", name="Khối A")
    third = UnitFactory(code="cuc-c", name="Cục C", parent=ministry)
    for item in (unit, other_unit, third):
        item.bloc = bloc
        item.save()
    closed_before = UnitFactory(
        code="cuc-cu",
        name="Cục cũ",
        parent=ministry,
        bloc=bloc,
        closed_on=datetime.date(2024, 6, 30),
    )
    closed_during = UnitFactory(
        code="cuc-dong",
        name="Cục đóng",
        parent=ministry,
        bloc=bloc,
        closed_on=datetime.date(2025, 6, 30),
    )
    other_bloc = BlocFactory(code="khoi-b", name="Khối B")
    foreign = UnitFactory(code="cuc-d", name="Cục D", parent=ministry, bloc=other_bloc)
    heads = {"cuc-a": cast["head"]}
    for code, target in (("cuc-b", other_unit), ("cuc-c", third), ("cuc-d", foreign)):
        user = UserFactory(username=f"head-{code}")
        MembershipFactory(user=user, unit=target, role=Membership.Role.HEAD)
        heads[code] = user
    bloc_year = bloc_year_save(
        bloc=bloc,
        year=YEAR,
        leading_unit=third,
        deputy_unit=other_unit,
        members=[unit, other_unit, third],
        campaign=campaign,
        scoring_deadline=datetime.date(2025, 12, 31),
        actor=cast["secretary"],
    )
    other_year = bloc_year_save(
        bloc=other_bloc,
        year=YEAR,
        leading_unit=foreign,
        deputy_unit=None,
        members=[foreign],
        actor=None,
    )
    tasks = group_add(
        bloc_year=bloc_year, title="Thực hiện nhiệm vụ", max_points=Decimal(60), actor=None
    )
    others = group_add(
        bloc_year=bloc_year, title="Công tác khác", max_points=Decimal(40), actor=None
    )
    criteria = {
        "targets": criterion_add(
            group=tasks,
            code="targets",
            title="Hoàn thành chỉ tiêu",
            kind=Criterion.Kind.MANUAL,
            max_points=Decimal(40),
            actor=None,
        ),
        "on_time": criterion_add(
            group=tasks,
            code="on-time",
            title="Báo cáo đúng hạn",
            kind=Criterion.Kind.COMPUTED,
            max_points=Decimal(20),
            formula="20 * on_time_rate",
            actor=None,
        ),
        "party": criterion_add(
            group=others,
            code="party",
            title="Công tác đoàn thể",
            kind=Criterion.Kind.MANUAL,
            max_points=Decimal(40),
            actor=None,
        ),
        "bonus": criterion_add(
            group=others,
            code="bonus",
            title="Điểm thưởng",
            kind=Criterion.Kind.BONUS,
            max_points=Decimal(5),
            actor=None,
        ),
        "penalty": criterion_add(
            group=others,
            code="penalty",
            title="Điểm trừ",
            kind=Criterion.Kind.PENALTY,
            max_points=Decimal(5),
            actor=None,
        ),
    }
    return {
        "bloc": bloc,
        "year": bloc_year,
        "other_year": other_year,
        "units": {"cuc-a": unit, "cuc-b": other_unit, "cuc-c": third, "cuc-d": foreign},
        "closed_before": closed_before,
        "closed_during": closed_during,
        "heads": heads,
        "criteria": criteria,
    }


@pytest.fixture(autouse=True)
def _in_december_2025():
    """The bloc's year-end: 01/12/2025, before the self-scoring deadline (31/12/2025)."""
    import time_machine

    with time_machine.travel(datetime.datetime(2025, 12, 1, 9, 0, tzinfo=datetime.UTC), tick=True):
        yield


@pytest.fixture(autouse=True)
def _messages_in_english():
    """The services' messages are asserted in English (the pages speak the user's language)."""
    from django.utils import translation

    with translation.override("en"):
        yield
