"""Reminder sweep at ministry scale: 10,000 due reminders, sweep time and query count.

    DATABASE_URL=postgres://… [REDIS_URL=redis://…] uv run python bench/reminders.py

Builds a throwaway database (test_<name>, dropped at the end) with 2,000 units, 6 objectives,
12 indicators, 24 quarterly periods, 20,000 people, 5 officers and a head per unit and the
accepted reports of every past period; then, on Tuesday 08/07/2025 (7 days before Q2/2025 is
due), runs the sweep, which must create and queue one reminder per officer: 10,000. With
REDIS_URL the queued tasks go to a Redis queue of the bench (purged afterwards); without it
they are counted, not sent. Not part of the test run.
"""

from __future__ import annotations

import datetime
import os
import platform
import sys
import time
import zoneinfo
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django

django.setup()

import time_machine  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import (  # noqa: E402
    setup_databases,
    setup_test_environment,
    teardown_databases,
)

UNITS = 2_000
OFFICERS_PER_UNIT = 5
PEOPLE = 20_000
DELIVERED_SAMPLE = 1_000
DAY = datetime.date(2025, 7, 8)
HANOI = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


def build() -> None:
    from django.contrib.auth.models import Group

    from campaigns.models import Campaign, Indicator, Objective, ProgressReport
    from campaigns.services.campaigns import campaign_enrol_units, campaign_generate_periods
    from units.models import Membership, Person, Unit, User

    ministry = Unit.objects.create(code="bct", name="Bộ Công Thương", kind=Unit.Kind.MINISTRY)
    units = Unit.objects.bulk_create(
        Unit(code=f"u{i:04d}", name=f"Đơn vị {i}", kind=Unit.Kind.AGENCY, parent=ministry)
        for i in range(1, UNITS)
    )
    for unit in units:
        unit.path = f"{ministry.path}{unit.pk}/"
    Unit.objects.bulk_update(units, ["path"], batch_size=1000)
    units = [ministry, *units]
    campaign = Campaign.objects.create(
        code="pttd-bench",
        title="Phong trào thi đua",
        launched_on=datetime.date(2021, 6, 1),
        launched_by=ministry,
        starts_on=datetime.date(2021, 7, 1),
        ends_on=datetime.date(2027, 6, 30),
        status=Campaign.Status.ACTIVE,
    )
    for number in range(1, 7):
        objective = Objective.objects.create(
            campaign=campaign, number=number, title=f"Nhiệm vụ {number}", text="…"
        )
        for letter in "ab":
            Indicator.objects.create(
                objective=objective, code=f"ind-{number}{letter}", name="Chỉ tiêu", measure="%"
            )
    periods = campaign_generate_periods(campaign=campaign)
    campaign_enrol_units(campaign=campaign, units=units)
    unusable = "!bench"
    users = User.objects.bulk_create(
        User(username=f"user{i:05d}", email=f"user{i:05d}@example.gov.vn", password=unusable)
        for i in range(UNITS * (OFFICERS_PER_UNIT + 1) + 3)
    )
    secretary, board_1, board_2 = users[-3:]
    secretary.groups.add(Group.objects.get_or_create(name="secretary")[0])
    for member in (board_1, board_2):
        member.groups.add(Group.objects.get_or_create(name="board")[0])
    memberships = []
    for index, unit in enumerate(units):
        team = users[index * (OFFICERS_PER_UNIT + 1) : (index + 1) * (OFFICERS_PER_UNIT + 1)]
        memberships += [Membership(user=user, unit=unit, role="officer") for user in team[:-1]]
        memberships.append(Membership(user=team[-1], unit=unit, role="head"))
    Membership.objects.bulk_create(memberships, batch_size=2000)
    Person.objects.bulk_create(
        (
            Person(code=f"p{i:05d}", full_name=f"Cán bộ {i}", unit=units[i % UNITS])
            for i in range(PEOPLE)
        ),
        batch_size=2000,
    )
    past = [period for period in periods if period.due_on < DAY - datetime.timedelta(days=60)]
    ProgressReport.objects.bulk_create(
        (
            ProgressReport(unit=unit, period=period, status="accepted")
            for period in past
            for unit in units
        ),
        batch_size=5000,
    )
    print(
        f"data: {len(units):,} units, {len(periods)} periods, {len(users):,} users, "
        f"{len(memberships):,} memberships, {PEOPLE:,} people, "
        f"{len(past) * len(units):,} past reports"
    )


def measure(label: str, action):
    """Time an action and count its statements (a wrapper counts them all, with no cap)."""
    count = 0

    def counter(execute, sql, params, many, context):
        nonlocal count
        count += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counter):
        started = time.perf_counter()
        result = action()
        elapsed = time.perf_counter() - started
    return label, result, elapsed, count


def main() -> None:
    if connection.vendor != "postgresql":
        sys.exit("The benchmark runs on PostgreSQL: set DATABASE_URL=postgres://…")
    from config.celery import app

    redis_url = os.environ.get("REDIS_URL")
    queue = "thidua-bench"
    if redis_url:
        app.conf.update(task_always_eager=False, broker_url=redis_url, task_default_queue=queue)
    else:
        app.conf.update(task_always_eager=False, broker_url="memory://")
    setup_test_environment()
    old_config = setup_databases(verbosity=0, interactive=False)
    try:
        build()
        run(app, queue, redis_url)
    finally:
        teardown_databases(old_config, verbosity=0)


def run(app, queue: str, redis_url: str | None) -> None:
    from campaigns import tasks
    from campaigns.models import Reminder
    from campaigns.services.reminders import reminders_sweep
    from config.workdays import is_working_day

    # The holiday calendar is imported once per process (about a second when the package has
    # no compiled bytecode); a worker pays it at its first sweep, not at every one.
    is_working_day(DAY)
    rows = []
    with time_machine.travel(datetime.datetime.combine(DAY, datetime.time(7, 30), HANOI)):
        label, first, seconds, queries = measure(
            "sweep: create and queue the due reminders", reminders_sweep
        )
        created = first.total_created
        rows.append((label, f"{created:,} created", seconds, queries))
        before_due = first.created["before_due"]
        label, second, seconds, queries = measure(
            "sweep again the same day (nothing new)", reminders_sweep
        )
        rows.append((label, f"{second.total_created:,} created", seconds, queries))
        tasks_queued = -(-created // settings.REMINDER_BATCH_SIZE)
        if redis_url:
            with app.connection_for_write() as conn:
                waiting = conn.default_channel.queue_purge(queue)
        else:
            waiting = None
        sample = list(Reminder.objects.order_by("pk").values_list("pk", flat=True))
        sample = sample[:DELIVERED_SAMPLE]
        app.conf.task_always_eager = True
        label, outcome, seconds, queries = measure(
            f"deliver {len(sample):,} (one worker, in process, locmem mail)",
            lambda: tasks.reminders_send.apply(args=[sample]).result,
        )
        rows.append((label, f"{outcome.get('sent', 0):,} sent", seconds, queries))

    print()
    print(f"machine: {platform.node()} · {platform.processor() or platform.machine()} · "
          f"{os.cpu_count()} CPUs · Python {platform.python_version()} · "
          f"PostgreSQL {connection.pg_version // 10000}")  # fmt: skip
    print(f"before-due reminders created: {before_due:,} (budget: 10,000 in ≤ 10 s)")
    if waiting is not None:
        print(f"tasks published to Redis: {waiting} (batches of {settings.REMINDER_BATCH_SIZE})")
    else:
        print(f"tasks queued: {tasks_queued} (memory broker; set REDIS_URL for Redis)")
    print()
    print(f"| {'step':<56} | {'reminders':>15} | {'time (s)':>8} | {'queries':>7} |")
    print(f"|{'-' * 58}|{'-' * 17}:|{'-' * 9}:|{'-' * 8}:|")
    for label, what, seconds, queries in rows:
        print(f"| {label:<56} | {what:>15} | {seconds:>8.2f} | {queries:>7} |")


if __name__ == "__main__":
    main()
