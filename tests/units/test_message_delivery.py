"""The one delivery path for messages: once per person and occasion, in the person's language,
the e-mail not lost when the mail server fails after the inbox item was written."""

import datetime
import smtplib
from unittest import mock

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tests.campaigns.mailers import FlakyBackend
from tests.helpers import race
from tests.needs import need_postgres
from units import delivery, tasks
from units.models import Message, Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def flaky(settings):
    settings.MAILERS = {"default": {"BACKEND": "tests.campaigns.mailers.FlakyBackend"}}
    FlakyBackend.failures = {}
    yield FlakyBackend.failures
    FlakyBackend.failures = {}


def _write(user):
    from django.utils.translation import gettext as _

    return _("Commendations: %(nominee)s") % {"nominee": "Lê Văn A"}, f"hello {user}", "/awards/1/"


def _post(people, key="occasion:1", *, essential=False, capture):
    with capture(execute=True):
        return delivery.messages_post(recipients=people, key=key, write=_write, essential=essential)


def test_a_message_reaches_the_inbox_and_mail_once_in_each_language(
    cast, django_capture_on_commit_callbacks
):
    cast["officer"].language = "en"
    cast["officer"].save()
    people = [cast["officer"], cast["head"], cast["officer"]]
    ids = _post(people, capture=django_capture_on_commit_callbacks)
    assert len(ids) == 2  # the officer named twice is told once
    subjects = {message.to[0]: message.subject for message in mail.outbox}
    assert subjects == {
        cast["officer"].email: "Commendations: Lê Văn A",
        cast["head"].email: "Khen thưởng: Lê Văn A",
    }
    english = next(m for m in mail.outbox if m.to == [cast["officer"].email])
    assert english.extra_headers["Message-ID"].startswith("<message-")
    assert "http://127.0.0.1:8000/awards/1/" in english.body
    assert "You can stop these e-mails in your preferences" in english.body
    inbox = Notification.objects.get(recipient=cast["officer"], key="occasion:1")
    assert inbox.url == "/awards/1/"
    assert set(Message.objects.values_list("state", flat=True)) == {"sent"}

    # The same occasion again (a retried task, a second click) tells nobody twice.
    assert _post(people, capture=django_capture_on_commit_callbacks) == []
    assert len(mail.outbox) == 2
    assert Notification.objects.filter(key="occasion:1").count() == 2


def test_mail_follows_the_preference_unless_the_message_needs_action(
    cast, django_capture_on_commit_callbacks
):
    cast["officer"].email_notifications = False
    cast["officer"].save()
    _post([cast["officer"]], "quiet", capture=django_capture_on_commit_callbacks)
    assert mail.outbox == []
    assert Notification.objects.filter(recipient=cast["officer"], key="quiet").exists()
    _post([cast["officer"]], "act", essential=True, capture=django_capture_on_commit_callbacks)
    assert [message.to for message in mail.outbox] == [[cast["officer"].email]]


def test_an_email_refused_for_now_is_sent_on_retry_without_a_second_inbox_item(
    cast, flaky, django_capture_on_commit_callbacks
):
    """The inbox item is written, the mail server answers 421: the e-mail must not be lost."""
    flaky[cast["officer"].email] = smtplib.SMTPServerDisconnected("gone")
    [pk] = _post([cast["officer"]], capture=django_capture_on_commit_callbacks)
    message = Message.objects.get(pk=pk)
    assert message.state == "failed" and message.emailed_at is None
    assert message.notification is not None and message.next_attempt_at is not None
    assert "SMTPServerDisconnected" in message.error
    assert mail.outbox == []

    flaky.clear()
    later = message.next_attempt_at + datetime.timedelta(seconds=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert delivery.messages_requeue(now=later) == 1
    message.refresh_from_db()
    assert message.state == "sent" and message.emailed_at is not None and message.attempts == 2
    assert [m.to for m in mail.outbox] == [[cast["officer"].email]]
    assert Notification.objects.filter(recipient=cast["officer"]).count() == 1


def test_a_permanent_refusal_waits_for_a_person_and_the_admin_action_sends_it(
    cast, flaky, django_capture_on_commit_callbacks
):
    flaky[cast["officer"].email] = smtplib.SMTPRecipientsRefused(
        {cast["officer"].email: (550, b"no such user")}
    )
    [pk] = _post([cast["officer"]], capture=django_capture_on_commit_callbacks)
    message = Message.objects.get(pk=pk)
    assert message.state == "failed" and message.next_attempt_at is None
    assert delivery.messages_requeue(now=timezone.now() + datetime.timedelta(days=1)) == 0
    flaky.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert delivery.messages_retry(message_ids=[pk]) == 1
    message.refresh_from_db()
    assert message.state == "sent" and len(mail.outbox) == 1


def test_a_second_delivery_of_the_same_message_is_skipped(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        [pk] = delivery.messages_post(recipients=[cast["head"]], key="k", write=_write)
    assert delivery.message_deliver(message_id=pk) == "sent"
    assert delivery.message_deliver(message_id=pk) == "skipped"
    assert tasks.messages_send.apply(args=[[pk]]).get() == {"skipped": 1}
    assert len(mail.outbox) == 1


def test_a_message_to_someone_who_left_is_cancelled(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        [pk] = delivery.messages_post(recipients=[cast["head"]], key="k", write=_write)
    cast["head"].is_active = False
    cast["head"].save()
    assert tasks.messages_send.apply(args=[[pk]]).get() == {"cancelled": 1}
    assert Message.objects.get(pk=pk).state == "cancelled" and mail.outbox == []


def test_a_bug_in_one_message_is_recorded_and_the_batch_goes_on(
    cast, monkeypatch, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        first = delivery.messages_post(recipients=[cast["head"]], key="a", write=_write)
        second = delivery.messages_post(recipients=[cast["officer"]], key="b", write=_write)
    real = delivery._compose_message

    def broken(message):
        if message.key == "a":
            raise RuntimeError("bug")
        return real(message)

    monkeypatch.setattr(delivery, "_compose_message", broken)
    assert tasks.messages_send.apply(args=[first + second]).get() == {"crashed": 1, "sent": 1}
    crashed = Message.objects.get(pk=first[0])
    assert crashed.state == "failed" and "RuntimeError: bug" in crashed.error
    assert crashed.next_attempt_at is None


def test_a_lost_task_is_handed_over_again(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        [pk] = delivery.messages_post(recipients=[cast["head"]], key="k", write=_write)
    assert delivery.messages_requeue() == 0  # just queued: its task may still come
    later = timezone.now() + delivery.REQUEUE_AFTER + datetime.timedelta(seconds=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert delivery.messages_requeue(now=later) == 1
    assert Message.objects.get(pk=pk).state == "sent"


def test_the_requeue_is_in_the_beat_schedule(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["messages-requeue"]
    assert entry["task"] == tasks.messages_requeue.name == "units.tasks.messages_requeue"
    assert tasks.messages_send.acks_late and tasks.messages_send.max_retries == 6


def test_with_the_broker_down_a_message_waits_queued_and_the_step_goes_on(
    cast, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    from kombu.exceptions import OperationalError

    def broker_down(*args, **kwargs):
        raise OperationalError("Connection refused")

    monkeypatch.setattr(tasks.messages_send, "delay", broker_down)
    [pk] = _post([cast["head"]], capture=django_capture_on_commit_callbacks)
    assert Message.objects.get(pk=pk).state == "queued" and mail.outbox == []
    assert "broker unavailable" in caplog.text
    monkeypatch.undo()
    later = timezone.now() + delivery.REQUEUE_AFTER + datetime.timedelta(seconds=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert delivery.messages_requeue(now=later) == 1
    assert Message.objects.get(pk=pk).state == "sent" and len(mail.outbox) == 1


@pytest.fixture
def failed_message(cast, flaky, django_capture_on_commit_callbacks):
    flaky[cast["officer"].email] = smtplib.SMTPRecipientsRefused(
        {cast["officer"].email: (550, b"5.1.1 No such user")}
    )
    [pk] = _post([cast["officer"]], capture=django_capture_on_commit_callbacks)
    flaky.clear()
    return Message.objects.get(pk=pk)


@pytest.mark.parametrize(
    ("role", "expected"),
    # 302: not staff, sent to the admin's sign-in page.
    [("officer", 302), ("head", 302), ("board", 302), ("secretary", 200), ("admin", 200)],
)
def test_the_message_admin_is_read_by_the_secretary_and_closed_to_units(
    client, cast, failed_message, role, expected
):
    client.force_login(cast[role])
    response = client.get(reverse("admin:units_message_changelist"))
    assert response.status_code == expected
    if expected == 200:
        assert "SMTPRecipientsRefused" in response.content.decode()


@pytest.mark.parametrize("role", ["secretary", "admin"])
def test_the_secretary_sends_a_failed_message_again_from_the_admin(
    client, cast, failed_message, role, django_capture_on_commit_callbacks
):
    client.force_login(cast[role])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:units_message_changelist"),
            {"action": "send_again", "_selected_action": [failed_message.pk]},
        )
    assert response.status_code == 302
    failed_message.refresh_from_db()
    assert failed_message.state == "sent" and failed_message.attempts == 2
    assert Notification.objects.filter(recipient=cast["officer"]).count() == 1


def test_nobody_adds_or_edits_a_message_in_the_admin(client, cast, failed_message):
    client.force_login(cast["admin"])
    assert client.get(reverse("admin:units_message_add")).status_code == 403
    change = reverse("admin:units_message_change", args=[failed_message.pk])
    assert client.post(change, {"subject": "changed"}).status_code == 403
    failed_message.refresh_from_db()
    assert failed_message.subject != "changed"


@pytest.mark.django_db(transaction=True)
def test_four_workers_given_the_same_messages_send_each_once(cast):
    """Real concurrency: each worker claims a row with a conditional UPDATE; the losers wait
    for the winner's commit, then find the row sent and skip it."""
    need_postgres()
    with mock.patch.object(tasks.messages_send, "delay"):
        ids = delivery.messages_post(
            recipients=[cast["officer"], cast["head"], cast["secretary"]], key="k", write=_write
        )
    results = race(lambda i: tasks.messages_send.apply(args=[ids]).result, count=4)
    assert not [r for r in results if isinstance(r, BaseException)], results
    assert sum(r.get("sent", 0) for r in results) == len(ids) == 3
    assert sum(r.get("skipped", 0) for r in results) == 3 * len(ids)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        user.email for user in (cast["officer"], cast["head"], cast["secretary"])
    )
    assert Notification.objects.filter(key="k").count() == 3
