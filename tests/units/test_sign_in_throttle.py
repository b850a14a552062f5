"""Sign-in throttling (django-axes): one count for every way to sign in, kept per username and
client address together, cleared by a success, with the client taken from X-Forwarded-For only
through the trusted proxies."""

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

LIMIT = 3
PROXY = "10.0.0.1"


@pytest.fixture(autouse=True)
def _limit(settings):
    settings.AXES_FAILURE_LIMIT = LIMIT


def _sign_in(client, username, password, *, url=None, **meta):
    return client.post(
        url or reverse("login"), {"username": username, "password": password}, **meta
    )


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_admin_login_guessing_is_throttled(client, cast, password):
    for _ in range(LIMIT - 1):
        assert _sign_in(client, "admin", "guess", url="/admin/login/").status_code == 200
    assert _sign_in(client, "admin", "guess", url="/admin/login/").status_code == 429
    # Even the right password now waits: guessing has no use.
    assert _sign_in(client, "admin", password, url="/admin/login/").status_code == 429
    assert not _signed_in(client)


def test_the_login_page_and_the_admin_count_together(client, cast, password):
    for _ in range(LIMIT - 1):
        _sign_in(client, "admin", "guess")
    assert _sign_in(client, "admin", "guess", url="/admin/login/").status_code == 429
    assert _sign_in(client, "admin", password).status_code == 429
    assert not _signed_in(client)


def test_a_lock_out_answers_429_with_the_reason_on_the_login_page(client, cast, password):
    for _ in range(LIMIT):
        response = _sign_in(client, "officer", "wrong")
    assert response.status_code == 429
    page = response.content.decode()
    assert "Quá nhiều lần đăng nhập sai vào tài khoản này từ kết nối của bạn" in page
    assert "15 phút" in page  # LOGIN_THROTTLE_WINDOW, 900 seconds by default
    assert 'name="password"' in page and 'value="officer"' in page  # the login form again


def test_a_known_user_cannot_be_locked_out_from_elsewhere(cast, password):
    attacker, officer = Client(REMOTE_ADDR="198.51.100.66"), Client(REMOTE_ADDR="203.0.113.7")
    for _ in range(LIMIT + 2):
        _sign_in(attacker, "officer", "wrong")
    assert _sign_in(attacker, "officer", password).status_code == 429
    response = _sign_in(officer, "officer", password)
    assert response.status_code == 302 and _signed_in(officer)


def test_signing_in_clears_the_count(client, cast, password):
    for _ in range(LIMIT - 1):
        _sign_in(client, "officer", "wrong")
    assert _sign_in(client, "officer", password).status_code == 302
    client.post(reverse("logout"))
    for _ in range(LIMIT - 1):
        assert _sign_in(client, "officer", "wrong").status_code == 200
    assert _sign_in(client, "officer", password).status_code == 302


def test_behind_the_proxy_one_clients_failures_do_not_block_another(cast, password, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    guesser = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.5")
    colleague = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.9")
    for _ in range(LIMIT):
        response = _sign_in(guesser, "officer", "wrong")
    assert response.status_code == 429
    assert _sign_in(colleague, "officer", password).status_code == 302
    assert AccessAttempt.objects.get().ip_address == "203.0.113.5"


@pytest.mark.parametrize(
    ("trusted", "remote", "forwarded"),
    [
        (0, "198.51.100.7", "192.0.2.{}"),  # no proxy: the header is the client's own words
        (1, PROXY, "192.0.2.{}, 198.51.100.7"),  # the proxy appends the real client
    ],
    ids=["no-proxy", "one-proxy"],
)
def test_a_forged_forwarded_for_does_not_move_the_count(
    client, cast, password, settings, trusted, remote, forwarded
):
    settings.TRUSTED_PROXY_COUNT = trusted
    for n in range(LIMIT):
        response = _sign_in(
            client, "officer", "wrong", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded.format(n)
        )
    assert response.status_code == 429
    fresh = forwarded.format(99)
    locked = _sign_in(client, "officer", password, REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=fresh)
    assert locked.status_code == 429 and not _signed_in(client)
    assert AccessAttempt.objects.get().ip_address == "198.51.100.7"


def test_the_administrator_sees_and_unlocks_a_locked_out_user(client, cast, password):
    guesser = Client(REMOTE_ADDR="198.51.100.66")
    for _ in range(LIMIT):
        _sign_in(guesser, "officer", "wrong")
    client.force_login(cast["admin"])
    page = client.get(reverse("admin:axes_accessattempt_changelist"))
    assert page.status_code == 200
    assert "198.51.100.66" in page.content.decode() and "officer" in page.content.decode()
    attempt = AccessAttempt.objects.get()
    client.post(
        reverse("admin:axes_accessattempt_changelist"),
        {"action": "delete_selected", "_selected_action": [attempt.pk], "post": "yes"},
    )
    assert not AccessAttempt.objects.exists()
    assert _sign_in(guesser, "officer", password).status_code == 302


def test_only_the_administrator_reaches_the_sign_in_attempts(client, cast):
    client.force_login(cast["secretary"])  # reads the rest of the admin
    assert client.get(reverse("admin:axes_accessattempt_changelist")).status_code == 403
