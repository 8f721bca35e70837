"""The Guangdong site group on three workers, one killed mid-crawl: gkmlpt's catalogue is still
walked before the documents only a column lists (held in Redis, not in a worker's memory), so
every document is stored once with the catalogue's fields, and nothing is lost with the worker."""

from __future__ import annotations

import os
import signal

import pytest

from tests.conftest import wait_until
from tests.integration.conftest import get_json, notices_by_url, running_replica
from tests.reliability.support import assert_whole, served
from tests.scale.conftest import drain, start, start_writer, stop, worker_command

pytestmark = pytest.mark.integration

SITE = "jiangmen"
COMPARED = (
    "kind", "category", "title", "publish_date", "publisher", "doc_number", "index_number",
    "doc_date", "body_text", "attachments",
)  # fmt: skip


def test_a_worker_killed_mid_crawl_of_the_site_group(tmp_path, redis_url, redis_client):
    db = tmp_path / "archive.db"
    with running_replica("--scale", "2000") as url:
        truth = [n for n in get_json(f"{url}/__truth.json")["notices"] if n["site"] == SITE]
        writer = start_writer(redis_url, db)
        before = served(url)
        command = worker_command(redis_url, url, spiders=(f"gdsite:{SITE}",))
        workers = [start(command) for _ in range(3)]
        held_in_redis = []  # polled: documents a worker held in Redis, whichever worker

        def halfway() -> bool:
            held_in_redis.append(bool(redis_client.keys("zwgk:*:held")))
            return served(url) - before >= 300

        assert wait_until(halfway, 120)
        os.killpg(workers[0].pid, signal.SIGKILL)
        workers[0].wait(timeout=10)
        held = 0
        for proc in workers[1:]:
            out, err = proc.communicate(timeout=300)
            assert proc.returncode == 0, err[-2000:]
            held += int(out.split(" held until")[0].rsplit(", ", 1)[1].split()[0])
        # Column documents did wait for the catalogue, in Redis: as the survivors count them,
        # or (when the killed worker held them all) as seen in Redis before the kill.
        assert held > 0 or any(held_in_redis)
        assert drain(redis_client)
        assert stop(writer)[0] == 0
    assert_whole(db)
    rows = {u: r for u, r in notices_by_url(db).items() if r["site"] == SITE}
    assert set(rows) == {n["url"] for n in truth}
    wrong = [
        (n["url"], field, n[field], rows[n["url"]][field])
        for n in truth
        for field in COMPARED
        if rows[n["url"]][field] != n[field]
    ]
    assert not wrong, wrong[:3]
    assert redis_client.keys("zwgk:*:held") == redis_client.keys("zwgk:*:gate") == []
