"""The roll-up of a few units is built by the ORM once per shape, then filled with each call's
values (campaigns/selectors/attainment.py): the result must be the statement the ORM builds for
those values, text and parameters, on this database."""

from __future__ import annotations

import datetime

import pytest

from campaigns.models import Campaign
from campaigns.selectors import attainment
from campaigns.selectors.attainment import _few_units_statement, _rollup_statement

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("expected_only", [True, False])
@pytest.mark.parametrize(("periods", "units"), [([7], [3]), ([11, 12, 13, 14], [5, 9])])
def test_a_cached_shape_builds_the_statement_the_orm_builds(periods, units, expected_only):
    attainment._shapes.clear()
    for campaign_pk, since, until, unit_ids, period_ids in [
        (41, datetime.date(2026, 1, 1), datetime.date(2026, 10, 1), units, periods),
        # The same shape again, other values: read from the cache.
        (
            42,
            datetime.date(2025, 1, 1),
            datetime.date(2025, 7, 1),
            [u + 100 for u in units],
            [p + 50 for p in periods],
        ),
    ]:
        cached = _few_units_statement(
            campaign_pk, period_ids, since, until, unit_ids, expected_only
        )
        built = _rollup_statement(
            campaign=Campaign(pk=campaign_pk),
            ids=period_ids,
            since=since,
            until=until,
            units=None,
            unit_ids=unit_ids,
            expected_only=expected_only,
        )
        assert cached._sql("SELECT 1", []) == built._sql("SELECT 1", [])
    assert len(attainment._shapes) == 1


def test_many_units_are_built_each_time_and_keep_no_shape():
    """One shape is kept per number of units: past FEW_UNITS the statement is built directly,
    so a bulk change (a campaign's participants) does not fill the cache with one-off shapes."""
    from campaigns.models import ReportingPeriod

    attainment._shapes.clear()
    period = ReportingPeriod(pk=7, starts_on=datetime.date(2026, 1, 1))
    many = list(range(1, attainment.FEW_UNITS + 2))
    statement = attainment.rollup_statement(
        campaign=Campaign(pk=3), periods=[period], unit_ids=many
    )
    built = _rollup_statement(
        campaign=Campaign(pk=3),
        ids=[7],
        since=datetime.date(2026, 1, 1),
        until=datetime.date(2026, 1, 1),
        units=None,
        unit_ids=many,
        expected_only=True,
    )
    assert statement._sql("SELECT 1", []) == built._sql("SELECT 1", [])
    assert attainment._shapes == {}
    attainment.rollup_statement(campaign=Campaign(pk=3), periods=[period], unit_ids=many[:2])
    assert len(attainment._shapes) == 1
