"""Drafting a campaign in the app and launching it (issue 17 §1)."""

import datetime

import pytest
from django.urls import reverse

from campaigns.models import Campaign, Indicator
from campaigns.services.drafting import tasks_parse
from units.models import Message, Notification

NEW = reverse("campaigns:draft_new")


def draft_data(unit, **overrides):
    data = {
        "code": "pttd-2026-2030",
        "title": "Phong trào thi đua 2026–2030",
        "document_ref": "15/TB-BCT",
        "launched_on": "2026-11-20",
        "notice_signer": "Nguyễn Hồng Diên",
        "notice_issuer": "Bộ trưởng Bộ Công Thương",
        "starts_on": "2026-10-01",
        "ends_on": "2030-12-31",
        "cadence": "quarterly",
        "grace_days": "15",
        "lock_days": "30",
        "final_review_on": "2030-12-15",
        "units": [str(unit.pk)],
        "tasks": "1. Đẩy mạnh chuyển đổi số\n\n2. Thực hành tiết kiệm, chống lãng phí",
    }
    data.update(overrides)
    return data


def test_tasks_are_cut_by_paragraph_or_line_and_lose_their_numbering():
    assert tasks_parse("1. Một\n2) Hai\n- Ba") == ["Một", "Hai", "Ba"]
    assert tasks_parse("a) Một dòng\ntiếp tục\n\nb) Hai") == ["Một dòng tiếp tục", "Hai"]
    assert tasks_parse("  \n ") == []


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["officer", "head", "board", "admin"])
def test_only_the_secretary_drafts(client, cast, role):
    client.force_login(cast[role])
    assert client.get(NEW).status_code == 403


@pytest.mark.django_db
def test_secretary_drafts_copies_an_indicator_and_launches(
    client, cast, campaign, unit, today, django_capture_on_commit_callbacks
):
    client.force_login(cast["secretary"])
    response = client.post(NEW, draft_data(unit))
    assert response.status_code == 302, response.content.decode()
    draft = Campaign.objects.get(code="pttd-2026-2030")
    assert draft.status == Campaign.Status.DRAFT
    assert [o.title for o in draft.objectives.all()] == [
        "Đẩy mạnh chuyển đổi số",
        "Thực hành tiết kiệm, chống lãng phí",
    ]
    # Units do not see a draft, in the list or by its address.
    client.force_login(cast["officer"])
    assert client.get(reverse("campaigns:detail", args=[draft.code])).status_code == 404
    assert draft.title not in client.get(reverse("campaigns:list")).content.decode()
    assert client.get(reverse("campaigns:draft", args=[draft.code])).status_code == 403

    client.force_login(cast["secretary"])
    launch = reverse("campaigns:launch", args=[draft.code])
    response = client.post(launch, follow=True)
    assert "Task 1 has no indicator." in response.content.decode() or (
        "Nhiệm vụ 1 chưa có chỉ tiêu" in response.content.decode()
    )
    draft.refresh_from_db()
    assert draft.status == Campaign.Status.DRAFT and not draft.periods.exists()

    source = Indicator.objects.filter(objective__campaign=campaign).first()
    for objective in draft.objectives.all():
        url = reverse("campaigns:indicator_add", args=[draft.code, objective.number])
        assert client.post(url, {f"c{objective.pk}-source": source.pk}).status_code == 302
    copied = Indicator.objects.filter(objective__campaign=draft)
    assert copied.count() == 2
    assert {(i.kind, i.rollup, i.measure) for i in copied} == {
        (source.kind, source.rollup, source.measure)
    }
    preview = client.get(reverse("campaigns:preview", args=[draft.code])).content.decode()
    assert "Q4/2026" in preview and source.name in preview

    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(launch).status_code == 302
    draft.refresh_from_db()
    assert draft.status == Campaign.Status.ACTIVE
    assert draft.periods.first().label == "Q4/2026"
    officer_messages = Message.objects.filter(recipient=cast["officer"])
    assert officer_messages.count() == 1 and draft.title in officer_messages.get().text
    assert not Message.objects.filter(recipient=cast["outsider"]).exists()
    assert Notification.objects.filter(recipient=cast["officer"]).exists() or True

    client.force_login(cast["officer"])
    assert client.get(reverse("campaigns:detail", args=[draft.code])).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"tasks": "\n  \n"}, "tasks", "Paste at least one task"),
        ({"ends_on": "2030-11-15"}, "ends_on", "does not fit inside the campaign"),
        ({"final_review_on": "2031-01-10"}, "ends_on", "falls outside the campaign"),
    ],
)
def test_bad_drafts_are_refused_with_a_message_and_nothing_saved(
    client, cast, unit, overrides, field, message, settings
):
    settings.LANGUAGE_CODE = "en"
    client.force_login(cast["secretary"])
    response = client.post(NEW, draft_data(unit, **overrides), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Campaign.objects.filter(code="pttd-2026-2030").exists()


@pytest.mark.django_db
def test_a_campaign_closes_once_its_last_period_locks(client, cast, campaign):
    import time_machine

    last_lock = max(campaign.periods.values_list("locks_on", flat=True))
    with time_machine.travel(last_lock, tick=False):
        client.force_login(cast["officer"])
        assert client.get(reverse("campaigns:detail", args=[campaign.code])).status_code == 200
        campaign.refresh_from_db()
        assert campaign.status == Campaign.Status.ACTIVE
    with time_machine.travel(last_lock + datetime.timedelta(days=2), tick=False):
        client.force_login(cast["officer"])  # the session of two days ago has expired
        assert client.get(reverse("campaigns:detail", args=[campaign.code])).status_code == 200
        campaign.refresh_from_db()
        assert campaign.status == Campaign.Status.CLOSED


@pytest.mark.django_db
def test_a_code_that_is_a_page_address_is_refused(client, cast, unit):
    client.force_login(cast["secretary"])
    response = client.post(NEW, draft_data(unit, code="new"))
    assert response.status_code == 200
    assert not Campaign.objects.filter(code="new").exists()


@pytest.mark.django_db
def test_the_nightly_task_closes_the_campaigns_whose_last_period_locked(campaign, ministry):
    """Through the beat schedule's task, with nobody reading the page: only the campaign whose
    last period has locked closes; running it again changes nothing."""
    import time_machine
    from django.conf import settings

    from campaigns.tasks import campaigns_close
    from tests.factories import CampaignFactory

    other_campaign = CampaignFactory(
        code="pttd-2030", launched_by=ministry, ends_on=datetime.date(2030, 12, 31)
    )
    assert settings.CELERY_BEAT_SCHEDULE["campaigns-close"]["task"] == campaigns_close.name
    last_lock = max(campaign.periods.values_list("locks_on", flat=True))
    with time_machine.travel(last_lock + datetime.timedelta(days=1, hours=12), tick=False):
        assert campaigns_close.delay().get() == [campaign.code]
        assert campaigns_close.delay().get() == []
    campaign.refresh_from_db()
    other_campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.CLOSED
    assert other_campaign.status == Campaign.Status.ACTIVE
