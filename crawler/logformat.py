"""Scrapy's log messages, without building a DEBUG record per page when DEBUG is off.

Scrapy logs every response (``Crawled (200) <GET …>``) and every scraped item (``Scraped from
…``, with the whole item: a page's bytes) at DEBUG. Its logging setup filters by level in the
handler, not the logger, so each of those records was created, then dropped: 1-2% of the crawl
process at ``LOG_LEVEL = INFO``. ``LogFormatter`` returns no message for them unless the
crawl's ``LOG_LEVEL`` is DEBUG (Scrapy skips a message its formatter returns None for).
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy import logformatter
from scrapy.crawler import Crawler
from scrapy.statscollectors import StatsCollector


class LogFormatter(logformatter.LogFormatter):
    """See the module docstring. Setting: ``LOG_FORMATTER = "crawler.logformat.LogFormatter"``."""

    def __init__(self, debug: bool = True) -> None:
        self.debug = debug
        self._stats: StatsCollector | None = None

    def count_scraped(self, stats: StatsCollector) -> None:
        """Count ``item_scraped_count`` in ``stats`` for each scraped item from now on
        (``crawler.stats.CoreStats``: instead of its ``item_scraped`` receiver)."""
        self._stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> LogFormatter:
        return cls(debug=level_of(crawler.settings.get("LOG_LEVEL")) <= logging.DEBUG)

    def crawled(self, *args: Any, **kwargs: Any) -> Any:
        return super().crawled(*args, **kwargs) if self.debug else None

    def scraped(self, *args: Any, **kwargs: Any) -> Any:
        if self._stats is not None:
            self._stats.inc_value("item_scraped_count")
        return super().scraped(*args, **kwargs) if self.debug else None


def level_of(value: str | int | None) -> int:
    """A log level setting (``"INFO"``, ``20``) as a number; unknown names count as DEBUG."""
    if isinstance(value, int):
        return value
    level = logging.getLevelName(str(value or "DEBUG").upper())
    return level if isinstance(level, int) else logging.DEBUG
