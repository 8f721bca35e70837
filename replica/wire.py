"""HTTP/1.1 on the wire, kept small: parse a request, write a response in one ``sendall``.

``http.server.BaseHTTPRequestHandler`` parses headers with the ``email`` package, which costs
more than everything else a replica request does; this handler reads the request line and
header lines itself. Keep-alive (HTTP/1.1 default, or ``Connection: keep-alive`` on 1.0),
Content-Length always (except a streamed body without a length, which ends with the connection),
conditional requests (If-None-Match / If-Modified-Since → 304), HEAD.
"""

from __future__ import annotations

import email.utils
import socketserver
import sys
import time
from collections.abc import Callable
from http import HTTPStatus
from http.server import ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl

from replica.pages import Page, error_page

SERVER_NAME = "nginx"
MAX_LINE = 65536
MAX_HEADERS = 100
IDLE_SECONDS = 120  # an idle keep-alive connection is closed after this

Answer = Callable[[str, str, dict[str, str]], Page]


class Server(ThreadingHTTPServer):
    """One thread per connection; ``answer(method, target, form)`` gives each request's page."""

    daemon_threads = True
    allow_reuse_address = True
    # nginx's listen backlog (its default on Linux). socketserver's is 5: when a crawl opened its
    # 16 connections while the replica's accepting thread waited for a core, the kernel dropped
    # the SYNs past the fifth and the client sent them again a second later (the kernel counts
    # them: ``nstat TcpExtListenOverflows``), so a crawl could stall for a second with every
    # process idle, a thing a real server does not do.
    request_queue_size = 511

    def __init__(self, address: tuple[str, int], answer: Answer) -> None:
        self.answer = answer
        #: Called as ``observe(target, started, ended)`` (monotonic seconds) after each answer.
        self.observe: Callable[[str, float, float], None] | None = None
        super().__init__(address, Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError | TimeoutError):
            super().handle_error(request, client_address)


class Handler(socketserver.StreamRequestHandler):
    disable_nagle_algorithm = True
    timeout = IDLE_SECONDS
    server: Server

    def handle(self) -> None:
        while self._one_request():
            pass

    def _one_request(self) -> bool:
        """Serve one request; True when the connection stays open for another."""
        line = self.rfile.readline(MAX_LINE + 1)
        if not line:
            return False
        if line in (b"\r\n", b"\n"):  # a stray empty line between requests
            return True
        parts = line.decode("latin-1").split()
        headers = self._headers()
        if len(parts) != 3 or not parts[2].startswith("HTTP/1.") or headers is None:
            self._write(error_page(400, "other"), {}, keep=False)
            return False
        method, target, version = parts
        started = time.monotonic()
        keep = _keep_alive(version, headers.get("connection", "").lower())
        form = self._form(headers) if method == "POST" else {}
        if method not in ("GET", "HEAD", "POST"):
            page = error_page(501, "other")
        else:
            page = self.server.answer(method, target, form, headers)
        keep = self._write(page, headers, keep, with_body=method != "HEAD")
        if self.server.observe is not None:
            self.server.observe(target, started, self.answered)
        return keep

    def _headers(self) -> dict[str, str] | None:
        headers: dict[str, str] = {}
        while len(headers) <= MAX_HEADERS:
            line = self.rfile.readline(MAX_LINE + 1)
            if line in (b"\r\n", b"\n", b""):
                return headers
            name, _, value = line.decode("latin-1").partition(":")
            headers[name.strip().lower()] = value.strip()
        return None

    def _form(self, headers: dict[str, str]) -> dict[str, str]:
        length = int(headers.get("content-length") or 0)
        if not length:
            return {}
        return dict(parse_qsl(self.rfile.read(length).decode("utf-8", "replace")))

    def _write(
        self, page: Page, request: dict[str, str], keep: bool, with_body: bool = True
    ) -> bool:
        """Write the answer; True when the connection stays open (a streamed body without a
        length ends with the connection)."""
        if page.delay:
            time.sleep(page.delay)
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
        # The request log's end (``answered``): the moment before the last bytes go out. The
        # client cannot have the whole answer before it, so its next request on that connection
        # or slot starts after it; a time taken after the write may come later than that next
        # request's start (another thread runs first), and two requests in sequence would look
        # like two at once.
        self.answered = time.monotonic()
        if not with_body:
            self.wfile.write(head)
        elif stream is None:
            self.wfile.write(head + body)
        else:
            self.wfile.write(head)
            for piece in stream.pieces():
                self.answered = time.monotonic()
                self.wfile.write(piece)
        return keep


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
