"""Every read the commendation pages and services need, with its joins and aggregates, one
module per area: `record` (the nominee's record), `catalogue`, `nominations`, `council` (the
board, the council and its meetings), `publicity`, `decisions` and `overview`. The awards app
imports the area modules; this package re-exports what other apps and the Celery tasks read."""

from awards.selectors.council import council_members, unit_council_seats
from awards.selectors.publicity import publications_due

__all__ = ["council_members", "publications_due", "unit_council_seats"]
