"""The evidence checks of ``zwgk verify``: each version's WARC record is there and says the same.

For every row of ``notice_versions``, in file order (one open file at a time, each record read
once):

* the version points at a WARC record (``warc_file`` … ``payload_sha256`` set);
* the record is there: the file exists, the gzip member at the offset has the stored length and
  parses, it is a ``response`` with the stored ``WARC-Record-ID``, its payload hashes to
  ``payload_sha256`` and its body (Content-Encoding undone) to ``raw_sha256``;
* with ``deep``: extracting the body again (the crawl's own extractor, with the context the
  crawl kept in ``context_json``) gives a record whose content hash is the stored
  ``content_sha256`` (a difference after an extractor change is reported, not repaired).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pipeline.attachments.reader import TextReader
from pipeline.extract.decode import content_type_charset
from pipeline.record import replace
from pipeline.sources import read_page
from pipeline.store.archive import content_hash
from pipeline.store.verify import Check
from pipeline.warc import Pointer, warc_dir
from pipeline.warc.read import RecordError, StoredResponse, read_response

_VERSIONS = (
    "select v.id, v.warc_file, v.warc_offset, v.warc_length, v.warc_record_id,"
    " v.payload_sha256, v.raw_sha256, v.content_sha256, v.context_json, v.record_json,"
    " n.url, n.site from notice_versions v join notices n on n.id = v.notice_id"
    " where v.warc_file is not null order by v.warc_file, v.warc_offset"
)


def warc_checks(conn: sqlite3.Connection, db_path: Path, *, deep: bool = False) -> list[Check]:
    """The evidence checks over every version of the archive at ``db_path``."""
    directory = warc_dir(db_path)
    missing = [
        row[0] for row in conn.execute("select id from notice_versions where warc_file is null")
    ]
    unread: list[str] = []
    mismatched: list[str] = []
    files: set[str] = set()
    read = 0
    for row in conn.execute(_VERSIONS):
        files.add(row[1])
        try:
            response = _checked(directory, row)
        except RecordError as error:
            unread.append(f"{row[0]}: {error}")
            continue
        read += 1
        if deep and (problem := _reextracted(response, row)):
            mismatched.append(f"{row[0]}: {problem}")
    checks = [
        Check(
            "every version points at a WARC record",
            missing,
            "an archive from before WARC capture: the next zwgk crawl moves raw_gzip into WARC",
        ),
        Check(
            f"WARC records there and matching their digests ({read:,} read from "
            f"{len(files):,} file{'s' if len(files) != 1 else ''})",
            unread,
            "restore the WARC files from a backup; the next zwgk crawl --full refetches the pages",
        ),
    ]
    if deep:
        checks.append(
            Check(
                "extracting each WARC record again gives the stored version",
                mismatched,
                "changed extractors give other fields: compare with zwgk extract",
            )
        )
    return checks


_ATTACHMENTS = (
    "select url, sha256, warc_file, warc_offset, warc_length, warc_record_id, payload_sha256,"
    " mime, text from attachments where sha256 is not null group by url, sha256"
    " order by warc_file, warc_offset"
)
#: A check whose failure is information: files downloaded before WARC capture have no record.
UNPOINTED_ATTACHMENTS = "every stored attachment points at a WARC record"


def attachment_checks(
    conn: sqlite3.Connection, db_path: Path, *, deep: bool = False
) -> list[Check]:
    """Each stored attachment's response record is there and its body hashes to the row's sha256
    (the record is where the archive keeps the file's bytes), and with ``deep`` reading its text
    again gives the stored text."""
    directory = warc_dir(db_path)
    try:
        rows = conn.execute(_ATTACHMENTS).fetchall()
    except sqlite3.OperationalError:  # an archive from before attachment downloads
        rows = []
    with TextReader() as reader:
        unpointed, bad, read = _attachment_problems(directory, rows, reader if deep else None)
    return [
        Check(UNPOINTED_ATTACHMENTS, unpointed, "downloaded before WARC capture"),
        Check(
            f"attachments' WARC records there and matching their sha256 ({read:,} read)",
            bad,
            "restore archive/warc/ from a backup",
        ),
    ]


def _attachment_problems(
    directory: Path, rows: list[tuple], reader: TextReader | None
) -> tuple[list[str], list[str], int]:
    """Unpointed URLs, problems, records read; ``reader``: read each file's text again."""
    unpointed, bad, read = [], [], 0
    for url, sha256, *pointer, mime, text in rows:
        if pointer[0] is None:
            unpointed.append(url)
            continue
        try:
            body = read_response(directory, Pointer(*pointer)).body
        except RecordError as error:
            bad.append(f"{url}: {error}")
            continue
        read += 1
        if hashlib.sha256(body).hexdigest() != sha256:
            bad.append(f"{url}: the record's body does not hash to its sha256 ({sha256[:12]}…)")
        elif reader is not None and _text_again(body, mime, url, reader) != text:
            bad.append(f"{url}: its text read again differs from the stored text")
    return unpointed, bad, read


def _text_again(body: bytes, mime: str | None, url: str, reader: TextReader) -> str | None:
    from pipeline.attachments.ingest import link_extension

    return reader.read(body, mime, link_extension(url)).text


def _checked(directory: Path, row: tuple) -> StoredResponse:
    pointer = Pointer(row[1], row[2], row[3], row[4], row[5])
    response = read_response(directory, pointer)
    if hashlib.sha256(response.body).hexdigest() != row[6]:
        raise RecordError(f"{pointer.file}@{pointer.offset}: body sha256 is not raw_sha256")
    return response


def stored_page(
    response: StoredResponse, url: str, site: str | None, context: dict[str, Any]
) -> dict[str, Any]:
    """The page dict ``pipeline.sources.read_page`` reads, of a version's WARC response and its
    context (``context_json``: listing, format: what the crawl knew beside the bytes)."""
    content_type = response.header("Content-Type")
    return {
        "url": url,
        "site": site,
        "status": response.status,
        "body": response.body,
        "encoding": content_type_charset(content_type),
        "content_type": content_type,
        **context,
    }


def _reextracted(response: StoredResponse, row: tuple) -> str | None:
    """None when the record extracts to the stored content hash, else what differs."""
    context = json.loads(row[8]) if row[8] else {}
    page = stored_page(response, row[10], row[11], context)
    try:
        record = read_page(page, with_html=False)
    except Exception as exc:  # any extractor failure is a finding, not a crash
        return f"extract error: {type(exc).__name__}: {exc}"
    if record.category is None:
        stored = json.loads(row[9] or "{}").get("category")
        record = replace(record, category=context.get("column") or (None if context else stored))
    if content_hash(record) == row[7]:
        return None
    stored = json.loads(row[9] or "{}")
    fields = list(_fields(record.to_dict(), stored))
    return "differs in " + ", ".join(fields or ["content hash"])


def _fields(new: dict, old: dict) -> Iterator[str]:
    for key in sorted(set(new) | set(old)):
        if key not in ("body_html", "decode_errors") and new.get(key) != old.get(key):
            yield key
