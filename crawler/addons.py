"""Scrapy add-ons of the project, enabled by the ``ADDONS`` setting (crawler/settings.py)."""

from __future__ import annotations

from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.settings import BaseSettings


class ReplicaOverrides:
    """No throttling against the bundled replica: ``REPLICA_OVERRIDES`` when ``ZWGK_REPLICA_URL``
    is set, however the crawl starts (``zwgk crawl --replica``, or ``scrapy crawl zjczj -s
    ZWGK_REPLICA_URL=http://127.0.0.1:8800``). Without a replica URL it is not configured and
    nothing changes: real sites stay throttled.

    The overrides go in at priority ``spider``: above the project's polite defaults, below the
    command line, so an explicit ``-s CONCURRENT_REQUESTS=4`` still wins. Add-ons apply after
    a spider's ``custom_settings`` (same priority), so on a replica these win over those too.
    """

    priority = "spider"

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ReplicaOverrides:
        if not crawler.settings.get("ZWGK_REPLICA_URL"):
            raise NotConfigured
        return cls()

    def update_settings(self, settings: BaseSettings) -> None:
        settings.setdict(settings.getdict("REPLICA_OVERRIDES"), priority=self.priority)
