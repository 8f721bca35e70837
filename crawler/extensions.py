"""Extensions: a progress line while crawling."""

from __future__ import annotations

import logging
import time

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from twisted.internet import task

log = logging.getLogger("zwgk.progress")


class Progress:
    """Logs pages fetched, rate, pages queued for the archive and failures every N seconds.

    Setting ``ZWGK_PROGRESS_INTERVAL`` (seconds; 0 switches it off).
    """

    def __init__(self, crawler: Crawler, interval: float) -> None:
        self.stats = crawler.stats
        self.interval = interval
        self.started = time.monotonic()
        self.loop: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Progress:
        interval = crawler.settings.getfloat("ZWGK_PROGRESS_INTERVAL")
        if interval <= 0:
            raise NotConfigured
        ext = cls(crawler, interval)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_opened(self, spider) -> None:
        self.started = time.monotonic()
        self.loop = task.LoopingCall(self.report, spider)
        self.loop.start(self.interval, now=False)

    def report(self, spider) -> None:
        elapsed = max(time.monotonic() - self.started, 1e-9)
        fetched = self.stats.get_value("downloader/response_count", 0)
        log.info(
            "[%s] %d pages fetched (%.0f/s), %d pages to archive, %d failures, %.0fs",
            spider.name,
            fetched,
            fetched / elapsed,
            self.stats.get_value("zwgk/pages/queued", 0),
            self.stats.get_value("zwgk/failures", 0),
            elapsed,
        )

    def spider_closed(self, spider, reason: str) -> None:
        if self.loop and self.loop.running:
            self.loop.stop()
