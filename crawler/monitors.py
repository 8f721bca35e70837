"""Crawl monitors: judge every run, stop a spider the site is blocking, tell someone.

Scrapers of government sites rot silently: a redesigned template, a column moved, a new WAF, and
the crawl still ends "finished" with nothing or nulls archived. ``CrawlMonitors`` is a Scrapy
extension that

* watches every response while crawling: ``ZWGK_BLOCK_AFTER`` blocking answers in a row
  (HTTP 403/412/429/521, or a bot-shield challenge page answered 200) close the spider at once
  with the finish reason ``blocked`` — a site that refuses us only gets more refusals, and keeps
  counting us. At that answer the engine is paused (no request leaves the scheduler any more)
  and the requests the downloader holds but has not sent are failed with ``NOT_SENT``: only
  the answers already on their way still come (``zwgk/monitors/answers_after_stop``); small
  pages answered 200 are read for a challenge lazily
  (``crawler.blocking.BlockWatch``: one in ``ZWGK_BLOCK_READ_EVERY``, the ones before it only
  when a run needs them), which stops the spider at the same answer as reading each would;
* evaluates the checks of ``crawler.health`` when the archive writer has closed the run (the
  project signal ``crawler.signals.run_finished``, sent by the item pipeline after the run row
  is complete), against the last healthy run of the same site from the archive;
* stores every evaluated check in ``monitor_results``, marks or clears ``sites.blocked_since``
  (``pipeline.store.monitors``), and for each failure logs one ``ZWGK-MONITOR-FAILED`` line at
  ERROR and POSTs the run's failures to ``ZWGK_MONITOR_WEBHOOK`` when set (``crawler.notify``).

``zwgk crawl`` exits 4 when a check failed (the failures are in the stat
``zwgk/monitors/failures``). Why not Spidermon: it would be a dependency for four checks, and
its monitors see one run's stats, while these checks compare a run with earlier runs that only
the archive holds (the columns a site listed, the null rates it had).

Settings: ``ZWGK_MONITORS`` (False: no monitor at all), ``ZWGK_BLOCK_AFTER``,
``ZWGK_BLOCK_READ_EVERY``, ``ZWGK_MONITOR_MAX_NULL_RATE``, ``ZWGK_MONITOR_NULL_JUMP``,
``ZWGK_MONITOR_MAX_ERROR_RATE``, ``ZWGK_MONITOR_MIN_PAGES``, ``ZWGK_MONITOR_WEBHOOK``,
``ZWGK_MONITOR_WEBHOOK_TIMEOUT``
(crawler/settings.py, docs/operations.md). Stats: ``zwgk/monitors/checked``,
``zwgk/monitors/failed``, ``zwgk/monitors/failures``, ``zwgk/monitors/block_streak``,
``zwgk/monitors/unsent``, ``zwgk/monitors/requests_after_stop`` and
``zwgk/monitors/answers_after_stop`` (a stopped spider).
"""

from __future__ import annotations

import logging
import sqlite3
from contextlib import closing
from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Request, Response
from scrapy.utils.defer import deferred_from_coro

from crawler import health, notify
from crawler.blocking import NOT_SENT, READ_EVERY, BlockWatch
from crawler.signals import run_finished, spider_blocked
from pipeline.store import monitors as store

log = logging.getLogger("zwgk.monitors")

BLOCKED = "blocked"  # the finish reason of a spider stopped as blocked


class CrawlMonitors:
    """See the module docstring."""

    def __init__(
        self, crawler: Crawler, limits: health.Limits, read_every: int = READ_EVERY
    ) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.stats = crawler.stats
        self.limits = limits
        self.db_path = settings.get("ZWGK_DB")
        self.webhook = settings.get("ZWGK_MONITOR_WEBHOOK") or None
        self.timeout = settings.getfloat("ZWGK_MONITOR_WEBHOOK_TIMEOUT", 5.0)
        self.watch = BlockWatch(limits.block_after, read_every)
        self.stopped = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlMonitors:
        settings = crawler.settings
        if not settings.getbool("ZWGK_MONITORS", True):
            raise NotConfigured("ZWGK_MONITORS is off")
        limits = health.Limits(
            max_null_rate=settings.getfloat("ZWGK_MONITOR_MAX_NULL_RATE", 0.2),
            null_jump=settings.getfloat("ZWGK_MONITOR_NULL_JUMP", 0.1),
            max_error_rate=settings.getfloat("ZWGK_MONITOR_MAX_ERROR_RATE", 0.1),
            min_pages=max(settings.getint("ZWGK_MONITOR_MIN_PAGES", 10), 1),
            block_after=settings.getint("ZWGK_BLOCK_AFTER", 20),
        )
        ext = cls(crawler, limits, settings.getint("ZWGK_BLOCK_READ_EVERY", READ_EVERY))
        crawler.signals.connect(ext.response_received, signal=signals.response_received)
        crawler.signals.connect(ext.run_finished, signal=run_finished)
        return ext

    # -- while crawling: blocked? -------------------------------------------------------------
    def response_received(self, response: Response, request: Request, spider: Spider) -> None:
        if self.stopped:  # an answer to a request sent before the stop
            self.stats.inc_value("zwgk/monitors/answers_after_stop")
            return
        if self.limits.block_after <= 0:
            return
        reached = self.watch.add(response)
        if self.watch.streak:
            self.stats.max_value("zwgk/monitors/block_streak", self.watch.streak)
        if reached:
            self._stop(spider)

    def _stop(self, spider: Spider) -> None:
        """Close the spider, sending nothing more from this answer on.

        ``close_spider_async`` runs on a later turn of the event loop; until it has marked the
        engine's slot closing, the engine kept starting scheduled requests as answers freed
        room (0–6 more in 10 replica crawls at a concurrency of 8). ``pause()`` stops that at
        once. The downloader also holds requests it has not sent (with a per-site
        concurrency below the total, most of them; on a throttled site each waits its delay):
        they are failed here, as ``NOT_SENT``, instead of being sent to a site that refuses us,
        and so is each request the engine had handed to the downloader whose middlewares had
        not run yet (they run on a later turn of the loop): ``StopGate``.
        """
        self.stopped = True
        engine = self.crawler.engine
        running = engine is not None and engine.spider is not None
        unsent = 0
        self.crawler.signals.send_catch_log(signal=spider_blocked, spider=spider)
        if running:
            engine.pause()
            unsent = fail_unsent(engine.downloader)
        self.stats.inc_value("zwgk/monitors/unsent", unsent)
        self.stats.set_value("zwgk/monitors/requests_after_stop", 0)
        self.crawler.signals.connect(
            self._sent_after_stop, signal=signals.request_reached_downloader
        )
        seen = ", ".join(f"{k} ×{n}" for k, n in sorted(self.watch.kinds.items()))
        log.error(
            "[%s] %d answers in a row were challenges or refusals (%s): the site blocks the "
            "crawl; closing the spider (finish reason %s), %d queued requests not sent",
            spider.name,
            self.watch.streak,
            seen,
            BLOCKED,
            unsent,
        )
        if running:
            deferred_from_coro(engine.close_spider_async(reason=BLOCKED))

    def _sent_after_stop(self, request: Request, spider: Spider) -> None:
        """A request that reached the downloader after the stop: none should (it is counted,
        ``zwgk/monitors/requests_after_stop``, so a Scrapy upgrade that changes it shows)."""
        self.stats.inc_value("zwgk/monitors/requests_after_stop")

    # -- after the run: judge it ------------------------------------------------------------------
    def run_finished(self, run: dict[str, Any], spider: Spider, reason: str) -> None:
        site = run.get("site") or getattr(spider, "site", None) or spider.name
        results = self.evaluate(run)
        failures = [r for r in results if not r.passed]
        self.stats.set_value("zwgk/monitors/checked", len(results))
        self.stats.set_value("zwgk/monitors/failed", len(failures))
        self.stats.set_value(
            "zwgk/monitors/failures",
            [{"site": site, "check": r.check, "column": r.column, "field": r.field,
              "message": r.message} for r in failures],
        )  # fmt: skip
        try:
            store.record(self.db_path, run, site, results, blocked=self.stopped)
        except sqlite3.Error as exc:
            log.error("could not store the monitor results of run %s: %s", run.get("id"), exc)
        if failures:
            notify.log_failures(site, failures)
            notify.notify_webhook(self.webhook, store.payload(run, site, failures), self.timeout)
        else:
            log.info("[%s] run %s: %d monitor checks passed", spider.name, run["id"], len(results))

    def evaluate(self, run: dict[str, Any]) -> list[store.Result]:
        """Every check that applies to the run. A blocked run is judged as blocked only: what
        it archived before the block says nothing about the site."""
        results: list[store.Result] = []
        if self.limits.block_after > 0:
            watch = self.watch
            results.append(
                health.blocked(self.stopped, watch.longest, watch.longest_kinds, self.limits)
            )
        if self.stopped:
            return results
        try:
            with closing(store.connect(self.db_path)) as conn:
                baseline = store.baseline_run(conn, run)
                attempts = store.attempts(conn, run)
        except sqlite3.Error as exc:
            log.error("could not read the run history for the monitors: %s", exc)
            return results
        if run.get("finish_reason") == "finished":  # a run cut short lists columns in part
            results += health.empty_columns(run, baseline)
        results += health.field_nulls(run, baseline, self.limits)
        rate = health.error_rate(run, attempts, self.limits)
        if rate is not None:
            results.append(rate)
        return results


class StopGate:
    """Downloader middleware: once the crawl monitors stop a spider (the project signal
    ``spider_blocked``), every request still on its way to the downloader is failed as
    ``NOT_SENT`` instead of sent. First in ``DOWNLOADER_MIDDLEWARES`` (order 10).

    Scrapy 2.19 runs a request's downloader middlewares in a task of its own, started on a later
    turn of the event loop than the engine's hand-over: a request handed over just before the
    stop is in neither the scheduler (the engine is paused) nor a download slot's queue
    (``fail_unsent``) at that moment; without this gate it was sent after the stop (two
    requests in 1 of 10 replica crawls of the integration test's shape).
    """

    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats
        self.closed = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StopGate:
        settings = crawler.settings
        monitors = settings.getbool("ZWGK_MONITORS", True)
        if not monitors or settings.getint("ZWGK_BLOCK_AFTER", 20) <= 0:
            raise NotConfigured("no spider is stopped as blocked")
        gate = cls(crawler)
        crawler.signals.connect(gate.spider_blocked, signal=spider_blocked)
        return gate

    def spider_blocked(self, spider: Spider) -> None:
        self.closed = True

    def process_request(self, request: Request) -> None:
        if self.closed:
            self.stats.inc_value("zwgk/monitors/unsent")
            raise IgnoreRequest(NOT_SENT)


def fail_unsent(downloader: Any) -> int:
    """Fail every request the downloader holds but has not started sending; how many.

    Scrapy 2.19's ``Downloader`` keeps, per slot, a ``queue`` of ``(request, deferred)`` pairs
    waiting for a free transfer (or the slot's delay); failing the deferred ends the request as
    an ``IgnoreRequest`` through the downloader middlewares to its errback, so the spider
    records it (``fetch_failures``) and the engine's close does not wait for it. The
    integration test ``tests/integration/test_monitors.py`` checks this on the pinned Scrapy.
    """
    failed = 0
    for slot in list(getattr(downloader, "slots", {}).values()):
        queue = getattr(slot, "queue", None)
        while queue:
            _request, deferred = queue.popleft()
            deferred.errback(IgnoreRequest(NOT_SENT))
            failed += 1
    return failed
