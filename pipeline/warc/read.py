"""One WARC record back from its pointer: the payload as received and the body as read.

A pointer names a gzip member (offset, length) in one of the archive's WARC files; exactly those
bytes are read and parsed with warcio, so a pointer that is off by a byte, a file cut short or a
flipped bit is an error (:class:`RecordError`), never a wrong page.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.bufferedreaders import DecompressingBufferedReader
from warcio.exceptions import ArchiveLoadFailed

from pipeline.warc.files import Pointer

#: Largest body read back when no limit is given (twice Scrapy's DOWNLOAD_MAXSIZE here).
MAX_BODY = 64 * 1024 * 1024


class RecordError(ValueError):
    """The record a pointer names is missing, cut short, another record, or damaged."""


@dataclass
class StoredResponse:
    """A response record read back: what the server sent, and the body the extractor read."""

    record_id: str
    url: str
    date: str
    status: int
    headers: list[tuple[str, str]]
    payload: bytes  # as received (still Content-Encoded, if it was)
    body: bytes  # Content-Encoding decoded: what the crawl extracted from

    def header(self, name: str) -> str | None:
        wanted = name.lower()
        return next((v for k, v in self.headers if k.lower() == wanted), None)


def read_response(directory: str | Path, pointer: Pointer, limit: int = MAX_BODY) -> StoredResponse:
    """The response record at ``pointer``; RecordError when it is not there intact, its id is
    not the pointer's, its payload's sha256 differs, or its body is over ``limit`` bytes."""
    data = _member(Path(directory) / pointer.file, pointer)
    try:
        record = next(iter(ArchiveIterator(io.BytesIO(data), check_digests=False)))
        payload = record.raw_stream.read(limit + 1)
        encoding = (
            record.http_headers.get_header("Content-Encoding") if record.http_headers else None
        )
        body = decoded(payload, encoding, limit)
    except (StopIteration, ArchiveLoadFailed, OSError, EOFError, ValueError) as exc:
        raise RecordError(f"{pointer.file}@{pointer.offset}: unreadable ({exc})") from exc
    if len(payload) > limit or len(body) > limit:
        raise RecordError(f"{pointer.file}@{pointer.offset}: over {limit} bytes")
    record_id = record.rec_headers.get_header("WARC-Record-ID")
    if record_id != pointer.record_id or record.rec_type != "response":
        raise RecordError(f"{pointer.file}@{pointer.offset}: another record ({record_id})")
    if hashlib.sha256(payload).hexdigest() != pointer.payload_sha256:
        raise RecordError(f"{pointer.file}@{pointer.offset}: payload sha256 differs")
    http = record.http_headers
    return StoredResponse(
        record_id=record_id,
        url=record.rec_headers.get_header("WARC-Target-URI"),
        date=record.rec_headers.get_header("WARC-Date"),
        status=int(http.get_statuscode() or 0),
        headers=list(http.headers),
        payload=payload,
        body=body,
    )


def decoded(payload: bytes, encoding: str | None, limit: int = MAX_BODY) -> bytes:
    """``payload`` with its Content-Encoding (gzip, deflate, br) undone, at most ``limit`` + 1
    bytes; unchanged for no encoding or ``identity``."""
    kind = (encoding or "").strip().lower()
    if kind in ("", "identity"):
        return payload
    if kind == "x-gzip":
        kind = "gzip"
    reader = DecompressingBufferedReader(io.BytesIO(payload), decomp_type=kind)
    return reader.read(limit + 1)


def _member(path: Path, pointer: Pointer) -> bytes:
    try:
        with path.open("rb") as handle:
            handle.seek(pointer.offset)
            data = handle.read(pointer.length)
    except OSError as exc:
        raise RecordError(f"{pointer.file}: {exc.strerror or exc}") from exc
    if len(data) != pointer.length:
        raise RecordError(f"{pointer.file}@{pointer.offset}: file ends before the record does")
    return data
