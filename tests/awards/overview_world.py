"""A small hand-built set for the awards overview, shared by its page tests and its browser
journey: nominations of every stage, meetings before and after today, publicity windows."""

from __future__ import annotations

import datetime

from django.utils import timezone

from awards.models import (
    BallotReceipt,
    Meeting,
    Nomination,
    Publication,
    PublicComment,
    VoteTally,
)
from tests.factories import PersonFactory

D = datetime.date


def nominate(unit, award, status, *, year=2024, catalogue, person=None, name="", collective=False):
    """A nomination as the workflow leaves it, written straight to the table."""
    if not collective and person is None:
        person = PersonFactory(unit=unit, full_name=name or f"Người {Nomination.objects.count()}")
    return Nomination.objects.create(
        person=None if collective else person,
        unit=unit if collective else None,
        proposing_unit=unit,
        award_type=catalogue[award],
        year=year,
        status=status,
    )


def publish(nomination, *, opens_on, closes_on, status=Publication.Status.OPEN, name=""):
    return Publication.objects.create(
        nomination=nomination,
        status=status,
        opens_on=opens_on,
        closes_on=closes_on,
        working_days=5,
        nominee_name=name or str(nomination.nominee),
        unit_name=nomination.proposing_unit.name,
        award_name=nomination.award_type.name,
        year=nomination.year,
        summary="Thành tích.",
    )


def meeting(council, held_on, status=Meeting.Status.SCHEDULED, *, agenda=(), **values):
    if status in (Meeting.Status.BALLOT_OPEN, Meeting.Status.CLOSED):
        values.setdefault("council_size", 5)
    item = Meeting.objects.create(council=council, held_on=held_on, status=status, **values)
    for nomination in agenda:
        VoteTally.objects.create(meeting=item, nomination=nomination)
    return item


def build_world(catalogue, unit, sub_unit, other_unit, council, members) -> dict:
    """Today is 10/05/2025. Nominations for 2024 (n1–n14) and 2023 (two), proposed by
    Cục A (the head's unit), Chi cục A1 (under it, an enterprise) and Cục B:

    | n  | unit | award   | status    |  | n  | unit | award   | status    |
    | 1  | A    | CSTĐCS  | draft     |  | 8  | A1   | BK Bộ   | published |
    | 2  | A    | CSTĐCS  | submitted |  | 9  | A1   | LĐTT    | withdrawn |
    | 3  | A    | CSTĐCS  | on agenda |  | 10 | B    | CSTĐCS  | on agenda |
    | 4  | A    | CSTĐ Bộ | approved  |  | 11 | B*   | BK TTg  | forwarded |
    | 5  | A*   | BK Bộ   | decided   |  | 12 | B    | BK Bộ   | returned  |
    | 6  | A    | CSTĐ Bộ | on agenda |  | 13 | B    | CSTĐ Bộ | published |
    | 7  | A1   | CSTĐCS  | rejected  |  | 14 | B    | BK Bộ   | in review |
    (* the unit itself is the nominee)
    """
    S = Nomination.Status
    make = {"catalogue": catalogue}
    n = {
        1: nominate(unit, "CSTDCS", S.DRAFT, **make),
        2: nominate(unit, "CSTDCS", S.SUBMITTED, **make),
        3: nominate(unit, "CSTDCS", S.ON_AGENDA, **make),
        4: nominate(unit, "CSTD_BO", S.APPROVED, **make),
        5: nominate(unit, "BK_BO", S.DECIDED, collective=True, **make),
        6: nominate(unit, "CSTD_BO", S.ON_AGENDA, **make),
        7: nominate(sub_unit, "CSTDCS", S.REJECTED, **make),
        8: nominate(sub_unit, "BK_BO", S.PUBLISHED, name="Lê Thị Công Khai", **make),
        9: nominate(sub_unit, "LDTT", S.WITHDRAWN, **make),
        10: nominate(other_unit, "CSTDCS", S.ON_AGENDA, **make),
        11: nominate(other_unit, "BK_TTG", S.FORWARDED, collective=True, **make),
        12: nominate(other_unit, "BK_BO", S.RETURNED, **make),
        13: nominate(other_unit, "CSTD_BO", S.PUBLISHED, name="Phạm Văn Bình Chọn", **make),
        14: nominate(other_unit, "BK_BO", S.IN_REVIEW, **make),
    }
    n[1].person.refresh_from_db()
    nominate(unit, "CSTDCS", S.DECIDED, year=2023, person=n[1].person, **make)
    nominate(other_unit, "BK_BO", S.DECIDED, year=2023, person=n[10].person, **make)

    m = {
        "may": meeting(council, D(2025, 5, 20), title="Phiên họp tháng 5", agenda=[n[3], n[10]]),
        "open": meeting(council, D(2025, 5, 9), Meeting.Status.BALLOT_OPEN, agenda=[n[6]]),
        "june": meeting(council, D(2025, 6, 10), title="Phiên họp tháng 6"),
        "closed": meeting(council, D(2025, 4, 20), Meeting.Status.CLOSED, agenda=[n[4], n[7]]),
        "cancelled": meeting(council, D(2025, 5, 25), Meeting.Status.CANCELLED),
        "stale": meeting(council, D(2025, 5, 2), title="Chưa họp"),
    }
    for member in members[:3]:
        BallotReceipt.objects.create(meeting=m["open"], member=member, cast_at=timezone.now())
    p8 = publish(n[8], opens_on=D(2025, 5, 6), closes_on=D(2025, 5, 16))
    for status in ("approved", "approved", "pending"):
        PublicComment.objects.create(
            publication=p8, name="Dân", contact="dan@example.vn", text="Ý kiến.", status=status
        )
    publish(n[13], opens_on=D(2025, 5, 8), closes_on=D(2025, 5, 14))
    publish(n[5], opens_on=D(2025, 4, 1), closes_on=D(2025, 4, 8), status=Publication.Status.CLOSED)
    # Published before its meeting of 20/04 (NĐ 152/2025 Art 44.2).
    publish(
        n[4], opens_on=D(2025, 4, 7), closes_on=D(2025, 4, 11), status=Publication.Status.CLOSED
    )
    return {"n": n, "m": m}
