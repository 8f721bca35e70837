"""HTTP/1.1 on the wire, kept small: every connection of a server on one event loop.

One thread runs an asyncio loop for all the connections of a ``Server`` (``serve_forever``);
each connection parses its requests from the bytes it received and writes each answer in one
``write``. The replica used to run ``ThreadingHTTPServer`` (a thread per connection): a crawl's
16 connections then meant a thread woken for every request, and the replica took 2.03-2.08 s of
CPU in a full scale-3,000 crawl (0.11 ms a page), on the two cores the crawl and its writer
share; on one loop, 1.33-1.35 s (alternating crawls; docs/benchmarks.md). A real site costs the
crawling machine nothing, so that CPU was the test bed's, not the crawl's. A page rendered for
the first time holds the loop (and so the other connections) while it renders, as the
interpreter's lock held the threads before. ``http.server``'s handler was never
used for parsing either: it parses headers with the ``email`` package, which cost more than
everything else a replica request does.

What it speaks: keep-alive (HTTP/1.1 default, or ``Connection: keep-alive`` on 1.0),
pipelined requests answered in order, Content-Length always (except a streamed body without a
length, which ends with the connection), conditional requests (If-None-Match /
If-Modified-Since → 304), HEAD, POST forms. A page's ``delay`` (the ``slow`` fault, a server's
latency) waits on the loop's clock, so other connections go on meanwhile, as they would at a
real server; a streamed body (the ``huge`` fault) is written as the client reads it.
"""

from __future__ import annotations

import asyncio
import email.utils
import logging
import socket
import threading
import time
from collections.abc import Callable, Iterator
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qsl

from replica.pages import Page, error_page

SERVER_NAME = "nginx"
MAX_LINE = 65536
MAX_HEADERS = 100
IDLE_SECONDS = 120  # an idle keep-alive connection is closed after this
# nginx's listen backlog (its default on Linux). socketserver's is 5: when a crawl opened its 16
# connections while the replica waited for a core, the kernel dropped the SYNs past the fifth
# and the client sent them again a second later (``nstat TcpExtListenOverflows``), so a crawl
# could stall for a second with every process idle, a thing a real server does not do.
BACKLOG = 511

Answer = Callable[..., Page]
log = logging.getLogger(__name__)


class Server:
    """Serves ``answer(method, target, form, headers)``'s page for each request on a loopback
    address. Listens from construction on; ``serve_forever`` (in a thread of its own) serves
    until ``shutdown``; ``server_close`` releases the socket."""

    def __init__(self, address: tuple[str, int], answer: Answer) -> None:
        self.answer = answer
        #: Called as ``observe(target, started, ended)`` (monotonic seconds) after each answer.
        self.observe: Callable[[str, float, float], None] | None = None
        self.socket = socket.create_server(address, backlog=BACKLOG)
        self.server_address: tuple[str, int] = self.socket.getsockname()[:2]
        self._loop = asyncio.new_event_loop()
        self._stop = self._loop.create_future()  # done: serving ends
        self._lock = threading.Lock()
        self._started = self._stop_requested = False
        self._done = threading.Event()  # serve_forever has returned
        self._connections: set[_Connection] = set()

    def serve_forever(self) -> None:
        """Serve until :meth:`shutdown` (called from another thread)."""
        with self._lock:
            if self._stop_requested or self._started:
                return
            self._started = True
        try:
            self._loop.run_until_complete(self._serve())
        finally:
            self._loop.close()
            self._done.set()

    async def _serve(self) -> None:
        server = await self._loop.create_server(lambda: _Connection(self), sock=self.socket)
        await self._stop
        server.close()
        for connection in list(self._connections):
            connection.close()
        await asyncio.sleep(0)  # the transports close

    def shutdown(self) -> None:
        """Stop ``serve_forever`` (called from another thread) and wait until it has returned;
        a server that never served is only marked stopped."""
        with self._lock:
            self._stop_requested = True
            started = self._started
        if started:
            try:
                self._loop.call_soon_threadsafe(self._stop_now)
            except RuntimeError:  # the loop has closed: serving has ended
                pass
            self._done.wait()

    def _stop_now(self) -> None:
        if not self._stop.done():
            self._stop.set_result(None)

    def server_close(self) -> None:
        self.socket.close()
        with self._lock:
            if not self._started and not self._loop.is_closed():
                self._loop.close()


class _Connection(asyncio.Protocol):
    """One client connection: its unparsed bytes, and the answer being written, if any."""

    def __init__(self, server: Server) -> None:
        self.server = server
        self.buffer = bytearray()
        self.transport: asyncio.Transport | None = None
        self.busy = False  # an answer is waiting out its delay or being streamed
        self.closing = False
        self.last = time.monotonic()
        self._pieces: Iterator[bytes] | None = None
        #: A streamed answer's (target, started, keep), for when its last piece is written.
        self._after: tuple[str | None, float, bool] = (None, 0.0, False)
        self._answered = 0.0  # when an answer's last bytes were handed over (the log's end)
        self._paused = False

    # -- asyncio's callbacks ------------------------------------------------------------------
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]
        self.server._connections.add(self)
        asyncio.get_running_loop().call_later(IDLE_SECONDS, self._idle_check)

    def connection_lost(self, exc: Exception | None) -> None:
        self.closing = True
        self._pieces = None
        self.server._connections.discard(self)

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        self.last = time.monotonic()
        self._next()

    def pause_writing(self) -> None:
        self._paused = True

    def resume_writing(self) -> None:
        self._paused = False
        if self._pieces is not None:
            self._pump()

    def close(self) -> None:
        self.closing = True
        if self.transport is not None:
            self.transport.close()  # after what is buffered has gone out

    def _idle_check(self) -> None:
        if self.closing:
            return
        idle = time.monotonic() - self.last
        if idle >= IDLE_SECONDS and not self.busy:
            self.close()
        else:
            delay = IDLE_SECONDS - idle if idle < IDLE_SECONDS else IDLE_SECONDS
            asyncio.get_running_loop().call_later(delay, self._idle_check)

    # -- requests -----------------------------------------------------------------------------
    def _next(self) -> None:
        """Answer the complete requests received, in order, while none is in progress."""
        while not self.busy and not self.closing:
            try:
                request = self._request()
                if request is None:
                    return
                self._answer(*request)
            except Exception:  # a bad Content-Length, a replica bug: this connection ends
                log.exception("replica: answering a request failed; connection closed")
                self.close()

    def _request(self) -> tuple[str, str, str, dict[str, str], dict[str, str]] | None:
        """The next whole request taken from the buffer (method, target, version, headers,
        form), or None while it is incomplete; a malformed one is answered 400 here."""
        buffer = self.buffer
        while buffer[:2] == b"\r\n" or buffer[:1] == b"\n":  # stray empty lines between requests
            del buffer[: 2 if buffer[:1] == b"\r" else 1]
        lines: list[bytes] = []
        at = 0
        while True:
            end = buffer.find(b"\n", at)
            if end < 0:
                if len(buffer) - at > MAX_LINE:
                    return self._refuse()
                return None
            line = bytes(buffer[at : end + 1])
            at = end + 1
            if line in (b"\r\n", b"\n"):
                break
            if len(line) > MAX_LINE + 1 or len(lines) > MAX_HEADERS:  # the request line + 100
                return self._refuse()
            lines.append(line)
        parts = lines[0].decode("latin-1").split()
        headers: dict[str, str] = {}
        for line in lines[1:]:
            name, _, value = line.decode("latin-1").partition(":")
            headers[name.strip().lower()] = value.strip()
        if len(parts) != 3 or not parts[2].startswith("HTTP/1."):
            return self._refuse()
        form: dict[str, str] = {}
        if parts[0] == "POST":
            length = int(headers.get("content-length") or 0)
            if len(buffer) - at < length:
                return None
            raw = bytes(buffer[at : at + length])
            at += length
            form = dict(parse_qsl(raw.decode("utf-8", "replace"))) if length else {}
        del buffer[:at]
        return parts[0], parts[1], parts[2], headers, form

    def _refuse(self) -> None:
        self.buffer.clear()
        self._send(error_page(400, "other"), {}, keep=False)
        return None

    def _answer(
        self, method: str, target: str, version: str, headers: dict[str, str], form: dict
    ) -> None:
        started = time.monotonic()
        keep = _keep_alive(version, headers.get("connection", "").lower())
        if method not in ("GET", "HEAD", "POST"):
            page = error_page(501, "other")
        else:
            page = self.server.answer(method, target, form, headers)
        with_body = method != "HEAD"
        if page.delay:
            self.busy = True
            asyncio.get_running_loop().call_later(
                page.delay, self._delayed, page, headers, keep, with_body, target, started
            )
        else:
            self._send(page, headers, keep, with_body, target, started)

    def _delayed(self, *args: Any) -> None:
        self.busy = False
        if self.closing:
            return
        self._send(*args)
        self._next()

    # -- answers ------------------------------------------------------------------------------
    def _send(
        self,
        page: Page,
        request: dict[str, str],
        keep: bool,
        with_body: bool = True,
        target: str | None = None,
        started: float = 0.0,
    ) -> None:
        status, body = page.status, page.body
        lines = [f"HTTP/1.1 {status} {HTTPStatus(status).phrase}", f"Server: {SERVER_NAME}",
                 f"Date: {http_now()}", f"Content-Type: {page.content_type}"]  # fmt: skip
        lines += [f"{name}: {value}" for name, value in page.headers]
        if status == 200:
            lines.append(f"ETag: {page.etag}")
            if not_modified(page, request):
                status, body = 304, b""
                lines[0] = "HTTP/1.1 304 Not Modified"
        stream = page.stream if status == 200 else None
        if stream is None:
            lines.append(f"Content-Length: {len(body)}")
        elif stream.sized:
            lines.append(f"Content-Length: {stream.length}")
        else:
            keep = False  # no length: the body ends when the connection closes
        if not keep:
            lines.append("Connection: close")
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
        # The request log's end: the moment before the last bytes go out. The client cannot have
        # the whole answer before it, so its next request on that connection or slot starts
        # after it; a time taken after the write may come later than that next request's start.
        self._answered = time.monotonic()
        transport = self.transport
        assert transport is not None
        if not with_body:
            transport.write(head)
        elif stream is None:
            transport.write(head + body)
        else:
            transport.write(head)
            self.busy = True
            self._pieces = stream.pieces()
            self._after = (target, started, keep)
            self._pump()
            return
        self._finish(target, started, keep)

    def _pump(self) -> None:
        """Write a streamed body's pieces while the transport takes them (``pause_writing``
        stops it, ``resume_writing`` goes on), then finish the answer."""
        transport = self.transport
        assert transport is not None
        while self._pieces is not None and not self._paused and not self.closing:
            piece = next(self._pieces, None)
            if piece is None:
                self._pieces = None
                self.busy = False
                self._finish(*self._after)
                self._next()
                return
            self._answered = time.monotonic()
            transport.write(piece)

    def _finish(self, target: str | None, started: float, keep: bool) -> None:
        observe = self.server.observe
        if observe is not None and target is not None:
            observe(target, started, self._answered)
        if not keep:
            self.close()


def _keep_alive(version: str, connection: str) -> bool:
    if version == "HTTP/1.0":
        return connection == "keep-alive"
    return connection != "close"


def not_modified(page: Page, request: dict[str, str]) -> bool:
    """Whether the request's validators match the page (ETag first, then the date)."""
    tag = request.get("if-none-match")
    if tag is not None:
        return page.etag in (t.strip() for t in tag.split(","))
    since = request.get("if-modified-since")
    modified = dict(page.headers).get("Last-Modified")
    if not since or not modified:
        return False
    try:
        return email.utils.parsedate_to_datetime(modified) <= email.utils.parsedate_to_datetime(
            since
        )
    except (TypeError, ValueError):
        return False


_clock: list = [0, ""]


def http_now() -> str:
    """The Date header value, formatted once per second."""
    now = int(time.time())
    if _clock[0] != now:
        _clock[:] = [now, email.utils.formatdate(now, usegmt=True)]
    return _clock[1]
