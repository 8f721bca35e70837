"""A crawl whose last worker died leaves its dupefilter in Redis (and the dead worker in the
live set); the next crawl must still crawl everything, not find every seed already seen."""

from __future__ import annotations

import pytest
from scrapy import Request
from scrapy_redis.dupefilter import RFPDupeFilter

from crawler.spiders.zjczj import ZjczjSpider
from tests.integration.conftest import running_replica, site_truth
from tests.reliability.support import assert_equals_truth
from tests.scale.conftest import drain, start, start_writer, stop, worker_command

pytestmark = pytest.mark.integration


def test_a_stale_dupefilter_does_not_stop_the_next_crawl(tmp_path, redis_url, redis_client):
    with running_replica("--scale", "60") as url:
        truth = site_truth(url, "zjczj")
        base = ZjczjSpider.replica_base_url(url)
        fingerprint = RFPDupeFilter(redis_client, "unused").request_fingerprint
        for column in ZjczjSpider.columns:  # every seed "seen" by the crawl before
            redis_client.sadd("zwgk:zjczj:dupefilter", fingerprint(Request(base + column.path)))
        redis_client.zadd("zwgk:zjczj:workers", {"elsewhere:1:dead": 0})  # died long ago
        db = tmp_path / "archive.db"
        writer = start_writer(redis_url, db)
        worker = start(worker_command(redis_url, url))
        assert worker.wait(timeout=300) == 0, worker.stderr.read()[-2000:]
        assert drain(redis_client)
        assert stop(writer)[0] == 0
    assert_equals_truth(db, truth)
