"""Writes extracted records into the archive: new, changed or unchanged, never deleting.

``Archive`` is the one writer of ``archive.db``. It keeps every notice's content hash in memory,
so deciding new / changed / unchanged costs no query, and it batches writes: one batch is one
transaction across every table (notices, versions, attachments, procurement, failures, gone
marks), so a crash or a full disk leaves each batch wholly written or not at all. A record's
*content hash* covers the extracted fields (not the raw bytes), so a page whose counter or
timestamp chrome changes is not a new version; the raw bytes of every version are kept in the
archive's WARC files (``pipeline/warc``), and ``notice_versions`` points at their record.

Every HTTP exchange the crawl hands over (:meth:`Archive.capture`) is written to WARC at once;
a stored version points at the response record its page came from, or, for a page that came
without one (a caller outside the crawl), at a response record made from the page itself.

The memory counts a notice as unchanged only when it is whole (``consistency.py``): its current
version and its attachments are stored. A notice that is not (damage from outside the writer) is
written again when its page comes back, as ``repaired``, under the same version number.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from pipeline.attachments.ingest import text_fields
from pipeline.attachments.reader import Pending, TextReader
from pipeline.record import Record, content_fields, plain
from pipeline.store import attachment_rows, fts_index
from pipeline.store.checkpoint import Checkpointer
from pipeline.store.columns import ensure_columns, row_of
from pipeline.store.consistency import Known, KnownNotices, known_notices
from pipeline.store.coverage import Coverage
from pipeline.store.ids import notice_id
from pipeline.store.link import link_projects, links_pending, note_replaced, track_changes
from pipeline.store.procurement import procurement_rows
from pipeline.store.runs import open_run, register_site
from pipeline.store.schema import open_db
from pipeline.store.txn import immediate
from pipeline.store.upsert import upsert_rows
from pipeline.warc import Exchange, Pointer, WarcFiles, new_record_id, warc_dir
from pipeline.warc.exchange import page_exchange
from pipeline.warc.files import Packed

#: Record fields that define a notice's content (what makes a new version).
CONTENT_FIELDS = content_fields(Record)


# Encoders built once (json.dumps with options builds one per call); same output as
# json.dumps(..., ensure_ascii=False, sort_keys=True, separators=(",", ":")) and
# json.dumps(..., ensure_ascii=False).
_HASH_JSON = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))
_RECORD_JSON = json.JSONEncoder(ensure_ascii=False)


def content_hash(record: Record) -> str:
    """sha256 over the content fields of a record, stable across runs."""
    payload = {key: plain(getattr(record, key)) for key in content_fields(type(record))}
    return hashlib.sha256(_HASH_JSON.encode(payload).encode("utf-8")).hexdigest()


def record_json(record: Record) -> str:
    """The record as ``notice_versions.record_json`` keeps it: its JSON without ``body_html``."""
    data = record.to_dict()
    data.pop("body_html", None)
    return _RECORD_JSON.encode(data)


def utcnow() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class Capture:
    """What was fetched: the raw response behind a record."""

    raw: bytes
    http_status: int = 200
    content_type: str | None = None
    fetched_at: str = field(default_factory=utcnow)
    etag: str | None = None
    last_modified: str | None = None
    #: The WARC-Record-ID of the response this page came in (written by :meth:`Archive.capture`).
    warc_record_id: str | None = None
    #: What the crawl knew beside the bytes (the list it came from, the list's own fields, the
    #: body's format): kept with the version so the record can be extracted again from WARC.
    context: dict | None = None
    #: The response record made from this page by its sender (``pipeline.warc.files.Packed``
    #: as a message; a scale-out worker packs its pages), used when the page has no captured
    #: record: the writer then only appends it.
    packed: dict | None = None


def capture_exchange(url: str, capture: Capture) -> Exchange:
    """The exchange a response record is made from for a page that came without a captured one
    (no request; the headers the capture keeps): in the writer, or packed by its sender."""
    return page_exchange(
        url,
        new_record_id(),
        capture.fetched_at,
        body=capture.raw,
        status=capture.http_status,
        content_type=capture.content_type,
        etag=capture.etag,
        last_modified=capture.last_modified,
    )


#: Pointers of 2xx responses kept until their page arrives (list pages never claim theirs).
POINTERS_KEPT = 8192


@dataclass
class RunCounts:
    pages_fetched: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    gone: int = 0
    failed: int = 0
    repaired: int = 0
    returned: int = 0

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


class Archive:
    """The archive's writer. Not thread-safe: one writer per database file.

    ``batch_size``: entries (pages, failures, downloads …) written per transaction. 250 since
    its checkpoints left the committing thread: alternating crawls (docs/benchmarks.md), pages/s
    ×1.05 and ×1.08 at 500 against 200 (scales 3,000 and 20,000), then ×1.033 and ×1.032 at 350
    against 500 (700: ×0.98), then ×1.034 and ×1.048 at 250 against 350. A crash loses at most
    one transaction: those pages are fetched again by the next run."""

    def __init__(
        self,
        path: str,
        *,
        batch_size: int = 250,
        max_bytes: int = 0,
        warc_max_bytes: int = 0,
        background_checkpoints: bool = False,
    ) -> None:
        self.path = path
        self.db = open_db(path)
        track_changes(self.db.conn)  # which projects the writer's changes touch (link.py)
        # Statement journals in memory: a batch's multi-row upsert (upsert.py) changes hundreds
        # of existing pages in one statement, and the journal SQLite keeps to undo that
        # statement alone spills to a temporary file past 64 KB: 143,000 write calls, 298 MB, in
        # a scale-3,000 crawl (docs/benchmarks-log.md, 2026-12-06, second). Its memory is freed
        # when the statement ends. The linking's temporary table, as large as the procurement
        # table, goes to a file all the same (link.temp_on_disk).
        self.db.execute("PRAGMA temp_store=MEMORY")
        self._checkpointer: Checkpointer | None = None
        self.warc = WarcFiles(warc_dir(path), max_bytes=warc_max_bytes)
        self.text_reader = TextReader()  # attachment text, in a child process started on use
        self._pointers: OrderedDict[str, Pointer] = OrderedDict()
        if max_bytes:  # a size cap: past it every write fails with SQLITE_FULL, as on a full disk
            page_size = self.db.execute("pragma page_size").fetchone()[0]
            self.db.execute(f"pragma max_page_count = {max(int(max_bytes) // page_size, 1)}")
        self.batch_size = batch_size
        self._known: KnownNotices = known_notices(self.db.conn)  # looked up on first use
        # Projects are linked again when a run finishes after procurement rows changed, here or
        # in an earlier writer that stopped before it linked (``links_pending``).
        self._unlinked = links_pending(self.db.conn)
        self._link_later = False  # a run finished without linking (``finish_run``)
        self._unlinked_runs: set[int | None] = set()  # runs whose changes are not marked yet
        self._typed: set[type] = {Record}
        self._reset_batch()
        self._held: list[str] = []  # written, indexed with the next batch (``flush``)
        fts_index.add_missing(self.db.conn)  # held by a writer that stopped before indexing
        self._counts: dict[int | None, RunCounts] = {}
        self._coverage: dict[int | None, Coverage] = {}
        self._sites = {row[0] for row in self.db.execute("select name from sites").fetchall()}
        if background_checkpoints:  # a long-running writer (a crawl's, the Redis queue's)
            self._checkpointer = Checkpointer(path, self.db.conn)

    # -- runs and sites -------------------------------------------------------------------
    def register_site(self, name: str, **fields: Any) -> None:
        register_site(self.db, name, **fields)
        self._sites.add(name)

    def start_run(
        self,
        spider: str,
        site: str | None = None,
        args: dict | None = None,
        pid: int | None = None,
        started: str | None = None,
    ) -> int:
        """A new crawl run (:func:`pipeline.store.runs.open_run`), ``started`` at that time (the
        crawl's clock; None: now)."""
        run_id = open_run(self.db, spider, site, args, pid, started=started)
        self._counts[run_id] = RunCounts()
        return run_id

    def counts(self, run_id: int | None) -> RunCounts:
        """The counts of one run so far (several runs may share this writer)."""
        return self._counts.setdefault(run_id, RunCounts())

    def finish_run(
        self,
        run_id: int,
        finish_reason: str,
        pages_fetched: int | None = None,
        error: str | None = None,
        listings: dict[str, dict[str, int]] | None = None,
        finished: str | None = None,
        link: bool = True,
    ) -> dict:
        """Close a run: its counts, field coverage, and what each list served against what it
        announced (``listings``: ``{column: {"served": n, "announced": m}}``).

        ``link=False``: other runs of this writer are still open, and the procurement projects
        (``link.link_projects``, which keys every announcement in the archive again) are linked
        when the last of them finishes, or when the writer closes, instead of after each run:
        a default crawl rebuilt them four times, the last three while its other spiders still
        added announcements."""
        self.flush()
        if self._unlinked and link:
            self._link(run_id)
        self._link_later = self._unlinked and not link
        counts = self._counts.pop(run_id, RunCounts())
        if pages_fetched is not None:
            counts.pages_fetched = pages_fetched
        row = {**counts.as_dict(), "finished": finished or utcnow(), "finish_reason": finish_reason}
        row["error"] = error
        coverage = self._coverage.pop(run_id, Coverage())
        row["field_nulls"] = coverage.as_json()
        row["column_nulls"] = coverage.columns_json()
        row["listings"] = json.dumps(listings or {}, ensure_ascii=False, sort_keys=True)
        with immediate(self.db.conn):
            self.db["crawl_runs"].update(run_id, row)
        return self.db["crawl_runs"].get(run_id)

    # -- pages ----------------------------------------------------------------------------
    def capture(self, exchange: Exchange) -> Pointer:
        """Write one HTTP exchange to WARC now; a 2xx response's pointer waits for its page."""
        pointer = self.warc.write(exchange)
        if 200 <= exchange.status < 300:
            self._pointers[exchange.record_id] = pointer
            if len(self._pointers) > POINTERS_KEPT:
                self._pointers.popitem(last=False)
        return pointer

    def store(
        self,
        record: Record,
        capture: Capture,
        run_id: int | None = None,
        column: str | None = None,
    ) -> str:
        """Queue one extracted record; returns ``new``, ``changed``, ``unchanged``,
        ``repaired`` (same content, but the stored notice was not whole) or ``returned`` (a
        notice marked gone is back with the same content: live again, no new version).
        ``column`` is the list the page was found in (per-column coverage,
        ``crawl_runs.column_nulls``)."""
        if record.site not in self._sites:
            self.register_site(record.site or "")
        if type(record) not in self._typed:  # a record class with new columns: add them
            ensure_columns(self.db, "notices", type(record))
            self._typed.add(type(record))
        self._coverage.setdefault(run_id, Coverage()).add(record, column)
        nid = notice_id(record.url)
        digest = content_hash(record)
        pointer = self._pointers.pop(capture.warc_record_id, None)
        known = self._known.get(nid)
        same = known is not None and known.matches(digest)
        if same and known.status == "gone" and known.whole:
            self._revive(nid, capture.fetched_at, capture.etag, capture.last_modified, run_id)
            self._maybe_flush()
            return "returned"
        if same:  # a gone notice not whole is written whole again, live
            outcome = "unchanged" if known.whole else "repaired"
            version = known.version
        else:
            outcome = "new" if known is None else "changed"
            version = (known.version if known else 0) + 1
        if outcome == "unchanged":
            self._seen.append((capture.fetched_at, capture.etag, capture.last_modified, nid))
        else:  # a repair writes the missing version again under its own number
            if outcome != "repaired" or not known.has_version:
                pointer = pointer or self._page_record(record, capture)
                self._queue_version(nid, version, digest, record, capture, run_id, pointer)
            self._queue_notice(nid, version, digest, record, capture, new=known is None)
            if known is not None or record.procurement is not None:  # its procurement rows are
                self._changed_procurement(run_id)  # written, written again, or taken out
            self._known[nid] = Known(digest, version, "live")
        counts = self.counts(run_id)
        setattr(counts, outcome, getattr(counts, outcome) + 1)
        self._maybe_flush()
        return outcome

    def not_modified(self, url: str, when: str | None = None, run_id: int | None = None) -> str:
        """The server confirmed a page unchanged (HTTP 304): counted, ``last_seen`` moves on."""
        nid = notice_id(url)
        if nid not in self._known:
            return "unknown"
        if self._known[nid].status == "gone":  # the server confirmed what it withdrew is back
            self._revive(nid, when or utcnow(), None, None, run_id)
            self._maybe_flush()
            return "returned"
        self._seen.append((when or utcnow(), None, None, nid))
        self.counts(run_id).unchanged += 1
        self._maybe_flush()
        return "unchanged"

    def fail(
        self,
        run_id: int | None,
        url: str,
        reason: str,
        status: int | None = None,
        site: str = "",
        failed_at: str | None = None,
    ) -> None:
        """Record a URL that could not be archived in this run (``failed_at``: when, on the
        crawl's clock; None: now). Only a 404 or 410 of a held notice touches it: marked
        gone since ``failed_at``; any other failure (5xx, timeout, challenge page) leaves it
        as it was."""
        when = failed_at or utcnow()
        self._failures.append(
            {
                "crawl_run_id": run_id,
                "url": url,
                "site": site,
                "status": status,
                "reason": reason,
                "failed_at": when,
            }
        )
        counts = self.counts(run_id)
        counts.failed += 1
        if status in (404, 410) and self._mark_gone(url, when):
            counts.gone += 1
        self._maybe_flush()

    def attachment_file(self, url: str, fields: dict[str, Any]) -> None:
        """Queue what a download of the attachment at ``url`` gave (pipeline.attachments):
        written to every ``attachments`` row with that URL, after this batch's notices."""
        self._downloads.append((url, fields))
        self._maybe_flush()

    def _mark_gone(self, url: str, when: str) -> bool:
        """A known page that now answers 404/410 is marked gone since ``when`` (the first crawl
        that found it gone; never deleted)."""
        nid = notice_id(url)
        known = self._known.get(nid)
        if not known or known.status == "gone":
            return False
        self._returned = [row for row in self._returned if row[-1] != nid]
        self._gone.append((when, nid))
        self._known[nid] = known._replace(status="gone")
        return True

    def _revive(
        self, nid: str, when: str, etag: str | None, modified: str | None, run_id: int | None
    ) -> None:
        """A gone notice answers again with the content it had: live, seen ``when``."""
        self._gone = [(at, gone) for at, gone in self._gone if gone != nid]
        self._returned.append((when, etag, modified, nid))
        self._known[nid] = self._known[nid]._replace(status="live")
        self.counts(run_id).returned += 1

    def _queue_notice(
        self, nid: str, version: int, digest: str, record: Record, capture: Capture, new: bool
    ) -> None:
        row = row_of(record)
        if not new:
            old = self._notices.get(nid) or self.db["notices"].get(nid)
            # Never overwrite a good field with an empty one: keep the last known value.
            row = {k: (v if v is not None else old.get(k)) for k, v in row.items()}
            self._gone = [(when, gone) for when, gone in self._gone if gone != nid]
        date = row.get("publish_date")
        row.update(
            id=nid,
            url=record.url,
            site=record.site,
            publish_year=int(date[:4]) if date else None,
            attachment_count=len(record.attachments),
            etag=capture.etag,
            last_modified=capture.last_modified,
            content_sha256=digest,
            version_count=version,
            last_seen=capture.fetched_at,
            last_changed=capture.fetched_at,
            status="live",
            gone_since=None,
        )
        if new:
            row["first_seen"] = capture.fetched_at
        else:  # every row carries first_seen: a batch's upsert writes NULL where a row lacks one
            row["first_seen"] = old.get("first_seen")
            self._replaced.append(nid)
        self._notices[nid] = row
        if record.procurement is not None:
            proc, awards, intents = procurement_rows(nid, record)
            self._procurement.append(proc)
            self._awards.extend(awards)
            self._intents.extend(intents)
        for position, att in enumerate(record.attachments):
            self._attachments.append(
                {
                    "id": notice_id(f"{nid}|{att.url}"),
                    "notice_id": nid,
                    "position": position,
                    "name": att.name,
                    "url": att.url,
                }
            )

    def response_record(self, download: dict[str, Any]) -> Pointer:
        """The record of a download (``warc_record_id``, url, body, status, content_type, etag,
        last_modified, fetched_at): the one the crawl captured, else one made from it."""
        pointer = self._pointers.pop(download.get("warc_record_id"), None)
        if pointer is not None:
            return pointer
        return self._made_record(
            download["url"],
            download.get("fetched_at") or utcnow(),
            body=download.get("body") or b"",
            status=download.get("status") or 200,
            content_type=download.get("content_type"),
            etag=download.get("etag"),
            last_modified=download.get("last_modified"),
        )

    def _page_record(self, record: Record, capture: Capture) -> Pointer:
        """A response record made from the page alone, for a page that came without one (made
        by its sender when it came packed)."""
        if capture.packed is not None and capture.packed.get("url") == record.url:
            return self.warc.append(Packed.from_message(capture.packed))
        return self.warc.write(capture_exchange(record.url, capture))

    def _made_record(self, url: str, fetched_at: str, **response: Any) -> Pointer:
        """Write a response record made from what a caller kept of an answer (no exchange)."""
        return self.warc.write(page_exchange(url, new_record_id(), fetched_at, **response))

    def _queue_version(
        self,
        nid: str,
        version: int,
        digest: str,
        record: Record,
        capture: Capture,
        run_id: int | None,
        pointer: Pointer,
    ) -> None:
        self._versions.append(
            {
                "id": f"{nid}-{version}",
                "notice_id": nid,
                "version": version,
                "content_sha256": digest,
                "raw_sha256": hashlib.sha256(capture.raw).hexdigest(),
                "fetched_at": capture.fetched_at,
                "crawl_run_id": run_id,
                "http_status": capture.http_status,
                "content_type": capture.content_type,
                "record_json": record_json(record),
                "context_json": _RECORD_JSON.encode(capture.context) if capture.context else None,
                "warc_file": pointer.file,
                "warc_offset": pointer.offset,
                "warc_length": pointer.length,
                "warc_record_id": pointer.record_id,
                "payload_sha256": pointer.payload_sha256,
            }
        )

    # -- batching -------------------------------------------------------------------------
    def _reset_batch(self) -> None:
        self._notices: dict[str, dict] = {}
        self._versions: list[dict] = []
        self._attachments: list[dict] = []
        self._procurement: list[dict] = []
        self._awards: list[dict] = []
        self._intents: list[dict] = []
        self._replaced: list[str] = []
        self._seen: list[tuple[str, str | None, str | None, str]] = []  # when, etag, lm, id
        self._failures: list[dict] = []
        self._gone: list[tuple[str, str]] = []
        self._returned: list[tuple[str, str | None, str | None, str]] = []  # when, etag, lm, id
        self._downloads: list[tuple[str, dict[str, Any]]] = []

    def _pending(self) -> int:
        queued = len(self._notices) + len(self._seen) + len(self._failures) + len(self._gone)
        return queued + len(self._returned) + len(self._downloads)

    def _maybe_flush(self) -> None:
        if self._pending() >= self.batch_size:
            self.flush(hold=True)

    def flush(self, *, hold: bool = False) -> None:
        """Write everything queued in one transaction: all of it, or (on any error) none.

        With ``hold`` (a batch that filled up, not a run's end or a close), notices whose
        attachments' downloads have not arrived are written but indexed with the next batch
        (``attachment_rows.apply``); a writer that stops in between leaves them unindexed, and
        the next one indexes them when it opens the archive (``fts_index.add_missing``)."""
        if not self._pending():
            if self._held:
                with immediate(self.db.conn):
                    attachment_rows.apply(self.db.conn, [], carried=self._held)
                self._held = []
            return
        self._read_texts()
        self.warc.flush()  # the records first: a committed row never points at unwritten bytes
        with immediate(self.db.conn):
            unindexed = self._flush_notices()
            if self._seen:
                self.db.conn.executemany(
                    "update notices set last_seen = ?, etag = coalesce(?, etag),"
                    " last_modified = coalesce(?, last_modified) where id = ?",
                    self._seen,
                )
            if self._gone:
                self.db.conn.executemany(
                    "update notices set status = 'gone', gone_since = ? where id = ?", self._gone
                )
            if self._returned:
                self.db.conn.executemany(
                    "update notices set status = 'live', gone_since = null, last_seen = ?,"
                    " etag = coalesce(?, etag), last_modified = coalesce(?, last_modified)"
                    " where id = ?",
                    self._returned,
                )
            if self._failures:
                self.db["fetch_failures"].insert_all(self._failures)
            if self._unlinked_runs:  # with the rows they changed: a writer that stops leaves them
                self.db.conn.executemany(  # for the next one to link (outside a run: the last)
                    "update crawl_runs set projects_linked = 0"
                    " where id = coalesce(?, (select max(id) from crawl_runs))",
                    [(run,) for run in self._unlinked_runs],
                )
            held = attachment_rows.apply(  # indexes them too
                self.db.conn, self._downloads, unindexed, carried=self._held, hold=hold
            )
        self._held = held
        self._unlinked_runs.clear()
        self._reset_batch()
        if self._checkpointer is not None:
            self._checkpointer.committed()

    def _read_texts(self) -> None:
        """Take the text reader's answers for this batch's downloads (pipeline.attachments)."""
        for _, fields in self._downloads:
            if isinstance(fields.get("text"), Pending):
                fields.update(text_fields(self.text_reader.result(fields["text"])))

    def _flush_notices(self) -> list[str]:
        """Write the batch's notices and their rows; returns their ids, to be indexed once the
        batch's downloads are written too (``attachment_rows.apply``)."""
        if not self._notices:
            return []
        # The full-text index forgets the stored values before they change (fts_index.py);
        # notices held out of it by the last batch are not in it.
        held = set(self._held)
        replaced = _unique(self._replaced)
        fts_index.remove(self.db.conn, [nid for nid in replaced if nid not in held])
        conn, size = self.db.conn, self.batch_size
        upsert_rows(conn, "notices", list(self._notices.values()), "id", size)
        upsert_rows(conn, "notice_versions", self._versions, "id", size)
        downloaded = attachment_rows.saved(conn, replaced)
        note_replaced(conn, replaced)  # their projects, before their rows change
        for nid in replaced:
            for table in ("attachments", "procurement_awards", "procurement_intents"):
                self.db[table].delete_where("notice_id = ?", [nid])
        for table, rows, pk in (
            ("attachments", self._attachments, "id"),
            ("procurement", self._procurement, "notice_id"),
            ("procurement_awards", self._awards, "id"),
            ("procurement_intents", self._intents, "id"),
        ):
            upsert_rows(conn, table, rows, pk, size)
        attachment_rows.restore(conn, downloaded)
        return list(self._notices)

    def _changed_procurement(self, run_id: int | None) -> None:
        self._unlinked = True
        self._unlinked_runs.add(run_id)

    def _link(self, run_id: int | None = None) -> None:
        link_projects(self.db, changed_only=True)
        with immediate(self.db.conn):  # what was pending is linked; and by a writer that says so
            self.db.conn.execute(
                "update crawl_runs set projects_linked = 1 where projects_linked = 0 or id = ?",
                [run_id],
            )
        self._unlinked = self._link_later = False

    def close(self) -> None:
        self.flush()
        if self._link_later and self._unlinked:  # the run that was to link never finished
            self._link()
        self.warc.close()
        self.text_reader.close()
        self._stop_checkpoints()
        self.db.close()

    def _stop_checkpoints(self) -> None:
        if self._checkpointer is not None:
            self._checkpointer.stop()

    def abandon(self) -> None:
        """Close without writing what is queued (after a storage error rolled a batch back)."""
        self._reset_batch()
        self.text_reader.close()
        with contextlib.suppress(OSError):  # the disk may be what failed: the error is reported
            self.warc.close()
        self._stop_checkpoints()
        self.db.close()


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))
