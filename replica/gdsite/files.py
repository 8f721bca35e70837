"""Small deterministic bytes for attachments and body images.

``.pdf``, ``.docx`` and ``.xlsx`` hold the document's words and a check code, ``.doc`` / ``.xls``
are an OLE2 header (all from ``replica.files``); ``.png`` a 1×1 image whose pixel depends on the
key.
"""

from __future__ import annotations

import hashlib
import struct
import zlib

from replica import files

MIME = {
    "pdf": "application/pdf",
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "png": "image/png",
}


def mime(ext: str) -> str:
    return MIME.get(ext, "application/octet-stream")


def content(name: str, ext: str, key: str, words: str = "") -> bytes:
    """The bytes of an attachment called ``name``; ``key`` makes every file distinct, ``words``
    (the document's title) go into its text."""
    if ext in ("pdf", "docx", "xlsx"):
        return files.content(f"{name.rsplit('.', 1)[0]}.{ext}", key, words)
    return files.ole_placeholder(key)


def png(key: str) -> bytes:
    """A 1×1 RGB PNG."""
    pixel = hashlib.blake2b(key.encode(), digest_size=3).digest()

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" + pixel))
        + chunk(b"IEND", b"")
    )
