"""One HTTP exchange as the crawl received it: what a WARC request + response record pair holds.

Built in the crawl process (``crawler.capture.CaptureMiddleware``) from Scrapy's request and
response, pickled to the archive writer with the pages, and written there. Plain values only
(bytes, str, int), so it crosses the pipe cheaply and nothing of Scrapy reaches ``pipeline/``.

*As received* means: the body as it came off the connection once HTTP/1.1 chunking was undone
and before any ``Content-Encoding`` (gzip, deflate, br) was decoded, so a compressed page is kept
compressed and its ``Content-Encoding`` header stays true. Chunking is undone by the HTTP client
before any code sees the body, so a ``Transfer-Encoding`` header is kept under the name
``X-Archive-Orig-Transfer-Encoding`` (the prefix replay tools use for headers they must not
apply). Header names are as Scrapy keeps them (``Content-Type``: title case), in the order
received.
"""

from __future__ import annotations

import http
import os
from dataclasses import dataclass, field

Headers = list[tuple[bytes, bytes]]

#: Response headers that no longer describe the body as kept, and the name each is kept under.
RENAMED = {b"transfer-encoding": b"X-Archive-Orig-Transfer-Encoding"}


def new_record_id() -> str:
    """A fresh WARC-Record-ID (``<urn:uuid:…>``): a random (version 4) UUID, as ``uuid.uuid4``
    makes it, formatted without a ``UUID`` object (1.1 instead of 2.5 µs; every exchange takes
    one in the crawl process and another for its request record in the writer)."""
    raw = bytearray(os.urandom(16))
    raw[6] = raw[6] & 0x0F | 0x40  # version 4
    raw[8] = raw[8] & 0x3F | 0x80  # the RFC 4122 variant
    h = raw.hex()
    return f"<urn:uuid:{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}>"


@dataclass(slots=True)
class Exchange:
    """A request and the response it got (``status`` 0: no response; nothing is written)."""

    url: str
    record_id: str  # the response record's WARC-Record-ID, ``<urn:uuid:…>``
    date: str  # UTC, ``2026-12-02T09:51:14Z``: when the response arrived
    status: int
    body: bytes = b""
    method: str = "GET"
    protocol: str = "HTTP/1.1"
    request_headers: Headers = field(default_factory=list)
    response_headers: Headers = field(default_factory=list)
    #: False for a response made up from what an older archive kept (no request, few headers).
    has_request: bool = True

    def __reduce__(self) -> tuple:
        # Pickled as its constructor's arguments: a slotted dataclass otherwise pickles a dict of
        # its fields (names included) each time; every exchange of a crawl crosses to the writer.
        return Exchange, (
            self.url, self.record_id, self.date, self.status, self.body, self.method,
            self.protocol, self.request_headers, self.response_headers, self.has_request,
        )  # fmt: skip

    def status_line(self) -> str:
        try:
            reason = http.HTTPStatus(self.status).phrase
        except ValueError:
            reason = "Unknown"
        return f"{self.protocol} {self.status} {reason}"

    def kept_headers(self) -> list[tuple[str, str]]:
        """The response headers as written to WARC (latin-1 text, chunking header renamed)."""
        return [
            (RENAMED.get(name.lower(), name).decode("latin-1"), value.decode("latin-1"))
            for name, value in self.response_headers
        ]

    def header(self, name: bytes) -> bytes | None:
        """The first response header called ``name`` (any case), or None."""
        wanted = name.lower()
        for key, value in self.response_headers:
            if key.lower() == wanted:
                return value
        return None


def page_exchange(
    url: str,
    record_id: str,
    date: str,
    *,
    body: bytes,
    status: int = 200,
    content_type: str | None = None,
    etag: str | None = None,
    last_modified: str | None = None,
) -> Exchange:
    """An exchange made up from what a page row keeps (no request; only these headers)."""
    headers = [
        (name, value.encode("latin-1", "replace"))
        for name, value in (
            (b"Content-Type", content_type),
            (b"ETag", etag),
            (b"Last-Modified", last_modified),
        )
        if value
    ]
    headers.append((b"Content-Length", str(len(body)).encode()))
    return Exchange(url, record_id, date, status, body, response_headers=headers, has_request=False)
