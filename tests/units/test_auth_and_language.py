import pytest
from django.conf import settings
from django.urls import reverse

from units.models import User

PRIVATE_URLS = [
    "/",
    "/campaigns/",
    "/campaigns/pttd-test/",
    "/campaigns/pttd-test/units/",
    "/units/",
    "/units/cuc-a/",
]


@pytest.mark.django_db
@pytest.mark.parametrize("url", PRIVATE_URLS)
def test_anonymous_user_is_sent_to_login(client, campaign, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


@pytest.mark.django_db
def test_login_page_is_public_and_vietnamese_by_default(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert '<html lang="vi">' in response.content.decode()
    assert "Đăng nhập" in response.content.decode()


@pytest.mark.django_db
def test_login_and_logout(client, cast, password):
    response = client.post(reverse("login"), {"username": "officer", "password": password})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert client.get("/").status_code == 200
    assert client.get(reverse("logout")).status_code == 405  # logout only by POST
    client.post(reverse("logout"))
    assert client.get("/").status_code == 302


@pytest.mark.django_db
def test_language_switch_persists_in_a_cookie_and_on_the_user(client, cast):
    client.force_login(cast["officer"])
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert User.objects.get(username="officer").language == "en"
    page = client.get("/").content.decode()
    assert '<html lang="en">' in page and "Log out" in page


@pytest.mark.django_db
def test_a_users_language_follows_them_to_a_new_browser(client, cast, password):
    cast["officer"].language = "en"
    cast["officer"].save()
    response = client.post(reverse("login"), {"username": "officer", "password": password})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert '<html lang="en">' in client.get("/").content.decode()


@pytest.mark.django_db
def test_anonymous_visitor_can_switch_language(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/accounts/login/"})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert "Log in" in client.get(reverse("login")).content.decode()


@pytest.mark.django_db
def test_unknown_language_is_ignored(client, cast):
    client.force_login(cast["officer"])
    client.post(reverse("set_language"), {"language": "xx", "next": "/"})
    assert User.objects.get(username="officer").language == "vi"


@pytest.mark.django_db
def test_language_switch_refuses_get(client):
    assert client.get(reverse("set_language")).status_code == 405
