"""Real Celery workers against the real Redis and the test PostgreSQL database.

Required in CI (tests/needs.py), skipped locally without the services. The worker runs
with tests/worker_settings.py: mail goes to a table written inside each delivery's
transaction, and a killed worker's unacknowledged tasks come back after two seconds.
"""

from __future__ import annotations

import contextlib
import datetime
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import kombu.pools
import pytest
from django.db import connection
from django.utils import timezone

from campaigns.models import Reminder
from campaigns.services.campaigns import campaign_enrol_units
from campaigns.services.reminders import reminders_nudge, reminders_requeue
from config.celery import app
from tests.factories import CampaignFactory, MembershipFactory, PeriodFactory, UnitFactory
from tests.needs import need_postgres, need_redis
from units.models import Notification

ROOT = Path(__file__).resolve().parents[2]
UNITS, OFFICERS, BATCH = 30, 2, 20
TOTAL = UNITS * OFFICERS


def _database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    return f"postgres://{db['USER']}{password}@{host}/{db['NAME']}"


class Workers:
    """Start and kill worker processes (each in its own process group) on one queue."""

    def __init__(self, queue: str, redis_url: str, logs: Path) -> None:
        self.queue, self.redis_url, self.logs = queue, redis_url, logs
        self.processes: list[subprocess.Popen] = []
        self.files: list = []

    def start(self, *, concurrency: int = 2) -> subprocess.Popen:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.worker_settings",
            "DATABASE_URL": _database_url(),
            "REDIS_URL": self.redis_url,
            "CELERY_BROKER_URL": self.redis_url,
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "LOG_LEVEL": "WARNING",
        }
        log = (self.logs / f"worker-{len(self.processes)}.log").open("w")
        self.files.append(log)
        process = subprocess.Popen(
            [
                sys.executable, "-m", "celery", "-A", "config", "worker",
                "-Q", self.queue, "-n", f"{self.queue}-{len(self.processes)}@%h",
                "--pool", "prefork", "--concurrency", str(concurrency),
                "--without-gossip", "--without-mingle", "--without-heartbeat",
                "--loglevel", "WARNING",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        self.processes.append(process)
        return process

    def kill(self, process: subprocess.Popen) -> None:
        """SIGKILL the worker and its pool: no clean-up, as when a machine dies."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)

    def kill_all(self) -> None:
        for process in self.processes:
            self.kill(process)
        for log in self.files:
            log.close()

    def output(self) -> str:
        return "\n".join(path.read_text() for path in sorted(self.logs.glob("worker-*.log")))


def _sent() -> int:
    return Reminder.objects.filter(state=Reminder.State.SENT).count()


def _wait_for(condition, timeout: float, workers: Workers, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    pytest.fail(f"timed out waiting for {what}; sent {_sent()}/{TOTAL}\n{workers.output()}")


def _outbox() -> list[tuple[str, int]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT message_id, count(*) FROM test_outbox GROUP BY message_id")
        return cursor.fetchall()


@pytest.fixture
def broker(settings, tmp_path):
    """The app configured, explicitly, to publish to Redis on a queue of this test only.

    Celery reads its configuration once and lazily: changing Django settings is not enough.
    """
    need_postgres()
    redis_url = need_redis()
    queue = f"thidua-test-{uuid.uuid4().hex[:10]}"
    saved = {
        key: app.conf[key] for key in ["task_always_eager", "broker_url", "task_default_queue"]
    }
    app.conf.update(task_always_eager=False, broker_url=redis_url, task_default_queue=queue)
    app.__dict__.pop("amqp", None)  # rebuilt with this queue and broker
    app._pool = None
    settings.REMINDER_BATCH_SIZE = BATCH
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE test_outbox (id serial PRIMARY KEY, message_id text NOT NULL, "
            "recipient text NOT NULL)"
        )
    workers = Workers(queue, redis_url, tmp_path)
    try:
        yield workers
    finally:
        workers.kill_all()
        with app.connection_for_write() as conn:
            conn.default_channel.queue_purge(queue)
        kombu.pools.reset()  # closes the connections and forgets the pools
        app._pool = None
        app.conf.update(saved)
        app.__dict__.pop("amqp", None)
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS test_outbox")


@pytest.fixture
def missing_units(ministry, cast):
    """A period open today (by the real clock: the workers have no frozen clock) and UNITS
    units with OFFICERS officers each, none of which has reported."""
    today = timezone.localdate()
    campaign = CampaignFactory(
        launched_by=ministry,
        starts_on=today - datetime.timedelta(days=90),
        ends_on=today + datetime.timedelta(days=90),
    )
    period = PeriodFactory(
        campaign=campaign,
        label="T",
        starts_on=today - datetime.timedelta(days=30),
        ends_on=today - datetime.timedelta(days=1),
        due_on=today + datetime.timedelta(days=10),
        locks_on=today + datetime.timedelta(days=40),
    )
    units = UnitFactory.create_batch(UNITS, parent=ministry)
    campaign_enrol_units(campaign=campaign, units=units)
    for unit in units:
        MembershipFactory.create_batch(OFFICERS, unit=unit)
    return period


def _assert_each_delivered_exactly_once() -> None:
    assert Reminder.objects.count() == TOTAL
    assert set(Reminder.objects.values_list("state", flat=True)) == {"sent"}
    outbox = _outbox()
    assert len(outbox) == TOTAL, "a reminder was not e-mailed"
    assert all(count == 1 for _, count in outbox), "a reminder was e-mailed twice"
    keys = list(Notification.objects.values_list("key", flat=True))
    assert len(keys) == len(set(keys)) == TOTAL


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_batch_then_restarted_delivers_each_reminder_once(
    broker, missing_units, cast
):
    worker = broker.start(concurrency=2)
    # The secretary's "remind all": 60 reminders, queued on commit as 3 tasks of 20.
    reminders_nudge(
        period=missing_units, units=None, batch=uuid.uuid4().hex, actor=cast["secretary"]
    )
    _wait_for(lambda: _sent() >= 10, 60, broker, "the first deliveries")
    broker.kill(worker)
    at_kill = _sent()
    assert 10 <= at_kill < TOTAL, "the worker must die in the middle of its batches"
    assert all(count == 1 for _, count in _outbox())
    # Nothing is half-delivered: every reminder is either sent or still queued.
    assert set(Reminder.objects.values_list("state", flat=True)) == {"sent", "queued"}

    broker.start(concurrency=2)  # the broker hands the unacknowledged tasks to it
    _wait_for(lambda: _sent() == TOTAL, 90, broker, "the restarted worker")
    _assert_each_delivered_exactly_once()
    assert reminders_requeue(older_than=datetime.timedelta(0)) == 0


@pytest.mark.django_db(transaction=True)
def test_two_workers_given_every_task_twice_deliver_each_reminder_once(broker, missing_units, cast):
    from campaigns.tasks import reminders_send

    reminders_nudge(
        period=missing_units, units=None, batch=uuid.uuid4().hex, actor=cast["secretary"]
    )
    ids = sorted(Reminder.objects.values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):  # every batch a second time, as a retry would
        reminders_send.delay(ids[start : start + BATCH])
    broker.start(concurrency=1)
    broker.start(concurrency=1)
    _wait_for(lambda: _sent() == TOTAL, 90, broker, "both workers")
    time.sleep(1)  # let the duplicate tasks run to the end: they must send nothing
    _assert_each_delivered_exactly_once()
