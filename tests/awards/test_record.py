"""The nominee's record: its invariants in the database and its all-or-nothing imports."""

from __future__ import annotations

import io

import pytest
import tablib
from django.db import IntegrityError, transaction
from openpyxl import Workbook

from awards.models import AwardGrant, Initiative, TaskRating
from awards.resources import AwardGrantResource, InitiativeResource, TaskRatingResource
from tests.factories import PersonFactory, TaskRatingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(unit):
    return PersonFactory(unit=unit, code="cb-01", full_name="Đặng Thu Trang")


# --- Invariants ------------------------------------------------------------------------------


@pytest.mark.parametrize("model", [TaskRating, AwardGrant, Initiative])
def test_a_record_row_belongs_to_a_person_xor_a_unit(model, staff, unit, catalogue):
    values = {
        TaskRating: {"year": 2024, "rating": "HTT"},
        AwardGrant: {"year": 2024, "award_type": catalogue["LDTT"]},
        Initiative: {"title": "SK", "scope": "base", "recognised_on": "2024-01-01"},
    }[model]
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.create(person=staff, unit=unit, **values)
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.create(**values)
    model.objects.create(person=staff, **values)
    model.objects.create(unit=unit, **values)


def test_one_rating_a_year_and_a_level_exactly_when_disciplined(staff):
    TaskRatingFactory(person=staff, year=2024)
    with pytest.raises(IntegrityError), transaction.atomic():
        TaskRatingFactory(person=staff, year=2024)
    with pytest.raises(IntegrityError), transaction.atomic():
        TaskRatingFactory(person=staff, year=2023, disciplined=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        TaskRatingFactory(person=staff, year=2022, discipline_level="warning")
    TaskRatingFactory(person=staff, year=2021, disciplined=True, discipline_level="warning")


# --- Imports ---------------------------------------------------------------------------------


def _data(headers, *rows) -> tablib.Dataset:
    return tablib.Dataset(*rows, headers=headers)


RATING_HEADERS = ["person", "unit", "year", "rating", "disciplined", "discipline_level", "note"]


def test_ratings_import_reads_codes_and_vietnamese_labels(staff, unit):
    data = _data(
        RATING_HEADERS,
        ["cb-01", "", "2023", "HTXS", "", "", ""],
        ["cb-01", "", "2024", "Hoàn thành tốt nhiệm vụ (HTT)", "có", "cảnh cáo", ""],
        ["", unit.code, "2024", "htt", "0", "", "Ghi chú"],
    )
    result = TaskRatingResource().import_data(data, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    rating = TaskRating.objects.get(person=staff, year=2024)
    assert (rating.rating, rating.disciplined, rating.discipline_level) == ("HTT", True, "warning")
    assert TaskRating.objects.get(unit=unit).note == "Ghi chú"
    # Importing the same file again updates, never duplicates.
    TaskRatingResource().import_data(data, dry_run=False)
    assert TaskRating.objects.count() == 3


def test_a_bad_ratings_row_is_reported_by_row_and_column_and_nothing_is_written(staff, unit):
    data = _data(
        RATING_HEADERS,
        ["cb-01", "", "2023", "HTXS", "", "", ""],
        ["khong-co", "", "1899", "Xuất sắc", "có lẽ", "", ""],
        ["cb-01", unit.code, "2024", "HTT", "", "", ""],
        ["cb-01", "", "2022", "HTT", "1", "", ""],
    )
    result = TaskRatingResource().import_data(data, dry_run=False)
    assert result.has_validation_errors()
    rows = {row.number: row for row in result.invalid_rows}
    assert set(rows) == {2, 3, 4}
    assert {"person", "rating", "disciplined"} <= set(rows[2].field_specific_errors)
    assert "khong-co" in str(rows[2].field_specific_errors["person"])
    assert "không chọn cả hai" in str(rows[3].non_field_specific_errors)
    assert "hình thức kỷ luật" in str(rows[4].non_field_specific_errors)
    assert not TaskRating.objects.exists()


def test_initiatives_import_and_refuse_an_unknown_scope(staff):
    good = _data(
        ["person", "unit", "title", "scope", "recognised_on", "recognised_by"],
        ["cb-01", "", "Số hóa hồ sơ", "Cấp Bộ", "15/06/2024", "QĐ 12/QĐ-BCT"],
    )
    result = InitiativeResource().import_data(good, dry_run=False)
    assert not result.has_validation_errors()
    initiative = Initiative.objects.get()
    assert initiative.scope == "ministry" and initiative.recognised_on.isoformat() == "2024-06-15"
    bad = _data(
        ["person", "unit", "title", "scope", "recognised_on"],
        ["cb-01", "", "Khác", "Liên hợp quốc", "31/02/2024"],
    )
    result = InitiativeResource().import_data(bad, dry_run=False)
    (row,) = result.invalid_rows
    assert {"scope", "recognised_on"} <= set(row.field_specific_errors)
    assert Initiative.objects.count() == 1


def test_award_history_import_looks_the_award_up_by_code(staff, catalogue):
    data = _data(
        ["person", "unit", "year", "award", "decision_number", "decided_on", "issuer"],
        ["cb-01", "", "2023", "CSTDCS", "15/QĐ-XNK", "20/01/2024", "Cục trưởng"],
        ["cb-01", "", "2024", "KHONG_CO", "", "", ""],
    )
    result = AwardGrantResource().import_data(data, dry_run=False)
    (row,) = result.invalid_rows
    assert row.number == 2 and "KHONG_CO" in str(row.field_specific_errors["award_type"])
    assert not AwardGrant.objects.exists()
    result = AwardGrantResource().import_data(_data(data.headers, data[0]), dry_run=False)
    assert not result.has_validation_errors()
    grant = AwardGrant.objects.get()
    assert grant.award_type == catalogue["CSTDCS"] and grant.decided_on.day == 20


def _xlsx(headers, *rows) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "xep-loai.xlsx"
    return buffer


def _format(client, url, extension):
    form = client.get(url).context["form"]
    return next(v for v, label in form.fields["format"].choices if label.lower() == extension)


def test_admin_import_of_ratings_is_a_dry_run_then_confirmed(client, cast, staff):
    client.force_login(cast["admin"])
    url = "/admin/awards/taskrating/import/"
    response = client.post(
        url,
        {
            "resource": "0",
            "format": _format(client, url, "xlsx"),
            "import_file": _xlsx(RATING_HEADERS, ["cb-01", None, 2024, "HTXS", None, None, None]),
        },
    )
    assert response.status_code == 200
    assert not TaskRating.objects.exists()
    response = client.post(
        "/admin/awards/taskrating/process_import/", response.context["confirm_form"].initial
    )
    assert response.status_code == 302
    assert TaskRating.objects.get().rating == "HTXS"


def test_admin_import_with_a_bad_row_offers_no_confirmation(client, cast, staff):
    client.force_login(cast["admin"])
    url = "/admin/awards/taskrating/import/"
    response = client.post(
        url,
        {
            "resource": "0",
            "format": _format(client, url, "xlsx"),
            "import_file": _xlsx(
                RATING_HEADERS,
                ["cb-01", None, 2024, "HTXS", None, None, None],
                ["cb-01", None, 2023, "XUẤT SẮC", None, None, None],
            ),
        },
    )
    page = response.content.decode()
    assert "XUẤT SẮC" in page and "process_import" not in page
    assert not TaskRating.objects.exists()
