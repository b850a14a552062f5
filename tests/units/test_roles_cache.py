"""Roles are cached per user and dropped as soon as a membership or a group changes."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from tests.factories import MembershipFactory
from units.models import Membership, User
from units.roles import SECRETARY_GROUP, roles_of

pytestmark = pytest.mark.django_db


def _fresh(user: User) -> User:
    return User.objects.get(pk=user.pk)  # a new request's user, without the per-request copy


def test_roles_are_read_from_the_cache_on_the_next_request(cast, django_assert_num_queries):
    roles_of(_fresh(cast["officer"]))
    with django_assert_num_queries(1):  # only the user row; no groups, no memberships
        assert roles_of(_fresh(cast["officer"])).officer_unit_ids


def test_a_new_membership_is_seen_at_once(client, cast, other_unit):
    user = cast["officer"]
    client.force_login(user)
    assert client.get(reverse("units:detail", args=[other_unit.code])).status_code == 404
    MembershipFactory(user=user, unit=other_unit, role=Membership.Role.HEAD)
    assert client.get(reverse("units:detail", args=[other_unit.code])).status_code == 200


def test_a_removed_membership_is_seen_at_once(client, cast, unit, other_unit):
    # A second membership keeps the session open (losing the last one ends it: tests/accounts).
    MembershipFactory(user=cast["officer"], unit=other_unit, role=Membership.Role.OFFICER)
    client.force_login(cast["officer"])
    assert client.get(reverse("units:detail", args=[unit.code])).status_code == 200
    # queryset delete sends post_delete
    Membership.objects.filter(user=cast["officer"], unit=unit).delete()
    assert client.get(reverse("units:detail", args=[unit.code])).status_code == 404


@pytest.mark.parametrize("side", ["user", "group"])
def test_group_changes_from_either_side_are_seen_at_once(cast, side):
    user = cast["officer"]
    assert not roles_of(_fresh(user)).is_secretary
    group = Group.objects.get_or_create(name=SECRETARY_GROUP)[0]
    if side == "user":
        user.groups.add(group)
    else:
        group.user_set.add(user)
    assert roles_of(_fresh(user)).is_secretary


def test_superuser_status_is_never_taken_from_the_cache(cast):
    user = cast["officer"]
    assert not roles_of(_fresh(user)).is_admin
    User.objects.filter(pk=user.pk).update(is_superuser=True)
    assert roles_of(_fresh(user)).is_admin
