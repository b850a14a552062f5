import rules
from django.core.exceptions import PermissionDenied, ValidationError


def can(user, permission: str, obj=None) -> bool:
    """The `rules` permission, as views and templates ask it."""
    return rules.has_perm(permission, user, obj)


def require(user, permission: str, obj=None) -> None:
    """The one permission check of views: 403 unless the `rules` permission holds."""
    if not can(user, permission, obj):
        raise PermissionDenied


def error_message(error: ValidationError) -> str:
    """The text a view shows for a refused step: the messages joined with spaces."""
    return " ".join(str(message) for message in error.messages)
