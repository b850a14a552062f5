import datetime
import zoneinfo
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError

from campaigns.models import Indicator, IndicatorValue, ProgressReport, ReportLine
from campaigns.services.registrations import (
    registration_confirm,
    registration_save,
    registration_submit,
)
from campaigns.services.reports import (
    indicator_value_save,
    report_accept,
    report_line_save,
    report_reopen,
    report_return,
    report_start,
    report_submit,
)
from config.errors import StaleEdit

pytestmark = pytest.mark.django_db
HCM = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


def _at(day: str):
    return time_machine.travel(datetime.datetime.fromisoformat(day).replace(tzinfo=HCM), tick=False)


def test_starting_a_report_creates_a_line_per_objective_and_a_value_per_indicator(report, campaign):
    assert report.status == ProgressReport.Status.DRAFT
    assert report.lines.count() == campaign.objectives.count() == 2
    assert report.values.count() == 4
    again = report_start(unit=report.unit, period=report.period, actor=None)
    assert again.pk == report.pk and ReportLine.objects.count() == 2


def test_a_line_saves_and_bumps_its_version(report, cast):
    line = report.lines.first()
    saved = report_line_save(
        line=line, percent_complete=40, narrative="Đã làm", version=1, actor=cast["officer"]
    )
    assert (saved.percent_complete, saved.narrative, saved.version) == (40, "Đã làm", 2)
    assert saved.history.first().history_user == cast["officer"]


def test_a_stale_line_save_is_refused_with_the_current_values(report, cast):
    line = report.lines.first()
    report_line_save(
        line=line, percent_complete=40, narrative="A", version=1, actor=cast["officer"]
    )
    with pytest.raises(StaleEdit) as conflict:
        report_line_save(
            line=line, percent_complete=90, narrative="B", version=1, actor=cast["head"]
        )
    assert conflict.value.current.narrative == "A"
    line.refresh_from_db()
    assert (line.percent_complete, line.narrative, line.version) == (40, "A", 2)


def test_percent_complete_out_of_range_is_refused(report):
    line = report.lines.first()
    with pytest.raises(ValidationError):
        report_line_save(line=line, percent_complete=101, narrative="", version=1, actor=None)
    line.refresh_from_db()
    assert line.percent_complete is None and line.version == 1


@pytest.mark.parametrize(
    ("kind", "value", "ok"),
    [
        (Indicator.Kind.PERCENT, Decimal("100"), True),
        (Indicator.Kind.PERCENT, Decimal("100.01"), False),
        (Indicator.Kind.COUNT, Decimal("3"), True),
        (Indicator.Kind.COUNT, Decimal("3.5"), False),
        (Indicator.Kind.NUMBER, Decimal("3.5"), True),
        (Indicator.Kind.NUMBER, Decimal("-1"), False),
    ],
)
def test_indicator_values_must_fit_their_kind(report, kind, value, ok):
    row = report.values.select_related("indicator").first()
    Indicator.objects.filter(pk=row.indicator_id).update(kind=kind)
    if ok:
        assert (
            indicator_value_save(indicator_value=row, value=value, version=1, actor=None).value
            == value
        )
    else:
        with pytest.raises(ValidationError):
            indicator_value_save(indicator_value=row, value=value, version=1, actor=None)
        assert IndicatorValue.objects.get(pk=row.pk).value is None


def test_a_report_first_submitted_after_the_due_date_is_late(report, cast):
    report_submit(report=report, actor=cast["officer"])  # 10/05 > due 15/04
    report.refresh_from_db()
    assert report.status == "submitted" and report.late is True


def test_submission_before_the_due_date_is_on_time_and_keeps_it_after_a_return(
    campaign, unit, cast
):
    period = campaign.periods.get(label="Q1/2025")
    with _at("2025-04-10T09:00"):
        report = report_start(unit=unit, period=period, actor=cast["officer"])
        report_submit(report=report, actor=cast["officer"])
        report_return(report=report, actor=cast["head"], reason="Thiếu minh chứng")
    with _at("2025-04-20T09:00"):  # after the due date, before the lock
        report_submit(report=report, actor=cast["officer"])
    report.refresh_from_db()
    assert report.status == "submitted" and report.late is False
    assert report.first_submitted_at.date() == datetime.date(2025, 4, 10)


def test_double_submit_cannot_apply_twice(report, cast):
    report_submit(report=report, actor=cast["officer"])
    with pytest.raises(ValidationError, match=r"đã được nộp|already been submitted"):
        report_submit(report=report, actor=cast["officer"])
    assert report.history.filter(status="submitted").count() == 1


def test_return_needs_a_reason_and_a_submitted_report(report, cast):
    with pytest.raises(ValidationError):
        report_return(report=report, actor=cast["head"], reason="Sai số liệu")
    report_submit(report=report, actor=cast["officer"])
    with pytest.raises(ValidationError):
        report_return(report=report, actor=cast["head"], reason="   ")
    returned = report_return(report=report, actor=cast["head"], reason="Sai số liệu")
    assert returned.status == "returned" and returned.return_reason == "Sai số liệu"


def test_submitted_and_accepted_reports_cannot_be_edited(report, cast):
    line = report.lines.first()
    report_submit(report=report, actor=cast["officer"])
    with pytest.raises(ValidationError):
        report_line_save(line=line, percent_complete=1, narrative="", version=1, actor=None)
    report_accept(report=report, actor=cast["head"])
    with pytest.raises(ValidationError, match=r"đã được chấp nhận|already been accepted"):
        report_accept(report=report, actor=cast["head"])


def test_after_the_lock_date_only_a_reopen_makes_the_report_editable(
    campaign, unit, cast, settings
):
    settings.REPORT_REOPEN_DAYS = 5
    period = campaign.periods.get(label="Q1/2025")  # locks 15/05/2025
    with _at("2025-05-01T09:00"):
        report = report_start(unit=unit, period=period, actor=None)
    line = report.lines.first()
    with _at("2025-05-16T09:00"):
        with pytest.raises(ValidationError, match="15/05/2025"):
            report_line_save(line=line, percent_complete=1, narrative="", version=1, actor=None)
        reopened = report_reopen(report=report, actor=cast["secretary"], reason="Bổ sung")
        assert reopened.unlocked_until == datetime.date(2025, 5, 21)
        report_line_save(line=line, percent_complete=1, narrative="", version=1, actor=None)
    with _at("2025-05-22T09:00"), pytest.raises(ValidationError):
        report_line_save(line=line, percent_complete=2, narrative="", version=2, actor=None)


def test_reopen_of_an_unlocked_report_is_refused(report, cast):
    with pytest.raises(ValidationError):
        report_reopen(report=report, actor=cast["secretary"], reason="x")


def test_a_reopened_accepted_report_goes_back_to_the_unit(campaign, unit, cast):
    period = campaign.periods.get(label="Q1/2025")
    with _at("2025-04-01T09:00"):
        report = report_start(unit=unit, period=period, actor=None)
        report_submit(report=report, actor=cast["officer"])
        report_accept(report=report, actor=cast["head"])
    with _at("2025-06-01T09:00"):
        reopened = report_reopen(report=report, actor=cast["secretary"], reason="Sửa số liệu")
    assert reopened.status == "returned" and reopened.return_reason == "Sửa số liệu"


def test_registration_targets_are_validated_and_confirmed_by_the_head(campaign, unit, cast):
    percent = Indicator.objects.filter(objective__campaign=campaign, kind="percent").first()
    with pytest.raises(ValidationError):
        registration_save(
            campaign=campaign,
            unit=unit,
            year=2025,
            commitments="",
            target_title="",
            targets={percent.pk: Decimal("120")},
            actor=cast["officer"],
        )
    registration = registration_save(
        campaign=campaign,
        unit=unit,
        year=2025,
        commitments="Hoàn thành xuất sắc",
        target_title="TTLDXS",
        targets={percent.pk: Decimal("95")},
        actor=cast["officer"],
    )
    registration_submit(registration=registration, actor=cast["officer"])
    registration_confirm(registration=registration, actor=cast["head"])
    with pytest.raises(ValidationError):
        registration_save(
            campaign=campaign,
            unit=unit,
            year=2025,
            commitments="",
            target_title="",
            targets={percent.pk: Decimal("50")},
            actor=cast["officer"],
        )
    assert registration.targets.get().value == Decimal("95")


def test_registration_outside_the_campaign_years_is_refused(campaign, unit, cast):
    with pytest.raises(ValidationError):
        registration_save(
            campaign=campaign,
            unit=unit,
            year=2030,
            commitments="",
            target_title="",
            targets={},
            actor=cast["officer"],
        )
