"""The Celery side: the beat schedule, the task options, the command that sweeps by hand."""

import io

import pytest
from celery.schedules import crontab
from django.conf import settings
from django.core import mail
from django.core.management import call_command

from campaigns import tasks
from campaigns.models import Reminder
from config.celery import app
from tests.campaigns.clock import at, d
from units.tasks import backoff


@pytest.mark.django_db  # importing the task modules runs Django's model checks
def test_the_beat_schedule_runs_the_sweep_daily_and_the_requeue_every_15_minutes():
    schedule = settings.CELERY_BEAT_SCHEDULE
    app.loader.import_default_modules()
    for entry in schedule.values():
        assert entry["task"] in app.tasks
    assert schedule["reminders-sweep"]["schedule"] == crontab(hour=7, minute=30)
    assert schedule["reminders-requeue"]["schedule"] == crontab(minute="*/15")
    assert settings.CELERY_TIMEZONE == "Asia/Ho_Chi_Minh"


@pytest.mark.parametrize(
    "task", [tasks.reminders_sweep, tasks.reminders_requeue, tasks.reminders_send]
)
def test_tasks_ack_late_and_have_time_limits(task):
    assert task.acks_late is True
    assert 0 < task.soft_time_limit < task.time_limit


def test_the_send_task_is_rejected_back_to_the_queue_when_its_worker_dies():
    assert tasks.reminders_send.reject_on_worker_lost is True
    assert tasks.reminders_send.max_retries > 0
    assert all(60 <= backoff(n) <= 1830 for n in range(10))


@pytest.mark.django_db
def test_send_reminders_sweeps_by_hand_and_sends_at_once_without_a_broker(
    campaign, cast, django_capture_on_commit_callbacks
):
    out = io.StringIO()
    with at(d("16/07/2025")), django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", stdout=out)
    printed = out.getvalue()  # in the default language, Vietnamese
    assert "Quá hạn: 3" in printed and "Tổng hợp tuần: 2" in printed
    assert "Đã tạo 5 lời nhắc" in printed
    assert Reminder.objects.filter(state="sent").count() == 5 == len(mail.outbox)


@pytest.mark.django_db
def test_the_beat_tasks_run(campaign, cast, django_capture_on_commit_callbacks):
    with at(d("16/07/2025")), django_capture_on_commit_callbacks(execute=True):
        result = tasks.reminders_sweep.apply().result
        assert result["created"] == {"overdue": 3, "digest": 2}
        assert tasks.reminders_requeue.apply().result == 0
