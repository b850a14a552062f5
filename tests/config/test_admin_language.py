"""The admin, its import and export pages read in Vietnamese: no Django or import-export
leftovers in English, import errors in Vietnamese with the format to use, and the import page
lists what the constrained columns accept."""

import io
import re
from decimal import Decimal
from html.parser import HTMLParser

import pytest
import tablib
from django.core.exceptions import ValidationError

from awards.resources import OpenMatterResource
from units.models import Unit
from units.resources import UnitResource

pytestmark = pytest.mark.django_db

LEFTOVERS = [
    "Show counts",
    "Hide counts",
    "- Select an option -",
    "Run",
    "Skip to main content",
    "Toggle theme",
    "Toggle navigation",
    "Filter navigation items",
    "Add link",
    "Change or view list link",
    "Model name",
    "Select all objects on this page",
    "Select this object for an action",
    "Filter by",
    "Search ",
    "View selected",
    "Name En",
    "Short Name",
    "Opened On",
    "Commendation Authority",
    "Value could not be parsed",
]
PAGES = [
    "/admin/",
    "/admin/units/unit/",
    "/admin/units/unit/?_facets=True",
    "/admin/units/unit/add/",
    "/admin/units/unit/import/",
    "/admin/units/unit/export/",
    "/admin/units/person/import/",
    "/admin/campaigns/indicator/",
    "/admin/campaigns/indicator/import/",
    "/admin/awards/nomination/",
    "/admin/awards/nomination/export/",
    "/admin/awards/awardgrant/add/",
    "/admin/awards/awardgrant/import/",
    "/admin/awards/taskrating/",
]


class _Text(HTMLParser):
    """What a reader sees or hears: text outside scripts and styles, and the labels."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        self._skip += tag in ("script", "style")
        self.parts += [v for k, v in attrs if k in ("title", "aria-label", "placeholder") and v]
        if tag == "input" and dict(attrs).get("type") in ("submit", "button"):
            self.parts.append(dict(attrs).get("value") or "")

    def handle_endtag(self, tag):
        self._skip -= tag in ("script", "style")

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.parts.append(data.strip())


def _visible(html: str) -> list[str]:
    parser = _Text()
    parser.feed(html)
    return parser.parts


@pytest.mark.parametrize("url", PAGES)
def test_admin_pages_in_vietnamese_have_no_english_leftovers(client, cast, catalogue, url):
    client.force_login(cast["admin"])
    response = client.get(url)
    assert response.status_code == 200
    texts = _visible(response.content.decode())
    found = [
        (word, text)
        for text in texts
        for word in LEFTOVERS
        if (text == word if word == "Run" else text.startswith(word) or f" {word}" in text)
    ]
    assert not found, found


def test_the_changelist_action_button_and_facets_read_in_vietnamese(client, cast, ministry):
    client.force_login(cast["admin"])
    page = client.get("/admin/units/unit/").content.decode()
    assert "Thực hiện" in page and "Hiện số lượng" in page and "- Chọn một mục -" in page


def test_import_and_export_breadcrumbs_are_the_admins_ordered_list(client, cast, ministry):
    client.force_login(cast["admin"])
    for url in ("/admin/units/unit/import/", "/admin/units/unit/export/"):
        page = client.get(url).content.decode()
        crumbs = re.search(r'<ol class="breadcrumbs">(.*?)</ol>', page, re.S)
        assert crumbs, url
        assert '<div class="breadcrumbs">' not in page
        assert crumbs.group(1).count("<li") == 4 and 'aria-current="page"' in crumbs.group(1)


def test_the_import_page_lists_unit_kinds_dates_and_award_codes(client, cast, catalogue):
    client.force_login(cast["admin"])
    page = client.get("/admin/units/unit/import/").content.decode()
    assert "agency (Cục, Ủy ban thuộc Bộ)" in page and "provincial (Sở Công Thương)" in page
    assert "dd/mm/yyyy" in page
    page = client.get("/admin/awards/awardgrant/import/").content.decode()
    assert "BK_BO (Bằng khen của Bộ trưởng Bộ Công Thương)" in page and "CSTDCS" in page


def test_a_bad_date_is_refused_in_vietnamese_with_the_format_to_use(ministry):
    data = tablib.Dataset(
        ["vu-z", "Vụ Z", "department", "bct", "2022/31/12", ""],
        headers=["code", "name", "kind", "parent", "opened_on", "closed_on"],
    )
    result = UnitResource().import_data(data, dry_run=False)
    (invalid,) = result.invalid_rows
    message = " ".join(str(e) for e in invalid.field_specific_errors["opened_on"])
    assert "“2022/31/12” không phải là ngày: hãy ghi theo dạng dd/mm/yyyy" in message
    assert not Unit.objects.filter(code="vu-z").exists()
    # The same rule in the record's own date columns, and a good date still reads.
    headers = ["person", "unit", "kind", "summary", "opened_on", "closed_on", "resolution"]
    row = ["", "bct", "complaint", "Đơn", "32/01/2025", "", ""]
    result = OpenMatterResource().import_data(tablib.Dataset(row, headers=headers), dry_run=True)
    assert "dd/mm/yyyy" in str(result.invalid_rows[0].field_specific_errors["opened_on"])
    data = tablib.Dataset(
        ["vu-z", "Vụ Z", "department", "bct", "31/12/2022", ""],
        headers=["code", "name", "kind", "parent", "opened_on", "closed_on"],
    )
    assert not UnitResource().import_data(data, dry_run=False).has_validation_errors()
    assert Unit.objects.get(code="vu-z").opened_on.isoformat() == "2022-12-31"


def test_an_admin_import_with_a_bad_date_shows_the_hint_in_vietnamese(client, cast, ministry):
    client.force_login(cast["admin"])
    page = client.get("/admin/units/unit/import/").content.decode()
    csv_index = re.search(r'<option value="(\d+)">csv</option>', page).group(1)
    upload = io.BytesIO(
        "code,name,kind,parent,opened_on\nvu-d,Vụ D,department,bct,13/31/2022\n".encode()
    )
    upload.name = "units.csv"
    response = client.post(
        "/admin/units/unit/import/",
        {"resource": "0", "format": csv_index, "import_file": upload},
    )
    page = response.content.decode()
    assert "dd/mm/yyyy" in page and "Value could not be parsed" not in page


def test_admin_decimal_inputs_read_the_vietnamese_comma(rf, cast):
    from django.contrib import admin

    from campaigns.admin import RegistrationAdmin, TargetInline
    from campaigns.models import Indicator, Registration

    request = rf.get("/admin/")
    request.user = cast["admin"]
    form = admin.site._registry[Indicator].get_form(request)
    field = form.base_fields["weight"]
    assert field.clean("1,5") == Decimal("1.5")
    with pytest.raises(ValidationError):
        field.clean("1_000")
    inline = TargetInline(Registration, admin.site)
    target_field = inline.get_formset(request).form.base_fields["value"]
    assert target_field.clean("1.234,5") == Decimal("1234.5")
    assert RegistrationAdmin.inlines == [TargetInline]
