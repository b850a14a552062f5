import pytest
from django.urls import reverse

from campaigns.services.campaigns import campaign_enrol_units
from tests.factories import IndicatorFactory, ObjectiveFactory, UnitFactory

ROLES = ["officer", "head", "outsider", "board", "secretary", "admin"]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_every_role_can_browse_the_campaign(client, cast, campaign, role):
    client.force_login(cast[role])
    page = client.get(reverse("campaigns:detail", args=[campaign.code])).content.decode()
    for objective in campaign.objectives.all():
        assert objective.title in page and objective.text in page
        for indicator in objective.indicators.all():
            assert indicator.name in page
    assert "Q3/2021" in page and "Q4/2026" in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("officer", 200),
        ("head", 200),
        ("board", 200),
        ("secretary", 200),
        ("admin", 200),
        ("outsider", 404),
    ],
)
def test_unit_page_is_only_for_those_who_may_read_the_unit(client, cast, unit, role, expected):
    client.force_login(cast[role])
    assert client.get(reverse("units:detail", args=[unit.code])).status_code == expected


@pytest.mark.django_db
def test_head_reads_sub_units_but_officer_does_not(client, cast, sub_unit):
    client.force_login(cast["head"])
    assert client.get(reverse("units:detail", args=[sub_unit.code])).status_code == 200
    client.force_login(cast["officer"])
    assert client.get(reverse("units:detail", args=[sub_unit.code])).status_code == 404


@pytest.mark.django_db
def test_unknown_unit_and_campaign_answer_404(client, cast):
    client.force_login(cast["admin"])
    assert client.get(reverse("units:detail", args=["khong-co"])).status_code == 404
    assert client.get(reverse("campaigns:detail", args=["khong-co"])).status_code == 404


@pytest.mark.django_db
def test_home_fits_the_role(client, cast, campaign, unit):
    client.force_login(cast["officer"])
    page = client.get("/").content.decode()
    assert unit.name in page and "Cán bộ phụ trách" in page
    assert f'href="{reverse("units:list")}"' not in page
    client.force_login(cast["secretary"])
    page = client.get("/").content.decode()
    assert "Thư ký Hội đồng" in page and f'href="{reverse("units:list")}"' in page


@pytest.mark.django_db
def test_participants_are_filtered_by_htmx_returning_only_the_results(client, cast, campaign):
    client.force_login(cast["board"])
    url = reverse("campaigns:participants", args=[campaign.code])
    full = client.get(url, {"q": "Cục B"})
    assert "<html" in full.content.decode() and "Cục B" in full.content.decode()
    fragment = client.get(url, {"q": "Cục B"}, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in fragment and 'id="results"' in fragment
    assert "Cục B" in fragment and "Cục A" not in fragment


@pytest.mark.django_db
def test_campaign_page_query_count_does_not_grow_with_objectives(
    client, cast, campaign, django_assert_max_num_queries
):
    client.force_login(cast["board"])
    url = reverse("campaigns:detail", args=[campaign.code])
    client.get(url)
    with django_assert_max_num_queries(10) as small:
        client.get(url)
    for number in range(3, 9):
        objective = ObjectiveFactory(campaign=campaign, number=number)
        IndicatorFactory.create_batch(4, objective=objective)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url)


@pytest.mark.django_db
def test_participants_page_query_count_does_not_grow_with_units(
    client, cast, campaign, django_assert_max_num_queries
):
    client.force_login(cast["board"])
    url = reverse("campaigns:participants", args=[campaign.code])
    client.get(url)
    with django_assert_max_num_queries(12) as small:
        client.get(url)
    campaign_enrol_units(campaign=campaign, units=UnitFactory.create_batch(30))
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url)
