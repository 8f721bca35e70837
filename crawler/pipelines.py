"""Item pipeline: hand pages and failures to the archive writer; every run ends with a reason."""

from __future__ import annotations

import asyncio
import json
import logging
import os
from collections.abc import Coroutine
from typing import Any

from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.settings import Settings
from scrapy.utils.defer import deferred_from_coro
from twisted.internet import task

from crawler.items import AttachmentItem, FailureItem, NotModifiedItem, PageItem
from crawler.recheck import spider_stamp
from crawler.signals import run_finished
from pipeline import affinity
from pipeline.store.runs import WRITER_FAILED, open_run, record_writer_failure
from pipeline.store.schema import open_db
from pipeline.writer import HANDOFF_BYTES, Reply, Writer, WriterFailed

log = logging.getLogger(__name__)

ANSWER_POLL = 0.02  # seconds between looks for the writer's answer at a spider's end


#: The spiders' own item classes (dataclasses): their fields are their ``__dict__``.
_DATACLASS_ITEMS = frozenset({PageItem, NotModifiedItem, FailureItem, AttachmentItem})


def _fields(item: Any) -> Any:
    """The item's fields as a mapping: a dataclass item's own ``__dict__`` (what ItemAdapter
    gives, at a twentieth of the cost: it looks each field up through the Mapping protocol),
    else an ItemAdapter (an item of another type)."""
    return vars(item) if type(item) in _DATACLASS_ITEMS else ItemAdapter(item)


def writer_options(settings: Settings) -> dict[str, Any]:
    """How a crawl's archive writer is started (``Writer.acquire``'s options), from its
    settings: the archive pipeline and WARC capture share one writer, whichever starts it."""
    return {
        "in_process": not settings.getbool("ZWGK_WRITER_PROCESS"),
        "max_bytes": settings.getint("ZWGK_DB_MAX_BYTES", 0),
        "warc_max_bytes": settings.getint("ZWGK_WARC_MAX_BYTES", 0),
        "cpu_affinity": affinity.check(settings.get("ZWGK_CPU_AFFINITY") or "off"),
        "handoff": settings.getint("ZWGK_WRITER_HANDOFF", HANDOFF_BYTES),
    }


class ArchivePipeline:
    """Sends every PageItem / FailureItem / AttachmentItem to the archive writer; records the
    crawl run.

    Settings: ``ZWGK_DB`` (path; empty switches the pipeline off), ``ZWGK_WRITER_PROCESS``,
    ``ZWGK_WRITER_CHECK_INTERVAL`` (seconds between checks that the writer still works),
    ``ZWGK_DB_MAX_BYTES`` (cap on the archive's size; 0: none), ``ZWGK_WARC_MAX_BYTES`` (size at
    which a WARC file is closed and the next one opened), ``ZWGK_CPU_AFFINITY`` (``auto``, ``on``
    or ``off``: one CPU for this process and the others for the writer, ``pipeline.affinity``),
    ``ZWGK_WRITER_HANDOFF`` (bytes waiting in the pipe to the writer past which this process
    extracts the pages of a batch itself, the writer being behind: ``pipeline.writer``'s
    hand-off; 0: never). Stats: ``zwgk/pages/queued``, ``zwgk/pages/prepared_in_crawl`` (pages
    this process extracted for its writer, all spiders sharing it, when the spider closed),
    ``zwgk/failures``, ``zwgk/writer/failed``, and at the end ``zwgk/notices/new``,
    ``…/changed``, ``…/unchanged``, ``…/repaired``, ``…/returned``, ``…/failed``, ``…/gone``,
    and per-field coverage ``zwgk/fields/records``, ``zwgk/fields/<field>/null`` (as stored in
    ``crawl_runs.field_nulls``).

    If the writer stops (storage error, killed), the spider is closed at once with the finish
    reason ``writer_failed``, which this process records in ``crawl_runs`` with the writer's
    error; ``zwgk crawl`` then exits 1.

    Once the writer has closed the run, the signal ``crawler.signals.run_finished`` carries its
    row to the crawl monitors (crawler/monitors.py).
    """

    def __init__(self, crawler: Crawler, db_path: str, interval: float) -> None:
        self.crawler = crawler
        self.writer_options = writer_options(crawler.settings)
        self.stats = crawler.stats
        self.db_path = db_path
        self.interval = interval
        self.writer: Writer | None = None
        self.run_id: int | None = None
        self.run: dict | None = None
        self.failure: str | None = None
        self._watchdog: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchivePipeline:
        db_path = crawler.settings.get("ZWGK_DB")
        if not db_path:
            raise NotConfigured("ZWGK_DB is empty")
        interval = crawler.settings.getfloat("ZWGK_WRITER_CHECK_INTERVAL", 1.0)
        pipeline = cls(crawler, db_path, interval)
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(pipeline.request_dropped, signal=signals.request_dropped)
        return pipeline

    def open_spider(self) -> None:
        spider = self.crawler.spider
        site = getattr(spider, "site_profile", None)
        args = {"base_url": getattr(spider, "base_url", None)}
        # Create or upgrade the schema and open the run here, in the crawl process: the writer
        # process then starts (imports, reads the archive's memory) while Scrapy fetches.
        db = open_db(self.db_path)
        try:
            self.run_id = open_run(
                db, spider.name, getattr(spider, "site", None), args, os.getpid(),
                [site] if site else [], started=spider_stamp(spider),
            )  # fmt: skip
        finally:
            db.close()
        self.writer = Writer.acquire(self.db_path, **self.writer_options)
        spider.crawl_run_id = self.run_id
        self.stats.set_value("zwgk/run_id", self.run_id)
        self._watchdog = task.LoopingCall(self._check_writer)
        self._watchdog.start(self.interval, now=False)

    def process_item(self, item):
        if self.failure is not None or self.writer is None:
            return item  # the spider is closing; the run is recorded as writer_failed
        try:
            self._send(item)
        except WriterFailed as exc:
            self._writer_failed(str(exc))
        return item

    def _send(self, item) -> None:
        fields = _fields(item)
        if isinstance(item, PageItem):
            self.writer.page(dict(fields.items()), self.run_id)  # shallow: bytes not copied
            self.stats.inc_value("zwgk/pages/queued")
        elif isinstance(item, NotModifiedItem):
            self.writer.not_modified(item.url, self.run_id, item.fetched_at)
            self.stats.inc_value("zwgk/pages/not_modified")
        elif isinstance(item, FailureItem):
            self.writer.fail(**dict(fields.items()), run_id=self.run_id)
            self.stats.inc_value("zwgk/failures")
        elif isinstance(item, AttachmentItem):
            self.writer.attachment(dict(fields.items()))
            self.stats.inc_value("zwgk/attachments/queued")

    def request_dropped(self, request, spider) -> None:
        """A redirect that led to a URL already requested in this run is dropped by Scrapy's
        duplicate filter: the URL that redirected gets a failure row naming where it led, so
        every detail URL ends as a notice or a failure."""
        redirects = request.meta.get("redirect_urls")
        if redirects and self.writer is not None and self.failure is None:
            reason = f"redirected to {request.url}, already requested in this run"
            site = getattr(spider, "site", spider.name)
            self.process_item(FailureItem(url=redirects[0], site=site, reason=reason))

    # -- the writer stopped ---------------------------------------------------------------
    def _check_writer(self) -> None:
        if self.writer is not None and self.failure is None:
            problem = self.writer.health()
            if problem is not None:
                self._writer_failed(problem)

    def _writer_failed(self, problem: str) -> None:
        if self.failure is not None:
            return
        self.failure = problem
        self.stats.set_value("zwgk/writer/failed", problem)
        log.error("archive writer failed: %s; closing the spider", problem)
        engine = self.crawler.engine
        if engine is not None and engine.spider is not None:
            deferred_from_coro(engine.close_spider_async(reason=WRITER_FAILED))

    def spider_closed(self, spider, reason: str) -> Coroutine[Any, Any, None] | None:
        """Close the run. The writer answers once it has stored everything sent before; the
        crawl process does not wait for that (other spiders of the process keep fetching):
        Scrapy awaits the coroutine returned here before it closes this spider's stats."""
        if self._watchdog is not None and self._watchdog.running:
            self._watchdog.stop()
        if self.writer is None:
            return None
        fetched = self.stats.get_value("downloader/response_count", 0)
        reply = None
        if self.failure is None:
            try:
                reply = self.writer.finishing(
                    self.run_id,
                    reason,
                    pages_fetched=fetched,
                    listings=self._listings(),
                    finished=spider_stamp(spider),
                )
            except WriterFailed as exc:
                self.failure = str(exc)
        self.stats.set_value("zwgk/pages/prepared_in_crawl", self.writer.prepared)
        if reply is None or reply.done:
            self._closed(spider, reason, fetched, reply)
            return None
        return self._closing(spider, reason, fetched, reply)

    async def _closing(self, spider, reason: str, fetched: int, reply: Reply) -> None:
        """Look for the writer's answer every ``ANSWER_POLL`` seconds, then close the run."""
        while True:
            try:
                if self.writer.answered(reply):
                    break
            except WriterFailed as exc:
                self.failure = str(exc)
                break
            await asyncio.sleep(ANSWER_POLL)
        self._closed(spider, reason, fetched, reply)

    def _closed(self, spider, reason: str, fetched: int, reply: Reply | None) -> None:
        if self.failure is None and reply is not None:
            self.run = reply.value
        if self.failure is not None:
            self._record_failed_run(fetched)
        self.writer.release()
        self.writer = None
        self._report()
        if self.run is not None:
            self.crawler.signals.send_catch_log(
                signal=run_finished, run=dict(self.run), spider=spider, reason=reason
            )

    def _listings(self) -> dict[str, dict[str, int]]:
        """``{list: {"served": n, "announced": m}}`` from the spider's ``zwgk/lists/…`` stats."""
        out: dict[str, dict[str, int]] = {}
        for key, value in self.stats.get_stats().items():
            parts = key.split("/")
            if len(parts) == 4 and parts[:2] == ["zwgk", "lists"]:
                out.setdefault(parts[2], {})[parts[3]] = value
        return out

    def _record_failed_run(self, fetched: int) -> None:
        self.stats.set_value("zwgk/writer/failed", self.failure)
        if not record_writer_failure(self.db_path, self.run_id, self.failure, fetched):
            log.error(
                "could not record the end of crawl run %s in %s (the next run will mark it "
                "interrupted): %s",
                self.run_id,
                self.db_path,
                self.failure,
            )
        self.run = None

    def _report(self) -> None:
        if self.run is None:
            log.error("crawl run %s ended: writer failed: %s", self.run_id, self.failure)
            return
        for key in ("new", "changed", "unchanged", "repaired", "returned", "failed", "gone"):
            self.stats.set_value(f"zwgk/notices/{key}", self.run.get(key) or 0)
        nulls = json.loads(self.run.get("field_nulls") or "{}")
        self.stats.set_value("zwgk/fields/records", nulls.pop("records", 0))
        for name, count in nulls.items():
            self.stats.set_value(f"zwgk/fields/{name}/null", count)
        log.info(
            "crawl run %s stored: %s new, %s changed, %s unchanged, %s failed",
            self.run["id"],
            self.run["new"],
            self.run["changed"],
            self.run["unchanged"],
            self.run["failed"],
        )
