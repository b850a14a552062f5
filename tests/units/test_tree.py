import datetime
import json

import pytest
from django.conf import settings
from django.db import IntegrityError

from tests.factories import UnitFactory
from units.models import Unit
from units.services import sector_load

D = datetime.date


@pytest.mark.django_db
def test_paths_follow_the_tree_and_subtrees_are_prefix_queries(
    ministry, unit, sub_unit, other_unit
):
    assert unit.path == f"/{ministry.pk}/{unit.pk}/"
    assert sub_unit.path == f"/{ministry.pk}/{unit.pk}/{sub_unit.pk}/"
    assert set(Unit.objects.descendants_of(unit)) == {sub_unit}
    assert set(Unit.objects.descendants_of(ministry)) == {unit, sub_unit, other_unit}
    assert list(sub_unit.ancestors()) == [ministry, unit]


@pytest.mark.django_db
def test_moving_a_unit_moves_its_whole_subtree(ministry, unit, sub_unit, other_unit):
    leaf = UnitFactory(code="leaf", parent=sub_unit)
    sub_unit.parent = other_unit
    sub_unit.save()
    leaf.refresh_from_db()
    assert leaf.path == f"/{ministry.pk}/{other_unit.pk}/{sub_unit.pk}/{leaf.pk}/"
    assert set(Unit.objects.descendants_of(other_unit)) == {sub_unit, leaf}
    assert not Unit.objects.descendants_of(unit).exists()


@pytest.mark.django_db
def test_a_unit_cannot_close_before_it_opens():
    with pytest.raises(IntegrityError):
        UnitFactory(opened_on=D(2025, 7, 1), closed_on=D(2025, 6, 30))


@pytest.mark.django_db
def test_the_2025_provincial_merger_gives_63_then_34_departments():
    data = json.loads((settings.BASE_DIR / "units/data/sector-units.json").read_text("utf-8"))
    sector_load(data=data)
    provincial = Unit.objects.filter(kind=Unit.Kind.PROVINCIAL)
    assert provincial.open_on(D(2025, 6, 30)).count() == 63
    assert provincial.open_on(D(2025, 7, 1)).count() == 34
    new_hcmc = Unit.objects.get(code="sct-ho-chi-minh-2025")
    assert sorted(new_hcmc.predecessors.values_list("province", flat=True)) == [
        "Bà Rịa - Vũng Tàu",
        "Bình Dương",
        "Hồ Chí Minh",
    ]
    assert Unit.objects.get(code="sct-ha-noi").closed_on is None  # unchanged by the merger
    assert Unit.objects.get(code="sct-ha-giang").successors.get().code == "sct-tuyen-quang-2025"
