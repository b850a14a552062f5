"""Reading PostgreSQL's pages as someone with a copy of the database would: every table a
ballot lives in, with its system columns (xmin, cmin, ctid) and, below them, the raw heap
pages (pageinspect), where row versions no query sees any more stay until vacuum.

Shared by the council's and the bloc's ballot tests.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection

from tests.needs import need_postgres

BALLOT_APPS = ("awards_", "blocs_")

HINT_BITS = 0x0F00  # HEAP_XMIN/XMAX_COMMITTED/INVALID: set later by whoever reads the row


@contextmanager
def heap_readable() -> Iterator[None]:
    """pageinspect, and no autovacuum on the app's tables while a test reads their pages."""
    need_postgres()
    tables = app_tables()
    with connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pageinspect")
        for table in tables:
            cursor.execute(f"ALTER TABLE {_quote(table)} SET (autovacuum_enabled = off)")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f"ALTER TABLE {_quote(table)} RESET (autovacuum_enabled)")


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def app_tables() -> list[str]:
    """The tables where a ballot lives: the councils' (awards) and the blocs'."""
    return sorted(t for t in connection.introspection.table_names() if t.startswith(BALLOT_APPS))


def relations() -> list[str]:
    """Every table of the app and the TOAST table behind it, if any."""
    relations = []
    with connection.cursor() as cursor:
        for table in app_tables():
            relations.append(table)
            cursor.execute(
                "SELECT reltoastrelid::regclass::text FROM pg_class WHERE oid = %s::regclass"
                " AND reltoastrelid <> 0",
                [table],
            )
            relations += [row[0] for row in cursor.fetchall()]
    return relations


def pages(relation: str) -> list[dict]:
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


def heap_snapshot() -> dict[tuple, dict]:
    return {
        (relation, item["block"], item["lp"]): item
        for relation in relations()
        for item in pages(relation)
    }


def select_with_system_columns() -> dict[str, list[tuple]]:
    """What a plain SELECT shows: the live rows of every table with xmin, cmin and ctid."""
    seen = {}
    with connection.cursor() as cursor:
        for table in app_tables():
            cursor.execute(
                f"SELECT xmin::text::bigint, cmin::text::int, ctid::text FROM {_quote(table)}"
            )
            seen[table] = cursor.fetchall()
    return seen


def _state(item: dict) -> tuple:
    return (item["lp_flags"], item["t_xmax"], (item["t_infomask"] or 0) & ~HINT_BITS)


def footprint(before: dict, after: dict) -> list[tuple]:
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


def column_versions(model, ids: set[int], columns: tuple[str, ...]) -> list[tuple[int, ...]]:
    """The integer columns of every version, live or dead, of the model's rows with these
    ids, decoded from the page bytes with tuple_data_split."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0"
            " ORDER BY attnum",
            [table],
        )
        names = [row[0] for row in cursor.fetchall()]
        versions = []
        for item in pages(table):
            if item["t_data"] is None:
                continue  # an unused or redirected line pointer
            cursor.execute(
                "SELECT tuple_data_split(%s::regclass, %s, %s, %s, %s)",
                [table, item["t_data"], item["t_infomask"], item["t_infomask2"], item["t_bits"]],
            )
            values = dict(zip(names, cursor.fetchone()[0], strict=True))
            if int.from_bytes(values["id"], "little") not in ids:
                continue
            versions.append(
                tuple(int.from_bytes(values[name], "little", signed=True) for name in columns)
            )
    return versions
