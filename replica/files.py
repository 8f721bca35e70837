"""Attachment files: small, deterministic, real-looking bytes.

A ``.pdf`` is a minimal valid one-page PDF (its /Title the attachment's name); ``.doc`` and
``.xls`` are OLE2 compound-file placeholders: the right magic and header, then zero sectors.
"""

from __future__ import annotations

import hashlib

MIME = {
    "pdf": "application/pdf",
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
}
OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")


def mime(name: str) -> str:
    """The Content-Type for a file name, by extension."""
    return MIME.get(name.rsplit(".", 1)[-1].lower(), "application/octet-stream")


def content(name: str, key: str) -> bytes:
    """The bytes of the attachment called ``name``; ``key`` makes every file distinct."""
    ext = name.rsplit(".", 1)[-1].lower()
    if ext == "pdf":
        return pdf(name, key)
    return ole_placeholder(key)


def pdf(title: str, key: str) -> bytes:
    """A one-page PDF with a line of text and the title in its document information."""
    tag = hashlib.blake2b(key.encode(), digest_size=6).hexdigest()
    text = f"Zhanjiang Finance Bureau attachment {tag}"
    stream = f"BT /F1 12 Tf 72 770 Td ({text}) Tj ET".encode()
    title_hex = ("FEFF" + title.encode("utf-16-be").hex().upper()).encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Title <%s> /Producer (zwgk replica) >>" % title_hex,
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 6 0 R >>\n" % (len(objects) + 1)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def ole_placeholder(key: str) -> bytes:
    """An OLE2 compound-file header (as .doc / .xls files start) padded to three sectors."""
    header = bytearray(512)
    header[0:8] = OLE_MAGIC
    header[24:26] = (0x003E).to_bytes(2, "little")  # minor version
    header[26:28] = (0x0003).to_bytes(2, "little")  # major version 3: 512-byte sectors
    header[28:30] = (0xFFFE).to_bytes(2, "little")  # byte order mark
    header[30:32] = (9).to_bytes(2, "little")  # sector shift
    header[32:34] = (6).to_bytes(2, "little")  # mini sector shift
    header[56:60] = (4096).to_bytes(4, "little")  # mini stream cutoff
    tag = hashlib.blake2b(key.encode(), digest_size=20).digest()
    return bytes(header) + tag + bytes(1024 - len(tag))
