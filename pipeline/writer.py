"""The archive writer, in this process or in a child process: one per archive per process.

Scrapy runs on one core. Extracting and storing in a second process keeps the crawl's event loop
free for fetching: the crawler only pickles raw responses onto a bounded queue, and the child
(the one writer that owns ``archive.db``, as SQLite wants) classifies, extracts and stores.
``Writer(..., in_process=True)`` does the same work inline, for tests and tiny jobs.

Every spider of a crawl process shares one writer per archive (:meth:`Writer.acquire`), so
concurrent spiders never compete for SQLite's write lock; each message names its crawl run.

Failure is loud and bounded:

* a storage error in the writer (full disk, lock held past the busy timeout, I/O error) rolls
  the open batch back, is reported to the crawl process (:meth:`Writer.health`) and ends the
  writer; every later call raises :class:`WriterFailed`;
* a writer that dies (killed, crashed) is noticed within a second by :meth:`Writer.health` or
  by the next call, which raises instead of waiting;
* a writer whose crawl process died commits what it already holds (whole pages, one
  transaction) and exits within a second, instead of waiting on a pipe for ever.

Messages travel over two one-way pipes, each end held by one process only: a message cut off by
a kill ends in EOF on the other side, never in a read that waits for bytes no one will write
(a ``multiprocessing.Queue`` leaves both ends in both processes). A pipe also gives the
back-pressure a bounded queue gave: the crawl waits while the writer is a pipe and its
inbox (8 batches read ahead, :class:`_Inbox`) behind.

**Hand-off.** Waiting in a send, the crawl process has a core and nothing to do. So before it
sends a batch it looks how much the pipe holds (``FIONREAD``): past ``handoff`` bytes the writer
is behind by its whole inbox and more, and the crawl process extracts and classifies the batch's
pages itself (``pipeline.ingest.prepared_of``, as a scale-out worker does) instead of waiting
for the writer to get to them; the writer then only stores them. The two processes so balance
themselves, whichever is the slower one (the writer at large archives, or on a slow disk), and
the pages prepared in the crawl process are counted (``Writer.prepared``). ``handoff=0``
switches it off; so does a platform without ``FIONREAD`` on pipes (Windows).
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import multiprocessing as mp
import os
import pickle
import queue
import signal
import sqlite3
import struct
import sys
import threading
import time
import traceback
import types
import weakref
from collections import deque
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, ClassVar

try:
    import fcntl
    import termios
except ImportError:  # not on Windows
    fcntl = termios = None  # type: ignore[assignment]

from pipeline import affinity
from pipeline.attachments.ingest import ingest_attachment
from pipeline.ingest import ingest_page, prepared_of
from pipeline.process_exit import exit_now
from pipeline.store import link
from pipeline.store.archive import Archive
from pipeline.warc import Exchange

log = logging.getLogger(__name__)

_POLL = 0.5  # seconds between liveness checks on either side of the queue
_RESULT_TIMEOUT = 600.0
STORAGE_ERRORS = (sqlite3.Error, OSError)
EXIT_STORAGE_ERROR = 3


class WriterFailed(RuntimeError):
    """The archive writer stopped: what it said, or how it died."""


def _serve(
    db_path: str, max_bytes: int, warc_bytes: int, requests: Connection, results: Connection
) -> None:
    """Child process loop: handle messages until ``close`` or the parent's death."""
    # Ctrl-C (SIGINT to the terminal's process group) and a service manager's SIGTERM (to every
    # process of the unit) reach the crawl too, which shuts down gracefully and closes us after
    # its last batch; should the crawl die instead, _Inbox.next notices within a second.
    for stop in (signal.SIGINT, signal.SIGTERM):
        signal.signal(stop, signal.SIG_IGN)
    try:
        archive = Archive(
            db_path, max_bytes=max_bytes, warc_max_bytes=warc_bytes, background_checkpoints=True
        )
    except STORAGE_ERRORS as exc:
        results.send(("fatal", _describe(exc)))
        raise SystemExit(EXIT_STORAGE_ERROR) from None
    handler = _Handler(archive)
    link.prepare()  # while the crawl fetches its first lists, not in its tail
    profile = os.environ.get("ZWGK_WRITER_PROFILE")
    if profile:  # cProfile the writer's whole life into that file (pstats format)
        import cProfile

        profiler = cProfile.Profile()
        try:
            profiler.runcall(_loop, archive, handler, requests, results)
        finally:
            profiler.dump_stats(profile)
    else:
        _loop(archive, handler, requests, results)
    exit_now()  # the archive is closed: the crawl waits for this process's end


def _loop(archive: Archive, handler: _Handler, requests: Connection, results: Connection) -> None:
    inbox = _Inbox(requests)
    while True:
        message = inbox.next()
        if message is None:  # the crawl process is gone: keep what arrived whole, then leave
            archive.close()
            return
        verb, payload = message
        if verb == "close":
            archive.close()
            return
        try:
            reply = handler.handle(verb, payload)
        except STORAGE_ERRORS as exc:
            archive.abandon()  # the batch was rolled back; the memory is no longer true
            results.send(("fatal", _describe(exc)))
            raise SystemExit(EXIT_STORAGE_ERROR) from None
        if verb in _REPLY_VERBS:
            results.send(("ok", reply))


class _Inbox:
    """The writer's side of the pipe: a thread reads whole messages off it as they come, up to
    ``depth`` ahead of the one being handled.

    The pipe holds 1 MiB (``PIPE_BYTES``, the most an unprivileged process may ask for): two or
    three batches. A writer busy with one batch let the pipe fill, the crawl then waited in its
    ``send`` with its event loop stopped, and once the writer caught up the pipe ran dry while
    the crawl refilled its downloads: the two took turns (a crawl of a scale-20,000 replica,
    states sampled every 5 ms: the crawl blocked in a pipe write 7.7% of the time, the writer
    waiting for a message 2.8%). Reading ahead in a thread (``recv_bytes`` waits without the
    GIL) keeps the pipe drained; unpickling stays in the main thread. A message cut off by the
    crawl's death is an EOF, as before: what arrived whole is handled first."""

    def __init__(self, requests: Connection, depth: int = 8) -> None:
        self._requests = requests
        self._messages: queue.Queue[bytes | None] = queue.Queue(maxsize=depth)
        threading.Thread(target=self._read, name="zwgk-inbox", daemon=True).start()

    def _read(self) -> None:
        while True:
            try:
                data = self._requests.recv_bytes()
            except (EOFError, OSError):
                self._messages.put(None)
                return
            self._messages.put(data)

    def next(self) -> tuple[str, Any] | None:
        """The next message, or None once the parent process has died (EOF on the pipe, a
        message cut off, or no message and no parent)."""
        parent = mp.parent_process()
        while True:
            try:
                data = self._messages.get(timeout=_POLL)
            except queue.Empty:
                if parent is not None and not parent.is_alive():
                    return None
                continue
            if data is None:
                return None
            try:
                return pickle.loads(data)  # noqa: S301 - our own parent process, as recv() does
            except pickle.UnpicklingError:
                return None


def _describe(exc: BaseException) -> str:
    """What failed and where: ``OperationalError: database is locked (at
    pipeline/store/link.py:150 in link_projects)``. The crawl's log has only this line of a
    writer's failure; the place is the innermost frame of this project's own code (a failure
    inside sqlite3 or the standard library names where our code called it)."""
    where = _where(exc)
    return f"{type(exc).__name__}: {exc}" + (f" (at {where})" if where else "")


_PACKAGES = Path(__file__).resolve().parent.parent  # where ``pipeline`` and ``crawler`` live
_OWN = ("pipeline", "crawler")


def _where(exc: BaseException) -> str | None:
    place = None
    for frame in traceback.extract_tb(exc.__traceback__):
        path = Path(frame.filename)
        if path.is_relative_to(_PACKAGES):
            inside = path.relative_to(_PACKAGES)
            if inside.parts[0] in _OWN:
                place = f"{inside.as_posix()}:{frame.lineno} in {frame.name}"
    return place


_REPLY_VERBS = frozenset({"start_run", "finish"})


#: A batch goes to the writer at ``batch`` entries or this many body bytes, whichever comes
#: first (attachments ride in batches too, and may be 50 MB each).
BATCH_BYTES = 8 << 20
PIPE_BYTES = 1 << 20  # a few batches in flight: the crawl does not wait for each one
#: Bytes in the pipe past which the crawl process prepares a batch's pages itself (hand-off).
#: The writer's inbox takes whole messages off the pipe as long as it has room, so a pipe
#: holding more than the part of one message being read means the inbox is full.
HANDOFF_BYTES = PIPE_BYTES // 16


def _body_size(entry: Any) -> int:
    payload = entry.payload if isinstance(entry, Batched) else entry
    body = payload.body if isinstance(payload, Exchange) else payload.get("body")
    return len(body) if body else 0


@dataclass(frozen=True)
class Batched:
    """A message that rides in the page batch, in order: an attachment download or a 304. One
    message of its own each cost a pipe write and cut the batch short; a crawl with attachments
    sent most pages one batch at a time."""

    verb: str
    payload: dict[str, Any]


class Reply:
    """The writer's answer to one message that asks for one (:meth:`Writer.ask`): ``done`` once
    it came, with its ``value``. Answers come in the order of the questions."""

    __slots__ = ("asked", "done", "value")

    def __init__(self) -> None:
        self.asked = time.monotonic()
        self.done = False
        self.value: Any = None

    def answer(self, value: Any) -> None:
        self.value, self.done = value, True


class _Handler:
    """Applies writer messages to an Archive (shared by both modes)."""

    def __init__(self, archive: Archive) -> None:
        self.archive = archive

    def handle(self, verb: str, payload: Any) -> Any:
        archive = self.archive
        if verb == "start_run":
            for site in payload.pop("sites", []):
                archive.register_site(**site)
            return archive.start_run(**payload)
        if verb == "pages":  # pages, the exchanges (pipeline.warc) they came in, Batched, in order
            return [self._entry(entry) for entry in payload]
        if verb == "not_modified":
            return archive.not_modified(payload["url"], payload.get("when"), payload["run_id"])
        if verb == "fail":
            return archive.fail(**payload)
        if verb == "attachment":
            return ingest_attachment(archive, payload)
        if verb == "finish":
            return archive.finish_run(**payload)
        raise ValueError(f"unknown writer message {verb!r}")

    def _entry(self, entry: Any) -> Any:
        if isinstance(entry, Exchange):
            return self.archive.capture(entry)
        if isinstance(entry, Batched):
            return self.handle(entry.verb, entry.payload)
        return ingest_page(self.archive, entry, entry.get("run_id"))


class Writer:
    """Front end used by the Scrapy item pipeline (or any caller)."""

    _shared: ClassVar[dict[tuple[str, bool], Writer]] = {}

    def __init__(
        self,
        db_path: str,
        *,
        in_process: bool = False,
        batch: int = 32,
        max_bytes: int = 0,
        warc_max_bytes: int = 0,
        cpu_affinity: str = "off",
        handoff: int = HANDOFF_BYTES,
    ) -> None:
        self.db_path = db_path
        self.in_process = in_process
        self.batch = batch
        self.handoff = handoff if termios is not None else 0  # bytes in the pipe: the writer behind
        self.prepared = 0  # pages this process extracted itself while the writer was behind
        self.users = 0
        self._unfinished = 0  # users (acquired) that have not asked to finish their run yet
        self._pages: list[Any] = []
        self._batch_bytes = 0
        self._handler: _Handler | None = None
        self._proc: mp.process.BaseProcess | None = None
        self._failure: str | None = None
        self._owed: deque[Reply] = deque()  # asked, not yet answered, in the order asked
        self._cpus_before: frozenset[int] | None = None  # this process's, while pinned
        affinity.check(cpu_affinity)
        if in_process:
            archive = Archive(db_path, max_bytes=max_bytes, warc_max_bytes=warc_max_bytes)
            self._handler = _Handler(archive)
        else:
            ctx = mp.get_context("spawn")
            their_requests, self._requests = ctx.Pipe(duplex=False)
            self._results, their_results = ctx.Pipe(duplex=False)
            self._proc = ctx.Process(
                target=_serve,
                args=(db_path, max_bytes, warc_max_bytes, their_requests, their_results),
                daemon=True,
            )
            with _main_module_hidden():
                self._proc.start()
            self._cpus_before = affinity.pin(cpu_affinity, self._proc.pid)
            their_requests.close()  # each end lives in one process only
            their_results.close()
            _widen(self._requests)
            _close_at_exit.add(self)

    # -- sharing ------------------------------------------------------------------------
    @classmethod
    def acquire(
        cls,
        db_path: str,
        *,
        in_process: bool = False,
        max_bytes: int = 0,
        warc_max_bytes: int = 0,
        cpu_affinity: str = "off",
        handoff: int = HANDOFF_BYTES,
        finishes: bool = True,
    ) -> Writer:
        """The writer of ``db_path`` in this process, started on first use (``cpu_affinity``:
        ``pipeline.affinity``'s mode for this process and the writer's, at its start;
        ``handoff``: bytes in the pipe past which this process extracts pages itself).
        ``finishes=False``: a user that opens no run of its own (WARC capture: it only sends
        exchanges), so the linking at the last run's end (:meth:`finishing`) does not wait for
        it to finish one."""
        key = (os.path.realpath(db_path), in_process)
        writer = cls._shared.get(key)
        if writer is None or writer._failure is not None:
            writer = cls(
                db_path,
                in_process=in_process,
                max_bytes=max_bytes,
                warc_max_bytes=warc_max_bytes,
                cpu_affinity=cpu_affinity,
                handoff=handoff,
            )
            cls._shared[key] = writer
        writer.users += 1
        writer._unfinished += finishes
        return writer

    def release(self) -> None:
        """One user is done; the last one closes the writer."""
        self.users -= 1
        if self.users <= 0:
            self._shared.pop((os.path.realpath(self.db_path), self.in_process), None)
            self.close()

    # -- messages -----------------------------------------------------------------------
    def start_run(
        self,
        spider: str,
        site: str | None,
        args: dict | None = None,
        sites: list | None = None,
        pid: int | None = None,
    ) -> int:
        payload = {"spider": spider, "site": site, "args": args or {}, "sites": sites or []}
        return self._call("start_run", {**payload, "pid": pid}, wait=True)

    def page(self, page: dict[str, Any], run_id: int | None = None) -> None:
        """Queue one page; pages cross to the writer process in batches (one pickle, one lock)."""
        self._queue({**page, "run_id": run_id})

    def exchange(self, exchange: Exchange) -> None:
        """Queue one HTTP exchange for WARC; it travels with the pages, in order, before the
        page that came in it."""
        self._queue(exchange)

    def not_modified(self, url: str, run_id: int | None = None, when: str | None = None) -> None:
        self._queue(Batched("not_modified", {"url": url, "run_id": run_id, "when": when}))

    def attachment(self, download: dict[str, Any]) -> None:
        """One attachment download (``pipeline.attachments.ingest``: url, status, body …)."""
        self._queue(Batched("attachment", download))

    def _queue(self, entry: Any) -> None:
        if self._handler:
            self._inline("pages", [entry])
            return
        self._pages.append(entry)
        self._batch_bytes += _body_size(entry)
        if len(self._pages) >= self.batch or self._batch_bytes >= BATCH_BYTES:
            self._send_pages()

    def fail(
        self,
        url: str,
        reason: str,
        status: int | None = None,
        site: str = "",
        run_id: int | None = None,
        failed_at: str | None = None,
    ) -> None:
        payload = {"url": url, "reason": reason, "status": status, "site": site}
        payload["failed_at"] = failed_at
        self._call("fail", {**payload, "run_id": run_id})

    def finish(self, run_id: int, finish_reason: str, **details: Any) -> dict[str, Any]:
        """Flush and close the run; returns its ``crawl_runs`` row once the writer has stored
        everything sent before (``details``: those of :meth:`finishing`)."""
        return self.wait(self.finishing(run_id, finish_reason, **details))

    def finishing(
        self,
        run_id: int,
        finish_reason: str,
        pages_fetched: int | None = None,
        listings: dict[str, dict[str, int]] | None = None,
        finished: str | None = None,
    ) -> Reply:
        """Flush and close the run (``finished``: when, on the crawl's clock; None: now) without
        waiting: the run's ``crawl_runs`` row comes as the reply's value (poll it with
        :meth:`answered`). A crawl process running other spiders keeps fetching meanwhile;
        waiting for the writer to drain what it was sent stalled all of them for a moment at
        every spider's end.

        The procurement projects are linked when the last user of a shared writer finishes
        (``Archive.finish_run``'s ``link``), not after every run."""
        self._unfinished -= 1
        payload = {"run_id": run_id, "finish_reason": finish_reason, "pages_fetched": pages_fetched}
        payload["link"] = self._unfinished <= 0
        return self.ask("finish", {**payload, "listings": listings, "finished": finished})

    def ask(self, verb: str, payload: dict) -> Reply:
        """Send a message that the writer answers (after everything sent before it)."""
        reply = Reply()
        if self._handler:
            reply.answer(self._inline(verb, payload))
            return reply
        self._send_pages()  # keep the order of pages and other messages
        self._put((verb, payload))
        self._owed.append(reply)
        return reply

    def answered(self, reply: Reply) -> bool:
        """Whether ``reply`` has come, without waiting; raises :class:`WriterFailed` if it never
        will (the writer failed or died, or took longer than the writer's answer timeout)."""
        while not reply.done and self._receive(0):
            pass
        if reply.done:
            return True
        self._raise_if_failed()
        if time.monotonic() - reply.asked > _RESULT_TIMEOUT:
            self._failure = f"the archive writer did not answer in {_RESULT_TIMEOUT:.0f} s"
            raise WriterFailed(self._failure)
        return False

    def wait(self, reply: Reply) -> Any:
        """The value of ``reply``, waiting for it; raises :class:`WriterFailed` as
        :meth:`answered` does."""
        while not self.answered(reply):
            if not self._receive(_POLL) and not self._proc.is_alive():
                self._receive(0.2)  # a dying writer's last word may lag
                if self._failure is None:
                    self._failure = _death(self._proc.exitcode)
                self._raise_if_failed()
        return reply.value

    def health(self) -> str | None:
        """None while the writer works; else why it stopped (and it stays stopped)."""
        if self._failure is None and self._proc is not None:
            alive = self._proc.is_alive()
            while self._failure is None and self._receive(0 if alive else 0.2):
                pass  # a dying writer's last word may lag
            if self._failure is None and not alive:
                self._failure = _death(self._proc.exitcode)
        return self._failure

    def _receive(self, timeout: float) -> bool:
        """Read one message of the writer if one comes within ``timeout``; False if none did.
        An answer goes to the oldest question still owed one; the writer sends nothing else
        unasked but its failure."""
        try:
            if not self._results.poll(timeout):
                return False
            kind, value = self._results.recv()
        except (EOFError, OSError, pickle.UnpicklingError):
            self._proc.join(timeout=1)  # the writer closed its end: it is gone or going
            return False
        if kind == "fatal":
            self._failure = self._failure or value
        elif self._owed:
            self._owed.popleft().answer(value)
        else:
            self._failure = self._failure or f"unexpected reply {kind!r}"
        return True

    def close(self) -> None:
        """Stop the writer: flush and close the archive (a failed writer is only reaped)."""
        if self._handler:
            if self._failure is None:
                self._handler.archive.close()
            return
        if self._proc is None:
            return
        _close_at_exit.open.discard(self)
        if self.health() is None:
            try:
                self._send_pages()
                self._put(("close", None))
            except WriterFailed:
                pass
            self._proc.join(timeout=60)
        else:  # a writer that failed exits by itself once its batch is rolled back (code 3)
            self._proc.join(timeout=5)
        self._reap()

    # -- plumbing -----------------------------------------------------------------------
    def _inline(self, verb: str, payload: Any) -> Any:
        self._raise_if_failed()
        try:
            return self._handler.handle(verb, payload)
        except STORAGE_ERRORS as exc:
            self._failure = _describe(exc)
            self._handler.archive.abandon()
            raise WriterFailed(self._failure) from exc

    def _call(self, verb: str, payload: dict, wait: bool = False) -> Any:
        if wait:
            return self.wait(self.ask(verb, payload))
        if self._handler:
            return self._inline(verb, payload)
        self._send_pages()  # keep the order of pages and other messages
        self._put((verb, payload))
        return None

    def _send_pages(self) -> None:
        if self._pages:
            pages, self._pages, self._batch_bytes = self._pages, [], 0
            if self.handoff and self._behind():
                self._prepare(pages)
            self._put(("pages", pages))

    def _behind(self) -> bool:
        """Whether the pipe holds ``handoff`` bytes or more: the writer's inbox is full and the
        next send would wait (the hand-off, in this module's docstring)."""
        try:
            held = fcntl.ioctl(self._requests.fileno(), termios.FIONREAD, b"\0\0\0\0")
        except OSError:
            return False
        return struct.unpack("i", held)[0] >= self.handoff

    def _prepare(self, entries: list[Any]) -> None:
        """Extract and classify the batch's pages here, for the writer only to store them."""
        for entry in entries:
            if type(entry) is dict and "prepared" not in entry:
                entry["prepared"] = prepared_of(entry)
                self.prepared += 1

    def _put(self, message: tuple) -> None:
        """Send one message; waits while the writer is busy (back-pressure), raises when it is
        gone (a closed pipe) or has failed."""
        self._raise_if_failed()
        try:
            self._requests.send(message)
        except OSError:  # BrokenPipeError: the writer's end is closed, the writer is gone
            self._proc.join(timeout=1)
            self._raise_if_failed()
            raise WriterFailed(_death(self._proc.exitcode)) from None

    def _raise_if_failed(self) -> None:
        if self.health() is not None:
            raise WriterFailed(self._failure)

    def _reap(self) -> None:
        """After the child is gone (or to make it go): nothing left running or open, and this
        process on its own CPUs again."""
        if self._proc.is_alive():
            self._proc.kill()
            self._proc.join(timeout=5)
        for end in (self._requests, self._results):
            end.close()
        affinity.restore(self._cpus_before)
        self._cpus_before = None


@contextlib.contextmanager
def _main_module_hidden():
    """Start a spawned child without running this process's main module in it.

    A ``spawn`` child imports the parent's ``__main__`` (as ``__mp_main__``) before it unpickles
    its target, in case the target lives there. The writer's target is :func:`_serve`, here; and
    the main module of a crawl is Scrapy's command line, Scrapyd's runner or a script that
    imports Scrapy and the spiders: ~0.25 s of CPU and ~30 MB (a writer of 70 MB instead of 38)
    for modules it never uses (``zwgk``'s own console script imports only its CLI, and a main
    module named ``….__main__`` is skipped by ``multiprocessing`` itself). ``multiprocessing``
    reads the main module's ``__spec__`` and ``__file__`` only while ``Process.start`` prepares
    the child, so a bare stand-in for those few lines starts the child with nothing to import.
    """
    main = sys.modules.get("__main__")
    sys.modules["__main__"] = types.ModuleType("__main__")  # no __spec__, no __file__
    try:
        yield
    finally:
        if main is not None:
            sys.modules["__main__"] = main


class _CloseAtExit:
    """Closes the writer processes a crawl process leaves open when it exits.

    A forced shutdown (a second Ctrl-C or SIGTERM) stops Scrapy with its spiders still open, so
    no pipeline closes its writer. multiprocessing's own exit handler would then send the
    daemonic writer a SIGTERM, which the writer ignores (a service manager's SIGTERM reaches
    every process of a unit, and the writer waits for the crawl's last batch instead), and join
    it, while the writer waits for a message or for the crawl to die: both wait for ever. This
    handler, registered after multiprocessing's and so run before it, closes each writer as
    :meth:`Writer.close` does: it stores what it was sent, whole pages, and exits."""

    def __init__(self) -> None:
        self.open: weakref.WeakSet[Writer] = weakref.WeakSet()
        self._registered = False

    def add(self, writer: Writer) -> None:
        if not self._registered:
            atexit.register(self)
            self._registered = True
        self.open.add(writer)

    def __call__(self) -> None:
        for writer in list(self.open):
            if writer.users or writer._pages or writer._owed:
                log.warning("closing the archive writer of %s at exit", writer.db_path)
            with contextlib.suppress(Exception):
                writer.close()


_close_at_exit = _CloseAtExit()


def _widen(end: Connection) -> int | None:
    """Give the pipe room for a few batches (Linux; elsewhere the default stays); returns the
    size it got, None where it cannot be set. Without it a send waits until the writer has read
    the whole batch, and crawl and writer take turns: a default crawl of a scale-3000 replica
    through the default 64 KiB pipe ran at 466-482 pages/s against 632-648 through 1 MiB (same
    replica, alternating runs). An unprivileged process may set up to ``fs.pipe-max-size``
    (1 MiB by default); where that is lower, the pipe gets that much and a warning says so."""
    set_size = getattr(fcntl, "F_SETPIPE_SZ", None) if fcntl else None
    if set_size is None:
        return None
    for size in dict.fromkeys((PIPE_BYTES, min(PIPE_BYTES, _pipe_max_bytes()))):
        if size <= 0:
            continue
        with contextlib.suppress(OSError):
            got = fcntl.fcntl(end.fileno(), set_size, size)
            if got < PIPE_BYTES:
                log.warning(
                    "the pipe to the archive writer holds %d bytes, not %d: raise the kernel's "
                    "fs.pipe-max-size (sysctl) to %d, or crawl and writer wait for each other",
                    got, PIPE_BYTES, PIPE_BYTES,
                )  # fmt: skip
            return got
    log.warning(
        "the pipe to the archive writer keeps its default size: set fs.pipe-max-size (sysctl) to"
        " at least %d, or crawl and writer wait for each other (a crawl ~25%% slower measured)",
        PIPE_BYTES,
    )
    return None


def _pipe_max_bytes() -> int:
    """The largest pipe an unprivileged process may ask for (Linux ``fs.pipe-max-size``); 0
    where unknown."""
    try:
        return int(Path("/proc/sys/fs/pipe-max-size").read_text())
    except (OSError, ValueError):
        return 0


def _death(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        name = signal.Signals(-exitcode).name if -exitcode in signal.valid_signals() else exitcode
        return f"the archive writer process was killed ({name})"
    return f"the archive writer process exited unexpectedly (exit code {exitcode})"
