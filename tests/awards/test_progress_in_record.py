"""A unit's progress reports feed its nomination: the "exceeds its targets" rule and the
achievement report's results against the registered targets."""

from decimal import Decimal

import pytest

from awards.eligibility import evaluate
from awards.selectors.record import nominee_record, report_prefill, unit_progress
from campaigns.models import IndicatorValue, ProgressReport, Registration, Target

pytestmark = pytest.mark.django_db


@pytest.fixture
def registered(campaign, unit):
    registration = Registration.objects.create(
        campaign=campaign, unit=unit, year=2025, status="confirmed"
    )
    indicators = list(campaign.objectives.get(number=1).indicators.order_by("code"))
    for indicator, target in zip(indicators, [Decimal("80"), Decimal("50")], strict=True):
        Target.objects.create(registration=registration, indicator=indicator, value=target)
    return indicators


def _report(campaign, unit, label, status, values):
    report = ProgressReport.objects.create(
        unit=unit, period=campaign.periods.get(label=label), status=status
    )
    for indicator, value in values.items():
        IndicatorValue.objects.create(report=report, indicator=indicator, value=Decimal(value))


def test_no_received_report_leaves_progress_unknown(registered, campaign, unit):
    _report(campaign, unit, "Q1/2025", "draft", {registered[0]: 90, registered[1]: 90})
    assert unit_progress(unit, 2025) is None


def test_targets_met_are_counted_from_received_reports(registered, campaign, unit):
    _report(campaign, unit, "Q1/2025", "accepted", {registered[0]: 85, registered[1]: 30})
    progress = unit_progress(unit, 2025)
    assert (progress.targets_met, progress.targets_total) == (1, 2)
    _report(campaign, unit, "Q2/2025", "submitted", {registered[1]: 60})  # latest: 60 ≥ 50
    progress = unit_progress(unit, 2025)
    assert (progress.targets_met, progress.targets_total) == (2, 2)


def test_the_flag_rule_reads_the_progress(registered, campaign, unit, catalogue):
    _report(campaign, unit, "Q1/2025", "accepted", {registered[0]: 85, registered[1]: 30})
    award = catalogue["CO_BO"]
    record = nominee_record(unit=unit, year=2025)
    line = evaluate(record, rule_codes=award.rule_codes, rule_params=award.rule_params).line(
        "exceeds_targets"
    )
    assert line.outcome == "not_met"
    assert line.result.reasons[0].render() == "Đạt 1/2 chỉ tiêu năm 2025."


def test_the_achievement_report_states_results_against_targets(
    registered, campaign, unit, catalogue
):
    _report(campaign, unit, "Q1/2025", "accepted", {registered[0]: 85})
    text = report_prefill(person=None, unit=unit, year=2025).achievements
    assert registered[0].name in text and "85" in text and "100 %" in text
    assert "chưa có kết quả" in text or "no result reported yet" in text
