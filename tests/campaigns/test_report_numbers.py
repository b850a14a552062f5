"""Numbers typed and shown in the page's language: the report, the registration, the timeline.

Vietnamese writes 1,5 and 1.234,5; English 1.5 and 1,234.5. A value the server does not save
is refused next to its field and the saved value is said to be unchanged.
"""

from decimal import Decimal

import pytest
from django.urls import reverse

from campaigns.models import Indicator
from campaigns.services.reports import report_start
from tests.factories import IndicatorFactory

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


@pytest.fixture
def number_report(campaign, unit, period, today):
    objective = campaign.objectives.get(number=1)
    IndicatorFactory(objective=objective, code="ind-km", kind=Indicator.Kind.NUMBER, measure="km")
    IndicatorFactory(objective=objective, code="ind-dem", kind=Indicator.Kind.COUNT, measure="lần")
    return report_start(unit=unit, period=period, actor=None)


def _row(report, code):
    return report.values.select_related("indicator").get(indicator__code=code)


def _save(client, report, row, text, version=1):
    return client.post(
        reverse("reports:value_save", args=[report.pk, row.pk]),
        {"value": text, "version": str(version)},
        headers=HTMX,
    )


def _english(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})


def test_a_vietnamese_decimal_comma_is_saved_as_the_number_and_shown_back_with_a_comma(
    client, cast, number_report
):
    client.force_login(cast["officer"])
    row = _row(number_report, "ind-km")
    assert _save(client, number_report, row, "1.234,5").status_code == 200
    row.refresh_from_db()
    assert row.value == Decimal("1234.5")
    page = client.get(reverse("reports:report", args=[number_report.pk])).content.decode()
    assert f'id="value-input-{row.pk}" name="value" type="text" inputmode="decimal"' in page
    assert 'value="1234,5"' in page
    assert 'type="number"' not in page  # no browser-side block of the autosave


def test_an_english_page_reads_and_shows_the_dot(client, cast, number_report):
    client.force_login(cast["officer"])
    _english(client)
    row = _row(number_report, "ind-km")
    assert _save(client, number_report, row, "1,234.5").status_code == 200
    row.refresh_from_db()
    assert row.value == Decimal("1234.5")
    page = client.get(reverse("reports:report", args=[number_report.pk])).content.decode()
    assert 'value="1234.5"' in page
    assert _save(client, number_report, row, "1,5", version=2).status_code == 422


@pytest.mark.parametrize("text", ["1_000", "1e3", "NaN", "1.5", "1,2,3"])
def test_python_literals_and_foreign_writing_are_refused_and_change_nothing(
    client, cast, number_report, text
):
    client.force_login(cast["officer"])
    row = _row(number_report, "ind-km")
    assert _save(client, number_report, row, "7").status_code == 200
    response = _save(client, number_report, row, text, version=2)
    assert response.status_code == 422
    body = response.content.decode()
    assert "Nhập một số, viết như 1,5 hoặc 1.234,5" in body
    assert "Chưa lưu: giá trị đã lưu vẫn là 7." in body
    row.refresh_from_db()
    assert (row.value, row.version) == (Decimal("7"), 2)


def test_a_refusal_names_the_field_it_belongs_to(client, cast, number_report):
    """The message carries the id that the page's script links to the input (aria-invalid,
    aria-describedby), next to the field."""
    client.force_login(cast["officer"])
    row = number_report.values.get(indicator__kind="percent", indicator__code="ind-1-a")
    body = _save(client, number_report, row, "150").content.decode()
    assert f'id="value-{row.pk}-error" data-invalid="value-input-{row.pk}"' in body
    assert "Tỷ lệ phần trăm phải từ 0 đến 100" in body
    line = number_report.lines.first()
    body = client.post(
        reverse("reports:line_save", args=[number_report.pk, line.pk]),
        {"percent_complete": "-5", "narrative": "x", "version": "1"},
        headers=HTMX,
    ).content.decode()
    assert f'data-invalid="percent-{line.pk}"' in body
    line.refresh_from_db()
    assert (line.percent_complete, line.narrative) == (None, "")


def test_a_fractional_count_and_a_fractional_percent_complete_are_refused(
    client, cast, number_report
):
    client.force_login(cast["officer"])
    response = _save(client, number_report, _row(number_report, "ind-dem"), "2,5")
    assert response.status_code == 422 and "số nguyên" in response.content.decode()
    line = number_report.lines.first()
    response = client.post(
        reverse("reports:line_save", args=[number_report.pk, line.pk]),
        {"percent_complete": "2,5", "narrative": "", "version": "1"},
        headers=HTMX,
    )
    assert response.status_code == 422 and "Nhập một số nguyên." in response.content.decode()
    response = client.post(
        reverse("reports:line_save", args=[number_report.pk, line.pk]),
        {"percent_complete": "40", "narrative": "", "version": "1"},
        headers=HTMX,
    )
    assert response.status_code == 200


def test_the_timeline_shows_numbers_as_the_page_does(client, cast, number_report):
    client.force_login(cast["officer"])
    assert _save(client, number_report, _row(number_report, "ind-km"), "15,25").status_code == 200
    assert _save(client, number_report, _row(number_report, "ind-dem"), "3").status_code == 200
    url = reverse("reports:report", args=[number_report.pk])
    history = client.get(url, {"history": "1"}, headers=HTMX).content.decode()
    assert "<ins>15,25</ins>" in history and "<ins>3</ins>" in history
    assert "15.25" not in history and "3,00" not in history and "3.00" not in history
    _english(client)
    history = client.get(url, {"history": "1"}, headers=HTMX).content.decode()
    assert "<ins>15.25</ins>" in history and "<ins>3</ins>" in history


def test_registration_targets_are_read_and_shown_in_the_language(client, cast, campaign, unit):
    objective = campaign.objectives.get(number=1)
    km = IndicatorFactory(objective=objective, kind=Indicator.Kind.NUMBER, measure="km")
    client.force_login(cast["officer"])
    url = reverse("campaigns:registration", args=[campaign.code, unit.code, 2025])
    response = client.post(url, {"commitments": "", "target_title": "", f"target_{km.pk}": "1_000"})
    assert response.status_code == 422 and "Nhập một số, viết như 1,5" in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()
    assert not unit.registrations.exists()
    response = client.post(
        url, {"commitments": "", "target_title": "", f"target_{km.pk}": "1.234,5"}
    )
    assert response.status_code == 302
    assert unit.registrations.get().targets.get(indicator=km).value == Decimal("1234.5")
    page = client.get(url).content.decode()
    assert 'value="1234,5"' in page or "1.234,5" in page
