"""Object permissions for commendations, shared by views, templates and the admin.

They follow the permission table of DESIGN.md. Workflow permissions are tested with
`rules.has_perm` (not `user.has_perm`, which lets a superuser do anything): the administrator
reads everything but takes no part in the workflow.
"""

from __future__ import annotations

import rules

from awards.models import Council, Decision, Meeting, Nomination
from campaigns.rules import heads_a_unit
from units.models import Unit
from units.roles import roles_of
from units.rules import (
    is_administrator,
    is_head_of,
    is_officer_of,
    is_secretary,
    reads_unit,
    sees_everything,
)

# Who sits on the board: the members of the Ministry's council in office (awards.selectors.
# council.council_members, which roles_of asks once per request; the `board` group stands in
# until a council is recorded). Who sits on a unit's council: Roles.council_unit_ids, in the
# same query (awards.selectors.council.unit_council_seats).
# The unit head may withdraw a nomination until it is put on a meeting's agenda.
WITHDRAWABLE = (
    Nomination.Status.DRAFT,
    Nomination.Status.RETURNED,
    Nomination.Status.SUBMITTED,
    Nomination.Status.SCREENING,
    Nomination.Status.PUBLISHED,
    Nomination.Status.IN_REVIEW,
)


@rules.predicate
def is_proposer(user, nomination: Nomination) -> bool:
    return roles_of(user).is_member_of(nomination.proposing_unit)


@rules.predicate
def is_proposing_head(user, nomination: Nomination) -> bool:
    return roles_of(user).is_head_of(nomination.proposing_unit)


@rules.predicate
def heads_a_parent_of_proposer(user, nomination: Nomination) -> bool:
    return roles_of(user).heads_an_ancestor_of(nomination.proposing_unit)


@rules.predicate
def is_the_nominee(user, nomination: Nomination) -> bool:
    return bool(
        user.is_authenticated and nomination.person_id and nomination.person.user_id == user.pk
    )


@rules.predicate
def is_editable(user, nomination: Nomination) -> bool:
    return nomination.status in Nomination.EDITABLE


@rules.predicate
def is_submittable(user, nomination: Nomination) -> bool:
    return nomination.status in Nomination.EDITABLE


@rules.predicate
def is_withdrawable(user, nomination: Nomination) -> bool:
    return nomination.status in WITHDRAWABLE


@rules.predicate
def is_screenable(user, nomination: Nomination) -> bool:
    return nomination.status in {Nomination.Status.SUBMITTED, Nomination.Status.SCREENING}


@rules.predicate
def is_in_review(user, nomination: Nomination) -> bool:
    return nomination.status in Nomination.IN_THE_BOARDS_REVIEW


@rules.predicate
def is_with_the_board(user, nomination: Nomination) -> bool:
    return nomination.status in Nomination.WITH_THE_BOARD


# --- Levels (Law 2022 Art 80): a nomination, meeting or council belongs to the Ministry's
# council (no unit) or to the council of a unit holding commendation authority. The secretary
# and the members of a level act on that level only. The Ministry's secretary reads every
# nomination (those decided by units read-only: the chains to the Ministry's awards rely on
# them) but screens, schedules and records only the Ministry's.


def _level_of(obj) -> int | None:
    if isinstance(obj, Nomination):
        return obj.deciding_unit_id
    if isinstance(obj, Meeting):
        return obj.deciding_unit_id
    if isinstance(obj, Council | Decision):
        return obj.unit_id
    if isinstance(obj, Unit):
        return obj.pk
    return None


@rules.predicate
def is_level_secretary(user, obj) -> bool:
    """The secretary of the object's level; asked without an object, of any level."""
    roles = roles_of(user)
    if obj is None:
        return roles.is_secretary or bool(roles.secretary_unit_ids)
    return roles.is_secretary_of(_level_of(obj))


@rules.predicate
def sits_on_level(user, obj) -> bool:
    """A member of the council of the object's level; asked without one, of any council."""
    roles = roles_of(user)
    if obj is None:
        return roles.is_board_member or roles.on_a_unit_council
    return roles.sits_on_council_of(_level_of(obj))


@rules.predicate
def heads_deciding_unit(user, nomination: Nomination) -> bool:
    return nomination is not None and roles_of(user).is_head_of_id(nomination.deciding_unit_id)


reads_nomination = (
    is_proposer
    | heads_a_parent_of_proposer
    | is_secretary
    | is_level_secretary
    | is_administrator
    | heads_deciding_unit
    | (sits_on_level & is_with_the_board)
)

rules.add_perm("awards.read_nomination", reads_nomination)
# Drafting is asked of a unit: the officers and the head of the proposing unit.
rules.add_perm("awards.draft_nomination", is_officer_of | is_head_of)
rules.add_perm("awards.edit_nomination", is_proposer & is_editable)
rules.add_perm("awards.submit_nomination", is_proposing_head & is_submittable)
rules.add_perm("awards.withdraw_nomination", is_proposing_head & is_withdrawable)
rules.add_perm("awards.screen_nomination", is_level_secretary & is_screenable)
# A member never reviews a nomination of themselves.
rules.add_perm("awards.review_nomination", sits_on_level & is_in_review & ~is_the_nominee)
rules.add_perm("awards.read_reviews", is_level_secretary | is_administrator)
rules.add_perm("awards.read_attachments", reads_nomination)
# The nominee's record (ratings, initiatives, awards) is read with its unit.
rules.add_perm("awards.read_record", reads_unit)
# The screening actions of the admin are the secretary's.
rules.add_perm("awards.screen_nominations", is_secretary)


# --- The council, meetings, publicity and decisions ----------------------------------------


@rules.predicate
def attends_meeting(user, meeting) -> bool:
    # Reads the meeting's prefetched attendance (awards.selectors.council.meeting_detail).
    return bool(
        user.is_authenticated
        and meeting is not None
        and any(row.member_id == user.pk for row in meeting.attendance.all())
    )


@rules.predicate
def is_present_at(user, meeting) -> bool:
    # Present with a seat that votes (a secretary who is not a member attends, not votes).
    return bool(
        user.is_authenticated
        and meeting is not None
        and any(
            row.member_id == user.pk and row.present and row.votes
            for row in meeting.attendance.all()
        )
    )


@rules.predicate
def ballot_is_open(user, meeting) -> bool:
    return meeting is not None and meeting.status == Meeting.Status.BALLOT_OPEN


@rules.predicate
def records_decisions(user, unit) -> bool:
    """Asked with the deciding unit: the Ministry's secretary records the Ministry's decisions
    (None); the head of a unit holding commendation authority records that unit's."""
    roles = roles_of(user)
    if unit is None:
        return roles.is_secretary
    return bool(unit.commendation_authority and roles.is_head_of(unit))


@rules.predicate
def reads_level(user, obj) -> bool:
    """A council, a meeting or a decision of a unit, for that unit's secretary, members and
    head; the Ministry's side (its secretary, board, the administrator) reads every level."""
    roles = roles_of(user)
    if roles.sees_all_units:
        return True
    if obj is None:
        return (
            roles.on_a_unit_council or bool(roles.secretary_unit_ids) or roles.heads_a_deciding_unit
        )
    unit_id = _level_of(obj)
    return unit_id is not None and (
        roles.sits_on_council_of(unit_id)
        or roles.is_secretary_of(unit_id)
        or roles.is_head_of_id(unit_id)
    )


@rules.predicate
def manages_council(user, council) -> bool:
    """The Ministry's secretary records the councils of every level; a unit's secretary keeps
    the seats of their unit's council."""
    roles = roles_of(user)
    if roles.is_secretary:
        return True
    return bool(council is not None and council.unit_id and roles.is_secretary_of(council.unit_id))


@rules.predicate
def reads_meeting_level(user, meeting) -> bool:
    """A meeting for the secretary and the members of its council's level, and the
    administrator. The Ministry's secretary and board do not read units' meetings."""
    roles = roles_of(user)
    if roles.is_admin:
        return True
    if meeting is None:
        return (
            roles.is_secretary
            or roles.is_board_member
            or bool(roles.council_unit_ids | roles.secretary_unit_ids)
        )
    unit_id = meeting.deciding_unit_id
    return roles.is_secretary_of(unit_id) or roles.sits_on_council_of(unit_id)


rules.add_perm("awards.read_council", reads_level)
rules.add_perm("awards.manage_council", manages_council)
rules.add_perm("awards.browse_meetings", reads_meeting_level)
rules.add_perm("awards.read_meeting", reads_meeting_level | attends_meeting)
rules.add_perm("awards.run_meetings", is_level_secretary)
rules.add_perm("awards.vote", is_present_at & ballot_is_open)
rules.add_perm("awards.read_publicity", is_secretary | is_administrator)
rules.add_perm("awards.moderate_comments", is_secretary)
rules.add_perm("awards.read_decisions", reads_level)
# The Ministry's decisions are recorded by its secretary; a unit's by its head (asked with the
# deciding unit: None for the Ministry).
rules.add_perm("awards.record_decisions", records_decisions)

# The awards overview: the sector for the board, the secretary and the administrator; a unit
# head sees the nominations of the units they head and their subtrees (as the campaign
# dashboard, whose scope the view reuses).
rules.add_perm("awards.view_overview", sees_everything | heads_a_unit)
