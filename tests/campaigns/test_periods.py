import datetime

import pytest
from django.db import IntegrityError

from campaigns.periods import period_spans
from campaigns.services.campaigns import campaign_generate_periods
from tests.factories import CampaignFactory, PeriodFactory

D = datetime.date


def test_quarters_cover_whole_calendar_quarters():
    spans = list(period_spans("quarterly", D(2021, 8, 30), D(2022, 1, 5)))
    assert [(s.label, s.starts_on, s.ends_on) for s in spans] == [
        ("Q3/2021", D(2021, 7, 1), D(2021, 9, 30)),
        ("Q4/2021", D(2021, 10, 1), D(2021, 12, 31)),
        ("Q1/2022", D(2022, 1, 1), D(2022, 3, 31)),
    ]


@pytest.mark.parametrize(
    ("cadence", "labels"),
    [
        ("monthly", ["11/2023", "12/2023", "01/2024", "02/2024"]),
        ("half_yearly", ["H2/2023", "H1/2024"]),
        ("yearly", ["2023", "2024"]),
    ],
)
def test_other_cadences_label_their_periods(cadence, labels):
    spans = list(period_spans(cadence, D(2023, 11, 15), D(2024, 2, 10)))
    assert [s.label for s in spans] == labels


def test_february_of_a_leap_year_ends_on_the_29th():
    (span,) = [s for s in period_spans("monthly", D(2024, 2, 1), D(2024, 2, 1))]
    assert span.ends_on == D(2024, 2, 29)


def test_unknown_cadence_is_refused():
    with pytest.raises(ValueError, match="Unknown cadence"):
        list(period_spans("weekly", D(2024, 1, 1), D(2024, 2, 1)))


@pytest.mark.django_db
def test_due_and_lock_dates_follow_the_campaign_and_are_refreshed():
    campaign = CampaignFactory(grace_days=15, lock_days=30)
    periods = campaign_generate_periods(campaign=campaign)
    first = periods[0]
    assert (first.label, first.due_on, first.locks_on) == (
        "Q3/2021",
        D(2021, 10, 15),
        D(2021, 11, 14),
    )
    campaign.grace_days = 10
    campaign.save()
    periods_again = campaign_generate_periods(campaign=campaign)
    assert len(periods_again) == len(periods) == 22
    first.refresh_from_db()
    assert first.due_on == D(2021, 10, 10)
    assert campaign.periods.count() == 22


@pytest.mark.django_db
def test_period_labels_are_unique_per_campaign_in_the_database():
    period = PeriodFactory()
    with pytest.raises(IntegrityError):
        PeriodFactory(
            campaign=period.campaign,
            starts_on=D(2025, 4, 1),
            ends_on=D(2025, 6, 30),
            due_on=D(2025, 7, 15),
            locks_on=D(2025, 8, 15),
        )


@pytest.mark.django_db
def test_period_dates_must_be_in_order_in_the_database():
    with pytest.raises(IntegrityError):
        PeriodFactory(due_on=D(2025, 3, 1))
