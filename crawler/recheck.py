"""When a page the archive holds is fetched again: the recheck policy and the crawl's clock.

An incremental re-crawl requests every URL the archive lacks, and revalidates a page it holds
only when its recheck is due: recent notices often, old ones rarely. ``ZWGK_RECHECK`` says how
often, by age, as comma-separated ``AGE:EVERY`` rules in days::

    7:1,30:7,365:30,*:180

A notice at most 7 days old (today minus its publish date) is rechecked when a day or more has
passed since it was last seen (every daily run), one at most 30 days old every 7 days, one at
most a year old every 30, any older one (``*``) every 180. ``EVERY`` 0 rechecks on every run.
Ages grow from rule to rule and ``*`` comes last, once. The age of a notice without a publish
date counts from when the archive first saw it; days are calendar days in China (UTC+8).

``CrawlClock`` is the crawl's idea of today. It is the real date, except in replica runs with
``ZWGK_TODAY`` set (tests and benchmarks replaying a replica's days), where the policy counts
from that day and the crawl stamps its captures on it (``fetched_at``, hence ``last_seen``), its
failures (``failed_at``, hence ``gone_since``) and its run (``crawl_runs.started``,
``finished``), so that the next simulated day sees them one day old.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from typing import Any

from pipeline.normalize.dates import CHINA, iso_day

DEFAULT = "7:1,30:7,365:30,*:180"
STAMP = "%Y-%m-%dT%H:%M:%SZ"


@dataclass(frozen=True)
class Rule:
    """Notices at most ``max_age`` days old (None: any age) are rechecked every ``every`` days."""

    max_age: int | None
    every: int

    def __str__(self) -> str:
        return f"{'*' if self.max_age is None else self.max_age}:{self.every}"


@dataclass(frozen=True)
class RecheckPolicy:
    """Recheck intervals by age; see the module docstring for the format."""

    rules: tuple[Rule, ...]

    @classmethod
    def parse(cls, text: str) -> RecheckPolicy:
        """The policy written in ``text``; ValueError naming what is wrong."""
        parts = [part.strip() for part in str(text).split(",")]
        if not any(parts):
            raise ValueError(f"empty recheck policy; expected AGE:EVERY rules like {DEFAULT}")
        rules = [_rule(part) for part in parts]
        ages = [rule.max_age for rule in rules]
        if ages[-1] is not None or ages.count(None) != 1:
            raise ValueError(f"{text!r}: the last rule, and only it, must be *:EVERY")
        bounded = ages[:-1]
        if any(later <= earlier for earlier, later in pairwise(bounded)):
            raise ValueError(f"{text!r}: ages must grow from rule to rule")
        return cls(tuple(rules))

    def __str__(self) -> str:
        return ",".join(map(str, self.rules))

    def every(self, age: int) -> int:
        """Days between rechecks of a notice ``age`` days old (a negative age counts as 0)."""
        age = max(age, 0)
        return next(r.every for r in self.rules if r.max_age is None or age <= r.max_age)

    def due(self, today: dt.date, published: dt.date | None, last_seen: dt.date | None) -> bool:
        """Whether a notice published on ``published`` (None: unknown) and last seen on
        ``last_seen`` (None: never) is to be fetched again ``today``. A last sighting after
        ``today`` (a clock set back) counts as today."""
        if last_seen is None:
            return True
        age = (today - published).days if published else 0
        return (today - min(last_seen, today)).days >= self.every(age)

    def not_due(self, today: dt.date, notices: Iterable[tuple]) -> set[str]:
        """URLs of ``(url, publish_date, first_seen, last_seen)`` rows (ISO text as the archive
        stores them) whose recheck is not due ``today``."""
        fresh = set()
        for url, publish_date, first_seen, last_seen in notices:
            published = iso_day(publish_date) or china_date(first_seen)
            if not self.due(today, published, china_date(last_seen)):
                fresh.add(url)
        return fresh


def _rule(part: str) -> Rule:
    age, colon, every = part.partition(":")
    age, every = age.strip(), every.strip()
    if not colon or not every.isdigit() or not (age == "*" or age.isdigit()):
        raise ValueError(f"bad recheck rule {part!r}: expected AGE:EVERY in days (7:1, *:180)")
    if age != "*" and int(age) < 1:
        raise ValueError(f"bad recheck rule {part!r}: AGE must be at least 1 day")
    return Rule(None if age == "*" else int(age), int(every))


def china_date(stamp: str | None) -> dt.date | None:
    """The day in China of an archive timestamp (``2026-12-02T09:51:14Z``, UTC); None if none."""
    if not stamp:
        return None
    try:
        moment = dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return iso_day(stamp)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(CHINA).date()


@dataclass(frozen=True)
class CrawlClock:
    """Today for the recheck policy, and the stamps of the crawl's captures.

    ``fixed`` is a simulated date (``ZWGK_TODAY``): today is that day for the whole crawl, and
    stamps are that day at the current time of day in China. None: the real clock.
    """

    fixed: dt.date | None = None

    @classmethod
    def from_settings(cls, settings) -> CrawlClock:
        """From ``ZWGK_TODAY`` (ISO date), allowed only with ``ZWGK_REPLICA_URL``: stamps of a
        simulated day must never reach an archive of real sites."""
        today = settings.get("ZWGK_TODAY")
        if not today:
            return cls()
        if not settings.get("ZWGK_REPLICA_URL"):
            raise ValueError("ZWGK_TODAY is for crawls of a replica (--replica, --replica-url)")
        return cls(dt.date.fromisoformat(str(today)))

    def moment(self) -> dt.datetime:
        """Now, in China (on the fixed day, if any)."""
        return _on_day(self.fixed, dt.datetime.now(CHINA))

    def today(self) -> dt.date:
        return self.moment().date()

    def stamp(self) -> str:
        """Now, as the archive writes times (UTC, ``2026-12-02T09:51:14Z``)."""
        return _stamp(self.fixed, int(time.time()))


@lru_cache(maxsize=4)
def _stamp(fixed: dt.date | None, second: int) -> str:
    """The stamp of one second (every item of a crawl takes one: made once per second, not per
    item, which cost 1% of the crawl process)."""
    moment = _on_day(fixed, dt.datetime.fromtimestamp(second, CHINA))
    return moment.astimezone(dt.UTC).strftime(STAMP)


def _on_day(fixed: dt.date | None, now: dt.datetime) -> dt.datetime:
    """``now`` (in China), moved to the fixed day if there is one."""
    return now if fixed is None else dt.datetime.combine(fixed, now.timetz())


def spider_stamp(spider: Any) -> str | None:
    """Now on a spider's crawl clock (``ZWGK_TODAY`` in replica runs), or None for a spider
    without one (the caller's or the writer's now then)."""
    clock = getattr(spider, "clock", None)
    return clock.stamp() if clock is not None else None
