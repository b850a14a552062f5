import datetime
import io

import pytest
import time_machine
from django.core.management import call_command

from awards.models import Nomination
from blocs.models import BlocYear, RankEntry


@pytest.mark.django_db
@time_machine.travel(datetime.datetime(2026, 12, 22, 9, 0, tzinfo=datetime.UTC), tick=True)
def test_the_demo_has_one_bloc_with_a_complete_year(catalogue):
    call_command("seed_demo", stdout=io.StringIO())
    bloc_year = BlocYear.objects.get(bloc__code="khoi-cuc", year=2026)
    assert bloc_year.is_published
    assert bloc_year.signatures.count() == bloc_year.members.count() >= 3
    assert RankEntry.objects.filter(bloc_year=bloc_year).count() == bloc_year.members.count()
    first = bloc_year.ranking.get(rank=1)
    nomination = Nomination.objects.get(unit=first.unit, award_type__code="CO_BO", year=2026)
    assert nomination.attachments.count() == 2
    line = next(row for row in nomination.eligibility["lines"] if row.get("code") == "leads_bloc")
    assert line["outcome"] == "met"
    call_command("seed_demo", stdout=io.StringIO())  # idempotent
    assert BlocYear.objects.filter(bloc__code="khoi-cuc").count() == 1
