"""One crawl per archive (zwgk/lock.py): a second crawl of a running crawl's archive exits 3 at
once naming the first; a crawl killed with SIGKILL never blocks the next; different archives
never block each other."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from contextlib import closing
from pathlib import Path

import pytest

from tests.cli.support import NOWHERE, ROOT, free_port, kill_group, zwgk
from tests.integration.conftest import running_replica
from zwgk.lock import EXIT_LOCKED, archive_lock, holder, lock_path

#: A replica whose few ``slow`` pages answer after ten minutes: a crawl of it (with a longer
#: download timeout) is still running whenever the test looks.
SLOW = {"ZWGK_REPLICA_SLOW_SECONDS": "600"}
SMALL = ("--scale", "40")
START_TIMEOUT = 60


def start_crawl(db: Path, url: str, *settings: str) -> subprocess.Popen:
    """``zwgk crawl zjczj --replica-url URL`` in its own session (the test kills the session)."""
    command = [sys.executable, "-m", "zwgk", "crawl", "zjczj", "--replica-url", url]
    command += ["--db", str(db), "--log-level", "ERROR", "-s", "ZWGK_PROGRESS_INTERVAL=0"]
    for setting in settings:
        command += ["-s", setting]
    return subprocess.Popen(
        command,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def wait_for_holder(db: Path, proc: subprocess.Popen) -> dict:
    """Wait until the archive's lock file names ``proc``; return what it says."""
    deadline = time.monotonic() + START_TIMEOUT
    while holder(db).get("pid") != proc.pid:
        assert proc.poll() is None, (
            f"the first crawl exited {proc.returncode}: {proc.stderr.read()}"
        )
        assert time.monotonic() < deadline, "the first crawl never took the lock"
        time.sleep(0.1)
    return holder(db)


def crawl(db: Path | str, url: str = NOWHERE, *settings: str) -> subprocess.CompletedProcess:
    args = ["crawl", "zjczj", "--replica-url", url, "--db", str(db), "--log-level", "ERROR"]
    for setting in ("ZWGK_PROGRESS_INTERVAL=0", *settings):
        args += ["-s", setting]
    return zwgk(*args, timeout=300)


def try_lock(db: Path) -> int:
    """In another process: 0 if it can take the archive's lock, EXIT_LOCKED if it cannot."""
    code = textwrap.dedent(f"""
        import sys
        from zwgk.lock import EXIT_LOCKED, ArchiveLocked, archive_lock
        try:
            with archive_lock({str(db)!r}):
                pass
        except ArchiveLocked:
            sys.exit(EXIT_LOCKED)
    """)
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, timeout=60).returncode


def runs(db: Path) -> list[tuple]:
    with closing(sqlite3.connect(db)) as conn:
        return conn.execute("select pid, finish_reason from crawl_runs order by id").fetchall()


@pytest.mark.integration
def test_a_second_crawl_of_a_running_crawls_archive_exits_3_naming_it(tmp_path):
    db = tmp_path / "archive.db"
    with running_replica(*SMALL, "--faults", "slow", env=SLOW) as url:
        first = start_crawl(db, url, "DOWNLOAD_TIMEOUT=900")
        try:
            found = wait_for_holder(db, first)
            second = crawl(db, url)
            assert second.returncode == EXIT_LOCKED, second.stderr
            assert second.stdout == ""
            [line] = second.stderr.splitlines()
            assert line.startswith(f"zwgk crawl: another crawl holds {db} ")
            assert f"pid {first.pid} on {found['host']}, started {found['started']}" in line
            assert str(lock_path(db)) in line
            assert first.poll() is None, "the first crawl must go on undisturbed"
            assert holder(db)["pid"] == first.pid
        finally:
            kill_group(first, grace=1)
            first.stderr.close()


@pytest.mark.integration
def test_a_lock_left_by_a_sigkilled_crawl_does_not_block_the_next(tmp_path):
    db = tmp_path / "archive.db"
    with running_replica(*SMALL, "--faults", "slow", env=SLOW) as url:
        first = start_crawl(db, url, "DOWNLOAD_TIMEOUT=900")
        try:
            wait_for_holder(db, first)
        finally:
            os.killpg(first.pid, signal.SIGKILL)  # the crawl, its writer, all of it
            first.wait()
            first.stderr.close()
        assert first.returncode == -signal.SIGKILL
        # the dead crawl's record is still in the lock file: only the flock died with it
        assert holder(db)["pid"] == first.pid
        after = crawl(db, url, "DOWNLOAD_TIMEOUT=2", "RETRY_TIMES=0")  # slow pages: timeouts
    assert after.returncode == 0, after.stderr[-3000:]
    assert "another crawl" not in after.stderr
    assert "zjczj: " in after.stdout
    assert holder(db) == {}, "a crawl that ends cleanly leaves an empty lock file"
    assert runs(db)[-1][1] == "finished"


@pytest.mark.integration
def test_different_archives_do_not_block_each_other(tmp_path):
    locked, free = tmp_path / "locked.db", tmp_path / "free.db"
    with running_replica(*SMALL) as url, archive_lock(locked):
        other = crawl(free, url)
        same = crawl(locked, url)
    assert other.returncode == 0, other.stderr[-3000:]
    assert "zjczj: " in other.stdout
    assert runs(free)[-1][1] == "finished"
    assert same.returncode == EXIT_LOCKED
    assert f"pid {os.getpid()}" in same.stderr
    assert not locked.exists(), "a crawl turned away must not create the archive"


def test_the_lock_follows_the_archive_not_its_spelling(tmp_path):
    db = tmp_path / "data" / "archive.db"
    db.parent.mkdir()
    (tmp_path / "link").symlink_to(db.parent)
    spellings = (tmp_path / "link" / "archive.db", os.path.relpath(db, ROOT))
    with archive_lock(db):
        results = [crawl(spelling) for spelling in spellings]
    for result in results:
        assert result.returncode == EXIT_LOCKED, result.stderr
        assert f"pid {os.getpid()}" in result.stderr


def test_a_crawl_of_the_bundled_replica_is_turned_away_too(tmp_path):
    db = tmp_path / "archive.db"
    with archive_lock(db):
        result = zwgk("crawl", "zjczj", "--replica", "--db", str(db), timeout=120)
    assert result.returncode == EXIT_LOCKED
    assert result.stderr.startswith("zwgk crawl: another crawl holds")


def test_the_demo_crawl_takes_the_lock(tmp_path):
    db = tmp_path / "archive.db"
    port = str(free_port())
    with archive_lock(db):
        result = zwgk("demo", "--db", str(db), "--no-serve", "--replica-port", port, timeout=300)
    assert result.returncode == EXIT_LOCKED, result.stderr[-3000:]
    assert f"zwgk demo: another crawl holds {db} (pid {os.getpid()}" in result.stderr


def test_the_lock_is_reentrant_in_a_process_and_released_at_the_end(tmp_path):
    db = tmp_path / "archive.db"
    with archive_lock(db) as path:
        with archive_lock(db):
            assert try_lock(db) == EXIT_LOCKED
        assert try_lock(db) == EXIT_LOCKED, "the outer block still holds it"
        assert holder(db)["pid"] == os.getpid()
    assert path == lock_path(db) == tmp_path / "archive.db.lock"
    assert try_lock(db) == 0
    assert holder(db) == {}


def test_exit_code_3_is_documented():
    help_text = zwgk("crawl", "--help").stdout
    assert "3 another crawl holds the archive" in " ".join(help_text.split())
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## The command line", 1)[1].split("\n## ", 1)[0]
    assert "3 another crawl holds the archive" in " ".join(section.split())
    assert "3 another crawl holds the archive" in " ".join(
        (ROOT / "zwgk" / "cli.py").read_text(encoding="utf-8").split()
    )
