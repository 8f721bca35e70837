"""Three workers on one shared queue stay within one crawler's per-host limits, as the
replica's request log shows: never more than CONCURRENT_REQUESTS_PER_DOMAIN requests at once,
and no more request starts in any window than one per DOWNLOAD_DELAY (what one crawler keeps
on average: Scrapy randomizes its delay between 0.5x and 1.5x), with a slack of two for the time
between a worker taking its turn and its request reaching the server (on a busy machine tens of
milliseconds, for one crawler as for many). Without the shared slots the same run shows 6
requests at once."""

from __future__ import annotations

import pytest

from replica.server import ReplicaServer
from tests.scale.conftest import drain, start, start_writer, stop, worker_command

pytestmark = pytest.mark.integration

PER_HOST = 2
DELAY = 0.04
LATENCY = 0.06  # each answer takes this long: two requests overlap unless something stops them
WINDOW = 10 * DELAY


def overlap(log: list[tuple[str, float, float]]) -> int:
    """Most requests in progress at one moment."""
    events = sorted([(s, 1) for _, s, _ in log] + [(e, -1) for _, _, e in log])
    most = now = 0
    for _, step in events:
        now += step
        most = max(most, now)
    return most


@pytest.mark.parametrize("delay", [DELAY, 0])
def test_three_workers_keep_one_crawlers_limits(tmp_path, redis_url, redis_client, delay):
    """With no delay between starts a worker hands a host's slot from one request to its next
    (crawler.scale.politeness): the host still has no more requests at once than one crawler
    would send it."""
    with ReplicaServer(scale=250, latency=LATENCY, request_log=True) as server:
        writer = start_writer(redis_url, tmp_path / "archive.db")
        settings = (f"CONCURRENT_REQUESTS_PER_DOMAIN={PER_HOST}", f"DOWNLOAD_DELAY={delay}")
        workers = [start(worker_command(redis_url, server.base_url, *settings)) for _ in range(3)]
        codes = [p.wait(timeout=300) for p in workers]
        assert codes == [0, 0, 0], [p.stderr.read()[-2000:] for p in workers]
        assert drain(redis_client)
        assert stop(writer)[0] == 0
        log = sorted(server.request_log, key=lambda entry: entry[1])
    assert len(log) > 250  # every list and detail page of the site, robots.txt
    assert overlap(log) <= PER_HOST
    if delay:
        assert busiest(log, WINDOW) <= WINDOW / delay + 2


def busiest(log: list[tuple[str, float, float]], window: float) -> int:
    """Most request starts within ``window`` seconds."""
    starts = [s for _, s, _ in log]
    return max(sum(1 for t in starts[i:] if t < start + window) for i, start in enumerate(starts))
