"""One fetched page into the archive: classify → extract → store.

The same path serves the crawl (in the writer process) and any batch re-ingest; the extractor is
the very function `zwgk extract` calls.
"""

from __future__ import annotations

from typing import Any

from pipeline.extract import extract_page
from pipeline.extract.classify import classify_page
from pipeline.extract.decode import decode_html
from pipeline.store.archive import Archive, Capture


def ingest_page(archive: Archive, page: dict[str, Any], run_id: int | None = None) -> str:
    """Store one page; returns ``new``/``changed``/``unchanged``, or ``failed`` with a failure row.

    ``page`` keys: url, site, status, body (bytes), encoding (header charset or None),
    content_type, fetched_at, column (the list it was linked from, or None).
    """
    url, site, status = page["url"], page.get("site") or "", page.get("status", 200)
    try:
        decoded = decode_html(page["body"], page.get("encoding"))
        page_class = classify_page(decoded.text, status)
        if page_class != "content":
            archive.fail(run_id, url, f"{page_class} page", status=status, site=site)
            return "failed"
        record = extract_page(decoded.text, url, site=site)
    except Exception as exc:  # a page must end stored or failed, never lost
        archive.fail(run_id, url, f"extract error: {type(exc).__name__}: {exc}", status, site)
        return "failed"
    record["charset"] = decoded.encoding
    record["decode_errors"] = decoded.errors
    if record.get("category") is None and page.get("column"):
        record["category"] = page["column"]
    capture = Capture(
        raw=page["body"],
        http_status=status,
        content_type=page.get("content_type"),
        fetched_at=page.get("fetched_at") or Capture(b"").fetched_at,
    )
    return archive.store(record, capture, run_id)
