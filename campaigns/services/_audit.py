"""The author of a change, for the history of the rows a service writes."""

from __future__ import annotations

from django.db import models

from units.models import User


def audit[M: models.Model](instance: M, actor: User | None) -> M:
    # simple_history reads the author from the request in views; tasks and shells pass it here.
    instance._history_user = actor
    return instance
