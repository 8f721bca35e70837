"""A worker pops requests a few at a time (``ZWGK_REDIS_PREFETCH``) on a real Redis: best first,
every one in flight from the moment it leaves the queue, none lost when the worker stops."""

from __future__ import annotations

from scrapy import Request
from scrapy.spiderloader import SpiderLoader
from scrapy.utils.project import get_project_settings

from crawler.scale.scheduler import ReliableQueue

QUEUE, INFLIGHT = "test:requests", "test:inflight:w1"
DUPEFILTER = "scrapy_redis.dupefilter.RFPDupeFilter"


def queue(redis_client, prefetch: int) -> ReliableQueue:
    spider = SpiderLoader.from_settings(get_project_settings()).load("zjczj")()
    return ReliableQueue(redis_client, spider, QUEUE, INFLIGHT, prefetch=prefetch)


def test_a_pop_takes_the_best_few_and_holds_them_all_in_flight(redis_client):
    q = queue(redis_client, prefetch=4)
    for n, priority in enumerate([0, 5, 1, 3, 2, 4]):
        q.push(Request(f"http://127.0.0.1/{n}", priority=priority))
    first = q.pop()
    assert first.url == "http://127.0.0.1/1"  # priority 5
    assert redis_client.zcard(QUEUE) == 2  # four left the queue in one round trip
    assert redis_client.hlen(INFLIGHT) == 4  # … and every one of them is in flight
    assert len(q) == 5  # two queued, three popped and not handed out yet
    assert [q.pop().url[-1] for _ in range(5)] == ["5", "3", "4", "2", "0"]
    assert q.pop() is None
    assert len(q) == 0
    assert q.holding == 6


def test_requests_popped_and_not_handed_out_are_forgotten_when_given_back(redis_client):
    q = queue(redis_client, prefetch=3)
    for n in range(3):
        q.push(Request(f"http://127.0.0.1/{n}"))
    handed = q.pop()
    assert q.take(handed) is not None  # done: acknowledged
    q.forget_ready()  # the worker closes; its in-flight hash went back to the queue
    assert q.holding == 0
    assert len(q) == 0  # nothing waits here any more
    assert redis_client.hlen(INFLIGHT) == 3  # in Redis, until the requeue script moves them


def test_one_at_a_time_when_asked(redis_client):
    q = queue(redis_client, prefetch=1)
    for n in range(3):
        q.push(Request(f"http://127.0.0.1/{n}"))
    q.pop()
    assert redis_client.zcard(QUEUE) == 2
    assert redis_client.hlen(INFLIGHT) == 1


def test_a_workers_items_reach_redis_before_the_requests_it_queues_after_them(
    redis_url, redis_client
):
    """A detail page's item, then its attachment's request: the page's message is on the
    writer's queue before any worker can fetch the attachment (the writer fills the attachment
    rows the page makes; a download applied before them would find none). Both wait for the
    worker's next round trip, with the host slots it gave back."""
    from scrapy.signals import request_dropped
    from scrapy.utils.test import get_crawler
    from scrapy_redis.dupefilter import RFPDupeFilter

    from crawler.scale.keys import SiteKeys
    from crawler.scale.pipeline import outbox
    from crawler.scale.scheduler import ReliableScheduler
    from pipeline.queue import loads

    spider = SpiderLoader.from_settings(get_project_settings()).load("zjczj")()
    crawler = get_crawler(type(spider), {"REDIS_URL": redis_url, "DUPEFILTER_CLASS": DUPEFILTER})
    crawler.stats.open_spider()
    scheduler = ReliableScheduler.from_crawler(crawler)
    scheduler.spider, scheduler.keys = spider, SiteKeys("zwgk", "zjczj")
    scheduler.queue = ReliableQueue(redis_client, spider, scheduler.keys.requests, INFLIGHT)
    scheduler.df = RFPDupeFilter(redis_client, scheduler.keys.dupefilter)
    scheduler.outbox = outbox(crawler, redis_client, "zwgk")
    scheduler.outbox.add("page", {"url": "http://127.0.0.1/t1.html"})
    scheduler.backlog.outbox, scheduler.backlog.on_queued = scheduler.outbox, scheduler._queued
    scheduler.backlog.release("zwgk:host:127.0.0.1:slots", "token")
    dropped = []
    crawler.signals.connect(lambda request, **_: dropped.append(request.url), request_dropped,
                            weak=False)  # fmt: skip
    pdf = Request("http://127.0.0.1/a.pdf", callback=spider.parse_detail)
    assert scheduler.enqueue_request(pdf)
    assert scheduler.backlog.enqueues == 1  # waits for the next round trip to Redis
    assert redis_client.zcard(scheduler.keys.requests) == 0
    assert scheduler.has_pending_requests()  # which asking makes
    assert not scheduler.backlog  # requests, items and the slot went in one round trip
    assert [loads(m)[0] for m in redis_client.lrange("zwgk:items", 0, -1)] == ["page"]
    assert redis_client.zcard(scheduler.keys.requests) == 1
    assert crawler.stats.get_value("scheduler/enqueued/redis") == 1
    # A duplicate is reported once Redis has said so: Scrapy's request_dropped, as the engine
    # sends it for a request a scheduler refuses.
    assert scheduler.enqueue_request(Request(pdf.url, callback=spider.parse_detail))
    scheduler.round_trip()
    assert dropped == [pdf.url]
    assert redis_client.zcard(scheduler.keys.requests) == 1
