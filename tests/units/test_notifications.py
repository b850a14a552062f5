"""The in-app inbox: the bell, the list, marking read; and each user's preferences."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from units.models import Notification
from units.services import notify

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


def _bell(client):
    return client.get(
        reverse("me:notifications"), headers={**HTMX, "HX-Target": "notification-bell"}
    )


def test_notify_with_a_key_puts_a_message_in_the_inbox_once(cast):
    officer = cast["officer"]
    first = notify(recipient=officer, message="Nhắc việc", url="/reports/1/", key="reminder:1")
    again = notify(recipient=officer, message="Nhắc việc", url="/reports/1/", key="reminder:1")
    notify(recipient=officer, message="Không khóa")
    notify(recipient=officer, message="Không khóa")
    assert first == again
    assert Notification.objects.filter(recipient=officer).count() == 3


def test_the_bell_shows_the_unread_count_on_every_page_and_refreshes_itself(client, cast):
    officer = cast["officer"]
    client.force_login(officer)
    page = client.get(reverse("home")).content.decode()
    assert 'id="notification-bell"' in page and 'hx-trigger="every 60s"' in page
    assert "bell-count" not in page
    for number in range(3):
        notify(recipient=officer, message=f"Tin {number}")
    response = _bell(client)
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body
    assert body.strip().startswith('<a id="notification-bell"')
    assert '<span class="bell-count" aria-hidden="true">3</span>' in body


def test_the_bell_of_a_logged_out_browser_stops_polling(client):
    response = _bell(client)
    assert response.status_code == 286 and response.content == b""
    page = client.get(reverse("me:notifications"))
    assert page.status_code == 302 and "/accounts/login/" in page["Location"]


def test_the_inbox_lists_my_notifications_newest_first_with_their_links(client, cast):
    notify(recipient=cast["officer"], message="Cũ", url="/reports/1/")
    notify(recipient=cast["officer"], message="Mới", url="/reports/2/")
    notify(recipient=cast["head"], message="Của người khác")
    client.force_login(cast["officer"])
    body = client.get(reverse("me:notifications")).content.decode()
    assert body.index("Mới") < body.index("Cũ") and "Của người khác" not in body


def test_marking_one_read_answers_the_item_and_the_bell_out_of_band(client, cast):
    mine = notify(recipient=cast["officer"], message="Đọc tôi")
    notify(recipient=cast["officer"], message="Chưa đọc")
    client.force_login(cast["officer"])
    response = client.post(reverse("me:notification_read", args=[mine.pk]), headers=HTMX)
    body = response.content.decode()
    assert response.status_code == 200 and f'id="notification-{mine.pk}"' in body
    assert (
        'hx-swap-oob="true"' in body
        and '<span class="bell-count" aria-hidden="true">1</span>' in body
    )
    mine.refresh_from_db()
    first_read = mine.read_at
    assert first_read is not None
    client.post(reverse("me:notification_read", args=[mine.pk]), headers=HTMX)
    mine.refresh_from_db()
    assert mine.read_at == first_read  # idempotent


def test_opening_a_notification_marks_it_read_and_follows_its_link(client, cast):
    mine = notify(recipient=cast["officer"], message="Mở", url="/reports/7/")
    client.force_login(cast["officer"])
    response = client.post(reverse("me:notification_read", args=[mine.pk]), {"open": "1"})
    assert response.status_code == 302 and response["Location"] == "/reports/7/"
    mine.refresh_from_db()
    assert mine.read_at is not None


def test_a_link_leaving_the_site_is_not_followed(client, cast):
    mine = notify(recipient=cast["officer"], message="Lạ", url="https://evil.example/")
    client.force_login(cast["officer"])
    response = client.post(reverse("me:notification_read", args=[mine.pk]), {"open": "1"})
    assert response["Location"] == reverse("me:notifications")


def test_mark_all_read(client, cast):
    for number in range(4):
        notify(recipient=cast["officer"], message=f"Tin {number}")
    other = notify(recipient=cast["head"], message="Không phải của tôi")
    client.force_login(cast["officer"])
    response = client.post(reverse("me:notifications_read_all"), headers=HTMX)
    body = response.content.decode()
    assert 'id="notification-list"' in body and "bell-count" not in body
    assert not Notification.objects.filter(recipient=cast["officer"], read_at=None).exists()
    other.refresh_from_db()
    assert other.read_at is None
    response = client.post(reverse("me:notifications_read_all"))
    assert response.status_code == 302


def test_someone_elses_notification_answers_404(client, cast):
    theirs = notify(recipient=cast["head"], message="Riêng tư")
    client.force_login(cast["officer"])
    assert client.post(reverse("me:notification_read", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_inbox_and_bell_query_counts_do_not_grow_with_notifications(
    client, cast, django_assert_max_num_queries
):
    officer = cast["officer"]
    client.force_login(officer)
    notify(recipient=officer, message="Một")
    url = reverse("me:notifications")
    client.get(url)
    cache.clear()  # measured without the cached roles and bell count
    with django_assert_max_num_queries(12) as small:
        client.get(url)
    cache.clear()
    with django_assert_max_num_queries(5) as bell:
        _bell(client)
    for number in range(40):
        notify(recipient=officer, message=f"Tin {number}", url=f"/reports/{number}/")
    cache.clear()
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url)
    cache.clear()
    with django_assert_max_num_queries(len(bell.captured_queries)):
        _bell(client)


def test_preferences_change_language_and_email(client, cast):
    officer = cast["officer"]
    client.force_login(officer)
    page = client.get(reverse("me:preferences"))
    assert page.status_code == 200 and 'name="email_notifications"' in page.content.decode()
    response = client.post(reverse("me:preferences"), {"language": "en"})
    assert response.status_code == 302
    officer.refresh_from_db()
    assert officer.language == "en" and officer.email_notifications is False
    assert response.cookies["django_language"].value == "en"
    # The confirmation is already in the language just chosen.
    assert "Your preferences were saved." in client.get(reverse("me:preferences")).content.decode()


def test_preferences_refuse_an_unknown_language_and_change_nothing(client, cast):
    officer = cast["officer"]
    client.force_login(officer)
    response = client.post(
        reverse("me:preferences"), {"language": "fr", "email_notifications": "on"}
    )
    assert response.status_code == 422
    officer.refresh_from_db()
    assert officer.language == "vi"


def test_the_cached_bell_count_follows_new_and_read_notifications(client, cast):
    officer = cast["officer"]
    client.force_login(officer)
    assert "bell-count" not in _bell(client).content.decode()  # 0 is now cached
    first = notify(recipient=officer, message="Một")
    assert '<span class="bell-count" aria-hidden="true">1</span>' in _bell(client).content.decode()
    from units.services import notification_mark_read

    notification_mark_read(notification=first)
    assert "bell-count" not in _bell(client).content.decode()
