"""Who is reminded of what, and when: the daily sweep.

The `campaign` fixture runs quarterly; Q2/2025 ends 30/06/2025, is due Tuesday 15/07/2025 and
locks 14/08/2025. Cục A has an officer and a head, Cục B an officer (the "outsider"), Chi cục
A1 nobody; the Ministry does not take part.
"""

import pytest
from django.core import mail

from campaigns.models import Reminder
from campaigns.services.campaigns import campaign_enrol_units, campaign_generate_periods
from campaigns.services.reminders import reminders_sweep
from campaigns.services.reports import report_accept, report_return, report_start, report_submit
from tests.campaigns.clock import at, d
from tests.factories import CampaignFactory, MembershipFactory, UnitFactory, UserFactory
from units.models import Membership

pytestmark = pytest.mark.django_db


def _keys(kind, **filters):
    return sorted(
        (r.unit.code, r.recipient.username, r.occasion)
        for r in Reminder.objects.filter(kind=kind, **filters).select_related("unit", "recipient")
    )


def _q2(campaign):
    return campaign.periods.get(label="Q2/2025")


def test_officers_of_units_that_have_not_reported_are_reminded_7_3_and_1_days_before(
    campaign, cast, sweep
):
    sweep(d("07/07/2025"))
    assert _keys("before_due") == []
    sweep(d("08/07/2025"))
    assert _keys("before_due", occasion="7") == [
        ("cuc-a", "officer", "7"),
        ("cuc-b", "outsider", "7"),
    ]
    sweep(d("11/07/2025"))  # 12/07 is a Saturday
    sweep(d("14/07/2025"))
    assert [occasion for *_, occasion in _keys("before_due", unit__code="cuc-a")] == ["1", "3", "7"]
    assert not Reminder.objects.filter(kind="before_due", recipient=cast["head"]).exists()
    reminders = Reminder.objects.filter(kind="before_due")
    assert all(r.state == "sent" and r.via_email and r.period == _q2(campaign) for r in reminders)
    assert len([m for m in mail.outbox if "officer@" in m.to[0]]) == 3


def test_nothing_goes_out_on_a_weekend_or_a_public_holiday(campaign, cast, sweep):
    assert sweep(d("12/07/2025")).total_created == 0  # Saturday
    assert sweep(d("02/09/2025")).total_created == 0  # National Day
    assert not Reminder.objects.exists() and mail.outbox == []


def test_a_missed_day_is_caught_up_with_one_reminder_not_several(campaign, cast, sweep):
    # No sweep ran on 08/07 nor 11/07: on 14/07 only the 1-day reminder goes.
    sweep(d("14/07/2025"))
    assert [o for *_, o in _keys("before_due", unit__code="cuc-a")] == ["1"]


def test_a_holiday_moves_a_reminder_to_the_working_day_before(cast, ministry, unit, sweep):
    # Monthly reporting, due 5 days after the month: April 2025 is due Monday 05/05/2025.
    # 7 days before is Monday 28/04; 3 and 1 days before fall on 02/05 (day off) and Sunday
    # 04/05, and both move back to Tuesday 29/04, where one reminder goes, not two.
    campaign = CampaignFactory(launched_by=ministry, cadence="monthly", grace_days=5)
    campaign_generate_periods(campaign=campaign)
    campaign_enrol_units(campaign=campaign, units=[unit])
    sweep(d("28/04/2025"))
    sweep(d("29/04/2025"))
    for day in ["30/04/2025", "01/05/2025", "02/05/2025", "03/05/2025", "04/05/2025"]:
        assert sweep(d(day)).total_created == 0
    assert _keys("before_due", period__label="04/2025") == [
        ("cuc-a", "officer", "1"),
        ("cuc-a", "officer", "7"),
    ]
    assert Reminder.objects.get(occasion="1").scheduled_on == d("29/04/2025")


def test_the_days_before_are_configured_per_campaign(campaign, cast, sweep):
    campaign.reminder_days = "14"
    campaign.save()
    sweep(d("08/07/2025"))  # 14 days before 15/07 is 01/07
    assert _keys("before_due") == [("cuc-a", "officer", "14"), ("cuc-b", "outsider", "14")]
    campaign.reminder_days = ""
    campaign.save()
    sweep(d("14/07/2025"))
    assert Reminder.objects.filter(kind="before_due").count() == 2


@pytest.mark.parametrize("status", ["submitted", "accepted"])
def test_a_unit_whose_report_came_in_is_not_reminded(campaign, cast, unit, sweep, status):
    with at(d("05/07/2025")):
        report = report_start(unit=unit, period=_q2(campaign), actor=cast["officer"])
        report_submit(report=report, actor=cast["officer"])
        if status == "accepted":
            report_accept(report=report, actor=cast["head"])
    sweep(d("08/07/2025"))
    assert _keys("before_due") == [("cuc-b", "outsider", "7")]


def test_a_draft_or_a_returned_report_is_still_missing(campaign, cast, unit, other_unit, sweep):
    with at(d("05/07/2025")):
        report_start(unit=unit, period=_q2(campaign), actor=cast["officer"])
        report = report_start(unit=other_unit, period=_q2(campaign), actor=cast["outsider"])
        report_submit(report=report, actor=cast["outsider"])
    head_b = UserFactory(username="head_b")
    MembershipFactory(user=head_b, unit=other_unit, role=Membership.Role.HEAD)
    with at(d("06/07/2025")):
        report_return(report=report, actor=head_b, reason="Thiếu số liệu")
    sweep(d("08/07/2025"))
    assert _keys("before_due") == [("cuc-a", "officer", "7"), ("cuc-b", "outsider", "7")]


def test_closed_not_yet_opened_and_non_participating_units_get_nothing(
    campaign, cast, ministry, unit, other_unit, sweep
):
    # Cục B closed before Q2/2025 ended; a unit opened on 01/07/2025 reports from Q3 on; a
    # unit that does not take part is never chased; one closed on 30/06 still owes Q2.
    other_unit.closed_on = d("29/06/2025")
    other_unit.save()
    opened = UnitFactory(code="moi", parent=ministry, opened_on=d("01/07/2025"))
    merged = UnitFactory(code="sap-nhap", parent=ministry, closed_on=d("30/06/2025"))
    outside = UnitFactory(code="ngoai", parent=ministry)
    campaign_enrol_units(campaign=campaign, units=[opened, merged])
    for code, target in [("o-moi", opened), ("o-sap-nhap", merged), ("o-ngoai", outside)]:
        MembershipFactory(user=UserFactory(username=code), unit=target)
    sweep(d("08/07/2025"))
    assert _keys("before_due") == [("cuc-a", "officer", "7"), ("sap-nhap", "o-sap-nhap", "7")]


def test_inactive_users_are_not_reminded(campaign, cast, sweep):
    cast["outsider"].is_active = False
    cast["outsider"].save()
    sweep(d("08/07/2025"))
    assert _keys("before_due") == [("cuc-a", "officer", "7")]


def test_after_the_due_date_officers_and_the_head_get_one_overdue_notice(campaign, cast, sweep):
    sweep(d("15/07/2025"))
    assert _keys("overdue") == []
    sweep(d("16/07/2025"))
    sweep(d("17/07/2025"))
    assert _keys("overdue") == [
        ("cuc-a", "head", ""),
        ("cuc-a", "officer", ""),
        ("cuc-b", "outsider", ""),
    ]
    notice = next(m for m in mail.outbox if m.to == ["head@example.gov.vn"])
    assert "Q2/2025" in notice.subject and "15/07/2025" in notice.body
    assert Reminder.objects.get(kind="overdue", recipient=cast["head"]).scheduled_on == d(
        "16/07/2025"
    )


def test_no_overdue_notice_once_the_period_is_locked(campaign, cast, sweep):
    assert sweep(d("15/08/2025")).created["overdue"] == 0


def test_the_secretary_gets_the_escalation_after_the_delay_listing_every_overdue_unit(
    campaign, cast, unit, sweep
):
    with at(d("16/07/2025")):
        report = report_start(unit=unit, period=_q2(campaign), actor=cast["officer"])
        report_submit(report=report, actor=cast["officer"])
    sweep(d("22/07/2025"))
    assert _keys("escalation") == []
    sweep(d("23/07/2025"))
    sweep(d("24/07/2025"))
    assert _keys("escalation") == [("bct", "secretary", "")]
    escalation = next(m for m in mail.outbox if m.subject.startswith("Báo Thư ký Hội đồng"))
    assert "Cục B" in escalation.body and "Chi cục A1" in escalation.body
    assert "Cục A\n" not in escalation.body and "- Cục A " not in escalation.body
    assert "/campaigns/pttd-test/follow-up/" in escalation.body


def test_the_escalation_delay_is_configured_per_campaign(campaign, cast, sweep):
    campaign.escalation_days = 0
    campaign.save()
    sweep(d("16/07/2025"))
    assert _keys("escalation") == [("bct", "secretary", "")]


def test_no_escalation_when_every_unit_has_reported(
    campaign, cast, unit, other_unit, sub_unit, sweep
):
    with at(d("10/07/2025")):
        for target, user in [(unit, "officer"), (other_unit, "outsider"), (sub_unit, "admin")]:
            report = report_start(unit=target, period=_q2(campaign), actor=None)
            report_submit(report=report, actor=cast[user])
    sweep(d("23/07/2025"))
    assert not Reminder.objects.filter(kind__in=["overdue", "escalation"]).exists()


def test_the_weekly_digest_goes_to_the_secretary_and_the_board_once_a_week(campaign, cast, sweep):
    sweep(d("14/07/2025"))
    sweep(d("15/07/2025"))
    assert _keys("digest") == [("bct", "board", "2025-W28"), ("bct", "secretary", "2025-W28")]
    sweep(d("21/07/2025"))
    assert len(_keys("digest")) == 4
    assert Reminder.objects.filter(kind="digest", period__isnull=True).count() == 4


def test_sweeping_twice_adds_nothing_and_sends_nothing_twice(campaign, cast, sweep):
    first = sweep(d("16/07/2025"))
    sent = len(mail.outbox)
    second = sweep(d("16/07/2025"))
    assert first.total_created == sent > 0
    assert second.total_created == 0 and len(mail.outbox) == sent


def test_the_sweep_is_batched_its_query_count_does_not_grow_with_units(
    campaign, cast, ministry, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    def run(day):
        with at(day), django_capture_on_commit_callbacks(execute=False):
            return reminders_sweep()

    with django_assert_max_num_queries(30) as small:
        assert run(d("16/07/2025")).total_created == 5  # 3 overdue, 2 digests
    Reminder.objects.update(state="sent")  # delivered meanwhile: nothing to queue again
    units = UnitFactory.create_batch(40, parent=ministry)
    campaign_enrol_units(campaign=campaign, units=units)
    for target in units:
        MembershipFactory.create_batch(2, unit=target)
        MembershipFactory(unit=target, role=Membership.Role.HEAD)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert run(d("17/07/2025")).total_created == 120
