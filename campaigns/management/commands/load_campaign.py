import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from campaigns.models import Indicator
from campaigns.services.campaigns import campaign_load
from units.services import unit_ensure_ministry

DEFAULT_FILE = Path(__file__).resolve().parents[2] / "data" / "campaign-2021-2026.json"


class Command(BaseCommand):
    help = "Load (or refresh) the 2021–2026 campaign of the Ministry from the shipped data file."

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, default=DEFAULT_FILE)

    def handle(self, *args, file: Path, **options):
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise CommandError(
                _("Cannot read %(file)s: %(error)s") % {"file": file, "error": exc}
            ) from exc
        unit_ensure_ministry()
        campaign = campaign_load(data=data)
        self.stdout.write(
            _(
                "Campaign %(code)s: %(objectives)d objectives, %(indicators)d indicators, "
                "%(periods)d periods."
            )
            % {
                "code": campaign.code,
                "objectives": campaign.objectives.count(),
                "indicators": Indicator.objects.filter(objective__campaign=campaign).count(),
                "periods": campaign.periods.count(),
            }
        )
