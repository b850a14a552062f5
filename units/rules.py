"""Object permissions for the organisation, shared by views, templates and the admin."""

import rules

from units.roles import roles_of


@rules.predicate
def is_administrator(user) -> bool:
    return roles_of(user).is_admin


@rules.predicate
def is_secretary(user) -> bool:
    return roles_of(user).is_secretary


@rules.predicate
def is_board_member(user) -> bool:
    return roles_of(user).is_board_member


@rules.predicate
def is_officer_of(user, unit) -> bool:
    return unit is not None and roles_of(user).is_officer_of(unit)


@rules.predicate
def is_head_of(user, unit) -> bool:
    return unit is not None and roles_of(user).is_head_of(unit)


@rules.predicate
def is_head_of_parent_of(user, unit) -> bool:
    return unit is not None and roles_of(user).heads_an_ancestor_of(unit)


sees_everything = is_administrator | is_secretary | is_board_member
reads_unit = is_officer_of | is_head_of | is_head_of_parent_of | sees_everything

rules.add_perm("units.read_unit", reads_unit)
rules.add_perm("units.browse_units", sees_everything)
