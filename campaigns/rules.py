"""Object permissions for campaigns, shared by views, templates and the admin.

Report and registration predicates take the report (or registration) itself; "another unit's"
objects are answered with 404 by the views' access helpers before these are consulted.
"""

import rules
from django.utils import timezone

from units.roles import roles_of
from units.rules import (
    is_administrator,
    is_head_of,
    is_head_of_parent_of,
    is_officer_of,
    is_secretary,
    reads_unit,
    sees_everything,
)


def _unit_predicate(predicate):
    """Lift a (user, unit) predicate to (user, object with a .unit)."""

    @rules.predicate(name=f"{predicate.name}_of_object")
    def lifted(user, obj) -> bool:
        return obj is not None and predicate.test(user, obj.unit)

    return lifted


officer_of_report = _unit_predicate(is_officer_of)
head_of_report = _unit_predicate(is_head_of)
reader_of_report = _unit_predicate(reads_unit)


@rules.predicate
def report_is_editable(user, report) -> bool:
    return report.is_editable(timezone.localdate())


@rules.predicate
def report_is_submitted(user, report) -> bool:
    return report.status == report.Status.SUBMITTED


@rules.predicate
def report_is_locked(user, report) -> bool:
    return report.is_locked(timezone.localdate())


@rules.predicate
def registration_is_open(user, registration) -> bool:
    return registration is None or registration.status != registration.Status.CONFIRMED


@rules.predicate
def registration_awaits_head(user, registration) -> bool:
    return registration is not None and registration.status != registration.Status.CONFIRMED


@rules.predicate
def campaign_is_launched(user, campaign) -> bool:
    return campaign is None or campaign.status != campaign.Status.DRAFT


@rules.predicate
def campaign_is_draft(user, campaign) -> bool:
    return campaign is not None and campaign.status == campaign.Status.DRAFT


# Every signed-in member of the sector may read a launched campaign: its tasks are public to the
# sector. A draft is the board's until it is launched.
rules.add_perm(
    "campaigns.read_campaign", rules.is_authenticated & (campaign_is_launched | sees_everything)
)
rules.add_perm("campaigns.manage_campaign", sees_everything)
# The board secretary drafts and launches campaigns, and writes their reviews.
rules.add_perm("campaigns.draft_campaign", is_secretary)
rules.add_perm("campaigns.edit_draft", is_secretary & campaign_is_draft)
rules.add_perm("campaigns.write_review", is_secretary)

rules.add_perm("campaigns.read_report", reader_of_report)
rules.add_perm(
    "campaigns.edit_report",
    (officer_of_report | head_of_report | is_administrator) & report_is_editable,
)
rules.add_perm("campaigns.submit_report", (officer_of_report | head_of_report) & report_is_editable)
rules.add_perm("campaigns.review_report", (head_of_report | is_secretary) & report_is_submitted)
rules.add_perm("campaigns.reopen_report", (is_secretary | is_administrator) & report_is_locked)

# Registrations: the object is the registration; its unit is checked the same way.
rules.add_perm("campaigns.read_registration", reader_of_report)
rules.add_perm(
    "campaigns.edit_registration", (officer_of_report | head_of_report) & registration_is_open
)
rules.add_perm("campaigns.confirm_registration", head_of_report & registration_awaits_head)

# Objects here are units: who may start a unit's report for an open period.
rules.add_perm("campaigns.write_unit_reports", is_officer_of | is_head_of | is_administrator)

# Following up missing reports: the board and the administrator read the list, the secretary
# also sends reminders from it. Objects here are campaigns.
rules.add_perm("campaigns.follow_up_reports", sees_everything)
rules.add_perm("campaigns.nudge_units", is_secretary)


@rules.predicate
def heads_a_unit(user) -> bool:
    return bool(roles_of(user).head_unit_ids)


# Dashboards: the sector for the board, the secretary and the administrator; a unit head sees
# the units they head and their subtrees (the views narrow the figures to that scope).
rules.add_perm("campaigns.view_dashboard", sees_everything | heads_a_unit)
rules.add_perm("campaigns.view_unit_dashboard", sees_everything | is_head_of | is_head_of_parent_of)
