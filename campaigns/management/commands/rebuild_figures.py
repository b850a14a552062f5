"""Recompute every maintained figure of the dashboards from the raw values.

    uv run python manage.py rebuild_figures [--campaign CODE]

Needed after loading data in bulk (COPY, bulk_create: no signal is sent); the services and
the admin keep the figures up to date otherwise. Prints the rows written per second.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from campaigns.models import Campaign
from campaigns.services.figures import figures_rebuild


class Command(BaseCommand):
    help = "Recompute the dashboards' maintained figures from the raw values."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--campaign", help="only this campaign (its code)")

    def handle(self, *args, campaign: str | None = None, **options) -> None:
        campaigns = Campaign.objects.order_by("pk")
        if campaign:
            campaigns = campaigns.filter(code=campaign)
        total, started = 0, time.perf_counter()
        for item in campaigns:
            began = time.perf_counter()
            rows = figures_rebuild(campaign=item)
            seconds = time.perf_counter() - began
            total += rows
            self.stdout.write(
                f"{item.code}: {rows:,} rows in {seconds:.2f} s "
                f"({rows / seconds if seconds else 0:,.0f} rows/s)"
            )
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"figures rebuilt: {total:,} rows in {seconds:.2f} s "
            f"({total / seconds if seconds else 0:,.0f} rows/s)"
        )
