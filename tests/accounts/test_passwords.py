"""Invitations (single use, expiring, in the user's language), password reset (saying nothing
about the address) and change, with the validators on."""

import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from accounts.models import SignInEvent
from accounts.services.invitations import invitation_send
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "mua-xuan-tren-cao-2026"


def _invited(language="vi"):
    user = UserFactory(username="lan", full_name="Nguyễn Thị Lan", language=language)
    user.set_unusable_password()
    user.save()
    assert invitation_send(user=user)
    return user


def _link(message) -> str:
    return re.search(r"http://testserver(/\S+)", message.body).group(1)


def _set(client, link, password=NEW_PASSWORD):
    page = client.get(link, follow=True)
    return client.post(
        page.redirect_chain[-1][0] if page.redirect_chain else link,
        {"new_password1": password, "new_password2": password},
    )


def test_an_invited_account_cannot_sign_in_until_it_sets_a_password(client):
    _invited()
    assert (
        "_auth_user_id"
        not in client.post(
            reverse("login"), {"username": "lan", "password": ""}
        ).wsgi_request.session
    )
    (message,) = mail.outbox
    assert "Tên đăng nhập của bạn là: lan" in message.body  # Vietnamese, the user's language
    response = _set(client, _link(message))
    assert response.status_code == 302 and response["Location"] == reverse("login")
    response = client.post(reverse("login"), {"username": "lan", "password": NEW_PASSWORD})
    assert response.status_code == 302 and "_auth_user_id" in client.session
    assert SignInEvent.objects.filter(kind="password_set", user__username="lan").exists()


def test_the_invitation_is_in_english_for_an_english_user():
    _invited(language="en")
    assert "Your username is: lan" in mail.outbox[0].body


def test_an_invitation_link_works_once(client):
    _invited()
    link = _link(mail.outbox[0])
    _set(client, link)
    client.logout()
    page = client.get(link, follow=True)
    assert "đã hết hạn hoặc đã được dùng" in page.content.decode()
    assert "new_password1" not in page.content.decode()


def test_an_invitation_expires_after_invite_days(client, settings):
    settings.INVITE_DAYS = 2
    _invited()
    link = _link(mail.outbox[0])
    with time_machine.travel(datetime.datetime.now() + datetime.timedelta(days=3)):
        page = client.get(link, follow=True)
    assert "new_password1" not in page.content.decode()
    with time_machine.travel(datetime.datetime.now() + datetime.timedelta(days=1)):
        page = client.get(link, follow=True)
    assert "new_password1" in page.content.decode()


def test_a_weak_password_is_refused_and_nothing_changes(client):
    user = _invited()
    response = _set(client, _link(mail.outbox[0]), password="lan12345")
    assert response.status_code == 200
    assert "ít nhất 10 ký tự" in response.content.decode()
    user.refresh_from_db()
    assert not user.has_usable_password()


def test_reset_says_the_same_whether_the_address_exists(client):
    UserFactory(username="minh", email="minh@example.gov.vn", language="en")
    known = client.post(reverse("accounts:password_reset"), {"email": "minh@example.gov.vn"})
    unknown = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.gov.vn"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    (message,) = mail.outbox
    assert "Someone asked for a new password for the account minh" in message.body
    link = re.search(r"http://testserver(/\S+)", message.body).group(1)
    response = _set(client, link)
    assert response.status_code == 302
    response = client.post(reverse("login"), {"username": "minh", "password": NEW_PASSWORD})
    assert response.status_code == 302 and "_auth_user_id" in client.session
    assert SignInEvent.objects.filter(kind="password_reset", user__username="minh").exists()


def test_the_sign_in_page_links_to_the_reset(client):
    assert reverse("accounts:password_reset") in client.get(reverse("login")).content.decode()


def test_change_password_needs_the_old_one(client, password):
    user = UserFactory(username="minh")
    client.force_login(user)
    page = client.get(reverse("home"))
    assert reverse("accounts:password_change") in page.content.decode()
    url = reverse("accounts:password_change")
    bad = {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    assert client.post(url, bad).status_code == 200
    good = {**bad, "old_password": password}
    assert client.post(url, good).status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert client.get(reverse("me:preferences")).status_code == 200  # still signed in
    assert SignInEvent.objects.filter(kind="password_changed", user=user).exists()
