import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from awards.demo import seed as awards_demo_seed
from awards.models import AwardGrant, Initiative, Nomination, NominationStep, TaskRating
from awards.selectors.council import agenda_candidates
from awards.selectors.publicity import public_publications
from units.demo import DemoRun
from units.models import User


def _counts():
    return tuple(
        model.objects.count()
        for model in (TaskRating, Initiative, AwardGrant, Nomination, NominationStep)
    )


@pytest.mark.django_db
def test_demo_gives_every_role_a_nomination_to_work_on_and_seeds_once(catalogue):
    call_command("seed_demo", stdout=io.StringIO())
    first = _counts()
    awards_demo_seed(run=DemoRun())
    assert _counts() == first
    # Cục Xuất nhập khẩu's own nominations (the council's meetings have others: see
    # test_demo_history.py).
    nominations = Nomination.objects.select_related("award_type").filter(
        proposing_unit__code="cuc-xnk"
    )
    statuses = {nomination.award_type.code: nomination.status for nomination in nominations}
    # The new order (NĐ 152/2025 Art 44.2): one nominee in its publicity window on /public/
    # while the board reviews it, one whose window is over, ready for a meeting's agenda.
    assert statuses == {
        "CSTDCS": "draft",
        "CSTD_BO": "published",
        "BK_BO": "in_review",
        "TTLDXS": "submitted",
        "CO_BO": "draft",  # the emulation bloc's proposal (blocs.demo)
    }
    draft = Nomination.objects.get(status="draft", person__isnull=False)
    # The officer can fix the failing rule by relying on the nominee's unused initiative.
    assert draft.eligibility_outcome == "not_met"
    assert Initiative.objects.filter(person=draft.person, used_by__isnull=True).exists()
    in_window = Nomination.objects.get(status="published")
    assert in_window.eligibility_outcome == "met"
    assert in_window.publication.status == "open"
    assert in_window.publication in public_publications()
    assert in_window.publication.comments.filter(status="approved").count() == 1
    ready = Nomination.objects.get(status="in_review")
    assert ready.publication.status == "closed"
    assert ready.publication.closes_on < timezone.localdate()
    assert ready in agenda_candidates(held_on=timezone.localdate() + datetime.timedelta(days=7))


@pytest.mark.django_db
def test_demo_unit_and_person_pages_answer_for_a_user_whose_name_has_a_dot(catalogue, client):
    # The demo's "canbo.hanoi" once gave a person code with a dot, which `<slug:code>` cannot
    # reverse: the unit's record page answered 500 for every reader.
    from units.models import Person

    call_command("seed_demo", stdout=io.StringIO())
    client.force_login(User.objects.get(username="canbo.hanoi"))
    assert client.get("/awards/units/sct-ha-noi/").status_code == 200
    person = Person.objects.get(user__username="canbo.hanoi")
    assert client.get(f"/awards/people/{person.code}/").status_code == 200
