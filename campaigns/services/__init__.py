"""Every write to campaigns, by stage: campaigns (load, periods, participants), reports,
registrations, reminders (which rows exist and when they are queued) and delivery (sending one
reminder exactly once).

Re-exported here: what the Celery tasks call.
"""

from campaigns.services.delivery import (
    MailServerUnavailable,
    reminder_deliver,
    reminder_record_crash,
)
from campaigns.services.reminders import reminders_requeue, reminders_sweep

__all__ = [
    "MailServerUnavailable",
    "reminder_deliver",
    "reminder_record_crash",
    "reminders_requeue",
    "reminders_sweep",
]
