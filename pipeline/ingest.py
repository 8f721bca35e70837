"""One fetched page into the archive: extract → classify → store.

The same path serves the crawl (in the writer process) and any batch re-ingest; the extractor is
the very function `zwgk extract` calls. A page whose body holds an article is content whatever
else it carries (real pages embed bot-shield stubs beside the article); only pages without one
go through the marker checks of :func:`classify_page` — so the common case costs no extra scan.
"""

from __future__ import annotations

from typing import Any

from pipeline.extract.classify import CONTENT, classify_page, is_article_text
from pipeline.extract.decode import decode_html
from pipeline.record import replace
from pipeline.sources import read_page
from pipeline.store.archive import Archive, Capture, utcnow


def ingest_page(archive: Archive, page: dict[str, Any], run_id: int | None = None) -> str:
    """Store one page; returns ``new``/``changed``/``unchanged``, or ``failed`` with a failure row.

    ``page`` keys: url, site, status, body (bytes), encoding (header charset or None),
    content_type, fetched_at, column (the list it was linked from, or None), format (``html``
    or a platform's JSON, see pipeline.sources), listing and listing_source (a list's own
    fields for the document).
    """
    url, site, status = page["url"], page.get("site") or "", page.get("status", 200)
    try:
        record = read_page(page, with_html=False)  # derived from WARC on view: not stored
        if not is_article_text(record.body_text):
            page_class = classify_page(decode_html(page["body"], page.get("encoding")).text, status)
            if page_class != CONTENT:
                archive.fail(
                    run_id, url, f"{page_class} page", status, site, page.get("fetched_at")
                )
                return "failed"
    except Exception as exc:  # a page must end stored or failed, never lost
        reason = f"extract error: {type(exc).__name__}: {exc}"
        archive.fail(run_id, url, reason, status, site, page.get("fetched_at"))
        return "failed"
    if record.category is None and page.get("column"):
        record = replace(record, category=page["column"])
    capture = Capture(
        raw=page["body"],
        http_status=status,
        content_type=page.get("content_type"),
        fetched_at=page.get("fetched_at") or utcnow(),
        etag=page.get("etag"),
        last_modified=page.get("last_modified"),
        warc_record_id=page.get("warc_record_id"),
        context=context_of(page),
    )
    return archive.store(record, capture, run_id, column=page.get("column"))


#: Page keys beside the bytes that extraction reads: kept with each version (``context_json``).
CONTEXT_KEYS = ("column", "format", "listing", "listing_source")


def context_of(page: dict[str, Any]) -> dict[str, Any] | None:
    """What extracting the page again needs besides its response (None when it is all default)."""
    context = {key: page[key] for key in CONTEXT_KEYS if page.get(key)}
    if context.get("format") == "html":
        del context["format"]
    return context or None
