"""Two units' reports submitted at the same moment change the same sector sums: the second
waits for the first's periods (locked in period order) and adds to what it committed, so no
count is lost and neither fails. PostgreSQL only (SQLite runs one writer at a time)."""

from __future__ import annotations

import threading

import pytest
import time_machine
from django.db import connection, transaction

from campaigns.models import Campaign, PeriodFigure, ProgressReport
from campaigns.services.reports import report_submit
from tests.campaigns.test_figures_maintained import MOMENTS, apply, check, world  # noqa: F401
from tests.needs import need_postgres

pytestmark = pytest.mark.django_db(transaction=True)


def test_concurrent_submissions_wait_for_each_other_and_lose_nothing(world):  # noqa: F811
    need_postgres()
    for unit in (0, 1, 2):
        apply(world, ("target", unit, 2024, 0, 50), late=False)
        apply(world, ("value", unit, 0, 0, 10 * (unit + 1)), late=False)
    reports = [
        ProgressReport.objects.get(unit_id=world["units"][unit], period_id=world["periods"][0])
        for unit in (0, 1, 2)
    ]
    first_done = threading.Event()
    errors: list[BaseException] = []
    order: list[str] = []

    def submit(report: ProgressReport, name: str, hold: bool) -> None:
        try:
            if not hold:
                first_done.wait(10)
            with transaction.atomic():
                report_submit(report=report, actor=world["actor"])
                order.append(f"{name} maintained")
                if hold:
                    first_done.set()
                    threading.Event().wait(0.5)  # still holding its periods' rows
                    order.append(f"{name} commits")
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    with time_machine.travel(MOMENTS[0], tick=False):
        threads = [
            threading.Thread(target=submit, args=(reports[0], "a", True)),
            threading.Thread(target=submit, args=(reports[1], "b", False)),
            threading.Thread(target=submit, args=(reports[2], "c", False)),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
    assert not errors, errors
    # The others waited for the first one's commit before maintaining theirs.
    assert order[:2] == ["a maintained", "a commits"], order
    first = PeriodFigure.objects.get(period_id=world["periods"][0])
    assert (first.expected, first.reported) == (3, 3)
    assert Campaign.objects.filter(pk=world["campaign"]).exists()
    check(world)
