"""How many notices hold each value of the columns researchers facet on, kept by triggers.

Datasette's table page counts each facet with ``group by`` over every notice: at a million
notices that is 70-100 ms per facet, four facets on the default page, and 10 ms for the row
count. ``facet_counts`` keeps the same figures as the archive changes: one row per (table,
column, value) with the number of rows holding that value, and column '' (value '') for the
table's row count. Triggers update it in the transaction that changes ``notices``, so any
writer (the archive writer, a repair, SQL by hand) keeps it exact. Null values are not counted
(Datasette's facets leave them out). A count that falls to 0 stays as a row with ``n = 0``.

The Datasette plugins answer a facet or the row count of the whole table from here.
"""

from __future__ import annotations

import logging
import sqlite3

from pipeline.store.txn import immediate

TABLE = "facet_counts"
log = logging.getLogger(__name__)
COUNTED = {"notices": ("site", "kind", "category", "publish_year", "status")}
CREATE = (
    "create table facet_counts (tbl text not null, col text not null, value, n integer not null,"
    " primary key (tbl, col, value)) without rowid"
)
#: The number of rows of a table (the column and value '' count every row).
ROWS = "select n from facet_counts where tbl = ? and col = '' and value = ''"
READ = (
    "select value, n as count from facet_counts where tbl = ? and col = ? and n > 0"
    " order by n desc, value limit ?"
)


def _values(table: str, row: str) -> str:
    """A select of (column, value) for each counted column of the ``row`` (new or old), and
    ``('', '')`` for the row itself (``ROWS``: the table's row count)."""
    counted = [f"select '{c}' as c, {row}.{c} as v" for c in COUNTED[table]]
    return " union all ".join(["select '' as c, '' as v", *counted])


def _add(table: str, row: str, step: int) -> str:
    return (
        f"insert into facet_counts(tbl, col, value, n) select '{table}', c, v, {step}"  # noqa: S608
        f" from ({_values(table, row)}) where v is not null"
        f" on conflict(tbl, col, value) do update set n = n + {step};"
    )


def triggers(table: str) -> dict[str, str]:
    """The triggers that keep ``table``'s counts, by name."""
    columns = COUNTED[table]
    changed = " or ".join(f"old.{c} is not new.{c}" for c in columns)
    prefix = f"{TABLE}_{table}"
    return {
        f"{prefix}_insert": f"create trigger {prefix}_insert after insert on {table}"
        f" begin {_add(table, 'new', 1)} end",
        f"{prefix}_delete": f"create trigger {prefix}_delete after delete on {table}"
        f" begin {_add(table, 'old', -1)} end",
        f"{prefix}_update": f"create trigger {prefix}_update after update of"
        f" {', '.join(columns)} on {table} when {changed}"
        f" begin {_add(table, 'old', -1)} {_add(table, 'new', 1)} end",
    }


def is_current(conn: sqlite3.Connection) -> bool:
    """Whether the counts table and every trigger exist as this module writes them."""
    wanted = {TABLE: CREATE} | {n: s for t in COUNTED for n, s in triggers(t).items()}
    names = ",".join("?" * len(wanted))
    found = dict(
        conn.execute(f"select name, sql from sqlite_master where name in ({names})", [*wanted])  # noqa: S608
    )
    return all(found.get(name, "").lower() == sql.lower() for name, sql in wanted.items())


def ensure(conn: sqlite3.Connection) -> None:
    """Create the counts and their triggers, or replace older ones, filled from the rows."""
    if is_current(conn):
        return
    with immediate(conn):
        if not is_current(conn):
            _replace(conn)


def _replace(conn: sqlite3.Connection) -> None:
    log.info("facet counts: counting the archive's values once (a large archive takes minutes)")
    for (name,) in conn.execute(
        "select name from sqlite_master where type = 'trigger' and name like ?", [f"{TABLE}_%"]
    ).fetchall():
        conn.execute(f'drop trigger "{name}"')
    conn.execute(f"drop table if exists {TABLE}")
    conn.execute(CREATE)
    for table, columns in COUNTED.items():
        conn.execute(
            f"insert into facet_counts(tbl, col, value, n) select ?, '', '', count(*) from {table}",  # noqa: S608
            [table],
        )
        for column in columns:
            conn.execute(
                f"insert into facet_counts(tbl, col, value, n) select ?, ?, {column}, count(*)"  # noqa: S608
                f" from {table} where {column} is not null group by {column}",
                [table, column],
            )
        for sql in triggers(table).values():
            conn.execute(sql)


def read(conn: sqlite3.Connection, table: str, column: str, limit: int) -> list[tuple]:
    """``(value, count)`` of ``column`` over all of ``table``, most frequent first."""
    return conn.execute(READ, [table, column, limit]).fetchall()


def rows(conn: sqlite3.Connection, table: str) -> int:
    """How many rows ``table`` has."""
    found = conn.execute(ROWS, [table]).fetchone()
    return found[0] if found else 0
