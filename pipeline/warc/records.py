"""The bytes of an exchange's WARC records, built directly: what warcio's writer builds, faster.

warcio builds a record from header objects, reads its payload back through a stream to digest
it, and encodes both digests in pure-Python base32: about 0.1 ms of the writer's CPU per exchange,
half of what writing a page's records cost (``python -m bench.warc``). An exchange's two records
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
import binascii
import hashlib
from urllib.parse import urlsplit

from pipeline.warc.exchange import RENAMED, Exchange, new_record_id

WARC_VERSION = "WARC/1.1"
RESPONSE_TYPE = b"application/http; msgtype=response"
REQUEST_TYPE = b"application/http; msgtype=request"
END = b"\r\n\r\n"
#: The payload digest of a record without a payload (a request), as warcio writes it.
EMPTY_DIGEST = "sha256:" + base64.b32encode(hashlib.sha256(b"").digest()).decode("ascii")


def labelled(digest: bytes) -> str:
    """A WARC digest value: ``sha256:`` and the base32 of the raw digest (binascii's base32 is
    C code on Python ≥ 3.12; ``base64.b32encode`` is the same, in Python, before)."""
    return "sha256:" + _b32(digest)


def _b32(digest: bytes) -> str:
    encode = getattr(binascii, "b2a_base32", None)
    if encode is not None:  # pragma: no cover - Python 3.12+
        return encode(digest).decode("ascii").rstrip("\n")
    return base64.b32encode(digest).decode("ascii")


def exchange_records(exchange: Exchange, payload_digest: str) -> list[bytes] | None:
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
    records = [_warc_head(fields, RESPONSE_TYPE, length), head, exchange.body, END]
    if request is None:
        return records
    fields = (
        ("WARC-Date", exchange.date),
        ("WARC-Concurrent-To", exchange.record_id),
        ("WARC-Type", "request"),
        ("WARC-Record-ID", new_record_id()),
        ("WARC-Target-URI", exchange.url),
        ("WARC-Payload-Digest", EMPTY_DIGEST),
        ("WARC-Block-Digest", labelled(hashlib.sha256(request).digest())),
    )
    return [*records, _warc_head(fields, REQUEST_TYPE, len(request)), request, END]


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
    target = request_target(exchange.url)
    headers = list(exchange.request_headers)
    if not any(name.lower() == b"host" for name, _ in headers):
        headers.insert(0, (b"Host", _netloc(exchange.url).encode("latin-1")))
    lines = [f"{exchange.method} {target} {exchange.protocol}".encode("latin-1")]
    lines += [name + b": " + value for name, value in headers]
    return b"\r\n".join(lines) + END


def request_target(url: str) -> str:
    """The path and query of ``url``, as a request line names them (``/`` for none)."""
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def _netloc(url: str) -> str:
    return urlsplit(url).netloc
