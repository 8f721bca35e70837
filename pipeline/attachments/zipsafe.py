"""Reading zip-based files (docx, xlsx, ofd) with limits, so a zip bomb is never expanded.

Before any member is inflated the central directory is checked: at most ``MAX_MEMBERS``
members, a declared uncompressed total of at most ``MAX_TOTAL`` bytes, and no member whose
declared size is more than ``MAX_RATIO`` times its compressed size. A member is then read in
chunks and abandoned past its declared size (the directory can lie), so the bytes inflated never
exceed the limits whatever the file says.
"""

from __future__ import annotations

import io
import zipfile

MAX_MEMBERS = 2000
MAX_TOTAL = 200 * 1024 * 1024  # bytes, uncompressed, all members together
MAX_MEMBER = 50 * 1024 * 1024  # bytes, uncompressed, one member
MAX_RATIO = 200  # uncompressed / compressed, per member (office XML compresses ~10-30x)
_CHUNK = 1 << 16


class UnsafeZip(ValueError):
    """A zip this module refuses to expand (a bomb, or too big), with the reason."""


def open_zip(data: bytes) -> zipfile.ZipFile:
    """The zip in ``data``, its directory checked against the limits (``UnsafeZip`` if not)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise UnsafeZip(f"not a readable zip: {exc}") from None
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise UnsafeZip(f"zip bomb: {len(infos)} members (limit {MAX_MEMBERS})")
    total = sum(info.file_size for info in infos)
    if total > MAX_TOTAL:
        raise UnsafeZip(f"zip bomb: {total} bytes uncompressed (limit {MAX_TOTAL})")
    for info in infos:
        if info.file_size > MAX_RATIO * max(info.compress_size, 1) and info.file_size > _CHUNK:
            ratio = info.file_size // max(info.compress_size, 1)
            raise UnsafeZip(f"zip bomb: {info.filename!r} expands {ratio}x (limit {MAX_RATIO}x)")
    return archive


def names(data: bytes, limit: int = MAX_MEMBERS) -> list[str]:
    """Member names from the central directory (nothing inflated); [] when not a zip."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return [info.filename for info in archive.infolist()[:limit]]
    except (zipfile.BadZipFile, OSError, ValueError):
        return []


def read_member(archive: zipfile.ZipFile, name: str) -> bytes:
    """One member's bytes, never more than its declared size or ``MAX_MEMBER``."""
    info = archive.getinfo(name)
    limit = min(info.file_size, MAX_MEMBER)
    out = bytearray()
    with archive.open(info) as member:
        while chunk := member.read(_CHUNK):
            out += chunk
            if len(out) > limit:
                raise UnsafeZip(f"zip bomb: {name!r} inflates past its declared size")
    return bytes(out)
