"""What a download fills in ``attachments`` rows, kept through the writer's rewrites.

An attachment is linked by URL from one notice or several. A download's columns
(``FILE_COLUMNS``) go to every row with its URL; the full-text index forgets the notices' old
values first and learns the new ones after (``fts_index``), in the writer's transaction.
A changed notice's rows are deleted and written again by the writer: ``saved`` / ``restore``
carry the download's columns across, so a changed page does not mean a new download.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

from pipeline.store import fts_index
from pipeline.warc.files import POINTER_COLUMNS

FILE_COLUMNS = (
    "sha256", "size", "mime", "text", "mime_header", "status", "reason", "fetched_at", "etag",
    "last_modified", *POINTER_COLUMNS,
)  # fmt: skip
_SET = ", ".join(f"{column} = ?" for column in FILE_COLUMNS)
_UPDATE = f"update attachments set {_SET} where url = ?"  # noqa: S608 (constant columns)
_RESTORE = f"update attachments set {_SET} where url = ? and status is null"  # noqa: S608
_COLUMNS = ", ".join(FILE_COLUMNS)
CHUNK = 500


def apply(
    conn: sqlite3.Connection,
    downloads: Sequence[tuple[str, dict[str, Any]]],
    unindexed: Sequence[str] = (),
    *,
    carried: Sequence[str] = (),
    hold: bool = False,
) -> list[str]:
    """Write each ``(url, columns)`` to the rows with that URL, and index ``unindexed`` (notices
    written in this transaction and not in the index yet) with them.

    A notice in ``unindexed`` is indexed once, with its attachments' text: the writer's batch
    usually holds a notice and the downloads of its attachments, and indexing the notice, taking
    it out and indexing it again cost 13% of the writer's CPU on a crawl with attachments.
    With ``hold``, the notices of ``unindexed`` that still have an attachment not downloaded
    (its ``status`` null) are left out of the index and returned: the writer passes them back as
    ``carried`` with its next batch, which indexes them whatever arrived (a batch boundary fell
    between a page and its downloads for about a quarter of the notices of a crawl). ``carried``
    notices are not in the index either. Returns the notices held.
    """
    fresh = {*unindexed, *carried}
    notices: list[str] = []
    if downloads:
        urls = list(dict.fromkeys(url for url, _ in downloads))
        notices = _notices_linking(conn, urls)
        fts_index.remove(conn, [nid for nid in notices if nid not in fresh])
        for url, fields in downloads:
            conn.execute(_UPDATE, [*map(fields.get, FILE_COLUMNS), url])
    held = awaiting(conn, unindexed) if hold else []
    skip = set(held)
    now = [nid for nid in (*carried, *unindexed, *notices) if nid not in skip]
    fts_index.add(conn, list(dict.fromkeys(now)))
    return held


def awaiting(conn: sqlite3.Connection, notice_ids: Sequence[str]) -> list[str]:
    """Those of ``notice_ids`` with an attachment row no download has filled yet."""
    found: set[str] = set()
    for start in range(0, len(notice_ids), CHUNK):
        chunk = list(notice_ids[start : start + CHUNK])
        marks = ",".join("?" * len(chunk))
        found.update(
            row[0]
            for row in conn.execute(
                f"select distinct notice_id from attachments"  # noqa: S608
                f" where notice_id in ({marks}) and status is null",
                chunk,
            )
        )
    return [nid for nid in notice_ids if nid in found]


def saved(conn: sqlite3.Connection, notice_ids: Sequence[str]) -> list[tuple]:
    """The download columns of the rows of these notices, by URL (before they are deleted)."""
    out: list[tuple] = []
    for start in range(0, len(notice_ids), CHUNK):
        chunk = list(notice_ids[start : start + CHUNK])
        marks = ",".join("?" * len(chunk))
        out += conn.execute(
            f"select {_COLUMNS}, url from attachments"  # noqa: S608
            f" where notice_id in ({marks}) and status is not null",
            chunk,
        ).fetchall()
    return out


def restore(conn: sqlite3.Connection, rows: Sequence[tuple]) -> None:
    """Put ``saved`` columns back on rows written again without them (same URL)."""
    conn.executemany(_RESTORE, rows)


def _notices_linking(conn: sqlite3.Connection, urls: list[str]) -> list[str]:
    ids: list[str] = []
    for start in range(0, len(urls), CHUNK):
        chunk = urls[start : start + CHUNK]
        marks = ",".join("?" * len(chunk))
        sql = f"select distinct notice_id from attachments where url in ({marks})"  # noqa: S608
        ids += [row[0] for row in conn.execute(sql, chunk)]
    return list(dict.fromkeys(ids))
