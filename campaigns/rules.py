"""Object permissions for campaigns, shared by views, templates and the admin."""

import rules

from units.rules import sees_everything

# Every signed-in member of the sector may read a campaign: its tasks are public to the sector.
rules.add_perm("campaigns.read_campaign", rules.is_authenticated)
rules.add_perm("campaigns.manage_campaign", sees_everything)
