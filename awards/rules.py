"""Object permissions for commendations, shared by views, templates and the admin.

They follow the permission table of DESIGN.md. Workflow permissions are tested with
`rules.has_perm` (not `user.has_perm`, which lets a superuser do anything): the administrator
reads everything but takes no part in the workflow.
"""

from __future__ import annotations

import rules

from awards.models import Meeting, Nomination
from campaigns.rules import heads_a_unit
from units.roles import roles_of
from units.rules import (
    is_administrator,
    is_board_member,
    is_head_of,
    is_officer_of,
    is_secretary,
    reads_unit,
    sees_everything,
)

# Who sits on the board: the members of the council in office (awards.selectors.council.
# council_members, which roles_of asks once per request; the `board` group stands in until a
# council is recorded).
is_council_member = is_board_member

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


reads_nomination = (
    is_proposer
    | heads_a_parent_of_proposer
    | is_secretary
    | is_administrator
    | (is_council_member & is_with_the_board)
)

rules.add_perm("awards.read_nomination", reads_nomination)
# Drafting is asked of a unit: the officers and the head of the proposing unit.
rules.add_perm("awards.draft_nomination", is_officer_of | is_head_of)
rules.add_perm("awards.edit_nomination", is_proposer & is_editable)
rules.add_perm("awards.submit_nomination", is_proposing_head & is_submittable)
rules.add_perm("awards.withdraw_nomination", is_proposing_head & is_withdrawable)
rules.add_perm("awards.screen_nomination", is_secretary & is_screenable)
# A member never reviews a nomination of themselves.
rules.add_perm("awards.review_nomination", is_council_member & is_in_review & ~is_the_nominee)
rules.add_perm("awards.read_reviews", is_secretary | is_administrator)
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


sees_the_council = is_secretary | is_administrator | is_council_member

rules.add_perm("awards.read_council", sees_the_council)
rules.add_perm("awards.manage_council", is_secretary)
rules.add_perm("awards.browse_meetings", sees_the_council)
rules.add_perm("awards.read_meeting", sees_the_council | attends_meeting)
rules.add_perm("awards.run_meetings", is_secretary)
rules.add_perm("awards.vote", is_present_at & ballot_is_open)
rules.add_perm("awards.read_publicity", is_secretary | is_administrator)
rules.add_perm("awards.moderate_comments", is_secretary)
rules.add_perm("awards.read_decisions", sees_the_council)
rules.add_perm("awards.record_decisions", is_secretary)

# The awards overview: the sector for the board, the secretary and the administrator; a unit
# head sees the nominations of the units they head and their subtrees (as the campaign
# dashboard, whose scope the view reuses).
rules.add_perm("awards.view_overview", sees_everything | heads_a_unit)
