"""A version's raw capture served back exactly as fetched: its headers.

The body is the one the crawl extracted from: the payload of the version's WARC response record
(``notice_versions.warc_*``) with any Content-Encoding undone (``pipeline/warc/read.py``). It is
served with the media type the server sent (``content_type``) and the charset the archive read
the page with (the record's ``charset``, which reconciles header, ``<meta>`` and bytes), else the
header's own charset. Never as a page of the archive: ``Content-Security-Policy: sandbox`` gives
it an opaque origin with no scripts, and ``X-Content-Type-Options: nosniff`` stops a browser
from guessing a type.
"""

from __future__ import annotations

import codecs
import re

OCTET_STREAM = "application/octet-stream"
_MEDIA_TYPE = re.compile(r"[A-Za-z0-9!#$&^_.+-]+/[A-Za-z0-9!#$&^_.+-]+")
_CHARSET = re.compile(r"""charset\s*=\s*["']?([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_TEXTUAL = re.compile(r"text/.*|application/(json|xml|xhtml\+xml|javascript|[a-z.+-]*\+(json|xml))")
_EXTENSIONS = {
    "text/html": "html",
    "application/xhtml+xml": "html",
    "application/json": "json",
    "text/plain": "txt",
    "text/xml": "xml",
    "application/xml": "xml",
}
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]")


def media_type(content_type: str | None) -> str:
    """The media type of a recorded ``Content-Type`` (lower case), else octet-stream."""
    value = (content_type or "").split(";", 1)[0].strip().lower()
    return value if _MEDIA_TYPE.fullmatch(value) else OCTET_STREAM


def charset(content_type: str | None, record_charset: str | None) -> str | None:
    """The charset to declare: the one the page was decoded with, else the header's; only a
    name Python knows as a codec (the record says ``unicode`` for JSON it read as text)."""
    declared = _CHARSET.search(content_type or "")
    for name in (record_charset, declared.group(1) if declared else None):
        if not name:
            continue
        try:
            return codecs.lookup(name).name
        except LookupError:
            continue
    return None


def response_content_type(content_type: str | None, record_charset: str | None) -> str:
    media = media_type(content_type)
    name = charset(content_type, record_charset) if _TEXTUAL.fullmatch(media) else None
    return f"{media}; charset={name}" if name else media


def filename(version_id: str, content_type: str | None) -> str:
    """A download name: the version id and an extension for its media type."""
    ext = _EXTENSIONS.get(media_type(content_type), "bin")
    return f"{_SAFE_NAME.sub('_', version_id)}.{ext}"


def headers(
    version_id: str,
    content_type: str | None,
    record_charset: str | None,
    *,
    size: int,
    raw_sha256: str | None,
    download: bool,
) -> dict[str, str]:
    """The response headers of a raw capture (``download``: offered as a file to save)."""
    disposition = "attachment" if download else "inline"
    out = {
        "content-type": response_content_type(content_type, record_charset),
        "content-length": str(size),
        "content-disposition": f'{disposition}; filename="{filename(version_id, content_type)}"',
        "content-security-policy": "sandbox",
        "x-content-type-options": "nosniff",
        "referrer-policy": "no-referrer",
    }
    if raw_sha256 and re.fullmatch(r"[0-9a-f]{64}", raw_sha256):
        out["etag"] = f'"{raw_sha256}"'
    return out
