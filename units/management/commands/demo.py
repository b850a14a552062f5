from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.test.utils import override_settings
from django.utils.translation import gettext as _


class Command(BaseCommand):
    help = "Run the embedded default: migrate, load the campaign and demo data, serve on :8000."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args, addrport: str, **options):
        call_command("migrate", interactive=False, verbosity=0)
        # The seeding walks the workflows, whose hand-overs write e-mails: kept in memory, so
        # that the console shows the logins and then only the mail the visitor's actions send.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            call_command("seed_demo")
        self.stdout.write(
            _("Open http://%(addr)s/ and log in with one of the users above.") % {"addr": addrport}
        )
        from django.conf import settings

        if settings.TWO_FACTOR_ENFORCED:
            self.stdout.write(
                _(
                    "The administrator, the board's secretary and council members set up "
                    "two-factor sign-in at their first sign-in: scan the QR code shown with an "
                    "authenticator app (or type its key), then type the app's code. For a quick "
                    "look without it, start with TWO_FACTOR_ENFORCED=false."
                )
            )
        # No autoreloader: its child process would run this command (and the seeding) again.
        call_command("runserver", addrport, use_reloader=False)
