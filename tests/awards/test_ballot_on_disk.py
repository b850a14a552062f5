"""The secret ballot as PostgreSQL stores it: every table of the app read with its system
columns (xmin, cmin, ctid) and, below them, the raw heap pages (pageinspect), where the row
versions that no query sees any more stay until vacuum — and in a file backup, a replica or the
WAL long after. What a member chose must be recoverable from none of it.

Each ballot here commits on its own, as in production (a transactional test), so that each
has its own transaction ids and command counter (cmin), as the review read them.
"""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.utils import timezone

from awards.models import BallotKey, BallotReceipt, Meeting, SealedVote, VoteTally
from awards.services.council import ballot_cast, meeting_ballot_close
from tests.awards.conftest import PASSPHRASES, run_meeting
from tests.heap import (
    column_versions,
    footprint,
    heap_readable,
    heap_snapshot,
    select_with_system_columns,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def heap():
    with heap_readable():
        yield


def _ballot_footprint(meeting: Meeting, member, choices) -> tuple[list, dict]:
    before = heap_snapshot()
    selected = select_with_system_columns()
    ballot_cast(meeting=meeting, member=member, choices=choices, actor=member)
    after_select = select_with_system_columns()
    # The rows a SELECT shows that this ballot wrote: (table, cmin), in ctid order.
    shown = sorted(
        (table, cmin, ctid)
        for table, rows in after_select.items()
        for (xmin, cmin, ctid) in rows
        if (xmin, cmin, ctid) not in set(selected[table])
    )
    return footprint(before, heap_snapshot()), {
        "tables_and_cmin": [(table, cmin) for table, cmin, _ctid in shown]
    }


def _tally_versions(meeting: Meeting) -> list[tuple[int, int]]:
    """(approvals, disapprovals) of every version, live or dead, of the meeting's tallies."""
    ids = set(VoteTally.objects.filter(meeting=meeting).values_list("pk", flat=True))
    return column_versions(VoteTally, ids, ("approvals", "disapprovals"))


def _old_design_cast(meeting: Meeting, member, choices) -> None:
    """What ballot_cast did before sealed votes: a receipt, then the counts added in clear by
    two UPDATEs (the removed _add_one), in one transaction."""
    table = connection.ops.quote_name(VoteTally._meta.db_table)
    with transaction.atomic():
        BallotReceipt.objects.create(meeting=meeting, member=member, cast_at=timezone.now())
        with connection.cursor() as cursor:
            for column, chosen in (("approvals", True), ("disapprovals", False)):
                ids = [n.pk for n, choice in choices.items() if choice is chosen]
                if ids:
                    cursor.execute(
                        f"UPDATE {table} SET {column} = {column} + 1"
                        " WHERE meeting_id = %s AND nomination_id = ANY(%s)",
                        [meeting.pk, ids],
                    )


def _opposite(choices: dict) -> dict:
    return {nomination: not choice for nomination, choice in choices.items()}


BALLOTS = [
    (True, True, True),
    (False, False, False),
    (True, False, True),
    (False, True, False),
    (True, True, False),
]


def test_no_row_version_on_any_page_tells_what_a_member_chose(
    heap, cast, council, members, in_review, catalogue
):
    """Two meetings with the same agenda; each member votes one way in the first and the
    opposite way in the second. Every tuple each ballot writes or stamps, in every table of
    the app (live or dead, with its cmin, length, flags and null bitmap), and what a plain
    SELECT shows of it, is the same in both; no version of any count ever holds anything but
    0 before the close; the receipts' and votes' pages hold no plaintext choice."""
    nominations = [in_review(f"Người {n}") for n in range(3)]
    first = run_meeting(cast, members, nominations, {})
    second = run_meeting(cast, members, [in_review(f"Khác {n}") for n in range(3)], {})
    second_items = [tally.nomination for tally in second.tallies.order_by("pk")]
    for index, ballot in enumerate(BALLOTS):
        member = members[index]
        choices = dict(zip(nominations, ballot, strict=True))
        mirrored = _opposite(dict(zip(second_items, ballot, strict=True)))
        here, shown_here = _ballot_footprint(first, member, choices)
        there, shown_there = _ballot_footprint(second, member, mirrored)
        assert here == there, f"member {index}: the pages differ with the choices"
        assert shown_here == shown_there
        # What it wrote: its receipt and one sealed vote per item; what it stamped: the locks
        # on the meeting and its council (FOR UPDATE) and on the tallies the votes refer to
        # (the foreign key's FOR KEY SHARE) — never a count.
        written = [entry[0] for entry in here if entry[1] == "new"]
        assert written == ["awards_ballotreceipt"] + ["awards_sealedvote"] * 3
        stamped = [entry[0] for entry in here if entry[1] == "stamped"]
        assert stamped == ["awards_council", "awards_meeting"] + ["awards_votetally"] * 3
        cmins = [entry[6] for entry in here if entry[1] == "new"]
        assert len(set(cmins[1:])) == 1  # the votes: one statement, whatever the choices
    # Before the close no version of any count, live or dead, holds anything but 0.
    for meeting in (first, second):
        versions = _tally_versions(meeting)
        assert len(versions) == 3 and set(versions) == {(0, 0)}
    # Nor do the pages hold a choice in clear: a sealed vote is a ciphertext of fixed size.
    sizes = {len(bytes(vote.ciphertext)) for vote in SealedVote.objects.all()}
    assert len(sizes) == 1 and SealedVote.objects.count() == 30
    # After the close: the sums, and neither the key nor the sealed votes in any live row.
    meeting_ballot_close(meeting=first, actor=cast["secretary"], **PASSPHRASES)
    closed = {
        tally.nomination_id: (tally.approvals, tally.disapprovals)
        for tally in VoteTally.objects.filter(meeting=first)
    }
    assert closed == {
        nomination.pk: (
            sum(ballot[n] for ballot in BALLOTS),
            sum(not ballot[n] for ballot in BALLOTS),
        )
        for n, nomination in enumerate(nominations)
    }
    assert not BallotKey.objects.filter(meeting=first).exists()
    assert not SealedVote.objects.filter(tally__meeting=first).exists()
    live_keys = select_with_system_columns()[BallotKey._meta.db_table]
    assert len(live_keys) == 1  # the second meeting's, still open


def test_the_same_reading_finds_the_counts_the_old_design_left(
    heap, cast, council, members, in_review, catalogue
):
    """The control: the reading above, run on ballots counted the old way (UPDATEs of the
    counts), finds what the review found — intermediate counts in the tally's row versions,
    and a footprint that changes with the choices."""
    nominations = [in_review(f"Người {n}") for n in range(3)]
    first = run_meeting(cast, members, nominations, {})
    second = run_meeting(cast, members, [in_review(f"Khác {n}") for n in range(3)], {})
    second_items = [tally.nomination for tally in second.tallies.order_by("pk")]

    def old_footprint(meeting, member, choices):
        before = heap_snapshot()
        _old_design_cast(meeting, member, choices)
        return footprint(before, heap_snapshot())

    ballot = (True, False, True)
    here = old_footprint(first, members[0], dict(zip(nominations, ballot, strict=True)))
    there = old_footprint(
        second, members[0], _opposite(dict(zip(second_items, ballot, strict=True)))
    )
    assert here != there  # which statement (cmin) wrote which tally's new version
    old_footprint(first, members[1], dict(zip(nominations, (True, True, False), strict=True)))
    versions = _tally_versions(first)
    assert (1, 0) in versions and (0, 1) in versions and (2, 0) in versions
