"""A worker's writes wait for its next round trip to Redis (crawler.scale.backlog), on a real
Redis: a request done stays in flight until then, and leaves only after its items and the
requests it led to are in Redis; a host slot given back is free for the lease that carries it."""

from __future__ import annotations

import asyncio
import time

import pytest
from scrapy import Request
from scrapy.http import Response
from scrapy.spiderloader import SpiderLoader
from scrapy.utils.project import get_project_settings
from scrapy.utils.test import get_crawler

from crawler.scale import gate
from crawler.scale.keys import SiteKeys, host_keys
from crawler.scale.pipeline import outbox
from crawler.scale.politeness import LEASE, HostSlots
from crawler.scale.scheduler import ReliableQueue, ReliableScheduler
from pipeline.queue import loads

DUPEFILTER = "scrapy_redis.dupefilter.RFPDupeFilter"


def worker(redis_url: str, redis_client, **settings):
    """A scheduler and a politeness middleware of one crawl, as a worker opens them."""
    from scrapy_redis.dupefilter import RFPDupeFilter

    spider = SpiderLoader.from_settings(get_project_settings()).load("zjczj")()
    crawler = get_crawler(
        type(spider),
        {"REDIS_URL": redis_url, "ZWGK_REDIS_URL": redis_url, "DUPEFILTER_CLASS": DUPEFILTER,
         **settings},
    )  # fmt: skip
    crawler.stats.open_spider()
    scheduler = ReliableScheduler.from_crawler(crawler)
    scheduler.spider, scheduler.keys = spider, SiteKeys("zwgk", "zjczj")
    inflight = scheduler.keys.inflight(scheduler.worker)
    scheduler.queue = ReliableQueue(redis_client, spider, scheduler.keys.requests, inflight)
    scheduler.df = RFPDupeFilter(redis_client, scheduler.keys.dupefilter)
    scheduler.outbox = outbox(crawler, redis_client, "zwgk")
    scheduler.backlog.outbox, scheduler.backlog.on_queued = scheduler.outbox, scheduler._queued
    return spider, scheduler, HostSlots.from_crawler(crawler)


def test_a_request_done_leaves_flight_in_the_next_round_trip_after_what_it_led_to(
    redis_url, redis_client
):
    spider, scheduler, slots = worker(redis_url, redis_client)
    list_page = Request("http://127.0.0.1/list.html", callback=spider.parse_detail)
    scheduler.queue.push(list_page)
    popped = scheduler.next_request()
    inflight = scheduler.keys.inflight(scheduler.worker)
    assert redis_client.hlen(inflight) == 1
    # Its answer: an item and a request for a detail page; then Scrapy is done with it.
    scheduler.outbox.add("page", {"url": "http://127.0.0.1/list.html"})
    scheduler.enqueue_request(Request("http://127.0.0.1/t1.html", callback=spider.parse_detail))
    scheduler._done(popped)
    assert redis_client.hlen(inflight) == 1  # still in flight: nothing was sent yet
    assert redis_client.llen("zwgk:items") == 0
    # The next lease carries all of it, in order.
    assert slots._try(*host_keys("zwgk", "127.0.0.1"), ["token", 4, 0, 30_000]) == 0
    assert redis_client.hlen(inflight) == 0
    assert [loads(m)[0] for m in redis_client.lrange("zwgk:items", 0, -1)] == ["page"]
    assert redis_client.zcard(scheduler.keys.requests) == 1
    assert not scheduler.backlog


def test_a_slot_given_back_is_free_for_the_lease_that_carries_it(redis_url, redis_client):
    *_, slots = worker(redis_url, redis_client, CONCURRENT_REQUESTS_PER_DOMAIN=1)
    slots_key, ready = host_keys("zwgk", "example.test:80")
    assert slots._try(slots_key, ready, ["first", 1, 0, 30_000]) == 0
    assert slots._try(slots_key, ready, ["second", 1, 0, 30_000]) > 0  # the host's one slot
    slots.backlog.release(slots_key, "first")  # the first request's answer came
    assert redis_client.zcard(slots_key) == 1  # not given back yet
    # Given back ahead of the next try in one pipeline: the slot is free for it.
    assert slots._try(slots_key, ready, ["second", 1, 0, 30_000]) == 0
    assert redis_client.zrange(slots_key, 0, -1) == [b"second"]


def test_the_heartbeat_sends_what_waits(redis_url, redis_client):
    """No further request, no pop: what waits goes with the heartbeat, at most a beat late."""
    spider, scheduler, _ = worker(redis_url, redis_client)
    scheduler.outbox.add("page", {"url": "http://127.0.0.1/t2.html"})
    scheduler.enqueue_request(Request("http://127.0.0.1/t3.html", callback=spider.parse_detail))
    scheduler._beat_now()
    assert redis_client.llen("zwgk:items") == 1
    assert redis_client.zcard(scheduler.keys.requests) == 1
    assert redis_client.zscore(scheduler.keys.workers, scheduler.worker) is not None
    assert not scheduler.backlog


def test_a_slot_is_handed_to_the_workers_next_request_for_the_host(redis_url, redis_client):
    """No delay between starts: the next request for a host takes over the slot its worker is
    giving back, with no round trip; the host has no more requests in progress than before, and
    another worker still finds the host's one slot taken."""
    *_, slots = worker(redis_url, redis_client, CONCURRENT_REQUESTS_PER_DOMAIN=1)
    *_, other = worker(redis_url, redis_client, CONCURRENT_REQUESTS_PER_DOMAIN=1)
    first, second = Request("http://example.test/1.html"), Request("http://example.test/2.html")
    asyncio.run(slots.process_request(first))
    token = first.meta[LEASE][1]
    slots.process_response(first, Response(first.url))
    asyncio.run(slots.process_request(second))
    assert second.meta[LEASE][1] == token  # handed over
    assert not slots.backlog  # nothing to give back any more
    slots_key, ready = host_keys("zwgk", "example.test")
    assert redis_client.zrange(slots_key, 0, -1) == [token.encode()]
    assert other._try(slots_key, ready, ["other", 1, 0, 30_000]) > 0
    assert slots.stats.get_value("zwgk/politeness/handed_over") == 1


def test_no_handover_of_an_old_lease_nor_with_a_delay_between_starts(redis_url, redis_client):
    *_, slots = worker(redis_url, redis_client, CONCURRENT_REQUESTS_PER_DOMAIN=1)
    old = Request("http://example.test/1.html")
    asyncio.run(slots.process_request(old))
    slots_key, token, _ = old.meta.pop(LEASE)
    slots.backlog.release(slots_key, token, time.monotonic() - 10)  # taken 10 s ago
    fresh = Request("http://example.test/2.html")
    asyncio.run(slots.process_request(fresh))  # gives the old one back, takes a new one
    assert fresh.meta[LEASE][1] != token
    assert redis_client.zrange(slots_key, 0, -1) == [fresh.meta[LEASE][1].encode()]

    *_, delayed = worker(redis_url, redis_client, DOWNLOAD_DELAY=0.001)
    first, second = Request("http://example.test/3.html"), Request("http://example.test/4.html")
    asyncio.run(delayed.process_request(first))
    first_token = first.meta[LEASE][1]
    delayed.process_response(first, Response(first.url))
    asyncio.run(delayed.process_request(second))  # each start timed by Redis
    assert second.meta[LEASE][1] != first_token
    assert delayed.stats.get_value("zwgk/politeness/handed_over") is None


def test_a_failed_round_trip_loses_nothing(redis_url, redis_client):
    """Redis away for a moment: what the round trip carried waits again, in order, and goes
    with the next one."""
    import redis

    from tests.integration.conftest import free_port

    spider, scheduler, _ = worker(redis_url, redis_client)
    scheduler.queue.push(Request("http://127.0.0.1/list.html", callback=spider.parse_detail))
    popped = scheduler.next_request()
    scheduler.outbox.add("page", {"url": "http://127.0.0.1/list.html"})
    scheduler.enqueue_request(Request("http://127.0.0.1/t9.html", callback=spider.parse_detail))
    scheduler.backlog.release("zwgk:host:127.0.0.1:slots", "token", 0.0)
    scheduler._done(popped)
    waiting = len(scheduler.backlog)
    away = redis.Redis(port=free_port(), socket_connect_timeout=0.5)
    with pytest.raises(redis.ConnectionError):
        scheduler.backlog.round_trip(away)
    assert len(scheduler.backlog) == waiting == 4
    scheduler.round_trip()
    assert redis_client.llen("zwgk:items") == 1
    assert redis_client.zcard(scheduler.keys.requests) == 1
    assert redis_client.hlen(scheduler.keys.inflight(scheduler.worker)) == 0


def test_a_counted_request_done_twice_counts_off_once(redis_client):
    """gdsite's gate (crawler.scale.gate): an acknowledgement sent again, or a request whose
    worker was taken for dead (its copy back in the queue, still counted), counts off once."""
    inflight, gate_key, held = "t:inflight", "t:gate", "t:held"
    redis_client.hset(inflight, "req", "1")
    redis_client.set(gate_key, 2)
    keys = [inflight, gate_key, held, "t:dupefilter", "t:requests"]
    for _ in range(2):
        redis_client.eval(gate.DONE, len(keys), *keys, "req")
    assert int(redis_client.get(gate_key)) == 1
