from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from campaigns.models import Reminder
from campaigns.services.reminders import reminders_sweep
from units.delivery import messages_requeue


class Command(BaseCommand):
    help = (
        "Run the reminder sweep now, as the daily beat task does: create the reminders due "
        "today and send them (in this process when no broker is configured, as in the "
        "embedded default; otherwise they are queued for the workers); messages whose "
        "sending failed or was lost are handed back too."
    )

    def handle(self, *args, **options):
        result = reminders_sweep()
        kinds = dict(Reminder.Kind.choices)
        for kind, count in sorted(result.created.items()):
            self.stdout.write(f"  {kinds[kind]}: {count}")
        self.stdout.write(
            _("%(created)d reminders created, %(requeued)d handed back to the queue.")
            % {"created": result.total_created, "requeued": result.requeued}
        )
        self.stdout.write(
            _("%(count)d messages handed back to the queue.") % {"count": messages_requeue()}
        )
        if settings.CELERY_TASK_ALWAYS_EAGER:
            self.stdout.write(_("No broker is configured: they were sent by this command."))
        else:
            self.stdout.write(_("They are queued for the Celery workers."))
