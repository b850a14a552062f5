"""Who sits on the board is cached with the user's roles; seats and councils drop it at once."""

import datetime

import pytest

from awards.models import Council, CouncilMember
from tests.awards.conftest import COUNCIL_START
from units.models import User
from units.roles import roles_of

pytestmark = pytest.mark.django_db


def _fresh(user):
    return User.objects.get(pk=user.pk)


def test_a_new_seat_makes_a_board_member_at_once(cast, council):
    officer = cast["officer"]
    assert not roles_of(_fresh(officer)).is_board_member  # cached as not on the board
    CouncilMember.objects.create(
        council=council, user=officer, role="member", term_start=COUNCIL_START
    )
    assert roles_of(_fresh(officer)).is_board_member


def test_leaving_the_council_is_seen_at_once(cast, council):
    board = cast["board"]
    assert roles_of(_fresh(board)).is_board_member
    CouncilMember.objects.filter(council=council, user=board).delete()
    assert not roles_of(_fresh(board)).is_board_member


def test_recording_the_first_council_ends_the_board_group_stand_in(cast):
    board = cast["board"]  # in the `board` group, no council recorded yet
    assert roles_of(_fresh(board)).is_board_member
    Council.objects.create(term_start=COUNCIL_START, term_end=datetime.date(2028, 12, 31))
    assert not roles_of(_fresh(board)).is_board_member
