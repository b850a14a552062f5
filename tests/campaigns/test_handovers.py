"""Nobody waits without being told (issue 14 §3): a submitted report reaches the unit's heads,
an accepted one its officers; the submit asks before sending objectives left empty; the home
page says what waits for each role; the follow-up page says who cannot be reminded."""

import pytest
from django.core import mail
from django.urls import reverse

from campaigns.models import ProgressReport
from campaigns.services.reports import report_accept, report_line_save, report_submit
from tests.factories import MembershipFactory, UnitFactory, UserFactory
from units.models import Membership, Message, Notification

pytestmark = pytest.mark.django_db


def _fill_all(report, actor):
    for line in report.lines.all():
        report_line_save(
            line=line, percent_complete=50, narrative="Đã làm.", version=line.version, actor=actor
        )


def test_a_submitted_report_tells_the_heads_of_its_unit_and_nobody_else(
    cast, report, other_unit, django_capture_on_commit_callbacks
):
    other_head = UserFactory(username="other-head")
    MembershipFactory(user=other_head, unit=other_unit, role=Membership.Role.HEAD)
    with django_capture_on_commit_callbacks(execute=True):
        report_submit(report=report, actor=cast["officer"])
    told = Notification.objects.all()
    assert {n.recipient.username for n in told} == {"head"}
    note = told.get()
    assert "Q1/2025" in note.message and "Cục A" in note.message
    assert note.url == reverse("reports:report", args=[report.pk])
    # E-mail follows the head's preference (on by default in the factory).
    assert [m.to for m in mail.outbox] == [[cast["head"].email]]


def test_a_resubmission_tells_again_but_a_retried_message_does_not(
    cast, report, django_capture_on_commit_callbacks
):
    from campaigns.services.reports import report_return

    with django_capture_on_commit_callbacks(execute=True):
        report_submit(report=report, actor=cast["officer"])
        report_return(report=report, actor=cast["head"], reason="Bổ sung.")
        report_submit(report=report, actor=cast["officer"])
    assert Notification.objects.filter(recipient=cast["head"]).count() == 2
    # The same occasion posted again adds nothing (the key is unique).
    from campaigns.services.handovers import report_tell_heads_submitted

    report.refresh_from_db()
    assert report_tell_heads_submitted(report=report, actor=cast["officer"]) == 1
    assert report_tell_heads_submitted(report=report, actor=cast["officer"]) == 0


def test_an_accepted_report_tells_the_officers(cast, report, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report_submit(report=report, actor=cast["officer"])
        report_accept(report=report, actor=cast["head"])
    officer_notes = Notification.objects.filter(recipient=cast["officer"])
    assert [n.message for n in officer_notes] == ["Báo cáo Q1/2025 của Cục A đã được chấp nhận."]
    assert not Notification.objects.filter(
        recipient=cast["head"], message__contains="đã được chấp nhận"
    ).exists()


def test_the_head_who_submits_is_not_told_about_their_own_step(cast, report):
    report_submit(report=report, actor=cast["head"])
    assert not Message.objects.filter(recipient=cast["head"]).exists()


# --- Submitting with objectives left empty ----------------------------------------------------


def test_submitting_with_empty_objectives_asks_first_naming_them(client, cast, report):
    first = report.lines.order_by("objective__number").first()
    report_line_save(
        line=first, percent_complete=80, narrative="Xong.", version=first.version, actor=None
    )
    client.force_login(cast["officer"])
    url = reverse("reports:report_submit", args=[report.pk])
    answer = client.post(url)
    body = answer.content.decode()
    assert answer.status_code == 200 and 'id="confirm-empty"' in body
    second = report.lines.order_by("objective__number")[1].objective
    assert second.title in body and first.objective.title not in body
    assert 'name="confirm_empty"' in body
    report.refresh_from_db()
    assert report.status == ProgressReport.Status.DRAFT  # nothing sent yet
    answer = client.post(url, {"confirm_empty": "1"})
    assert answer.status_code == 302
    report.refresh_from_db()
    assert report.status == ProgressReport.Status.SUBMITTED


def test_a_value_or_a_file_is_enough_for_an_objective_not_to_be_empty(client, cast, report):
    from campaigns.selectors.reports import report_empty_objectives
    from campaigns.services.reports import indicator_value_save

    assert len(report_empty_objectives(report=report)) == 2
    value = report.values.order_by("indicator__objective__number").first()
    indicator_value_save(indicator_value=value, value=3, version=value.version, actor=None)
    assert [o.number for o in report_empty_objectives(report=report)] == [2]


def test_a_complete_report_submits_at_once(client, cast, report):
    _fill_all(report, cast["officer"])
    client.force_login(cast["officer"])
    client.post(reverse("reports:report_submit", args=[report.pk]))
    report.refresh_from_db()
    assert report.status == ProgressReport.Status.SUBMITTED


def test_the_confirmation_is_no_way_round_permissions(client, cast, report):
    client.force_login(cast["outsider"])
    assert client.post(reverse("reports:report_submit", args=[report.pk])).status_code == 404
    client.force_login(cast["board"])
    assert client.post(reverse("reports:report_submit", args=[report.pk])).status_code == 403


# --- Waiting for you ---------------------------------------------------------------------------


def _waiting(client, user) -> str:
    client.force_login(user)
    body = client.get("/").content.decode()
    start = body.index('id="waiting"')
    return body[start : body.index("</section>", start)]


def test_the_officer_sees_reports_to_fill_and_returned(client, cast, campaign, report):
    from campaigns.services.reports import report_return

    waiting = _waiting(client, cast["officer"])
    # Q1/2025 (draft) and Q2/2025 (not started) are open on 10/05/2025.
    assert "Báo cáo cần điền và nộp" in waiting and '<span class="count">2</span>' in waiting
    report_submit(report=report, actor=cast["officer"])
    report_return(report=report, actor=cast["head"], reason="Bổ sung.")
    waiting = _waiting(client, cast["officer"])
    assert "Báo cáo bị trả lại" in waiting
    assert reverse("reports:report", args=[report.pk]) in waiting


def test_the_head_sees_the_report_to_accept_and_the_outsider_does_not(
    client, cast, campaign, report
):
    report_submit(report=report, actor=cast["officer"])
    waiting = _waiting(client, cast["head"])
    assert "Báo cáo cần chấp nhận hoặc trả lại" in waiting
    assert reverse("reports:report", args=[report.pk]) in waiting
    assert "Báo cáo cần chấp nhận" not in _waiting(client, cast["outsider"])


def test_the_administrator_sees_units_with_nobody_reachable(client, cast, unit, other_unit):
    UnitFactory(code="khong-ai", name="Đơn vị không ai", parent=unit)
    waiting = _waiting(client, cast["admin"])
    # The Ministry, Chi cục-less tree: bct and khong-ai have nobody (cuc-a and cuc-b have).
    assert "Đơn vị không có ai nhận được thông báo" in waiting
    assert "?reachable=no" in waiting
    client.force_login(cast["admin"])
    listing = client.get(reverse("admin:units_unit_changelist") + "?reachable=no")
    assert "khong-ai" in listing.content.decode() and "cuc-b" not in listing.content.decode()


def test_the_home_page_query_count_does_not_grow_with_the_work(
    client, cast, campaign, unit, today, django_assert_max_num_queries
):
    from campaigns.services.reports import report_start

    def count_for(user) -> int:
        client.force_login(user)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get("/").status_code == 200
        return len(queries)

    roles = ("officer", "head", "secretary", "admin")
    for role in roles:  # warm the per-user caches (roles, the bell's count)
        count_for(cast[role])
    before = {role: count_for(cast[role]) for role in roles}
    for n in range(6):
        extra = UnitFactory(code=f"them-{n}", parent=unit)
        campaign.participations.create(unit=extra)
        MembershipFactory(user=cast["officer"], unit=extra, role=Membership.Role.OFFICER)
        MembershipFactory(user=cast["head"], unit=extra, role=Membership.Role.HEAD)
        report = report_start(unit=extra, period=campaign.periods.get(label="Q1/2025"), actor=None)
        report_submit(report=report, actor=cast["officer"])
    for role in roles:
        count_for(cast[role])
    after = {role: count_for(cast[role]) for role in roles}
    assert after == before
    # 16 for the page, the reports and the nominations, and one a line for the blocs' three
    # lines of a head (covenants, cross-checks, ballots: blocs/selectors/waiting.py).
    client.force_login(cast["head"])
    with django_assert_max_num_queries(19):
        client.get("/")


# --- Send reminder now: who cannot be reached ----------------------------------------------------


def test_the_follow_up_page_names_the_units_nobody_can_be_reminded_in(
    client, cast, campaign, sub_unit, today
):
    gone = UserFactory(username="gone", is_active=False)
    MembershipFactory(user=gone, unit=sub_unit, role=Membership.Role.OFFICER)
    client.force_login(cast["secretary"])
    body = client.get(reverse("campaigns:follow_up", args=[campaign.code])).content.decode()
    start = body.index('id="unreachable"')
    notice = body[start : body.index("</section>", start)]
    assert sub_unit.name in notice and "cuc-a" not in notice
    assert reverse("admin:units_unit_change", args=[sub_unit.pk]) in notice
    # Before the button, so it is read before sending.
    assert start < body.index("nudge-all")
