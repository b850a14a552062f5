"""When reminders go out: working days only, Vietnamese public holidays from `holidays`."""

import pytest
from django.core.exceptions import ValidationError

from campaigns.models import Campaign, Reminder
from campaigns.models.campaigns import parse_reminder_days
from campaigns.periods import (
    before_due_dates,
    before_due_offset,
    escalation_date,
    iso_week_label,
    overdue_date,
    previous_week,
)
from campaigns.services.campaigns import campaign_enrol_units, campaign_generate_periods
from config.workdays import add_working_days, is_working_day, next_working_day, previous_working_day
from tests.campaigns.clock import d
from tests.factories import CampaignFactory


@pytest.mark.parametrize(
    ("day", "working"),
    [
        ("14/07/2025", True),  # Monday
        ("12/07/2025", False),  # Saturday
        ("13/07/2025", False),  # Sunday
        ("30/04/2025", False),  # Reunification Day
        ("01/05/2025", False),  # Labour Day
        ("02/05/2025", False),  # the day off given for Saturday 26/04
        ("26/04/2025", True),  # the Saturday worked in exchange for 02/05
        ("29/01/2025", False),  # Tết
        ("02/09/2025", False),  # National Day
        ("07/04/2025", False),  # Hùng Kings' day
    ],
)
def test_working_days_skip_weekends_and_vietnamese_public_holidays(day, working):
    assert is_working_day(d(day)) is working


def test_a_reminder_on_a_weekend_or_holiday_moves_to_the_previous_working_day():
    assert previous_working_day(d("12/07/2025")) == d("11/07/2025")
    # Tết 2025: Saturday 25/01 to Saturday 01/02 is off; the Friday before it is the day.
    assert previous_working_day(d("01/02/2025")) == d("24/01/2025")
    assert previous_working_day(d("04/05/2025")) == d("29/04/2025")


def test_q2_2025_reminders_fall_on_8_11_and_14_july():
    # Due Tuesday 15/07/2025; 3 days before is Saturday 12/07, so Friday 11/07.
    assert before_due_dates(d("15/07/2025"), (7, 3, 1)) == {
        7: d("08/07/2025"),
        3: d("11/07/2025"),
        1: d("14/07/2025"),
    }


def test_one_before_due_reminder_a_day_the_latest_whose_day_has_come():
    due = d("15/07/2025")
    assert before_due_offset(due, (7, 3, 1), d("07/07/2025")) is None
    assert before_due_offset(due, (7, 3, 1), d("08/07/2025")) == 7
    assert before_due_offset(due, (7, 3, 1), d("10/07/2025")) == 7
    assert before_due_offset(due, (7, 3, 1), d("11/07/2025")) == 3
    assert before_due_offset(due, (7, 3, 1), d("14/07/2025")) == 1
    assert before_due_offset(due, (7, 3, 1), d("15/07/2025")) == 1
    assert before_due_offset(due, (7, 3, 1), d("16/07/2025")) is None
    assert before_due_offset(due, (), d("14/07/2025")) is None


def test_two_reminders_a_holiday_pushes_onto_the_same_day_become_one():
    # Due Monday 05/05/2025: 3 days before is 02/05 (day off), 1 day before is Sunday 04/05;
    # both move back to Tuesday 29/04, where only the nearer one (1 day) goes.
    due = d("05/05/2025")
    assert before_due_dates(due, (3, 1)) == {3: d("29/04/2025"), 1: d("29/04/2025")}
    assert before_due_offset(due, (7, 3, 1), d("29/04/2025")) == 1


def test_overdue_and_escalation_move_forward_never_before_the_report_is_late():
    # Due Friday 11/07/2025: late from Monday 14/07, not from the due date itself.
    assert overdue_date(d("11/07/2025")) == d("14/07/2025")
    assert overdue_date(d("15/07/2025")) == d("16/07/2025")
    assert escalation_date(d("15/07/2025"), 7) == d("23/07/2025")
    # Due 29/04/2025: 30/04 to 04/05 are off, so overdue from Monday 05/05.
    assert overdue_date(d("29/04/2025")) == d("05/05/2025")
    assert next_working_day(d("30/08/2025")) == d("03/09/2025")


def test_a_swapped_working_saturday_is_a_reminder_day_as_it_is_a_publicity_day():
    # Saturday 26/04/2025 was worked in exchange for Friday 02/05/2025. A report due Friday
    # 25/04 is late from that Saturday, the first working day after the 25th as publicity
    # counts it; a reminder 2 days before Monday 28/04 stays on it; so does an escalation.
    due = d("25/04/2025")
    assert overdue_date(due) == d("26/04/2025") == add_working_days(due, 1)
    assert before_due_dates(d("28/04/2025"), (2,)) == {2: d("26/04/2025")}
    assert escalation_date(d("18/04/2025"), 5) == d("26/04/2025")  # late from Monday 21/04
    # The weekday given off in exchange stays off for both.
    assert overdue_date(d("01/05/2025")) == d("05/05/2025") == add_working_days(d("01/05/2025"), 1)


@pytest.mark.django_db
def test_the_sweep_sends_on_a_swapped_working_saturday(cast, ministry, unit, sweep):
    # Monthly reporting due 28 days after the month: March 2025 is due Monday 28/04/2025, and
    # the reminder 2 days before falls on Saturday 26/04, a working day that year.
    campaign = CampaignFactory(
        launched_by=ministry, cadence="monthly", grace_days=28, reminder_days="2"
    )
    campaign_generate_periods(campaign=campaign)
    campaign_enrol_units(campaign=campaign, units=[unit])
    sweep(d("25/04/2025"))
    assert not Reminder.objects.filter(kind="before_due").exists()
    sweep(d("26/04/2025"))
    reminder = Reminder.objects.get(kind="before_due")
    assert (reminder.period.label, reminder.recipient, reminder.scheduled_on, reminder.state) == (
        "03/2025",
        cast["officer"],
        d("26/04/2025"),
        "sent",
    )


def test_the_digest_covers_the_previous_iso_week():
    assert previous_week(d("14/07/2025")) == (d("07/07/2025"), d("13/07/2025"))
    assert previous_week(d("16/07/2025")) == (d("07/07/2025"), d("13/07/2025"))
    assert iso_week_label(d("07/07/2025")) == "2025-W28"
    assert iso_week_label(d("29/12/2025")) == "2026-W01"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("7,3,1", (7, 3, 1)), (" 1, 7 ,3", (7, 3, 1)), ("", ()), ("14", (14,)), ("90,1", (90, 1))],
)
def test_reminder_days_are_read_in_any_order_and_spacing(typed, stored):
    assert parse_reminder_days(typed) == stored


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("7;3", "format"),
        ("7,,3", "format"),
        ("7,-1", "format"),
        ("7.5", "format"),
        ("٣", "format"),  # an Arabic-Indic digit is a digit, but not one we accept
        ("0", "range"),
        ("91", "range"),
        ("7,7", "duplicate"),
        ("1,2,3,4,5,6", "too_many"),
    ],
)
def test_malformed_reminder_days_are_refused(typed, code):
    with pytest.raises(ValidationError) as error:
        parse_reminder_days(typed)
    assert error.value.code == code


@pytest.mark.django_db
def test_campaign_clean_stores_the_days_in_one_spelling_and_refuses_bad_ones(campaign):
    campaign.reminder_days = " 3 , 10,1"
    campaign.full_clean()
    assert campaign.reminder_days == "10,3,1"
    campaign.reminder_days = "3,3"
    with pytest.raises(ValidationError) as error:
        campaign.full_clean()
    assert "reminder_days" in error.value.message_dict
    campaign.reminder_days = "7"
    campaign.escalation_days = 61
    with pytest.raises(ValidationError) as error:
        campaign.full_clean()
    assert "escalation_days" in error.value.message_dict


@pytest.mark.django_db
def test_the_database_refuses_an_escalation_beyond_60_days(campaign):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        Campaign.objects.filter(pk=campaign.pk).update(escalation_days=61)
