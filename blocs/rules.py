"""Who may do what in a bloc's year (the object is a BlocYear, a Scoring or a BlocMeeting).

The board (secretary, board members, administrator) sees every bloc; a member unit's people
see their bloc's year, their own scoring and, once the ranking is published, the others';
the leading unit sees every scoring of its bloc and cross-checks them (its own scoring is
cross-checked by the board secretary). Views answer 404 for a bloc year the user may not read
(blocs.views.access).
"""

from __future__ import annotations

import rules

from units.roles import roles_of
from units.rules import is_administrator, is_secretary


def member_ids(bloc_year) -> set[int]:
    """The member units' ids, loaded once per object."""
    cached = getattr(bloc_year, "_member_ids", None)
    if cached is None:
        cached = set(bloc_year.members.values_list("unit_id", flat=True))
        bloc_year._member_ids = cached
    return cached


def _user_unit_ids(user) -> set[int]:
    roles = roles_of(user)
    return set(roles.officer_unit_ids | roles.head_unit_ids)


@rules.predicate
def sees_all(user) -> bool:
    return roles_of(user).sees_all_units


@rules.predicate
def in_bloc(user, bloc_year) -> bool:
    return bool(_user_unit_ids(user) & member_ids(bloc_year))


@rules.predicate
def of_leading_unit(user, bloc_year) -> bool:
    return bloc_year.leading_unit_id in _user_unit_ids(user)


@rules.predicate
def heads_leading_unit(user, bloc_year) -> bool:
    return roles_of(user).is_head_of_id(bloc_year.leading_unit_id)


@rules.predicate
def own_scoring(user, scoring) -> bool:
    return scoring.unit_id in _user_unit_ids(user)


@rules.predicate
def scoring_readable_in_bloc(user, scoring) -> bool:
    bloc_year = scoring.bloc_year
    if not in_bloc(user, bloc_year):
        return False
    return bloc_year.is_published or of_leading_unit(user, bloc_year)


@rules.predicate
def cross_checks(user, scoring) -> bool:
    """The leading unit's head, for the other members; the board secretary for all."""
    if is_secretary(user):
        return True
    return scoring.unit_id != scoring.bloc_year.leading_unit_id and heads_leading_unit(
        user, scoring.bloc_year
    )


manages = is_secretary | is_administrator

rules.add_perm("blocs.read_year", sees_all | in_bloc)
rules.add_perm("blocs.manage_year", manages)
rules.add_perm("blocs.draft_covenant", heads_leading_unit | manages)
rules.add_perm("blocs.read_scoring", sees_all | own_scoring | scoring_readable_in_bloc)
rules.add_perm("blocs.edit_scoring", own_scoring)
rules.add_perm("blocs.check_scoring", cross_checks)
rules.add_perm("blocs.run_meeting", is_secretary)
