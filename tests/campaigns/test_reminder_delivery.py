"""Sending reminders: once each, in the recipient's language, surviving failures and crashes."""

import smtplib
from unittest import mock

import pytest
from django.core import mail
from django.urls import reverse
from kombu.exceptions import OperationalError

from campaigns import tasks
from campaigns.models import Reminder
from campaigns.services import delivery
from campaigns.services.reminders import reminders_requeue, reminders_retry, reminders_sweep
from campaigns.services.reports import report_return, report_start, report_submit
from tests.campaigns.clock import at, d
from tests.campaigns.mailers import Crash, FlakyBackend
from tests.helpers import race
from tests.needs import need_postgres
from units.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def flaky(settings):
    settings.MAILERS = {"default": {"BACKEND": "tests.campaigns.mailers.FlakyBackend"}}
    FlakyBackend.failures = {}
    yield FlakyBackend.failures
    FlakyBackend.failures = {}


@pytest.fixture
def queue(django_capture_on_commit_callbacks):
    """Run the sweep on a day without sending: returns the ids it queued."""

    def run(day):
        with at(day), django_capture_on_commit_callbacks(execute=False):
            reminders_sweep()
        return list(
            Reminder.objects.filter(state="queued").order_by("pk").values_list("pk", flat=True)
        )

    return run


OVERDUE_DAY = d("16/07/2025")


def _send(ids, day=OVERDUE_DAY):
    with at(day):
        return tasks.reminders_send.apply(args=[ids]).get()


def test_a_reminder_is_emailed_and_put_in_the_inbox_in_the_recipients_language(
    campaign, cast, queue
):
    cast["officer"].language = "en"
    cast["officer"].save()
    ids = queue(d("16/07/2025"))
    assert _send(ids) == {"sent": len(ids)}
    english = next(m for m in mail.outbox if m.to == ["officer@example.gov.vn"])
    assert english.subject == "Overdue: report Q2/2025 of Cục A"
    assert "was due on 15/07/2025 and is late" in english.body
    assert "http://127.0.0.1:8000/reports/units/cuc-a/periods/" in english.body
    assert english.extra_headers["Message-ID"].startswith("<reminder-")
    vietnamese = next(m for m in mail.outbox if m.to == ["outsider@example.gov.vn"])
    assert vietnamese.subject == "Quá hạn: báo cáo Q2/2025 của Cục B"
    inbox = Notification.objects.get(recipient=cast["officer"])
    assert inbox.message.startswith("The report of Cục A for Q2/2025 was due on 15/07/2025")
    assert inbox.url.startswith("/reports/units/cuc-a/periods/") and inbox.read_at is None
    reminder = Reminder.objects.get(recipient=cast["officer"])
    assert reminder.notification == inbox and reminder.emailed_at and reminder.sent_at
    assert reminder.attempts == 1


def test_action_reminders_are_always_emailed_the_digest_only_when_wanted(campaign, cast, queue):
    for role in ["officer", "board"]:
        cast[role].email_notifications = False
        cast[role].save()
    _send(queue(d("14/07/2025")), d("14/07/2025"))
    officer = Reminder.objects.get(recipient=cast["officer"])
    board = Reminder.objects.get(recipient=cast["board"], kind="digest")
    secretary = Reminder.objects.get(recipient=cast["secretary"], kind="digest")
    assert officer.via_email and officer.emailed_at is not None
    assert not board.via_email and board.emailed_at is None and board.state == "sent"
    assert secretary.via_email and secretary.emailed_at is not None
    assert not any(m.to == ["board@example.gov.vn"] for m in mail.outbox)
    assert Notification.objects.filter(recipient=cast["board"]).count() == 1


def test_someone_without_an_email_address_gets_the_inbox_notice_only(campaign, cast, queue):
    cast["officer"].email = ""
    cast["officer"].save()
    _send(queue(d("08/07/2025")), d("08/07/2025"))
    reminder = Reminder.objects.get(recipient=cast["officer"], kind="before_due")
    assert not reminder.via_email and reminder.state == "sent"
    assert Notification.objects.filter(recipient=cast["officer"]).exists()


def test_a_reminder_that_no_longer_applies_is_cancelled_not_sent(campaign, cast, unit, queue):
    ids = queue(d("08/07/2025"))
    with at(d("08/07/2025")):
        period = campaign.periods.get(label="Q2/2025")
        report = report_start(unit=unit, period=period, actor=cast["officer"])
        report_submit(report=report, actor=cast["officer"])
    _send(ids, d("08/07/2025"))
    assert Reminder.objects.get(recipient=cast["officer"], kind="before_due").state == "cancelled"
    assert not any(m.to == ["officer@example.gov.vn"] for m in mail.outbox)
    assert Reminder.objects.get(recipient=cast["outsider"], kind="before_due").state == "sent"


def test_a_returned_report_reminds_the_officer_with_the_reason_each_time(
    campaign, cast, unit, django_capture_on_commit_callbacks
):
    period = campaign.periods.get(label="Q2/2025")
    with at(d("10/07/2025")):
        report = report_start(unit=unit, period=period, actor=cast["officer"])
        report_submit(report=report, actor=cast["officer"])
    with at(d("11/07/2025")), django_capture_on_commit_callbacks(execute=True):
        report_return(report=report, actor=cast["head"], reason="Bổ sung chỉ tiêu 2")
    returned = Reminder.objects.get(kind="returned")
    assert (returned.recipient, returned.requested_by, returned.state) == (
        cast["officer"],
        cast["head"],
        "sent",
    )
    message = next(m for m in mail.outbox if m.to == ["officer@example.gov.vn"])
    assert "Bổ sung chỉ tiêu 2" in message.body
    assert Notification.objects.get(recipient=cast["officer"]).url == f"/reports/{report.pk}/"
    with at(d("14/07/2025")), django_capture_on_commit_callbacks(execute=True):
        report_submit(report=report, actor=cast["officer"])
        report_return(report=report, actor=cast["head"], reason="Lần hai")
    assert Reminder.objects.filter(kind="returned", recipient=cast["officer"]).count() == 2
    assert not Reminder.objects.filter(kind="returned", recipient=cast["head"]).exists()


def test_a_report_submitted_by_the_head_and_returned_by_the_secretary_tells_both(
    campaign, cast, unit, django_capture_on_commit_callbacks
):
    period = campaign.periods.get(label="Q2/2025")
    with at(d("10/07/2025")):
        report = report_start(unit=unit, period=period, actor=cast["head"])
        report_submit(report=report, actor=cast["head"])
    with at(d("11/07/2025")), django_capture_on_commit_callbacks(execute=True):
        report_return(report=report, actor=cast["secretary"], reason="Thiếu")
    assert sorted(
        Reminder.objects.filter(kind="returned").values_list("recipient__username", flat=True)
    ) == ["head", "officer"]


def test_a_return_that_is_rolled_back_leaves_no_reminder(campaign, cast, unit):
    period = campaign.periods.get(label="Q2/2025")
    with at(d("10/07/2025")):
        report = report_start(unit=unit, period=period, actor=cast["officer"])
        report_submit(report=report, actor=cast["officer"])
        from django.db import transaction

        with pytest.raises(RuntimeError), transaction.atomic():
            report_return(report=report, actor=cast["head"], reason="x")
            raise RuntimeError
    assert not Reminder.objects.exists()


def test_mail_server_down_the_failure_is_recorded_the_inbox_kept_and_it_is_sent_later(
    campaign, cast, queue, flaky, django_capture_on_commit_callbacks
):
    flaky["officer@example.gov.vn"] = smtplib.SMTPServerDisconnected("Connection closed")
    ids = queue(d("08/07/2025"))
    _send(ids, d("08/07/2025"))  # eager: recorded, no retry loop inside the caller
    reminder = Reminder.objects.get(recipient=cast["officer"], kind="before_due")
    assert reminder.state == "failed" and "SMTPServerDisconnected" in reminder.error
    assert reminder.attempts == 1 and reminder.next_attempt_at is not None
    assert reminder.notification is not None and reminder.emailed_at is None
    # The batch stopped at the failure; the rest waits, queued, for the retry.
    assert Reminder.objects.filter(state="queued").exists()
    flaky.clear()
    with at(d("08/07/2025"), hour=9), django_capture_on_commit_callbacks(execute=True):
        assert reminders_requeue() == 0  # not yet: the retry is due later
    with at(d("09/07/2025")), django_capture_on_commit_callbacks(execute=True):
        assert reminders_requeue() >= 1
    reminder.refresh_from_db()
    assert reminder.state == "sent" and reminder.error == "" and reminder.attempts == 2
    assert len([m for m in mail.outbox if m.to == ["officer@example.gov.vn"]]) == 1
    assert Notification.objects.filter(recipient=cast["officer"]).count() == 1
    assert set(Reminder.objects.values_list("state", flat=True)) == {"sent"}


def test_a_permanent_mail_error_waits_for_a_person_then_the_admin_sends_it_again(
    campaign, cast, queue, flaky, django_capture_on_commit_callbacks
):
    flaky["officer@example.gov.vn"] = smtplib.SMTPRecipientsRefused(
        {"officer@example.gov.vn": (550, b"No such user")}
    )
    _send(queue(d("08/07/2025")), d("08/07/2025"))
    reminder = Reminder.objects.get(recipient=cast["officer"], kind="before_due")
    assert reminder.state == "failed" and reminder.next_attempt_at is None
    with at(d("10/07/2025")), django_capture_on_commit_callbacks(execute=True):
        reminders_requeue()
    reminder.refresh_from_db()
    assert reminder.state == "failed"  # not retried in a loop
    flaky.clear()
    with at(d("10/07/2025")), django_capture_on_commit_callbacks(execute=True):
        assert reminders_retry(reminder_ids=[reminder.pk]) == 1
    reminder.refresh_from_db()
    assert reminder.state == "sent"


def test_the_task_retries_transient_errors_only(campaign, cast, queue, flaky):
    from celery.exceptions import Retry

    ids = queue(d("08/07/2025"))
    flaky["officer@example.gov.vn"] = ConnectionRefusedError(111, "Connection refused")
    with (
        at(d("08/07/2025")),
        mock.patch.object(tasks.reminders_send, "retry", side_effect=Retry()) as retry,
        pytest.raises(Retry),
    ):
        tasks.reminders_send.run(ids)
    assert retry.call_count == 1
    flaky["officer@example.gov.vn"] = smtplib.SMTPRecipientsRefused(
        {"officer@example.gov.vn": (550, b"No such user")}
    )
    Reminder.objects.filter(recipient=cast["officer"]).update(state="queued")
    with at(d("08/07/2025")), mock.patch.object(tasks.reminders_send, "retry") as retry:
        tasks.reminders_send.run(ids)
    retry.assert_not_called()
    assert Reminder.objects.get(recipient=cast["officer"], kind="before_due").state == "failed"


def test_a_bug_in_one_reminder_is_recorded_and_the_batch_goes_on(campaign, cast, queue):
    ids = queue(d("16/07/2025"))
    broken = Reminder.objects.get(recipient=cast["head"]).pk
    real = delivery.notice_for

    def notice_for(reminder, **context):
        if reminder.pk == broken:
            raise KeyError("bug")
        return real(reminder, **context)

    with mock.patch.object(delivery, "notice_for", notice_for):
        outcome = _send(ids)
    assert outcome == {"sent": len(ids) - 1, "crashed": 1}
    crashed = Reminder.objects.get(pk=broken)
    assert crashed.state == "failed" and "KeyError" in crashed.error
    assert crashed.next_attempt_at is None


def test_a_task_retried_after_a_crash_delivers_each_reminder_once(campaign, cast, queue, flaky):
    ids = queue(d("16/07/2025"))
    # The process "dies" while sending the head's overdue notice: the reminders before it are
    # committed as sent; the head's delivery, inside its transaction, is rolled back.
    flaky["head@example.gov.vn"] = Crash()
    with pytest.raises(Crash):
        _send(ids)
    sent_before = set(Reminder.objects.filter(state="sent").values_list("pk", flat=True))
    assert 0 < len(sent_before) < len(ids)
    assert Reminder.objects.get(recipient=cast["head"]).state == "queued"
    assert not Notification.objects.filter(recipient=cast["head"]).exists()
    flaky.clear()
    outcome = _send(ids)  # the broker delivers the unacknowledged task again
    assert outcome == {"skipped": len(sent_before), "sent": len(ids) - len(sent_before)}
    assert Reminder.objects.filter(state="sent").count() == len(ids)
    recipients = [m.to[0] for m in mail.outbox]
    assert len(recipients) == len(set(recipients)) == len(ids)
    assert Notification.objects.count() == len(ids)


def test_the_requeue_task_hands_back_only_what_was_lost(
    campaign, cast, queue, django_capture_on_commit_callbacks
):
    ids = queue(d("16/07/2025"))
    with at(d("16/07/2025"), hour=9), django_capture_on_commit_callbacks(execute=False):
        assert reminders_requeue() == 0  # just queued: its messages are on their way
    with at(d("16/07/2025"), hour=10), django_capture_on_commit_callbacks(execute=True):
        assert reminders_requeue() == len(ids)
    assert Reminder.objects.filter(state="sent").count() == len(ids)


# --- Real concurrency on PostgreSQL ---------------------------------------------------------


def _assert_each_delivered_once():
    reminders = list(Reminder.objects.select_related("recipient"))
    assert reminders and all(r.state == "sent" for r in reminders)
    ids = [m.extra_headers["Message-ID"] for m in mail.outbox]
    assert len(ids) == len(set(ids)) == sum(r.via_email for r in reminders)
    keys = list(Notification.objects.values_list("key", flat=True))
    assert len(keys) == len(set(keys)) == len(reminders)


@pytest.mark.django_db(transaction=True)
def test_two_beat_ticks_at_once_create_and_send_each_reminder_once(campaign, cast):
    need_postgres()
    with at(d("16/07/2025")):
        results = race(lambda _: reminders_sweep(), count=3)
    assert not [r for r in results if isinstance(r, BaseException)], results
    assert sum(r.total_created for r in results) == Reminder.objects.count() == 5
    _assert_each_delivered_once()


@pytest.mark.django_db(transaction=True)
def test_two_workers_given_the_same_reminders_send_each_once(campaign, cast, settings):
    need_postgres()
    with at(d("16/07/2025")), mock.patch.object(tasks.reminders_send, "delay"):
        reminders_sweep()  # rows created, nothing sent yet
    ids = list(Reminder.objects.order_by("pk").values_list("pk", flat=True))
    with at(d("16/07/2025")):
        results = race(lambda i: tasks.reminders_send.apply(args=[ids]).result, count=4)
    assert not [r for r in results if isinstance(r, BaseException)], results
    assert sum(r.get("sent", 0) for r in results) == len(ids)
    assert sum(r.get("skipped", 0) for r in results) == 3 * len(ids)
    _assert_each_delivered_once()


def test_a_return_with_the_broker_down_answers_and_its_reminder_waits_for_the_requeue(
    client, campaign, cast, unit, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    """Redis (the broker) down: the head's return is saved and answered, the reminder row is
    kept queued, and the requeue job sends it once the broker is back."""
    period = campaign.periods.get(label="Q2/2025")
    with at(d("10/07/2025")):
        report = report_start(unit=unit, period=period, actor=cast["officer"])
        report_submit(report=report, actor=cast["officer"])

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    real_delay = tasks.reminders_send.delay
    monkeypatch.setattr(tasks.reminders_send, "delay", broker_down)
    client.force_login(cast["head"])
    with at(d("11/07/2025")), django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reports:report_return", args=[report.pk]), {"reason": "Thiếu số liệu"}
        )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == "returned"
    returned = Reminder.objects.get(kind="returned")
    assert returned.state == "queued" and not mail.outbox
    assert "broker unavailable" in caplog.text

    monkeypatch.setattr(tasks.reminders_send, "delay", real_delay)
    with at(d("12/07/2025")), django_capture_on_commit_callbacks(execute=True):
        assert reminders_requeue() == 1
    returned.refresh_from_db()
    assert returned.state == "sent" and mail.outbox
