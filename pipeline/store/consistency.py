"""What "a notice is whole" means, in SQL shared by the writer, the crawler's memory and verify.

A notice is whole when its current version is stored (``notice_versions`` row
``<id>-<version_count>`` with the notice's content hash) and its attachment rows are all there
(as many as ``attachment_count``). Batches are written in one transaction, so a whole archive
stays whole through any crash; these queries find damage from anything else (an archive written
by an older version, a copy cut short, a hand edit), so the next crawl can refetch it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from typing import NamedTuple

#: 1 when the notice row's current version is stored with the notice's content hash.
HAS_VERSION = (
    "exists(select 1 from notice_versions v where v.id = n.id || '-' || n.version_count"
    " and v.content_sha256 = n.content_sha256)"
)
#: 1 when every attachment the notice row counts has its row.
HAS_ATTACHMENTS = (
    "(select count(*) from attachments a where a.notice_id = n.id)"
    " = coalesce(n.attachment_count, 0)"
)
# Every query below is assembled from the constant fragments above only (no user input).
MEMORY_QUERY = (
    f"select n.id, n.content_sha256, n.version_count, n.status, {HAS_VERSION}, {HAS_ATTACHMENTS}"  # noqa: S608
    " from notices n"
)
#: The same for one notice (the writer's lookup: ``KnownNotices``).
ONE_QUERY = f"{MEMORY_QUERY} where n.id = ?"
#: 1 when the notice is whole: its current version and every attachment row stored.
WHOLE = f"({HAS_VERSION}) and ({HAS_ATTACHMENTS})"
INCOMPLETE_WHERE = f"not ({WHOLE})"


class Known(NamedTuple):
    """What the archive holds of one notice, as the writer needs it to decide an outcome.

    ``digest`` is the content digest, or (as :class:`KnownNotices` keeps it) its first
    ``DIGEST_PREFIX`` hex digits; :meth:`matches` compares either with a full digest."""

    digest: str
    version: int
    status: str
    has_version: bool = True
    has_attachments: bool = True

    @property
    def whole(self) -> bool:
        return self.has_version and self.has_attachments

    def matches(self, digest: str) -> bool:
        """Whether ``digest`` (a full content digest) is this notice's content."""
        return bool(self.digest) and digest[: len(self.digest)] == self.digest


#: Hex digits of a content digest the writer keeps per notice: 64 bits tell versions apart (a
#: changed page taken for unchanged once in 2**64 comparisons).
DIGEST_PREFIX = 16
_VERSION_BITS = 24


class KnownNotices:
    """The archive's notices by id, as :class:`Known`, one int per notice held in memory.

    With ``conn`` (``known_notices``) a notice is looked up in the archive the first time the
    writer asks for it (one indexed query, then held), and one the writer stores is held from
    then on: a crawl that brings a few pages reads a few notices. Loading every notice when the
    writer opened took 4.0–7.5 s of CPU for 357,317 notices, before the crawl's first page
    could be stored (docs/benchmarks-log.md, 2026-12-06, eighth). A lookup costs about twice a
    notice's share of loading them all (27 µs against 13 at 71,890), so after ``load_after``
    lookups (a sixteenth of the archive: a crawl that revalidates all of it) the rest is loaded
    at once, as before, and nothing more is looked up. A ``Known`` tuple with its 64-digit
    digest cost 356 bytes per notice; packed (digest prefix, version, status and the two flags
    in one int) the entry costs its id, its int and the dict slot.
    """

    __slots__ = ("_conn", "_load_after", "_packed")

    def __init__(self, conn: sqlite3.Connection | None = None, load_after: int = 0) -> None:
        self._packed: dict[str, int] = {}
        self._conn = conn
        self._load_after = load_after

    def __len__(self) -> int:
        """The notices held in memory (looked up, loaded or stored)."""
        return len(self._packed)

    def __contains__(self, nid: object) -> bool:
        return isinstance(nid, str) and self._find(nid) is not None

    def __getitem__(self, nid: str) -> Known:
        packed = self._find(nid)
        if packed is None:
            raise KeyError(nid)
        return _unpack(packed)

    def __setitem__(self, nid: str, known: Known) -> None:
        self._packed[nid] = _pack(known)

    def get(self, nid: str) -> Known | None:
        packed = self._find(nid)
        return None if packed is None else _unpack(packed)

    def _find(self, nid: str) -> int | None:
        packed = self._packed.get(nid)
        if packed is not None or self._conn is None:
            return packed
        self._load_after -= 1
        if self._load_after < 0:
            self.load_all()
            return self._packed.get(nid)
        row = self._conn.execute(ONE_QUERY, [nid]).fetchone()
        if row is not None:
            packed = self._packed[nid] = _pack(_known(*row[1:]))
        return packed

    def load_all(self) -> None:
        """Hold every notice of the archive (what is held already, the writer's own, stays)."""
        if self._conn is None:
            return
        packed = self._packed
        for nid, *row in self._conn.execute(MEMORY_QUERY):
            if nid not in packed:
                packed[nid] = _pack(_known(*row))
        self._conn = None


def _pack(known: Known) -> int:
    digest = int(known.digest[:DIGEST_PREFIX], 16) + 1 if known.digest else 0  # 0: none
    version = min(max(known.version, 0), (1 << _VERSION_BITS) - 1)
    flags = (known.status == "gone") << 2 | known.has_version << 1 | known.has_attachments
    return ((digest << _VERSION_BITS | version) << 3) | flags


def _unpack(packed: int) -> Known:
    flags, rest = packed & 7, packed >> 3
    digest = rest >> _VERSION_BITS
    return Known(
        f"{digest - 1:0{DIGEST_PREFIX}x}" if digest else "",
        rest & ((1 << _VERSION_BITS) - 1),
        "gone" if flags & 4 else "live",
        bool(flags & 2),
        bool(flags & 1),
    )


#: Lookups before the writer loads every notice: this share of the archive, at least ``LOAD_MIN``.
LOAD_SHARE = 16
LOAD_MIN = 1000


def known_notices(conn: sqlite3.Connection) -> KnownNotices:
    """The archive's notices, looked up on first use (``KnownNotices``); none when the archive
    holds none yet (a first crawl asks the archive nothing)."""
    (size,) = conn.execute("select max(rowid) from notices").fetchone()  # ~ count, at once
    if size is None:
        return KnownNotices()
    return KnownNotices(conn, load_after=max(LOAD_MIN, size // LOAD_SHARE))


def _known(
    digest: str | None, versions: int | None, status: str | None, has_version, has_attachments
) -> Known:
    return Known(
        digest or "", versions or 0, status or "live", bool(has_version), bool(has_attachments)
    )


def iter_incomplete(conn: sqlite3.Connection) -> Iterator[tuple[str, str, bool, bool]]:
    """``(url, site, has_version, has_attachments)`` of every notice that is not whole."""
    sql = f"select n.url, n.site, {HAS_VERSION}, {HAS_ATTACHMENTS} from notices n"  # noqa: S608
    for url, site, has_version, has_attachments in conn.execute(f"{sql} where {INCOMPLETE_WHERE}"):
        yield url, site, bool(has_version), bool(has_attachments)
