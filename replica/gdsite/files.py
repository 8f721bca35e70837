"""Small deterministic bytes for attachments and body images.

``.pdf`` a one-page PDF, ``.doc`` / ``.xls`` an OLE2 header (``replica.files``), ``.docx`` /
``.xlsx`` a minimal zip package with its ``[Content_Types].xml``, ``.png`` a 1×1 image whose
pixel depends on the key.
"""

from __future__ import annotations

import hashlib
import io
import struct
import zipfile
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
PACKAGE_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/></Types>'
)


def mime(ext: str) -> str:
    return MIME.get(ext, "application/octet-stream")


def content(name: str, ext: str, key: str) -> bytes:
    """The bytes of an attachment called ``name``; ``key`` makes every file distinct."""
    if ext == "pdf":
        return files.pdf(name, key)
    if ext in ("docx", "xlsx"):
        return package(key)
    return files.ole_placeholder(key)


def package(key: str) -> bytes:
    """A minimal Office Open XML zip (fixed timestamps: the same key gives the same bytes)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            zipfile.ZipInfo("[Content_Types].xml", (2020, 1, 1, 0, 0, 0)), PACKAGE_TYPES
        )
        archive.writestr(
            zipfile.ZipInfo("docProps/app.xml", (2020, 1, 1, 0, 0, 0)), f"<k>{key}</k>"
        )
    return out.getvalue()


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
