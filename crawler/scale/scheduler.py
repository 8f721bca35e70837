"""scrapy-redis's scheduler, made safe to kill: a request stays in Redis until it is done.

scrapy-redis 0.9.1 works with Scrapy 2.19 as it is (its scheduler, priority queue and
dupefilter); two things it lacks for an archive that must lose nothing, added here by subclassing:

* **in flight**: scrapy-redis pops a request destructively, so a worker killed between the pop
  and the end of the request's processing loses it. Here a pop moves the request into the
  worker's in-flight hash in the same Lua script; the request leaves it only once Scrapy has
  finished with it: downloaded, every item through the item pipelines (into Redis), every new
  request queued. Workers beat a heartbeat; the requests of a worker whose heartbeat stops go
  back to the queue (at least once: a page may be fetched twice, the archive stores it once).
* **one crawl, many workers**: a worker whose queue looks empty stays while another worker of
  the site still holds requests in flight (they may queue more), and the last worker out clears
  the site's dupefilter, so the next crawl starts afresh. Keys are per site
  (:mod:`crawler.scale.keys`): three ``gdsite`` profiles are three crawls.

"Done" is the moment Scrapy's engine removes the request from its slot (after the scraper has
processed the response). Scrapy has no signal for it, so :meth:`open` wraps that one method of
the engine's slot (and the heartbeat asks the slot to look at the queue when it holds requests,
so an idle worker joins within a heartbeat instead of Scrapy's 5 s); Scrapy is pinned to 2.19.x
(pyproject.toml), and tests/scale/test_workers.py fails if the hook stops being called (requests
left in flight).
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable
from typing import Any

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.queue import PriorityQueue
from scrapy_redis.scheduler import Scheduler
from twisted.internet import task

from crawler.scale import gate
from crawler.scale.backlog import backlog
from crawler.scale.keys import DEFAULT_PREFIX, SiteKeys, worker_id
from crawler.scale.pipeline import outbox
from pipeline.queue import ItemQueue

log = logging.getLogger(__name__)

# Pop the best ARGV[1] requests and hold them in the worker's in-flight hash (member -> score),
# atomically; best first.
_POP = """
local m = redis.call('ZRANGE', KEYS[1], 0, tonumber(ARGV[1]) - 1, 'WITHSCORES')
local out = {}
for i = 1, #m, 2 do
  redis.call('ZREM', KEYS[1], m[i])
  redis.call('HSET', KEYS[2], m[i], m[i + 1])
  out[#out + 1] = m[i]
end
return out
"""
# A dead worker's requests back to the queue, and the worker out of the live set.
_REQUEUE = """
local held = redis.call('HGETALL', KEYS[2])
for i = 1, #held, 2 do redis.call('ZADD', KEYS[1], held[i + 1], held[i]) end
redis.call('DEL', KEYS[2])
redis.call('ZREM', KEYS[3], ARGV[1])
return #held / 2
"""
# A worker joins. No live worker, nothing queued, nothing held by a dead one: the last crawl
# is over (even if its last worker died before clearing its dupefilter), so this one starts
# afresh. ARGV: worker, now, cutoff (older heartbeats are dead), the in-flight key prefix.
_JOIN = """
local live = redis.call('ZCOUNT', KEYS[1], ARGV[3], '+inf')
local held = 0
for _, w in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  held = held + redis.call('HLEN', ARGV[4] .. w)
end
local fresh = live == 0 and held == 0 and redis.call('ZCARD', KEYS[2]) == 0
if fresh then redis.call('DEL', KEYS[3], KEYS[4], KEYS[5]) end
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
return fresh and 1 or 0
"""
# A worker leaves; the last one out of a finished crawl clears the dupefilter.
_LEAVE = """
redis.call('ZREM', KEYS[1], ARGV[1])
if redis.call('ZCARD', KEYS[1]) == 0 and redis.call('ZCARD', KEYS[2]) == 0 then
  redis.call('DEL', KEYS[3], KEYS[4], KEYS[5], KEYS[6])
  return 1
end
return 0
"""


#: A function that makes one round trip to Redis: what waits, then the commands a given function
#: adds to the pipeline; it returns the last command's reply.
RoundTrip = Callable[[Callable[[Any], Any]], Any]

#: Requests that wait for a round trip at most (see crawler.scale.backlog).
ENQUEUE_BATCH = 64


def request_dict(request: Request, spider: Spider) -> dict[str, Any]:
    """``request.to_dict(spider=spider)`` (a test compares them for every spider), without a
    search of the spider's members when the callback and errback are the spider's own methods
    of that name; anything else goes to Scrapy's search. (A method also held under another
    name is written under its own, where Scrapy writes the name that sorts first.)"""
    names: dict[str, Any] = {}
    for role in ("callback", "errback"):
        func = getattr(request, role)
        if callable(func):
            name = getattr(func, "__name__", "")
            own = getattr(getattr(spider, name, None), "__func__", None)
            if own is None or own is not getattr(func, "__func__", None):
                return request.to_dict(spider=spider)
            func = name
        names[role] = func
    data = {"url": request.url, **names, "headers": dict(request.headers)}
    for attr in request.attributes:
        data.setdefault(attr, getattr(request, attr))
    if type(request) is not Request:
        data["_class"] = f"{type(request).__module__}.{type(request).__name__}"
    return data


def redis_now_ms(server) -> int:
    """Redis's clock in milliseconds: one clock for every worker on every machine."""
    seconds, micros = server.time()
    return int(seconds) * 1000 + int(micros) // 1000


class ReliableQueue(PriorityQueue):
    """scrapy-redis's priority queue; a pop holds the request in flight until :meth:`take`.

    ``prefetch``: requests moved into flight per round trip to Redis; the ones not handed to
    Scrapy yet wait here, already in the worker's in-flight hash (so a worker that dies loses
    none of them: they go back to the queue with the rest of what it held).
    """

    def __init__(
        self, server, spider: Spider, key: str, inflight: str, serializer=None, prefetch: int = 1
    ) -> None:
        super().__init__(server, spider, key, serializer)
        self.inflight = inflight
        self.prefetch = max(prefetch, 1)
        self._pop = server.register_script(_POP)
        self._held: dict[Request, bytes] = {}
        self._ready: deque[Request] = deque()

    def pop(self, timeout: int = 0, via: RoundTrip | None = None) -> Request | None:
        """The best request; a round trip to Redis when none waits here (``via``: the
        scheduler's, which sends what else waits in the same one)."""
        if not self._ready:
            if via is None:
                popped = self._pop(keys=[self.key, self.inflight], args=[self.prefetch])
            else:
                keys = (self.key, self.inflight)
                popped = via(lambda pipe: pipe.eval(_POP, 2, *keys, self.prefetch))
            for data in popped:
                request = self._decode_request(data)
                self._held[request] = data
                self._ready.append(request)
        return self._ready.popleft() if self._ready else None

    def __len__(self) -> int:
        """Requests queued in Redis, and popped here but not handed to Scrapy yet."""
        return super().__len__() + len(self._ready)

    def forget_ready(self) -> None:
        """Drop the popped requests not handed out (they are back in the queue in Redis)."""
        for request in self._ready:
            self._held.pop(request, None)
        self._ready.clear()

    def _encode_request(self, request: Request) -> bytes:
        """As scrapy-redis (``request.to_dict(spider=…)``, pickled), with the callback's name
        found by its name: Scrapy's ``_find_method`` lists every member of the spider for each
        request (2.5% of a worker's CPU)."""
        return self.serializer.dumps(request_dict(request, self.spider))

    def take(self, request: Request) -> bytes | None:
        """The request as it sits in the in-flight hash, forgotten here (None: not popped)."""
        return self._held.pop(request, None)

    @property
    def holding(self) -> int:
        return len(self._held)


class ReliableScheduler(Scheduler):
    """The scheduler of a scale-out worker (``SCHEDULER`` in Redis mode, crawler.scale.addon).

    Settings: ``ZWGK_REDIS_URL``, ``ZWGK_REDIS_PREFIX``, ``ZWGK_REDIS_HEARTBEAT`` (seconds
    between heartbeats), ``ZWGK_REDIS_WORKER_TIMEOUT`` (seconds without a heartbeat after which
    a worker is dead and its requests go back to the queue), ``ZWGK_REDIS_PREFETCH`` (requests
    popped per round trip to Redis). Stats:
    ``zwgk/redis/requeued`` (requests taken back from dead workers), ``zwgk/redis/held``
    (requests held until gdsite's catalogue was walked, crawler.scale.gate),
    ``zwgk/redis/returned`` (requests put back by a worker closed before they were done).
    """

    def __init__(self, server, crawler: Crawler, **kwargs: Any) -> None:
        super().__init__(server, **kwargs)
        settings = crawler.settings
        self.crawler = crawler
        self.prefix = settings.get("ZWGK_REDIS_PREFIX") or DEFAULT_PREFIX
        self.heartbeat = settings.getfloat("ZWGK_REDIS_HEARTBEAT", 1.0)
        self.timeout_ms = int(settings.getfloat("ZWGK_REDIS_WORKER_TIMEOUT", 10.0) * 1000)
        self.prefetch = settings.getint("ZWGK_REDIS_PREFETCH", 4)
        self.worker = worker_id()
        self.keys: SiteKeys | None = None
        self.queue: ReliableQueue
        self._beat: task.LoopingCall | None = None
        self._slot = None
        self.backlog = backlog(crawler)
        self._gate_force = server.register_script(gate.FORCE)
        self._requeue = server.register_script(_REQUEUE)
        self._join = server.register_script(_JOIN)
        self._leave = server.register_script(_LEAVE)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ReliableScheduler:
        plain = Scheduler.from_settings(crawler.settings)
        options = {
            name: getattr(plain, name)
            for name in ("persist", "flush_on_start", "idle_before_close", "serializer")
        }
        scheduler = cls(plain.server, crawler, **options)
        scheduler.stats = crawler.stats
        return scheduler

    # -- lifecycle ------------------------------------------------------------------------
    def open(self, spider: Spider) -> None:
        self.spider = spider
        site = getattr(spider, "site", spider.name)
        self.keys = keys = SiteKeys(self.prefix, site)
        self.queue = ReliableQueue(
            self.server, spider, keys.requests, keys.inflight(self.worker), self.serializer,
            prefetch=self.prefetch,
        )  # fmt: skip
        self.df = RFPDupeFilter(self.server, keys.dupefilter)
        self.outbox = outbox(self.crawler, self.server, self.prefix)
        self.backlog.outbox, self.backlog.on_queued = self.outbox, self._queued
        if self.flush_on_start:
            self.flush()
        now = redis_now_ms(self.server)
        args = [self.worker, now, now - self.timeout_ms, keys.inflight("")]
        join_keys = [keys.workers, keys.requests, keys.dupefilter, keys.gate, keys.held]
        if self._join(keys=join_keys, args=args):
            log.info("a new crawl of %s (nothing queued, no live worker)", site)
        self._beat_now()
        self._beat = task.LoopingCall(self._beat_now)
        self._beat.start(self.heartbeat, now=False)
        self._hook_engine()
        if len(self.queue):
            log.info("resuming the crawl of %s: %d requests queued", site, len(self.queue))

    def _hook_engine(self) -> None:
        """Acknowledge each request when the engine is done with it (see the module doc)."""
        self._slot = slot = self.crawler.engine._slot
        remove = slot.remove_request

        def remove_request(request: Request) -> None:
            remove(request)
            self._done(request)

        slot.remove_request = remove_request

    def close(self, reason: str) -> None:
        if self._beat is not None and self._beat.running:
            self._beat.stop()
        keys = self.keys
        self.round_trip()  # what waits goes first (requests of answers already handled)
        if self.queue.holding:  # closed early (shutdown): what is unfinished goes back
            self.stats.inc_value("zwgk/redis/returned", self.queue.holding)
            self._requeue(keys=[keys.requests, keys.inflight(self.worker), keys.workers],
                          args=[self.worker])  # fmt: skip
            self.queue.forget_ready()
        leave_keys = [keys.workers, keys.requests, keys.dupefilter, keys.runs, keys.gate, keys.held]
        last = self._leave(keys=leave_keys, args=[self.worker])
        if last:
            log.info("last worker of %s out: dupefilter cleared for the next crawl", keys.site)

    # -- queue ----------------------------------------------------------------------------
    # As scrapy-redis's (its fingerprints, its queue encoding), with the dupefilter check and the
    # push in one script, and without the ``spider`` argument to stats that Scrapy 2.19 deprecates.
    # A request may open or wait for the site's gate (crawler.scale.gate).
    #
    # Requests queued and requests done wait in the crawl's backlog (crawler.scale.backlog) for
    # the worker's next round trip to Redis, usually the next pop. A duplicate is
    # reported once Redis has said so: logged as the dupefilter does, with Scrapy's
    # ``request_dropped`` signal as the engine sends it for a request a scheduler refuses.
    #
    # Items first: the items a worker holds go to Redis before any request it queues after
    # them, so a page's message is on the writer's queue before its attachments can be fetched
    # (by any worker) and their downloads pushed: the writer fills the attachment rows the
    # page's record makes, and a download applied before them would find none.
    def enqueue_request(self, request: Request) -> bool:
        keys = self.keys
        fingerprint = self.df.request_fingerprint(request)
        data = self.queue._encode_request(request)
        check = "0" if request.dont_filter else "1"
        args = [fingerprint, -request.priority, data, check, request.meta.get(gate.GATE, "")]
        self.backlog.enqueue(request, [keys.dupefilter, keys.requests, keys.gate, keys.held, *args])
        if self.backlog.enqueues >= ENQUEUE_BATCH:
            self.round_trip()
        return True

    def round_trip(self, tail: Callable[[Any], Any] | None = None) -> Any:
        """Send what waits in the backlog, then ``tail``'s commands (one round trip)."""
        return self.backlog.round_trip(self.server, tail)

    def _pop_round_trip(self, tail: Callable[[Any], Any]) -> Any:
        return self.backlog.round_trip(self.server, tail, releases=False)

    def _queued(self, request: Request, queued: int) -> None:
        if queued:
            self.stats.inc_value("scheduler/enqueued/redis" if queued == 1 else "zwgk/redis/held")
            return
        self.df.log(request, self.spider)
        self.crawler.signals.send_catch_log(
            signal=signals.request_dropped, request=request, spider=self.spider
        )

    def _done(self, request: Request) -> None:
        """Scrapy is done with a request: out of flight (and, if it counted, off the gate) in the
        worker's next round trip, after its items and the requests it led to."""
        data = self.queue.take(request)
        if data is None:
            return
        keys = self.keys
        inflight = keys.inflight(self.worker)
        if request.meta.get(gate.GATE) == gate.OPENS:
            done_keys = [inflight, keys.gate, keys.held, keys.dupefilter, keys.requests]
            self.backlog.acknowledge("eval", gate.DONE, len(done_keys), *done_keys, data)
        else:
            self.backlog.acknowledge("hdel", inflight, data)

    def next_request(self) -> Request | None:
        # A pop that goes to Redis takes what waits along, but for the host slots given back:
        # the next request for a host may take its slot over (crawler.scale.politeness).
        via = self._pop_round_trip if len(self.backlog) else None
        request = self.queue.pop(via=via)
        if request is not None:
            self.stats.inc_value("scheduler/dequeued/redis")
        return request

    def has_pending_requests(self) -> bool:
        """Requests queued, or held by another live worker (which may queue more)."""
        if len(self.backlog):  # the requests queued and done since the last round trip
            self.round_trip()
        if len(self.queue) > 0:
            return True
        self._recover()
        if len(self.queue) > 0:
            return True
        keys = self.keys
        for worker in self.server.zrange(keys.workers, 0, -1):
            name = worker.decode() if isinstance(worker, bytes) else worker
            if name != self.worker and self.server.hlen(keys.inflight(name)):
                return True
        if self.server.hlen(keys.held):  # nothing left that could open the gate: release
            self._gate_force(keys=[keys.gate, keys.held, keys.dupefilter, keys.requests])
            return True
        return False

    # -- heartbeat and dead workers --------------------------------------------------------
    def _beat_now(self) -> None:
        try:
            # What waits (items of requests still in flight, ...) waits at most a beat.
            now = redis_now_ms(self.server)
            self.round_trip(lambda pipe: pipe.zadd(self.keys.workers, {self.worker: now}))
            self._recover()
            if self._slot is not None and len(self.queue):
                self._slot.nextcall.schedule()  # an idle engine looks again now, not in 5 s
        except Exception:  # Redis away for a moment: the next beat tries again
            log.warning("redis heartbeat failed", exc_info=True)

    def _recover(self) -> None:
        """Requeue the requests of workers whose heartbeat stopped."""
        keys = self.keys
        cutoff = redis_now_ms(self.server) - self.timeout_ms
        for worker in self.server.zrangebyscore(keys.workers, "-inf", cutoff):
            name = worker.decode() if isinstance(worker, bytes) else worker
            if name == self.worker:
                continue
            moved = self._requeue(
                keys=[keys.requests, keys.inflight(name), keys.workers], args=[name]
            )
            self.stats.inc_value("zwgk/redis/requeued", int(moved))
            log.warning("worker %s stopped beating: %d requests back in the queue", name, moved)
            run = self.server.hget(keys.runs, name)
            if run:
                self.server.hdel(keys.runs, name)
                ItemQueue(self.server, self.prefix).push(
                    "finish", {"run": run.decode(), "finish_reason": "worker_lost"}
                )
