"""Every write to the councils, one module per stage: `councils` (a level's council and its
seats), `meetings` (scheduling, the agenda, cancelling, the attendance) and `ballot` (the secret
ballot from its opening to its closing or voiding). The views and tests import from here."""

from awards.services.council.ballot import (
    PASSPHRASE_MIN_LENGTH,
    ballot_cast,
    meeting_ballot_close,
    meeting_ballot_open,
    meeting_ballot_void,
)
from awards.services.council.councils import council_save, council_seat_save
from awards.services.council.meetings import (
    meeting_agenda_add,
    meeting_agenda_remove,
    meeting_attendance_record,
    meeting_cancel,
    meeting_schedule,
    meeting_update,
)

__all__ = [
    "PASSPHRASE_MIN_LENGTH",
    "ballot_cast",
    "council_save",
    "council_seat_save",
    "meeting_agenda_add",
    "meeting_agenda_remove",
    "meeting_attendance_record",
    "meeting_ballot_close",
    "meeting_ballot_open",
    "meeting_ballot_void",
    "meeting_cancel",
    "meeting_schedule",
    "meeting_update",
]
