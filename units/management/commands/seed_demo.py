from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils.module_loading import module_has_submodule
from django.utils.translation import gettext as _

from units.demo import DemoRun


class Command(BaseCommand):
    help = "Load the 2021–2026 campaign and the demo units, people and users (idempotent)."

    def handle(self, *args, **options):
        # On a database that is not migrated the seeding would crash on a missing table; say so
        # instead (migrating here could change a database the caller did not mean to upgrade).
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if pending:
            raise CommandError(
                _(
                    "The database is not up to date (%(count)d migrations to apply): "
                    "run “python manage.py migrate” first, or “python manage.py demo”, "
                    "which migrates, seeds and serves."
                )
                % {"count": len(pending)}
            )
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
