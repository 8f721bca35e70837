"""What a download is worth keeping: stored, or broken / skipped / failed with the reason.

Statuses of ``attachments.status`` (``reason`` beside it says why):

``stored``        the bytes are kept and their text was read (``text`` may be empty: a scan)
``not_extracted`` the bytes are kept, their text could not be read (no converter, a zip bomb…)
``broken``        the link gives no file: a 404/410, an HTML page instead of a file, 0 bytes
``skipped``       not downloaded on purpose: over the size cap
``failed``        the download did not complete (5xx, timeout): tried again on a later crawl
"""

from __future__ import annotations

from dataclasses import dataclass

STORED = "stored"
NOT_EXTRACTED = "not_extracted"
BROKEN = "broken"
SKIPPED = "skipped"
FAILED = "failed"
#: Statuses that need no new download on a later crawl.
SETTLED = frozenset({STORED, NOT_EXTRACTED, SKIPPED})
DEFAULT_CAP = 50 * 1024 * 1024  # bytes (ZWGK_ATTACHMENT_MAX_BYTES)
_HTML_STARTS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<meta", b"<title", b"<script")


@dataclass(frozen=True)
class Verdict:
    """Whether to keep the bytes, else the status and reason recorded instead."""

    keep: bool
    status: str | None = None
    reason: str | None = None


def judge(status: int, body: bytes, content_type: str | None, cap: int = DEFAULT_CAP) -> Verdict:
    """The verdict on one answer to an attachment request (``status`` the final HTTP status)."""
    if status in (404, 410):
        return Verdict(False, BROKEN, str(status))
    if status >= 500 or status == 429:
        return Verdict(False, FAILED, f"http {status}")
    if status >= 300:
        return Verdict(False, BROKEN, f"http {status}")
    if len(body) > cap > 0:
        return Verdict(False, SKIPPED, over_cap(cap))
    if not body:
        return Verdict(False, BROKEN, "empty")
    if looks_like_html(body, content_type):
        return Verdict(False, BROKEN, "html instead of a file")
    return Verdict(True)


def over_cap(cap: int) -> str:
    return f"over cap ({cap} bytes)"


def looks_like_html(body: bytes, content_type: str | None) -> bool:
    """An HTML page where a file was linked: the bytes start like markup (after a BOM and
    blanks), or the server says ``text/html`` and the bytes are text or unknown (no file's
    magic number)."""
    head = body[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(_HTML_STARTS):
        return True
    from pipeline.attachments.sniff import TEXT, sniff

    declared = (content_type or "").split(";")[0].strip().lower()
    return declared == "text/html" and sniff(body) in (None, TEXT)
