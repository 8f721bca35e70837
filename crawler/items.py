"""Typed items the spiders yield (dataclasses, handled through itemadapter)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class PageItem:
    """A fetched detail page, raw: the writer classifies, extracts and stores it."""

    url: str
    site: str
    body: bytes
    status: int = 200
    encoding: str | None = None
    content_type: str | None = None
    fetched_at: str | None = None
    column: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    #: How the writer reads ``body``: ``html`` (a page) or ``gdgpo`` (the platform's JSON).
    format: str = "html"
    #: The list's own fields for this document (gkmlpt's catalogue: 文号, 索引号 …), or None,
    #: and the family of the list that gave them (``gkmlpt``).
    listing: dict | None = None
    listing_source: str | None = None
    #: The WARC-Record-ID of the response this page came in (crawler.capture), or None.
    warc_record_id: str | None = None


@dataclass
class NotModifiedItem:
    """A detail page the server confirmed unchanged (HTTP 304 to our validators)."""

    url: str
    site: str
    #: When (UTC, ``2026-12-02T09:51:14Z``): the notice's new ``last_seen``; None: on arrival.
    fetched_at: str | None = None


@dataclass
class FailureItem:
    """A URL that could not be fetched in this run, with the reason."""

    url: str
    site: str
    reason: str
    status: int | None = None
    #: When (UTC, on the crawl's clock): a gone notice's ``gone_since``; None: on arrival.
    failed_at: str | None = None


@dataclass
class AttachmentItem:
    """An attachment download: the answer's bytes and headers, or why there was none.

    The writer judges, stores and reads it (``pipeline.attachments``); ``notice_url`` is the
    page that linked it, ``cap`` the size cap in force, ``error`` the failure's reason when
    the request ended without an answer (``too large``: over the cap).
    """

    url: str
    notice_url: str
    site: str
    status: int | None = None
    body: bytes = b""
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    fetched_at: str | None = None
    error: str | None = None
    cap: int = 0
    #: The WARC-Record-ID of the response it came in (crawler.capture), or None.
    warc_record_id: str | None = None
