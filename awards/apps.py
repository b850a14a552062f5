from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AwardsConfig(AppConfig):
    name = "awards"
    verbose_name = _("Commendations")

    def ready(self) -> None:
        from awards import signals  # noqa: F401
        from awards.selectors import council_members
        from units.roles import register_board_provider

        # Who sits on the board is the council's to say; units.roles asks it with every
        # user's roles.
        register_board_provider(council_members)
