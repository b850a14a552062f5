"""Nominations in the Django admin: filters, search, the council's export, screening actions."""

from __future__ import annotations

import io

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse
from openpyxl import load_workbook

from awards.models import Nomination
from awards.services.nominations import nomination_draft, nomination_submit
from tests.awards.conftest import YEAR, advance, complete_dossier
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/awards/nomination/"


def test_secretary_lists_filters_and_searches_nominations(client, cast, draft_for):
    advance(draft_for("Ngô Thị Hạnh"), "submitted", cast)
    draft_for("Trịnh Văn Khoa", award="LDTT")
    client.force_login(cast["secretary"])
    page = client.get(CHANGELIST).content.decode()
    assert "Ngô Thị Hạnh" in page and "Trịnh Văn Khoa" in page
    page = client.get(CHANGELIST, {"status__exact": "submitted"}).content.decode()
    assert "Ngô Thị Hạnh" in page and "Trịnh Văn Khoa" not in page
    page = client.get(CHANGELIST, {"q": "Khoa"}).content.decode()
    assert "Trịnh Văn Khoa" in page and "Ngô Thị Hạnh" not in page


def test_the_nomination_is_read_only_in_the_admin(client, cast, nomination):
    client.force_login(cast["admin"])
    url = reverse("admin:awards_nomination_change", args=[nomination.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert not response.context["adminform"].form.fields
    client.post(url, {"status": "decided"})
    nomination.refresh_from_db()
    assert nomination.status == "draft"


def _action(client, action, nominations, **extra):
    return client.post(
        CHANGELIST,
        {"action": action, ACTION_CHECKBOX_NAME: [n.pk for n in nominations], **extra},
        follow=True,
    )


def test_screening_actions_call_the_same_services(client, cast, draft_for):
    complete = draft_for("Mai Anh")
    complete_dossier(complete, cast["officer"])
    nomination_submit(nomination=complete, actor=cast["head"])
    incomplete = draft_for("Lâm Tùng")
    nomination_submit(nomination=incomplete, actor=cast["head"])
    client.force_login(cast["secretary"])

    _action(client, "start_screening", [complete, incomplete], index=0)
    complete.refresh_from_db()
    assert complete.status == "screening"
    assert complete.steps.last().actor == cast["secretary"]

    response = _action(client, "accept_for_review", [complete, incomplete], index=0)
    page = response.content.decode()
    complete.refresh_from_db()
    incomplete.refresh_from_db()
    assert complete.status == "in_review" and incomplete.status == "screening"
    assert "Hồ sơ chưa đủ" in page  # the incomplete one is refused with the reason


def test_returning_asks_for_a_reason_first(client, cast, draft_for):
    nomination = advance(draft_for("Hồ Văn Lợi"), "screening", cast)
    client.force_login(cast["secretary"])
    response = _action(client, "return_to_unit", [nomination], index=0)
    assert "Thiếu biên bản" not in response.content.decode()
    assert 'name="reason"' in response.content.decode()
    nomination.refresh_from_db()
    assert nomination.status == "screening"
    _action(client, "return_to_unit", [nomination], apply="1", reason="Thiếu biên bản")
    nomination.refresh_from_db()
    assert nomination.status == "returned"
    assert nomination.steps.last().reason == "Thiếu biên bản"


def test_the_administrator_reads_but_takes_no_screening_step(client, cast, draft_for):
    nomination = advance(draft_for("Kiều Oanh"), "submitted", cast)
    client.force_login(cast["admin"])
    action_form = client.get(CHANGELIST).context["action_form"]
    assert action_form is None  # no screening action, and nominations are never deleted
    _action(client, "start_screening", [nomination], index=0)
    nomination.refresh_from_db()
    assert nomination.status == "submitted"


def test_the_council_list_exports_to_xlsx_with_formulas_neutralised(client, cast, unit, catalogue):
    tricky = PersonFactory(unit=unit, full_name='=HYPERLINK("http://x","bấm")')
    nomination = nomination_draft(
        proposing_unit=unit,
        award_type=catalogue["LDTT"],
        year=YEAR,
        person=tricky,
        actor=cast["officer"],
    )
    nomination_submit(nomination=nomination, actor=cast["head"], justification="+SUM(A1:A9)")
    client.force_login(cast["secretary"])
    page = client.get("/admin/awards/nomination/export/")
    assert page.status_code == 200
    form = page.context["form"]
    xlsx = next(value for value, label in form.fields["format"].choices if label == "xlsx")
    data = {"format": xlsx, "resource": "0"}
    for name in form.fields:
        if name.startswith("nominationcouncilresource_"):
            data[name] = "on"
    response = client.post("/admin/awards/nomination/export/", data)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    header, row = rows[0], rows[1]
    assert "Đối tượng đề nghị" in header and "Giải trình" in header
    values = dict(zip(header, row, strict=True))
    assert values["Đối tượng đề nghị"].startswith("'=")
    assert values["Giải trình"] == "'+SUM(A1:A9)"
    assert values["Danh hiệu, hình thức"] == "Lao động tiên tiến"
    assert not any(cell.data_type == "f" for line in sheet.iter_rows() for cell in line)


def test_the_administrator_records_a_paper_nomination_as_a_draft(client, cast, unit, catalogue):
    nominee = PersonFactory(unit=unit)
    client.force_login(cast["admin"])
    response = client.post(
        reverse("admin:awards_nomination_add"),
        {
            "proposing_unit": unit.pk,
            "person": nominee.pk,
            "unit": "",
            "award_type": catalogue["LDTT"].pk,
            "year": YEAR,
        },
    )
    assert response.status_code == 302
    nomination = Nomination.objects.get()
    assert nomination.status == "draft" and nomination.eligibility["lines"]
    assert nomination.steps.get().actor == cast["admin"]
    response = client.post(
        reverse("admin:awards_nomination_add"),
        {
            "proposing_unit": unit.pk,
            "person": nominee.pk,
            "unit": "",
            "award_type": catalogue["LDTT"].pk,
            "year": YEAR,
        },
    )
    assert response.status_code == 200
    assert "Đã có một hồ sơ đề nghị" in response.content.decode()
    assert Nomination.objects.count() == 1
