"""Attainment on a small hand-built data set whose right answers are written here."""

from decimal import Decimal

import pytest

from campaigns.models import Indicator, IndicatorValue, ProgressReport, Registration, Target
from campaigns.selectors.attainment import indicator_rollups, unit_attainment
from tests.factories import IndicatorFactory, ObjectiveFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(campaign, unit):
    objective = ObjectiveFactory(campaign=campaign, number=9)
    indicators = {
        "sum": IndicatorFactory(
            objective=objective, code="x-sum", kind="count", rollup="sum", weight=Decimal("1")
        ),
        "average": IndicatorFactory(
            objective=objective, code="x-avg", rollup="average", weight=Decimal("2")
        ),
        "last": IndicatorFactory(
            objective=objective, code="x-last", rollup="last", weight=Decimal("1")
        ),
        "max": IndicatorFactory(
            objective=objective, code="x-max", rollup="max", weight=Decimal("1")
        ),
        "lower": IndicatorFactory(
            objective=objective,
            code="x-low",
            rollup="average",
            direction="lower",
            weight=Decimal("1"),
        ),
    }
    registration = Registration.objects.create(campaign=campaign, unit=unit, year=2024)
    targets = {"sum": 100, "average": 80, "last": 50, "max": 90, "lower": 5}
    for key, value in targets.items():
        Target.objects.create(
            registration=registration, indicator=indicators[key], value=Decimal(value)
        )
    values = {  # per quarter of 2024; the Q4 report is still a draft and must not count
        "Q1/2024": ("accepted", {"sum": 30, "average": 70, "last": 20, "max": 60, "lower": 4}),
        "Q2/2024": ("submitted", {"sum": 40, "average": 90, "last": 45, "max": 95, "lower": 10}),
        "Q3/2024": ("returned", {"sum": 1000, "average": 0, "last": 0, "max": 0, "lower": 0}),
        "Q4/2024": ("draft", {"sum": 1000, "average": 0, "last": 0, "max": 0, "lower": 0}),
    }
    for label, (status, numbers) in values.items():
        report = ProgressReport.objects.create(
            unit=unit, period=campaign.periods.get(label=label), status=status
        )
        for key, number in numbers.items():
            IndicatorValue.objects.create(
                report=report, indicator=indicators[key], value=Decimal(number)
            )
    return objective, indicators


def test_each_indicator_rolls_up_its_own_way_over_received_reports(setup, campaign, unit):
    _objective, indicators = setup
    rows = {
        row["indicator_id"]: row
        for row in indicator_rollups(campaign=campaign, year=2024, unit_ids=[unit.pk])
    }
    actual = {key: rows[ind.pk]["actual"] for key, ind in indicators.items()}
    assert actual == {
        "sum": Decimal("70"),  # 30 + 40
        "average": Decimal("80"),  # (70 + 90) / 2
        "last": Decimal("45"),  # Q2 is the latest received
        "max": Decimal("95"),
        "lower": Decimal("7"),  # (4 + 10) / 2
    }
    ratio = {key: rows[ind.pk]["ratio"] for key, ind in indicators.items()}
    assert ratio["sum"] == pytest.approx(0.7)
    assert ratio["average"] == pytest.approx(1.0)
    assert ratio["last"] == pytest.approx(0.9)
    assert ratio["max"] == pytest.approx(1.0)  # 95 over a target of 90 is capped
    assert ratio["lower"] == pytest.approx(5 / 7)  # lower is better: target / actual


def test_objective_attainment_is_the_weighted_mean_of_its_indicators(setup, campaign, unit):
    _objective, _ = setup
    result = {
        item.objective.number: item
        for item in unit_attainment(campaign=campaign, unit_id=unit.pk, year=2024)
    }
    expected = (0.7 * 1 + 1.0 * 2 + 0.9 * 1 + 1.0 * 1 + (5 / 7) * 1) / 6
    assert result[9].ratio == pytest.approx(expected)
    assert result[1].ratio is None  # no target or value on objective 1


def test_a_lower_is_better_best_period_is_the_minimum(setup, campaign, unit):
    _, indicators = setup
    lower = Indicator.objects.get(pk=indicators["lower"].pk)
    lower.rollup = "max"
    lower.save()  # as the admin writes it: the figures follow
    rows = {
        row["indicator_id"]: row
        for row in indicator_rollups(campaign=campaign, year=2024, unit_ids=[unit.pk])
    }
    assert rows[indicators["lower"].pk]["actual"] == Decimal("4")
    assert rows[indicators["lower"].pk]["ratio"] == pytest.approx(1.0)


def test_another_year_has_no_figures(setup, campaign, unit):
    assert list(indicator_rollups(campaign=campaign, year=2023, unit_ids=[unit.pk])) == []
