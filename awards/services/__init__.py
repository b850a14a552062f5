"""Every write to commendations, one module per stage: `nominations` (drafting, the unit's
steps, screening, the board's review), `council` (the council, meetings, the ballot),
`publicity`, `decisions` and `notices` (telling the proposing units). The awards app imports
the stage modules; this package re-exports what the Celery tasks call."""

from awards.services.publicity import publication_close, publication_open

__all__ = ["publication_close", "publication_open"]
