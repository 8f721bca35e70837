"""kill -9, of the whole crawl or of its writer alone, at random points: nothing half-written,
nothing lost, a crawl that always ends, and a clean run that completes the archive.

Each series kills five crawls of one archive in a row, each at a random number of requests
answered by the replica (seeded, so a failure can be replayed), checks after every kill that the
archive is whole (every stored notice has its version and its attachments), then runs a clean
crawl and compares the archive with the replica's truth row by row.
"""

from __future__ import annotations

import os
import random
import signal
import time

import pytest
import sqlite_utils

from tests.conftest import wait_until
from tests.integration.conftest import crawl, running_replica, site_truth
from tests.reliability.support import (
    alive,
    assert_equals_truth,
    assert_whole,
    kill_group,
    served,
    start_crawl,
    writer_pids,
)

pytestmark = pytest.mark.integration

SCALE = "600"
KILLS = 5
EXIT_WITHIN = 30.0  # seconds from the writer's death to the crawl's exit (acceptance bound)


@pytest.fixture(scope="module")
def replica():
    with running_replica("--scale", SCALE) as url:
        yield url, site_truth(url, "zjczj")


def _kill_points(url: str, truth: dict, seed: int) -> list[int]:
    """Five request counts inside one crawl of the site (lists + details)."""
    rng = random.Random(seed)
    total = len(truth["notices"]) + 60  # detail pages + a generous guess at the list pages
    return sorted(rng.randrange(5, total) for _ in range(KILLS))


def _runs(db) -> list[dict]:
    return list(sqlite_utils.Database(db)["crawl_runs"].rows)


def test_kill_9_of_the_crawl_at_five_random_points(tmp_path, replica):
    url, truth = replica
    db = tmp_path / "archive.db"
    for point in _kill_points(url, truth, seed=1):
        start = served(url)
        proc = start_crawl(db, url)
        wait_until(lambda: served(url) - start >= point or proc.poll() is not None, 60)  # noqa: B023
        kill_group(proc)
        if db.exists():
            assert_whole(db)  # every batch is all or nothing
    clean = crawl(db, url)
    assert clean.returncode == 0, clean.stderr[-3000:]
    assert_equals_truth(db, truth)
    runs = _runs(db)
    assert [r["finish_reason"] for r in runs][-1] == "finished"
    assert all(r["finish_reason"] for r in runs)  # the killed ones are recorded as interrupted


@pytest.mark.parametrize("share", [0.1, 0.5, 0.9])
def test_kill_9_then_rerun_equals_the_truth_each_time(tmp_path, replica, share):
    """Early (lists), midway and late in the crawl: kill -9, then one re-run completes the
    archive (zwgk verify's checks, SQLite's integrity_check among them, and the truth)."""
    url, truth = replica
    db = tmp_path / "archive.db"
    point = int(share * (len(truth["notices"]) + 60))
    start = served(url)
    proc = start_crawl(db, url)
    wait_until(lambda: served(url) - start >= point or proc.poll() is not None, 60)
    kill_group(proc)
    rerun = crawl(db, url)
    assert rerun.returncode == 0, rerun.stderr[-3000:]
    assert_equals_truth(db, truth)
    check = sqlite_utils.Database(db).execute("pragma integrity_check").fetchone()[0]
    assert check == "ok"


def test_kill_9_of_the_writer_alone_at_five_random_points(tmp_path, replica):
    url, truth = replica
    db = tmp_path / "archive.db"
    for point in _kill_points(url, truth, seed=2):
        start = served(url)
        proc = start_crawl(db, url)
        assert wait_until(lambda: writer_pids(proc.pid), 30), "no writer process"  # noqa: B023
        writer = writer_pids(proc.pid)[0]
        wait_until(lambda: served(url) - start >= point or proc.poll() is not None, 60)  # noqa: B023
        if proc.poll() is not None:  # the crawl finished before this point: nothing to kill
            continue
        os.kill(writer, signal.SIGKILL)
        killed = time.monotonic()
        try:
            code = proc.wait(timeout=EXIT_WITHIN)
        except Exception:
            kill_group(proc)
            raise
        took = time.monotonic() - killed
        assert code == 1, proc.stderr.read()[-2000:]
        assert took < EXIT_WITHIN
        assert not alive(writer)
        last = _runs(db)[-1]
        assert last["finish_reason"] == "writer_failed"
        assert "SIGKILL" in last["error"]
        assert_whole(db)
    clean = crawl(db, url)
    assert clean.returncode == 0, clean.stderr[-3000:]
    assert_equals_truth(db, truth)


@pytest.mark.parametrize("point", [60, 250, 450])
def test_a_writer_whose_crawl_was_killed_exits(tmp_path, replica, point):
    """kill -9 of the crawl process only (not its session), at several points (one may cut a
    batch mid-message): the orphaned writer commits what it holds and exits instead of waiting
    on a pipe with the archive open."""
    url, _ = replica
    db = tmp_path / "archive.db"
    start = served(url)
    proc = start_crawl(db, url)
    assert wait_until(lambda: served(url) - start > point, 60)
    writers = writer_pids(proc.pid)
    assert writers
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    try:
        assert wait_until(lambda: not any(alive(w) for w in writers), 10)
    finally:
        kill_group(proc)
        for w in writers:
            if alive(w):
                os.kill(w, signal.SIGKILL)
    assert_whole(db)


def test_two_spiders_share_one_writer(tmp_path, replica):
    """One writer per archive per process: concurrent spiders never compete for the write lock."""
    url, _ = replica
    proc = start_crawl(tmp_path / "archive.db", url, spiders=("zjczj", "ccgp"))
    try:
        assert wait_until(lambda: writer_pids(proc.pid), 30)
        seen = set()
        while proc.poll() is None:
            seen.update(writer_pids(proc.pid))
            time.sleep(0.05)
    finally:
        kill_group(proc)
    assert proc.returncode == 0, proc.stderr.read()[-2000:]
    assert len(seen) == 1


def test_sigterm_to_the_whole_crawl_is_a_clean_shutdown(tmp_path, replica):
    """A service manager stops a unit by sending SIGTERM to every process in it: the crawl
    shuts down gracefully, its writer stores the last batch, and the run says `shutdown`."""
    url, _ = replica
    db = tmp_path / "archive.db"
    start = served(url)
    proc = start_crawl(db, url)
    assert wait_until(lambda: served(url) - start > 200, 60)
    writers = writer_pids(proc.pid)
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        code = proc.wait(timeout=EXIT_WITHIN)
    finally:
        kill_group(proc)
    assert code == 1
    assert not any(alive(w) for w in writers)
    last = _runs(db)[-1]
    assert last["finish_reason"] == "shutdown"
    assert last["new"] == sqlite_utils.Database(db)["notices"].count > 0
    assert_whole(db)
