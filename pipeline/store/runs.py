"""Crawl runs: every run ends with a finish reason, whoever ends it.

* the writer finishes a run it served (``finished``, ``shutdown``, ``closespider_…``);
* the crawl process records ``writer_failed`` itself, with the writer's error, when the writer
  died or stopped on a storage error (a full disk, a lock held too long);
* a run whose process was killed (SIGKILL, power loss) is found by the next run of the same
  spider and recorded as ``interrupted``: its process is gone and it never closed.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import sqlite_utils

from pipeline.store.txn import immediate

WRITER_FAILED = "writer_failed"
INTERRUPTED = "interrupted"


def utcnow() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def this_host() -> str:
    return socket.gethostname()


def process_alive(pid: int | None) -> bool:
    """True if a process with this id runs on this machine (and may be ours)."""
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def mark_interrupted(conn: sqlite3.Connection, spider: str) -> int:
    """Close the open runs of ``spider`` whose crawl process is gone; returns how many."""
    rows = conn.execute(
        "select id, pid, host from crawl_runs where spider = ? and finish_reason is null",
        [spider],
    ).fetchall()
    host = this_host()
    stale = [run for run, pid, run_host in rows if run_host == host and not process_alive(pid)]
    stale += [run for run, pid, run_host in rows if run_host is None]  # runs of older versions
    for run in stale:
        conn.execute(
            "update crawl_runs set finish_reason = ?, error = ? where id = ?",
            [INTERRUPTED, "the crawl process ended without closing this run (killed?)", run],
        )
    return len(stale)


def register_site(db: sqlite_utils.Database, name: str, **fields: Any) -> None:
    """Add or update a ``sites`` row; ``last_crawled`` is now."""
    now = utcnow()
    row = {"name": name, **fields, "last_crawled": now}
    if not db["sites"].count_where("name = ?", [name]):
        row["first_crawled"] = now
    db["sites"].upsert(row, pk="name", alter=True)


def open_run(
    db: sqlite_utils.Database,
    spider: str,
    site: str | None = None,
    args: dict | None = None,
    pid: int | None = None,
    sites: list[dict[str, Any]] | None = None,
    started: str | None = None,
) -> int:
    """A new ``crawl_runs`` row for ``spider`` run by process ``pid``, in one transaction with
    its sites' rows; earlier runs of the same spider that never closed and whose process is
    gone are recorded as ``interrupted`` first.

    The crawl process opens its run itself (it has the archive open for the schema anyway), so
    Scrapy starts fetching while the writer process is still starting. ``started``: when, on
    the crawl's clock (``ZWGK_TODAY`` in replica runs); None: now."""
    row = {
        "spider": spider,
        "site": site,
        "started": started or utcnow(),
        "args": json.dumps(args or {}),
        "pid": pid,
        "host": this_host(),
    }
    with immediate(db.conn):  # mark_interrupted reads, then writes: the write lock first
        for fields in sites or ():
            register_site(db, **fields)
        mark_interrupted(db.conn, spider)
        return db["crawl_runs"].insert(row).last_pk


def record_writer_failure(
    db_path: str, run_id: int, error: str, pages_fetched: int | None = None
) -> bool:
    """From the crawl process: end ``run_id`` as ``writer_failed`` with the error, and the
    counts of what the run committed (new and changed versions, failures; the writer's count of
    unchanged pages died with it).

    Returns False when even this cannot be written (the disk is still full): the run then stays
    open and the next run records it as ``interrupted``.
    """
    if not Path(db_path).is_file():
        return False
    try:
        with closing(sqlite3.connect(db_path, timeout=5)) as conn, conn:
            values = [utcnow(), WRITER_FAILED, error[:1000], pages_fetched, run_id]
            conn.execute(_FAILED_RUN, values)
        return True
    except sqlite3.Error:
        return False


_FAILED_RUN = """
update crawl_runs set finished = ?, finish_reason = ?, error = ?,
  pages_fetched = coalesce(?, pages_fetched),
  new = (select count(*) from notice_versions where crawl_run_id = crawl_runs.id and version = 1),
  changed = (select count(*) from notice_versions where crawl_run_id = crawl_runs.id
             and version > 1),
  failed = (select count(*) from fetch_failures where crawl_run_id = crawl_runs.id)
where id = ?
"""
