"""Every admin export re-imports through its own import unchanged, and neutralises formulas."""

import csv
import io

import pytest
from openpyxl import load_workbook

from tests.factories import (
    AwardGrantFactory,
    IndicatorFactory,
    InitiativeFactory,
    PersonFactory,
    TaskRatingFactory,
)
from units.models import Unit

FORMULA = '=HYPERLINK("http://x")'


def _choice(form, field, label):
    return next(v for v, text in form.fields[field].choices if str(text).lower() == label)


def _export(client, base: str, extension: str) -> bytes:
    form = client.get(f"{base}export/").context["form"]
    data = {"format": _choice(form, "format", extension), "resource": "0"}
    data.update({name: "on" for name in form.fields if "resource_" in name})
    response = client.post(f"{base}export/", data)
    assert response.status_code == 200
    return response.content


def _reimport(client, base: str, content: bytes, extension: str):
    form = client.get(f"{base}import/").context["form"]
    upload = io.BytesIO(content)
    upload.name = f"export.{extension}"
    response = client.post(
        f"{base}import/",
        {"resource": "0", "format": _choice(form, "format", extension), "import_file": upload},
    )
    assert response.status_code == 200
    assert not response.context["form"].errors, response.context["form"].errors
    return response.context["result"]


def _records(unit):
    # A person with empty dates and a flag, text that looks like a formula, and a record of
    # every importable kind.
    person = PersonFactory(unit=unit, full_name=FORMULA, hometown="-Hà Nội", active=True)
    PersonFactory(unit=unit, active=False, position="@cán bộ")
    TaskRatingFactory(person=person, note="+ghi chú")
    InitiativeFactory(person=person, recognised_by="=1+1")
    AwardGrantFactory(person=person)
    return person


ADMINS = [
    "/admin/units/unit/",
    "/admin/units/person/",
    "/admin/campaigns/indicator/",
    "/admin/awards/taskrating/",
    "/admin/awards/initiative/",
    "/admin/awards/awardgrant/",
]


@pytest.mark.django_db
@pytest.mark.parametrize("extension", ["xlsx", "csv"])
@pytest.mark.parametrize("base", ADMINS)
def test_an_export_reimports_unchanged(client, cast, campaign, catalogue, unit, base, extension):
    client.force_login(cast["admin"])
    _records(unit)
    IndicatorFactory(objective=campaign.objectives.first(), name="=SUM(A1)")
    content = _export(client, base, extension)
    units_before = list(Unit.objects.values_list("pk", "name"))
    result = _reimport(client, base, content, extension)
    assert not result.has_errors() and not result.has_validation_errors(), [
        (row.number, row.field_specific_errors) for row in result.invalid_rows
    ]
    kinds = {row.import_type for row in result.rows}
    assert kinds == {"skip"}, [(row.import_type, row.diff) for row in result.rows]
    assert list(Unit.objects.values_list("pk", "name")) == units_before


@pytest.mark.django_db
def test_csv_export_neutralises_every_formula_start(client, cast, unit):
    client.force_login(cast["admin"])
    _records(unit)
    text = _export(client, "/admin/units/person/", "csv").decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert "'" + FORMULA in cells and "'-Hà Nội" in cells and "'@cán bộ" in cells
    assert not [cell for cell in cells if cell.startswith(("=", "+", "-", "@", "\t", "\r"))]


@pytest.mark.django_db
def test_xlsx_export_writes_empty_cells_and_flags_not_their_python_names(client, cast, unit):
    client.force_login(cast["admin"])
    _records(unit)
    book = load_workbook(io.BytesIO(_export(client, "/admin/units/person/", "xlsx")))
    values = [value for row in book.active.iter_rows(values_only=True) for value in row]
    assert "None" not in values and "True" not in values and "False" not in values
    assert "'" + FORMULA in values
