"""The bytes of an exchange's WARC records, built directly: what warcio's writer builds, faster.

warcio builds a record from header objects, reads its payload back through a stream to digest
it, and encodes its digests in pure-Python base32: an exchange cost 0.27 ms of the writer's CPU
that way and costs 0.20 ms this way (``python -m bench.warc_records``). An exchange's two records
have a fixed shape, so :func:`exchange_records` writes them as warcio would — the same header
lines in the same order, the same HTTP header block, the same digests (sha256, base32) — from
the exchange's raw header bytes, and digests the body once. ``tests/warc/test_records.py``
checks the records against warcio's, header for header and byte for byte.

warcio percent-encodes HTTP header values that are not ASCII (RFC 8187); an exchange with such
a header (a raw UTF-8 file name in ``Content-Disposition``) is left to warcio:
:func:`exchange_records` answers None and the caller writes it the slow way.
"""

from __future__ import annotations

import base64
import hashlib
from urllib.parse import SplitResult, urlsplit

from pipeline.warc.exchange import RENAMED, Exchange, new_record_id

WARC_VERSION = "WARC/1.1"
RESPONSE_TYPE = b"application/http; msgtype=response"
REQUEST_TYPE = b"application/http; msgtype=request"
END = b"\r\n\r\n"


def labelled(digest: bytes) -> str:
    """A WARC digest value: ``sha256:`` and the base32 of the raw digest."""
    return "sha256:" + base64.b32encode(digest).decode("ascii")


#: The payload digest of a record without a payload (a request), as warcio writes it.
EMPTY_DIGEST = labelled(hashlib.sha256(b"").digest())


def exchange_records(exchange: Exchange, payload_digest: str) -> list[list[bytes]] | None:
    """The response record and, when the exchange had one, the request record, each as the
    pieces to write in order (warc headers, HTTP header block, body, end); None when a header is
    not ASCII (warcio's encoding applies: write it with warcio). ``payload_digest``: the body's
    digest as :func:`labelled` writes it."""
    head = _response_head(exchange)
    request = _request_block(exchange) if exchange.has_request else None
    if not head.isascii() or (request is not None and not request.isascii()):
        return None
    block = hashlib.sha256(head)
    block.update(exchange.body)
    length = len(head) + len(exchange.body)
    fields = (
        ("WARC-Record-ID", exchange.record_id),
        ("WARC-Date", exchange.date),
        ("WARC-Payload-Digest", payload_digest),
        ("WARC-Type", "response"),
        ("WARC-Target-URI", exchange.url),
        ("WARC-Block-Digest", labelled(block.digest())),
    )
    response = [_warc_head(fields, RESPONSE_TYPE, length), head, exchange.body, END]
    if request is None:
        return [response]
    fields = (
        ("WARC-Date", exchange.date),
        ("WARC-Concurrent-To", exchange.record_id),
        ("WARC-Type", "request"),
        ("WARC-Record-ID", new_record_id()),
        ("WARC-Target-URI", exchange.url),
        ("WARC-Payload-Digest", EMPTY_DIGEST),
        ("WARC-Block-Digest", labelled(hashlib.sha256(request).digest())),
    )
    return [response, [_warc_head(fields, REQUEST_TYPE, len(request)), request, END]]


def _warc_head(fields: tuple[tuple[str, str], ...], content_type: bytes, length: int) -> bytes:
    lines = "".join(f"{name}: {value}\r\n" for name, value in fields)
    return (
        f"{WARC_VERSION}\r\n{lines}".encode()
        + b"Content-Type: "
        + content_type
        + f"\r\nContent-Length: {length}\r\n\r\n".encode()
    )


def _response_head(exchange: Exchange) -> bytes:
    """The HTTP status line and headers as warcio writes them (its ``to_ascii_bytes``)."""
    lines = [exchange.status_line().encode("latin-1")]
    headers = exchange.response_headers
    lines += [RENAMED.get(name.lower(), name) + b": " + value for name, value in headers]
    return b"\r\n".join(lines) + END


def _request_block(exchange: Exchange) -> bytes:
    """The HTTP request line and headers (a ``Host`` first when the crawl sent none)."""
    parts = urlsplit(exchange.url)
    line = f"{exchange.method} {request_target(parts)} {exchange.protocol}"
    lines = [line.encode("latin-1")]
    lines += [name + b": " + value for name, value in request_headers(exchange, parts)]
    return b"\r\n".join(lines) + END


def request_headers(exchange: Exchange, parts: SplitResult) -> list[tuple[bytes, bytes]]:
    """The request's headers as the request record keeps them: a ``Host`` first when the crawl
    sent none (``parts``: the exchange's URL, split)."""
    headers = list(exchange.request_headers)
    if not any(name.lower() == b"host" for name, _ in headers):
        headers.insert(0, (b"Host", parts.netloc.encode("latin-1")))
    return headers


def request_target(parts: SplitResult) -> str:
    """The path and query of a split URL, as a request line names them (``/`` for none)."""
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
