from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from campaigns.demo import demo_seed


class Command(BaseCommand):
    help = "Load the 2021–2026 campaign and the demo units, people and users (idempotent)."

    def handle(self, *args, **options):
        logins = demo_seed()
        self.stdout.write(self.style.SUCCESS(_("Demo data is ready. Logins:")))
        width = max(len(str(login.role)) for login in logins)
        for login in logins:
            self.stdout.write(
                f"  {login.role!s:<{width}}  {login.username:<12} {login.password}"
                f"  ({login.full_name}, {login.unit})"
            )
