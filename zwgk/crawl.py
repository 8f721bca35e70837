"""Run spiders in this process and report what the archive got."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any

from crawler.config import project_settings
from zwgk.lock import archive_lock

#: ``zwgk crawl``'s exit code when a crawl monitor failed (crawler/monitors.py).
EXIT_MONITOR_FAILED = 4
BLOCKED = "blocked"  # the finish reason of a spider the monitors stopped (crawler.monitors)
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

    def count(self, key: str) -> int:
        return (self.run or {}).get(key) or 0

    @property
    def archived(self) -> int:
        """Notices stored or confirmed by this run."""
        return sum(self.count(k) for k in ("new", "changed", "unchanged", "repaired", "returned"))

    @property
    def ok(self) -> bool:
        """The run finished, and did not only fail (every request refused, say)."""
        finished = (self.run or {}).get("finish_reason") == "finished"
        return finished and (self.archived > 0 or self.count("failed") == 0)

    @property
    def blocked(self) -> bool:
        """The monitors stopped the spider: the site answered with challenges or refusals."""
        return (self.run or {}).get("finish_reason") == BLOCKED

    @property
    def failed(self) -> bool:
        """The run did not do its job for a reason other than a monitor's (exit 1)."""
        return not self.ok and not self.blocked

    @property
    def monitor_failures(self) -> list[dict[str, Any]]:
        """The checks that failed (``zwgk/monitors/failures``: site, check, column, field,
        message)."""
        return list(self.stats.get("zwgk/monitors/failures") or [])

    def blocked_detail(self) -> str:
        """What a spider stopped as blocked did after the stop: requests sent (none), queued
        requests not sent, answers to requests sent before the stop."""
        stat = self.stats.get
        return (
            "the site answers with challenges or refusals: stopped, site marked blocked; "
            f"{stat('zwgk/monitors/requests_after_stop', 0)} requests sent after the stop, "
            f"{stat('zwgk/monitors/unsent', 0)} queued ones not sent, "
            f"{stat('zwgk/monitors/answers_after_stop', 0)} answers to earlier ones came after it"
        )

    def monitor_lines(self) -> list[str]:
        """One line per failed check, naming the site, the check and the column."""
        lines = []
        for failure in self.monitor_failures:
            column = failure.get("column")
            where = f"column {column}" if column is not None else "whole run"
            lines.append(
                f"{failure.get('site') or self.spider}: monitor {failure['check']} failed "
                f"({where}): {failure['message']}"
            )
        return lines

    def summary(self) -> str:
        run = self.run or {}
        stopped = self.stats.get("zwgk/lists/stopped_early", 0)
        not_due = self.stats.get("zwgk/pages/not_due", 0)
        mode = ""
        if stopped or not_due:
            mode = (
                f", incremental: {stopped} columns stopped early, "
                f"{not_due} held pages not due for a recheck"
            )
        repaired = "".join(
            f", {self.count(key)} {key}" for key in ("repaired", "returned") if self.count(key)
        )
        gone = f", {self.count('gone')} gone" if self.count("gone") else ""
        line = (
            f"{self.spider}: {self.count('pages_fetched')} pages fetched, {self.archived} notices "
            f"archived or confirmed ({self.count('new')} new, {self.count('changed')} changed, "
            f"{self.count('unchanged')} unchanged{repaired}), {self.count('failed')} failures{gone}"
            f"{mode}, {self.elapsed:.1f} s, finish reason: {run.get('finish_reason')}"
        )
        if run.get("error"):
            line += f" ({run['error']})"
        elif not run:
            line += " (no crawl run was recorded: see the log above)"
        elif self.blocked:
            line += f" ({self.blocked_detail()})"
        elif run.get("finish_reason") == "finished" and not self.ok:
            line += " (nothing archived: every request failed)"
        return line


def spider_names() -> list[str]:
    from scrapy.spiderloader import SpiderLoader

    return sorted(SpiderLoader.from_settings(project_settings()).list())


def crawl_targets() -> dict[str, tuple[str, dict[str, str]]]:
    """What ``zwgk crawl`` accepts: every spider (with its default profile) and, for spiders
    with site profiles, ``SPIDER:PROFILE`` → (spider, spider arguments)."""
    from crawler.profiles import PROFILES

    targets: dict[str, tuple[str, dict[str, str]]] = {name: (name, {}) for name in spider_names()}
    targets.update({f"gdsite:{name}": ("gdsite", {"profile": name}) for name in PROFILES})
    return targets


def all_profiles() -> list[str]:
    """``zwgk crawl --all-profiles``: every spider, and ``gdsite`` once per site profile."""
    from crawler.profiles import PROFILES

    return [n for n in spider_names() if n != "gdsite"] + [f"gdsite:{p}" for p in PROFILES]


def describe_targets() -> list[str]:
    """One line per target for ``zwgk crawl --list``: name, real URL, what it is."""
    from scrapy.spiderloader import SpiderLoader

    from crawler.profiles import DEFAULT, PROFILES

    loader = SpiderLoader.from_settings(project_settings())
    lines = []
    for name in spider_names():
        cls = loader.load(name)
        default = f" (= gdsite:{DEFAULT})" if name == "gdsite" else ""
        lines.append(f"{name:<18} {cls.base_url:<45} {cls.site_title}{default}")
    for name, profile in PROFILES.items():
        sid = f"SID {profile.sid}"
        lines.append(f"gdsite:{name:<11} {profile.base_url:<45} {profile.title}, {sid}")
    return lines


def run_crawl(
    spiders: list[str] | None,
    db: str,
    replica_url: str | None = None,
    log_level: str = "INFO",
    **settings: Any,
) -> list[CrawlResult]:
    """Crawl the named spiders (all when empty) into ``db``; blocks until they finish.

    Holds the archive's crawl lock throughout (zwgk/lock.py): raises ``ArchiveLocked`` at once
    when another crawl holds ``db``."""
    with archive_lock(db):
        return _run_crawl(spiders, db, replica_url, log_level, **settings)


def _run_crawl(
    spiders: list[str] | None, db: str, replica_url: str | None, log_level: str, **settings: Any
) -> list[CrawlResult]:
    crawlers, elapsed = run_process(
        spiders, ZWGK_DB=db, ZWGK_REPLICA_URL=replica_url, LOG_LEVEL=log_level, **settings
    )
    return [_result(name, crawler, db, elapsed) for name, crawler in crawlers]


def run_process(spiders: list[str] | None, **settings: Any) -> tuple[list[tuple[str, Any]], float]:
    """Run the named targets (all spiders when empty) in one Scrapy process with the project's
    settings and ``settings``; returns ``[(target, crawler)]`` and the seconds it took."""
    from scrapy.crawler import CrawlerProcess

    settings = project_settings(
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
    targets = crawl_targets()
    crawlers = []
    for name in spiders or spider_names():
        spider, arguments = targets[name]
        crawler = process.create_crawler(spider)
        crawlers.append((name, crawler))
        process.crawl(crawler, **arguments)
    started = time.monotonic()
    process.start()
    return crawlers, time.monotonic() - started


def _result(name: str, crawler, db: str, elapsed: float) -> CrawlResult:
    try:
        stats = crawler.stats.get_stats()
    except Exception:  # the spider never started (its from_crawler raised): no stats, no run
        stats = {}
    run = _run_row(db, stats.get("zwgk/run_id"))
    return CrawlResult(name, run, stats, elapsed)


def _run_row(db: str, run_id: int | None) -> dict[str, Any]:
    """The run's ``crawl_runs`` row as recorded, or {} (no run, or an unreadable archive)."""
    import sqlite3
    from contextlib import closing

    if run_id is None:
        return {}
    try:
        with closing(sqlite3.connect(db, timeout=10)) as conn:
            conn.row_factory = sqlite3.Row
            row = conn.execute("select * from crawl_runs where id = ?", [run_id]).fetchone()
    except sqlite3.Error:
        return {}
    return dict(row) if row else {}
