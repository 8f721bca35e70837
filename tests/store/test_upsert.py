"""upsert_rows stores what sqlite-utils' upsert_all stores, row for row."""

from __future__ import annotations

import sqlite3

import pytest
import sqlite_utils

from pipeline.store.upsert import upsert_rows, upsert_sql

SCHEMA = "create table t (id text primary key, a text, b integer, c text, d real)"
EXISTING = [
    {"id": "k1", "a": "old", "b": 1, "c": "keep", "d": 0.5},
    {"id": "k2", "a": "old", "b": 2, "c": "keep", "d": 1.5},
]


def batches() -> list[list[dict]]:
    """Rows with the column sets a flush sees: some rows lack a column others have (a changed
    notice has no first_seen), a later chunk brings a column of its own, values that are not
    plain (lists, tuples, dicts, bools), a key repeated within one batch."""
    rows = [{"id": f"n{i}", "a": f"甲{i}", "b": i} for i in range(7)]
    rows[1] = {"id": "k1", "a": "new"}  # no b: updated to NULL like upsert_all does
    rows[3]["c"] = ["x", 1]
    rows[4] = {"id": "n4", "d": 2.25, "c": {"k": "值"}}
    rows[5] = {"id": "k2", "b": True, "c": ("t",)}
    rows.append({"id": "n0", "a": "again"})  # the same key twice in one batch
    return [rows, rows[:2], [{"id": "k9"}]]


def table_after(path, write) -> list[tuple]:
    conn = sqlite3.connect(path)
    conn.execute(SCHEMA)
    conn.executemany("insert into t values (:id, :a, :b, :c, :d)", EXISTING)
    db = sqlite_utils.Database(conn)
    with db.atomic():
        for rows in batches():
            write(db, rows)
    out = conn.execute("select * from t order by id").fetchall()
    conn.close()
    return out


@pytest.mark.parametrize("batch_size", [1, 2, 3, 200])
def test_same_rows_as_upsert_all(tmp_path, batch_size) -> None:
    expected = table_after(
        tmp_path / "a.db", lambda db, rows: db["t"].upsert_all(rows, pk="id", batch_size=batch_size)
    )
    got = table_after(
        tmp_path / "b.db", lambda db, rows: upsert_rows(db.conn, "t", rows, "id", batch_size)
    )
    assert got == expected


def test_no_rows_writes_nothing(tmp_path) -> None:
    conn = sqlite3.connect(tmp_path / "a.db")
    conn.execute(SCHEMA)
    upsert_rows(conn, "t", [], "id", 10)
    assert conn.execute("select count(*) from t").fetchone() == (0,)


def test_key_only_rows_do_nothing_on_conflict() -> None:
    assert upsert_sql("t", ("id",), "id").endswith('ON CONFLICT("id") DO NOTHING')
