from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import module_has_submodule
from django.utils.translation import gettext as _

from units.demo import DemoRun


class Command(BaseCommand):
    help = "Load the 2021–2026 campaign and the demo units, people and users (idempotent)."

    def handle(self, *args, **options):
        # Each app seeds its own part (its `demo.seed`), in INSTALLED_APPS order so that an app
        # finds what the apps it builds on seeded. Found through the app registry: this app
        # comes first and imports none of those built on it.
        run = DemoRun()
        with transaction.atomic():
            for app in apps.get_app_configs():
                if module_has_submodule(app.module, "demo"):
                    import_module(f"{app.name}.demo").seed(run=run)
        self.stdout.write(self.style.SUCCESS(_("Demo data is ready. Logins:")))
        width = max(len(str(login.role)) for login in run.logins)
        for login in run.logins:
            self.stdout.write(
                f"  {login.role!s:<{width}}  {login.username:<12} {login.password}"
                f"  ({login.full_name}, {login.unit})"
            )
