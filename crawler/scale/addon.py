"""The add-on that turns a crawl into a scale-out worker when ``ZWGK_REDIS_URL`` is set."""

from __future__ import annotations

from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.settings import BaseSettings


class RedisMode:
    """``zwgk crawl --redis URL`` (or ``scrapy crawl … -s ZWGK_REDIS_URL=URL``): the shared queue
    and dupefilter in Redis (crawler.scale.scheduler), per-host politeness across workers
    (crawler.scale.politeness), items to Redis instead of the archive (crawler.scale.pipeline).

    A worker never reads nor writes the archive (it may run on another machine): its crawls are
    full ones (no incremental walk, no conditional requests, no refetch of partial notices),
    and the crawl monitors, which judge the run the writer closed, are off. Without
    ``ZWGK_REDIS_URL`` nothing changes. Priority ``spider``, like REPLICA_OVERRIDES: the command
    line still wins.
    """

    priority = "spider"

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RedisMode:
        if not crawler.settings.get("ZWGK_REDIS_URL"):
            raise NotConfigured
        return cls()

    def update_settings(self, settings: BaseSettings) -> None:
        url = settings.get("ZWGK_REDIS_URL")
        middlewares = {**settings.getdict("DOWNLOADER_MIDDLEWARES"), HOST_SLOTS: 950}
        pipelines = {**settings.getdict("ITEM_PIPELINES"), ARCHIVE: None, REDIS_PIPELINE: 800}
        # One connection per client, no pool: every Redis call of a worker is made on the
        # reactor's thread, and a pooled call pays a check of the connection each time (about
        # 30 µs of CPU; a worker makes 4–6 calls per page).
        params = {"single_connection_client": True, **settings.getdict("REDIS_PARAMS")}
        settings.setdict(
            {
                "REDIS_URL": url,
                "REDIS_PARAMS": params,
                "SCHEDULER": "crawler.scale.scheduler.ReliableScheduler",
                "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
                "SCHEDULER_PERSIST": True,
                "DOWNLOADER_MIDDLEWARES": middlewares,
                "ITEM_PIPELINES": pipelines,
                "ZWGK_DB": "",
                "ZWGK_INCREMENTAL": False,
                "ZWGK_CONDITIONAL": False,
                "ZWGK_MONITORS": False,
            },
            priority=self.priority,
        )


HOST_SLOTS = "crawler.scale.politeness.HostSlots"
ARCHIVE = "crawler.pipelines.ArchivePipeline"
REDIS_PIPELINE = "crawler.scale.pipeline.RedisPipeline"
