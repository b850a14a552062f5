from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UnitsConfig(AppConfig):
    name = "units"
    verbose_name = _("Organisation")

    def ready(self) -> None:
        from units import signals  # noqa: F401
        from units.waiting import administrator_items, register_waiting

        # What waits for an administrator on the home page (units/waiting.py).
        register_waiting(administrator_items)
