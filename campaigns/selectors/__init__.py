"""Every read a campaigns page needs, with its joins and aggregates, by area: campaigns,
expected (who must report), reports, registrations, unit_page, follow_up, reminders, dashboard
and attainment (the roll-up the dashboards and the awards read).

Re-exported here: what the other apps read.
"""

from campaigns.selectors.attainment import indicator_rollups, unit_attainment
from campaigns.selectors.campaigns import campaign_active
from campaigns.selectors.dashboard import Filters, Scope, dashboard_scope
from campaigns.selectors.expected import unit_participates
from campaigns.selectors.unit_page import unit_registrations, unit_report_rows

__all__ = [
    "Filters",
    "Scope",
    "campaign_active",
    "dashboard_scope",
    "indicator_rollups",
    "unit_attainment",
    "unit_participates",
    "unit_registrations",
    "unit_report_rows",
]
