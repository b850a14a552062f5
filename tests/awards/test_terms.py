"""The law in force on the day (issue 12, points 6 and 7b): the catalogue's dated terms, the
threshold of the meeting day frozen on the tally, publicity of the opening day, and the
council's size on the meeting day (disabled accounts, the secretary's seat)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from awards.models import AwardTerms, CouncilMember, Meeting, Publication, VoteTally
from awards.selectors.catalogue import (
    award_types_with_terms,
    guiding_decree_on,
    publicity_days_on,
)
from awards.selectors.council import (
    council_members,
    meeting_detail,
    meeting_results,
    meeting_seats,
)
from awards.services.council import (
    ballot_cast,
    council_seat_save,
    meeting_agenda_add,
    meeting_attendance_record,
    meeting_ballot_close,
    meeting_ballot_open,
    meeting_schedule,
)
from awards.services.publicity import publication_schedule
from tests.awards.conftest import PASSPHRASES, run_meeting
from tests.needs import need_postgres

pytestmark = pytest.mark.django_db

LAST_DAY_NĐ98 = datetime.date(2025, 6, 30)  # a Monday
FIRST_DAY_NĐ152 = datetime.date(2025, 7, 1)


def _set_terms(award, day, **values) -> AwardTerms:
    terms = award.terms_on(day)
    for name, value in values.items():
        setattr(terms, name, value)
    terms.save()
    return terms


def _close(cast, meeting) -> Meeting:
    return meeting_ballot_close(meeting=meeting, actor=cast["secretary"], **PASSPHRASES)


# --- The catalogue's terms ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "decree", "ballot_source", "publicity_source"),
    [
        pytest.param(
            datetime.date(2024, 1, 1),
            "98/2023/NĐ-CP",
            "Nghị định 98/2023/NĐ-CP, Điều 30.7",
            "Nghị định 98/2023/NĐ-CP, Điều 46.2",
            id="NĐ98 Art30.7/46.2: first day 01/01/2024",
        ),
        pytest.param(
            LAST_DAY_NĐ98,
            "98/2023/NĐ-CP",
            "Nghị định 98/2023/NĐ-CP, Điều 30.7",
            "Nghị định 98/2023/NĐ-CP, Điều 46.2",
            id="NĐ98 Art30.7/46.2: last day 30/06/2025",
        ),
        pytest.param(
            FIRST_DAY_NĐ152,
            "152/2025/NĐ-CP",
            "Nghị định 152/2025/NĐ-CP (chưa xác nhận giữ quy định của Nghị định 98/2023/NĐ-CP, "
            "Điều 30.7)",
            "Nghị định 152/2025/NĐ-CP, Điều 44.2",
            id="NĐ152 Art44.2: first day 01/07/2025, thresholds [U]",
        ),
    ],
)
def test_the_terms_in_force_on_the_day_cite_their_decree(
    catalogue, day, decree, ballot_source, publicity_source
):
    terms = catalogue["CSTDTQ"].terms_on(day)
    assert (terms.secret_ballot, terms.ballot_threshold_percent) == (True, 90)
    assert terms.ballot_source == ballot_source
    assert terms.publicity_source == publicity_source
    assert terms.publicity_working_days == 10 and not terms.publicity_unconfirmed
    assert terms.ballot_unconfirmed  # the text of Art 30.7 / NĐ 152 keeping it: [U]
    assert guiding_decree_on(day) == decree


def test_no_terms_before_the_law_came_into_force_is_a_translated_refusal(catalogue):
    with pytest.raises(ValidationError) as refused:
        catalogue["CSTDCS"].terms_on(datetime.date(2023, 12, 31))
    assert refused.value.code == "no_terms"
    assert guiding_decree_on(datetime.date(2023, 12, 31)) is None


@pytest.mark.parametrize(
    ("valid_from", "valid_until", "overlaps"),
    [
        pytest.param((2025, 6, 30), None, True, id="NĐ98/NĐ152: starts on NĐ98's last day"),
        pytest.param((2023, 1, 1), (2024, 1, 1), True, id="NĐ98: ends on its first day"),
        pytest.param((2026, 1, 1), (2026, 12, 31), True, id="NĐ152: inside the open period"),
        pytest.param((2023, 1, 1), (2023, 12, 31), False, id="NĐ98: the day before → allowed"),
    ],
)
def test_overlapping_periods_are_refused(catalogue, valid_from, valid_until, overlaps):
    terms = AwardTerms(
        award_type=catalogue["CSTDCS"],
        valid_from=datetime.date(*valid_from),
        valid_until=datetime.date(*valid_until) if valid_until else None,
        secret_ballot=True,
        ballot_threshold_percent=80,
        ballot_source="Thử",
        publicity_source="Thử",
    )
    if overlaps:
        with pytest.raises(ValidationError) as refused:
            terms.full_clean()
        assert [error.code for error in refused.value.error_dict["__all__"]] == ["overlap"]
    else:
        terms.full_clean()


def test_postgresql_refuses_overlapping_periods_even_without_clean(catalogue):
    need_postgres()
    with pytest.raises(IntegrityError), transaction.atomic():
        AwardTerms.objects.create(
            award_type=catalogue["CSTDCS"],
            valid_from=datetime.date(2026, 1, 1),
            ballot_source="Thử",
            publicity_source="Thử",
        )


def test_a_ballot_without_a_threshold_and_a_value_without_source_are_refused(catalogue):
    terms = catalogue["LDTT"].terms_on(FIRST_DAY_NĐ152)
    terms.secret_ballot = True  # no threshold
    with pytest.raises(ValidationError):
        terms.full_clean()
    terms.secret_ballot, terms.ballot_source = False, ""
    with pytest.raises(ValidationError):
        terms.full_clean()


def test_the_catalogue_reads_every_awards_terms_in_two_queries(
    catalogue, django_assert_max_num_queries
):
    with django_assert_max_num_queries(2):
        days = {
            award.code: award.terms_on(FIRST_DAY_NĐ152).publicity_working_days
            for award in award_types_with_terms()
        }
    assert days["CSTDTQ"] == 10 and days["LDTT"] == 0


# --- The ballot applies the threshold of the meeting day (NĐ 98 Art 30.7 / NĐ 152) -----------


@pytest.mark.parametrize(
    ("held_on", "approvals", "outcome", "percent", "source"),
    [
        pytest.param(
            LAST_DAY_NĐ98,
            4,
            "approved",
            80,
            "Nghị định 98/2023/NĐ-CP, Điều 30.7",
            id="NĐ98 Art30.7: meeting 30/06/2025, 4 of 5 reach 80% → approved",
        ),
        pytest.param(
            FIRST_DAY_NĐ152,
            4,
            "rejected",
            100,
            "Nghị định 152/2025/NĐ-CP",
            id="NĐ152 [U] set to 100%: meeting 01/07/2025, 4 of 5 → rejected",
        ),
        pytest.param(
            FIRST_DAY_NĐ152,
            5,
            "approved",
            100,
            "Nghị định 152/2025/NĐ-CP",
            id="NĐ152 [U] set to 100%: meeting 01/07/2025, 5 of 5 → approved",
        ),
    ],
)
def test_the_ballot_applies_the_threshold_in_force_on_the_meeting_day(
    cast, council, members, in_review, catalogue, held_on, approvals, outcome, percent, source
):
    # The administrator changed the [U] threshold of the NĐ 152 period only.
    _set_terms(catalogue["CSTDCS"], FIRST_DAY_NĐ152, ballot_threshold_percent=100)
    nomination = in_review()
    votes = {index: {0: index < approvals} for index in range(5)}
    meeting = _close(cast, run_meeting(cast, members, [nomination], votes, held_on=held_on))
    tally = VoteTally.objects.get(meeting=meeting)
    assert tally.outcome == outcome
    assert (tally.threshold_rule, tally.threshold_percent) == ("at_least", percent)
    assert tally.threshold_source.startswith(source)


def test_a_threshold_changed_after_the_ballot_closed_changes_nothing_closed(
    client, cast, council, members, in_review, catalogue
):
    """NĐ 98 Art 30.7: the closed result, the meeting page and the minutes keep the 80 %
    applied on 30/06/2025 after the catalogue's value is changed."""
    nomination = in_review()
    votes = {index: {0: index < 4} for index in range(5)}
    meeting = _close(cast, run_meeting(cast, members, [nomination], votes, held_on=LAST_DAY_NĐ98))
    _set_terms(catalogue["CSTDCS"], LAST_DAY_NĐ98, ballot_threshold_percent=100)
    [row] = meeting_results(meeting_detail(pk=meeting.pk))
    assert row.approved and "80%" in row.threshold
    assert row.source == "Nghị định 98/2023/NĐ-CP, Điều 30.7"
    client.force_login(cast["secretary"])
    page = client.get(reverse("awards:meeting", args=[meeting.pk])).content.decode()
    assert "80%" in page and "Nghị định 98/2023/NĐ-CP, Điều 30.7" in page
    assert "100%" not in page
    nomination.refresh_from_db()
    assert nomination.status == "approved"


def test_the_meeting_page_shows_the_threshold_in_force_on_the_meeting_day_before_the_ballot(
    client, cast, council, in_review, catalogue
):
    _set_terms(catalogue["CSTDCS"], FIRST_DAY_NĐ152, ballot_threshold_percent=85)
    meeting = meeting_schedule(
        held_on=FIRST_DAY_NĐ152, title="", location="", actor=cast["secretary"]
    )
    meeting_agenda_add(meeting=meeting, nominations=[in_review()], actor=cast["secretary"])
    client.force_login(cast["secretary"])
    page = client.get(reverse("awards:meeting", args=[meeting.pk])).content.decode()
    assert "85%" in page and "Nghị định 152/2025/NĐ-CP" in page and "[U]" in page


def test_a_ballot_cannot_open_without_terms_for_the_meeting_day(
    cast, council, members, in_review, catalogue
):
    nomination = in_review()
    meeting = meeting_schedule(
        held_on=FIRST_DAY_NĐ152, title="", location="", actor=cast["secretary"]
    )
    meeting_agenda_add(meeting=meeting, nominations=[nomination], actor=cast["secretary"])
    meeting_attendance_record(meeting=meeting, present=members, actor=cast["secretary"])
    # The administrator ends the period after the agenda was set: no terms on the meeting day.
    catalogue["CSTDCS"].terms.filter(valid_from=FIRST_DAY_NĐ152).delete()
    with pytest.raises(ValidationError) as refused:
        meeting_ballot_open(meeting=meeting, actor=cast["secretary"], **PASSPHRASES)
    assert refused.value.code == "no_terms"
    meeting.refresh_from_db()
    assert meeting.status == "scheduled" and meeting.council_size is None


# --- Publicity uses the period in force on the day the window opens --------------------------


@pytest.mark.parametrize(
    ("after", "opens_on", "days", "source"),
    [
        pytest.param(
            datetime.date(2025, 6, 27),  # Friday: the window opens on Monday 30/06
            LAST_DAY_NĐ98,
            5,
            "Nghị định 98/2023/NĐ-CP, Điều 46.2",
            id="NĐ98 Art46.2: window opening 30/06/2025",
        ),
        pytest.param(
            LAST_DAY_NĐ98,
            FIRST_DAY_NĐ152,
            7,
            "Nghị định 152/2025/NĐ-CP, Điều 44.2",
            id="NĐ152 Art44.2: window opening 01/07/2025",
        ),
    ],
)
def test_publicity_takes_the_days_in_force_on_the_opening_day(
    cast, in_review, catalogue, after, opens_on, days, source
):
    award = catalogue["BK_BO"]
    _set_terms(award, FIRST_DAY_NĐ152, publicity_working_days=7)  # [U] for Bằng khen Bộ
    assert publicity_days_on(award, opens_on) == (days, source)
    nomination = in_review(award="BK_BO")
    Publication.objects.filter(nomination=nomination).delete()  # the one of its screening
    publication = publication_schedule(nomination=nomination, after=after, actor=None)
    assert publication.opens_on == opens_on
    assert (publication.working_days, publication.working_days_source) == (days, source)


def test_no_publication_when_the_terms_of_the_opening_day_need_none(cast, in_review, catalogue):
    nomination = in_review()  # CSTĐCS: 0 days in both periods
    assert publication_schedule(nomination=nomination, after=LAST_DAY_NĐ98, actor=None) is None
    assert not Publication.objects.exists()


def test_the_public_page_cites_the_period_applied(client, cast, in_review, catalogue):
    nomination = in_review(award="BK_BO")
    Publication.objects.filter(nomination=nomination).delete()  # the one of its screening
    publication = publication_schedule(nomination=nomination, after=LAST_DAY_NĐ98, actor=None)
    today = datetime.date.today()
    Publication.objects.filter(pk=publication.pk).update(
        status=Publication.Status.OPEN, opens_on=today, closes_on=today
    )
    page = client.get(reverse("public:detail", args=[publication.token])).content.decode()
    assert "Nghị định 152/2025/NĐ-CP, Điều 44.2" in page


# --- Point 7b: the council's size on the meeting day ------------------------------------------


@pytest.mark.parametrize(
    ("disabled", "size"),
    [
        pytest.param(False, 5, id="NĐ98 Art30.7: all five members seated"),
        pytest.param(True, 5, id="NĐ98 Art30.7: a disabled account still counts in all members"),
    ],
)
def test_a_member_whose_account_is_disabled_counts_in_the_size(
    client, cast, council, members, in_review, disabled, size
):
    """CSTĐ Bộ needs 90 % of all members: 4 approvals of 5 fail whether or not the fifth
    member's account is disabled (they can no longer log in, not stop being a member)."""
    absent = members[3]
    if disabled:
        absent.is_active = False
        absent.save()
    assert absent in meeting_seats_users(council)
    assert (absent in council_members()) is not disabled  # access to the board, not the size
    nomination = in_review(award="CSTD_BO")
    votes = {index: {0: True} for index in (0, 1, 2, 4)}
    meeting = run_meeting(cast, members, [nomination], votes, present=[0, 1, 2, 4])
    assert meeting.council_size == size
    meeting = _close(cast, meeting)
    assert VoteTally.objects.get(meeting=meeting).outcome == "rejected"  # 4/5 = 80 % < 90 %
    client.force_login(cast["secretary"])
    minutes = client.get(reverse("awards:minutes", args=[meeting.pk]))
    assert minutes.status_code == 200


def meeting_seats_users(council):
    meeting = Meeting(council=council, held_on=datetime.date.today())
    return [seat.user for seat in meeting_seats(meeting)]


def test_a_disabled_members_written_ballot_counts(cast, council, members, in_review):
    disabled = members[3]
    disabled.is_active = False
    disabled.save()
    nomination = in_review(award="CSTD_BO")
    votes = {index: {0: True} for index in (0, 1, 2, 4)}
    meeting = run_meeting(cast, members, [nomination], votes, present=[0, 1, 2, 4])
    ballot_cast(
        meeting=meeting, member=disabled, choices={nomination: True}, actor=cast["secretary"]
    )
    meeting = _close(cast, meeting)
    assert VoteTally.objects.get(meeting=meeting).outcome == "approved"  # 5/5


@pytest.mark.parametrize(
    ("secretary_votes", "size", "outcome"),
    [
        pytest.param(True, 5, "rejected", id="NĐ98 Art30.7: Ủy viên thư ký votes, 4/5 < 90%"),
        pytest.param(False, 4, "approved", id="NĐ98 Art30.7: secretary not a member, 4/4"),
    ],
)
def test_whether_the_secretary_votes_follows_their_seat(
    client, cast, council, members, in_review, secretary_votes, size, outcome
):
    seat = CouncilMember.objects.get(council=council, role="secretary")
    council_seat_save(
        council=council,
        seat=seat,
        user=seat.user,
        role=seat.role,
        position="",
        term_start=seat.term_start,
        term_end=None,
        votes=secretary_votes,
        actor=cast["secretary"],
    )
    nomination = in_review(award="CSTD_BO")
    votes = {index: {0: True} for index in range(4)}
    meeting = run_meeting(cast, members, [nomination], votes)
    assert meeting.council_size == size
    if not secretary_votes:
        with pytest.raises(ValidationError) as refused:
            ballot_cast(
                meeting=meeting, member=members[4], choices={nomination: True}, actor=members[4]
            )
        assert refused.value.code == "no_vote"
    meeting = _close(cast, meeting)
    assert VoteTally.objects.get(meeting=meeting).outcome == outcome
    client.force_login(cast["secretary"])
    page = client.get(reverse("awards:meeting", args=[meeting.pk])).content.decode()
    assert ("không biểu quyết" in page) is not secretary_votes


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        pytest.param("secretary", True, id="NĐ98 Art30.7: a secretary not a member may not vote"),
        pytest.param("member", False, id="NĐ98 Art30.7: every member votes"),
        pytest.param("vice_chair", False, id="NĐ98 Art30.7: the vice chair votes"),
    ],
)
def test_only_the_secretarys_seat_can_be_without_a_vote(cast, council, role, allowed):
    from tests.factories import UserFactory

    def seat():
        return council_seat_save(
            council=council,
            user=UserFactory(),
            role=role,
            position="",
            term_start=council.term_start,
            term_end=None,
            votes=False,
            actor=cast["secretary"],
        )

    if allowed:
        assert seat().votes is False
    else:
        with pytest.raises(ValidationError):
            seat()


def test_the_seat_form_refuses_no_vote_for_a_member(client, cast, council):
    from tests.factories import UserFactory

    user = UserFactory()
    client.force_login(cast["secretary"])
    data = {
        "user": user.pk,
        "role": "member",
        "no_vote": "on",
        "position": "",
        "term_start": "2025-01-01",
        "term_end": "",
    }
    url = reverse("awards:seat_create", args=[council.pk])
    assert client.post(url, data).status_code == 422
    data["role"] = "secretary"
    assert client.post(url, data).status_code == 302
    assert CouncilMember.objects.get(user=user).votes is False


# --- The migration -----------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_the_current_values_and_goes_back(db):
    """Values an administrator changed on the award before 0009 go to both periods (NĐ 98
    Art 46.2 until 30/06/2025, NĐ 152 Art 44.2 from 01/07/2025) and come back on reversal."""
    executor = MigrationExecutor(connection)
    executor.migrate([("awards", "0007_open_matters")])
    old = executor.loader.project_state([("awards", "0007_open_matters")]).apps
    OldAwardType = old.get_model("awards", "AwardType")
    if not OldAwardType.objects.filter(code="BK_BO").exists():
        import importlib

        importlib.import_module("awards.migrations.0002_award_catalogue").load_catalogue(old, None)
    OldAwardType.objects.filter(code="BK_BO").update(publicity_working_days=7)
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([("awards", "0009_award_terms")])
    terms = list(AwardTerms.objects.filter(award_type__code="BK_BO").order_by("valid_from"))
    assert [(t.valid_from, t.valid_until) for t in terms] == [
        (datetime.date(2024, 1, 1), LAST_DAY_NĐ98),
        (FIRST_DAY_NĐ152, None),
    ]
    assert [t.publicity_working_days for t in terms] == [7, 7]
    assert [t.publicity_source for t in terms] == [
        "Nghị định 98/2023/NĐ-CP, Điều 46.2",
        "Nghị định 152/2025/NĐ-CP, Điều 44.2",
    ]
    assert "publicity_working_days" in terms[1].unconfirmed
    cstdcs = AwardTerms.objects.get(award_type__code="CSTDCS", valid_from=FIRST_DAY_NĐ152)
    assert cstdcs.award_type.legal_basis == "Luật TĐKT 2022, Điều 23, Điều 80"
    executor = MigrationExecutor(connection)
    executor.migrate([("awards", "0007_open_matters")])
    back = executor.loader.project_state([("awards", "0007_open_matters")]).apps
    award = back.get_model("awards", "AwardType").objects.get(code="BK_BO")
    assert award.publicity_working_days == 7
    assert "publicity_working_days" in award.unconfirmed
    cstdcs = back.get_model("awards", "AwardType").objects.get(code="CSTDCS")
    assert cstdcs.legal_basis == "Luật TĐKT 2022, Điều 23, Điều 80; NĐ 98/2023/NĐ-CP, Điều 30.7"
    assert (cstdcs.secret_ballot, cstdcs.ballot_threshold_percent) == (True, 80)
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.parametrize(
    ("held_on", "decree"),
    [
        pytest.param(LAST_DAY_NĐ98, "98/2023/NĐ-CP", id="NĐ98: cover letter of 30/06/2025"),
        pytest.param(FIRST_DAY_NĐ152, "152/2025/NĐ-CP", id="NĐ152: cover letter of 01/07/2025"),
    ],
)
def test_the_cover_letter_cites_the_decree_of_the_meeting_day(
    client, cast, council, in_review, held_on, decree
):
    from tests.awards.test_documents import _download, _text

    meeting = meeting_schedule(held_on=held_on, title="", location="", actor=cast["secretary"])
    meeting_agenda_add(meeting=meeting, nominations=[in_review()], actor=cast["secretary"])
    client.force_login(cast["secretary"])
    text = _text(_download(client, reverse("awards:cover_letter", args=[meeting.pk]), ".docx"))
    assert f"Căn cứ Nghị định số {decree} của Chính phủ" in text
    other = "152/2025/NĐ-CP" if decree == "98/2023/NĐ-CP" else "98/2023/NĐ-CP"
    assert other not in text
