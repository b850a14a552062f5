from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from awards.tasks import publicity_sweep


class Command(BaseCommand):
    help = (
        "Open and close the publicity windows due today (Celery beat does it every hour; "
        "run this from cron where no beat runs, e.g. the embedded default)."
    )

    def handle(self, *args, **options):
        due = publicity_sweep.apply().get()
        self.stdout.write(
            _("Windows opened: %(opened)s; closed: %(closed)s.")
            % {"opened": len(due["opening"]), "closed": len(due["closing"])}
        )
