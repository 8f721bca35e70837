"""Item pipeline of a scale-out worker: every item into Redis, for the one writer.

The worker never opens the archive. Each item becomes one message on ``{prefix}:items``
(pipeline.queue). The messages wait in the crawl's outbox until the scheduler
(crawler.scale.scheduler) acknowledges a request: they go to Redis in the same round trip,
before the acknowledgement, so a request leaves flight only once its items are in Redis (and a
worker killed before that loses nothing: the request goes back to the queue, and is fetched
again). The heartbeat and the run's ``finish`` send what waits too.

A page is extracted and classified here, in the worker (``pipeline.ingest.prepared_of``), and
travels with its record and, for a notice, its WARC response record already gzipped
(``pipeline.ingest.packed_of``): workers are many and the writer is one, so the writer does only
what must be serial (store, index, append to WARC). ``ZWGK_REDIS_EXTRACT = False`` sends bare
pages instead, for the writer to extract (a writer takes either).
"""

from __future__ import annotations

import os
import socket
from weakref import WeakKeyDictionary

from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy_redis.connection import get_redis_from_settings

from crawler.items import AttachmentItem, FailureItem, NotModifiedItem, PageItem
from crawler.scale.keys import DEFAULT_PREFIX, SiteKeys, worker_id
from pipeline.ingest import packed_of, prepared_of
from pipeline.queue import ItemQueue

_OUTBOXES: WeakKeyDictionary[Crawler, ItemQueue] = WeakKeyDictionary()


def outbox(crawler: Crawler, server, prefix: str) -> ItemQueue:
    """The crawl's one queue of items, shared by this pipeline (which adds items) and the
    scheduler (crawler.scale.scheduler, which sends them with each acknowledgement)."""
    queue = _OUTBOXES.get(crawler)
    if queue is None:
        queue = _OUTBOXES[crawler] = ItemQueue(server, prefix)
    return queue


class RedisPipeline:
    """Sends PageItem / NotModifiedItem / FailureItem / AttachmentItem to ``zwgk ingest
    --redis``; opens and closes this worker's crawl run there (run key ``worker:site``).

    Settings: ``ZWGK_REDIS_URL`` (unset: not configured), ``ZWGK_REDIS_PREFIX``,
    ``ZWGK_REDIS_EXTRACT``. Stats:
    ``zwgk/pages/queued``, ``zwgk/pages/not_modified``, ``zwgk/failures``,
    ``zwgk/attachments/queued``, ``zwgk/run_key``.
    """

    def __init__(self, crawler: Crawler, server, prefix: str, extract: bool = True) -> None:
        self.crawler = crawler
        self.extract = extract
        self.stats = crawler.stats
        self.server = server
        self.prefix = prefix
        self.queue = outbox(crawler, server, prefix)
        self.run: str | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RedisPipeline:
        if not crawler.settings.get("ZWGK_REDIS_URL"):
            raise NotConfigured("ZWGK_REDIS_URL is not set")
        server = get_redis_from_settings(crawler.settings)
        prefix = crawler.settings.get("ZWGK_REDIS_PREFIX") or DEFAULT_PREFIX
        extract = crawler.settings.getbool("ZWGK_REDIS_EXTRACT", True)
        pipeline = cls(crawler, server, prefix, extract)
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(pipeline.request_dropped, signal=signals.request_dropped)
        return pipeline

    def open_spider(self) -> None:
        spider = self.crawler.spider
        site = getattr(spider, "site", spider.name)
        self.run = f"{worker_id()}:{site}"
        profile = getattr(spider, "site_profile", None)
        self.queue.push(
            "start_run",
            {
                "run": self.run,
                "spider": spider.name,
                "site": getattr(spider, "site", None),
                "args": {"base_url": getattr(spider, "base_url", None), "worker": worker_id()},
                "sites": [profile] if profile else [],
                "pid": os.getpid(),
                "host": socket.gethostname(),
            },
        )
        self.server.hset(SiteKeys(self.prefix, site).runs, worker_id(), self.run)
        self.stats.set_value("zwgk/run_key", self.run)

    def process_item(self, item):
        adapter = ItemAdapter(item)
        if isinstance(item, PageItem):
            page = adapter.asdict()
            if self.extract:
                page["prepared"] = prepared_of(page)
                if "record" in page["prepared"]:  # a notice: its WARC record made here too
                    page["packed"] = packed_of(page)
            self.queue.add("page", {**page, "run": self.run})
            self.stats.inc_value("zwgk/pages/queued")
        elif isinstance(item, NotModifiedItem):
            payload = {"url": item.url, "when": item.fetched_at, "run": self.run}
            self.queue.add("not_modified", payload)
            self.stats.inc_value("zwgk/pages/not_modified")
        elif isinstance(item, FailureItem):
            self.queue.add("fail", {**adapter.asdict(), "run": self.run})
            self.stats.inc_value("zwgk/failures")
        elif isinstance(item, AttachmentItem):
            self.queue.add("attachment", {**adapter.asdict(), "run": self.run})
            self.stats.inc_value("zwgk/attachments/queued")
        return item

    def request_dropped(self, request, spider) -> None:
        """As ArchivePipeline: a redirect to a URL already requested is a failure row."""
        redirects = request.meta.get("redirect_urls")
        if redirects:
            reason = f"redirected to {request.url}, already requested in this run"
            site = getattr(spider, "site", spider.name)
            self.process_item(FailureItem(url=redirects[0], site=site, reason=reason))

    def spider_closed(self, spider, reason: str) -> None:
        if self.run is None:
            return
        payload = {
            "run": self.run,
            "finish_reason": reason,
            "pages_fetched": self.stats.get_value("downloader/response_count", 0),
            "listings": listings(self.stats.get_stats()),
        }
        self.queue.push("finish", payload)
        site = getattr(spider, "site", spider.name)
        self.server.hdel(SiteKeys(self.prefix, site).runs, worker_id())


def listings(stats: dict) -> dict[str, dict[str, int]]:
    """``{list: {"served": n, "announced": m}}`` from the spider's ``zwgk/lists/…`` stats."""
    out: dict[str, dict[str, int]] = {}
    for key, value in stats.items():
        parts = key.split("/")
        if len(parts) == 4 and parts[:2] == ["zwgk", "lists"]:
            out.setdefault(parts[2], {})[parts[3]] = value
    return out
