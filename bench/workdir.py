"""Where a benchmark keeps its archives while it runs: every one until the end."""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def archives_kept() -> Iterator[Path]:
    """A fresh directory for every archive of one benchmark run, removed when the run ends.

    Deleting an archive between crawls makes the next crawl slower, on the archiving side only:
    ext4 does not hand out an inode freed in the last minutes (``recently_deleted`` in its inode
    allocator), and looks for a free one near the parent directory by reading the inode table
    past every recently freed inode. Right after a deleted archive of ~1,000 attachment files,
    creating the next crawl's files cost 0.5–1.5 ms of kernel CPU each, against 0.05–0.08 ms
    where nothing was deleted lately (``perf record``: ``recently_deleted``, ``find_inode_bit``,
    ``find_get_block_common``). An archive never deletes its files, so a benchmark that deletes
    them between runs measures a cost no deployment pays. ``ZWGK_BENCH_DIR`` puts the directory
    somewhere else: a file system, or a directory tree, where nothing was deleted in the last
    five minutes (a test run just before deletes thousands of files under the temp directory).
    The run's own deletion at its end slows the next benchmark in the same way for minutes:
    ``ZWGK_BENCH_KEEP=1`` keeps the directory (its path is printed) for a series of runs, to be
    deleted after the last one.
    """
    where = os.environ.get("ZWGK_BENCH_DIR")
    if where:
        Path(where).mkdir(parents=True, exist_ok=True)  # a new tree: nothing deleted in it yet
    path = Path(tempfile.mkdtemp(prefix="zwgk-bench-", dir=where))
    try:
        yield path
    finally:
        if os.environ.get("ZWGK_BENCH_KEEP", "") not in ("", "0"):
            print(f"archives kept in {path} (ZWGK_BENCH_KEEP)", file=sys.stderr)
        else:
            shutil.rmtree(path, ignore_errors=True)


def new_archive(keep: Path, label: str = "archive") -> Path:
    """The database path of a new archive in its own folder of ``keep`` (its files, WARC and
    index beside it, shared with no other archive of the run)."""
    return Path(tempfile.mkdtemp(prefix=f"{label}-", dir=keep)) / "archive.db"


def file_creation_ms(directory: Path, count: int = 300) -> float:
    """CPU milliseconds to create one small file (a temporary name, written, renamed: as a
    content-addressed store does it) in a fresh folder of ``directory``: ~0.05–0.1 ms where
    nothing was deleted lately, 10x that right after a deleted archive (see archives_kept). The
    files stay until the run's directory is removed."""
    folder = tempfile.mkdtemp(prefix="probe-", dir=directory)
    data = os.urandom(2048)
    started = time.process_time()
    for n in range(count):
        final = f"{folder}/{n:064x}"
        fd = os.open(f"{final}.tmp", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        try:
            os.write(fd, b"%d " % n + data)
        finally:
            os.close(fd)
        os.replace(f"{final}.tmp", final)  # noqa: PTH105 - plain os calls, as a store makes them
    return (time.process_time() - started) * 1000 / count


#: CPU ms to create a small file above which the disk is in its slow state (~0.05 when quiet).
#: Until 2026-12-05 a full crawl at scale 3,000 created ~7,000 attachment files (~0.7 s more of
#: the writer's CPU on a slow disk, a few hundredths of the ratio); it now appends to its WARC
#: and SQLite files only, and the probe names a disk in that state for the runs to compare.
SLOW_FILE_MS = 0.15


def report_file_creation(directory: Path) -> str:
    """One line for a benchmark's output: what creating a file costs here, and a warning when
    it is far above what it costs in a deployment."""
    ms = file_creation_ms(directory)
    line = f"file system: {ms:.3f} ms of CPU to create a small file in {directory}"
    if ms > SLOW_FILE_MS:
        line += (
            " -- SLOW (files deleted nearby in the last minutes?): runs on this disk compare"
            " badly with runs on a quiet one; set ZWGK_BENCH_DIR to a quiet directory tree"
        )
    return line
