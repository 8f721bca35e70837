"""The archive writer, in this process or in a child process.

Scrapy runs on one core. Extracting and storing in a second process keeps the crawl's event loop
free for fetching: the crawler only pickles the raw response onto a bounded queue, and the child
(the one writer that owns ``archive.db``, as SQLite wants) classifies, extracts and stores.
``Writer(..., in_process=True)`` does the same work inline, for tests and tiny jobs.
"""

from __future__ import annotations

import logging
import multiprocessing as mp
import queue
from typing import Any

from pipeline.ingest import ingest_page
from pipeline.store.archive import Archive

log = logging.getLogger(__name__)

_PUT_TIMEOUT = 1.0
_RESULT_TIMEOUT = 600.0


def _serve(db_path: str, requests: mp.Queue, results: mp.Queue) -> None:
    """Child process loop: handle messages until ``finish``."""
    archive = Archive(db_path)
    handler = _Handler(archive)
    try:
        while True:
            verb, payload = requests.get()
            reply = handler.handle(verb, payload)
            if verb in ("start_run", "finish"):
                results.put(reply)
            if verb == "finish":
                break
    finally:
        archive.close()


class _Handler:
    """Applies writer messages to an Archive (shared by both modes)."""

    def __init__(self, archive: Archive) -> None:
        self.archive = archive
        self.run_id: int | None = None

    def handle(self, verb: str, payload: dict[str, Any]) -> Any:
        if verb == "start_run":
            for site in payload.pop("sites", []):
                self.archive.register_site(**site)
            self.run_id = self.archive.start_run(**payload)
            return self.run_id
        if verb == "page":
            return ingest_page(self.archive, payload, self.run_id)
        if verb == "pages":
            return [ingest_page(self.archive, page, self.run_id) for page in payload]
        if verb == "not_modified":
            return self.archive.not_modified(payload["url"])
        if verb == "fail":
            return self.archive.fail(self.run_id, **payload)
        if verb == "finish":
            return self.archive.finish_run(self.run_id, **payload)
        raise ValueError(f"unknown writer message {verb!r}")


class Writer:
    """Front end used by the Scrapy item pipeline (or any caller)."""

    def __init__(
        self, db_path: str, *, in_process: bool = False, queue_size: int = 64, batch: int = 32
    ) -> None:
        self.db_path = db_path
        self.in_process = in_process
        self.batch = batch
        self._pages: list[dict[str, Any]] = []
        self._handler: _Handler | None = None
        self._proc: mp.process.BaseProcess | None = None
        if in_process:
            self._handler = _Handler(Archive(db_path))
        else:
            ctx = mp.get_context("spawn")
            self._requests = ctx.Queue(maxsize=queue_size)
            self._results = ctx.Queue()
            self._proc = ctx.Process(
                target=_serve, args=(db_path, self._requests, self._results), daemon=True
            )
            self._proc.start()

    def start_run(
        self, spider: str, site: str | None, args: dict | None = None, sites: list | None = None
    ) -> int:
        payload = {"spider": spider, "site": site, "args": args or {}, "sites": sites or []}
        return self._call("start_run", payload, wait=True)

    def page(self, page: dict[str, Any]) -> None:
        """Queue one page; pages cross to the writer process in batches (one pickle, one lock)."""
        if self._handler:
            self._handler.handle("page", page)
            return
        self._pages.append(page)
        if len(self._pages) >= self.batch:
            self._send_pages()

    def _send_pages(self) -> None:
        if self._pages:
            self._put(("pages", self._pages))
            self._pages = []

    def not_modified(self, url: str) -> None:
        self._call("not_modified", {"url": url})

    def fail(self, url: str, reason: str, status: int | None = None, site: str = "") -> None:
        self._call("fail", {"url": url, "reason": reason, "status": status, "site": site})

    def finish(self, finish_reason: str, pages_fetched: int | None = None) -> dict:
        payload = {"finish_reason": finish_reason, "pages_fetched": pages_fetched}
        result = self._call("finish", payload, wait=True)
        if self._handler:
            self._handler.archive.close()
        if self._proc:
            self._proc.join(timeout=30)
        return result

    def _call(self, verb: str, payload: dict, wait: bool = False) -> Any:
        if self._handler:
            return self._handler.handle(verb, payload)
        self._send_pages()  # keep the order of pages and other messages
        self._put((verb, payload))
        if not wait:
            return None
        return self._get()

    def _put(self, message: tuple) -> None:
        while True:
            try:
                self._requests.put(message, timeout=_PUT_TIMEOUT)
                return
            except queue.Full:
                self._check_alive()

    def _get(self) -> Any:
        waited = 0.0
        while waited < _RESULT_TIMEOUT:
            try:
                return self._results.get(timeout=_PUT_TIMEOUT)
            except queue.Empty:
                waited += _PUT_TIMEOUT
                self._check_alive()
        raise TimeoutError("archive writer did not answer")

    def _check_alive(self) -> None:
        if self._proc and not self._proc.is_alive():
            raise RuntimeError(f"archive writer process died (exit code {self._proc.exitcode})")
