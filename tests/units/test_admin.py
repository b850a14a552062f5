import pytest
from django.contrib import admin
from django.urls import reverse


def _admin_urls():
    for model in admin.site._registry:
        info = (model._meta.app_label, model._meta.model_name)
        yield reverse("admin:{}_{}_changelist".format(*info))
        yield reverse("admin:{}_{}_add".format(*info))


@pytest.mark.django_db
def test_every_admin_list_and_add_page_loads_for_the_administrator(client, cast, campaign):
    client.force_login(cast["admin"])
    for url in _admin_urls():
        response = client.get(url)
        assert response.status_code == 200, url


@pytest.mark.django_db
def test_every_admin_change_page_loads(client, cast, campaign):
    client.force_login(cast["admin"])
    for model in admin.site._registry:
        obj = model._default_manager.first()
        if obj is None:
            continue
        url = reverse(
            f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[obj.pk]
        )
        assert client.get(url).status_code == 200, url


@pytest.mark.django_db
def test_secretary_reads_the_admin_but_cannot_change(client, cast, campaign):
    client.force_login(cast["secretary"])
    assert client.get("/admin/campaigns/campaign/").status_code == 200
    assert client.get("/admin/units/unit/").status_code == 200
    assert client.get("/admin/units/unit/add/").status_code == 403
    assert client.get("/admin/units/unit/import/").status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["officer", "head", "board"])
def test_unit_roles_do_not_enter_the_admin(client, cast, role):
    client.force_login(cast[role])
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
