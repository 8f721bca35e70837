"""The archive as the crawler's memory: validators (ETag, Last-Modified) of pages it holds, the
URLs it holds, when each was published and last seen (for the recheck policy), and the notices
it holds only in part (refetched first, without validators)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from pipeline.attachments.store import Holdings
from pipeline.store.consistency import WHOLE

T = TypeVar("T")


def _read(db_path: str | None, query: Callable[[sqlite3.Connection], T], empty: T) -> T:
    """Run ``query`` on a read-only connection; ``empty`` when there is no usable archive."""
    if not db_path or not Path(db_path).is_file():
        return empty
    uri = f"{Path(db_path).resolve().as_uri()}?mode=ro"
    try:
        with sqlite3.connect(uri, uri=True) as conn:
            return query(conn)
    except sqlite3.OperationalError:  # no tables yet, or an older schema
        return empty


#: ``{url: (etag, last_modified)}``: the validators a stored page came with (either may be None),
#: which a conditional request sends back.
Validators = dict[str, tuple[str | None, str | None]]
#: ``(url, publish_date, first_seen, last_seen)`` of a held notice, as ``crawler.recheck`` reads
#: it: "last seen" of a gone notice is when a crawl last found it gone (its last failure), so a
#: withdrawn notice is rechecked as rarely as a live one.
Seen = tuple[str, str, str, str]


@dataclass
class SiteMemory:
    """What the archive holds of one site, as a crawl of it starts.

    ``repair``: the URLs of its notices the archive holds only in part (``zwgk verify`` lists
    them), oldest first; refetched first, without validators. ``validators``: ``{url: (etag,
    last_modified)}`` of its live, whole notices (a 304 must not confirm what is not stored).
    ``known``: the URLs of every notice it holds, when its picture of the site is whole (the
    site's last run finished, and nothing but gone pages, 404/410, failed in it); else empty,
    so the next crawl walks every list page again and completes the archive. ``held``: every
    notice, live or gone, for the recheck policy; ``live``: the URLs of the live ones.
    """

    repair: list[str] = field(default_factory=list)
    validators: Validators = field(default_factory=dict)
    known: set[str] = field(default_factory=set)
    held: list[Seen] = field(default_factory=list)
    live: set[str] = field(default_factory=set)


def site_memory(db_path: str | None, site: str) -> SiteMemory:
    """The archive's :class:`SiteMemory` of ``site``, from one read of its notices in one
    snapshot. Each part was a read of its own, each walking the site's notices again (132,663
    notices at scale 100,000: 3.5 s of CPU for the four a spider made, 2.3 s for the one read;
    about half of it the whole-ness test, two index probes a notice). Read-only; an absent
    archive (first crawl) gives an empty memory."""

    def query(conn: sqlite3.Connection) -> SiteMemory:
        conn.execute("begin")  # one snapshot: the rows and the runs as one writer left them
        memory = SiteMemory()
        incomplete = []
        for url, published, first, last, status, etag, modified, whole in conn.execute(
            _SITE, [site]
        ):
            memory.held.append((url, published, first, last))
            if status == "live":
                memory.live.add(url)
            if not whole:
                incomplete.append((first is not None, first or "", url))
            elif status == "live" and (etag is not None or modified is not None):
                memory.validators[url] = (etag, modified)
        memory.repair = [url for *_, url in sorted(incomplete)]  # SQL's order: nulls first
        if _whole_run(conn, site):
            memory.known = {row[0] for row in memory.held}
        return memory

    return _read(db_path, query, SiteMemory())


def _whole_run(conn: sqlite3.Connection, site: str) -> bool:
    last = conn.execute(_LAST_RUN, [site]).fetchone()
    if not last or last[1] != "finished":
        return False
    return not conn.execute(_RUN_FAILURES, [last[0]]).fetchone()[0]


_LAST_RUN = "select id, finish_reason from crawl_runs where site = ? order by id desc limit 1"
_RUN_FAILURES = (
    "select count(*) from fetch_failures"
    " where crawl_run_id = ? and coalesce(status, 0) not in (404, 410)"
)
# Every query is assembled from constant fragments only (no user input).
_SITE = (
    "select url, publish_date, first_seen, case when status = 'gone' then coalesce("  # noqa: S608
    "(select max(f.failed_at) from fetch_failures f where f.url = n.url), last_seen)"
    f" else last_seen end, status, etag, last_modified, {WHOLE}"
    " from notices n where site = ?"
)


def conditional_headers(validators: tuple[str | None, str | None] | None) -> dict[str, str]:
    """If-None-Match / If-Modified-Since for a page the archive already holds."""
    if not validators:
        return {}
    etag, modified = validators
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if modified:
        headers["If-Modified-Since"] = modified
    return headers


def settled_attachments(db_path: str | None, site: str, broken: bool = True) -> set[str]:
    """URLs of ``site``'s attachments the archive needs no new download of: stored or not
    extracted (and their bytes are there: ``Holdings``), skipped over the cap, and (``broken``)
    broken links; failed ones (a timeout, a 5xx) and stored ones whose bytes are gone (their
    WARC file missing or cut short) are fetched again."""
    statuses = ["stored", "not_extracted", "skipped", *(["broken"] if broken else [])]
    sql = _SETTLED.format(",".join("?" * len(statuses)))
    rows = _read(db_path, lambda conn: conn.execute(sql, [site, *statuses]).fetchall(), [])
    holdings = Holdings(db_path) if rows else None
    return {url for url, sha, *pointer in rows if sha is None or holdings.has(sha, *pointer)}


# Not ``distinct``: the set takes each URL once, and SQLite's sort of 95,251 rows for it was a
# quarter of the read (ccgp at scale 100,000: 1.14 -> 0.85 s).
_SETTLED = (
    "select a.url, a.sha256, a.warc_file, a.warc_offset, a.warc_length"
    " from attachments a join notices n on n.id = a.notice_id"
    " where n.site = ? and a.status in ({})"
)


def attachment_validators(db_path: str | None, site: str) -> Validators:
    """``{url: (etag, last_modified)}`` of ``site``'s stored attachments whose download had
    validators (a ``--full`` crawl revalidates them: a 304 downloads nothing)."""
    rows = _read(db_path, lambda conn: conn.execute(_ATTACHMENT_VALIDATORS, [site]).fetchall(), [])
    return {url: (etag, modified) for url, etag, modified in rows}


_ATTACHMENT_VALIDATORS = (
    "select distinct a.url, a.etag, a.last_modified from attachments a"
    " join notices n on n.id = a.notice_id where n.site = ?"
    " and a.status in ('stored', 'not_extracted')"
    " and (a.etag is not null or a.last_modified is not null)"
)
