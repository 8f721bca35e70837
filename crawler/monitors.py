"""Crawl monitors: judge every run, stop a spider the site is blocking, tell someone.

Scrapers of government sites rot silently: a redesigned template, a column moved, a new WAF, and
the crawl still ends "finished" with nothing or nulls archived. ``CrawlMonitors`` is a Scrapy
extension that

* watches every response while crawling: ``ZWGK_BLOCK_AFTER`` blocking answers in a row
  (HTTP 403/412/429/521, or a bot-shield challenge page answered 200) close the spider at once
  with the finish reason ``blocked`` — a site that refuses us only gets more refusals, and keeps
  counting us; small pages answered 200 are read for a challenge lazily
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
``zwgk/monitors/failed``, ``zwgk/monitors/failures``, ``zwgk/monitors/block_streak``.
"""

from __future__ import annotations

import logging
import sqlite3
from contextlib import closing
from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Request, Response
from scrapy.utils.defer import deferred_from_coro

from crawler import health, notify
from crawler.blocking import READ_EVERY, BlockWatch
from crawler.signals import run_finished
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
        if self.stopped or self.limits.block_after <= 0:
            return
        reached = self.watch.add(response)
        if self.watch.streak:
            self.stats.max_value("zwgk/monitors/block_streak", self.watch.streak)
        if reached:
            self._stop(spider)

    def _stop(self, spider: Spider) -> None:
        self.stopped = True
        seen = ", ".join(f"{k} ×{n}" for k, n in sorted(self.watch.kinds.items()))
        log.error(
            "[%s] %d answers in a row were challenges or refusals (%s): the site blocks the "
            "crawl; closing the spider (finish reason %s)",
            spider.name,
            self.watch.streak,
            seen,
            BLOCKED,
        )
        engine = self.crawler.engine
        if engine is not None and engine.spider is not None:
            deferred_from_coro(engine.close_spider_async(reason=BLOCKED))

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
