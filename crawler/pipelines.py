"""Item pipeline: hand pages and failures to the archive writer."""

from __future__ import annotations

import logging

from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from crawler.items import FailureItem, NotModifiedItem, PageItem
from pipeline.store.schema import open_db
from pipeline.writer import Writer

log = logging.getLogger(__name__)


class ArchivePipeline:
    """Sends every PageItem / FailureItem to the archive writer; records the crawl run.

    Settings: ``ZWGK_DB`` (path; empty switches the pipeline off), ``ZWGK_WRITER_PROCESS``.
    Stats: ``zwgk/pages/queued``, ``zwgk/failures``, and at the end ``zwgk/notices/new``,
    ``zwgk/notices/changed``, ``zwgk/notices/unchanged``, ``zwgk/notices/failed``.
    """

    def __init__(self, crawler: Crawler, db_path: str, in_process: bool) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.db_path = db_path
        self.in_process = in_process
        self.writer: Writer | None = None
        self.run: dict | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchivePipeline:
        db_path = crawler.settings.get("ZWGK_DB")
        if not db_path:
            raise NotConfigured("ZWGK_DB is empty")
        in_process = not crawler.settings.getbool("ZWGK_WRITER_PROCESS")
        pipeline = cls(crawler, db_path, in_process)
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    def open_spider(self) -> None:
        spider = self.crawler.spider
        # Create or upgrade the schema here, in the crawl process, one spider at a time: the
        # writers of concurrent spiders then only ever write rows (WAL + busy timeout).
        open_db(self.db_path).close()
        self.writer = Writer(self.db_path, in_process=self.in_process)
        site = getattr(spider, "site_profile", None)
        sites = [site] if site else []
        args = {"base_url": getattr(spider, "base_url", None)}
        run_id = self.writer.start_run(spider.name, getattr(spider, "site", None), args, sites)
        spider.crawl_run_id = run_id
        self.stats.set_value("zwgk/run_id", run_id)

    def process_item(self, item):
        adapter = ItemAdapter(item)
        if isinstance(item, PageItem):
            self.writer.page(dict(adapter.items()))  # shallow: the body bytes are not copied
            self.stats.inc_value("zwgk/pages/queued")
        elif isinstance(item, NotModifiedItem):
            self.writer.not_modified(item.url)
            self.stats.inc_value("zwgk/pages/not_modified")
        elif isinstance(item, FailureItem):
            self.writer.fail(**dict(adapter.items()))
            self.stats.inc_value("zwgk/failures")
        return item

    def spider_closed(self, spider, reason: str) -> None:
        if self.writer is None:
            return
        fetched = self.stats.get_value("downloader/response_count", 0)
        self.run = self.writer.finish(reason, pages_fetched=fetched)
        self.writer = None
        for key in ("new", "changed", "unchanged", "failed", "gone"):
            self.stats.set_value(f"zwgk/notices/{key}", self.run.get(key, 0))
        log.info(
            "crawl run %s stored: %s new, %s changed, %s unchanged, %s failed",
            self.run["id"],
            self.run["new"],
            self.run["changed"],
            self.run["unchanged"],
            self.run["failed"],
        )
