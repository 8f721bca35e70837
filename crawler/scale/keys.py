"""Every Redis key of the scale-out mode, and who a worker is.

One Redis database serves one archive. Keys start with ``ZWGK_REDIS_PREFIX`` (default
``zwgk``) and are per site where the work is per site (a profile of ``gdsite`` is its own site,
with its own queue), per host where politeness is:

======================================  ===========================================================
``{p}:{site}:requests``                 the shared request queue (scrapy-redis priority queue)
``{p}:{site}:dupefilter``               fingerprints of every request queued this crawl
``{p}:{site}:inflight:{worker}``        requests a worker popped and has not finished
``{p}:{site}:workers``                  live workers of the site: last heartbeat (Redis time, ms)
``{p}:{site}:runs``                     worker → its crawl run key (see pipeline.queue)
``{p}:{site}:gate`` / ``:held``         requests counted / held back (crawler.scale.gate)
``{p}:host:{host}:slots``               leases of the host's concurrency slots (expiry, ms)
``{p}:host:{host}:next``                earliest start of the host's next request (Redis time, ms)
======================================  ===========================================================

The writer's keys (``{p}:items``, ``{p}:items:processing``, ``{p}:writer``) are named in
:mod:`pipeline.queue`.
"""

from __future__ import annotations

import functools
import os
import secrets
import socket
from dataclasses import dataclass

DEFAULT_PREFIX = "zwgk"


@functools.cache
def worker_id() -> str:
    """``host:pid:random``: unique among the workers of every machine, readable in Redis; one
    per process (its crawlers, one per site, share it: their keys differ by site)."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"


@dataclass(frozen=True)
class SiteKeys:
    """The keys of one site's crawl."""

    prefix: str
    site: str

    def _key(self, name: str) -> str:
        return f"{self.prefix}:{self.site}:{name}"

    @property
    def requests(self) -> str:
        return self._key("requests")

    @property
    def dupefilter(self) -> str:
        return self._key("dupefilter")

    @property
    def workers(self) -> str:
        return self._key("workers")

    @property
    def runs(self) -> str:
        return self._key("runs")

    @property
    def gate(self) -> str:
        return self._key("gate")

    @property
    def held(self) -> str:
        return self._key("held")

    def inflight(self, worker: str) -> str:
        return self._key(f"inflight:{worker}")


def host_keys(prefix: str, host: str) -> tuple[str, str]:
    """``(slots, next)`` keys of one host (``netloc``: host and port)."""
    return f"{prefix}:host:{host}:slots", f"{prefix}:host:{host}:next"
