"""A disk that fills mid-crawl: the crawl stops at once with a non-zero exit and a clear reason,
keeps every committed batch whole, and once space returns the next run completes the archive.

Two ways to fill it: a real tmpfs mounted by the test (needs root and permission to mount;
skipped with the reason otherwise), and SQLite's own SQLITE_FULL through ``ZWGK_DB_MAX_BYTES``
(the archive-size cap), which runs everywhere.
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlite_utils

from tests.integration.conftest import crawl, running_replica, site_truth
from tests.reliability.support import assert_equals_truth, assert_whole

pytestmark = pytest.mark.integration

SCALE = "1500"  # about 17 MB of archive: the writer commits 250 entries at a time
FULL_AT = 8_000_000  # bytes: the disk fills after the first transaction, about half way
EXIT_WITHIN = 30.0


@pytest.fixture(scope="module")
def replica():
    with running_replica("--scale", SCALE) as url:
        yield url, site_truth(url, "zjczj")


@contextmanager
def tmpfs(where: Path, size: int) -> Iterator[Path]:
    where.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
        capture_output=True,
        text=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip() or 'mount failed'}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def _timed_crawl(db: Path, url: str, *settings: str) -> tuple[subprocess.CompletedProcess, float]:
    started = time.monotonic()
    result = crawl(db, url, *settings)
    return result, time.monotonic() - started


def _last_run(db: Path) -> dict:
    return list(sqlite_utils.Database(db)["crawl_runs"].rows)[-1]


def test_a_real_disk_fills_then_space_returns(tmp_path, replica):
    url, truth = replica
    with tmpfs(tmp_path / "disk", FULL_AT) as disk:
        db = disk / "archive.db"
        full, took = _timed_crawl(db, url)
        assert full.returncode == 1, full.stderr[-2000:]
        assert took < EXIT_WITHIN
        said = full.stdout + full.stderr  # SQLite's, or the WARC files' (the same disk)
        assert "database or disk is full" in said or "No space left on device" in said
        assert_whole(db)
        assert 0 < sqlite_utils.Database(db)["notices"].count < len(truth["notices"])
        subprocess.run(["mount", "-o", f"remount,size={64 << 20}", str(disk)], check=True)
        again = crawl(db, url)
        assert again.returncode == 0, again.stderr[-2000:]
        assert_equals_truth(db, truth)


def test_sqlite_full_from_the_size_cap_then_the_cap_lifted(tmp_path, replica):
    url, truth = replica
    db = tmp_path / "archive.db"
    full, took = _timed_crawl(db, url, f"ZWGK_DB_MAX_BYTES={FULL_AT}")
    assert full.returncode == 1, full.stderr[-2000:]
    assert took < EXIT_WITHIN
    run = _last_run(db)
    assert run["finish_reason"] == "writer_failed"
    assert "database or disk is full" in run["error"]
    assert_whole(db)
    stored = sqlite_utils.Database(db)["notices"].count
    assert 0 < stored < len(truth["notices"])
    assert run["new"] == stored  # what the run committed before the disk filled
    again = crawl(db, url)
    assert again.returncode == 0, again.stderr[-2000:]
    assert_equals_truth(db, truth)
