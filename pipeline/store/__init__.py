"""The archive: schema and the single writer (sqlite-utils)."""

from pipeline.store.archive import Archive, Capture, content_hash
from pipeline.store.ids import canonical_url, notice_id
from pipeline.store.schema import open_db

__all__ = ["Archive", "Capture", "canonical_url", "content_hash", "notice_id", "open_db"]
