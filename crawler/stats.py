"""The crawl's stats: Scrapy's in-memory collector without its per-attribute shim, and Scrapy's
core stats without a receiver of every item's signal (``CoreStats``, below).

Scrapy 2.19's ``StatsCollector.__getattribute__`` wraps every method access to warn about a
deprecated ``spider`` argument: each attribute read (the methods, and ``self._stats`` inside
them) builds a name, tries a cached attribute and catches an ``AttributeError``. An
``inc_value`` costs ~1.7 µs instead of ~0.1 µs. Scrapy's own components call the stats 12 times
per response of a crawl (downloader, scheduler, engine, depth), the archive's capture, pipeline
and monitors 4 more (counted over a scale-3000 replica crawl, 18,590 responses): ~0.02 ms a page,
about 1.3% of the crawl process. ``FastStatsCollector`` keeps plain attribute access; the
methods and their arguments are Scrapy's (a ``spider`` argument is accepted and ignored, as
Scrapy's methods do, only without the warning). It is the project's ``STATS_CLASS``, so the
bench's bare spider (the baseline) has it too.
"""

from __future__ import annotations

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.extensions import corestats
from scrapy.statscollectors import MemoryStatsCollector

from crawler.logformat import LogFormatter


class FastStatsCollector(MemoryStatsCollector):
    """``MemoryStatsCollector`` with Python's own attribute lookup (see the module doc)."""

    __getattribute__ = object.__getattribute__


class CoreStats(corestats.CoreStats):
    """Scrapy's ``CoreStats`` (start and finish times, ``finish_reason``, the counts of responses,
    items and dropped items), with ``item_scraped_count`` counted without the ``item_scraped``
    signal when the crawl's log formatter is the project's (``crawler.logformat.LogFormatter``).

    Scrapy 2.19 sends ``item_scraped`` through an asyncio task per receiver, and ``CoreStats``
    was the crawl's only receiver: ~18 µs of the crawl process's CPU for each of a scale-3,000
    crawl's ~18,500 items (its pages and attachment downloads). Scrapy calls the log formatter's
    ``scraped`` for every scraped item at the same point, right before it sends the signal, and
    synchronously: counting there gives the same count. Another formatter (a ``LOG_FORMATTER``
    set elsewhere) gets Scrapy's receiver back. Setting: ``EXTENSIONS`` (crawler/settings.py)
    replaces Scrapy's ``CoreStats`` with this one."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CoreStats:
        stats = cls(crawler.stats)
        connect = crawler.signals.connect
        connect(stats.spider_opened, signal=signals.spider_opened)
        connect(stats.spider_closed, signal=signals.spider_closed)
        connect(stats.item_dropped, signal=signals.item_dropped)
        connect(stats.response_received, signal=signals.response_received)
        formatter = crawler.logformatter
        if isinstance(formatter, LogFormatter):
            formatter.count_scraped(crawler.stats)
        else:
            connect(stats.item_scraped, signal=signals.item_scraped)
        return stats
