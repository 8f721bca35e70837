"""Downloader middleware: every HTTP exchange of the crawl goes to the archive's WARC files.

``CaptureMiddleware`` sits next to the download handler (order 950: after every other
middleware on the way out, before every other on the way back), so it sees the request with
every header that is sent and the response as received: before HttpCompressionMiddleware
decodes the body, before redirects, retries and error handling. It adds nothing to the crawl's
work but one small object per response: the exchange (``pipeline.warc.Exchange``) travels to
the archive writer in the same pipe as the pages, in order, and the writer process writes the
WARC records (gzip, digests, index), off the crawl's core.

Any response a spider receives is captured the same way, whatever its callback: list pages,
detail pages, robots.txt, 304s, 404s and 5xx, redirects, attachments. A request that got no
response (a timeout, a refused connection) has nothing to capture. The response's record id is
left in ``response.meta["warc_record_id"]`` (redirected requests carry it on, and the last
response overwrites it), so the item made from a page names the record it came from.

Settings: ``ZWGK_WARC`` (False raises NotConfigured); capture also needs the archive pipeline
(``crawler.pipelines.ArchivePipeline`` enabled and ``ZWGK_DB`` set), whose writer it shares.
Stats: ``zwgk/warc/exchanges``, ``zwgk/warc/bytes`` (bodies as received).
"""

from __future__ import annotations

import logging

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response

from crawler.pipelines import writer_options
from crawler.recheck import spider_stamp
from pipeline.store.archive import utcnow
from pipeline.warc import Exchange, new_record_id
from pipeline.writer import Writer, WriterFailed

log = logging.getLogger(__name__)

PIPELINE = "crawler.pipelines.ArchivePipeline"
META_KEY = "warc_record_id"


class CaptureMiddleware:
    """Hands every request/response pair to the archive writer for WARC (see module doc)."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        settings = crawler.settings
        self.db_path = settings.get("ZWGK_DB")
        self.writer_options = writer_options(settings)
        self.writer: Writer | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CaptureMiddleware:
        settings = crawler.settings
        if not settings.getbool("ZWGK_WARC"):
            raise NotConfigured("ZWGK_WARC is off")
        if not settings.get("ZWGK_DB") or settings.getdict("ITEM_PIPELINES").get(PIPELINE) is None:
            raise NotConfigured("no archive to capture into (ZWGK_DB or ArchivePipeline off)")
        middleware = cls(crawler)
        crawler.signals.connect(middleware.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    def spider_opened(self, spider: Spider) -> None:
        # The archive pipeline opened (and started) the writer before this signal; its run is
        # the pipeline's to finish.
        self.writer = Writer.acquire(self.db_path, **self.writer_options, finishes=False)

    def spider_closed(self, spider: Spider) -> None:
        if self.writer is not None:
            self.writer.release()
            self.writer = None

    def process_response(self, request: Request, response: Response) -> Response:
        if self.writer is None:
            return response
        exchange = exchange_of(request, response, spider_stamp(self.crawler.spider) or utcnow())
        try:
            self.writer.exchange(exchange)
        except WriterFailed:  # the archive pipeline notices and closes the spider
            return response
        request.meta[META_KEY] = exchange.record_id
        self.stats.inc_value("zwgk/warc/exchanges")
        self.stats.inc_value("zwgk/warc/bytes", len(response.body))
        return response


def exchange_of(request: Request, response: Response, date: str) -> Exchange:
    """The exchange of a Scrapy request and the response it got, as received."""
    protocol = getattr(response, "protocol", None) or "HTTP/1.1"
    return Exchange(
        url=response.url,
        record_id=new_record_id(),
        date=date,
        status=response.status,
        body=response.body,
        method=request.method,
        protocol=protocol.upper() if protocol.lower().startswith("http/") else "HTTP/1.1",
        request_headers=_pairs(request.headers),
        response_headers=_pairs(response.headers),
    )


def _pairs(headers) -> list[tuple[bytes, bytes]]:
    # Scrapy's Headers is a dict of normalized names to lists of values: read as a plain dict,
    # the same pairs as Headers.items() at a third of the cost (it normalizes each name again).
    return [(name, value) for name, values in dict.items(headers) for value in values]
