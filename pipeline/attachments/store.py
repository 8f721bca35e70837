"""Where an attachment's bytes are: in the WARC record of the download that brought them, and
in archives made before 2026-12 also in a plain content-addressed copy (``FileStore``).

The archive writer keeps each download once, in its WARC response record (``pipeline.warc``),
and points the ``attachments`` row at it. Archives from before that also wrote every file to
``archive/files/ab/abcdef…`` beside the database, named by its sha256: a second copy of the same
bytes (28.5 MB on disk of the 205 MB archive of a scale-3,000 replica crawl). Nothing writes it;
``read_attachment`` and ``Holdings`` still find bytes there. A file's path in that store is its
sha256, split on its first two hex digits, and nothing else (a name from a site never becomes a
path).
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable
from pathlib import Path

from pipeline.warc.files import Pointer, warc_dir
from pipeline.warc.read import RecordError, read_response

#: The name of a plain copy: its sha256, 64 lower-case hex digits.
STORED_NAME = re.compile(r"^[0-9a-f]{64}$")


def files_root(db_path: str | os.PathLike[str]) -> Path:
    """``archive/files`` beside the database file."""
    return Path(db_path).resolve().parent / "archive" / "files"


class FileStore:
    """Bytes by sha256 under ``root``, read-only (the plain copies of older archives)."""

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)

    def path_of(self, sha256: str) -> Path:
        """Where the bytes with this digest live (a ValueError for anything but 64 hex digits)."""
        if not STORED_NAME.match(sha256 or ""):
            raise ValueError(f"not a sha256: {sha256!r}")
        return self.root / sha256[:2] / sha256

    def has(self, sha256: str) -> bool:
        """Whether the bytes with this digest are stored (False for anything but a digest)."""
        try:
            return self.path_of(sha256).is_file()
        except ValueError:
            return False

    def read(self, sha256: str) -> bytes:
        return self.path_of(sha256).read_bytes()


def missing_or_damaged(
    db_path: str | os.PathLike[str], rows: list[tuple[str, str, int | None]], deep: bool = False
) -> list[str]:
    """Of ``(url, sha256, size)`` rows, those whose file is absent, of another size, or
    (``deep``) whose bytes no longer hash to the digest: ``url: what is wrong``."""
    store = FileStore(files_root(db_path))
    bad = []
    for url, digest, size in rows:
        try:
            path = store.path_of(digest)
            found = path.stat().st_size if path.is_file() else None
        except ValueError:
            bad.append(f"{url}: not a sha256 ({digest!r})")
            continue
        if found is None:
            bad.append(f"{url}: no file {digest}")
        elif size is not None and found != size:
            bad.append(f"{url}: {found} bytes, {size} recorded")
        elif deep and hashlib.sha256(path.read_bytes()).hexdigest() != digest:
            bad.append(f"{url}: the bytes no longer hash to {digest}")
    return bad


def read_attachment(
    db_path: str | os.PathLike[str], sha256: str, pointers: Iterable[Pointer]
) -> bytes | None:
    """The bytes with digest ``sha256`` in the archive at ``db_path``: its plain copy where an
    older archive kept one, else the body of the first of ``pointers`` (the response records of
    the downloads that brought them) that reads back intact and hashes to it; None when none
    does."""
    store = FileStore(files_root(db_path))
    if store.has(sha256):
        return store.read(sha256)
    directory = warc_dir(db_path)
    for pointer in pointers:
        try:
            body = read_response(directory, pointer).body
        except RecordError:
            continue
        if hashlib.sha256(body).hexdigest() == sha256:
            return body
    return None


class Holdings:
    """Whether a stored attachment's bytes are still in the archive at ``db_path``, cheaply (no
    record is read: ``zwgk verify`` reads them): its WARC file is there and long enough to hold
    the record's gzip member, or its plain copy is there."""

    def __init__(self, db_path: str | os.PathLike[str]) -> None:
        self._warc = warc_dir(db_path)
        self._store = FileStore(files_root(db_path))
        self._sizes: dict[str, int] = {}

    def has(self, sha256: str, file: str | None, offset: int | None, length: int | None) -> bool:
        if file and offset is not None and length:
            if file not in self._sizes:
                try:
                    self._sizes[file] = (self._warc / file).stat().st_size
                except OSError:
                    self._sizes[file] = -1
            if self._sizes[file] >= offset + length:
                return True
        return self._store.has(sha256)
