"""The bloc pages as each kind of user reaches them: another bloc's pages answer 404, members
see their own scoring and the others' only after publication, the leading unit sees all."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from blocs.models import Criterion, Score
from blocs.services.scoring import ranking_publish, scoring_confirm
from tests.blocs.helpers import score_all

pytestmark = pytest.mark.django_db


def _url(world, suffix=""):
    return f"/blocs/{world['bloc'].code}/2025/{suffix}"


def test_another_blocs_pages_answer_404(client, world):
    client.force_login(world["heads"]["cuc-d"])
    for suffix in ("", "scoring/cuc-a/", "table.xlsx", "scores.xlsx", "meeting/"):
        assert client.get(_url(world, suffix)).status_code == 404, suffix
    assert client.get("/blocs/khoi-b/2025/").status_code == 200


def test_a_member_sees_its_own_scoring_and_the_others_after_publication(client, world, cast):
    leading = world["heads"]["cuc-c"]
    a = score_all(world, "cuc-a", {"targets": 30, "party": 30})
    b = score_all(world, "cuc-b", {"targets": 20, "party": 30})
    client.force_login(cast["head"])  # head of Cục A
    page = client.get(_url(world))
    assert page.status_code == 200
    assert "Hoàn thành chỉ tiêu" in page.content.decode()  # the table
    assert client.get(_url(world, "scoring/cuc-a/")).status_code == 200
    assert client.get(_url(world, "scoring/cuc-b/")).status_code == 404
    client.force_login(leading)
    assert client.get(_url(world, "scoring/cuc-b/")).status_code == 200
    scoring_confirm(scoring=a, actor=leading)
    scoring_confirm(scoring=b, actor=leading)
    ranking_publish(bloc_year=world["year"], actor=cast["secretary"])
    client.force_login(cast["head"])
    assert client.get(_url(world, "scoring/cuc-b/")).status_code == 200
    page = client.get(_url(world)).content.decode()
    assert "Cục B" in page and "ranking-table" in page
    assert client.get(_url(world, "ranking.docx")).status_code == 200
    unit_page = client.get("/units/cuc-a/").content.decode()
    assert "bloc-standings" in unit_page


def test_the_board_sees_every_bloc(client, world, cast):
    client.force_login(cast["board"])
    assert client.get(_url(world)).status_code == 200
    assert client.get("/blocs/khoi-b/2025/").status_code == 200
    assert client.get("/blocs/").status_code == 200
    # but only the secretary sets a year up
    assert client.get(_url(world, "setup/")).status_code == 403
    client.force_login(cast["secretary"])
    assert client.get(_url(world, "setup/")).status_code == 200


def test_only_the_leading_unit_or_the_secretary_cross_checks(client, world, cast):
    b = score_all(world, "cuc-b", {"targets": 20, "party": 30})
    score = Score.objects.get(scoring=b, criterion=world["criteria"]["targets"])
    url = _url(world, f"scoring/cuc-b/check/{score.pk}/")
    client.force_login(world["heads"]["cuc-b"])  # the unit itself
    assert client.post(url, {"checked_points": "10", "reason": "x"}).status_code == 403
    client.force_login(cast["head"])  # another member: cannot even read it
    assert client.post(url, {"checked_points": "10", "reason": "x"}).status_code == 404
    client.force_login(world["heads"]["cuc-c"])
    response = client.post(url, {"checked_points": "18", "reason": ""}, follow=True)
    assert "Give the reason" in response.content.decode() or "lý do" in response.content.decode()
    score.refresh_from_db()
    assert score.checked_points is None
    client.post(url, {"checked_points": "18", "reason": "Thiếu minh chứng"})
    score.refresh_from_db()
    assert score.checked_points == Decimal(18)
    client.force_login(world["heads"]["cuc-b"])
    assert "Thiếu minh chứng" in client.get(_url(world, "scoring/cuc-b/")).content.decode()


def test_autosave_refuses_a_score_above_the_maximum(client, world, cast):
    client.force_login(cast["head"])
    assert client.get(_url(world, "scoring/cuc-a/")).status_code == 200
    score = Score.objects.get(scoring__unit__code="cuc-a", criterion=world["criteria"]["targets"])
    url = _url(world, f"scoring/cuc-a/score/{score.pk}/")
    response = client.post(url, {"points": "41", "evidence": "x"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 422
    score.refresh_from_db()
    assert score.points is None
    response = client.post(url, {"points": "39.5", "evidence": "Báo cáo"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    score.refresh_from_db()
    assert score.points == Decimal("39.5")


def test_the_table_page_refuses_an_unknown_indicator_and_imports_with_a_dry_run(
    client, world, cast
):
    from openpyxl import Workbook

    client.force_login(cast["secretary"])
    group = world["criteria"]["targets"].group
    response = client.post(
        _url(world, "table/"),
        {
            "action": "criterion",
            "criterion-group": group.pk,
            "criterion-title": "Sáng kiến",
            "criterion-kind": "computed",
            "criterion-max_points": "5",
            "criterion-formula": "sang_kien * 2",
        },
    )
    assert response.status_code == 422
    assert "sang_kien" in response.content.decode()
    assert Criterion.objects.filter(group__bloc_year=world["year"]).count() == 5

    exported = client.get(_url(world, "table.xlsx"))
    assert exported.status_code == 200
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(
        ["group", "group_title", "group_max", "code", "criterion", "kind", "max_points", "formula"]
    )
    sheet.append([1, "Nhiệm vụ", 50, "a", "Chỉ tiêu", "manual", 60, ""])  # above the group
    sheet.append([1, "Nhiệm vụ", 50, "b", "Đúng hạn", "computed", 10, "bogus"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload = SimpleUploadedFile("t.xlsx", buffer.getvalue())
    response = client.post(_url(world, "table/"), {"action": "import", "file": upload})
    assert response.status_code == 422
    text = response.content.decode()
    assert "bogus" in text
    assert Criterion.objects.filter(group__bloc_year=world["year"]).count() == 5


def test_the_bloc_page_and_a_scoring_take_a_bounded_number_of_queries(
    client, world, cast, django_assert_max_num_queries
):
    leading = world["heads"]["cuc-c"]
    for code in ("cuc-a", "cuc-b"):
        scoring_confirm(scoring=score_all(world, code, {"targets": 30, "party": 30}), actor=leading)
    ranking_publish(bloc_year=world["year"], actor=cast["secretary"])
    client.force_login(cast["head"])
    client.get(_url(world))  # roles cached
    with django_assert_max_num_queries(30):
        assert client.get(_url(world)).status_code == 200
    with django_assert_max_num_queries(30):
        assert client.get(_url(world, "scoring/cuc-b/")).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get("/blocs/rankings/?year=2025").status_code == 200
