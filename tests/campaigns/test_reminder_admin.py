"""The admin shows every reminder with its state and error; campaigns configure reminders."""

import smtplib
from decimal import Decimal

import pytest
from django.urls import reverse

from campaigns.models import Reminder
from tests.campaigns.clock import at, d

pytestmark = pytest.mark.django_db


@pytest.fixture
def reminders(campaign, cast, settings, sweep):
    from tests.campaigns.mailers import FlakyBackend

    settings.MAILERS = {"default": {"BACKEND": "tests.campaigns.mailers.FlakyBackend"}}
    FlakyBackend.failures = {
        "outsider@example.gov.vn": smtplib.SMTPRecipientsRefused(
            {"outsider@example.gov.vn": (550, b"5.1.1 No such user")}
        )
    }
    sweep(d("08/07/2025"))
    FlakyBackend.failures = {}
    return Reminder.objects.all()


def test_the_admin_lists_reminders_with_state_and_error_filters_and_search(client, cast, reminders):
    client.force_login(cast["admin"])
    url = reverse("admin:campaigns_reminder_changelist")
    body = client.get(url).content.decode()
    assert "SMTPRecipientsRefused" in body
    failed = client.get(url, {"state__exact": "failed"}).content.decode()
    assert "Cục B" in failed and "Cục A" not in failed
    found = client.get(url, {"q": "officer"}).content.decode()
    assert "Cục A" in found and "Cục B" not in found
    reminder = reminders.get(state="failed")
    change = client.get(reverse("admin:campaigns_reminder_change", args=[reminder.pk]))
    assert change.status_code == 200 and "No such user" in change.content.decode()


@pytest.mark.parametrize("role", ["secretary", "admin"])
def test_the_secretary_sends_failed_reminders_again(
    client, cast, reminders, role, django_capture_on_commit_callbacks
):
    client.force_login(cast[role])
    failed = reminders.get(state="failed")
    with at(d("09/07/2025")), django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:campaigns_reminder_changelist"),
            {"action": "send_again", "_selected_action": [r.pk for r in reminders]},
        )
    assert response.status_code == 302
    failed.refresh_from_db()
    assert failed.state == "sent" and failed.attempts == 2


def test_the_campaign_admin_edits_and_validates_the_reminder_settings(client, cast, campaign):
    client.force_login(cast["admin"])
    url = reverse("admin:campaigns_campaign_change", args=[campaign.pk])
    page = client.get(url)
    assert 'name="reminder_days"' in page.content.decode()
    assert 'name="escalation_days"' in page.content.decode()
    form = page.context["adminform"].form
    data = {
        key: value
        for key, value in form.initial.items()
        if value is not None and not isinstance(value, list)
    }
    data.update(
        {
            "launched_by": campaign.launched_by_id,
            "launched_on": "30/08/2021",
            "starts_on": "01/07/2021",
            "ends_on": "31/12/2026",
            "reminder_days": "3,3",
            "escalation_days": "5",
        }
    )
    for formset in page.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        for name, field in management.fields.items():
            data[f"{management.prefix}-{name}"] = management.initial.get(name, field.initial)
        for inline in formset.formset.forms:
            for name in inline.fields:
                value = inline.initial.get(name)
                if value is not None:
                    # As the page shows it: dates dd/mm/yyyy, numbers as the widget writes them.
                    data[f"{inline.prefix}-{name}"] = (
                        value.strftime("%d/%m/%Y")
                        if hasattr(value, "strftime")
                        else inline.fields[name].widget.format_value(value)
                        if isinstance(value, Decimal)
                        else value
                    )
            data[f"{inline.prefix}-id"] = inline.instance.pk
            data[f"{inline.prefix}-campaign"] = campaign.pk
    refused = client.post(url, data)
    assert refused.status_code == 200
    assert "listed twice" in refused.content.decode() or "hai lần" in refused.content.decode()
    data["reminder_days"] = " 1, 10 "
    saved = client.post(url, data)
    assert saved.status_code == 302, saved.context["adminform"].form.errors
    campaign.refresh_from_db()
    assert (campaign.reminder_days, campaign.escalation_days) == ("10,1", 5)
