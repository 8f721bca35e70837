"""Older archives kept each version's raw bytes in ``notice_versions.raw_gzip``: move them to WARC.

Each blob becomes a ``response`` record made from what the row kept (URL, status, content type,
fetch time, the body; no request and no other header was kept), in new WARC files of the
archive, and the row gets its pointer and loses its blob (NULL). Records are synced to disk
before the rows are updated (one transaction, the caller's), so a crash leaves either the old
row or the new one; a record written for a row that was not updated is harmless. The database
file keeps its size until ``VACUUM`` (docs/evidence.md).
"""

from __future__ import annotations

import gzip
import logging
import sqlite3
import zlib
from pathlib import Path

from pipeline.warc.exchange import new_record_id, page_exchange
from pipeline.warc.files import WarcFiles, warc_dir

log = logging.getLogger(__name__)

BATCH = 200


def database_path(conn: sqlite3.Connection) -> Path | None:
    """The file of the connection's main database (None in memory)."""
    for _, name, path in conn.execute("pragma database_list"):
        if name == "main":
            return Path(path) if path else None
    return None


def move_raw_gzip(conn: sqlite3.Connection) -> int:
    """Move every ``raw_gzip`` blob into WARC records; returns how many moved."""
    columns = {row[1] for row in conn.execute("pragma table_info(notice_versions)")}
    path = database_path(conn)
    if "raw_gzip" not in columns or path is None:
        return 0
    files = WarcFiles(warc_dir(path))
    moved, after = 0, -1
    try:
        while rows := conn.execute(_SELECT, [after, BATCH]).fetchall():
            after = rows[-1][0]
            updates = [update for row in rows if (update := _moved(files, row))]
            files.sync()  # on disk before the rows that name its records
            conn.executemany(_UPDATE, updates)
            moved += len(updates)
    finally:
        files.close()
    if moved:
        log.info(
            "moved %d raw captures from notice_versions.raw_gzip into %s", moved, files.directory
        )
    return moved


_SELECT = (
    "select v.rowid, v.id, n.url, v.fetched_at, v.http_status, v.content_type, v.raw_gzip"
    " from notice_versions v join notices n on n.id = v.notice_id"
    " where v.rowid > ? and v.raw_gzip is not null order by v.rowid limit ?"
)
_UPDATE = (
    "update notice_versions set warc_file = ?, warc_offset = ?, warc_length = ?,"
    " warc_record_id = ?, payload_sha256 = ?, raw_gzip = null where id = ?"
)


def _moved(files: WarcFiles, row: tuple) -> tuple | None:
    """The row's update, or None for a blob that does not decompress (left as it is, and
    reported by ``zwgk verify`` as a version without a WARC record)."""
    _, version_id, url, fetched_at, status, content_type, blob = row
    try:
        body = gzip.decompress(blob)
    except (OSError, EOFError, zlib.error):
        log.warning("raw capture of %s does not decompress: left in raw_gzip", version_id)
        return None
    exchange = page_exchange(
        url,
        new_record_id(),
        fetched_at or "1970-01-01T00:00:00Z",
        body=body,
        status=status or 200,
        content_type=content_type,
    )
    pointer = files.write(exchange)
    return (
        pointer.file,
        pointer.offset,
        pointer.length,
        pointer.record_id,
        pointer.payload_sha256,
        version_id,
    )
