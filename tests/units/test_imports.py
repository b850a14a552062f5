"""Imports are all-or-nothing, and a bad row is reported by row and column."""

import io

import pytest
import tablib
from openpyxl import Workbook

from campaigns.models import Indicator
from campaigns.resources import IndicatorResource
from units.models import Person, Unit
from units.resources import PersonResource, UnitResource


def _dataset(headers, *rows) -> tablib.Dataset:
    return tablib.Dataset(*rows, headers=headers)


def _xlsx(headers, *rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


UNIT_HEADERS = ["code", "name", "kind", "parent", "opened_on", "closed_on"]


@pytest.mark.django_db
def test_unit_import_writes_good_rows(ministry):
    data = _dataset(
        UNIT_HEADERS,
        ["vu-x", "Vụ X", "department", "bct", "01/01/2022", ""],
        ["phong-x1", "Phòng X1", "department", "vu-x", "", ""],
    )
    result = UnitResource().import_data(data, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    child = Unit.objects.get(code="phong-x1")
    assert child.parent.code == "vu-x" and child.path.startswith(ministry.path)
    assert Unit.objects.get(code="vu-x").opened_on.isoformat() == "2022-01-01"


@pytest.mark.django_db
def test_unit_import_with_one_bad_row_writes_nothing_and_names_row_and_column(ministry):
    data = _dataset(
        UNIT_HEADERS,
        ["vu-y", "Vụ Y", "department", "bct", "", ""],
        ["vu-z", "Vụ Z", "galaxy", "khong-co", "32/13/2022", ""],
    )
    result = UnitResource().import_data(data, dry_run=False)
    assert result.has_validation_errors()
    (invalid,) = result.invalid_rows
    assert invalid.number == 2
    errors = invalid.field_specific_errors
    assert "parent" in errors and "khong-co" in str(errors["parent"])
    assert "opened_on" in errors
    assert not Unit.objects.filter(code__in=["vu-y", "vu-z"]).exists()


@pytest.mark.django_db
def test_unit_import_refuses_an_unknown_kind(ministry):
    data = _dataset(UNIT_HEADERS, ["vu-k", "Vụ K", "galaxy", "bct", "", ""])
    result = UnitResource().import_data(data, dry_run=False)
    (invalid,) = result.invalid_rows
    assert "kind" in invalid.field_specific_errors
    assert not Unit.objects.filter(code="vu-k").exists()


@pytest.mark.django_db
def test_person_import_needs_a_known_unit(unit):
    data = _dataset(
        ["code", "full_name", "unit", "date_of_birth", "sex"],
        ["p1", "Nguyễn Văn A", unit.code, "02/09/1980", "male"],
        ["p2", "Trần Thị B", "khong-co", "1985-13-01", "female"],
    )
    result = PersonResource().import_data(data, dry_run=False)
    (invalid,) = result.invalid_rows
    assert invalid.number == 2
    assert set(invalid.field_specific_errors) >= {"unit", "date_of_birth"}
    assert not Person.objects.exists()


@pytest.mark.django_db
def test_indicator_import_addresses_objectives_by_campaign_and_number(campaign):
    data = _dataset(
        ["code", "objective", "name", "measure", "kind", "direction", "rollup", "weight"],
        ["new-ind", "pttd-test:2", "Chỉ tiêu mới", "%", "percent", "higher", "last", "1.5"],
    )
    result = IndicatorResource().import_data(data, dry_run=False)
    assert not result.has_validation_errors()
    assert Indicator.objects.get(code="new-ind").objective.number == 2


@pytest.mark.django_db
def test_indicator_import_reports_a_missing_objective(campaign):
    data = _dataset(
        ["code", "objective", "name", "measure", "kind", "direction", "rollup", "weight"],
        ["bad-ind", "pttd-test:9", "Chỉ tiêu", "%", "percent", "higher", "last", "abc"],
    )
    result = IndicatorResource().import_data(data, dry_run=False)
    (invalid,) = result.invalid_rows
    assert "không có nhiệm vụ 9" in str(invalid.field_specific_errors["objective"])
    assert "weight" in invalid.field_specific_errors
    assert not Indicator.objects.filter(code="bad-ind").exists()


@pytest.mark.django_db
def test_admin_import_of_a_malformed_xlsx_shows_errors_and_writes_nothing(client, cast, ministry):
    client.force_login(cast["admin"])
    before = Unit.objects.count()
    upload = io.BytesIO(
        _xlsx(
            UNIT_HEADERS,
            ["vu-ok", "Vụ OK", "department", "bct", None, None],
            ["vu-bad", "Vụ Bad", "department", "khong-co", None, None],
        )
    )
    upload.name = "units.xlsx"
    response = client.post(
        "/admin/units/unit/import/",
        {"resource": "0", "format": _format_index(client, "xlsx"), "import_file": upload},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "khong-co" in page
    assert "process_import" not in page  # no confirm button is offered
    assert Unit.objects.count() == before


@pytest.mark.django_db
def test_admin_import_is_a_dry_run_until_confirmed(client, cast, ministry):
    client.force_login(cast["admin"])
    upload = io.BytesIO("code,name,kind,parent\nvu-csv,Vụ CSV,department,bct\n".encode())
    upload.name = "units.csv"
    response = client.post(
        "/admin/units/unit/import/",
        {"resource": "0", "format": _format_index(client, "csv"), "import_file": upload},
    )
    assert response.status_code == 200
    assert not Unit.objects.filter(code="vu-csv").exists()  # dry run only
    confirm = response.context["confirm_form"]
    response = client.post("/admin/units/unit/process_import/", confirm.initial)
    assert response.status_code == 302
    assert Unit.objects.get(code="vu-csv").parent == ministry


def _format_index(client, extension: str) -> str:
    form = client.get("/admin/units/unit/import/").context["form"]
    for value, label in form.fields["format"].choices:
        if label.lower() == extension:
            return value
    raise AssertionError(f"{extension} is not offered: {form.fields['format'].choices}")


@pytest.mark.django_db
def test_person_and_unit_codes_are_validated_by_the_services(unit):
    from django.core.exceptions import ValidationError

    from units.services import person_upsert, sector_load

    with pytest.raises(ValidationError) as raised:
        person_upsert(code="user-canbo.hanoi", unit=unit, full_name="Hoàng Văn Nam")
    assert raised.value.code == "invalid_code"
    assert not Person.objects.filter(code="user-canbo.hanoi").exists()
    with pytest.raises(ValidationError) as raised:
        sector_load(data={"units": [{"code": "vu.x", "name": "Vụ X", "kind": "department"}]})
    assert raised.value.code == "invalid_code"


@pytest.mark.django_db
def test_person_import_refuses_a_code_with_a_dot(unit):
    data = _dataset(["code", "full_name", "unit"], ["nv.01", "Nguyễn Văn A", unit.code])
    result = PersonResource().import_data(data, dry_run=False)
    assert result.has_validation_errors()
    assert "code" in result.invalid_rows[0].field_specific_errors
    assert not Person.objects.filter(code="nv.01").exists()


@pytest.mark.django_db
def test_person_import_turns_a_vertical_tab_into_a_line_break_and_refuses_other_controls(unit):
    data = _dataset(
        ["code", "full_name", "unit", "qualifications"],
        ["nv-01", "Nguyễn Văn A", unit.code, "Cử nhân\x0bThạc sĩ"],
    )
    assert not PersonResource().import_data(data, dry_run=False).has_validation_errors()
    assert Person.objects.get(code="nv-01").qualifications == "Cử nhân\nThạc sĩ"
    data = _dataset(["code", "full_name", "unit"], ["nv-02", "Nguyễn\x0c Văn B", unit.code])
    result = PersonResource().import_data(data, dry_run=False)
    assert result.has_validation_errors() or result.has_errors()
    assert not Person.objects.filter(code="nv-02").exists()


@pytest.mark.django_db
def test_the_people_export_survives_control_characters_already_stored(unit):
    Person.objects.create(code="nv-03", full_name="Nguyễn\x0b Văn\x0c C\x01", unit=unit)
    exported = PersonResource().export()
    data = exported.export("xlsx")
    assert data
    assert "Nguyễn\n Văn\n C" in exported.dict[0]["full_name"]


@pytest.mark.django_db
def test_the_migration_turns_stored_codes_into_slugs_without_collisions(unit):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("units.migrations.0005_person_codes_as_slugs")
    Person.objects.create(code="user-canbo.hanoi", full_name="A", unit=unit)
    Person.objects.create(code="user-canbo-hanoi", full_name="B", unit=unit)
    Person.objects.create(code="nv-01", full_name="C", unit=unit)
    migration.forwards(apps, None)
    codes = set(Person.objects.values_list("code", flat=True))
    assert codes == {"user-canbo-hanoi-2", "user-canbo-hanoi", "nv-01"}
    assert Person.objects.get(full_name="A").code == "user-canbo-hanoi-2"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "value", "expected"),
    [
        pytest.param("agency", "", True, id="Law Art 80: an agency without a value holds it"),
        pytest.param("department", "", False, id="Law Art 80: a department without a value: no"),
        pytest.param("department", "1", True, id="Law Art 80: the file gives it"),
        pytest.param("agency", "không", False, id="Law Art 80: the file withholds it"),
    ],
)
def test_unit_import_carries_the_commendation_authority(ministry, kind, value, expected):
    data = _dataset(
        [*UNIT_HEADERS, "commendation_authority"], ["vu-a", "Đơn vị A", kind, "bct", "", "", value]
    )
    result = UnitResource().import_data(data, dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    assert Unit.objects.get(code="vu-a").commendation_authority is expected


@pytest.mark.django_db
def test_unit_import_refuses_an_authority_that_is_not_yes_or_no_and_keeps_the_old_value(ministry):
    unit = Unit.objects.create(code="cuc-a", name="Cục A", kind="agency", parent=ministry)
    Unit.objects.filter(pk=unit.pk).update(commendation_authority=True)
    data = _dataset(
        [*UNIT_HEADERS, "commendation_authority"],
        ["cuc-a", "Cục A", "agency", "bct", "", "", "maybe"],
    )
    result = UnitResource().import_data(data, dry_run=False)
    (invalid,) = result.invalid_rows
    assert "commendation_authority" in invalid.field_specific_errors
    assert Unit.objects.get(code="cuc-a").commendation_authority is True
    # Without the column an existing unit keeps what the administrator set.
    Unit.objects.filter(pk=unit.pk).update(commendation_authority=False)
    result = UnitResource().import_data(
        _dataset(UNIT_HEADERS, ["cuc-a", "Cục A đổi tên", "agency", "bct", "", ""]), dry_run=False
    )
    assert not result.has_errors() and not result.has_validation_errors()
    assert Unit.objects.get(code="cuc-a").commendation_authority is False


@pytest.mark.django_db
def test_unit_export_says_which_units_hold_authority(ministry):
    Unit.objects.create(code="cuc-e", name="Cục E", kind="agency", parent=ministry)
    Unit.objects.filter(code="cuc-e").update(commendation_authority=True)
    exported = UnitResource().export(Unit.objects.filter(code="cuc-e"))
    assert exported.dict[0]["commendation_authority"] in ("1", 1, True)
