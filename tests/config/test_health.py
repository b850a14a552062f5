import pytest


@pytest.mark.django_db
def test_health_reports_database_eager_broker_templates_and_cache_without_login(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "broker": "eager",
        "templates": "ok",
        "cache": "ok",
    }


@pytest.mark.django_db
def test_health_answers_503_when_the_static_manifest_is_missing(client, settings, tmp_path):
    # The production storage with nothing collected: what every page of the image met when
    # collectstatic ran with DEBUG=true and wrote no manifest.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    settings.STATIC_ROOT = tmp_path / "staticfiles"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "error",
        "database": "ok",
        "broker": "eager",
        "templates": "error: ValueError",
        "cache": "ok",
    }


@pytest.mark.django_db
def test_health_answers_503_when_the_broker_is_down(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["database"] == "ok"
    assert body["broker"].startswith("error: ")


@pytest.mark.django_db
def test_health_refuses_post(client):
    assert client.post("/healthz").status_code == 405


@pytest.mark.django_db
def test_health_pings_the_real_broker(client, settings):
    from tests.needs import need_redis

    settings.CELERY_BROKER_URL = need_redis()
    settings.CELERY_TASK_ALWAYS_EAGER = False
    assert client.get("/healthz").json()["broker"] == "ok"
