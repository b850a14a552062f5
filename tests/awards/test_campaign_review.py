"""The campaign's review report (issue 17 §2): its figures are the dashboard's, asked through
the dashboard's own selectors for the same periods; charts are embedded images; the annex has
the same tables."""

from __future__ import annotations

import io

import docx
import openpyxl
import pytest
import time_machine
from django.db.models import Q
from django.urls import reverse

from awards.documents.campaign_review import percent
from campaigns.selectors.dashboard import reporting_by_period, sector_figures
from tests.factories import AwardGrantFactory, InitiativeFactory, PersonFactory
from tests.sector import TODAY
from units.models import Person, Unit

pytestmark = pytest.mark.django_db


def _dashboard(sector):
    """What the dashboard shows for 2025: reporting of Q1–Q3, attainment as of Q3."""
    campaign = sector.campaign
    periods = [sector.periods[label] for label in ("Q1/2025", "Q2/2025", "Q3/2025")]
    reporting = reporting_by_period(campaign=campaign, periods=periods, units=Q())
    expected = sum(row.expected for row in reporting.values())
    reported = sum(row.reported for row in reporting.values())
    late = sum(row.late for row in reporting.values())
    q3 = sector.periods["Q3/2025"]
    attainment = sector_figures(campaign=campaign, periods=[q3], units=Q())[q3.pk]
    provincial = sector_figures(
        campaign=campaign, periods=[q3], units=Q(kind=Unit.Kind.PROVINCIAL)
    )[q3.pk]
    return expected, reported, late, attainment, provincial


@pytest.fixture
def review_client(client, sector, sector_cast, catalogue):
    from tests.factories import UserFactory
    from units.roles import SECRETARY_GROUP

    secretary = UserFactory(username="thu-ky", groups=[SECRETARY_GROUP])
    person = PersonFactory(unit=sector.units["alpha"], full_name="Lê Thị Hồng")
    AwardGrantFactory(person=person, year=2025)
    InitiativeFactory(person=person, recognised_on=TODAY.date())
    client.force_login(secretary)
    return client


def test_the_review_report_equals_the_dashboard(review_client, sector):
    with time_machine.travel(TODAY, tick=False):
        review_client.force_login(_secretary())
        expected, reported, late, attainment, provincial = _dashboard(sector)
        url = reverse("awards:campaign_review_docx", args=[sector.campaign.code])
        response = review_client.get(
            url,
            {"kind": "final", "number": "12/BC-HĐTĐKT", "day": "2025-10-20", "signer": "Trần A"},
        )
        assert response.status_code == 200
        document = docx.Document(io.BytesIO(b"".join(response.streaming_content)))
        annex = review_client.get(
            reverse("awards:campaign_review_xlsx", args=[sector.campaign.code])
        )
        workbook = openpyxl.load_workbook(io.BytesIO(b"".join(annex.streaming_content)))

    text = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(
        " | ".join(cell.text for cell in row.cells) for t in document.tables for row in t.rows
    )
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in cells
    assert "Độc lập - Tự do - Hạnh phúc" in cells
    assert "12/BC-HĐTĐKT" in cells
    assert "Trần A" in cells
    assert "BÁO CÁO" in text
    assert document.styles["Normal"].font.name == "Times New Roman"
    assert len(document.inline_shapes) >= 2  # the charts, embedded as pictures

    reporting_row = [
        percent(reported / expected),
        percent((reported - late) / expected),
    ]
    assert f"2025 | {expected} | {reported} | {reporting_row[0]} | {reporting_row[1]}" in cells
    for objective in sector.campaign.objectives.all():
        assert percent(attainment.objectives[objective.pk]) in cells
    assert (
        f"Tổng hợp | {percent(attainment.overall)}" in cells or percent(attainment.overall) in cells
    )

    sheet = workbook["reporting"]
    assert [c.value for c in sheet[2]][:5] == [
        "2025",
        str(expected),
        str(reported),
        reporting_row[0],
        reporting_row[1],
    ]
    objectives = workbook["objectives"]
    overall_row = [c.value for c in objectives[objectives.max_row]]
    assert overall_row[1] == percent(attainment.overall)
    kinds = {row[0].value: row[1].value for row in workbook["kinds"].iter_rows(min_row=2)}
    assert kinds[str(Unit.Kind.PROVINCIAL.label)] == percent(provincial.overall) or (
        percent(provincial.overall) in kinds.values()
    )
    awards = [[c.value for c in row] for row in workbook["awards"].iter_rows(min_row=2)]
    assert any(row[1] == "1" for row in awards[:-1])  # one grant in 2025
    assert awards[-1][1] == "1"  # one initiative recognised in 2025


def _secretary():
    from units.models import User

    return User.objects.get(username="thu-ky")


@pytest.mark.parametrize("who", ["head-alpha", "officer-alpha"])
def test_units_have_no_review_page(client, sector, sector_cast, who):
    from units.models import User

    client.force_login(User.objects.get(username=who))
    url = reverse("awards:campaign_review", args=[sector.campaign.code])
    assert client.get(url).status_code == 404


def test_the_board_starts_the_nominations_of_the_best_units_in_one_go(review_client, sector):
    from awards.models import AwardType, Nomination

    award = AwardType.objects.filter(recipient__in=["collective", "both"], active=True).first()
    url = reverse("awards:campaign_review_nominations", args=[sector.campaign.code])
    alpha, charlie = sector.units["alpha"], sector.units["charlie"]
    with time_machine.travel(TODAY, tick=False):
        review_client.force_login(_secretary())
        page = review_client.get(
            reverse("awards:campaign_review", args=[sector.campaign.code])
        ).content.decode()
        assert f'value="{alpha.pk}"' in page
        data = {"award_type": award.pk, "year": 2025, "units": [alpha.pk, charlie.pk]}
        assert review_client.post(url, data).status_code == 302
    started = Nomination.objects.filter(award_type=award, year=2025)
    assert {n.unit for n in started} == {alpha, charlie}
    assert all(n.proposing_unit == n.unit and n.status == "draft" for n in started)
    # Again: alpha already has one, so nothing more is started, and the page says why.
    with time_machine.travel(TODAY, tick=False):
        response = review_client.post(url, data, follow=True)
    assert Nomination.objects.filter(award_type=award, year=2025).count() == 2
    assert "Alpha" in response.content.decode()


def test_the_board_starts_the_nominations_of_the_people_with_the_best_record(
    review_client, sector, django_assert_max_num_queries
):
    from awards.models import AwardType, Nomination
    from awards.selectors.campaign_review import review_people
    from tests.factories import UnitFactory

    campaign = sector.campaign
    hong = Person.objects.get(full_name="Lê Thị Hồng")  # a title and an initiative (fixture)
    minh = PersonFactory(unit=sector.units["charlie"], full_name="Trần Văn Minh")
    AwardGrantFactory(person=minh, year=2025)
    AwardGrantFactory(person=minh, year=2025, award_type=AwardType.objects.get(code="LDTT"))
    only_initiative = PersonFactory(unit=sector.units["alpha"], full_name="Phạm Thu")
    InitiativeFactory(person=only_initiative, recognised_on=campaign.starts_on)
    # Not counted: a grant before the campaign (2025), a person outside it, nobody with nothing.
    AwardGrantFactory(person=PersonFactory(unit=sector.units["alpha"]), year=2019)
    AwardGrantFactory(person=PersonFactory(unit=UnitFactory(code="ngoai")), year=2025)
    PersonFactory(unit=sector.units["alpha"], full_name="Chưa có gì")

    with django_assert_max_num_queries(1):
        best = review_people(campaign=campaign)
    assert [(row.person, row.titles, row.initiatives) for row in best] == [
        (minh, 2, 0),
        (hong, 1, 1),
        (only_initiative, 0, 1),
    ]

    award = AwardType.objects.get(code="BK_BO")
    url = reverse("awards:campaign_review_people", args=[campaign.code])
    with time_machine.travel(TODAY, tick=False):
        page = review_client.get(reverse("awards:campaign_review", args=[campaign.code]))
        assert f'value="{minh.pk}"' in page.content.decode()
        data = {"award_type": award.pk, "year": 2025, "people": [minh.pk, hong.pk]}
        assert review_client.post(url, data).status_code == 302
    started = Nomination.objects.filter(award_type=award, year=2025)
    assert {(n.person, n.proposing_unit, n.status) for n in started} == {
        (minh, minh.unit, "draft"),
        (hong, hong.unit, "draft"),
    }
    # Again with a third person: Minh already has one, so nothing is started, and the page
    # names him.
    data["people"] = [only_initiative.pk, minh.pk]
    with time_machine.travel(TODAY, tick=False):
        response = review_client.post(url, data, follow=True)
    assert Nomination.objects.filter(award_type=award, year=2025).count() == 2
    assert "Trần Văn Minh" in response.content.decode()
    # Nobody picked: refused with a message, nothing started.
    with time_machine.travel(TODAY, tick=False):
        response = review_client.post(url, {"award_type": award.pk, "year": 2025}, follow=True)
    assert Nomination.objects.filter(award_type=award, year=2025).count() == 2


def test_units_cannot_start_the_review_nominations_of_people(client, sector, sector_cast):
    url = reverse("awards:campaign_review_people", args=[sector.campaign.code])
    client.force_login(sector_cast["officer"])
    assert client.post(url, {}).status_code == 404
