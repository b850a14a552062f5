"""Council meetings and the secret ballot: the workflow, the threshold arithmetic and secrecy."""

from __future__ import annotations

import datetime
import logging
import re
import unicodedata
import zoneinfo
from fractions import Fraction

import pytest
import time_machine
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from awards import ballot_crypto
from awards.models import (
    AwardTerms,
    BallotKey,
    BallotReceipt,
    Meeting,
    Nomination,
    NominationStep,
    Publication,
    Review,
    SealedVote,
    VoteTally,
)
from awards.selectors.council import ballot_items, meeting_detail, meeting_results
from awards.services.council import (
    ballot_cast,
    meeting_agenda_add,
    meeting_agenda_remove,
    meeting_attendance_record,
    meeting_ballot_close,
    meeting_ballot_open,
    meeting_ballot_void,
    meeting_cancel,
    meeting_schedule,
    meeting_update,
)
from tests.awards.conftest import PASSPHRASES, publicity_over, run_meeting
from tests.factories import InitiativeFactory
from tests.helpers import race
from tests.needs import need_postgres

pytestmark = pytest.mark.django_db
TZ = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


def _counts_at_close(meeting, cast) -> dict[int, tuple[int, int]]:
    """Closes the ballot and returns {nomination id: (approvals, disapprovals)}: before the
    close the counts exist nowhere."""
    meeting_ballot_close(meeting=meeting, actor=cast["secretary"], **PASSPHRASES)
    return {
        tally.nomination_id: (tally.approvals, tally.disapprovals)
        for tally in VoteTally.objects.filter(meeting=meeting)
    }


# --- Threshold arithmetic: integers only, on ALL council members --------------------------------

# (council size, threshold %, approvals, approved?) — the rows sit on each side of the boundary.
THRESHOLD_TABLE = [
    (10, 90, 9, True),  # exactly 90 %
    (10, 90, 8, False),
    (11, 90, 10, True),  # 90.9 %
    (11, 90, 9, False),  # 81.8 %
    (13, 90, 12, True),  # 92.3 %
    (13, 90, 11, False),  # 84.6 %
    (20, 90, 18, True),  # exactly 90 %
    (20, 90, 17, False),
    (29, 90, 27, True),  # 93.1 %
    (29, 90, 26, False),  # 89.66 %: rounding to 90 % would wrongly approve
    (30, 90, 27, True),  # exactly 90 %: 27 / 30 * 100 is 90.00000000000001 in floats
    (5, 80, 4, True),  # exactly 80 %
    (5, 80, 3, False),
    (7, 80, 6, True),  # 85.7 %
    (7, 80, 5, False),  # 71.4 %
    (15, 80, 12, True),  # exactly 80 %
    (15, 80, 11, False),
    (1, 80, 1, True),
    (1, 80, 0, False),
    (3, 90, 3, True),
    (3, 90, 2, False),  # 66.7 %
    # No threshold in the law: more than half of all members (COUNCIL_MAJORITY_PERCENT = 50).
    (10, None, 6, True),
    (10, None, 5, False),  # exactly half is not a majority
    (9, None, 5, True),
    (9, None, 4, False),
    (2, None, 2, True),
    (2, None, 1, False),
    (1, None, 1, True),
]


@pytest.mark.parametrize(("size", "percent", "approvals", "approved"), THRESHOLD_TABLE)
def test_the_threshold_is_a_share_of_all_members_computed_exactly(
    size, percent, approvals, approved
):
    award = AwardTerms(ballot_threshold_percent=percent)
    assert award.approved_by(approvals=approvals, council_size=size) is approved


@pytest.mark.parametrize("percent", [None, 50, 66, 75, 80, 90, 100])
def test_the_threshold_agrees_with_exact_fractions_for_every_size_and_count(percent):
    award = AwardTerms(ballot_threshold_percent=percent)
    for size in range(1, 61):
        for approvals in range(size + 1):
            share = Fraction(approvals, size)
            expected = (
                share > Fraction(1, 2) if percent is None else share >= Fraction(percent, 100)
            )
            assert award.approved_by(approvals=approvals, council_size=size) is expected


def test_the_default_majority_is_configurable(settings):
    settings.COUNCIL_MAJORITY_PERCENT = 66
    award = AwardTerms(ballot_threshold_percent=None)
    assert award.approved_by(approvals=2, council_size=3)  # 66.7 % is more than 66 %
    assert award.approved_by(approvals=67, council_size=100)
    assert not award.approved_by(approvals=66, council_size=100)
    assert not award.approved_by(approvals=6, council_size=10)


def test_a_council_has_members():
    with pytest.raises(ValueError):
        AwardTerms(ballot_threshold_percent=90).approved_by(approvals=0, council_size=0)


# --- The meeting's workflow ---------------------------------------------------------------------


def test_a_meeting_needs_a_council_in_office(cast, today, catalogue):
    with pytest.raises(ValidationError) as error:
        meeting_schedule(held_on=today, title="", location="", actor=cast["secretary"])
    assert "held_on" in error.value.message_dict


def test_the_agenda_moves_reviewed_nominations_and_back(cast, council, in_review, today):
    nomination = in_review()
    meeting = meeting_schedule(
        held_on=today, title="Phiên họp thứ nhất", location="", actor=cast["secretary"]
    )
    meeting_agenda_add(meeting=meeting, nominations=[nomination], actor=cast["secretary"])
    nomination.refresh_from_db()
    assert nomination.status == "on_agenda"
    assert "10/05/2025" in nomination.steps.last().reason
    # Twice is refused: the nomination is no longer in review.
    with pytest.raises(ValidationError):
        meeting_agenda_add(meeting=meeting, nominations=[nomination], actor=cast["secretary"])
    meeting_agenda_remove(meeting=meeting, nomination=nomination, actor=cast["secretary"])
    nomination.refresh_from_db()
    assert nomination.status == "in_review" and not VoteTally.objects.exists()
    meeting_agenda_add(meeting=meeting, nominations=[nomination], actor=cast["secretary"])
    meeting_cancel(meeting=meeting, actor=cast["secretary"])
    nomination.refresh_from_db()
    assert nomination.status == "in_review"
    assert Meeting.objects.get().status == "cancelled"


def test_only_reviewed_nominations_go_on_the_agenda(cast, council, nomination, today):
    meeting = meeting_schedule(held_on=today, title="", location="", actor=None)
    with pytest.raises(ValidationError):
        meeting_agenda_add(meeting=meeting, nominations=[nomination], actor=None)
    assert not VoteTally.objects.exists()


def test_opening_needs_an_agenda_and_the_attendance(cast, council, members, in_review, today):
    secretary = cast["secretary"]
    meeting = meeting_schedule(held_on=today, title="", location="", actor=secretary)
    with pytest.raises(ValidationError) as error:
        meeting_ballot_open(meeting=meeting, actor=secretary, **PASSPHRASES)
    assert error.value.code == "agenda"
    meeting_agenda_add(meeting=meeting, nominations=[in_review()], actor=secretary)
    with pytest.raises(ValidationError):
        meeting_ballot_open(meeting=meeting, actor=secretary, **PASSPHRASES)
    meeting_attendance_record(meeting=meeting, present=[], actor=secretary)
    with pytest.raises(ValidationError):
        meeting_ballot_open(meeting=meeting, actor=secretary, **PASSPHRASES)
    meeting_attendance_record(meeting=meeting, present=[members[0], members[1]], actor=secretary)
    meeting = meeting_ballot_open(meeting=meeting, actor=secretary, **PASSPHRASES)
    # The size is every member seated, not the two present.
    assert meeting.status == "ballot_open" and meeting.council_size == 5
    with pytest.raises(ValidationError):
        meeting_ballot_open(meeting=meeting, actor=secretary, **PASSPHRASES)


def test_attendance_is_for_members_seated_on_the_meeting_day(cast, council, members, today):
    meeting = meeting_schedule(held_on=today, title="", location="", actor=None)
    with pytest.raises(ValidationError):
        meeting_attendance_record(meeting=meeting, present=[cast["officer"]], actor=None)
    seat = council.members.get(user=members[4])
    seat.term_end = today - datetime.timedelta(days=1)
    seat.save()
    rows = meeting_attendance_record(meeting=meeting, present=[], actor=None)
    assert {row.member_id for row in rows} == {member.pk for member in members[:4]}


def test_a_member_votes_once(cast, council, members, in_review, today):
    nomination = in_review()
    meeting = run_meeting(cast, members, [nomination], {0: {0: True}})
    with pytest.raises(ValidationError) as error:
        ballot_cast(
            meeting=meeting, member=members[0], choices={nomination: False}, actor=members[0]
        )
    assert error.value.code == "voted"
    # The database refuses it too, whatever the code above it does.
    with pytest.raises(IntegrityError), transaction.atomic():
        BallotReceipt.objects.create(meeting=meeting, member=members[0], cast_at=timezone.now())
    assert SealedVote.objects.count() == 1
    assert _counts_at_close(meeting, cast) == {nomination.pk: (1, 0)}


def test_only_members_present_vote_themselves_and_absent_ones_in_writing(
    cast, council, members, in_review, today
):
    nomination = in_review()
    meeting = run_meeting(cast, members, [nomination], {}, present=[0, 1, 2])
    choice = {nomination: True}
    with pytest.raises(ValidationError) as error:
        ballot_cast(meeting=meeting, member=members[3], choices=choice, actor=members[3])
    assert error.value.code == "absent"
    with pytest.raises(ValidationError):
        ballot_cast(meeting=meeting, member=cast["officer"], choices=choice, actor=cast["officer"])
    with pytest.raises(ValidationError):
        ballot_cast(meeting=meeting, member=members[0], choices=choice, actor=cast["secretary"])
    receipt = ballot_cast(
        meeting=meeting, member=members[3], choices=choice, actor=cast["secretary"]
    )
    assert receipt.in_writing and receipt.recorded_by == cast["secretary"]
    assert _counts_at_close(meeting, cast) == {nomination.pk: (1, 0)}


def test_a_ballot_covers_exactly_the_nominations_the_member_votes_on(
    cast, council, members, in_review, today
):
    first, second = in_review("Một"), in_review("Hai")
    meeting = run_meeting(cast, members, [first, second], {})
    for choices in ({first: True}, {first: True, second: True, Nomination(pk=999): True}):
        with pytest.raises(ValidationError):
            ballot_cast(meeting=meeting, member=members[0], choices=choices, actor=members[0])
    assert not BallotReceipt.objects.exists() and not SealedVote.objects.exists()


def test_a_member_stands_aside_on_a_nomination_of_themselves_or_with_a_conflict(
    cast, council, members, in_review, draft_for, unit, today
):
    mine = in_review("Của thành viên")
    mine.person.user = members[1]
    mine.person.save()
    conflicted, other = in_review("Có xung đột"), in_review("Khác")
    Review.objects.create(
        nomination=conflicted, member=members[1], conflict_of_interest=True, conflict_reason="Vợ"
    )
    meeting = run_meeting(cast, members, [mine, conflicted, other], {})
    votable, aside = ballot_items(meeting=meeting, member=members[1])
    assert [item.nomination_id for item in votable] == [other.pk]
    assert {item.nomination_id for item, _reason in aside} == {mine.pk, conflicted.pk}
    with pytest.raises(ValidationError):
        ballot_cast(
            meeting=meeting,
            member=members[1],
            choices={mine: True, conflicted: True, other: True},
            actor=members[1],
        )
    ballot_cast(meeting=meeting, member=members[1], choices={other: False}, actor=members[1])
    # The items a member stands aside on are public: no sealed vote is written for them.
    assert [vote.tally.nomination_id for vote in SealedVote.objects.all()] == [other.pk]
    counts = _counts_at_close(meeting, cast)
    assert counts == {mine.pk: (0, 0), conflicted.pk: (0, 0), other.pk: (0, 1)}


def test_no_ballot_before_it_opens_or_after_it_closes(cast, council, members, in_review, today):
    nomination = in_review()
    secretary = cast["secretary"]
    meeting = meeting_schedule(held_on=today, title="", location="", actor=secretary)
    meeting_agenda_add(meeting=meeting, nominations=[nomination], actor=secretary)
    with pytest.raises(ValidationError):
        ballot_cast(
            meeting=meeting, member=members[0], choices={nomination: True}, actor=members[0]
        )
    meeting = run_meeting(cast, members, [in_review("Khác")], {})
    meeting_ballot_close(meeting=meeting, actor=secretary, **PASSPHRASES)
    with pytest.raises(ValidationError):
        ballot_cast(
            meeting=meeting,
            member=members[0],
            choices={meeting.tallies.get().nomination: True},
            actor=members[0],
        )


def test_closing_settles_each_nomination_by_its_threshold_of_all_members(
    cast, council, members, in_review, catalogue, today
):
    # CSTĐCS needs 80 % of the 5 members: 4 approvals pass, 3 do not.
    four = in_review("Bốn phiếu")
    three = in_review("Ba phiếu")
    initiative = InitiativeFactory(person=three.person, used_by=three)
    votes = {
        0: {0: True, 1: True},
        1: {0: True, 1: True},
        2: {0: True, 1: True},
        3: {0: True, 1: False},
    }
    meeting = run_meeting(cast, members, [four, three], votes)
    # Counts are sealed until the ballot closes.
    with pytest.raises(ValueError):
        meeting_results(meeting_detail(pk=meeting.pk))
    meeting = meeting_ballot_close(meeting=meeting, actor=cast["secretary"], **PASSPHRASES)
    four.refresh_from_db()
    three.refresh_from_db()
    assert four.status == "approved" and three.status == "rejected"
    assert four.steps.last().reason == (
        "Phiên họp Hội đồng ngày 10/05/2025: 4/5 thành viên tán thành, 0 không tán thành."
    )
    initiative.refresh_from_db()
    assert initiative.used_by is None  # a rejected nomination gives its initiative back
    results = {r.nomination.pk: r for r in meeting_results(meeting_detail(pk=meeting.pk))}
    counts = {
        pk: (r.tally.approvals, r.tally.disapprovals, r.not_voting, r.approved)
        for pk, r in results.items()
    }
    assert counts == {four.pk: (4, 0, 1, True), three.pk: (3, 1, 1, False)}
    with pytest.raises(ValidationError):
        meeting_ballot_close(meeting=meeting, actor=cast["secretary"], **PASSPHRASES)
    assert not Publication.objects.exists()  # CSTĐCS needs no publicity


def test_the_ballot_leaves_the_publicity_as_it_was_before_the_meeting(
    cast, council, members, in_review, catalogue, today
):
    """NĐ 152/2025 Art 44.2: publicity comes before the council, so closing the ballot
    schedules nothing: the publication written at screening, over before the meeting, stays."""
    nomination = in_review("Chiến sĩ Bộ", award="CSTD_BO")
    before = Publication.objects.values().get()
    assert before["closes_on"] < today and before["status"] == "closed"
    everyone = {index: {0: True} for index in range(5)}
    meeting = run_meeting(cast, members, [nomination], everyone)
    meeting_ballot_close(meeting=meeting, actor=cast["secretary"], **PASSPHRASES)
    assert list(Publication.objects.values()) == [before]
    assert Nomination.objects.get().status == "approved"


# --- Secrecy --------------------------------------------------------------------------------------


def test_ballots_tallies_and_keys_keep_no_history_and_no_time(cast):
    models = {model.__name__ for model in apps.get_models()}
    for name in ("BallotReceipt", "VoteTally", "SealedVote", "BallotKey"):
        assert f"Historical{name}" not in models
        fields = {
            field.get_internal_type() for field in apps.get_model("awards", name)._meta.get_fields()
        }
        if name != "BallotReceipt":
            assert not fields & {"DateTimeField", "DateField", "TimeField"}, name
    receipt_fields = {field.name for field in BallotReceipt._meta.get_fields()}
    assert not receipt_fields & {"nomination", "choice", "approve", "approvals", "tally"}
    # A sealed vote names its agenda item and holds a ciphertext: no member, no receipt.
    assert {field.name for field in SealedVote._meta.get_fields()} == {"id", "tally", "ciphertext"}


def _masked(table: str, row: tuple) -> tuple:
    """A row with its random cryptographic material replaced by its size: ciphertexts, and the
    meeting's key (its public key, salt, nonce, sealed private key and their MAC)."""
    secret = bytes | memoryview | str if table == BallotKey._meta.db_table else bytes | memoryview
    return tuple(("random", len(value)) if isinstance(value, secret) else value for value in row)


def _dump_database() -> dict[str, list]:
    """Every row of every table, sorted: what any query over the database could read."""
    quote = connection.ops.quote_name
    dump = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names()):
            cursor.execute(f"SELECT * FROM {quote(table)}")
            # A message's hand-over id is a random token of the call that queued it (the
            # ballot's opening tells the members): random, like a ciphertext, and masked alike.
            names = [column[0] for column in cursor.description]
            rows = (
                _masked(
                    table,
                    tuple(
                        ("random", 1) if name == "handover" and value else value
                        for name, value in zip(names, row, strict=True)
                    ),
                )
                for row in cursor.fetchall()
            )
            dump[table] = sorted(rows, key=repr)
    return dump


def _ciphertexts() -> list[bytes]:
    return [bytes(vote.ciphertext) for vote in SealedVote.objects.order_by("pk")]


def _sequences() -> list[tuple[str, int, bool]]:
    if connection.vendor != "postgresql":
        return []  # SQLite's sqlite_sequence is a table: the savepoint restores it
    with connection.cursor() as cursor:
        cursor.execute("SELECT schemaname, sequencename FROM pg_sequences")
        names = [f'"{schema}"."{name}"' for schema, name in cursor.fetchall()]
        values = []
        for name in names:
            cursor.execute(f"SELECT last_value, is_called FROM {name}")
            values.append((name, *cursor.fetchone()))
    return values


def _restore_sequences(values) -> None:
    with connection.cursor() as cursor:
        for name, last_value, is_called in values:
            cursor.execute("SELECT setval(%s, %s, %s)", [name, last_value, is_called])


def _meeting_in_a_bubble(cast, members, nominations, ballots) -> dict[str, object]:
    """Runs a whole meeting at fixed instants, dumps the database with the ballot still open
    and again once closed, then undoes it all (sequences included) so that the next run
    starts from the same state."""
    sequences = _sequences()
    savepoint = transaction.savepoint_create()
    start = datetime.datetime(2025, 5, 12, 9, 0, tzinfo=TZ)
    with time_machine.travel(start, tick=False) as clock:
        meeting = run_meeting(cast, members, nominations, {})
        for index, choices in ballots:
            clock.shift(datetime.timedelta(minutes=3))
            ballot_cast(
                meeting=meeting,
                member=members[index],
                choices={nominations[n]: choice for n, choice in choices.items()},
                actor=members[index],
            )
        while_open = _dump_database()
        ciphertexts = _ciphertexts()
        counts = set(VoteTally.objects.values_list("approvals", "disapprovals", "outcome"))
        clock.shift(datetime.timedelta(minutes=3))
        meeting_ballot_close(meeting=meeting, actor=cast["secretary"], **PASSPHRASES)
        closed = _dump_database()
    transaction.savepoint_rollback(savepoint)
    _restore_sequences(sequences)
    return {"open": while_open, "closed": closed, "ciphertexts": ciphertexts, "counts": counts}


def test_no_query_can_tell_how_a_member_voted_while_the_ballot_is_open_or_after(
    cast, council, members, in_review, catalogue, monkeypatch, caplog
):
    """Swapping the ballots of two members leaves every table identical, row for row, apart
    from the random ciphertexts while the ballot is open, and exactly identical once it is
    closed: the database holds nothing that tells which of them chose what. A control run
    with a different count shows that the dump does see the counts once they are public."""
    monkeypatch.setattr("awards.models.publicity.secrets.token_urlsafe", lambda size: "same-token")
    caplog.set_level(logging.DEBUG)
    # Bằng khen Bộ passes with a majority; its publication (before the meeting) is in the dump.
    first = publicity_over(
        in_review("Nguyễn Văn Một", award="BK_BO"), ended=datetime.date(2025, 5, 2)
    )
    second = in_review("Trần Thị Hai")
    a = {0: True, 1: False}
    b = {0: False, 1: True}
    both = {0: True, 1: True}
    original = _meeting_in_a_bubble(
        cast, members, [first, second], [(0, a), (1, b), (2, both), (3, both), (4, both)]
    )
    swapped = _meeting_in_a_bubble(
        cast, members, [first, second], [(0, b), (1, a), (2, both), (3, both), (4, both)]
    )
    assert original["open"] == swapped["open"]
    assert original["closed"] == swapped["closed"]
    # While open: ten sealed votes, no count anywhere; the same choices never give the same
    # ciphertext twice, so no ciphertext can be matched to a known one.
    assert len(original["open"]["awards_sealedvote"]) == 10
    assert original["counts"] == {(0, 0, "")}
    texts = original["ciphertexts"] + swapped["ciphertexts"]
    assert len(set(texts)) == 20 and len({len(text) for text in texts}) == 1
    # Once closed: the sums only; the sealed votes and the key are gone.
    assert (
        not original["closed"]["awards_sealedvote"] and not original["closed"]["awards_ballotkey"]
    )
    control = _meeting_in_a_bubble(
        cast, members, [first, second], [(0, a), (1, a), (2, both), (3, both), (4, both)]
    )
    assert control["open"] == original["open"]  # even the counts differing, nothing shows
    assert control["closed"]["awards_votetally"] != original["closed"]["awards_votetally"]
    # Nor does any log line of the run say what a member chose.
    for record in caplog.records:
        assert "votetally" not in record.getMessage().lower()


def test_the_tallies_equal_the_ballots_cast(cast, council, members, in_review, catalogue):
    nominations = [in_review(f"Người {n}") for n in range(3)]
    ballots = {
        0: {0: True, 1: True, 2: False},
        1: {0: True, 1: False, 2: False},
        2: {0: False, 1: True, 2: True},
        3: {0: True, 1: True, 2: True},
    }
    meeting = run_meeting(cast, members, nominations, ballots)
    meeting_ballot_close(meeting=meeting, actor=cast["secretary"], **PASSPHRASES)
    receipts = BallotReceipt.objects.filter(meeting=meeting).count()
    assert receipts == len(ballots)
    for index, nomination in enumerate(nominations):
        tally = VoteTally.objects.get(meeting=meeting, nomination=nomination)
        assert tally.approvals == sum(choices[index] for choices in ballots.values())
        assert tally.approvals + tally.disapprovals == receipts


def _statements_of_a_ballot(meeting, member, choices) -> list[tuple[str, tuple]]:
    """The SQL a ballot sends and its parameters, ciphertexts replaced by their size; the
    ballot is then undone (sequences included)."""
    sent: list[tuple[str, tuple]] = []

    def record(execute, sql, params, many, context):
        masked = []
        for value in params or ():
            value = getattr(value, "obj", value)  # psycopg wraps bytes in Binary
            masked.append(("ciphertext", len(value)) if isinstance(value, bytes) else value)
        sent.append((re.sub(r'"s\d+_x\d+"', "savepoint", sql), tuple(masked)))
        return execute(sql, params, many, context)

    sequences = _sequences()
    savepoint = transaction.savepoint_create()
    moment = datetime.datetime(2025, 5, 12, 9, 0, tzinfo=TZ)
    with time_machine.travel(moment, tick=False), connection.execute_wrapper(record):
        ballot_cast(meeting=meeting, member=member, choices=choices, actor=member)
    transaction.savepoint_rollback(savepoint)
    _restore_sequences(sequences)
    return sent


def test_the_statements_of_a_ballot_are_the_same_whatever_the_choices(
    cast, council, members, in_review
):
    """What a statement log (Django's, or the database server's log_statement = all) could
    record of a ballot: the same statements with the same parameters, apart from the
    ciphertexts, whether the member approves or disapproves."""
    first, second = in_review("Một"), in_review("Hai")
    meeting = run_meeting(cast, members, [first, second], {})
    approve = _statements_of_a_ballot(meeting, members[0], {first: True, second: True})
    mixed = _statements_of_a_ballot(meeting, members[0], {first: True, second: False})
    disapprove = _statements_of_a_ballot(meeting, members[0], {first: False, second: False})
    assert approve == mixed == disapprove
    assert sum("sealedvote" in sql.lower() for sql, _params in approve) == 1  # one INSERT
    assert not any("update" in sql.lower() and "votetally" in sql.lower() for sql, _ in approve)


# --- The counting board: two passphrases --------------------------------------------------------


def _scheduled(cast, members, nominations):
    secretary = cast["secretary"]
    meeting = meeting_schedule(held_on=timezone.localdate(), title="", location="", actor=secretary)
    meeting_agenda_add(meeting=meeting, nominations=nominations, actor=secretary)
    meeting_attendance_record(meeting=meeting, present=members, actor=secretary)
    return meeting


@pytest.mark.parametrize(
    ("chair", "secretary", "field", "code"),
    [
        ("ngắn quá", "trống đồng Ngọc Lũ", "chair_passphrase", "passphrase_short"),
        ("hoa sen nở giữa hồ", "   ngắn    ", "secretary_passphrase", "passphrase_short"),
        ("", "", "chair_passphrase", "passphrase_short"),
        ("hoa sen nở giữa hồ", " hoa sen nở giữa hồ ", "secretary_passphrase", "passphrase_same"),
    ],
)
def test_opening_needs_two_different_passphrases_of_some_length(
    cast, council, members, in_review, chair, secretary, field, code
):
    meeting = _scheduled(cast, members, [in_review()])
    with pytest.raises(ValidationError) as error:
        meeting_ballot_open(
            meeting=meeting,
            chair_passphrase=chair,
            secretary_passphrase=secretary,
            actor=cast["secretary"],
        )
    assert error.value.error_dict[field][0].code == code
    meeting.refresh_from_db()
    assert meeting.status == "scheduled" and not BallotKey.objects.exists()


def test_the_key_is_stored_only_sealed(cast, council, members, in_review):
    meeting = run_meeting(cast, members, [in_review()], {0: {0: True}})
    key = BallotKey.objects.get(meeting=meeting)
    stored = b"".join(
        bytes(value) if isinstance(value, bytes | memoryview) else str(value).encode()
        for value in (key.public_n, key.public_n_mac, key.salt, key.nonce, key.sealed_private_key)
    )
    for passphrase in PASSPHRASES.values():
        assert passphrase.encode() not in stored
    private = ballot_crypto.private_key_open(
        ballot_crypto.SealedKey(
            public_n=bytes(key.public_n),
            public_n_mac=key.public_n_mac,
            salt=bytes(key.salt),
            scrypt_n=key.scrypt_n,
            nonce=bytes(key.nonce),
            sealed_private_key=bytes(key.sealed_private_key),
        ),
        context=f"thidua secret ballot, meeting {meeting.pk}".encode(),
        chair=PASSPHRASES["chair_passphrase"],
        secretary=PASSPHRASES["secretary_passphrase"],
    )
    for prime in (private.p, private.q):
        assert str(prime).encode() not in stored and prime.to_bytes(64, "big") not in stored
    assert int.from_bytes(bytes(key.public_n), "big") == private.p * private.q
    assert key.scrypt_n == 2**8  # the tests' setting; production's default is 2**17


@pytest.mark.parametrize(
    "given",
    [
        {"chair_passphrase": "hoa sen nở giữa hồ!", "secretary_passphrase": "trống đồng Ngọc Lũ"},
        {"chair_passphrase": "hoa sen nở giữa hồ", "secretary_passphrase": "trống đồng ngọc lũ"},
        {"chair_passphrase": "trống đồng Ngọc Lũ", "secretary_passphrase": "hoa sen nở giữa hồ"},
        {"chair_passphrase": "hoa sen nở giữa hồ", "secretary_passphrase": ""},
        {"chair_passphrase": "", "secretary_passphrase": "trống đồng Ngọc Lũ"},
        {"chair_passphrase": "hoa sen nở giữa hồ", "secretary_passphrase": "hoa sen nở giữa hồ"},
    ],
    ids=["chair-wrong", "secretary-wrong", "swapped", "chair-alone", "secretary-alone", "twice"],
)
def test_closing_needs_both_right_passphrases_and_a_refusal_changes_nothing(
    cast, council, members, in_review, given
):
    nomination = in_review()
    meeting = run_meeting(cast, members, [nomination], {0: {0: True}, 1: {0: False}})
    ciphertexts = _ciphertexts()
    steps = NominationStep.objects.count()
    with pytest.raises(ValidationError) as error:
        meeting_ballot_close(meeting=meeting, actor=cast["secretary"], **given)
    assert error.value.code == "passphrase"
    assert "Chưa có gì bị thay đổi" in error.value.message  # nothing was changed
    meeting.refresh_from_db()
    assert meeting.status == "ballot_open" and BallotKey.objects.filter(meeting=meeting).exists()
    assert _ciphertexts() == ciphertexts and NominationStep.objects.count() == steps
    assert {(t.approvals, t.disapprovals, t.outcome) for t in VoteTally.objects.all()} == {
        (0, 0, "")
    }
    # The right ones still count it, typed with other spaces and another Unicode composition.
    decomposed = {
        name: " " + unicodedata.normalize("NFD", value) + " " for name, value in PASSPHRASES.items()
    }
    assert decomposed != PASSPHRASES
    meeting_ballot_close(meeting=meeting, actor=cast["secretary"], **decomposed)
    tally = VoteTally.objects.get()
    assert (tally.approvals, tally.disapprovals) == (1, 1)


def test_after_closing_only_the_sums_are_kept(cast, council, members, in_review):
    first, second = in_review("Một"), in_review("Hai")
    votes = {0: {0: True, 1: False}, 1: {0: True, 1: True}, 2: {0: False, 1: False}}
    meeting = run_meeting(cast, members, [first, second], votes)
    other = run_meeting(cast, members, [in_review("Khác")], {0: {0: True}})
    assert SealedVote.objects.count() == 7 and BallotKey.objects.count() == 2
    assert _counts_at_close(meeting, cast) == {first.pk: (2, 1), second.pk: (1, 2)}
    # The key material and the ballots of this meeting are destroyed, not those of the other.
    assert not BallotKey.objects.filter(meeting=meeting).exists()
    assert not SealedVote.objects.filter(tally__meeting=meeting).exists()
    assert BallotKey.objects.filter(meeting=other).exists()
    assert SealedVote.objects.filter(tally__meeting=other).count() == 1
    assert BallotReceipt.objects.filter(meeting=meeting).count() == 3  # that they voted stays


def test_a_key_slipped_into_the_database_is_refused(cast, council, members, in_review):
    """Someone who can write to the database but does not hold SECRET_KEY cannot replace the
    meeting's public key with one of their own to read the ballots cast after it."""
    nomination = in_review()
    meeting = run_meeting(cast, members, [nomination], {})
    public, _private = ballot_crypto.paillier.generate_paillier_keypair(n_length=512)
    BallotKey.objects.filter(meeting=meeting).update(public_n=public.n.to_bytes(64, "big"))
    with pytest.raises(ValidationError) as error:
        ballot_cast(
            meeting=meeting, member=members[0], choices={nomination: True}, actor=members[0]
        )
    assert error.value.code == "damaged" and not SealedVote.objects.exists()


def test_altered_ciphertexts_are_not_counted(cast, council, members, in_review):
    nomination = in_review()
    meeting = run_meeting(cast, members, [nomination], {0: {0: True}})
    vote = SealedVote.objects.get()
    SealedVote.objects.filter(pk=vote.pk).update(ciphertext=bytes(vote.ciphertext)[:-1])
    with pytest.raises(ValidationError) as error:
        meeting_ballot_close(meeting=meeting, actor=cast["secretary"], **PASSPHRASES)
    assert error.value.code == "damaged"
    assert Meeting.objects.get(pk=meeting.pk).status == "ballot_open"


def test_a_ballot_that_cannot_be_counted_is_voided_and_held_again(
    cast, council, members, in_review
):
    nomination = in_review()
    meeting = run_meeting(cast, members, [nomination], {0: {0: True}, 1: {0: True}})
    meeting = meeting_ballot_void(meeting=meeting, actor=cast["secretary"])
    assert meeting.status == "scheduled" and meeting.council_size is None
    assert not BallotReceipt.objects.exists() and not SealedVote.objects.exists()
    assert not BallotKey.objects.exists()
    nomination.refresh_from_db()
    assert nomination.status == "on_agenda" and meeting.attendance.count() == 5
    assert meeting.history.first().history_user == cast["secretary"]
    with pytest.raises(ValidationError):
        meeting_ballot_void(meeting=meeting, actor=cast["secretary"])
    fresh = {"chair_passphrase": "mùa thu Hà Nội", "secretary_passphrase": "sông Hồng đỏ nặng"}
    meeting = meeting_ballot_open(meeting=meeting, actor=cast["secretary"], **fresh)
    ballot_cast(meeting=meeting, member=members[0], choices={nomination: False}, actor=members[0])
    with pytest.raises(ValidationError):
        meeting_ballot_close(meeting=meeting, actor=cast["secretary"], **PASSPHRASES)
    meeting_ballot_close(meeting=meeting, actor=cast["secretary"], **fresh)
    tally = VoteTally.objects.get()
    assert (tally.approvals, tally.disapprovals) == (0, 1)


# --- Ballots opened before ballots were sealed (migration 0004) --------------------------------


def _opened_the_old_way(cast, members, nomination, approvals, disapprovals, voters):
    """A meeting as migration 0004 leaves one whose ballot was open: counts in clear, receipts,
    no key."""
    meeting = _scheduled(cast, members, [nomination])
    Meeting.objects.filter(pk=meeting.pk).update(
        status="ballot_open", council_size=5, ballot_opened_at=timezone.now(), plain_counts=True
    )
    VoteTally.objects.filter(meeting=meeting).update(approvals=approvals, disapprovals=disapprovals)
    for member in voters:
        BallotReceipt.objects.create(meeting=meeting, member=member, cast_at=timezone.now())
    return Meeting.objects.get(pk=meeting.pk)


def test_an_old_open_ballot_takes_no_more_ballots_and_closes_with_its_counts(
    cast, council, members, in_review, catalogue
):
    nomination = in_review()
    meeting = _opened_the_old_way(cast, members, nomination, 4, 0, members[:4])
    with pytest.raises(ValidationError) as error:
        ballot_cast(
            meeting=meeting, member=members[4], choices={nomination: True}, actor=members[4]
        )
    assert error.value.code == "plain_counts" and not SealedVote.objects.exists()
    meeting_ballot_close(
        meeting=meeting, actor=cast["secretary"], chair_passphrase="", secretary_passphrase=""
    )
    nomination.refresh_from_db()
    assert nomination.status == "approved"  # 4 of 5 reach CSTĐCS's 80 %
    assert "4/5 thành viên tán thành" in nomination.steps.last().reason


def test_an_old_open_ballot_can_be_voided_and_held_again_sealed(cast, council, members, in_review):
    nomination = in_review()
    meeting = _opened_the_old_way(cast, members, nomination, 1, 1, members[:2])
    meeting = meeting_ballot_void(meeting=meeting, actor=cast["secretary"])
    assert not meeting.plain_counts and not BallotReceipt.objects.exists()
    assert {(t.approvals, t.disapprovals) for t in VoteTally.objects.all()} == {(0, 0)}
    meeting = meeting_ballot_open(meeting=meeting, actor=cast["secretary"], **PASSPHRASES)
    ballot_cast(meeting=meeting, member=members[0], choices={nomination: True}, actor=members[0])
    assert _counts_at_close(meeting, cast) == {nomination.pk: (1, 0)}


@pytest.mark.django_db(transaction=True)
def test_the_migration_marks_the_ballots_counted_in_clear(db):
    executor = MigrationExecutor(connection)
    executor.migrate([("awards", "0003_council_meetings_publicity_decisions")])
    old = executor.loader.project_state(
        [("awards", "0003_council_meetings_publicity_decisions")]
    ).apps
    council = old.get_model("awards", "Council").objects.create(
        name="Hội đồng", term_start=datetime.date(2024, 1, 1)
    )
    OldMeeting = old.get_model("awards", "Meeting")
    ids = {
        status: OldMeeting.objects.create(
            council=council,
            held_on=datetime.date(2025, 5, 9),
            status=status,
            council_size=None if status in ("scheduled", "cancelled") else 5,
        ).pk
        for status in ("scheduled", "ballot_open", "closed", "cancelled")
    }
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    marked = {status: Meeting.objects.get(pk=pk).plain_counts for status, pk in ids.items()}
    assert marked == {"scheduled": False, "ballot_open": True, "closed": True, "cancelled": False}


def test_a_ballot_that_fails_writes_nothing(cast, council, members, in_review):
    nomination = in_review()
    meeting = run_meeting(cast, members, [nomination], {})
    steps = NominationStep.objects.count()
    with pytest.raises(ValidationError):
        ballot_cast(
            meeting=meeting, member=members[0], choices={nomination: "yes"}, actor=members[0]
        )
    assert not BallotReceipt.objects.exists() and not SealedVote.objects.exists()
    assert NominationStep.objects.count() == steps


# --- Real concurrency on PostgreSQL ------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_simultaneous_ballots_all_count_and_a_double_counts_once(
    cast, council, members, in_review, catalogue
):
    need_postgres()
    nomination = in_review()
    meeting = run_meeting(cast, members, [nomination], {})
    voters = [members[0], members[1], members[2], members[3], members[4], members[0]]
    results = race(
        lambda i: ballot_cast(
            meeting=Meeting.objects.get(pk=meeting.pk),
            member=voters[i],
            choices={nomination: i % 2 == 0},
            actor=voters[i],
        ),
        len(voters),
    )
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(refused) == 1 and BallotReceipt.objects.count() == 5
    assert SealedVote.objects.count() == 5
    meeting_ballot_close(meeting=meeting, actor=cast["secretary"], **PASSPHRASES)
    tally = VoteTally.objects.get()
    assert tally.approvals + tally.disapprovals == 5


def test_a_meeting_far_in_the_future_is_refused_even_under_an_open_ended_council(
    cast, council, today
):
    council.term_end = None
    council.save()
    far = datetime.date(9999, 12, 31)
    with pytest.raises(ValidationError) as error:
        meeting_schedule(held_on=far, title="", location="", actor=cast["secretary"])
    assert error.value.message_dict["held_on"] and error.value.error_dict["held_on"][0].code == (
        "too_far_ahead"
    )
    meeting = meeting_schedule(held_on=today, title="", location="", actor=cast["secretary"])
    with pytest.raises(ValidationError):
        meeting_update(meeting=meeting, held_on=far, title="", location="", actor=None)
    meeting.refresh_from_db()
    assert meeting.held_on == today
