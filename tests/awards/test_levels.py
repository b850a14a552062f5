"""Each award decided at its level (Law on Emulation and Commendation 2022, Art 80): units with
commendation authority, their councils, routing at submission, unit-level decisions in the
history and the chains, and who may read and act at which level."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from awards.models import AwardGrant, Council, CouncilMember, Decision, Meeting, Nomination
from awards.selectors.levels import deciding_unit_for
from awards.selectors.nominations import nomination_evaluate
from awards.services.council import (
    ballot_cast,
    council_save,
    meeting_agenda_add,
    meeting_attendance_record,
    meeting_ballot_close,
    meeting_ballot_open,
    meeting_schedule,
)
from awards.services.decisions import decision_record
from awards.services.nominations import (
    nomination_screening_accept,
    nomination_screening_start,
    nomination_submit,
)
from tests.awards.conftest import COUNCIL_START, PASSPHRASES, YEAR, complete_dossier
from tests.factories import AwardGrantFactory, MembershipFactory, UnitFactory, UserFactory
from units.models import Membership, Unit, User
from units.roles import roles_of

pytestmark = pytest.mark.django_db

D = datetime.date


def _fresh(user: User) -> User:
    return User.objects.get(pk=user.pk)


# --- Routing -----------------------------------------------------------------------------------


@pytest.fixture
def tree(ministry):
    """Units of every kind, with the shipped mapping of authority (agencies, public service
    units, corporations) and an agency that lost it."""
    office = UnitFactory(code="vu-x", kind=Unit.Kind.DEPARTMENT, parent=ministry)
    agency = UnitFactory(
        code="cuc-x", kind=Unit.Kind.AGENCY, parent=ministry, commendation_authority=True
    )
    bare_agency = UnitFactory(code="cuc-y", kind=Unit.Kind.AGENCY, parent=ministry)
    corporation = UnitFactory(
        code="tct-x", kind=Unit.Kind.CORPORATION, parent=ministry, commendation_authority=True
    )
    enterprise = UnitFactory(code="cty-x", kind=Unit.Kind.ENTERPRISE, parent=corporation)
    institute = UnitFactory(
        code="vien-x",
        kind=Unit.Kind.PUBLIC_SERVICE,
        parent=ministry,
        commendation_authority=True,
    )
    return {
        "office": office,
        "agency": agency,
        "bare_agency": bare_agency,
        "corporation": corporation,
        "enterprise": enterprise,
        "institute": institute,
    }


@pytest.mark.parametrize(
    ("award", "proposing", "decided_at"),
    [
        pytest.param(
            "CSTDCS", "agency", "agency", id="Law Art 80: CSTĐCS at an agency with authority"
        ),
        pytest.param(
            "LDTT", "institute", "institute", id="Law Art 80: LĐTT at a public service unit"
        ),
        pytest.param(
            "TTLDTT", "corporation", "corporation", id="Law Art 80: TTLĐTT at a corporation"
        ),
        pytest.param(
            "GIAY_KHEN", "agency", "agency", id="Law Art 80: Giấy khen by the agency's head"
        ),
        pytest.param(
            "CSTDCS",
            "enterprise",
            "corporation",
            id="Law Art 80: an enterprise without authority sends CSTĐCS up to its corporation",
        ),
        pytest.param(
            "LDTT",
            "office",
            None,
            id="Law Art 80: a department of the Ministry's office sends LĐTT to the Ministry",
        ),
        pytest.param(
            "CSTDCS",
            "bare_agency",
            None,
            id="Law Art 80: an agency without authority sends CSTĐCS to the Ministry",
        ),
        pytest.param(
            "CSTD_BO", "agency", None, id="Law Art 79: CSTĐ Bộ stays with the Ministry's council"
        ),
        pytest.param(
            "BK_BO", "enterprise", None, id="Law Art 79: Bằng khen Bộ stays with the Ministry"
        ),
        pytest.param(
            "CSTDTQ", "agency", None, id="Law Art 78: CSTĐTQ is forwarded by the Ministry"
        ),
    ],
)
def test_each_award_goes_to_its_level(tree, catalogue, award, proposing, decided_at):
    unit = deciding_unit_for(award_type=catalogue[award], proposing_unit=tree[proposing])
    assert unit == (tree[decided_at] if decided_at else None)


def test_the_shipped_units_hold_authority_by_kind():
    """Law Art 80: the sector's agencies, public service units and corporations (units
    migration 0006 and the sector's data)."""
    import json

    from units.demo import SECTOR_FILE

    rows = json.loads(SECTOR_FILE.read_text(encoding="utf-8"))["units"]
    holders = {row["kind"] for row in rows if row["commendation_authority"]}
    others = {row["kind"] for row in rows if not row["commendation_authority"]}
    assert holders == {"agency", "public_service", "corporation"}
    assert others == {"ministry", "department", "enterprise", "provincial", "union"}


# --- A unit's council --------------------------------------------------------------------------


@pytest.fixture
def unit_a(unit):
    Unit.objects.filter(pk=unit.pk).update(commendation_authority=True)
    unit.refresh_from_db()
    return unit


@pytest.fixture
def unit_b(other_unit):
    Unit.objects.filter(pk=other_unit.pk).update(commendation_authority=True)
    other_unit.refresh_from_db()
    return other_unit


def _unit_council(unit, prefix, head=None):
    council = Council.objects.create(
        unit=unit, name=f"HĐTĐKT {unit.name}", term_start=COUNCIL_START, term_end=D(2028, 12, 31)
    )
    chair = head or UserFactory(username=f"{prefix}-chair")
    seats = {
        "chair": chair,
        "member": UserFactory(username=f"{prefix}-member"),
        "secretary": UserFactory(username=f"{prefix}-secretary"),
    }
    for role, user in seats.items():
        CouncilMember.objects.create(
            council=council, user=user, role=role, term_start=COUNCIL_START
        )
    return council, seats


@pytest.fixture
def level_a(unit_a, cast):
    council, seats = _unit_council(unit_a, "a", head=cast["head"])
    return {"council": council, **seats}


@pytest.fixture
def level_b(unit_b):
    council, seats = _unit_council(unit_b, "b")
    head = UserFactory(username="b-head")
    MembershipFactory(user=head, unit=unit_b, role=Membership.Role.HEAD)
    return {"council": council, "head": head, **seats}


@pytest.mark.parametrize(
    ("unit_key", "start", "end", "refused"),
    [
        pytest.param(
            "a", D(2027, 1, 1), None, True, id="Law Art 80: one council of a unit at a time"
        ),
        pytest.param(
            "a", D(2029, 1, 1), None, False, id="Law Art 80: the unit's next council after its term"
        ),
        pytest.param(
            "b",
            D(2027, 1, 1),
            None,
            False,
            id="Law Art 80: another unit's council may overlap it",
        ),
        pytest.param(
            None, D(2027, 1, 1), None, False, id="Law Art 80: the Ministry's council overlaps it"
        ),
    ],
)
def test_councils_overlap_only_at_another_level(level_a, unit_b, unit_key, start, end, refused):
    unit = {"a": level_a["council"].unit, "b": unit_b, None: None}[unit_key]
    if refused:
        with pytest.raises(ValidationError):
            council_save(
                unit=unit, name="", established_by="", term_start=start, term_end=end, actor=None
            )
    else:
        council = council_save(
            unit=unit, name="", established_by="", term_start=start, term_end=end, actor=None
        )
        assert council.unit == unit
        if unit is not None:
            assert council.name == f"Hội đồng Thi đua - Khen thưởng {unit.name}"


def test_a_unit_without_authority_has_no_council(unit):
    with pytest.raises(ValidationError) as error:
        council_save(
            unit=unit,
            name="",
            established_by="",
            term_start=D(2024, 1, 1),
            term_end=None,
            actor=None,
        )
    assert "authority" in str(error.value.messages) or error.value.error_dict["unit"]


def test_a_unit_seat_is_in_the_roles_in_the_same_query(level_a, unit_a, cast):
    secretary = _fresh(level_a["secretary"])
    with CaptureQueriesContext(connection) as queries:
        roles = roles_of(secretary)
    assert len(queries) == 2  # groups, board seat and unit seats in one UNION; memberships
    assert roles.secretary_unit_ids == {unit_a.pk}
    assert roles.council_unit_ids == {unit_a.pk}
    assert not roles.is_secretary and not roles.is_board_member
    member = roles_of(_fresh(level_a["member"]))
    assert member.council_unit_ids == {unit_a.pk} and not member.secretary_unit_ids
    # A seat on a unit's council is not a seat on the Ministry's board.
    assert not roles_of(_fresh(cast["head"])).is_board_member


def test_an_ended_unit_seat_gives_no_role(level_a):
    CouncilMember.objects.filter(user=level_a["member"]).update(term_end=D(2024, 6, 30))
    assert not roles_of(_fresh(level_a["member"])).council_unit_ids


# --- The journey at a unit, through the services -------------------------------------------------


def _to_unit_review(nomination, cast, level):
    complete_dossier(nomination, cast["officer"])
    nomination = nomination_submit(nomination=nomination, actor=cast["head"])
    nomination = nomination_screening_start(nomination=nomination, actor=level["secretary"])
    return nomination_screening_accept(nomination=nomination, actor=level["secretary"])


def _unit_vote(level, nominations, *, approve=True):
    secretary = level["secretary"]
    members = [level["chair"], level["member"], secretary]
    meeting = meeting_schedule(
        held_on=D.today(), title="", location="", actor=secretary, unit=level["council"].unit
    )
    meeting_agenda_add(meeting=meeting, nominations=nominations, actor=secretary)
    meeting_attendance_record(meeting=meeting, present=members, actor=secretary)
    meeting = meeting_ballot_open(meeting=meeting, actor=secretary, **PASSPHRASES)
    for member in members:
        ballot_cast(
            meeting=meeting,
            member=member,
            choices=dict.fromkeys(nominations, approve),
            actor=member,
        )
    return meeting_ballot_close(meeting=meeting, actor=secretary, **PASSPHRASES)


@pytest.fixture
def unit_nomination(draft_for, cast, level_a):
    return _to_unit_review(draft_for(), cast, level_a)


def test_the_unit_council_votes_and_its_head_decides_into_the_history(
    unit_nomination, level_a, unit_a, cast, catalogue
):
    assert unit_nomination.deciding_unit == unit_a
    person = unit_nomination.person
    for year in (YEAR - 2, YEAR - 1):
        AwardGrantFactory(person=person, award_type=catalogue["CSTDCS"], year=year)
    cstd_bo = Nomination(person=person, award_type=catalogue["CSTD_BO"], year=YEAR)

    def chain() -> str:
        return str(nomination_evaluate(cstd_bo).line("three_consecutive_cstdcs").outcome)

    assert chain() != "met"  # the third year is still with the unit
    meeting = _unit_vote(level_a, [unit_nomination])
    assert meeting.council.unit == unit_a and meeting.council_size == 3
    unit_nomination.refresh_from_db()
    assert unit_nomination.status == Nomination.Status.APPROVED
    decision = decision_record(
        kind=Decision.Kind.DECISION,
        number="12/QĐ-XNK",
        signed_on=D.today(),
        signer="Đỗ Minh Tuấn",
        signer_title="Cục trưởng",
        issuer=f"Thủ trưởng {unit_a.name}",
        nominations=[unit_nomination],
        actor=cast["head"],
        unit=unit_a,
    )
    assert decision.unit == unit_a
    grant = AwardGrant.objects.get(nomination=unit_nomination)
    assert grant.award_type.code == "CSTDCS" and grant.issuer == f"Thủ trưởng {unit_a.name}"
    # Law Art 22: the unit's CSTĐCS counts toward CSTĐ Bộ as a ministry-recorded one would.
    assert chain() == "met"


def test_the_ministry_cannot_decide_a_unit_nomination(unit_nomination, level_a, cast):
    _unit_vote(level_a, [unit_nomination])
    with pytest.raises(ValidationError) as error:
        decision_record(
            kind=Decision.Kind.DECISION,
            number="120/QĐ-BCT",
            signed_on=D.today(),
            signer="A",
            signer_title="",
            issuer="Bộ trưởng Bộ Công Thương",
            nominations=[unit_nomination],
            actor=cast["secretary"],
        )
    assert error.value.code == "level"
    assert not AwardGrant.objects.exists()


def test_another_council_cannot_put_it_on_its_agenda(unit_nomination, level_b):
    meeting = meeting_schedule(
        held_on=D.today(), title="", location="", actor=None, unit=level_b["council"].unit
    )
    with pytest.raises(ValidationError) as error:
        meeting_agenda_add(meeting=meeting, nominations=[unit_nomination], actor=None)
    assert error.value.code == "level"
    unit_nomination.refresh_from_db()
    assert unit_nomination.status == Nomination.Status.IN_REVIEW


# --- Who reads and acts at which level ------------------------------------------------------------


@pytest.fixture
def unit_meeting(unit_nomination, level_a):
    secretary = level_a["secretary"]
    meeting = meeting_schedule(
        held_on=D.today(), title="", location="", actor=secretary, unit=level_a["council"].unit
    )
    meeting_agenda_add(meeting=meeting, nominations=[unit_nomination], actor=secretary)
    return meeting


def _who(cast, level_a, level_b, name):
    return {
        "a-secretary": level_a["secretary"],
        "a-member": level_a["member"],
        "b-secretary": level_b["secretary"],
        "b-member": level_b["member"],
        "b-head": level_b["head"],
        "ministry-secretary": cast["secretary"],
        "ministry-board": cast["board"],
        "admin": cast["admin"],
    }[name]


@pytest.mark.parametrize(
    ("who", "status"),
    [
        pytest.param("a-secretary", 200, id="Law Art 80: the unit's secretary reads it"),
        pytest.param(
            "a-member", 200, id="Law Art 80: the unit's council member reads it in review"
        ),
        pytest.param("b-secretary", 404, id="Law Art 80: another unit's secretary does not"),
        pytest.param("b-member", 404, id="Law Art 80: another unit's council member does not"),
        pytest.param("b-head", 404, id="Law Art 80: another unit's head does not"),
        pytest.param("ministry-board", 404, id="Law Art 80: the Ministry's board does not"),
        pytest.param(
            "ministry-secretary",
            200,
            id="Law Art 80: the Ministry's secretary reads it (read-only)",
        ),
        pytest.param("admin", 200, id="the administrator reads everything"),
    ],
)
def test_who_reads_a_unit_nomination(client, cast, level_a, level_b, unit_nomination, who, status):
    client.force_login(_who(cast, level_a, level_b, who))
    response = client.get(reverse("awards:detail", args=[unit_nomination.pk]))
    assert response.status_code == status


@pytest.mark.parametrize(
    ("who", "status"),
    [
        pytest.param("a-secretary", 200, id="Law Art 80: the unit's secretary runs its meeting"),
        pytest.param("a-member", 200, id="Law Art 80: the unit's member reads its meeting"),
        pytest.param("b-secretary", 404, id="Law Art 80: another unit's secretary cannot"),
        pytest.param("b-member", 404, id="Law Art 80: another unit's member cannot"),
        pytest.param("ministry-board", 404, id="Law Art 80: the Ministry's board cannot"),
        pytest.param(
            "ministry-secretary", 404, id="Law Art 80: the Ministry's secretary cannot either"
        ),
        pytest.param("admin", 200, id="the administrator reads every meeting"),
    ],
)
def test_who_reads_a_unit_meeting(client, cast, level_a, level_b, unit_meeting, who, status):
    client.force_login(_who(cast, level_a, level_b, who))
    assert client.get(reverse("awards:meeting", args=[unit_meeting.pk])).status_code == status
    assert client.get(reverse("awards:ballot", args=[unit_meeting.pk])).status_code in {
        404 if status == 404 else 403,
        302,
    }


@pytest.mark.parametrize(
    ("who", "status"),
    [
        pytest.param("b-secretary", 404, id="Law Art 80: another unit's secretary: not found"),
        pytest.param("ministry-secretary", 404, id="Law Art 80: the Ministry's secretary: no"),
        pytest.param("a-member", 403, id="Law Art 80: a member does not run the meeting"),
    ],
)
def test_only_the_units_secretary_acts_on_its_meeting(
    client, cast, level_a, level_b, unit_meeting, unit_nomination, who, status
):
    client.force_login(_who(cast, level_a, level_b, who))
    for name, args in (
        ("attendance", [unit_meeting.pk]),
        ("meeting_cancel", [unit_meeting.pk]),
        ("agenda_remove", [unit_meeting.pk, unit_nomination.pk]),
        ("ballot_open", [unit_meeting.pk]),
        ("written_ballot", [unit_meeting.pk]),
    ):
        assert client.post(reverse(f"awards:{name}", args=args)).status_code == status, name
    unit_meeting.refresh_from_db()
    assert unit_meeting.status == "scheduled" and unit_meeting.tallies.count() == 1


@pytest.mark.parametrize(
    ("who", "status"),
    [
        pytest.param("a-secretary", 302, id="Law Art 80: the unit's secretary screens"),
        pytest.param("b-secretary", 404, id="Law Art 80: another unit's secretary cannot read it"),
        pytest.param(
            "ministry-secretary", 403, id="Law Art 80: the Ministry's secretary reads, not screens"
        ),
    ],
)
def test_who_screens_a_unit_nomination(client, cast, draft_for, level_a, level_b, who, status):
    nomination = draft_for()
    complete_dossier(nomination, cast["officer"])
    nomination = nomination_submit(nomination=nomination, actor=cast["head"])
    client.force_login(_who(cast, level_a, level_b, who))
    response = client.post(reverse("awards:screening_start", args=[nomination.pk]))
    assert response.status_code == status
    nomination.refresh_from_db()
    assert nomination.status == ("screening" if status == 302 else "submitted")


@pytest.mark.parametrize(
    ("who", "status"),
    [
        pytest.param("a-member", 302, id="Law Art 80: the unit's council member reviews"),
        pytest.param("b-member", 404, id="Law Art 80: another unit's member cannot"),
        pytest.param("ministry-board", 404, id="Law Art 80: the Ministry's board cannot"),
    ],
)
def test_who_reviews_a_unit_nomination(
    client, cast, level_a, level_b, unit_nomination, who, status
):
    client.force_login(_who(cast, level_a, level_b, who))
    response = client.post(
        reverse("awards:review", args=[unit_nomination.pk]),
        {"recommendation": "support", "score": "8", "comment": ""},
    )
    assert response.status_code == status


def test_lists_show_each_level_its_own(
    client, cast, level_a, level_b, unit_meeting, unit_nomination
):
    client.force_login(level_b["secretary"])
    assert unit_nomination.pk not in [
        n.pk for n in client.get(reverse("awards:list")).context["page"]
    ]
    assert unit_meeting.pk not in [
        m.pk for m in client.get(reverse("awards:meetings")).context["page"]
    ]
    client.force_login(level_a["member"])
    assert unit_nomination.pk in [n.pk for n in client.get(reverse("awards:list")).context["page"]]
    assert unit_meeting.pk in [m.pk for m in client.get(reverse("awards:meetings")).context["page"]]
    client.force_login(cast["board"])
    assert unit_meeting.pk not in [
        m.pk for m in client.get(reverse("awards:meetings")).context["page"]
    ]


def test_a_unit_secretary_schedules_for_their_unit_only(client, cast, level_a, level_b, unit_a):
    client.force_login(level_a["secretary"])
    response = client.post(
        reverse("awards:meeting_create"),
        {"held_on": D.today().isoformat(), "title": "", "location": ""},
    )
    assert response.status_code == 302
    assert Council.objects.get(meetings__isnull=False).unit == unit_a
    other = level_b["council"].unit.code
    response = client.post(
        reverse("awards:meeting_create") + f"?unit={other}",
        {"held_on": D.today().isoformat(), "title": "", "location": ""},
    )
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("who", "status"),
    [
        pytest.param("a-head", 200, id="Law Art 80: the unit's head records its decisions"),
        pytest.param("b-head", 404, id="Law Art 80: another unit's head cannot for this unit"),
        pytest.param("a-secretary", 403, id="Law Art 80: the unit's secretary does not decide"),
    ],
)
def test_who_records_a_units_decision(client, cast, level_a, level_b, unit_a, who, status):
    user = cast["head"] if who == "a-head" else _who(cast, level_a, level_b, who)
    client.force_login(user)
    response = client.get(reverse("awards:decision_create") + f"?unit={unit_a.code}")
    assert response.status_code == status


def test_the_head_records_the_decision_on_the_page(client, cast, level_a, unit_a, unit_nomination):
    _unit_vote(level_a, [unit_nomination])
    client.force_login(cast["head"])
    page = client.get(reverse("awards:decision_create") + f"?unit={unit_a.code}")
    assert [n.pk for n in page.context["form"].fields["nominations"].queryset] == [
        unit_nomination.pk
    ]
    assert page.context["form"]["issuer"].value() == f"Thủ trưởng {unit_a.name}"
    response = client.post(
        reverse("awards:decision_create") + f"?unit={unit_a.code}",
        {
            "number": "7/QĐ-CA",
            "signed_on": D.today().strftime("%d/%m/%Y"),
            "signer": "Trưởng A",
            "signer_title": "Cục trưởng",
            "issuer": f"Thủ trưởng {unit_a.name}",
            "nominations": [unit_nomination.pk],
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    decision = Decision.objects.get()
    assert decision.unit == unit_a
    # The Ministry's secretary sees no unit nomination waiting for a Ministry decision.
    client.force_login(cast["secretary"])
    assert client.get(reverse("awards:decisions")).context["ready"]["decision"] == 0
    # Another unit's head does not read it.
    other = UserFactory(username="other-head")
    MembershipFactory(user=other, unit=UnitFactory(code="cuc-z", commendation_authority=True))
    Membership.objects.filter(user=other).update(role=Membership.Role.HEAD)
    client.force_login(other)
    assert client.get(reverse("awards:decision", args=[decision.pk])).status_code == 404


def test_a_units_documents_name_the_unit(client, cast, level_a, unit_a, unit_nomination):
    """Law Art 80: the unit's council proposes to its head, and the head decides."""
    from tests.awards.test_documents import _text

    meeting = _unit_vote(level_a, [unit_nomination])
    client.force_login(level_a["secretary"])
    letter = _text(client.get(reverse("awards:cover_letter", args=[meeting.pk])).getvalue())
    assert unit_a.name.upper() in letter and f"Kính gửi: Thủ trưởng {unit_a.name}" in letter
    decision = decision_record(
        kind=Decision.Kind.DECISION,
        number="9/QĐ-CA",
        signed_on=D.today(),
        signer="Trưởng A",
        signer_title="",
        issuer=f"Thủ trưởng {unit_a.name}",
        nominations=[unit_nomination],
        actor=cast["head"],
        unit=unit_a,
    )
    client.force_login(cast["head"])
    text = _text(client.get(reverse("awards:decision_document", args=[decision.pk])).getvalue())
    assert f"Hội đồng Thi đua - Khen thưởng {unit_a.name}" in text
    assert f"THỦ TRƯỞNG {unit_a.name.upper()}" in text


def test_the_admin_screening_actions_keep_to_the_ministrys_level(client, cast, draft_for, level_a):
    """Law Art 80: the Ministry's secretary cannot screen a unit's nomination from the admin."""
    from tests.awards.test_admin import _action

    nomination = draft_for()
    complete_dossier(nomination, cast["officer"])
    nomination_submit(nomination=nomination, actor=cast["head"])
    client.force_login(cast["secretary"])
    response = _action(client, "start_screening", [nomination], index=0)
    assert "được Hội đồng cấp đó thẩm định" in response.content.decode()
    nomination.refresh_from_db()
    assert nomination.status == "submitted"


@pytest.mark.django_db(transaction=True)
def test_the_migration_grants_authority_by_kind_and_says_so(capsys):
    """Law Art 80: units migration 0006 gives the existing agencies, public service units and
    corporations commendation authority, and the others none; it prints what it changed."""
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.migrate([("units", "0005_person_codes_as_slugs")])
    old = executor.loader.project_state([("units", "0005_person_codes_as_slugs")]).apps
    OldUnit = old.get_model("units", "Unit")
    kinds = ["ministry", "department", "agency", "public_service", "corporation", "enterprise"]
    ids = {
        kind: OldUnit.objects.create(code=f"m-{kind}", name=kind, kind=kind).pk for kind in kinds
    }
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    holds = {kind: Unit.objects.get(pk=pk).commendation_authority for kind, pk in ids.items()}
    assert holds == {
        "ministry": False,
        "department": False,
        "agency": True,
        "public_service": True,
        "corporation": True,
        "enterprise": False,
    }
    assert "3 agencies, public service units and corporations" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("who", "status", "manages"),
    [
        pytest.param("a-secretary", 200, True, id="Law Art 80: the unit's secretary keeps it"),
        pytest.param("a-member", 200, False, id="Law Art 80: the unit's member reads it"),
        pytest.param("b-secretary", 404, False, id="Law Art 80: another unit's secretary: no"),
        pytest.param("b-head", 404, False, id="Law Art 80: another unit's head: no"),
        pytest.param(
            "ministry-secretary", 200, True, id="Law Art 80: the Ministry records every council"
        ),
        pytest.param("ministry-board", 200, False, id="the Ministry's board reads the councils"),
    ],
)
def test_who_reads_and_keeps_a_unit_council(client, cast, level_a, level_b, who, status, manages):
    council = level_a["council"]
    client.force_login(_who(cast, level_a, level_b, who))
    assert client.get(reverse("awards:council", args=[council.pk])).status_code == status
    listed = client.get(reverse("awards:councils")).context["councils"]
    assert (council in listed) == (status == 200)
    seat = CouncilMember.objects.filter(council=council).first()
    edit = client.get(reverse("awards:seat_edit", args=[seat.pk])).status_code
    assert edit == (200 if manages else status if status == 404 else 403)


@pytest.mark.parametrize(
    ("who", "linked"),
    [
        pytest.param("ministry-secretary", False, id="Law Art 80: listed, not linked"),
        pytest.param("admin", True, id="the administrator opens every meeting"),
    ],
)
def test_the_overview_links_a_unit_meeting_only_for_who_reads_it(
    client, cast, level_a, level_b, unit_meeting, who, linked
):
    client.force_login(_who(cast, level_a, level_b, who))
    page = client.get(reverse("awards:overview")).content.decode()
    assert str(unit_meeting) in page
    link = reverse("awards:meeting", args=[unit_meeting.pk])
    assert (f'href="{link}"' in page) is linked
    if not linked:
        # Every meeting the page links to opens for this reader.
        for other in Meeting.objects.exclude(pk=unit_meeting.pk):
            if reverse("awards:meeting", args=[other.pk]) in page:
                assert client.get(reverse("awards:meeting", args=[other.pk])).status_code == 200
