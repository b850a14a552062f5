"""Decisions: the award enters the nominee's history, forwarded awards do not, revoking takes
them out again (the audit history keeps them), and the proposing units are told."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from awards.models import AwardGrant, Decision, Initiative, Nomination, OpenMatter, Publication
from awards.selectors.decisions import decidable_nominations
from awards.services.decisions import decision_number_clean, decision_record, decision_revoke
from tests.awards.conftest import approve_all
from tests.campaigns.mailers import FlakyBackend
from tests.factories import InitiativeFactory
from units.delivery import messages_requeue
from units.models import Message, Notification

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("kind", "number", "valid"),
    [
        ("decision", "123/QĐ-BCT", True),
        ("decision", "1/QĐ-BCT", True),
        ("decision", "4567/QĐ-XNK", True),
        ("decision", "12/QĐ-BCT-TĐKT", True),
        ("decision", " 123/QĐ-BCT ", True),
        ("decision", "123/QD-BCT", False),  # the Đ is part of the number
        ("decision", "123/qđ-bct", False),
        ("decision", "0/QĐ-BCT", False),
        ("decision", "123/QĐ", False),
        ("decision", "QĐ-BCT", False),
        ("decision", "123 /QĐ-BCT", False),
        ("decision", "123/TTr-BCT", False),
        ("decision", "=1+1", False),
        ("forwarding", "45/TTr-BCT", True),
        ("forwarding", "12/CV-BCT", True),
        ("forwarding", "45/Ttr-BCT", False),
    ],
)
def test_document_numbers_are_checked(kind, number, valid):
    if valid:
        assert decision_number_clean(kind=kind, number=number) == number.strip()
    else:
        with pytest.raises(ValidationError) as error:
            decision_number_clean(kind=kind, number=number)
        assert "number" in error.value.message_dict


def _decide(nominations, actor, *, kind="decision", number="123/QĐ-BCT", signed_on=None):
    return decision_record(
        kind=kind,
        number=number,
        signed_on=signed_on or datetime.date(2025, 5, 10),
        signer="Nguyễn Hồng Diên",
        signer_title="Bộ trưởng",
        issuer="Bộ trưởng Bộ Công Thương",
        nominations=nominations,
        actor=actor,
    )


@pytest.fixture
def approved(cast, council, members, in_review, today):
    """An approved CSTĐCS nomination relying on an initiative (no publicity required)."""
    nomination = in_review("Đặng Thị Quyết")
    InitiativeFactory(person=nomination.person, used_by=nomination, title="Sáng kiến A")
    approve_all(cast, members, [nomination])
    return Nomination.objects.get(pk=nomination.pk)


def test_a_decision_adds_the_award_to_the_history_and_tells_the_unit(
    client, cast, approved, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        decision = _decide([approved], cast["secretary"])
    grant = AwardGrant.objects.get()
    assert (grant.person, grant.year, grant.award_type.code) == (approved.person, 2025, "CSTDCS")
    assert (grant.decision_number, grant.decided_on) == ("123/QĐ-BCT", datetime.date(2025, 5, 10))
    assert grant.issuer == "Bộ trưởng Bộ Công Thương" and grant.decision == decision
    approved.refresh_from_db()
    assert approved.status == "decided" and approved.decision == decision
    assert approved.steps.last().reason == "Quyết định khen thưởng số 123/QĐ-BCT ngày 10/05/2025."
    assert Initiative.objects.get().used_on == datetime.date(2025, 5, 10)
    told = Notification.objects.filter(key__startswith=f"decision:{decision.pk}:")
    assert {n.recipient.username for n in told} == {"officer", "head"}
    assert "được tặng Chiến sĩ thi đua cơ sở theo Quyết định số 123/QĐ-BCT" in told[0].message
    assert len(mail.outbox) == 2
    # The award is in the nominee's history.
    client.force_login(cast["head"])
    page = client.get(reverse("awards:person", args=[approved.person.code])).content.decode()
    assert "123/QĐ-BCT" in page


def test_a_decision_notice_refused_by_the_mail_server_is_emailed_on_retry(
    cast, approved, settings, django_capture_on_commit_callbacks
):
    """The inbox item is written, the mail server says "try later": the e-mail is not lost, and
    the retry does not put a second item in the inbox."""
    # The hand-overs that led here (drafted, submitted, ballot opened) were delivered.
    Message.objects.filter(state="queued").update(state="sent")
    settings.MAILERS = {"default": {"BACKEND": "tests.campaigns.mailers.FlakyBackend"}}
    FlakyBackend.failures = {cast["officer"].email: ConnectionRefusedError("mail server down")}
    try:
        with django_capture_on_commit_callbacks(execute=True):
            _decide([approved], cast["secretary"])
        officer = Message.objects.get(recipient=cast["officer"])
        assert officer.state == "failed" and officer.notification is not None
        # A server that is down stops the batch; what is left waits for the requeue.
        assert mail.outbox == []
        FlakyBackend.failures = {}
        later = timezone.now() + datetime.timedelta(hours=1)
        with django_capture_on_commit_callbacks(execute=True):
            assert messages_requeue(now=later) == 2
    finally:
        FlakyBackend.failures = {}
    officer.refresh_from_db()
    assert officer.state == "sent" and officer.emailed_at is not None
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [cast["head"].email, cast["officer"].email]
    )
    assert Notification.objects.filter(recipient=cast["officer"]).count() == 1


@pytest.mark.parametrize(
    ("window", "ready"),
    [
        pytest.param(None, True, id="NĐ152 Art44.2: publicity over before the meeting → decided"),
        pytest.param("open", False, id="earlier order: approved, its window still open → not yet"),
        pytest.param(
            "ends_today", False, id="earlier order: its window's last day is today → not yet"
        ),
        pytest.param("ended", True, id="earlier order: its window over → decided"),
    ],
)
def test_a_decision_waits_for_the_publicity_to_be_over(
    cast, council, members, in_review, today, window, ready
):
    nomination = in_review("Chờ công khai", award="CSTD_BO")
    approve_all(cast, members, [nomination])
    publications = Publication.objects.filter(nomination=nomination)
    if window == "open":  # as migrated from the earlier order (awards 0010)
        publications.update(status="open", closes_on=today + datetime.timedelta(days=3))
    elif window == "ends_today":
        publications.update(status="open", closes_on=today)
    elif window == "ended":
        publications.update(status="open", closes_on=today - datetime.timedelta(days=1))
    assert (nomination in decidable_nominations(kind="decision")) is ready
    if ready:
        _decide([nomination], cast["secretary"])
        assert AwardGrant.objects.get().award_type.code == "CSTD_BO"
    else:
        with pytest.raises(ValidationError) as error:
            _decide([nomination], cast["secretary"])
        assert error.value.code == "not_ready"


def test_an_open_matter_holds_the_decision_until_resolved(cast, approved, today):
    """NĐ 152/2025 Art 4: an open complaint of the nominee blocks the award until resolved."""
    matter = OpenMatter.objects.create(
        person=approved.person, kind="complaint", summary="Đơn phản ánh", opened_on=today
    )
    assert approved not in decidable_nominations(kind="decision")
    with pytest.raises(ValidationError) as error:
        _decide([approved], cast["secretary"])
    assert error.value.code == "open_matter"
    assert not AwardGrant.objects.exists()
    OpenMatter.objects.filter(pk=matter.pk).update(closed_on=today, resolution="Không có cơ sở.")
    assert approved in decidable_nominations(kind="decision")
    _decide([approved], cast["secretary"])
    assert AwardGrant.objects.count() == 1


def test_a_failed_decision_writes_nothing(cast, approved, in_review):
    waiting = in_review("Chưa họp")
    with pytest.raises(ValidationError):
        _decide([approved, waiting], cast["secretary"])
    assert not Decision.objects.exists() and not AwardGrant.objects.exists()
    assert Nomination.objects.get(pk=approved.pk).status == "approved"
    assert Initiative.objects.get().used_on is None


def test_a_number_is_used_once_a_year(cast, council, members, in_review, approved, today):
    _decide([approved], cast["secretary"], signed_on=datetime.date(2025, 1, 5))
    other = in_review("Người khác")
    approve_all(cast, members, [other])
    with pytest.raises(ValidationError) as error:
        _decide([other], cast["secretary"], signed_on=datetime.date(2025, 3, 1))
    assert "đã được ghi nhận trong năm 2025" in error.value.message_dict["number"][0]
    _decide([other], cast["secretary"], signed_on=datetime.date(2024, 3, 1))
    assert Decision.objects.count() == 2


def test_a_decision_cannot_be_dated_in_the_future(cast, approved):
    with pytest.raises(ValidationError):
        _decide([approved], cast["secretary"], signed_on=datetime.date(2025, 5, 11))


def test_awards_of_a_higher_level_are_forwarded_not_granted(
    cast, council, members, in_review, today
):
    nomination = in_review("Chiến sĩ toàn quốc", award="CSTDTQ")
    approve_all(cast, members, [nomination])
    with pytest.raises(ValidationError) as error:
        _decide([nomination], cast["secretary"])
    assert error.value.code == "kind"
    forwarding = _decide([nomination], cast["secretary"], kind="forwarding", number="45/TTr-BCT")
    nomination.refresh_from_db()
    assert nomination.status == "forwarded" and nomination.decision == forwarding
    assert forwarding.kind == "forwarding" and not AwardGrant.objects.exists()


def test_revoking_takes_the_awards_out_of_the_history_and_keeps_the_trace(
    client, cast, approved, django_capture_on_commit_callbacks
):
    decision = _decide([approved], cast["secretary"])
    grant_id = AwardGrant.objects.get().pk
    with pytest.raises(ValidationError):
        decision_revoke(decision=decision, reason="  ", actor=cast["secretary"])
    with django_capture_on_commit_callbacks(execute=True):
        decision_revoke(
            decision=decision, reason="Phát hiện kê khai sai thành tích", actor=cast["secretary"]
        )
    assert not AwardGrant.objects.exists()
    deleted = AwardGrant.history.filter(id=grant_id, history_type="-").get()
    assert deleted.history_user == cast["secretary"] and deleted.decision_number == "123/QĐ-BCT"
    approved.refresh_from_db()
    assert approved.status == "revoked"
    assert approved.steps.last().reason == (
        "Thu hồi văn bản 123/QĐ-BCT: Phát hiện kê khai sai thành tích"
    )
    decision.refresh_from_db()
    assert decision.status == "revoked" and decision.revoked_by == cast["secretary"]
    assert (
        Notification.objects.filter(key__startswith=f"decision:{decision.pk}:revoked").count() == 2
    )
    with pytest.raises(ValidationError):
        decision_revoke(decision=decision, reason="Lần hai", actor=cast["secretary"])
    client.force_login(cast["head"])
    page = client.get(reverse("awards:person", args=[approved.person.code])).content.decode()
    assert "123/QĐ-BCT" not in page


def test_the_secretary_records_a_decision_from_its_page(client, cast, approved):
    client.force_login(cast["secretary"])
    url = reverse("awards:decision_create")
    page = client.get(url).content.decode()
    assert "Đặng Thị Quyết" in page
    data = {
        "kind": "decision",
        "number": "123/QD-BCT",
        "signed_on": "2025-05-10",
        "signer": "Nguyễn Hồng Diên",
        "signer_title": "Bộ trưởng",
        "issuer": "Bộ trưởng Bộ Công Thương",
        "nominations": [approved.pk],
    }
    refused = client.post(url, data)
    assert refused.status_code == 422 and "123/QĐ-BCT" in refused.content.decode()
    assert not Decision.objects.exists()
    response = client.post(url, {**data, "number": "123/QĐ-BCT"})
    decision = Decision.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "awards:decision", args=[decision.pk]
    )
    forwarding_page = client.get(url + "?kind=forwarding").content.decode()
    assert "Đặng Thị Quyết" not in forwarding_page
