"""Per-host politeness shared by every worker: the limits of one crawler, across all of them.

Scrapy enforces ``CONCURRENT_REQUESTS_PER_DOMAIN`` and ``DOWNLOAD_DELAY`` per process; three
workers on one shared queue would hit a host three times as often. This downloader middleware
makes each request take a lease on one of the host's slots in Redis before it goes out, and
gives it back when the answer (or the error) comes in:

* at most ``CONCURRENT_REQUESTS_PER_DOMAIN`` leases per host at once, across all workers;
* request starts on a host at least ``DOWNLOAD_DELAY`` seconds apart, across all workers (the
  floor of one crawler, which Scrapy randomizes between 0.5x and 1.5x of it);
* a lease expires after ``DOWNLOAD_TIMEOUT`` + 5 s, so a killed worker's slots come back.

A lease given back waits in the crawl's backlog (crawler.scale.backlog) for the worker's next
round trip to Redis, usually the next request's lease; and that lease carries whatever else
waits (items, queued requests, acknowledgements). Without ``DOWNLOAD_DELAY`` (AutoThrottle's
delay is each worker's own), a request for a host whose slot this worker is giving back takes
the slot over instead, with no round trip: the host has as many requests in progress as before
(one ended, one starts), and a lease is handed on only while it is younger than 2.5 s, so it
never expires in Redis under a request. A worker busy on one host thus asks Redis for a slot
about once per slot per 2.5 s, not once per request.

One Lua script decides on Redis's clock, so workers on machines whose clocks disagree still
agree. AutoThrottle, when on, keeps adapting each worker's own delay on top of this floor.
Host means ``host:port``, as Scrapy's download slots do.
"""

from __future__ import annotations

import asyncio
import secrets
import time
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from scrapy_redis.connection import get_redis_from_settings

from crawler.scale.backlog import backlog
from crawler.scale.keys import DEFAULT_PREFIX, host_keys

LEASE = "zwgk_host_lease"
#: Seconds a lease may be handed from one request to the next (see HostSlots; leases live
#: DOWNLOAD_TIMEOUT + 5 s, so the last request that takes one still ends 2.5 s before that).
HANDOVER_S = 2.5
FIRST_WAIT = 0.005  # seconds before the second try for a busy host's slot; doubles each try
MAX_WAIT = 0.1  # ... up to this: a waiting request asks Redis at most ~10 times a second

# KEYS: slots, next; ARGV: token, limit, delay ms, lease ms. 0: granted; else ms to wait.
_ACQUIRE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then
  local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return math.max(1, tonumber(first[2]) - now)
end
local ready = tonumber(redis.call('GET', KEYS[2]) or '0')
if now < ready then return ready - now end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[4]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[4]))
local delay = tonumber(ARGV[3])
if delay > 0 then redis.call('SET', KEYS[2], now + delay, 'PX', delay + 1000) end
return 0
"""


class HostSlots:
    """Downloader middleware (``DOWNLOADER_MIDDLEWARES`` 950, next to the download itself).

    Settings: ``ZWGK_REDIS_URL`` (unset: not configured), ``ZWGK_REDIS_PREFIX``,
    ``CONCURRENT_REQUESTS_PER_DOMAIN``, ``DOWNLOAD_DELAY``, ``DOWNLOAD_TIMEOUT``.
    Stats: ``zwgk/politeness/waits`` (tries that found the host busy),
    ``zwgk/politeness/handed_over`` (leases handed from one request to the next).
    """

    def __init__(self, crawler: Crawler, server, prefix: str) -> None:
        settings = crawler.settings
        self.stats = crawler.stats
        self.server = server
        self.prefix = prefix
        self.limit = max(1, settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN"))
        self.delay_ms = int(settings.getfloat("DOWNLOAD_DELAY") * 1000)
        self.lease_ms = int((settings.getfloat("DOWNLOAD_TIMEOUT") + 5) * 1000)
        # A lease is handed over while it is younger than this, so the request that takes it
        # ends (at DOWNLOAD_TIMEOUT at the latest) well before the lease expires in Redis; with
        # a delay between starts, never (each start must be timed by Redis's clock).
        self.handover_s = 0.0 if self.delay_ms else HANDOVER_S
        self._acquire = server.register_script(_ACQUIRE)
        self.backlog = backlog(crawler)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> HostSlots:
        if not crawler.settings.get("ZWGK_REDIS_URL"):
            raise NotConfigured("ZWGK_REDIS_URL is not set")
        prefix = crawler.settings.get("ZWGK_REDIS_PREFIX") or DEFAULT_PREFIX
        return cls(crawler, get_redis_from_settings(crawler.settings), prefix)

    async def process_request(self, request: Request) -> None:
        slots, ready = host_keys(self.prefix, urlsplit(request.url).netloc)
        if self.handover_s > 0:
            lease = self.backlog.take_release(slots, time.monotonic() - self.handover_s)
            if lease is not None:  # a slot of this host this worker is giving back: keep it
                request.meta[LEASE] = lease
                self.stats.inc_value("zwgk/politeness/handed_over")
                return
        token = secrets.token_hex(8)
        args = [token, self.limit, self.delay_ms, self.lease_ms]
        backoff = FIRST_WAIT
        while (wait := self._try(slots, ready, args)) > 0:
            self.stats.inc_value("zwgk/politeness/waits")
            await asyncio.sleep(min(wait / 1000, backoff))
            backoff = min(backoff * 2, MAX_WAIT)
        request.meta[LEASE] = (slots, token, time.monotonic())

    def _try(self, slots: str, ready: str, args: list) -> int:
        """One try for a lease: 0, granted; else milliseconds to wait. What waits in the
        backlog (slots given back, items, acknowledgements …) goes first, in the same round
        trip."""
        if not len(self.backlog):
            return int(self._acquire(keys=[slots, ready], args=args))
        return int(
            self.backlog.round_trip(
                self.server, lambda pipe: pipe.eval(_ACQUIRE, 2, slots, ready, *args)
            )
        )

    def process_response(self, request: Request, response: Response) -> Response:
        self._release(request)
        return response

    def process_exception(self, request: Request, exception: Exception) -> None:
        self._release(request)

    def _release(self, request: Request) -> None:
        lease = request.meta.pop(LEASE, None)
        if lease is not None:
            self.backlog.release(*lease)
