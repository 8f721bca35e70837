"""WAL checkpoints in a background thread (pipeline.store.checkpoint)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlite_utils

from pipeline.store import Archive, Capture
from pipeline.store.checkpoint import Checkpointer
from tests.conftest import wait_until
from tests.store.test_archive import record

URL = "http://www.zjczj.gov.cn/xxgk/tzgg/200609/t20060907_{}.shtml"


def _in_database_file(path) -> int:
    """Notices in the database file itself, the log ignored (``immutable``); 0 while even the
    schema is only in the log."""
    conn = sqlite3.connect(f"file:{path}?immutable=1", uri=True)
    try:
        if not conn.execute("select 1 from sqlite_master where name = 'notices'").fetchone():
            return 0
        return conn.execute("select count(*) from notices").fetchone()[0]
    finally:
        conn.close()


def _whole_in_database_file(path) -> int:
    """As ``_in_database_file``, -1 while a checkpoint has copied only part of the log (the file
    alone is then not a whole database)."""
    try:
        return _in_database_file(path)
    except sqlite3.DatabaseError:
        return -1


def _log_bytes(path: str) -> int:
    """Size of the database's write-ahead log file (0 when there is none)."""
    log = Path(f"{path}-wal")
    return log.stat().st_size if log.exists() else 0


def test_the_thread_copies_the_log_into_the_database_file(tmp_path):
    path = tmp_path / "a.db"
    archive = Archive(str(path), batch_size=10, background_checkpoints=True)
    writer = archive.db.conn
    assert writer.execute("pragma wal_autocheckpoint").fetchone()[0] == 0
    run = archive.start_run("zjczj", "zjczj")
    for n in range(25):
        archive.store(record(URL.format(n)), Capture(b"<html/>"), run)
    archive.flush()
    # Far fewer than SQLite's 1,000 pages: its own checkpoint would not have run yet.
    assert wait_until(lambda: _whole_in_database_file(path) == 25, 10)
    assert archive._checkpointer.checkpoints >= 1
    archive.close()
    assert not (tmp_path / "a.db-wal").exists()  # the last connection's close checkpointed
    assert sqlite_utils.Database(path)["notices"].count == 25


def test_without_it_the_writer_checkpoints_as_sqlite_does(tmp_path):
    path = tmp_path / "a.db"
    archive = Archive(str(path), batch_size=10)
    assert archive.db.conn.execute("pragma wal_autocheckpoint").fetchone()[0] == 1000
    run = archive.start_run("zjczj", "zjczj")
    for n in range(25):
        archive.store(record(URL.format(n)), Capture(b"<html/>"), run)
    archive.flush()
    assert _in_database_file(path) == 0  # all still in the log
    archive.close()


def test_stop_gives_the_writer_its_checkpoints_back(tmp_path):
    path = str(tmp_path / "a.db")
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("pragma journal_mode=wal")
    checkpoints = Checkpointer(path, writer)
    assert writer.execute("pragma wal_autocheckpoint").fetchone()[0] == 0
    checkpoints.stop()
    checkpoints.stop()  # twice is harmless
    assert not checkpoints._thread.is_alive()
    assert writer.execute("pragma wal_autocheckpoint").fetchone()[0] == 1000
    writer.close()


def test_the_log_restarts_while_the_writer_commits_without_pause(tmp_path):
    """40 MB committed in 400 transactions, one right after the other: the log is reused from
    its start again and again (by the thread's checkpoints, or by the writer's own once a
    checkpoint finds it past the limit), never growing towards the 40 MB."""
    path = str(tmp_path / "a.db")
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("pragma journal_mode=wal")
    writer.execute("create table t (n integer primary key, blob blob)")
    checkpoints = Checkpointer(path, writer, interval=0.001, catch_up_bytes=2 << 20)
    largest = 0
    for txn in range(400):
        writer.execute("begin")
        writer.executemany(
            "insert into t values (?, ?)", [(txn * 25 + i, b"x" * 4000) for i in range(25)]
        )
        writer.execute("commit")
        checkpoints.committed()
        largest = max(largest, _log_bytes(path))
    checkpoints.stop()
    assert writer.execute("select count(*) from t").fetchone()[0] == 10_000
    assert largest < 8 << 20, f"the log grew to {largest} bytes"
    assert checkpoints.checkpoints + checkpoints.inline >= 2
    assert writer.execute("pragma integrity_check").fetchone()[0] == "ok"
    writer.close()


def test_a_checkpoint_a_reader_held_back_is_tried_again_without_a_new_commit(tmp_path):
    """The last commit's checkpoint stopped at a reader's older snapshot; once the reader is done
    the thread copies the rest, though nothing more is committed (the end of a crawl)."""
    path = str(tmp_path / "a.db")
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("pragma journal_mode=wal")
    writer.execute("create table notices (n integer primary key)")
    writer.execute("insert into notices values (1)")
    reader = sqlite3.connect(path, isolation_level=None)
    reader.execute("begin")
    assert reader.execute("select count(*) from notices").fetchone()[0] == 1  # its snapshot
    checkpoints = Checkpointer(path, writer, interval=0.05)
    writer.executemany("insert into notices values (?)", [(n,) for n in range(2, 21)])
    checkpoints.committed()
    assert wait_until(lambda: checkpoints.checkpoints >= 1, 10)
    copied = writer.execute("pragma wal_checkpoint(passive)").fetchone()
    assert copied[2] < copied[1]  # held back at the reader's snapshot
    reader.execute("commit")
    assert wait_until(lambda: _whole_in_database_file(path) == 20, 10)
    checkpoints.stop()
    reader.close()
    writer.close()
