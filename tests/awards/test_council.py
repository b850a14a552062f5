"""Who sits on the board: the council in office, with the `board` group standing in until a
council is recorded; the secretary keeps the council, within its invariants."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from awards.models import Council, CouncilMember
from awards.selectors.council import council_members, sits_on_council
from awards.services.council import council_save, council_seat_save
from tests.factories import UserFactory
from units.models import User
from units.roles import BOARD_GROUP, roles_of

pytestmark = pytest.mark.django_db
D = datetime.date


def _fresh(user) -> User:
    return User.objects.get(pk=user.pk)  # roles are cached per user object (per request)


def test_the_board_group_stands_in_until_a_council_is_recorded(cast, today):
    assert list(council_members()) == [cast["board"]]
    assert roles_of(_fresh(cast["board"])).is_board_member
    council = Council.objects.create(term_start=D(2025, 1, 1))
    # A council in office: the group no longer counts, only seats do.
    assert list(council_members()) == []
    assert not roles_of(_fresh(cast["board"])).is_board_member
    CouncilMember.objects.create(
        council=council, user=cast["head"], role="chair", term_start=D(2025, 1, 1)
    )
    assert list(council_members()) == [cast["head"]]
    head = roles_of(_fresh(cast["head"]))
    assert head.is_board_member and head.is_head_of(cast["head"].memberships.get().unit)


def test_only_seats_active_today_on_the_council_in_office_count(cast, today):
    old = Council.objects.create(term_start=D(2019, 1, 1), term_end=D(2023, 12, 31))
    current = Council.objects.create(term_start=D(2024, 1, 1))
    on_old = UserFactory()
    CouncilMember.objects.create(council=old, user=on_old, term_start=D(2019, 1, 1))
    ended, later, disabled, seated = UserFactory.create_batch(4)
    disabled.is_active = False
    disabled.save()
    for user, start, end in [
        (ended, D(2024, 1, 1), D(2025, 5, 9)),
        (later, D(2025, 5, 11), None),
        (disabled, D(2024, 1, 1), None),
        (seated, D(2025, 5, 10), None),
    ]:
        CouncilMember.objects.create(council=current, user=user, term_start=start, term_end=end)
    assert list(council_members()) == [seated]
    assert sits_on_council(seated) and not sits_on_council(ended)
    assert list(council_members(day=D(2021, 6, 1))) == [on_old]
    assert list(council_members(day=D(2025, 5, 12))) == sorted(
        [seated, later], key=lambda user: (user.full_name, user.username)
    )


def test_roles_still_cost_a_single_query_for_groups_and_seat(cast, council, today):
    user = _fresh(cast["board"])
    with CaptureQueriesContext(connection) as queries:
        roles = roles_of(user)
    assert roles.is_board_member
    assert len(queries) == 2  # groups and seat in one UNION; the memberships


def test_councils_never_overlap(today, cast):
    council_save(
        name="", established_by="", term_start=D(2021, 1, 1), term_end=D(2025, 12, 31), actor=None
    )
    with pytest.raises(ValidationError):
        council_save(
            name="Hội đồng mới",
            established_by="",
            term_start=D(2025, 6, 1),
            term_end=None,
            actor=cast["secretary"],
        )
    council = council_save(
        name="Hội đồng mới",
        established_by="Quyết định 1/QĐ-BCT",
        term_start=D(2026, 1, 1),
        term_end=None,
        actor=cast["secretary"],
    )
    assert council.history.get().history_user == cast["secretary"]
    assert Council.objects.count() == 2


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [
        (D(9999, 12, 31), None, "term_start"),
        (D(2031, 7, 1), None, "term_start"),  # more than six years after 10/05/2025
        (D(2026, 1, 1), D(9999, 12, 31), "term_end"),
    ],
)
def test_a_council_term_far_in_the_future_is_refused(today, cast, start, end, field):
    with pytest.raises(ValidationError) as refused:
        council_save(
            name="", established_by="", term_start=start, term_end=end, actor=cast["secretary"]
        )
    assert field in refused.value.message_dict
    assert not Council.objects.exists()


def test_a_seat_lies_in_the_term_with_one_chair_at_a_time(cast, council, members, today):
    def seat(user, **values):
        return council_seat_save(
            council=council,
            user=user,
            position="",
            actor=cast["secretary"],
            **{"role": "member", "term_start": D(2025, 1, 1), "term_end": None, **values},
        )

    with pytest.raises(ValidationError) as error:
        seat(cast["head"], role="chair")
    assert "role" in error.value.message_dict
    with pytest.raises(ValidationError):
        seat(cast["head"], term_start=D(2023, 1, 1))
    with pytest.raises(ValidationError):
        seat(cast["head"], term_end=D(2029, 1, 1))
    # The chair steps down on 30/06/2025: another can chair from 01/07/2025.
    chair = council.members.get(role="chair")
    council_seat_save(
        council=council,
        seat=chair,
        user=chair.user,
        role="chair",
        position="",
        term_start=chair.term_start,
        term_end=D(2025, 6, 30),
        actor=cast["secretary"],
    )
    new_chair = seat(cast["head"], role="chair", term_start=D(2025, 7, 1))
    assert new_chair.history.count() == 1
    with pytest.raises(ValidationError):
        seat(cast["head"])  # one seat per person and council
    with pytest.raises(IntegrityError), transaction.atomic():
        CouncilMember.objects.create(council=council, user=cast["head"], term_start=D(2025, 1, 1))


def test_a_term_cannot_shrink_under_its_seats(cast, council, members):
    with pytest.raises(ValidationError):
        council_save(
            council=council,
            name=council.name,
            established_by="",
            term_start=D(2024, 6, 1),
            term_end=None,
            actor=None,
        )


def test_the_demo_seats_its_board_on_a_council_with_a_chair(catalogue):
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())
    council = Council.objects.get(unit__isnull=True)
    seats = {seat.user.username: seat.role for seat in council.members.select_related("user")}
    assert seats == {"hoidong1": "chair", "hoidong2": "standing", "thuky": "secretary"}
    # Law 2022 Art 80: Cục Xuất nhập khẩu holds commendation authority and has its council.
    unit_council = Council.objects.get(unit__code="cuc-xnk")
    unit_seats = {s.user.username: s.role for s in unit_council.members.select_related("user")}
    assert unit_seats == {"truongdonvi": "chair", "hoidong.xnk": "member", "thuky.xnk": "secretary"}
    unit_secretary = roles_of(User.objects.get(username="thuky.xnk"))
    assert unit_secretary.secretary_unit_ids == {unit_council.unit_id}
    for username in seats:
        assert roles_of(User.objects.get(username=username)).is_board_member
    assert not roles_of(User.objects.get(username="truongdonvi")).is_board_member
    assert User.objects.filter(username="hoidong2", groups__name=BOARD_GROUP).exists()
