from django.core.exceptions import ValidationError


class StaleEdit(ValidationError):
    """Someone else saved the row since the form was drawn; `current` is the row as it is now."""

    def __init__(self, current, message=None):
        from django.utils.translation import gettext as _

        super().__init__(message or _("Someone else saved this since you opened it."), code="stale")
        self.current = current
