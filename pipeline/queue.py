"""The archive writer fed from Redis: ``zwgk ingest --redis URL``, one per archive.

Crawl workers on any machine push one message per item onto the list ``{prefix}:items``
(:class:`ItemQueue`); this writer, the only process that writes ``archive.db``, applies them with
the same handler as the single-machine writer (``pipeline.writer._Handler``). Reliable-queue
pattern: a batch is moved atomically to ``{prefix}:items:processing``, applied, committed (one
SQLite transaction), and only then removed. A writer killed at any point leaves its batch in
``processing``; the next writer applies it again first. Applying again is harmless: a page
whose content is stored is ``unchanged`` (same content hash: no new version), a run that exists
or is finished is not started or finished twice.

Run identity: each worker names its run (``{run}``: host, pid, random) and sends ``start_run``
first. The writer creates one ``crawl_runs`` row per run key (kept in ``args.run_key``, so a
replayed ``start_run`` finds its row) and stamps it with the worker's host and pid. Every later
message names the run key; ``finish`` closes it. A worker that died is finished by the worker
that takes its requests back (``worker_lost``).

Messages are pickles of plain data (dicts, lists, str, bytes, numbers); loading refuses any
class or function, so a message cannot run code in the writer.
"""

from __future__ import annotations

import io
import json
import logging
import os
import pickle
import signal
import socket
import time
from typing import Any

from pipeline.store.archive import Archive
from pipeline.store.runs import process_alive
from pipeline.writer import _Handler

log = logging.getLogger(__name__)

DEFAULT_PREFIX = "zwgk"
BATCH = 64  # messages per transaction
GATHER = 0.25  # seconds a batch may wait to fill up: a writer that keeps up commits less often
LOCK_MS = 15_000
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)

_TAKE = """
local out = {}
for i = 1, tonumber(ARGV[1]) do
  local m = redis.call('LMOVE', KEYS[1], KEYS[2], 'LEFT', 'RIGHT')
  if not m then break end
  out[#out + 1] = m
end
return out
"""
_REFRESH = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
"""


def item_keys(prefix: str) -> tuple[str, str]:
    """``(items, processing)``: the writer's queue and the batch it is applying."""
    return f"{prefix}:items", f"{prefix}:items:processing"


class _PlainData(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        raise pickle.UnpicklingError(f"refused {module}.{name}: messages hold plain data only")


def dumps(verb: str, payload: dict) -> bytes:
    return pickle.dumps((verb, payload), protocol=pickle.HIGHEST_PROTOCOL)


def loads(data: bytes) -> tuple[str, dict]:
    return _PlainData(io.BytesIO(data)).load()


class ItemQueue:
    """The workers' side: one message per item, in order.

    ``push`` sends a message now; ``add`` keeps it until the next ``flush``, or until a worker's
    round trip ``take``s what waits into its pipeline ahead of the pipeline's other commands
    (crawler.scale.backlog) — a request's items go in the same round trip as the request's
    acknowledgement, before it, so a request never leaves flight before its items are in
    Redis. At ``WAITING`` messages ``add`` flushes by itself.
    """

    WAITING = 64

    def __init__(self, server, prefix: str = DEFAULT_PREFIX) -> None:
        self.server = server
        self.key = item_keys(prefix)[0]
        self._waiting: list[bytes] = []

    def push(self, verb: str, payload: dict) -> None:
        self.flush()  # what waits goes first: one order for every message of a worker
        self.server.rpush(self.key, dumps(verb, payload))

    def add(self, verb: str, payload: dict) -> None:
        self._waiting.append(dumps(verb, payload))
        if len(self._waiting) >= self.WAITING:
            self.flush()

    def flush(self) -> int:
        """Send what waits; returns how many. A failed send keeps them waiting."""
        waiting = self.take()
        if not waiting:
            return 0
        try:
            self.server.rpush(self.key, *waiting)
        except Exception:
            self.put_back(waiting)
            raise
        return len(waiting)

    def take(self) -> list[bytes]:
        """What waits, no longer waiting (for a caller's pipeline: crawler.scale.backlog)."""
        waiting, self._waiting = self._waiting, []
        return waiting

    def put_back(self, messages: list[bytes]) -> None:
        """Messages taken whose sending failed: first in line again."""
        self._waiting[:0] = messages

    @property
    def waiting(self) -> int:
        return len(self._waiting)

    def __len__(self) -> int:
        return self.server.llen(self.key)


class WriterBusy(RuntimeError):
    """Another writer holds the archive's Redis queue."""


class RedisWriter:
    """Applies the queue's messages to the archive until stopped (SIGTERM/SIGINT) or, with
    ``drain``, until the queue is empty."""

    def __init__(self, server, db_path: str, prefix: str = DEFAULT_PREFIX, batch: int = BATCH):
        self.server = server
        self.items, self.processing = item_keys(prefix)
        self.lock_key = f"{prefix}:writer"
        self.token = f"{socket.gethostname()}:{os.getpid()}"
        self.batch = batch
        self.archive = Archive(db_path, background_checkpoints=True)
        self.handler = _Handler(self.archive)
        self.runs: dict[str, int] = {}
        self.applied = 0
        self._stop = False
        self._take = server.register_script(_TAKE)
        self._refresh = server.register_script(_REFRESH)

    # -- lifecycle ------------------------------------------------------------------------
    def run(self, drain: bool = False, idle_timeout: float | None = None) -> int:
        """Serve until stopped; returns how many messages were applied. ``idle_timeout``:
        seconds to wait for a message on an empty queue before looking again (serving) or
        leaving (``drain``); default 1 s serving, 0.1 s draining."""
        if idle_timeout is None:
            idle_timeout = 0.1 if drain else 1.0
        previous = {stop: signal.signal(stop, self._on_signal) for stop in STOP_SIGNALS}
        try:
            self._lock()
            self._serve(drain, idle_timeout)
        finally:
            self.archive.close()
            if self._holds_lock():
                self.server.delete(self.lock_key)
            for stop, handler in previous.items():
                signal.signal(stop, handler)
        return self.applied

    def _serve(self, drain: bool, idle_timeout: float) -> None:
        leftover = self.server.lrange(self.processing, 0, -1)
        if leftover:
            log.info("applying again the %d messages of an unfinished batch", len(leftover))
            self._apply(leftover)
        while not self._stop:
            batch = self._next_batch(idle_timeout)
            if batch:
                self._apply(batch)
            elif drain:
                break
            self._refresh(keys=[self.lock_key], args=[self.token, LOCK_MS])

    def _on_signal(self, signum: int, frame: Any) -> None:
        self._stop = True

    def _lock(self) -> None:
        """Take the writer lock; wait out a holder that died (same host: at once)."""
        deadline = time.monotonic() + LOCK_MS / 1000 + 1
        while not self.server.set(self.lock_key, self.token, nx=True, px=LOCK_MS):
            holder = (self.server.get(self.lock_key) or b"").decode()
            host, _, pid = holder.rpartition(":")
            if host == socket.gethostname() and pid.isdigit() and not process_alive(int(pid)):
                self.server.delete(self.lock_key)  # its writer is gone: take over
                continue
            if time.monotonic() > deadline:
                raise WriterBusy(f"another writer holds {self.lock_key}: {holder}")
            time.sleep(0.5)

    def _holds_lock(self) -> bool:
        return (self.server.get(self.lock_key) or b"").decode() == self.token

    # -- messages -------------------------------------------------------------------------
    def _next_batch(self, timeout: float) -> list[bytes]:
        """Up to ``batch`` messages moved to ``processing``: waits ``timeout`` for the first,
        then at most GATHER seconds for the rest (one commit per batch, not per message)."""
        first = self.server.blmove(self.items, self.processing, timeout, "LEFT", "RIGHT")
        if first is None:
            return []
        batch, deadline = [first], time.monotonic() + GATHER
        while True:
            more = self.batch - len(batch)
            batch += self._take(keys=[self.items, self.processing], args=[more])
            if len(batch) >= self.batch or time.monotonic() >= deadline or self._stop:
                return batch
            time.sleep(0.02)

    def _apply(self, batch: list[bytes]) -> None:
        """Apply, commit, then acknowledge (remove from ``processing``)."""
        pages: list[dict] = []
        for data in batch:
            verb, payload = loads(data)
            if verb == "page":
                payload["run_id"] = self.run_id(payload.pop("run", None))
                pages.append(payload)
                continue
            if pages:
                self.handler.handle("pages", pages)
                pages = []
            self._one(verb, payload)
        if pages:
            self.handler.handle("pages", pages)
        self.archive.flush()  # one transaction: the batch is stored
        self.server.delete(self.processing)
        self.applied += len(batch)

    def _one(self, verb: str, payload: dict) -> None:
        key = payload.pop("run", None)
        if verb == "start_run":
            self._start_run(key, payload)
        elif verb == "finish":
            self._finish(key, payload)
        elif verb in ("not_modified", "fail"):
            self.handler.handle(verb, {**payload, "run_id": self.run_id(key)})
        elif verb == "attachment":
            self.handler.handle(verb, payload)
        else:
            log.error("unknown message %r dropped", verb)

    def run_id(self, key: str | None) -> int | None:
        """The ``crawl_runs`` id of a worker's run key (None: unknown)."""
        if key is None:
            return None
        if key not in self.runs:
            row = self.archive.db.execute(
                "select id from crawl_runs where json_extract(args, '$.run_key') = ?", [key]
            ).fetchone()
            if row is None:
                return None
            self.runs[key] = row[0]
        return self.runs[key]

    def _start_run(self, key: str, payload: dict) -> None:
        if self.run_id(key) is not None:
            return  # applied before the writer restarted
        host = payload.pop("host", None)
        payload["args"] = {**payload.get("args", {}), "run_key": key}
        run_id = self.handler.handle("start_run", payload)
        with self.archive.db.atomic():  # the worker's host: its pid means something there
            self.archive.db.execute(
                "update crawl_runs set host = coalesce(?, host) where id = ?", [host, run_id]
            )
        self.runs[key] = run_id

    def _finish(self, key: str, payload: dict) -> None:
        run_id = self.run_id(key)
        if run_id is None:
            return
        done = self.archive.db.execute(
            "select finish_reason from crawl_runs where id = ?", [run_id]
        ).fetchone()
        if done and done[0]:
            return  # finished before the writer restarted
        row = self.handler.handle("finish", {**payload, "run_id": run_id})
        log.info("run %s (%s) finished: %s", run_id, key, json.dumps(_counts(row)))


def _counts(row: dict) -> dict[str, Any]:
    keys = ("finish_reason", "new", "changed", "unchanged", "failed", "pages_fetched")
    return {k: row.get(k) for k in keys}
