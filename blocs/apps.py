from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BlocsConfig(AppConfig):
    name = "blocs"
    verbose_name = _("Emulation blocs")

    def ready(self) -> None:
        from awards.selectors.record import register_bloc_standing_provider
        from blocs.selectors.standing import bloc_standing
        from blocs.selectors.waiting import bloc_items
        from units.slots import register_slot_template
        from units.waiting import register_waiting

        # The rule "leads its emulation bloc" reads the published ranking and the proposals.
        register_bloc_standing_provider(bloc_standing)
        # The bloc's part of the unit page, the dashboard and the home page.
        register_slot_template("unit_page", "blocs/includes/unit_section.html")
        register_slot_template("dashboard_links", "blocs/includes/dashboard_section.html")
        # What waits for the member units' heads and the secretary (units/waiting.py).
        register_waiting(bloc_items)
