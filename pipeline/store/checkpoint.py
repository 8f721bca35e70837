"""WAL checkpoints in a thread of their own, so the archive's writer never waits on a disk.

In WAL mode a commit only appends to ``archive.db-wal`` (``synchronous=NORMAL``: no fsync); a
*checkpoint* copies the appended pages into the database file and syncs both files. SQLite runs
one by itself in the committing connection whenever the log passes 1,000 pages, so the writer
that commits waits for two ``fdatasync`` calls every few megabytes. Measured on a crawl (kernel
stacks of the writer sampled every few milliseconds): 2% of its time blocked in ``fdatasync``
at scale 3,000, 4% at 20,000 — time the crawl, waiting on a full pipe to the writer, spent idle
too.

:class:`Checkpointer` turns the connection's automatic checkpoints off and runs a ``PASSIVE``
checkpoint from its own connection in a daemon thread instead, at most every ``interval``
seconds and only after a commit. Python's ``sqlite3`` releases the GIL while SQLite works, so the
copy and the syncs overlap the writer's next batch. Nothing about durability changes: committed
transactions are in the log either way; a checkpoint cut off by a crash is completed from the
log by the next connection. A ``PASSIVE`` checkpoint never waits for readers or the writer; the
writer starts the log from its beginning again at its next transaction after a checkpoint that
caught up with it (SQLite's rule). Should the writer keep committing while every background
checkpoint runs, the log would never catch up and grow: once a checkpoint finds it past
``CATCH_UP_BYTES``, the writer checkpoints once in its own thread after its next commit, as SQLite
would have (``inline`` counts those), and the log restarts. A checkpoint that left pages in the
log (a reader still on an older snapshot, the writer mid-commit) is tried again after
``interval`` whether or not anything more is committed, so a crawl's last batches reach the
database file while the writer waits for the next crawl.
"""

from __future__ import annotations

import logging
import sqlite3
import threading

log = logging.getLogger(__name__)

#: Seconds between checkpoints while the writer commits (SQLite's own rule, 1,000 pages, came
#: every ~0.5 s on a crawl at full speed).
INTERVAL = 1.0
#: A log this large is checkpointed by the writer itself after its commit (it then restarts).
CATCH_UP_BYTES = 64 << 20


class Checkpointer:
    """Checkpoints of the database at ``path`` in a background thread, after ``committed()``.

    ``conn`` is the writer's connection: its automatic checkpoints are turned off while this
    runs and on again by :meth:`stop` (a connection that outlives the thread checkpoints as
    before)."""

    def __init__(
        self,
        path: str,
        conn: sqlite3.Connection,
        interval: float = INTERVAL,
        catch_up_bytes: int = CATCH_UP_BYTES,
    ) -> None:
        self.path = str(path)
        self.interval = interval
        self.catch_up_bytes = catch_up_bytes
        self.checkpoints = 0  # completed in the thread, for tests and profiles
        self.inline = 0  # run by the writer itself (a log past catch_up_bytes)
        self.failures = 0
        self.log_frames = 0  # the log's length as the last checkpoint found it
        self._page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        self._writer = conn
        self._pending = threading.Event()  # a commit since the last checkpoint
        self._stop = threading.Event()
        self._conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._conn.execute("PRAGMA busy_timeout=30000")
        conn.execute("PRAGMA wal_autocheckpoint=0")
        self._thread = threading.Thread(target=self._run, name="zwgk-checkpoint", daemon=True)
        self._thread.start()

    def committed(self) -> None:
        """The writer committed a transaction: wakes the thread (sets a flag)."""
        self._pending.set()
        if self.log_frames * self._page_size > self.catch_up_bytes:
            self.log_frames = 0
            try:  # the commit stands either way: a failed checkpoint only leaves the log long
                self._writer.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
            except sqlite3.Error as exc:
                self.failures += 1
                log.warning("checkpoint of %s failed (the log keeps it): %s", self.path, exc)
                return
            self.inline += 1

    def stop(self) -> None:
        """Finish the checkpoint under way, end the thread, give the writer its automatic
        checkpoints back. Idempotent."""
        if self._stop.is_set():
            return
        self._stop.set()
        self._pending.set()  # wake the thread
        self._thread.join()
        self._conn.close()
        try:
            self._writer.execute("PRAGMA wal_autocheckpoint=1000")
        except sqlite3.ProgrammingError:  # the writer's connection is closed already
            pass

    def _run(self) -> None:
        while True:
            self._pending.wait()
            if self._stop.is_set():
                return
            self._pending.clear()
            if not _caught_up(self.checkpoint()):
                # A reader's older snapshot, or the writer mid-commit, kept pages in the log:
                # try again after the interval even if nothing more is committed (a crawl's last
                # batch would otherwise stay in the log until the writer closes).
                self._pending.set()
            if self._stop.wait(self.interval):
                return

    def checkpoint(self) -> tuple[int, int, int] | None:
        """One ``PASSIVE`` checkpoint: ``(busy, log pages, pages copied)``; None on an error
        (logged: the log keeps every page, the next checkpoint tries again)."""
        try:
            row = self._conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        except sqlite3.Error as exc:
            self.failures += 1
            log.warning("checkpoint of %s failed (the log keeps it): %s", self.path, exc)
            return None
        self.checkpoints += 1
        self.log_frames = row[1]
        return tuple(row)


def _caught_up(result: tuple[int, int, int] | None) -> bool:
    """Whether a checkpoint copied the whole log (``(busy, log pages, pages copied)``)."""
    return result is not None and not result[0] and result[2] >= result[1]
