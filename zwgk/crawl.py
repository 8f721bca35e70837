"""Run spiders in this process and report what the archive got."""

from __future__ import annotations

import logging
import os
import time
from dataclasses import dataclass
from typing import Any

QUIET_LOGGERS = (
    "scrapy.middleware",
    "scrapy.crawler",
    "scrapy.addons",
    "scrapy.core.engine",
    "scrapy.extensions.telnet",
    "scrapy.statscollectors",
    "scrapy.utils.log",
)


@dataclass
class CrawlResult:
    spider: str
    run: dict[str, Any]
    stats: dict[str, Any]
    elapsed: float

    def summary(self) -> str:
        run = self.run or {}
        seen = run.get("new", 0) + run.get("changed", 0) + run.get("unchanged", 0)
        stopped = self.stats.get("zwgk/lists/stopped_early", 0)
        mode = f", incremental: {stopped} columns stopped early" if stopped else ""
        return (
            f"{self.spider}: {run.get('pages_fetched', 0)} pages fetched, {seen} notices "
            f"archived or confirmed ({run.get('new', 0)} new, {run.get('changed', 0)} changed, "
            f"{run.get('unchanged', 0)} unchanged), {run.get('failed', 0)} failures{mode}, "
            f"{self.elapsed:.1f} s, finish reason: {run.get('finish_reason')}"
        )


def project_settings(**overrides: Any):
    """The project's Scrapy settings with command-line overrides applied."""
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    from scrapy.utils.project import get_project_settings

    settings = get_project_settings()
    if overrides.get("ZWGK_REPLICA_URL"):
        settings.setdict(settings.getdict("REPLICA_OVERRIDES"), priority="cmdline")
    settings.setdict({k: v for k, v in overrides.items() if v is not None}, priority="cmdline")
    return settings


def spider_names() -> list[str]:
    from scrapy.spiderloader import SpiderLoader

    return sorted(SpiderLoader.from_settings(project_settings()).list())


def run_crawl(
    spiders: list[str] | None,
    db: str,
    replica_url: str | None = None,
    log_level: str = "INFO",
    **settings: Any,
) -> list[CrawlResult]:
    """Crawl the named spiders (all when empty) into ``db``; blocks until they finish."""
    from scrapy.crawler import CrawlerProcess

    settings = project_settings(
        ZWGK_DB=db,
        ZWGK_REPLICA_URL=replica_url,
        LOG_LEVEL=log_level,
        LOG_FORMAT="%(asctime)s %(levelname)s %(name)s: %(message)s",
        LOG_DATEFORMAT="%H:%M:%S",
        LOG_VERSIONS=[],
        STATS_DUMP=False,
        **settings,
    )
    settings.set(
        "EXTENSIONS",
        {**settings.getdict("EXTENSIONS"), "scrapy.extensions.logstats.LogStats": None},
        priority="cmdline",
    )
    process = CrawlerProcess(settings)
    for name in QUIET_LOGGERS:  # after CrawlerProcess: its logging setup resets levels
        logging.getLogger(name).setLevel(logging.WARNING)
    names = spiders or spider_names()
    crawlers = []
    for name in names:
        crawler = process.create_crawler(name)
        crawlers.append(crawler)
        process.crawl(crawler)
    started = time.monotonic()
    process.start()
    elapsed = time.monotonic() - started
    return [_result(crawler, db, elapsed) for crawler in crawlers]


def _result(crawler, db: str, elapsed: float) -> CrawlResult:
    import sqlite_utils

    stats = crawler.stats.get_stats()
    run_id = stats.get("zwgk/run_id")
    run = {}
    if run_id is not None:
        run = sqlite_utils.Database(db)["crawl_runs"].get(run_id)
    return CrawlResult(crawler.spidercls.name, run, stats, elapsed)
