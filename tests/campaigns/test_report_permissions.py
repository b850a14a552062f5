"""Every URL of the reports feature, for every role: who gets 200/302, who 403, who 404.

Codes: 200 page, 302 redirect after a successful step, 403 known object but not allowed,
404 another unit's object (ids cannot be probed), "login" anonymous sent to the login page.
"""

import io

import pytest
from django.urls import reverse

from campaigns.services.registrations import registration_save, registration_submit
from campaigns.services.reports import evidence_add, report_start, report_submit
from tests.factories import MembershipFactory, UserFactory
from tests.helpers import assert_status, client_as
from units.models import Membership

pytestmark = pytest.mark.django_db

ROLES = ["officer", "head", "parent_head", "outsider", "board", "secretary", "admin", "anonymous"]
READERS = {
    "officer": 200,
    "head": 200,
    "parent_head": 200,
    "outsider": 404,
    "board": 200,
    "secretary": 200,
    "admin": 200,
    "anonymous": "login",
}


def _expect(**overrides):
    table = {
        "officer": 403,
        "head": 403,
        "parent_head": 403,
        "outsider": 404,
        "board": 403,
        "secretary": 403,
        "admin": 403,
        "anonymous": "login",
    }
    table.update(overrides)
    return table


PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def users(cast, ministry):
    parent_head = UserFactory(username="parent_head")
    MembershipFactory(user=parent_head, unit=ministry, role=Membership.Role.HEAD)
    return {**cast, "parent_head": parent_head}


def _submitted(report, users):
    report_submit(report=report, actor=users["officer"])
    return report


def _evidence(report, users):
    from django.core.files.uploadedfile import SimpleUploadedFile

    line = report.lines.first()
    return evidence_add(line=line, upload=SimpleUploadedFile("a.pdf", PDF), actor=users["officer"])


@pytest.mark.parametrize("role", ROLES)
def test_report_page(client, users, report, role):
    assert_status(
        client_as(client, users, role).get(reverse("reports:report", args=[report.pk])),
        READERS[role],
    )


@pytest.mark.parametrize("role", ROLES)
def test_unit_page(client, users, report, role):
    assert_status(
        client_as(client, users, role).get(reverse("units:detail", args=[report.unit.code])),
        READERS[role],
    )


@pytest.mark.parametrize("role", ROLES)
def test_report_for_period_redirects_readers_to_the_report(client, users, report, role):
    url = reverse("reports:report_for_period", args=[report.unit.code, report.period.pk])
    expected = {**READERS, **{r: 302 for r, code in READERS.items() if code == 200}}
    assert_status(client_as(client, users, role).get(url), expected[role])


@pytest.mark.parametrize(
    ("role", "expected"),
    _expect(officer=302, head=302, admin=302).items(),
)
def test_start_a_report(client, users, campaign, unit, today, role, expected):
    period = campaign.periods.get(label="Q2/2025")
    url = reverse("reports:report_start", args=[unit.code, period.pk])
    assert_status(client_as(client, users, role).post(url), expected)


@pytest.mark.parametrize(("role", "expected"), _expect(officer=200, head=200, admin=200).items())
def test_save_a_line(client, users, report, role, expected):
    line = report.lines.first()
    url = reverse("reports:line_save", args=[report.pk, line.pk])
    response = client_as(client, users, role).post(
        url,
        {"percent_complete": "10", "narrative": "x", "version": "1"},
        headers={"HX-Request": "true"},
    )
    assert_status(response, expected)


@pytest.mark.parametrize(("role", "expected"), _expect(officer=200, head=200, admin=200).items())
def test_save_a_value(client, users, report, role, expected):
    row = report.values.first()
    url = reverse("reports:value_save", args=[report.pk, row.pk])
    response = client_as(client, users, role).post(
        url, {"value": "5", "version": "1"}, headers={"HX-Request": "true"}
    )
    assert_status(response, expected)


@pytest.mark.parametrize(("role", "expected"), _expect(officer=200, head=200, admin=200).items())
def test_upload_evidence(client, users, report, role, expected):
    line = report.lines.first()
    url = reverse("reports:evidence_upload", args=[report.pk, line.pk])
    upload = io.BytesIO(PDF)
    upload.name = "minh-chung.pdf"
    response = client_as(client, users, role).post(
        url, {"file": upload}, headers={"HX-Request": "true"}
    )
    assert_status(response, expected)


@pytest.mark.parametrize("role", ROLES)
def test_download_evidence(client, users, report, role):
    evidence = _evidence(report, users)
    url = reverse("reports:evidence_download", args=[report.pk, evidence.pk])
    response = client_as(client, users, role).get(url)
    assert_status(response, READERS[role])
    if response.status_code == 200:
        assert response["Content-Disposition"].startswith("attachment")
        assert b"".join(response.streaming_content) == PDF


@pytest.mark.parametrize(("role", "expected"), _expect(officer=302, head=302, admin=302).items())
def test_delete_evidence(client, users, report, role, expected):
    evidence = _evidence(report, users)
    url = reverse("reports:evidence_delete", args=[report.pk, evidence.pk])
    assert_status(client_as(client, users, role).post(url), expected)


@pytest.mark.parametrize(("role", "expected"), _expect(officer=302, head=302).items())
def test_submit(client, users, report, role, expected):
    assert_status(
        client_as(client, users, role).post(
            reverse("reports:report_submit", args=[report.pk]), {"confirm_empty": "1"}
        ),
        expected,
    )


@pytest.mark.parametrize(("role", "expected"), _expect(head=302, secretary=302).items())
def test_accept(client, users, report, role, expected):
    _submitted(report, users)
    assert_status(
        client_as(client, users, role).post(reverse("reports:report_accept", args=[report.pk])),
        expected,
    )


@pytest.mark.parametrize(("role", "expected"), _expect(head=302, secretary=302).items())
def test_return(client, users, report, role, expected):
    _submitted(report, users)
    url = reverse("reports:report_return", args=[report.pk])
    assert_status(client_as(client, users, role).post(url, {"reason": "Thiếu số liệu"}), expected)


@pytest.mark.parametrize(("role", "expected"), _expect(secretary=302, admin=302).items())
def test_reopen(client, users, report, role, expected):
    import datetime
    import zoneinfo

    import time_machine

    with time_machine.travel(
        datetime.datetime(2025, 6, 1, 9, tzinfo=zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")), tick=False
    ):
        url = reverse("reports:report_reopen", args=[report.pk])
        assert_status(client_as(client, users, role).post(url, {"reason": "Bổ sung"}), expected)


@pytest.mark.parametrize("role", ROLES)
def test_registration_page(client, users, campaign, unit, role):
    url = reverse("campaigns:registration", args=[campaign.code, unit.code, 2025])
    assert_status(client_as(client, users, role).get(url), READERS[role])


@pytest.mark.parametrize(("role", "expected"), _expect(officer=302, head=302).items())
def test_registration_save(client, users, campaign, unit, role, expected):
    url = reverse("campaigns:registration", args=[campaign.code, unit.code, 2025])
    assert_status(
        client_as(client, users, role).post(url, {"commitments": "Cam kết", "target_title": ""}),
        expected,
    )


def _registration(campaign, unit, users, status="draft"):
    from decimal import Decimal

    indicator = campaign.objectives.first().indicators.first()
    registration = registration_save(
        campaign=campaign,
        unit=unit,
        year=2025,
        commitments="",
        target_title="",
        targets={indicator.pk: Decimal("5")},
        actor=users["officer"],
    )
    if status == "submitted":
        registration_submit(registration=registration, actor=users["officer"])
    return registration


@pytest.mark.parametrize(("role", "expected"), _expect(officer=302, head=302).items())
def test_registration_submit(client, users, campaign, unit, role, expected):
    _registration(campaign, unit, users)
    url = reverse("campaigns:registration_submit", args=[campaign.code, unit.code, 2025])
    assert_status(client_as(client, users, role).post(url), expected)


@pytest.mark.parametrize(("role", "expected"), _expect(head=302).items())
def test_registration_confirm(client, users, campaign, unit, role, expected):
    _registration(campaign, unit, users, status="submitted")
    url = reverse("campaigns:registration_confirm", args=[campaign.code, unit.code, 2025])
    assert_status(client_as(client, users, role).post(url), expected)


@pytest.mark.parametrize(("role", "expected"), _expect(head=302).items())
def test_registration_send_back(client, users, campaign, unit, role, expected):
    _registration(campaign, unit, users, status="submitted")
    url = reverse("campaigns:registration_send_back", args=[campaign.code, unit.code, 2025])
    assert_status(client_as(client, users, role).post(url), expected)


@pytest.mark.parametrize(
    ("url_name", "method"),
    [
        ("reports:report", "post"),
        ("reports:report_submit", "get"),
        ("reports:report_accept", "get"),
        ("reports:report_return", "get"),
        ("reports:report_reopen", "get"),
    ],
)
def test_wrong_method_is_refused(client, users, report, url_name, method):
    client.force_login(users["officer"])
    assert getattr(client, method)(reverse(url_name, args=[report.pk])).status_code == 405


def test_ids_of_other_units_reports_cannot_be_probed(client, users, campaign, other_unit, today):
    other = report_start(unit=other_unit, period=campaign.periods.get(label="Q1/2025"), actor=None)
    client.force_login(users["officer"])
    assert client.get(reverse("reports:report", args=[other.pk])).status_code == 404
    assert client.get(reverse("reports:report", args=[other.pk + 1000])).status_code == 404
