"""The WARC files of an archive: written gzip per record, rotated by size, indexed in CDXJ.

An archive's WARC files live in ``archive/warc/`` in its database's folder; they hold the bytes
of every page and attachment the crawl fetched (``pipeline/attachments/store.py`` reads an
attachment's back). Each file is named
``zwgk-<UTC start>-<pid>-<n>.warc.gz``, opens with a ``warcinfo`` record, and holds one gzip
member per record, so any record can be read alone from its offset and length (what a
:class:`Pointer` names). An exchange is a ``response`` record and the ``request`` record that
asked for it (``WARC-Concurrent-To`` the response); digests are sha256 (``sha256:`` + base32,
as ``warcio check`` verifies them).

Beside each ``.warc.gz`` a ``.cdxj`` index lists its response records, one line each
(``<SURT key> <14-digit time> {json}``) as pywb reads them: appended as records are written, so
an interrupted crawl keeps its index, and sorted when the file is closed.

A file is never appended to after it is closed, nor by two writers: each writer opens new files.
Records are built by ``pipeline.warc.records`` (as warcio would build them, faster), or by
warcio itself for an exchange with a header that is not ASCII. They are flushed to the file
before the database rows naming them are committed (:meth:`WarcFiles.flush`), so a row never
points at bytes that are not there; bytes without a row (a crash between the two) are harmless
and stay.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import heapq
import io
import itertools
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, TextIO
from urllib.parse import urlsplit

from isal import isal_zlib as deflate  # ISA-L: zlib's gzip format, ~3x faster at level 1
from warcio.statusandheaders import StatusAndHeaders
from warcio.utils import Digester
from warcio.warcwriter import WARCWriter

from pipeline.warc.exchange import Exchange
from pipeline.warc.records import (
    WARC_VERSION,
    exchange_records,
    labelled,
    request_headers,
    request_target,
)

#: Rotate to a new file once one reaches this size (the IIPC's customary 1 GB).
DEFAULT_MAX_BYTES = 1_000_000_000
#: gzip level of each record: 1 is ~4x faster than warcio's 9 on HTML and ~10% larger (zlib);
#: ISA-L's level 1 (0-3) is ~3x faster again and 3% larger than zlib's on the replica's pages.
GZIP_LEVEL = 1
#: Bytes buffered before a write to the WARC file. Python's default (8 KB) made a write call of
#: most records: 19,000 a scale-3,000 crawl, each 2–7 µs of the kernel's CPU on ext4 here. What
#: is buffered reaches the file at ``flush``, before the rows pointing at it commit.
WRITE_BUFFER = 1 << 20
SOFTWARE = "zwgk-archive (warcio)"


def warc_dir(db_path: str | os.PathLike) -> Path:
    """Where the WARC files of the archive at ``db_path`` live: ``archive/warc`` beside it."""
    return Path(db_path).resolve().parent / "archive" / "warc"


@dataclass(frozen=True, slots=True)
class Pointer:
    """One WARC record: file name (in the archive's WARC folder), offset and length of its gzip
    member, its ``WARC-Record-ID``, and the sha256 (hex) of its payload as received."""

    file: str
    offset: int
    length: int
    record_id: str
    payload_sha256: str

    @classmethod
    def of_row(cls, row) -> Pointer:
        """The pointer a ``notice_versions`` row (a mapping) holds in :data:`POINTER_COLUMNS`."""
        return cls(*(row[column] for column in POINTER_COLUMNS))

    def values(self) -> tuple[str, int, int, str, str]:
        """The values of :data:`POINTER_COLUMNS`, in order (``dataclasses.astuple`` copies each
        value deeply: ~4 µs a pointer against ~0.1)."""
        return self.file, self.offset, self.length, self.record_id, self.payload_sha256


#: The columns of ``notice_versions`` that hold a :class:`Pointer`, in its fields' order.
POINTER_COLUMNS = ("warc_file", "warc_offset", "warc_length", "warc_record_id", "payload_sha256")


class _Writer(WARCWriter):
    """warcio's writer with sha256 digests."""

    @staticmethod
    def _create_digester() -> Digester:
        return Digester("sha256")


def surt(url: str) -> str:
    """The SURT key of a URL as CDXJ indexes sort by it (``cn,gov,zjczj)/xxgk/a.shtml``): host
    labels reversed without ``www``, a port other than the scheme's default kept, lower case."""
    parts = urlsplit(url)
    labels = (parts.hostname or "").strip(".").split(".")
    if len(labels) > 1 and labels[0] == "www":
        labels = labels[1:]
    key = ",".join(reversed(labels))
    if parts.port and parts.port not in (80, 443):
        key += f":{parts.port}"
    key += ")" + (parts.path or "/")
    if parts.query:
        key += "?" + "&".join(sorted(parts.query.split("&")))
    return key.lower()


def timestamp14(date: str) -> str:
    """``2026-12-02T09:51:14Z`` → ``20261202095114``."""
    return "".join(ch for ch in date if ch.isdigit())[:14].ljust(14, "0")


class WarcFiles:
    """Appends exchanges to the archive's WARC files. One per writer process; not thread-safe."""

    def __init__(
        self, directory: str | os.PathLike, *, max_bytes: int = 0, level: int = GZIP_LEVEL
    ) -> None:
        self.directory = Path(directory)
        self.max_bytes = max_bytes or DEFAULT_MAX_BYTES
        self.level = level
        self._file: BinaryIO | None = None
        self._index: TextIO | None = None
        self._name = ""
        self._serial = 0

    # -- writing ----------------------------------------------------------------------------
    def write(self, exchange: Exchange) -> Pointer:
        """Write the exchange's response record (and its request record, when there was one);
        returns the response record's pointer."""
        return self.append(pack(exchange, self.level))

    def append(self, packed: Packed) -> Pointer:
        """Append records :func:`pack` made (in this process or another); returns the response
        record's pointer."""
        out = self._current()
        offset = out.tell()
        for member in packed.members:
            out.write(member)
        pointer = Pointer(
            self._name, offset, len(packed.members[0]), packed.record_id, packed.digest.hex()
        )
        self._index_entry(
            packed.url, packed.mime, packed.status, packed.date, pointer, packed.label
        )
        if out.tell() >= self.max_bytes:
            self._close_file()
        return pointer

    def _append(self, out: BinaryIO, writer: _Writer, record) -> tuple[int, int]:
        """One record as one gzip member at the end of ``out``: its offset and length."""
        member = _record_member(writer, record, self.level)
        offset = out.tell()
        out.write(member)
        return offset, len(member)

    def _index_entry(
        self, url: str, mime: str, status: int, date: str, pointer: Pointer, digest: str
    ) -> None:
        fields = {
            "url": url,
            "mime": mime,
            "status": str(status),
            "digest": digest,
            "length": str(pointer.length),
            "offset": str(pointer.offset),
            "filename": pointer.file,
        }
        line = f"{surt(url)} {timestamp14(date)} {json.dumps(fields)}\n"
        self._index.write(line)

    # -- files ------------------------------------------------------------------------------
    def _current(self) -> BinaryIO:
        if self._file is None:
            self._open_file()
        return self._file

    def _open_file(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        started = dt.datetime.now(dt.UTC).strftime("%Y%m%d%H%M%S")
        while True:
            name = f"zwgk-{started}-{os.getpid()}-{self._serial:05d}.warc.gz"
            self._serial += 1
            try:
                self._file = (self.directory / name).open("xb", buffering=WRITE_BUFFER)
                break
            except FileExistsError:
                continue
        self._name = name
        self._index = (self.directory / f"{name[: -len('.warc.gz')]}.cdxj").open(
            "a", encoding="utf-8"
        )
        writer = _Writer(io.BytesIO(), gzip=False, warc_version=WARC_VERSION)
        info = {
            "software": SOFTWARE,
            "format": "WARC File Format 1.1",
            "conformsTo": "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/",
            "description": "HTTP exchanges of zwgk-archive crawls (bodies as received; "
            "see docs/evidence.md)",
        }
        self._append(self._file, writer, writer.create_warcinfo_record(name, info))

    def flush(self) -> None:
        """Hand what was written to the operating system (before rows naming it commit)."""
        if self._file is not None:
            self._file.flush()
            self._index.flush()

    def sync(self) -> None:
        """Flush and fsync the current file: what was written survives a power cut."""
        if self._file is not None:
            self.flush()
            os.fsync(self._file.fileno())

    def _close_file(self) -> None:
        if self._file is None:
            return
        self._file.flush()
        os.fsync(self._file.fileno())
        self._file.close()
        self._index.close()
        sort_index(self.directory / f"{self._name[: -len('.warc.gz')]}.cdxj")
        self._file = self._index = None

    def close(self) -> None:
        """Close the current file (synced to disk, its index sorted); the next write opens a new
        one."""
        self._close_file()


#: CDXJ lines sorted in memory at once: a 1 GB WARC file of replica pages has ~600,000 lines
#: (~250 MB of text), which sorted whole made the writer's peak memory at scale 100,000.
SORT_RUN_LINES = 50_000


def sort_index(path: Path, run_lines: int = SORT_RUN_LINES) -> None:
    """Sort a CDXJ file in place (replaced atomically), in bounded memory: runs of
    ``run_lines`` lines sorted one by one into temporary files, then merged."""
    staged = path.with_suffix(".cdxj.tmp")
    with contextlib.ExitStack() as stack:
        source = stack.enter_context(path.open(encoding="utf-8", newline="\n"))
        runs = []
        while lines := list(itertools.islice(source, run_lines)):
            if not lines[-1].endswith("\n"):  # a last line cut short stays a line of its own
                lines[-1] += "\n"
            lines.sort()
            run = stack.enter_context(
                tempfile.TemporaryFile("w+", encoding="utf-8", newline="\n", dir=path.parent)
            )
            run.writelines(lines)
            run.seek(0)
            runs.append(run)
        with staged.open("w", encoding="utf-8", newline="\n") as out:
            out.writelines(heapq.merge(*runs))
    staged.replace(path)


@dataclass(frozen=True, slots=True)
class Packed:
    """An exchange's WARC records as gzip members, ready to append (:meth:`WarcFiles.append`),
    with what the index and the pointer need. Made by :func:`pack` in any process: the
    compression and the digests need nothing of the archive, so a scale-out worker packs its
    pages and the one writer only appends (``to_message`` / ``from_message``: plain data)."""

    members: tuple[bytes, ...]  # the response record first (the pointer names it)
    url: str
    record_id: str
    date: str
    status: int
    mime: str  # as the CDXJ index lists it
    digest: bytes  # sha256 of the payload
    label: str  # the digest as the records and the index write it (``labelled``)

    def to_message(self) -> dict:
        return {name: getattr(self, name) for name in self.__slots__}

    @classmethod
    def from_message(cls, data: dict) -> Packed:
        return cls(**{**data, "members": tuple(data["members"])})


def pack(exchange: Exchange, level: int = GZIP_LEVEL) -> Packed:
    """The exchange's records (its response, and its request when there was one), gzipped:
    built directly (``records.exchange_records``), or by warcio when a header is not ASCII."""
    digest = hashlib.sha256(exchange.body).digest()
    label = labelled(digest)
    records = exchange_records(exchange, label)
    if records is None:
        return pack_by_warcio(exchange, level)
    members = tuple(_member(pieces, level) for pieces in records)
    return _packed(exchange, members, digest, label)


def pack_by_warcio(exchange: Exchange, level: int = GZIP_LEVEL) -> Packed:
    """The same records built by warcio's writer (it percent-encodes a header that is not
    ASCII; the tests and ``bench.warc_records`` compare the two ways)."""
    digest = hashlib.sha256(exchange.body).digest()
    label = labelled(digest)
    members = tuple(_warcio_members(exchange, label, level))
    return _packed(exchange, members, digest, label)


def _packed(exchange: Exchange, members: tuple[bytes, ...], digest: bytes, label: str) -> Packed:
    return Packed(
        members, exchange.url, exchange.record_id, exchange.date, exchange.status,
        mime_of(exchange), digest, label,
    )  # fmt: skip


def mime_of(exchange: Exchange) -> str:
    """The response's media type as the CDXJ index lists it (``unk`` when none)."""
    mime = (exchange.header(b"content-type") or b"").split(b";")[0].strip()
    return mime.decode("latin-1").lower() or "unk"


def gzip_packer(level: int = GZIP_LEVEL):
    """A compressor writing one gzip member (ISA-L's)."""
    return deflate.compressobj(level, deflate.DEFLATED, deflate.MAX_WBITS + 16)


def _member(pieces: list[bytes], level: int) -> bytes:
    """One record, given as its byte pieces, as one gzip member."""
    packer = gzip_packer(level)
    return b"".join([*map(packer.compress, pieces), packer.flush()])


def _warcio_members(exchange: Exchange, label: str, level: int) -> list[bytes]:
    """The exchange's records built by warcio, each a gzip member (``label``: the payload's
    digest as :func:`labelled` writes it)."""
    body = exchange.body
    writer = _Writer(io.BytesIO(), gzip=False, warc_version=WARC_VERSION)
    headers = {
        "WARC-Record-ID": exchange.record_id,
        "WARC-Date": exchange.date,
        "WARC-Payload-Digest": label,
    }
    http_headers = StatusAndHeaders(
        exchange.status_line().split(" ", 1)[1],
        exchange.kept_headers(),
        protocol=exchange.protocol,
    )
    response = writer.create_warc_record(
        exchange.url,
        "response",
        payload=io.BytesIO(body),
        length=len(body),
        warc_headers_dict=headers,
        http_headers=http_headers,
    )
    records = [response]
    if exchange.has_request:
        records.append(_request(writer, exchange))
    return [_record_member(writer, record, level) for record in records]


def _record_member(writer: _Writer, record, level: int) -> bytes:
    """A record warcio built, as one gzip member."""
    buffer = writer.out
    buffer.seek(0)
    buffer.truncate()
    writer.write_record(record)
    packer = gzip_packer(level)
    return packer.compress(buffer.getvalue()) + packer.flush()


def _request(writer: _Writer, exchange: Exchange):
    parts = urlsplit(exchange.url)
    target = request_target(parts)
    headers = [
        (k.decode("latin-1"), v.decode("latin-1")) for k, v in request_headers(exchange, parts)
    ]
    http_headers = StatusAndHeaders(
        f"{exchange.method} {target} {exchange.protocol}", headers, is_http_request=True
    )
    return writer.create_warc_record(
        exchange.url,
        "request",
        warc_headers_dict={
            "WARC-Date": exchange.date,
            "WARC-Concurrent-To": exchange.record_id,
        },
        http_headers=http_headers,
    )
