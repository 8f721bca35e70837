"""One attachment download into the archive: judge → sniff → read the text → point at its record.

Runs in the archive writer (``pipeline.writer``'s ``attachment`` message). The bytes are kept
once, in the download's WARC response record (``pipeline.warc``), which the writer flushes to
disk before it commits the row that points at it, so a row never names missing bytes. Archives
made before 2026-12 also kept a plain copy under ``archive/files/`` (``store.py``); it is still
read where it is there, and nothing writes it any more.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from pipeline.attachments import policy
from pipeline.attachments.reader import Pending, TextReader
from pipeline.attachments.sniff import DOC, OCTET, OLE, PPT, XLS, sniff
from pipeline.attachments.text import TextResult
from pipeline.warc.files import POINTER_COLUMNS

if TYPE_CHECKING:
    from pipeline.store.archive import Archive

#: The status a stored file has while the writer's text reader still reads it (never written:
#: the archive takes the reader's answer before it writes the batch, ``Archive.flush``).
READING = "reading"
#: The extension a link gave, for the binary office files a converter reads.
_OLE_BY_EXT = {"doc": DOC, "wps": DOC, "dot": DOC, "xls": XLS, "et": XLS, "ppt": PPT}


def attachment_fields(payload: dict[str, Any], reader: TextReader) -> dict[str, Any]:
    """The columns of ``attachments`` a download fills (``sha256`` … ``status``, ``reason``).

    ``payload``: url, status (HTTP), body (bytes), content_type, etag, last_modified, fetched_at,
    cap (bytes), and ``error`` when the request failed before an answer (a timeout, over the
    cap while downloading): then nothing is stored and the error is the reason.
    """
    body = payload.get("body") or b""
    fields: dict[str, Any] = {
        "mime_header": payload.get("content_type"),
        "fetched_at": payload.get("fetched_at"),
        "etag": payload.get("etag"),
        "last_modified": payload.get("last_modified"),
        "sha256": None,
        "size": None,
        "mime": None,
        "text": None,
    }
    error = payload.get("error")
    if error:
        return {**fields, **_failure(error, payload.get("cap") or policy.DEFAULT_CAP)}
    verdict = policy.judge(
        payload.get("status") or 200, body, payload.get("content_type"), payload.get("cap") or 0
    )
    if not verdict.keep:
        return {
            **fields,
            "size": len(body) or None,
            "status": verdict.status,
            "reason": verdict.reason,
        }
    ext = link_extension(payload["url"])
    mime = sniff(body) or OCTET
    if mime == OLE and ext in _OLE_BY_EXT:
        mime = _OLE_BY_EXT[ext]
    fields.update(sha256=hashlib.sha256(body).hexdigest(), size=len(body), mime=mime)
    answer = reader.submit(body, mime, ext)
    if isinstance(answer, Pending):  # read in the child: ``text_fields`` when the batch is written
        return {**fields, "text": answer, "status": READING, "reason": None}
    return {**fields, **text_fields(answer)}


def text_fields(result: TextResult) -> dict[str, Any]:
    """``text``, ``status`` and ``reason`` of a stored file, from what its reader answered."""
    status = policy.STORED if result.extracted else policy.NOT_EXTRACTED
    return {"text": result.text, "status": status, "reason": result.reason}


def _failure(error: str, cap: int) -> dict[str, Any]:
    if error == "too large":
        return {"status": policy.SKIPPED, "reason": policy.over_cap(cap)}
    if error.startswith("skipped: "):
        return {"status": policy.SKIPPED, "reason": error.removeprefix("skipped: ")}
    if error.startswith("http 404") or error.startswith("http 410"):
        return {"status": policy.BROKEN, "reason": error[5:8]}
    return {"status": policy.FAILED, "reason": error}


def link_extension(url: str) -> str | None:
    """The extension of a link's path (or of its ``filename=`` query), lower case."""
    parts = urlsplit(url)
    name = parts.path.rsplit("/", 1)[-1]
    if "filename=" in parts.query:
        name = unquote(parts.query.rsplit("filename=", 1)[1].split("&", 1)[0])
    if "." not in name:
        return None
    ext = name.rsplit(".", 1)[1].lower()
    return ext if ext.isalnum() and len(ext) <= 8 else None


def ingest_attachment(archive: Archive, payload: dict[str, Any]) -> str:
    """Store one download (the writer's ``attachment`` message); returns its status
    (``reading`` while its text is read in the child process).

    A file that trips up the code reading it is recorded ``failed`` with the error, never
    fatal; only a storage error (``OSError``: a full disk) stops the writer, as for pages.
    """
    try:
        fields = attachment_fields(payload, archive.text_reader)
    except OSError:
        raise
    except Exception as exc:
        reason = f"error: {type(exc).__name__}: {exc}"[:300]
        fields = {"status": policy.FAILED, "reason": reason}
    if fields.get("sha256"):  # the bytes are kept in the response they came in (pipeline.warc)
        pointer = archive.response_record(payload)
        fields.update(zip(POINTER_COLUMNS, pointer.values(), strict=True))
    archive.attachment_file(payload["url"], fields)
    return fields["status"]
