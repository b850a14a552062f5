"""With Redis unreachable the app still signs in, draws every page and saves: the cache
(config/cache.py) answers misses, skips writes and logs one warning; /healthz says so."""

import logging

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from tests.needs import need_redis

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


def test_login_works_with_redis_down(client, cast, password, redis_down):
    response = client.post(reverse("login"), {"username": "officer", "password": password})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200


@pytest.mark.parametrize(
    ("role", "url"),
    [
        ("officer", lambda w: reverse("home")),
        ("officer", lambda w: reverse("units:detail", args=[w["unit"].code])),
        ("officer", lambda w: reverse("reports:report", args=[w["report"].pk])),
        ("officer", lambda w: reverse("me:notifications")),
        ("officer", lambda w: reverse("me:preferences")),
        ("secretary", lambda w: reverse("campaigns:dashboard_current")),
        ("secretary", lambda w: reverse("campaigns:follow_up", args=[w["campaign"].code])),
        ("secretary", lambda w: reverse("awards:overview")),
        ("secretary", lambda w: reverse("awards:list")),
        ("admin", lambda w: "/admin/"),
        ("admin", lambda w: reverse("admin:axes_accessattempt_changelist")),
    ],
    ids=[
        "home",
        "unit",
        "report",
        "notifications",
        "preferences",
        "dashboard",
        "follow-up",
        "awards-overview",
        "nominations",
        "admin",
        "sign-in-attempts",
    ],
)
def test_signed_in_pages_are_drawn_from_the_database_with_redis_down(
    client, cast, unit, campaign, report, redis_down, role, url
):
    client.force_login(cast[role])
    world = {"unit": unit, "campaign": campaign, "report": report}
    target = url(world)
    for _ in range(2):  # the second visit would be served from the cache if it worked
        assert client.get(target, follow=True).status_code == 200, target


def test_a_report_autosave_works_with_redis_down(client, cast, report, redis_down):
    client.force_login(cast["officer"])
    line = report.lines.first()
    response = client.post(
        reverse("reports:line_save", args=[report.pk, line.pk]),
        {"percent_complete": "60", "narrative": "Đã làm", "version": "1"},
        headers=HTMX,
    )
    assert response.status_code == 200
    line.refresh_from_db()
    assert (line.percent_complete, line.narrative) == (60, "Đã làm")
    page = client.get(reverse("reports:report", args=[report.pk])).content.decode()
    assert "Đã làm" in page


def test_health_says_the_cache_is_down_and_the_app_degraded(client, redis_down):
    response = client.get("/healthz")
    assert response.status_code == 200  # the app still works: see config/views.py
    assert response.json() == {
        "status": "degraded",
        "database": "ok",
        "broker": "eager",
        "templates": "ok",
        "cache": "down",
    }


def test_the_outage_is_logged_once_not_on_every_call(redis_down, caplog):
    with caplog.at_level(logging.WARNING, logger="config.cache"):
        assert cache.get("a") is None
        assert cache.get_many(["a", "b"]) == {}
        cache.set("a", 1)
        assert cache.add("a", 1) is False
        cache.delete("a")
        with pytest.raises(ValueError):
            cache.incr("a")
        assert cache.get_or_set("a", lambda: 7) == 7
    warnings = [r for r in caplog.records if r.name == "config.cache"]
    assert len(warnings) == 1
    assert "Redis cache is unavailable" in warnings[0].getMessage()


def test_the_degrading_cache_caches_while_redis_answers(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "config.cache.RedisCache",
            "LOCATION": need_redis(),
            "KEY_PREFIX": "thidua-test-cache",
        }
    }
    cache.set("answer", 41)
    assert cache.incr("answer") == 42
    assert cache.get_many(["answer"]) == {"answer": 42}
    cache.delete("answer")
    assert cache.get("answer") is None
    assert client.get("/healthz").json()["cache"] == "ok"


# --- The error page ----------------------------------------------------------------------------


def _failing_save(*args, **kwargs):
    raise RuntimeError("the database went away mid-save")


def test_the_error_page_after_a_failed_post_says_it_may_not_be_saved(cast, report, monkeypatch):
    from campaigns.views import reports

    monkeypatch.setattr(reports.report_services, "report_line_save", _failing_save)
    browser = Client(raise_request_exception=False)
    browser.force_login(cast["officer"])
    line = report.lines.first()
    response = browser.post(
        reverse("reports:line_save", args=[report.pk, line.pk]),
        {"percent_complete": "60", "narrative": "Đã làm", "version": "1"},
    )
    assert response.status_code == 500
    page = response.content.decode()
    assert "nội dung bạn vừa gửi có thể chưa được lưu" in page
    assert "không bị mất" not in page


def test_the_error_page_after_a_failed_get_promises_nothing(cast, report, monkeypatch):
    from campaigns.views import reports

    monkeypatch.setattr(reports, "_report_context", _failing_save)
    browser = Client(raise_request_exception=False)
    browser.force_login(cast["officer"])
    response = browser.get(reverse("reports:report", args=[report.pk]))
    assert response.status_code == 500
    page = response.content.decode()
    assert "Hệ thống gặp sự cố. Vui lòng thử lại sau ít phút." in page
    assert "chưa được lưu" not in page
