"""A file's type from its bytes (magic numbers), never from the server's Content-Type.

``%PDF`` → pdf; a zip (``PK\\x03\\x04``) → docx / xlsx / pptx / ofd by the names inside (read
from the central directory, nothing inflated), else zip; an OLE2 compound file → doc / xls / ppt
by the stream names in its directory (a ``.wps`` from WPS Office is an OLE2 Word file), else
``application/x-ole-storage``; RAR, 7z, gzip, images; plain text when the bytes decode as UTF-8
or GB18030 without control characters. None: unknown.
"""

from __future__ import annotations

from pipeline.attachments import zipsafe

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
OFD = "application/ofd"
ZIP = "application/zip"
DOC = "application/msword"
XLS = "application/vnd.ms-excel"
PPT = "application/vnd.ms-powerpoint"
OLE = "application/x-ole-storage"
RAR = "application/vnd.rar"
TEXT = "text/plain"
OCTET = "application/octet-stream"

_MAGIC = (
    (b"Rar!\x1a\x07", RAR),
    (b"7z\xbc\xaf\x27\x1c", "application/x-7z-compressed"),
    (b"\x1f\x8b", "application/gzip"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF8", "image/gif"),
)
_OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
_OLE_STREAMS = (
    ("WordDocument", DOC),
    ("Workbook", XLS),
    ("Book", XLS),
    ("PowerPoint Document", PPT),
)
_ZIP_MARKERS = (("word/document.xml", DOCX), ("xl/workbook.xml", XLSX), ("ppt/", PPTX))
#: File extensions by sniffed type (for a download's name and for reading text).
EXTENSIONS = {
    PDF: "pdf", DOCX: "docx", XLSX: "xlsx", PPTX: "pptx", OFD: "ofd", ZIP: "zip", DOC: "doc",
    XLS: "xls", PPT: "ppt", RAR: "rar", TEXT: "txt",
}  # fmt: skip


def sniff(data: bytes) -> str | None:
    """The MIME type the bytes show, or None."""
    if data[:1024].find(b"%PDF-") >= 0:
        return PDF
    if data.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    if data.startswith(_OLE_MAGIC):
        return _ole_kind(data)
    for magic, mime in _MAGIC:
        if data.startswith(magic):
            return mime
    return TEXT if _is_text(data[:4096]) else None


def _zip_kind(data: bytes) -> str:
    names = zipsafe.names(data)
    for marker, mime in _ZIP_MARKERS:
        if any(name.startswith(marker) for name in names):
            return mime
    if "OFD.xml" in names:
        return OFD
    return ZIP


def _ole_kind(data: bytes) -> str:
    head = data[: 1 << 20]  # the directory sits early in small files; enough for a type
    for stream, mime in _OLE_STREAMS:
        if stream.encode("utf-16-le") in head:
            return mime
    return OLE


def _is_text(head: bytes) -> bool:
    if not head or any(byte < 9 or 13 < byte < 32 for byte in head if byte != 27):
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            head.decode(encoding)
        except UnicodeDecodeError:
            # a multi-byte character cut at the end of the sample is still text
            try:
                head[:-3].decode(encoding)
            except UnicodeDecodeError:
                continue
        return True
    return False
