"""Serving a stored attachment file: the headers it goes out with.

The URL names the file by its sha256 only (``/-/attachments/<sha256>``); the bytes are read from
the archive (``pipeline.attachments.store.read_attachment``). The download name is
built by us: the site's name for the file, stripped of path separators, control characters,
quotes and semicolons, in ``filename*`` (RFC 6266, percent-encoded UTF-8), and an ASCII
``filename`` of the digest and the sniffed type's extension for clients without it. The type
sent is the sniffed one, never the site's header, and the browser is told not to guess
(``nosniff``) nor run anything in it (``sandbox``).
"""

from __future__ import annotations

import re
from urllib.parse import quote

from pipeline.attachments.sniff import EXTENSIONS, OCTET

PATH = "/-/attachments/{sha256}"
ROUTE = r"^/-/attachments/(?P<sha256>[0-9a-f]{64})$"
_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\;"\']+')
MAX_NAME = 120


def safe_name(name: str | None, sha256: str, mime: str | None) -> str:
    """A name to save the file under: the site's name made harmless, else the digest."""
    ext = EXTENSIONS.get(mime or "", "bin")
    cleaned = _UNSAFE.sub("_", name or "").strip(" ._")[:MAX_NAME]
    if not cleaned:
        return f"{sha256[:16]}.{ext}"
    return cleaned if cleaned.lower().endswith(f".{ext}") else f"{cleaned}.{ext}"


def headers(name: str | None, sha256: str, mime: str | None) -> dict[str, str]:
    ext = EXTENSIONS.get(mime or "", "bin")
    encoded = quote(safe_name(name, sha256, mime), safe="")
    return {
        "content-disposition": (
            f"attachment; filename=\"{sha256[:16]}.{ext}\"; filename*=UTF-8''{encoded}"
        ),
        "x-content-type-options": "nosniff",
        "content-security-policy": "sandbox",
        "referrer-policy": "no-referrer",
        "etag": f'"{sha256}"',
    }


def content_type(mime: str | None) -> str:
    """The sniffed type when it is one we name, else ``application/octet-stream``."""
    return mime if mime in EXTENSIONS else OCTET
