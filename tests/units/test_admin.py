import pytest
from django.contrib import admin
from django.urls import reverse


def _admin_urls(request):
    # Models only the system writes (reminders, notifications) have no add page: 403.
    for model, model_admin in admin.site._registry.items():
        info = (model._meta.app_label, model._meta.model_name)
        yield reverse("admin:{}_{}_changelist".format(*info)), 200
        add = 200 if model_admin.has_add_permission(request) else 403
        yield reverse("admin:{}_{}_add".format(*info)), add


@pytest.mark.django_db
def test_every_admin_list_and_add_page_loads_for_the_administrator(client, cast, campaign, rf):
    client.force_login(cast["admin"])
    request = rf.get("/admin/")
    request.user = cast["admin"]
    for url, expected in _admin_urls(request):
        response = client.get(url)
        assert response.status_code == expected, url


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


@pytest.mark.django_db
def test_secretary_accepts_submitted_reports_from_the_admin_through_the_service(
    client, cast, report
):
    from campaigns.services.reports import report_submit

    report_submit(report=report, actor=cast["officer"])
    client.force_login(cast["secretary"])
    response = client.post(
        "/admin/campaigns/progressreport/",
        {"action": "accept_reports", "_selected_action": [report.pk]},
        follow=True,
    )
    assert response.status_code == 200
    report.refresh_from_db()
    assert report.status == "accepted" and report.reviewed_by == cast["secretary"]
    assert report.history.first().history_user == cast["secretary"]


@pytest.mark.django_db
def test_admin_accept_skips_reports_that_are_not_submitted(client, cast, report):
    client.force_login(cast["secretary"])
    client.post(
        "/admin/campaigns/progressreport/",
        {"action": "accept_reports", "_selected_action": [report.pk]},
    )
    report.refresh_from_db()
    assert report.status == "draft"


@pytest.mark.django_db
def test_the_admin_refuses_a_control_character_in_a_name_and_keeps_line_breaks(client, cast, unit):
    from units.models import Person

    client.force_login(cast["admin"])
    url = reverse("admin:units_person_add")
    data = {"code": "nv-09", "full_name": "Nguyễn\x0c Văn D", "unit": unit.pk, "active": "on"}
    response = client.post(url, data)
    assert response.status_code == 200 and "U+000C" in response.content.decode()
    assert not Person.objects.filter(code="nv-09").exists()
    client.post(url, {**data, "full_name": "Nguyễn Văn D", "hometown": "Hà\x0bNội"})
    assert Person.objects.get(code="nv-09").hometown == "Hà\nNội"


@pytest.mark.django_db
def test_the_export_form_and_the_history_page_need_no_inline_script_or_style(client, cast, unit):
    # The CSP (script-src and style-src 'self') refuses inline handlers and style attributes.
    from units.models import Person

    person = Person.objects.create(code="nv-10", full_name="Nguyễn Văn E", unit=unit)
    client.force_login(cast["admin"])
    export = client.get(reverse("admin:units_person_export")).content.decode()
    assert "select-toggle" in export and "admin-export.js" in export
    history = client.get(reverse("admin:units_person_history", args=[person.pk])).content.decode()
    assert "paginator-under-table" in history
    for page in (export, history):
        assert " onchange=" not in page and " onclick=" not in page
        assert ' style="' not in page
