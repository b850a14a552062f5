from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = _("Emulation campaigns")

    def ready(self) -> None:
        from campaigns.selectors.waiting import report_items
        from campaigns.services import figures
        from units.waiting import register_waiting

        # What waits for a unit's officers and heads on the home page (units/waiting.py).
        register_waiting(report_items)
        # The dashboards' figures follow every write that changes them (services/figures.py).
        figures.connect()
