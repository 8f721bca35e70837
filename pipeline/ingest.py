"""One fetched page into the archive: extract → classify → store.

The same path serves the crawl (in the writer process) and any batch re-ingest; the extractor is
the very function `zwgk extract` calls. A page whose body holds an article is content whatever
else it carries (real pages embed bot-shield stubs beside the article); only pages without one
go through the marker checks of :func:`classify_page` — so the common case costs no extra scan.

Extracting and classifying (:func:`prepare_page`) read nothing but the page, so they may run
elsewhere than the store: a scale-out worker prepares each page before it sends it
(``page["prepared"]``, plain data, :func:`prepared_of`), and the one writer of the archive only
stores — the serial part of the pipeline does only what must be serial.
"""

from __future__ import annotations

from typing import Any

from pipeline.extract.classify import CONTENT, classify_page, is_article_text
from pipeline.extract.decode import decode_html
from pipeline.record import Record, replace
from pipeline.sources import read_page
from pipeline.store.archive import Archive, Capture, capture_exchange, utcnow
from pipeline.warc.files import pack


def prepare_page(page: dict[str, Any]) -> Record | str:
    """The page's record, or why it is not stored as a notice (``"<class> page"``, or
    ``"extract error: …"``). Reads the page only: safe to run in any process."""
    try:
        record = read_page(page, with_html=False)  # derived from WARC on view: not stored
        if not is_article_text(record.body_text):
            status = page.get("status", 200)
            page_class = classify_page(decode_html(page["body"], page.get("encoding")).text, status)
            if page_class != CONTENT:
                return f"{page_class} page"
    except Exception as exc:  # a page must end stored or failed, never lost
        return f"extract error: {type(exc).__name__}: {exc}"
    return record


def prepared_of(page: dict[str, Any]) -> dict[str, Any]:
    """:func:`prepare_page` as plain data for a message: ``{"record": …}`` or ``{"failed": …}``."""
    outcome = prepare_page(page)
    if isinstance(outcome, str):
        return {"failed": outcome}
    return {"record": outcome.to_dict()}


def packed_of(page: dict[str, Any]) -> dict[str, Any]:
    """The page's WARC response record, gzipped (``pipeline.warc.files.pack``), as plain data
    for a message: the record the writer would make of a page that came without a captured one
    (:func:`~pipeline.store.archive.capture_exchange`), so that it only appends it."""
    return pack(capture_exchange(page["url"], capture_of(page))).to_message()


def record_of(page: dict[str, Any]) -> Record | str:
    """What the page's sender prepared (``page["prepared"]``), else the page extracted here."""
    sent = page.get("prepared")
    if sent is None:
        return prepare_page(page)
    if "failed" in sent:
        return str(sent["failed"])
    try:
        record = Record.from_dict(sent["record"])
    except Exception as exc:  # a malformed message is a failed page, not a dead writer
        return f"extract error: prepared record refused: {type(exc).__name__}: {exc}"
    if record.url != page["url"]:
        return f"extract error: prepared record refused: it is of {record.url!r}"
    return record


def ingest_page(archive: Archive, page: dict[str, Any], run_id: int | None = None) -> str:
    """Store one page; returns ``new``/``changed``/``unchanged``, or ``failed`` with a failure row.

    ``page`` keys: url, site, status, body (bytes), encoding (header charset or None),
    content_type, fetched_at, column (the list it was linked from, or None), format (``html``
    or a platform's JSON, see pipeline.sources), listing and listing_source (a list's own
    fields for the document), and optionally prepared (:func:`prepared_of`, made by the sender).
    """
    url, site, status = page["url"], page.get("site") or "", page.get("status", 200)
    record = record_of(page)
    if isinstance(record, str):
        archive.fail(run_id, url, record, status, site, page.get("fetched_at"))
        return "failed"
    if record.category is None and page.get("column"):
        record = replace(record, category=page["column"])
    capture = capture_of(page)
    return archive.store(record, capture, run_id, column=page.get("column"))


def capture_of(page: dict[str, Any]) -> Capture:
    """What was fetched of a page (:func:`ingest_page`'s keys), as the archive keeps it."""
    return Capture(
        raw=page["body"],
        http_status=page.get("status", 200),
        content_type=page.get("content_type"),
        fetched_at=page.get("fetched_at") or utcnow(),
        etag=page.get("etag"),
        last_modified=page.get("last_modified"),
        warc_record_id=page.get("warc_record_id"),
        context=context_of(page),
        packed=page.get("packed"),
    )


#: Page keys beside the bytes that extraction reads: kept with each version (``context_json``).
CONTEXT_KEYS = ("column", "format", "listing", "listing_source")


def context_of(page: dict[str, Any]) -> dict[str, Any] | None:
    """What extracting the page again needs besides its response (None when it is all default)."""
    context = {key: page[key] for key in CONTEXT_KEYS if page.get(key)}
    if context.get("format") == "html":
        del context["format"]
    return context or None
