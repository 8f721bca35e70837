"""Three workers and one writer on a real Redis crawl a replica of 2,000+ notices: the archive
equals the truth, nothing twice, nothing lost; a worker or the writer killed with SIGKILL
mid-crawl changes nothing of that."""

from __future__ import annotations

import os
import signal
import sqlite3

import pytest

from pipeline.attachments.policy import SETTLED
from tests.conftest import wait_until
from tests.integration.conftest import running_replica, site_truth
from tests.reliability.support import assert_equals_truth, served
from tests.scale.conftest import drain, start, start_writer, stop, worker_command

pytestmark = pytest.mark.integration

SCALE = "2020"
WORKERS = 3


@pytest.fixture(scope="module")
def replica():
    with running_replica("--scale", SCALE) as url:
        truth = site_truth(url, "zjczj")
        assert len(truth["notices"]) >= 2000
        yield url, truth


def finish(workers, writer, client) -> list[tuple[int, str, str]]:
    results = [(p.wait(timeout=300), *p.communicate()) for p in workers]
    assert drain(client), "the writer did not store everything"
    code, _, err = stop(writer)
    assert code == 0, err[-3000:]
    return results


def assert_no_duplicates_and_redis_clean(db, client) -> None:
    with sqlite3.connect(db) as conn:
        urls, distinct = conn.execute(
            "select count(url), count(distinct url) from notices"
        ).fetchone()
        versions = conn.execute("select count(*) from notice_versions").fetchone()[0]
    assert urls == distinct == versions
    assert client.keys("zwgk:*:inflight:*") == []
    assert client.zcard("zwgk:zjczj:requests") == 0
    assert client.exists("zwgk:zjczj:dupefilter") == 0  # the last worker out cleared it


def runs(db) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute("select id, finish_reason, new, pid from crawl_runs").fetchall()


def test_three_workers_and_one_writer_equal_the_truth(tmp_path, replica, redis_url, redis_client):
    url, truth = replica
    db = tmp_path / "archive.db"
    writer = start_writer(redis_url, db)
    workers = [start(worker_command(redis_url, url)) for _ in range(WORKERS)]
    results = finish(workers, writer, redis_client)
    assert [code for code, _, _ in results] == [0] * WORKERS, [err[-2000:] for *_, err in results]
    assert_equals_truth(db, truth)
    assert_no_duplicates_and_redis_clean(db, redis_client)
    recorded = runs(db)
    assert len(recorded) == WORKERS
    assert {r[1] for r in recorded} == {"finished"}
    assert sum(r[2] for r in recorded) == len(truth["notices"])  # each notice new exactly once
    with sqlite3.connect(db) as conn:  # every attachment downloaded and settled by the writer
        statuses = dict(conn.execute("select status, count(*) from attachments group by status"))
    assert "stored" in statuses
    assert set(statuses) <= SETTLED, statuses  # stored, or kept without a text reader


def test_a_worker_killed_mid_crawl_loses_nothing(tmp_path, replica, redis_url, redis_client):
    url, truth = replica
    db = tmp_path / "archive.db"
    writer = start_writer(redis_url, db)
    before = served(url)
    workers = [start(worker_command(redis_url, url)) for _ in range(WORKERS)]
    assert wait_until(lambda: served(url) - before >= 700, 120)
    victim = workers[0]
    os.killpg(victim.pid, signal.SIGKILL)
    victim.wait(timeout=10)
    results = finish(workers[1:], writer, redis_client)
    assert [code for code, _, _ in results] == [0] * (WORKERS - 1)
    assert_equals_truth(db, truth)
    assert_no_duplicates_and_redis_clean(db, redis_client)
    reasons = {pid: reason for _, reason, _, pid in runs(db)}
    assert reasons.pop(victim.pid) == "worker_lost"  # closed by the worker that took its requests
    assert set(reasons.values()) == {"finished"}


def test_the_writer_killed_and_restarted_loses_nothing(tmp_path, replica, redis_url, redis_client):
    url, truth = replica
    db = tmp_path / "archive.db"
    writer = start_writer(redis_url, db)
    workers = [start(worker_command(redis_url, url)) for _ in range(WORKERS)]

    def stored() -> int:
        try:
            with sqlite3.connect(db) as conn:
                return conn.execute("select count(*) from notices").fetchone()[0]
        except sqlite3.Error:
            return 0

    assert wait_until(lambda: stored() >= 500, 120)
    os.killpg(writer.pid, signal.SIGKILL)
    writer.wait(timeout=10)
    writer = start_writer(redis_url, db)  # takes over the lock of the dead one, replays its batch
    results = finish(workers, writer, redis_client)
    assert [code for code, _, _ in results] == [0] * WORKERS
    assert_equals_truth(db, truth)
    assert_no_duplicates_and_redis_clean(db, redis_client)
