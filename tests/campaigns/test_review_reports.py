"""Review reports (sơ kết, tổng kết): review periods generated from the campaign's review dates,
the four sections autosaved and sent through the report workflow, the unit's figures beside
them, permissions, and the quarterly figures left untouched."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.urls import reverse

from campaigns.models import ProgressReport, ReportingPeriod, ReviewSections, UnitFigure
from campaigns.models.reports import REVIEW_SECTION_MAX_CHARS
from campaigns.selectors import dashboard, figures_oracle
from campaigns.services.campaigns import campaign_generate_periods
from campaigns.services.reports import (
    indicator_value_save,
    report_accept,
    report_return,
    report_start,
    report_submit,
    review_sections_save,
)
from config.errors import StaleEdit
from tests.helpers import client_as

pytestmark = pytest.mark.django_db
TEXTS = {
    "results": "Hoàn thành 4/4 nhiệm vụ.",
    "good_examples": "Chi cục A1",
    "limits": "Thiếu nhân lực",
    "proposals": "Tăng biên chế",
}


@pytest.fixture
def review_period(campaign):
    # Today (fixture `today`) is 10/05/2025: the mid-term review of 31/05/2025 is open.
    campaign.midterm_review_on = datetime.date(2025, 5, 31)
    campaign.save()
    campaign_generate_periods(campaign=campaign)
    return ReportingPeriod.all_kinds.get(campaign=campaign, kind=ReportingPeriod.Kind.REVIEW)


@pytest.fixture
def review(review_period, unit, today):
    return report_start(unit=unit, period=review_period, actor=None)


def _save(review, actor, **texts):
    sections = ReviewSections.objects.get(report=review)
    return review_sections_save(
        sections=sections, texts={**TEXTS, **texts}, version=sections.version, actor=actor
    )


def test_a_review_date_generates_a_review_period_kept_out_of_the_regular_ones(
    campaign, review_period
):
    assert review_period.label == "Sơ kết"
    assert review_period.due_on == review_period.ends_on == datetime.date(2025, 5, 31)
    assert review_period.starts_on == datetime.date(2025, 5, 1)
    assert review_period.locks_on == datetime.date(2025, 5, 31) + datetime.timedelta(
        days=campaign.lock_days
    )
    assert review_period not in campaign.periods.all()
    assert not ReportingPeriod.objects.filter(pk=review_period.pk).exists()
    campaign_generate_periods(campaign=campaign)  # again: nothing duplicated
    assert ReportingPeriod.all_kinds.filter(kind="review").count() == 1
    campaign.midterm_review_on = None
    campaign.save()
    campaign_generate_periods(campaign=campaign)
    assert not ReportingPeriod.all_kinds.filter(kind="review").exists()


def test_the_review_workflow_reuses_the_report_services(review, cast):
    assert review.lines.count() == 0 and review.values.count() == 0
    with pytest.raises(ValidationError) as refused:
        report_submit(report=review, actor=cast["officer"])
    assert refused.value.code == "empty"
    saved = _save(review, cast["officer"])
    assert saved.version == 2 and saved.results == TEXTS["results"]
    assert saved.history.count() == 2
    report_submit(report=review, actor=cast["officer"])
    with pytest.raises(ValidationError):
        _save(review, cast["officer"], results="changed after submitting")
    report_return(report=review, actor=cast["head"], reason="Bổ sung số liệu")
    _save(review, cast["officer"], proposals="Tăng biên chế, thêm kinh phí")
    report_submit(report=review, actor=cast["officer"])
    report_accept(report=review, actor=cast["head"])
    review.refresh_from_db()
    assert review.status == ProgressReport.Status.ACCEPTED
    assert ReviewSections.objects.get(report=review).proposals == "Tăng biên chế, thêm kinh phí"


def test_an_over_long_or_stale_section_is_refused_and_nothing_changes(review, cast):
    _save(review, cast["officer"])
    sections = ReviewSections.objects.get(report=review)
    with pytest.raises(ValidationError) as refused:
        review_sections_save(
            sections=sections,
            texts={**TEXTS, "limits": "x" * (REVIEW_SECTION_MAX_CHARS + 1), "results": "new"},
            version=sections.version,
            actor=cast["officer"],
        )
    assert refused.value.code == "too_long"
    with pytest.raises(StaleEdit):
        review_sections_save(
            sections=sections, texts={"results": "stale"}, version=1, actor=cast["officer"]
        )
    again = ReviewSections.objects.get(report=review)
    assert (again.results, again.limits, again.version) == (
        TEXTS["results"],
        TEXTS["limits"],
        2,
    )


def test_the_officer_writes_and_submits_the_review_in_the_pages(client, review, cast, unit):
    officer = client_as(client, cast, "officer")
    page = officer.get(reverse("units:detail", args=[unit.code]))
    assert reverse("reports:report", args=[review.pk]) in page.content.decode()
    page = officer.get(reverse("reports:report", args=[review.pk]))
    body = page.content.decode()
    assert page.status_code == 200
    assert "Đề xuất, kiến nghị" in body and "Hạn chế và nguyên nhân" in body
    assert 'id="review-figures"' in body and "2024" in body
    url = reverse("reports:review_save", args=[review.pk])
    answer = officer.post(url, {**TEXTS, "version": 1}, headers={"HX-Request": "true"})
    assert answer.status_code == 200
    too_long = {**TEXTS, "results": "y" * (REVIEW_SECTION_MAX_CHARS + 1), "version": 2}
    answer = officer.post(url, too_long, headers={"HX-Request": "true"})
    assert answer.status_code == 422 and 'role="alert"' in answer.content.decode()
    assert ReviewSections.objects.get(report=review).results == TEXTS["results"]
    officer.post(reverse("reports:report_submit", args=[review.pk]))
    review.refresh_from_db()
    assert review.status == ProgressReport.Status.SUBMITTED


def test_a_returned_review_shows_its_reason(client, review, cast):
    _save(review, cast["officer"])
    report_submit(report=review, actor=cast["officer"])
    head = client_as(client, cast, "head")
    head.post(
        reverse("reports:report_return", args=[review.pk]), {"reason": "Thiếu gương điển hình"}
    )
    review.refresh_from_db()
    assert review.status == ProgressReport.Status.RETURNED
    page = head.get(reverse("reports:report", args=[review.pk]))
    assert "Thiếu gương điển hình" in page.content.decode()


def test_a_reopened_review_says_until_when_as_a_report_does(client, review, cast):
    head = client_as(client, cast, "head")
    url = reverse("reports:report", args=[review.pk])
    assert "23/05/2025" not in head.get(url).content.decode()
    ProgressReport.objects.filter(pk=review.pk).update(unlocked_until=datetime.date(2025, 5, 23))
    page = head.get(url).content.decode()
    assert "23/05/2025" in page
    assert page.count('class="status-line"') == 1


@pytest.mark.parametrize(
    ("role", "status"), [("outsider", 404), ("board", 403), ("secretary", 403)]
)
def test_only_the_units_own_people_save_the_review(client, review, cast, role, status):
    other = client_as(client, cast, role)
    answer = other.post(reverse("reports:review_save", args=[review.pk]), {**TEXTS, "version": 1})
    assert answer.status_code == status
    assert ReviewSections.objects.get(report=review).version == 1
    if role == "outsider":
        assert other.get(reverse("reports:report", args=[review.pk])).status_code == 404


def test_the_board_review_page_lists_the_units_review_reports(client, review, cast):
    _save(review, cast["officer"])
    report_submit(report=review, actor=cast["officer"])
    page = client_as(client, cast, "secretary").get(
        reverse("awards:campaign_review", args=[review.period.campaign.code])
    )
    body = page.content.decode()
    assert page.status_code == 200
    assert f'id="unit-reviews-{review.period.pk}"' in body
    assert reverse("reports:report", args=[review.pk]) in body


def test_a_review_report_leaves_the_reporting_figures_alone(campaign, review, report, cast):
    indicator_value_save(
        indicator_value=report.values.first(), value=5, version=1, actor=cast["officer"]
    )
    report_submit(report=report, actor=cast["officer"])
    before = sorted(UnitFigure.objects.values_list("period_id", "unit_id", "reported", "overall"))
    _save(review, cast["officer"])
    report_submit(report=review, actor=cast["officer"])
    report_accept(report=review, actor=cast["head"])
    after = sorted(UnitFigure.objects.values_list("period_id", "unit_id", "reported", "overall"))
    assert after == before
    assert not UnitFigure.objects.filter(period=review.period).exists()
    periods = list(campaign.periods.all())
    assert review.period not in dashboard.periods_started(campaign, datetime.date(2025, 5, 10))
    kept = dashboard.reporting_by_period(campaign=campaign, periods=periods, units=Q())
    again = figures_oracle.reporting_by_period(campaign=campaign, periods=periods, units=Q())
    assert {pk: (r.expected, r.reported, r.late) for pk, r in kept.items()} == {
        pk: (r.expected, r.reported, r.late) for pk, r in again.items()
    }
