"""Extension: the garbage collector's thresholds for the crawl process, raised while it crawls.

CPython collects its youngest generation every 700 net allocations of container objects
(``gc.get_threshold()`` = ``(700, 10, 10)``). Scrapy allocates a request, its headers and meta,
Deferreds, coroutines and their frames for every page, and a crawl keeps tens of thousands of
scheduled requests alive, so the collector ran ~4,000 times a crawl of 18,590 pages (37 of them
full collections over the whole heap): 13% of the crawl process's CPU, the same in a bare
Scrapy spider (docs/benchmarks.md). With the youngest generation collected every 10,000
allocations (from the engine's start: imports and setup before it keep the interpreter's own)
it ran ~250 times and cost 1–2%; cycles are still collected (Twisted's failures and
tracebacks make some), only in larger batches, and the peak RSS of a crawl grew by ~10 MB.

Setting ``ZWGK_GC_THRESHOLDS``: the three thresholds, comma-separated (default
``10000,10,10``); empty leaves the interpreter's own. They apply from the first crawler's start
to the last one's end in the process (several spiders of one ``zwgk crawl`` share them), then
the thresholds before are restored.
"""

from __future__ import annotations

import gc
import logging

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

log = logging.getLogger(__name__)

_running = 0  # crawlers of this process between their engine's start and stop
_before: tuple[int, ...] = gc.get_threshold()  # the thresholds the first of them found


def parse_thresholds(value: str | list | tuple | None) -> tuple[int, ...] | None:
    """``"10000,10,10"`` (or a list) as thresholds; None for an empty value. A ValueError names
    a malformed one (1 to 3 non-negative integers)."""
    if value is None or value == "" or value == []:
        return None
    parts = value.split(",") if isinstance(value, str) else list(value)
    try:
        numbers = tuple(int(str(part).strip()) for part in parts)
    except ValueError:
        numbers = ()
    if not 1 <= len(numbers) <= 3 or any(n < 0 for n in numbers):
        raise ValueError(f"ZWGK_GC_THRESHOLDS: 1 to 3 non-negative integers, not {value!r}")
    return numbers


class GcThresholds:
    """Sets ``gc.set_threshold(*ZWGK_GC_THRESHOLDS)`` while crawlers run (see module doc)."""

    def __init__(self, thresholds: tuple[int, ...]) -> None:
        self.thresholds = thresholds
        self.applied = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> GcThresholds:
        thresholds = parse_thresholds(crawler.settings.get("ZWGK_GC_THRESHOLDS"))
        if thresholds is None:
            raise NotConfigured("ZWGK_GC_THRESHOLDS is empty")
        extension = cls(thresholds)
        crawler.signals.connect(extension.engine_started, signal=signals.engine_started)
        crawler.signals.connect(extension.engine_stopped, signal=signals.engine_stopped)
        return extension

    def engine_started(self) -> None:
        global _running, _before
        if self.applied:
            return
        if _running == 0:
            _before = gc.get_threshold()
        _running += 1
        self.applied = True
        gc.set_threshold(*self.thresholds)
        log.debug("gc thresholds %s while crawling", self.thresholds)

    def engine_stopped(self) -> None:
        global _running
        if not self.applied:
            return
        self.applied = False
        _running -= 1
        if _running == 0:  # the last crawler of the process: the thresholds before again
            gc.set_threshold(*_before)
