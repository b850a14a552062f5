"""The secret ballot as PostgreSQL stores it: every table of the app read with its system
columns (xmin, cmin, ctid) and, below them, the raw heap pages (pageinspect), where the row
versions that no query sees any more stay until vacuum — and in a file backup, a replica or the
WAL long after. What a member chose must be recoverable from none of it.

Each ballot here commits on its own, as in production (a transactional test), so that each
has its own transaction ids and command counter (cmin), as the review read them.
"""

from __future__ import annotations

from collections.abc import Iterable

import pytest
from django.db import connection, transaction
from django.utils import timezone

from awards.models import BallotKey, BallotReceipt, Meeting, SealedVote, VoteTally
from awards.services.council import ballot_cast, meeting_ballot_close
from tests.awards.conftest import PASSPHRASES, run_meeting
from tests.needs import need_postgres

pytestmark = pytest.mark.django_db(transaction=True)

HINT_BITS = 0x0F00  # HEAP_XMIN/XMAX_COMMITTED/INVALID: set later by whoever reads the row


@pytest.fixture
def heap():
    """pageinspect, and no autovacuum on the app's tables while the test reads their pages."""
    need_postgres()
    tables = _app_tables()
    with connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pageinspect")
        for table in tables:
            cursor.execute(f"ALTER TABLE {_quote(table)} SET (autovacuum_enabled = off)")
    yield
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ALTER TABLE {_quote(table)} RESET (autovacuum_enabled)")


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def _app_tables() -> list[str]:
    return sorted(t for t in connection.introspection.table_names() if t.startswith("awards_"))


def _relations() -> list[str]:
    """Every table of the app and the TOAST table behind it, if any."""
    relations = []
    with connection.cursor() as cursor:
        for table in _app_tables():
            relations.append(table)
            cursor.execute(
                "SELECT reltoastrelid::regclass::text FROM pg_class WHERE oid = %s::regclass"
                " AND reltoastrelid <> 0",
                [table],
            )
            relations += [row[0] for row in cursor.fetchall()]
    return relations


def _pages(relation: str) -> list[dict]:
    """Every tuple of every page of the relation — live, dead or locked — as stored."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_relation_size(%s::regclass) / current_setting('block_size')::int",
            [relation],
        )
        blocks = cursor.fetchone()[0]
        tuples = []
        for block in range(blocks):
            cursor.execute(
                "SELECT lp, lp_flags, lp_len, t_xmin::text::bigint, t_xmax::text::bigint,"
                " t_field3, t_infomask, t_infomask2, t_bits, t_data"
                " FROM heap_page_items(get_raw_page(%s, %s))",
                [relation, block],
            )
            names = [column.name for column in cursor.description]
            tuples += [{"block": block, **dict(zip(names, row, strict=True))} for row in cursor]
    return tuples


def _heap_snapshot() -> dict[tuple, dict]:
    return {
        (relation, item["block"], item["lp"]): item
        for relation in _relations()
        for item in _pages(relation)
    }


def _select_with_system_columns() -> dict[str, list[tuple]]:
    """What a plain SELECT shows: the live rows of every table with xmin, cmin and ctid."""
    seen = {}
    with connection.cursor() as cursor:
        for table in _app_tables():
            cursor.execute(
                f"SELECT xmin::text::bigint, cmin::text::int, ctid::text FROM {_quote(table)}"
            )
            seen[table] = cursor.fetchall()
    return seen


def _state(item: dict) -> tuple:
    return (item["lp_flags"], item["t_xmax"], (item["t_infomask"] or 0) & ~HINT_BITS)


def _footprint(before: dict, after: dict) -> list[tuple]:
    """The tuples a transaction wrote or stamped (new ones, and old ones whose xmax or flags
    it set), in the order they sit in the pages, described by everything but their position,
    the transaction ids' values (numbered in order of appearance instead) and the data bytes:
    relation, length, cmin, flags, null bitmap, and xmin/xmax as "which transaction"."""
    xids: dict[int, int] = {}

    def xid(value: int) -> int | None:
        return None if value == 0 else xids.setdefault(value, len(xids))

    footprint = []
    for key in sorted(after):
        item = after[key]
        old = before.get(key)
        if old is not None and _state(old) == _state(item):
            continue
        if old is not None and item["t_data"] is None:
            # Pruned: a reader (any query, here the ballot's own reads of the agenda) reclaimed
            # the space of row versions dead before it — page housekeeping, not a write.
            continue
        footprint.append(
            (
                key[0],
                "new" if old is None else "stamped",
                item["lp_flags"],
                item["lp_len"],
                xid(item["t_xmin"] or 0) if old is None else "old",
                xid(item["t_xmax"] or 0),
                item["t_field3"],
                (item["t_infomask"] or 0) & ~HINT_BITS,
                item["t_infomask2"],
                item["t_bits"],
            )
        )
    return footprint


def _ballot_footprint(meeting: Meeting, member, choices) -> tuple[list, dict]:
    before = _heap_snapshot()
    selected = _select_with_system_columns()
    ballot_cast(meeting=meeting, member=member, choices=choices, actor=member)
    after_select = _select_with_system_columns()
    # The rows a SELECT shows that this ballot wrote: (table, cmin), in ctid order.
    shown = sorted(
        (table, cmin, ctid)
        for table, rows in after_select.items()
        for (xmin, cmin, ctid) in rows
        if (xmin, cmin, ctid) not in set(selected[table])
    )
    return _footprint(before, _heap_snapshot()), {
        "tables_and_cmin": [(table, cmin) for table, cmin, _ctid in shown]
    }


def _tally_versions(meeting: Meeting) -> list[tuple[int, int]]:
    """(approvals, disapprovals) of every version, live or dead, of the meeting's tallies,
    decoded from the page bytes with tuple_data_split."""
    table = VoteTally._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0"
            " ORDER BY attnum",
            [table],
        )
        columns = [row[0] for row in cursor.fetchall()]
        ids = set(VoteTally.objects.filter(meeting=meeting).values_list("pk", flat=True))
        versions = []
        for item in _pages(table):
            if item["t_data"] is None:
                continue  # an unused or redirected line pointer
            cursor.execute(
                "SELECT tuple_data_split(%s::regclass, %s, %s, %s, %s)",
                [table, item["t_data"], item["t_infomask"], item["t_infomask2"], item["t_bits"]],
            )
            values = dict(zip(columns, cursor.fetchone()[0], strict=True))
            if int.from_bytes(values["id"], "little") not in ids:
                continue
            versions.append(
                tuple(
                    int.from_bytes(values[name], "little", signed=True)
                    for name in ("approvals", "disapprovals")
                )
            )
    return versions


def _old_design_cast(meeting: Meeting, member, choices) -> None:
    """What ballot_cast did before sealed votes: a receipt, then the counts added in clear by
    two UPDATEs (the removed _add_one), in one transaction."""
    table = _quote(VoteTally._meta.db_table)
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


def _all_item_bytes() -> Iterable[bytes]:
    for relation in _relations():
        for item in _pages(relation):
            if item["t_data"] is not None:
                yield bytes(item["t_data"])


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
    live_keys = _select_with_system_columns()[BallotKey._meta.db_table]
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

    def footprint(meeting, member, choices):
        before = _heap_snapshot()
        _old_design_cast(meeting, member, choices)
        return _footprint(before, _heap_snapshot())

    ballot = (True, False, True)
    here = footprint(first, members[0], dict(zip(nominations, ballot, strict=True)))
    there = footprint(second, members[0], _opposite(dict(zip(second_items, ballot, strict=True))))
    assert here != there  # which statement (cmin) wrote which tally's new version
    footprint(first, members[1], dict(zip(nominations, (True, True, False), strict=True)))
    versions = _tally_versions(first)
    assert (1, 0) in versions and (0, 1) in versions and (2, 0) in versions
