"""A write transaction for one-time schema work (migrations, repairs), reused when one is open."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def immediate(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """``BEGIN IMMEDIATE`` … commit, or roll back on any error; inside a transaction already
    open, just that one (its owner commits). Another process may be doing the same work: check
    again inside before doing it."""
    if conn.in_transaction:
        yield conn
        return
    conn.execute("begin immediate")
    try:
        yield conn
        conn.commit()
    except BaseException:
        conn.rollback()
        raise
