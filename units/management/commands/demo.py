from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _


class Command(BaseCommand):
    help = "Run the embedded default: migrate, load the campaign and demo data, serve on :8000."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args, addrport: str, **options):
        call_command("migrate", interactive=False, verbosity=0)
        call_command("seed_demo")
        self.stdout.write(
            _("Open http://%(addr)s/ and log in with one of the users above.") % {"addr": addrport}
        )
        # No autoreloader: its child process would run this command (and the seeding) again.
        call_command("runserver", addrport, use_reloader=False)
