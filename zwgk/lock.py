"""One crawl per archive: an exclusive lock on ``<archive>.lock`` beside the database.

The lock is ``flock(2)`` on an open file, so the kernel releases it when the process ends in any
way, SIGKILL included: a lock file left behind by a dead crawl never blocks the next one. The
file itself stays (removing it would race with a crawl opening it); while a crawl holds it, it
names the holder (pid, host, start time) for the message of the crawl it turns away.

Within one process the lock is re-entrant (``zwgk crawl --replica`` takes it before starting the
replica, then ``run_crawl`` takes it again), keyed by the archive's real path, so two spellings
of one archive (``archive.db``, ``./archive.db``, a symlink) are one lock.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

#: Exit code of ``zwgk crawl`` (and ``zwgk demo``) when another crawl holds the archive.
EXIT_LOCKED = 3

#: Locks this process holds: lock path -> [file descriptor, nesting depth].
_held: dict[Path, list[int]] = {}
_registry = threading.Lock()


class ArchiveLocked(Exception):
    """Another process holds the archive's crawl lock."""

    def __init__(self, db: str, lock: Path, holder: dict) -> None:
        self.db, self.lock, self.holder = db, lock, holder
        super().__init__(self.message())

    def message(self) -> str:
        """One line: the archive, the holder's pid, host and start time, the lock file."""
        found = self.holder
        who = f"pid {found.get('pid', 'unknown')}"
        if found.get("host"):
            who += f" on {found['host']}"
        if found.get("started"):
            who += f", started {found['started']}"
        return f"another crawl holds {self.db} ({who}; lock file {self.lock}); not started"


def lock_path(db: str | os.PathLike[str]) -> Path:
    """``<archive>.lock`` beside the archive's real path."""
    real = Path(os.path.realpath(db))
    return real.with_name(real.name + ".lock")


def holder(db: str | os.PathLike[str]) -> dict:
    """What the archive's lock file says about its holder ({} when empty or unreadable); the
    holder may be gone: only a failed lock attempt proves it is alive."""
    try:
        return _parse(lock_path(db).read_bytes())
    except OSError:
        return {}


@contextmanager
def archive_lock(db: str | os.PathLike[str]) -> Iterator[Path]:
    """Hold the crawl lock of ``db`` for the block; raise :class:`ArchiveLocked` at once (no
    waiting) when another process holds it. Yields the lock file's path."""
    path = lock_path(db)
    with _registry:
        if path in _held:
            _held[path][1] += 1
        else:
            _held[path] = [_acquire(str(db), path), 1]
    try:
        yield path
    finally:
        with _registry:
            _held[path][1] -= 1
            if not _held[path][1]:
                _release(_held.pop(path)[0])


def _acquire(db: str, path: Path) -> int:
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        found = _parse(os.pread(fd, 4096, 0))
        os.close(fd)
        raise ArchiveLocked(db, path, found) from None
    except BaseException:
        os.close(fd)
        raise
    started = dt.datetime.now().astimezone().isoformat(sep=" ", timespec="seconds")
    record = {"pid": os.getpid(), "host": socket.gethostname(), "started": started}
    with suppress(OSError):  # who holds it, for the message; the lock holds without it
        os.ftruncate(fd, 0)
        os.pwrite(fd, (json.dumps(record) + "\n").encode(), 0)
    return fd


def _release(fd: int) -> None:
    with suppress(OSError):
        os.ftruncate(fd, 0)  # a clean end leaves an empty file: nobody holds the archive
    os.close(fd)  # closing the last descriptor releases the flock


def _parse(data: bytes) -> dict:
    try:
        found = json.loads(data.decode("utf-8", "replace") or "{}")
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}
