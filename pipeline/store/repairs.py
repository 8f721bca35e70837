"""One-time repairs of data older writers stored wrong, run once per archive on open.

``PRAGMA user_version`` records the archive's schema version (version 1: the bigram full-text
index, ``fts_index``). Each repair here raises it by one, in the transaction that repairs, so an
archive is repaired once and a fresh archive (nothing to repair) just records the version.

* version 2: ``notices.first_seen`` was left NULL for a notice first stored in the same batch
  as a change to another notice (writers before 2026-12-02); it becomes the notice's earliest
  fetch (``min(notice_versions.fetched_at)``), which is what ``first_seen`` means.
* version 3: each version's raw bytes move from ``notice_versions.raw_gzip`` into the archive's
  WARC files, and the row points at its record (``pipeline/warc/migrate.py``); the blobs become
  NULL (``VACUUM`` returns their space).
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable

from pipeline.store.txn import immediate
from pipeline.warc.migrate import move_raw_gzip

log = logging.getLogger(__name__)


def _first_seen(conn: sqlite3.Connection) -> int:
    return conn.execute(
        "update notices set first_seen = (select min(v.fetched_at) from notice_versions v"
        " where v.notice_id = notices.id) where first_seen is null"
    ).rowcount


#: Repairs by the schema version they bring the archive to.
REPAIRS: dict[int, Callable[[sqlite3.Connection], int]] = {2: _first_seen, 3: move_raw_gzip}


def run(conn: sqlite3.Connection) -> None:
    """Run the repairs this archive has not had, each in its own transaction."""
    for version, repair in sorted(REPAIRS.items()):
        if conn.execute("pragma user_version").fetchone()[0] >= version:
            continue
        with immediate(conn):
            if conn.execute("pragma user_version").fetchone()[0] < version:
                fixed = repair(conn)
                conn.execute(f"pragma user_version = {version}")
                if fixed:
                    log.info("archive repair %d (%s): %d rows", version, repair.__name__, fixed)
