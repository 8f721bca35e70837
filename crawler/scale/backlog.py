"""Writes to Redis that may wait for a worker's next round trip.

A round trip to Redis costs far more than the command it carries: on a 2-core machine one
``ZREM`` took ~85 µs of the worker's CPU and ~35 µs of Redis's, and a pipeline of two cost the
same as one (system calls and two context switches, not the command). Some writes need not go
at once: a host slot given back when an answer arrives (crawler.scale.politeness) is only
needed by the next request for that host, so it waits here and rides in the worker's next round
trip, whichever component makes it (the next lease, a request acknowledged or popped, the
heartbeat). A slot is never given back earlier than before, only up to one round trip later, so
politeness across workers can only be stricter.
"""

from __future__ import annotations

from weakref import WeakKeyDictionary

from scrapy.crawler import Crawler

_BACKLOGS: WeakKeyDictionary[Crawler, Backlog] = WeakKeyDictionary()


class Backlog:
    """Host-slot leases to give back, for the next pipeline to Redis (see the module doc)."""

    def __init__(self) -> None:
        self._releases: list[tuple[str, str]] = []

    def release(self, slots: str, token: str) -> None:
        self._releases.append((slots, token))

    def flush(self, pipe) -> int:
        """Add what waits to ``pipe`` (a Redis pipeline); returns how many commands."""
        releases, self._releases = self._releases, []
        for slots, token in releases:
            pipe.zrem(slots, token)
        return len(releases)

    def __len__(self) -> int:
        return len(self._releases)


def backlog(crawler: Crawler) -> Backlog:
    """The crawl's one backlog, shared by the politeness middleware and the scheduler."""
    found = _BACKLOGS.get(crawler)
    if found is None:
        found = _BACKLOGS[crawler] = Backlog()
    return found
