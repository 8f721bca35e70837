"""A worker's writes to Redis that wait for its next round trip, and that round trip.

A round trip to Redis costs far more than the commands it carries: on a 2-core machine one
``ZREM`` took ~85 µs of the worker's CPU and ~35 µs of Redis's, and a pipeline of two cost the
same as one (system calls and two context switches, not the commands). Most of a worker's
writes need not go at once, so they wait here and ride in its next round trip, whichever
component makes it:

* the items of answered requests (the outbox, crawler.scale.pipeline);
* the requests the worker queued (crawler.scale.scheduler: the dupefilter's verdict comes back
  with the reply);
* the host slots it gave back (crawler.scale.politeness): a slot is never given back earlier
  than before, only later, so politeness across workers can only be stricter (and the next
  request of this worker for the same host may take the slot over instead);
* the acknowledgements of requests Scrapy is done with: a request leaves flight after its
  items and the requests it led to are in Redis (they go first in the same pipeline), so a
  worker killed before the round trip loses nothing — the request goes back to the queue and
  is answered again.

The round trips a worker makes anyway carry them: a lease on a host slot before a request, a
pop when the requests it holds run out, the heartbeat (at most a beat late), and the
scheduler's own checks for work before the spider goes idle or closes. A pop leaves the slots
given back for the next lease, so that the next request for the same host can take one over
without asking Redis (crawler.scale.politeness).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from weakref import WeakKeyDictionary

from scrapy import Request
from scrapy.crawler import Crawler

from crawler.scale import gate
from pipeline.queue import ItemQueue

_BACKLOGS: WeakKeyDictionary[Crawler, Backlog] = WeakKeyDictionary()


class Backlog:
    """What waits for the worker's next round trip to Redis (see the module doc)."""

    def __init__(self) -> None:
        #: The crawl's items (set by the scheduler); they go first.
        self.outbox: ItemQueue | None = None
        #: Called with each queued request and the ENQUEUE script's reply (0: a duplicate).
        self.on_queued: Callable[[Request, int], None] | None = None
        self._enqueues: list[tuple[Request, list]] = []
        self._releases: list[tuple[str, str, float]] = []
        self._acks: list[tuple[str, tuple]] = []

    def enqueue(self, request: Request, script_args: list) -> None:
        """Queue a request: ``gate.ENQUEUE``'s four keys and five arguments."""
        self._enqueues.append((request, script_args))

    def release(self, slots: str, token: str, since: float = 0.0) -> None:
        """Give back a lease on a host slot (``since``: when it was taken, monotonic)."""
        self._releases.append((slots, token, since))

    def take_release(self, slots: str, since: float) -> tuple[str, str, float] | None:
        """A lease on one of ``slots`` waiting to be given back and taken at ``since`` or later,
        no longer given back (crawler.scale.politeness hands it to the next request)."""
        for at, lease in enumerate(self._releases):
            if lease[0] == slots and lease[2] >= since:
                del self._releases[at]
                return lease
        return None

    def acknowledge(self, method: str, *args: Any) -> None:
        """Take a request out of flight: a pipeline method (``hdel`` or ``eval``) and its
        arguments, sent after everything else that waits."""
        self._acks.append((method, args))

    @property
    def enqueues(self) -> int:
        return len(self._enqueues)

    def __len__(self) -> int:
        waiting = self.outbox.waiting if self.outbox is not None else 0
        return waiting + len(self._enqueues) + len(self._releases) + len(self._acks)

    def round_trip(
        self, server, tail: Callable[[Any], Any] | None = None, releases: bool = True
    ) -> Any:
        """One pipeline to Redis: items, queued requests, slots given back (unless
        ``releases`` is False: they wait for the next lease, which may take one over),
        acknowledgements, then the commands ``tail`` adds; returns the reply of the last of
        those (None without a tail)."""
        pipe = server.pipeline(transaction=False)
        items = self.outbox.take() if self.outbox is not None else []
        if items:
            pipe.rpush(self.outbox.key, *items)
        enqueues, self._enqueues = self._enqueues, []
        first = len(pipe)
        for _, script_args in enqueues:
            # EVAL, not a registered script: a script object in a pipeline costs a round trip
            # of its own (redis-py asks SCRIPT EXISTS first); Redis caches it by its digest.
            pipe.eval(gate.ENQUEUE, 4, *script_args)
        given: list[tuple[str, str, float]] = []
        if releases:
            given, self._releases = self._releases, []
            for slots, token, _ in given:
                pipe.zrem(slots, token)
        acks, self._acks = self._acks, []
        for method, args in acks:
            getattr(pipe, method)(*args)
        if tail is not None:
            tail(pipe)
        if not len(pipe):
            return None
        try:
            replies = pipe.execute()
        except Exception:
            # Redis away: nothing is lost, all of it waits for the next round trip. Sending it
            # again is harmless if part of it arrived: the writer stores a page once, the
            # dupefilter refuses a request twice, giving back and acknowledging are idempotent.
            if items:
                self.outbox.put_back(items)
            self._enqueues[:0] = enqueues
            self._releases[:0] = given
            self._acks[:0] = acks
            raise
        if self.on_queued is not None:
            for (request, _), reply in zip(enqueues, replies[first:], strict=False):
                self.on_queued(request, int(reply))
        return replies[-1] if tail is not None else None


def backlog(crawler: Crawler) -> Backlog:
    """The crawl's one backlog, shared by the scheduler and the politeness middleware."""
    found = _BACKLOGS.get(crawler)
    if found is None:
        found = _BACKLOGS[crawler] = Backlog()
    return found
