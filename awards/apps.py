from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AwardsConfig(AppConfig):
    name = "awards"
    verbose_name = _("Commendations")

    def ready(self) -> None:
        from awards import signals  # noqa: F401
        from awards.selectors import council_members, unit_council_seats
        from awards.selectors.waiting import nomination_items
        from units.roles import register_board_provider, register_unit_seat_provider
        from units.slots import register_slot_template
        from units.waiting import register_waiting

        # Who sits on the board is the council's to say; units.roles asks it with every
        # user's roles.
        register_board_provider(council_members)
        # And on which units' councils a user sits (Law 2022 Art 80), in the same query.
        register_unit_seat_provider(unit_council_seats)
        # What the awards app shows on campaigns' pages (units/slots.py).
        register_slot_template("home", "awards/includes/home_tiles.html")
        register_slot_template("unit_page", "awards/includes/unit_record_section.html")
        register_slot_template("dashboard_links", "awards/includes/dashboard_link.html")
        register_slot_template("campaign_page", "awards/includes/campaign_review_link.html")
        # The commendations' dates in a campaign's yearly calendar.
        from awards.calendar import awards_calendar
        from campaigns.calendar import register_calendar_source

        register_calendar_source(awards_calendar)
        # What waits for each role in the commendations on the home page (units/waiting.py).
        register_waiting(nomination_items)
