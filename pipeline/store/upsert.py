"""Batched upserts with one prepared statement per table and column set.

What ``sqlite_utils.Table.upsert_all(rows, pk=..., batch_size=...)`` stores, row for row, without
its per-chunk work: it builds one multi-row ``INSERT … ON CONFLICT DO UPDATE`` per chunk (a new
statement for SQLite to compile each time) and passes every value through
``jsonify_if_needed``. Here the multi-row statement for a table, column set and chunk length is
built once and cached (``upsert_sql``), and only values that are not plain SQLite values go
through that function.

The columns are sqlite-utils': per chunk of ``min(batch_size, 999 // columns of the first row)``
rows, the keys of the rows seen so far; a row without one of them writes NULL there (a new
notice's ``first_seen`` in a chunk with changed ones), exactly as ``upsert_all`` does.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from functools import cache
from typing import Any

from sqlite_utils.db import SQLITE_MAX_VARS, jsonify_if_needed, quote_identifier

_PLAIN = frozenset({str, int, float, bytes, type(None)})


def upsert_rows(
    conn: sqlite3.Connection, table: str, rows: Sequence[dict[str, Any]], pk: str, batch_size: int
) -> None:
    """Insert ``rows`` into ``table``, updating the given columns of rows whose ``pk`` exists."""
    if not rows:
        return
    size = max(1, min(batch_size, SQLITE_MAX_VARS // max(len(rows[0]), 1)))
    columns: list[str] = []
    for start in range(0, len(rows), size):
        chunk = rows[start : start + size]
        known = set(columns)
        for row in chunk:
            new = [name for name in row if name not in known]
            if new:
                known.update(new)
                columns += new
        if not start:
            columns = sorted(columns)
        statement = upsert_sql(table, tuple(columns), pk, len(chunk))
        conn.execute(statement, [value for row in chunk for value in _values(row, columns)])


def _values(row: dict[str, Any], columns: list[str]) -> list[Any]:
    values = [row.get(name) for name in columns]
    for i, value in enumerate(values):
        if type(value) not in _PLAIN:
            values[i] = jsonify_if_needed(value)
    return values


@cache
def upsert_sql(table: str, columns: tuple[str, ...], pk: str, rows: int = 1) -> str:
    """``INSERT INTO t (…) VALUES (?, …), … ON CONFLICT(pk) DO UPDATE SET c = excluded.c, …``
    for ``rows`` rows."""
    quoted = [quote_identifier(c) for c in columns]
    marks = f"({', '.join('?' for _ in columns)})"
    updates = [f"{q} = excluded.{q}" for c, q in zip(columns, quoted, strict=True) if c != pk]
    action = "DO UPDATE SET " + ", ".join(updates) if updates else "DO NOTHING"
    return (  # identifiers from our own schema, quoted; values are bound
        f"INSERT INTO {quote_identifier(table)} ({', '.join(quoted)}) "  # noqa: S608
        f"VALUES {', '.join([marks] * rows)} ON CONFLICT({quote_identifier(pk)}) {action}"
    )
