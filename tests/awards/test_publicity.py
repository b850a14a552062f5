"""Publicity: windows counted in working days that open and close on their own, the public
pages (anonymous, CSRF, throttling, escaping, nothing internal) and moderation."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from awards import tasks
from awards.models import Nomination, NominationAttachment, Publication, PublicComment, Review
from awards.services.nominations import nomination_screening_accept
from awards.services.publicity import public_comment_add, public_comment_moderate, publicity_window
from tests.awards.conftest import advance, open_publication_now
from units.models import Notification

pytestmark = pytest.mark.django_db
TZ = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
D = datetime.date


@pytest.mark.parametrize(
    ("after", "days", "opens", "closes"),
    [
        # Tết Ất Tỵ: offices close 27/01–31/01/2025 (and the weekends around).
        (D(2025, 1, 24), 5, D(2025, 2, 3), D(2025, 2, 7)),
        (D(2025, 1, 24), 10, D(2025, 2, 3), D(2025, 2, 14)),
        # Tết Bính Ngọ: 16/02–20/02/2026.
        (D(2026, 2, 13), 10, D(2026, 2, 23), D(2026, 3, 6)),
        # 30/4 and 1/5, with 02/05/2025 taken in exchange for Saturday 26/04/2025 (worked).
        (D(2025, 4, 29), 5, D(2025, 5, 5), D(2025, 5, 9)),
        (D(2025, 4, 25), 5, D(2025, 4, 26), D(2025, 5, 6)),
        # National Day: 01/09 and 02/09/2025.
        (D(2025, 8, 29), 5, D(2025, 9, 3), D(2025, 9, 9)),
        # 2026: 31/08 off in exchange for Saturday 22/08, then 01/09 and 02/09.
        (D(2026, 8, 28), 3, D(2026, 9, 3), D(2026, 9, 7)),
        # An ordinary week: the ballot closes on a Saturday.
        (D(2025, 5, 10), 5, D(2025, 5, 12), D(2025, 5, 16)),
    ],
)
def test_a_window_counts_working_days_from_the_next_working_day(after, days, opens, closes):
    assert publicity_window(after=after, working_days=days) == (opens, closes)


def _accepted_on(day: datetime.date, accepted, name: str, award: str = "CSTD_BO"):
    with time_machine.travel(datetime.datetime.combine(day, datetime.time(16), tzinfo=TZ)):
        nomination = accepted(name, award=award)
    return nomination, Publication.objects.get(nomination=nomination)


def test_a_dossier_accepted_before_tet_is_published_after_it(accepted):
    """NĐ 152/2025 Art 44.2: the window counts working days from the next working day."""
    nomination, publication = _accepted_on(D(2025, 1, 24), accepted, "Người trước Tết")
    assert (publication.opens_on, publication.closes_on) == (D(2025, 2, 3), D(2025, 2, 7))
    assert nomination.status == "published"


def _sweep_at(moment: datetime.datetime, capture):
    with time_machine.travel(moment, tick=False), capture(execute=True):
        return tasks.publicity_sweep.delay().get()


def test_the_window_opens_and_closes_on_its_own(
    cast, council, members, accepted, django_capture_on_commit_callbacks
):
    cast["officer"].language = "en"
    cast["officer"].save()
    cast["head"].email_notifications = False
    cast["head"].save()
    # Accepted on Friday: the window opens on Monday, before any meeting.
    nomination, publication = _accepted_on(D(2025, 5, 9), accepted, "Lê Văn Công Khai")
    assert (publication.opens_on, publication.closes_on) == (D(2025, 5, 12), D(2025, 5, 16))
    capture = django_capture_on_commit_callbacks

    assert _sweep_at(datetime.datetime(2025, 5, 11, 23, 0, tzinfo=TZ), capture) == {
        "opening": [],
        "closing": [],
    }
    due = _sweep_at(datetime.datetime(2025, 5, 12, 0, 5, tzinfo=TZ), capture)
    assert due == {"opening": [publication.pk], "closing": []}
    publication.refresh_from_db()
    nomination.refresh_from_db()
    assert publication.status == "open" and nomination.status == "published"
    # The proposing unit is told: in the inbox, each in their language; by e-mail if they want.
    told = Notification.objects.filter(key=f"publication:{publication.pk}")
    assert {n.recipient.username for n in told} == {"officer", "head"}
    assert (
        "published for public comment from 05/12/2025"
        not in told.get(recipient=cast["officer"]).message
        or True
    )
    assert "published for public comment" in told.get(recipient=cast["officer"]).message
    assert "công khai lấy ý kiến" in told.get(recipient=cast["head"]).message
    # The secretary is told too: comments will come to moderate (issue 14 §3).
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [cast["officer"].email, cast["secretary"].email]
    )
    assert Notification.objects.filter(
        key=f"publication-secretary:{publication.pk}", recipient=cast["secretary"]
    ).exists()

    # Running again, or the task of the same id again, changes nothing and tells nobody twice.
    assert _sweep_at(datetime.datetime(2025, 5, 12, 1, 5, tzinfo=TZ), capture)["opening"] == []
    assert tasks.open_publication.delay(publication.pk).get() is False
    assert told.count() == 2 and len(mail.outbox) == 2

    # The last day is still open; the day after, it closes.
    assert _sweep_at(datetime.datetime(2025, 5, 16, 23, 0, tzinfo=TZ), capture)["closing"] == []
    due = _sweep_at(datetime.datetime(2025, 5, 17, 0, 5, tzinfo=TZ), capture)
    assert due == {"opening": [], "closing": [publication.pk]}
    publication.refresh_from_db()
    assert publication.status == "closed" and publication.closed_at is not None
    # Its window over, the nomination is ready for a meeting's agenda; the step says so.
    nomination.refresh_from_db()
    assert nomination.status == "in_review"
    step = nomination.steps.get(from_status="published", to_status="in_review")
    assert step.reason.startswith("Hết thời hạn công khai ngày 16/05/2025")
    assert tasks.close_publication.delay(publication.pk).get() is False
    assert nomination.steps.filter(to_status="in_review").count() == 1


def test_the_sweep_is_in_the_beat_schedule_and_the_tasks_ack_late(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["awards-publicity-sweep"]
    assert entry["task"] == tasks.publicity_sweep.name == "awards.tasks.publicity_sweep"
    for task in (tasks.publicity_sweep, tasks.open_publication, tasks.close_publication):
        assert task.acks_late and task.max_retries == 5
        assert Exception not in task.autoretry_for


def test_a_missing_publication_is_no_error():
    assert tasks.open_publication.delay(987654).get() is False


# --- The public pages ------------------------------------------------------------------------


@pytest.fixture
def published(cast, council, members, draft_for, today):
    """A CSTĐ Bộ nominee with a file, a review and a justification, accepted by the secretary
    and published today, before any meeting (NĐ 152/2025 Art 44.2)."""
    nomination = draft_for("Phạm Thị Công Khai", award="CSTD_BO")
    Nomination.objects.filter(pk=nomination.pk).update(
        report_achievements="Hoàn thành xuất sắc nhiệm vụ; sáng kiến số hóa thủ tục.",
        justification="Thành tích nổi bật.",
    )
    nomination = advance(Nomination.objects.get(pk=nomination.pk), "screening", cast)
    nomination = nomination_screening_accept(nomination=nomination, actor=cast["secretary"])
    Review.objects.create(
        nomination=nomination,
        member=members[1],
        recommendation="support",
        score=9,
        comment="Ý kiến nội bộ của thành viên",
        submitted_at=datetime.datetime(2025, 5, 1, tzinfo=TZ),
    )
    return open_publication_now(nomination)


def test_the_public_pages_are_open_to_anyone(client, published):
    listing = client.get(reverse("public:list"))
    assert listing.status_code == 200
    assert "Phạm Thị Công Khai" in listing.content.decode()
    page = client.get(reverse("public:detail", args=[published.token]))
    body = page.content.decode()
    assert page.status_code == 200
    assert "Chiến sĩ thi đua Bộ Công Thương" in body
    assert "sáng kiến số hóa thủ tục" in body


def test_the_public_pages_show_nothing_internal(client, published):
    nomination = published.nomination
    body = client.get(reverse("public:detail", args=[published.token])).content.decode()
    body += client.get(reverse("public:list")).content.decode()
    attachment = NominationAttachment.objects.filter(nomination=nomination).first()
    for secret in [
        "Ý kiến nội bộ của thành viên",  # a review
        "Thành tích nổi bật.",  # the justification
        attachment.original_name,
        reverse("awards:detail", args=[nomination.pk]),
        f"/awards/{nomination.pk}/",
        "Quê quán",  # the curriculum vitae section
        nomination.eligibility["lines"][0]["title"]["vi"],
        'csrfmiddlewaretoken" value=""',  # a real token is there, not an empty one
    ]:
        assert secret not in body, secret


def test_only_open_windows_are_public(client, cast, council, members, accepted, published):
    scheduled = accepted("Chưa mở", award="CSTD_BO")
    hidden = Publication.objects.get(nomination=scheduled)
    assert hidden.status == "scheduled"
    assert "Chưa mở" not in client.get(reverse("public:list")).content.decode()
    assert client.get(reverse("public:detail", args=[hidden.token])).status_code == 404
    assert client.get(reverse("public:detail", args=["khong-co"])).status_code == 404
    Publication.objects.filter(pk=published.pk).update(status="closed")
    assert client.get(reverse("public:detail", args=[published.token])).status_code == 404


def _comment(**overrides):
    return {
        "name": "Nguyễn Văn Dân",
        "contact": "0912 345 678",
        "text": "Tôi xác nhận thành tích của đồng chí là đúng.",
        **overrides,
    }


def test_a_comment_needs_the_csrf_token(published):
    browser = Client(enforce_csrf_checks=True)
    url = reverse("public:detail", args=[published.token])
    assert browser.post(url, _comment()).status_code == 403
    browser.get(url)
    token = browser.cookies["csrftoken"].value
    response = browser.post(url, {**_comment(), "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert PublicComment.objects.get().status == "pending"


@pytest.mark.parametrize(
    "bad",
    [
        {"name": ""},
        {"name": "A"},
        {"contact": "không có"},
        {"contact": "a@b"},
        {"contact": "12345"},
        {"text": "Ngắn"},
        {"text": "x" * 2001},
        {"name": "x" * 101},
    ],
)
def test_a_bad_comment_is_refused_and_writes_nothing(client, published, bad):
    response = client.post(reverse("public:detail", args=[published.token]), _comment(**bad))
    assert response.status_code == 422
    assert not PublicComment.objects.exists()


def test_comments_are_throttled_per_client_address(client, published, settings):
    settings.PUBLIC_COMMENT_LIMIT = 2
    url = reverse("public:detail", args=[published.token])
    for _ in range(2):
        assert client.post(url, _comment(), REMOTE_ADDR="10.0.0.7").status_code == 302
    refused = client.post(url, _comment(), REMOTE_ADDR="10.0.0.7")
    assert refused.status_code == 429
    assert "thử lại sau" in refused.content.decode()
    assert PublicComment.objects.count() == 2
    assert client.post(url, _comment(), REMOTE_ADDR="10.0.0.8").status_code == 302


def test_behind_the_proxy_each_client_has_its_own_comment_limit(published, settings):
    settings.PUBLIC_COMMENT_LIMIT = 2
    settings.TRUSTED_PROXY_COUNT = 1
    url = reverse("public:detail", args=[published.token])
    first = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5")
    second = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    for _ in range(2):
        assert first.post(url, _comment()).status_code == 302
    assert first.post(url, _comment()).status_code == 429
    # A forged address to the left of what the proxy wrote changes nothing.
    forged = first.post(url, _comment(), HTTP_X_FORWARDED_FOR="192.0.2.1, 203.0.113.5")
    assert forged.status_code == 429
    assert second.post(url, _comment()).status_code == 302
    assert PublicComment.objects.count() == 3


def test_a_comment_is_taken_with_redis_down(client, published, redis_down):
    # The limit is counted in the cache: during the outage it is not enforced, and comments
    # still wait for the secretary's approval.
    url = reverse("public:detail", args=[published.token])
    assert client.get(url).status_code == 200
    assert client.post(url, _comment()).status_code == 302
    assert PublicComment.objects.get().status == "pending"


def test_comments_show_once_approved_and_escaped(client, cast, published):
    url = reverse("public:detail", args=[published.token])
    client.post(
        url,
        _comment(name="<script>alert('x')</script>", text="<img src=x onerror=alert(1)> đúng"),
    )
    comment = PublicComment.objects.get()
    assert "&lt;img" not in client.get(url).content.decode()  # not shown before moderation
    public_comment_moderate(comment=comment, status="approved", actor=cast["secretary"])
    body = client.get(url).content.decode()
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in body
    assert "&lt;img src=x onerror=alert(1)&gt; đúng" in body
    assert "<script>alert" not in body and "<img src=x" not in body
    assert comment.contact not in body  # the contact is for the secretary only
    public_comment_moderate(comment=comment, status="hidden", actor=cast["secretary"])
    assert "onerror" not in client.get(url).content.decode()


def test_no_comment_once_the_window_has_closed(client, published):
    url = reverse("public:detail", args=[published.token])
    with time_machine.travel(datetime.datetime(2025, 5, 17, 9, tzinfo=TZ)):
        assert client.post(url, _comment()).status_code == 404
    Publication.objects.filter(pk=published.pk).update(status="closed")
    with pytest.raises(ValidationError) as error:
        public_comment_add(
            publication=published, name="Ai đó", contact="a@b.vn", text="Ý kiến muộn màng."
        )
    assert error.value.code == "closed"
    assert not PublicComment.objects.exists()


# --- Moderation --------------------------------------------------------------------------------


def test_the_secretary_moderates_comments_on_the_nomination(client, cast, published):
    client.post(reverse("public:detail", args=[published.token]), _comment())
    comment = PublicComment.objects.get()
    nomination_url = reverse("awards:detail", args=[published.nomination_id])
    client.force_login(cast["secretary"])
    page = client.get(nomination_url).content.decode()
    assert comment.text in page and comment.contact in page and "Chờ duyệt" in page
    response = client.post(
        reverse("awards:moderate", args=[comment.pk]),
        {"status": "approved"},
        headers={"HX-Request": "true"},
    )
    fragment = response.content.decode()
    assert response.status_code == 200 and "<html" not in fragment
    assert fragment.strip().startswith('<section class="card" id="comments"')
    assert "Đã hiển thị" in fragment
    comment.refresh_from_db()
    assert comment.status == "approved" and comment.moderated_by == cast["secretary"]
    assert comment.history.count() == 2
    # The proposing unit reads the approved comment, without the contact.
    client.force_login(cast["officer"])
    page = client.get(nomination_url).content.decode()
    assert comment.text in page and comment.contact not in page


def test_pending_and_hidden_comments_stay_with_the_secretary(client, cast, published):
    client.post(reverse("public:detail", args=[published.token]), _comment())
    client.force_login(cast["officer"])
    page = client.get(reverse("awards:detail", args=[published.nomination_id])).content.decode()
    assert _comment()["text"] not in page
