from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from units.roles import roles_of


def roles(request: HttpRequest) -> dict:
    return {"roles": SimpleLazyObject(lambda: roles_of(request.user))}


def notifications(request: HttpRequest) -> dict:
    """The bell's unread count, counted only if a template shows it (one indexed COUNT)."""

    def count() -> int:
        from units.selectors import unread_count

        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return 0
        return unread_count(user=user)

    return {"unread_notifications": SimpleLazyObject(count)}
