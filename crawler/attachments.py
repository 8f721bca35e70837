"""Attachment downloads: which links of a detail page are files to fetch, and their requests.

The spider asks for each attachment a detail page links (``attachment_links``: a cheap scan of
the raw bytes for hrefs to document files or download handlers, no parse on the crawl's one
core), through Scrapy like any page (robots.txt, AutoThrottle, retries, the origin filter).
Each request carries the size cap (``ZWGK_ATTACHMENT_MAX_BYTES`` as its ``download_maxsize``:
Scrapy stops a larger download, by Content-Length or by the bytes received, and the writer
records it ``skipped``). What comes back goes to the archive writer as an ``AttachmentItem``.

An attachment the archive already holds (stored, not extracted, skipped, or a broken link:
``memory.settled_attachments``) is not requested again; a failed one (timeout, 5xx) is, when
its page is fetched again, and so are broken links on a ``--full`` crawl, which also revalidates
stored files with their ETag / Last-Modified (a 304 downloads nothing; a file replaced at its
URL is downloaded and stored anew).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Response, TextResponse
from w3lib.encoding import to_unicode

from crawler.items import AttachmentItem
from crawler.memory import conditional_headers

#: Extensions of the files the archive downloads (issue list: office, pdf, ofd and archives).
EXTENSIONS = frozenset({"pdf", "doc", "docx", "xls", "xlsx", "wps", "et", "ofd", "zip", "rar"})
#: A link worth resolving: an ``href`` whose value names a document file (``.pdf`` …) or a
#: download handler, matched in the page's bytes folded to lower case (``bytes.lower`` touches
#: only A-Z, so the offsets are the page's own and the value is sliced from the page as
#: written): one pass at C speed finds only those, about 0.4 of the 15 links a replica detail
#: page has. A literal ``href`` lets the engine skip from one to the next; matching it
#: case-insensitively instead (``HREF``, ``Href`` in older pages) was 4x slower, and testing every
#: link in Python (a match object and a second search each) 2x.
_EXTENSION_ALTERNATION = b"|".join(e.encode() for e in sorted(EXTENSIONS))
_FILE_HREF = re.compile(
    rb"""href\s*=\s*["']([^"'<>]{0,8000}?(?:\.(?:"""
    + _EXTENSION_ALTERNATION
    + rb""")\b|download)[^"'<>]{0,8000})["']"""
)
MAX_HREF = 8000  # longer values are not links (the old pattern's bound)
#: A JSON file list's URL (``"fileUrl": "…"``) and a link inside HTML held in a JSON string.
_JSON_FILE = re.compile(rb'"fileUrl"\s*:\s*"([^"<>]{1,8000})"')
_JSON_HREF = re.compile(rb"""href\s*=\s*\\["']((?:[^"'<>\\]|\\/){1,8000})\\["']""")
_HANDLER = re.compile(r"downfile\.jsp|/download\b|download\.(?:jsp|do|aspx?)", re.IGNORECASE)
#: A cheap test of a JSON value's raw bytes before it is resolved (most links are navigation).
_MAYBE = re.compile(rb"\.(?:" + _EXTENSION_ALTERNATION + rb")\b|download", re.IGNORECASE)
#: The same priority as detail pages: Scrapy's queue is last-in first-out, so a page's
#: attachments are fetched right after it and reach the writer in the page's batch, where the
#: notice is indexed once with their text. At -5 (after every page) they waited in the queue to
#: the end of the crawl (memory growing with the site) and each notice with a file was indexed,
#: taken out and indexed again (8% of the writer's CPU).
PRIORITY = 0


def attachment_links(response: Response) -> list[str]:
    """Absolute URLs of the attachment files a detail page links, in page order, once each: the
    ``href`` of its links, and for a platform's JSON answer the ``fileUrl`` of its file list
    (广东省政府采购网's ``attchList``; the ``content`` HTML inside a JSON string escapes its
    quotes, so its links are found by the second pattern too)."""
    if not isinstance(response, TextResponse):
        return []
    found: dict[str, None] = {}
    encoding = response.encoding
    body = response.body
    raws = [body[m.start(1) : m.end(1)] for m in _FILE_HREF.finditer(body.lower())]
    request = response.request
    if request is not None and request.meta.get("format", "html") != "html":
        escaped = [*_JSON_FILE.finditer(body), *_JSON_HREF.finditer(body)]
        raws = [m.group(1) for m in escaped if _MAYBE.search(m.group(1))] + raws
    for raw in raws:
        if len(raw) > MAX_HREF:
            continue
        raw = raw.replace(b"\\/", b"/")  # JSON may escape slashes
        # Decoded as Scrapy decodes the page's text: w3lib 2.6 names a page declared gb2312 or
        # gbk "gbk" and decodes it as browsers do (GB18030), where Python's gbk codec would
        # turn a four-byte character of a file name into replacement characters.
        href = html.unescape(to_unicode(raw, encoding)).strip()
        if href.startswith(("javascript:", "mailto:", "#")):
            continue
        url = response.urljoin(href)
        if url.startswith(("http://", "https://")) and is_attachment_url(url):
            found.setdefault(url, None)
    return list(found)


def is_attachment_url(url: str) -> bool:
    """A link to a file the archive downloads: by its path's extension, or a download handler."""
    parts = urlsplit(url)
    name = parts.path.rsplit("/", 1)[-1]
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return ext in EXTENSIONS or bool(_HANDLER.search(parts.path))


def requests_for(spider: Any, response: Response) -> Iterator[scrapy.Request | AttachmentItem]:
    """The attachment requests for a detail page (none when the spider downloads none), and an
    item for each link Scrapy could not request."""
    if not getattr(spider, "download_attachments", False):
        return
    longest = spider.settings.getint("URLLENGTH_LIMIT")
    for url in attachment_links(response):
        if url in spider.settled_attachments:
            spider.crawler.stats.inc_value("zwgk/attachments/held")
            continue
        if 0 < longest < len(url):  # Scrapy would drop the request without a word
            reason = f"url over URLLENGTH_LIMIT ({longest} characters)"
            yield failed_item(spider, url, response.url, reason, status="skipped")
            continue
        yield scrapy.Request(
            url,
            callback=spider.parse_attachment,
            errback=spider.on_attachment_error,
            cb_kwargs={"notice_url": response.url},
            priority=PRIORITY,
            headers=conditional_headers(spider.attachment_validators.get(url)),
            meta={
                "download_maxsize": spider.attachment_cap,
                "download_warnsize": spider.attachment_cap,
                "handle_httpstatus_list": [304, 404, 410],
                "notice_url": response.url,
            },
        )


def item_of(spider: Any, response: Response, notice_url: str) -> AttachmentItem:
    """What the writer needs of an answer (its bytes as received, its headers)."""
    spider.crawler.stats.inc_value(f"zwgk/attachments/status/{response.status}")
    return AttachmentItem(
        url=response.request.url if response.request else response.url,
        notice_url=notice_url,
        site=spider.site,
        status=response.status,
        body=response.body,
        content_type=_text(response.headers.get(b"Content-Type")),
        etag=_text(response.headers.get(b"ETag")),
        last_modified=_text(response.headers.get(b"Last-Modified")),
        fetched_at=spider.clock.stamp(),
        cap=spider.attachment_cap,
        warc_record_id=response.meta.get("warc_record_id"),
    )


def failed_item(
    spider: Any, url: str, notice_url: str, reason: str, status: str = "failed"
) -> AttachmentItem:
    """A download that ended without an answer (timeout, over the cap, a 5xx after retries),
    or was never asked for (``status`` skipped)."""
    spider.crawler.stats.inc_value(f"zwgk/attachments/{status}")
    error = "too large" if reason.startswith("too large") else reason
    if status != "failed":
        error = f"{status}: {reason}"
    return AttachmentItem(
        url=url,
        notice_url=notice_url,
        site=spider.site,
        status=None,
        body=b"",
        fetched_at=spider.clock.stamp(),
        error=error,
        cap=spider.attachment_cap,
    )


def _text(value: bytes | None) -> str | None:
    return value.decode("latin-1") if value else None
