"""Who sits on the board is answered by the provider the awards app registers at start-up;
without one the `board` group alone decides. Either way it costs the roles no extra query."""

import pytest

from tests.factories import UserFactory
from units import roles
from units.models import User
from units.roles import BOARD_GROUP, roles_of

pytestmark = pytest.mark.django_db


def _fresh(user: User) -> User:
    return User.objects.get(pk=user.pk)


def test_the_awards_app_registers_who_sits_on_the_board():
    from awards.selectors import council_members

    assert roles._board_provider is council_members


def test_without_a_provider_the_board_group_decides(monkeypatch, django_assert_num_queries):
    monkeypatch.setattr(roles, "_board_provider", None)
    member, other = UserFactory(groups=[BOARD_GROUP]), UserFactory()
    member, other = _fresh(member), _fresh(other)
    with django_assert_num_queries(2):  # the groups and the seat in one UNION, the memberships
        assert roles_of(member).is_board_member
    assert not roles_of(other).is_board_member


def test_a_registered_provider_decides_instead_of_the_group(monkeypatch):
    # Put the awards app's provider back after the test.
    monkeypatch.setattr(roles, "_board_provider", roles._board_provider)
    chosen, in_group = UserFactory(), UserFactory(groups=[BOARD_GROUP])
    roles.register_board_provider(lambda: User.objects.filter(pk=chosen.pk))
    assert roles_of(_fresh(chosen)).is_board_member
    assert not roles_of(_fresh(in_group)).is_board_member
