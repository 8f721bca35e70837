"""The archive's full-text index ``notices_fts``, kept in step with ``notices`` by the writer.

A contentless FTS5 table (``content=''``): it holds the bigram tokens of ``pipeline.store.fts``
for each notice's ``title``, ``body_text``, ``names`` (the purchaser and suppliers of a
procurement announcement, one per line) and ``attachments`` (the text read from its attachment
files, ``attachments.text``), and no text, so nothing is stored twice. Its rowid is
``notices.rowid`` (stable: the writer upserts with ``ON CONFLICT DO UPDATE``).

FTS5 removes an entry of a contentless table only when given the exact values it indexed, so the
writer, in the transaction that changes a notice, calls ``remove`` *before* the notice's rows
change (the values are recomputed from the stored rows) and ``add`` after; so does the writer
when an attachment's text arrives (pipeline/store/attachment_rows.py). Marking a notice gone
or seen again does not touch what is indexed. ``VACUUM`` renumbers the rowids of ``notices``
(it has no INTEGER PRIMARY KEY): run ``rebuild`` after one.

``ensure`` creates the index, or replaces an older one (the ``unicode61`` external-content table
and its triggers), once: ``PRAGMA user_version`` records the schema version, and version 1 is
a bigram index; an index of an older shape (without the ``attachments`` column) is told apart by
its ``CREATE`` statement, and rebuilt once.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import time
from collections.abc import Iterable, Iterator, Sequence

from pipeline.store.fts import index_text
from pipeline.store.fts_chars import TOKENIZE
from pipeline.store.txn import immediate

TABLE = "notices_fts"
VERSION = 1  # PRAGMA user_version from which the archive has a bigram index
# No prefix index: one on first characters made one-character searches 1.4-3.5 times faster
# (20,000 notices), but cost the writer 0.23 ms of CPU per page (+11%) and the index 65% more bytes.
CREATE = (
    "create virtual table notices_fts using fts5(title, body_text, names, attachments,"
    f" content='', tokenize='{TOKENIZE}')"
)
#: The rowids of the notices an FTS5 expression (``fts.match_query``) matches.
SEARCH_ROWIDS = "select rowid from notices_fts where notices_fts match ?"
CHUNK = 500  # notices per query
#: FTS5 merges this many segments of a level into one (its default: 4). Every writer batch adds
#: a segment, so the writer merged ~40% of what it wrote again and again; at 8, indexing a
#: default scale-3000 crawl's 11,160 notices (200 per transaction) took 13% less CPU (1.86 s
#: instead of 2.14), the index 1% more bytes, and a search reads at most 8 segments a level
#: (SQLite's documentation allows 2 to 16). ``optimize`` still merges everything into one.
AUTOMERGE = 8
log = logging.getLogger(__name__)

_INSERT = (
    "insert into notices_fts(rowid, title, body_text, names, attachments) values (?, ?, ?, ?, ?)"
)
_DELETE = (
    "insert into notices_fts(notices_fts, rowid, title, body_text, names, attachments)"
    " values ('delete', ?, ?, ?, ?, ?)"
)
_NAMES = (
    "select notice_id, purchaser, award_suppliers from procurement where notice_id in ({0})"
    " union all"
    " select notice_id, supplier, null from procurement_awards where notice_id in ({0})"
)
_TEXTS = (
    "select notice_id, text from attachments where notice_id in ({0}) and text is not null"
    " order by notice_id, position"
)


def entries(conn: sqlite3.Connection, ids: Sequence[str]) -> Iterator[tuple]:
    """``(rowid, title, body_text, names, attachments)`` as indexed, for the stored notices
    among ``ids``."""
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        marks = ",".join("?" * len(chunk))
        rows = conn.execute(
            f"select rowid, id, title, body_text from notices where id in ({marks})",  # noqa: S608
            chunk,
        ).fetchall()
        names = _names(conn, chunk, marks)
        texts = _texts(conn, chunk, marks)
        for rowid, nid, title, body in rows:
            indexed = index_text(title), index_text(body), index_text(names.get(nid))
            yield rowid, *indexed, index_text(texts.get(nid))


def _texts(conn: sqlite3.Connection, ids: Sequence[str], marks: str) -> dict[str, str]:
    """The attachments' text of each notice that has any, in link order."""
    found: dict[str, list[str]] = {}
    for nid, text in conn.execute(_TEXTS.format(marks), ids):
        if text:
            found.setdefault(nid, []).append(text)
    return {nid: "\n".join(parts) for nid, parts in found.items()}


def _names(conn: sqlite3.Connection, ids: Sequence[str], marks: str) -> dict[str, str]:
    found: dict[str, set[str]] = {}
    for nid, name, more in conn.execute(_NAMES.format(marks), [*ids, *ids]):
        names = found.setdefault(nid, set())
        names.update(json.loads(more) if more else ())
        if name:
            names.add(name)
    return {nid: "\n".join(sorted(names)) for nid, names in found.items() if names}


def remove(conn: sqlite3.Connection, ids: Sequence[str]) -> None:
    """Take the stored notices among ``ids`` out of the index (before their rows change)."""
    conn.executemany(_DELETE, entries(conn, list(ids)))


def add(conn: sqlite3.Connection, ids: Sequence[str]) -> None:
    """Index the stored notices among ``ids`` (after their rows are written)."""
    conn.executemany(_INSERT, entries(conn, list(ids)))


def missing(conn: sqlite3.Connection) -> list[str]:
    """The stored notices the index does not hold (its ``_docsize`` table has a row for each
    entry, even one of empty values). Rowids first, then ids: SQLite scans its smallest index
    for rowids and the index of ``id`` for ids, 0.06 s against 0.65 s at 357,317 notices (the
    writer asks at every start)."""
    return [
        row[0]
        for row in conn.execute(
            "select id from notices where rowid in (select rowid from notices"
            " where rowid not in (select id from notices_fts_docsize))"
        )
    ]


def add_missing(conn: sqlite3.Connection) -> int:
    """Index the stored notices the index lacks (the writer holds a notice out of it until the
    batch after its own, ``pipeline.store.attachment_rows.apply``, and may stop in between);
    returns how many."""
    ids = missing(conn)
    if ids:
        with immediate(conn):
            add(conn, missing(conn))  # again, inside the write lock
        log.info("full-text index: %d notices were missing, indexed", len(ids))
    return len(ids)


def is_current(conn: sqlite3.Connection) -> bool:
    """Whether the archive has this index (not the older ``unicode61`` one, or none)."""
    sql = _table_sql(conn)
    return _user_version(conn) >= VERSION and sql is not None and sql.lower() == CREATE.lower()


def ensure(conn: sqlite3.Connection) -> None:
    """Create the index, or replace an older one, in one transaction; a no-op once done."""
    if is_current(conn):
        if not _tuned(conn):  # an index made before AUTOMERGE
            with immediate(conn):
                _tune(conn)
        return
    with immediate(conn):  # another process may be doing the same: check again
        if not is_current(conn):
            _replace(conn)


def _tuned(conn: sqlite3.Connection) -> bool:
    found = conn.execute("select v from notices_fts_config where k = 'automerge'").fetchone()
    return found is not None and found[0] == AUTOMERGE


def _tune(conn: sqlite3.Connection) -> None:
    """Set the index's merge policy (kept in the index's own config table)."""
    conn.execute("insert into notices_fts(notices_fts, rank) values ('automerge', ?)", [AUTOMERGE])


def rebuild(conn: sqlite3.Connection) -> None:
    """Build the index again from ``notices`` (after a VACUUM, or to repair it)."""
    with immediate(conn):
        _replace(conn)


def _replace(conn: sqlite3.Connection) -> None:
    for (trigger,) in conn.execute(
        "select name from sqlite_master where type = 'trigger' and tbl_name = 'notices'"
        " and sql like '%notices_fts%'"
    ).fetchall():
        conn.execute(f'drop trigger "{trigger}"')
    if _table_sql(conn) is not None:
        conn.execute("drop table notices_fts")
    conn.execute(CREATE)
    _tune(conn)
    _index_all(conn)
    conn.execute(f"pragma user_version = {max(VERSION, _user_version(conn))}")


def _index_all(conn: sqlite3.Connection) -> None:
    total = conn.execute("select count(*) from notices").fetchone()[0]
    started = time.monotonic()
    done = 0
    for ids in _id_chunks(conn):
        add(conn, ids)
        done += len(ids)
        if done % 50_000 < len(ids) or done == total:
            log.info("full-text index: %d of %d notices", done, total)
    if total:
        conn.execute("insert into notices_fts(notices_fts) values ('optimize')")
        log.info("full-text index: %d notices in %.1f s", total, time.monotonic() - started)


def _id_chunks(conn: sqlite3.Connection) -> Iterable[list[str]]:
    last = None
    while True:
        rows = conn.execute(
            "select rowid, id from notices where rowid > coalesce(?, -1) order by rowid limit ?",
            (last, CHUNK * 10),
        ).fetchall()
        if not rows:
            return
        last = rows[-1][0]
        yield [nid for _, nid in rows]


def _table_sql(conn: sqlite3.Connection) -> str | None:
    row = conn.execute("select sql from sqlite_master where name = ?", [TABLE]).fetchone()
    return row[0] if row else None


def _user_version(conn: sqlite3.Connection) -> int:
    return conn.execute("pragma user_version").fetchone()[0]
