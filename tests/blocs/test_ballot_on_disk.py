"""The bloc's secret ballot as PostgreSQL stores it, read the way the council's is
(tests/awards/test_ballot_on_disk.py): every table of the app with its system columns and its
raw heap pages, live and dead row versions alike. What a member unit chose must be
recoverable from none of it before the close, and the key and the sealed votes must be gone
after it.

Each ballot commits on its own, as in production (a transactional test).
"""

from __future__ import annotations

import datetime

import pytest

from blocs.models import BlocBallotItem, BlocBallotKey, BlocMeeting, BlocSealedVote
from blocs.services.ballot import (
    ballot_cast,
    ballot_close,
    ballot_open,
    meeting_item_add,
    meeting_schedule,
)
from blocs.services.scoring import ranking_publish, scoring_confirm
from tests.blocs.conftest import PASSPHRASES
from tests.blocs.helpers import score_all
from tests.heap import (
    column_versions,
    footprint,
    heap_readable,
    heap_snapshot,
    select_with_system_columns,
)

pytestmark = pytest.mark.django_db(transaction=True)

VOTERS = ("cuc-a", "cuc-b", "cuc-c")
# One ballot per member unit, on the three items; every pair differs somewhere.
BALLOTS = {
    "cuc-a": (True, True, True),
    "cuc-b": (False, False, False),
    "cuc-c": (True, False, True),
}


@pytest.fixture
def heap():
    with heap_readable():
        yield


@pytest.fixture
def open_meeting(world, cast, catalogue):
    """The ranking published and a meeting with three items (two flags), ballot open."""
    leading_head = world["heads"]["cuc-c"]
    for code, points in (("cuc-a", 35), ("cuc-b", 30)):
        scoring_confirm(
            scoring=score_all(world, code, {"targets": points, "party": 30}), actor=leading_head
        )
    scoring_confirm(
        scoring=score_all(world, "cuc-c", {"targets": 20, "party": 20}), actor=cast["secretary"]
    )
    ranking_publish(bloc_year=world["year"], actor=cast["secretary"])
    meeting = meeting_schedule(
        bloc_year=world["year"], held_on=datetime.date(2025, 12, 20), location="Hà Nội", actor=None
    )
    units = world["units"]
    items = [
        meeting_item_add(meeting=meeting, unit=units["cuc-a"], award_code="CO_BO"),
        meeting_item_add(meeting=meeting, unit=units["cuc-b"], award_code="CO_BO"),
        meeting_item_add(meeting=meeting, unit=units["cuc-a"], award_code="CO_CP"),
    ]
    ballot_open(meeting=meeting, actor=None, **PASSPHRASES)
    return meeting, items


def _ballot_footprint(world, meeting, items, code, choices) -> tuple[list, list]:
    before = heap_snapshot()
    selected = select_with_system_columns()
    ballot_cast(
        meeting=meeting,
        unit=world["units"][code],
        voter=world["heads"][code],
        choices={item.pk: choice for item, choice in zip(items, choices, strict=True)},
    )
    after = select_with_system_columns()
    shown = sorted(
        (table, cmin)
        for table, rows in after.items()
        for (xmin, cmin, ctid) in rows
        if (xmin, cmin, ctid) not in set(selected[table])
    )
    return footprint(before, heap_snapshot()), shown


def test_no_row_version_tells_what_a_member_unit_chose(heap, world, cast, open_meeting):
    """Each unit's ballot writes and stamps the same tuples, of the same length, cmin, flags
    and null bitmap, whatever it chose; no version of any count holds anything but 0 before
    the close; after the close the sums are right and neither the key nor a sealed vote is
    left in a live row."""
    meeting, items = open_meeting
    footprints = {}
    for code in VOTERS:
        footprints[code] = _ballot_footprint(world, meeting, items, code, BALLOTS[code])
    first, *others = footprints.values()
    for other in others:
        assert other == first, "the pages differ with the choices"
    written = [entry[0] for entry in first[0] if entry[1] == "new"]
    assert written == ["blocs_blocballotreceipt"] + ["blocs_blocsealedvote"] * 3
    stamped = [entry[0] for entry in first[0] if entry[1] == "stamped"]
    assert "blocs_blocballotitem" in stamped  # the foreign key's lock, never a new count
    assert not any(entry[0] == "blocs_blocballotitem" for entry in first[0] if entry[1] == "new")
    # Before the close no version of any count, live or dead, holds anything but 0.
    ids = {item.pk for item in items}
    versions = column_versions(BlocBallotItem, ids, ("approvals", "disapprovals"))
    assert len(versions) >= 3 and set(versions) == {(0, 0)}
    # A sealed vote is a ciphertext of one size, whatever it seals.
    sizes = {len(bytes(vote.ciphertext)) for vote in BlocSealedVote.objects.all()}
    assert len(sizes) == 1 and BlocSealedVote.objects.count() == 9

    ballot_close(meeting=meeting, actor=cast["secretary"], **PASSPHRASES)
    counted = {
        item.pk: (item.approvals, item.disapprovals)
        for item in BlocBallotItem.objects.filter(meeting=meeting)
    }
    assert counted == {
        item.pk: (
            sum(BALLOTS[code][n] for code in VOTERS),
            sum(not BALLOTS[code][n] for code in VOTERS),
        )
        for n, item in enumerate(items)
    }
    assert BlocMeeting.objects.get(pk=meeting.pk).status == BlocMeeting.Status.CLOSED
    assert not BlocBallotKey.objects.filter(meeting=meeting).exists()
    assert not BlocSealedVote.objects.filter(item__meeting=meeting).exists()
    assert select_with_system_columns()[BlocBallotKey._meta.db_table] == []
