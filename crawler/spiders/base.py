"""The list → detail flow shared by every column-based government site.

A concrete site is mostly class attributes: ``name``, ``site_title``, ``base_url`` (the real
site), ``replica_path`` (its prefix on the bundled replica server) and ``columns``
(``Column(name, path, family)``, the family one of ``crawler.families``). The spider knows
*where* links are, by asking the column's family; what a page *means* is decided later by
``pipeline.extract`` in the archive writer.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any, ClassVar
from urllib.parse import urljoin, urlsplit

import scrapy
from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from scrapy.http import Response

from crawler import attachments, failures, recheck
from crawler.families import TRS, ListFamily
from crawler.items import FailureItem, NotModifiedItem, PageItem
from crawler.memory import (
    Validators,
    attachment_validators,
    conditional_headers,
    settled_attachments,
    site_memory,
)
from crawler.recheck import CrawlClock, RecheckPolicy
from pipeline.extract.decode import content_type_charset


@dataclass(frozen=True)
class Column:
    """A column (栏目) of a site: its name, list path relative to the site base, and the CMS
    family whose list pages it has (see crawler.families)."""

    name: str
    path: str
    family: ListFamily = TRS


SHARED_LIST_PRIORITY = 10


class ColumnSpider(scrapy.Spider):
    """Crawls every page of every column of one site and every detail page it lists."""

    site_title: ClassVar[str] = ""
    base_url: ClassVar[str] = ""
    replica_path: ClassVar[str] = ""
    cms: ClassVar[str] = ""
    site_kind: ClassVar[str] = "bureau"
    columns: ClassVar[tuple[Column, ...]] = ()
    timezone: ClassVar[str] = "Asia/Shanghai"
    max_list_pages: int = 2000
    validators: ClassVar[Validators] = {}
    #: URLs the archive already holds: with any, list pages are walked one after another and a
    #: column stops at the first page that lists nothing new (incremental re-crawl).
    known: ClassVar[set[str]] = set()
    #: Only notices listed on or after this date (``zwgk crawl --since``); None: all.
    since: dt.date | None = None
    #: Only notices listed on or before this date (``zwgk crawl --until``); None: all.
    until: dt.date | None = None
    #: URLs the archive holds whose recheck is not due (``ZWGK_RECHECK``, crawler.recheck):
    #: not requested when a list shows them. Empty unless the re-crawl is incremental.
    fresh: ClassVar[frozenset[str]] = frozenset()
    #: Today for the recheck policy, and the stamps of captures (``ZWGK_TODAY`` in replica runs).
    clock: CrawlClock = CrawlClock()
    #: Notices the archive holds only in part: fetched first, whatever the lists say.
    repair: ClassVar[list[str]] = []
    #: Keep only list items whose text (title, 地域, 采购人 …) holds one of these words (a
    #: national list filtered to the city); empty: keep every item.
    keep_words: tuple[str, ...] = ()
    #: URLs of origins besides ``base_url``'s that this site's pages live on (e.g. the https
    #: twin of an http site that redirects there); see ``origins``.
    extra_origins: ClassVar[tuple[str, ...]] = ()
    #: Whether held notices no list led to in this run are fetched by their own URL when their
    #: recheck is due (a withdrawn notice leaves the lists; only its URL tells it is gone). Off
    #: for sites whose detail requests carry what a list said (gkmlpt's catalogue fields, an
    #: API's JSON format): a bare request would not read the page the same way.
    recheck_unlisted: ClassVar[bool] = True
    #: Download the attachments detail pages link (``ZWGK_ATTACHMENTS``), each up to
    #: ``attachment_cap`` bytes (``ZWGK_ATTACHMENT_MAX_BYTES``); ``settled_attachments``: URLs
    #: the archive holds already (crawler/attachments.py).
    download_attachments: bool = False
    attachment_cap: int = 50 * 1024 * 1024
    settled_attachments: ClassVar[set[str]] = set()
    #: Stored attachments a ``--full`` crawl revalidates (If-None-Match / If-Modified-Since).
    attachment_validators: ClassVar[Validators] = {}
    #: Whether the request queue is shared by many workers (scale-out, ``ZWGK_REDIS_URL``).
    shared_queue: bool = False

    @property
    def list_priority(self) -> int:
        """List pages have the priority of detail pages: Scrapy's queue is last-in first-out,
        so a list page's details are fetched before the next list page, and the queue holds one
        list page's worth of details, not the site's (with lists first, at scale 20,000 the
        crawl held every detail request of the site at once: most of its 320 MB). In a shared
        Redis queue, whose order within a priority is arbitrary, lists go first."""
        return SHARED_LIST_PRIORITY if self.shared_queue else 0

    def __init__(self, *args: Any, base_url: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._unlisted_done = False
        #: URLs the archive holds (live or gone) whose recheck is due this run, less those
        #: requested so far: what is left when the lists are walked is requested on its own
        #: (``recheck_unlisted``). A set that shrinks, not one of every URL requested (at scale
        #: 100,000 that one grew to 370,000 URLs).
        self.held_due: set[str] = set()
        if base_url:
            self.base_url = base_url if base_url.endswith("/") else base_url + "/"
        # Kept for tools that read it; crawler.middlewares.OriginMiddleware enforces ``origins``.
        self.allowed_domains = [urlsplit(url).hostname for url in self.origins]

    @property
    def origins(self) -> tuple[str, ...]:
        """URLs whose origins (scheme, host, port) the crawl may fetch from: ``base_url``'s and
        ``extra_origins`` (enforced by crawler.middlewares.OriginMiddleware)."""
        return (self.base_url, *self.extra_origins)

    @classmethod
    def from_crawler(cls, crawler, *args: Any, **kwargs: Any):
        replica = crawler.settings.get("ZWGK_REPLICA_URL")
        if replica and not kwargs.get("base_url"):
            kwargs["base_url"] = cls.replica_base_url(replica)
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.max_list_pages = crawler.settings.getint("ZWGK_MAX_LIST_PAGES")
        since, until = crawler.settings.get("ZWGK_SINCE"), crawler.settings.get("ZWGK_UNTIL")
        if since:
            spider.since = dt.date.fromisoformat(str(since))
        if until:
            spider.until = dt.date.fromisoformat(str(until))
        spider.clock = CrawlClock.from_settings(crawler.settings)
        if crawler.settings.get("ZWGK_REDIS_URL"):  # a shared queue: every list page first
            spider.shared_queue = True
        policy = RecheckPolicy.parse(crawler.settings.get("ZWGK_RECHECK", recheck.DEFAULT))
        db = crawler.settings.get("ZWGK_DB")
        started = time.monotonic()
        memory = site_memory(db, spider.site)  # one read of the site's notices
        spider.repair = memory.repair
        if crawler.settings.getbool("ZWGK_CONDITIONAL"):
            spider.validators = memory.validators
        if crawler.settings.getbool("ZWGK_INCREMENTAL"):
            spider.known = memory.known
        spider.download_attachments = crawler.settings.getbool("ZWGK_ATTACHMENTS")
        spider.attachment_cap = crawler.settings.getint("ZWGK_ATTACHMENT_MAX_BYTES")
        if spider.download_attachments:
            incremental = crawler.settings.getbool("ZWGK_INCREMENTAL")  # --full: retry broken
            settled = settled_attachments(db, spider.site, incremental)
            if not incremental:  # the weekly sweep: a file replaced at its URL is caught
                spider.attachment_validators = attachment_validators(db, spider.site)
                settled -= spider.attachment_validators.keys()
            spider.settled_attachments = settled
        unlisted = spider.recheck_unlisted and not (spider.since or spider.until)
        idle: set[str] = set()  # held notices not due for a recheck (a full crawl: none)
        if spider.known:  # an incremental re-crawl: pages the archive holds only when due
            idle = policy.not_due(spider.clock.today(), memory.held)
            spider.fresh = frozenset((idle & memory.live).difference(spider.repair))
        if unlisted:
            spider.held_due = {row[0] for row in memory.held} - idle
            crawler.signals.connect(spider.recheck_unlisted_notices, signal=signals.spider_idle)
        if memory.held:  # a large archive takes seconds here, before the first request
            spider.logger.info(
                "the archive holds %d notices of %s (%d live, %d held in part, %d not due for a"
                " recheck, %d attachments settled): read in %.1f s",
                len(memory.held),
                spider.site,
                len(memory.live),
                len(memory.repair),
                len(idle),
                len(spider.settled_attachments),
                time.monotonic() - started,
            )
        return spider

    @classmethod
    def replica_base_url(cls, replica_url: str) -> str:
        """This site's base URL on a replica server at ``replica_url``."""
        return urljoin(replica_url.rstrip("/") + "/", cls.replica_path)

    @property
    def site(self) -> str:
        return self.name

    @property
    def site_profile(self) -> dict[str, str]:
        return {
            "name": self.site,
            "title": self.site_title,
            "base_url": self.base_url,
            "kind": self.site_kind,
            "cms": self.cms,
        }

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for url in self.repair:
            yield self._detail_request(url, column=None)
        if self.repair:
            self.logger.info("refetching %d notices the archive holds in part", len(self.repair))
        for column in self.columns:
            yield self._list_request(urljoin(self.base_url, column.path), column, first=True)

    # -- list pages -------------------------------------------------------------------------
    def _list_request(
        self,
        url: str,
        column: Column,
        first: bool = False,
        pending: tuple[str, ...] = (),
        end_on_404: bool = False,
    ) -> scrapy.Request:
        return scrapy.Request(
            url,
            callback=self.parse_list,
            errback=self.on_error,
            cb_kwargs={"column": column, "first": first, "pending": pending},
            priority=self.list_priority,
            meta={"end_on_404": end_on_404},
        )

    def parse_list(
        self, response: Response, column: Column, first: bool, pending: tuple[str, ...] = ()
    ):
        family = column.family
        items = family.item_urls(response)
        self._count_listed(response, column, len(items))
        dates = family.item_dates(response) if self.since or self.until else {}
        ahead = self._ahead(items, dates)
        if self.keep_words and hasattr(family, "item_texts"):
            items = self._kept(items, family.item_texts(response))
        items = [u for u in items if self._in_window(dates.get(u))]
        if hasattr(family, "next_url"):  # an API: one page after another
            yield from self._next_api_page(family.next_url(response), column, items, ahead)
        else:
            more = family.more_urls(response, self.max_list_pages) if first else []
            yield from self._more_list_pages(more, column, items, pending, ahead)
        fields = family.item_fields(response) if hasattr(family, "item_fields") else {}
        for url in self._due(items):
            request = self.item_request(url, column, fields.get(url))
            if request is not None:
                yield request

    def _in_window(self, day: dt.date | None) -> bool:
        """Whether an item listed on ``day`` lies within ``since`` … ``until`` (an item the list
        shows no date for is kept)."""
        if day is None:
            return True
        return (not self.since or day >= self.since) and (not self.until or day <= self.until)

    def _ahead(self, items: list[str], dates: dict[str, dt.date]) -> bool:
        """Whether every item of a list page is newer than ``until``: lists are newest first,
        so the window lies further down and the walk goes on."""
        until = self.until
        return (
            bool(items)
            and until is not None
            and all(u in dates and dates[u] > until for u in items)
        )

    def _due(self, items: list[str]) -> list[str]:
        """The listed URLs to request: all but those the archive holds and need no recheck."""
        if not self.fresh:
            return items
        due = [u for u in items if u not in self.fresh]
        stats = getattr(getattr(self, "crawler", None), "stats", None)
        if stats is not None:
            stats.inc_value("zwgk/pages/not_due", len(items) - len(due))
        return due

    def _more_list_pages(
        self,
        more: list[str],
        column: Column,
        items: list[str],
        pending: tuple[str, ...],
        ahead: bool = False,
    ):
        """The column's next list page, once this one's details are queued: one list page at a
        time, so the queue (last in, first out) holds one page's details, not the column's
        list pages (at scale 100,000 the first pages of the TRS columns queued ~18,000 list
        requests at once). An incremental walk stops where the lists stop paying. In a shared
        Redis queue every list page goes at once (order there is by priority only)."""
        pending = pending or tuple(more)
        if not pending:
            return
        incremental = bool(self.known or self.since)
        if incremental and not (ahead or self._next_page_pays(items)):
            self.crawler.stats.inc_value("zwgk/lists/stopped_early")
        elif self.shared_queue and not incremental:
            for url in reversed(pending):  # the queue's order within a priority is arbitrary
                yield self._list_request(url, column)
        else:
            yield self._next_list_request(pending, column)

    def _next_list_request(self, pending: tuple[str, ...], column: Column) -> scrapy.Request:
        """The first of the column's pending list pages, carrying the rest."""
        return self._list_request(pending[0], column, pending=pending[1:])

    def _next_api_page(
        self, next_url: str | None, column: Column, items: list[str], ahead: bool = False
    ):
        if next_url and (ahead or self._next_page_pays(items)):
            yield self._list_request(next_url, column, end_on_404=True)
        elif next_url:
            self.crawler.stats.inc_value("zwgk/lists/stopped_early")

    def _count_listed(self, response: Response, column: Column, served: int) -> None:
        """Items each list served, against what it announced (an API's ``post_count``)."""
        stats = getattr(getattr(self, "crawler", None), "stats", None)
        if stats is None:  # a spider made without a crawler (tests)
            return
        stats.inc_value(f"zwgk/lists/{column.name}/served", served)
        announced = getattr(column.family, "announced", None)
        count = announced(response) if announced else None
        if count is not None:
            stats.max_value(f"zwgk/lists/{column.name}/announced", count)

    def item_request(
        self, url: str, column: Column | None, fields: dict | None = None
    ) -> scrapy.Request | None:
        """The request for one listed document (a subclass may defer or drop it)."""
        return self._detail_request(url, column, fields)

    def _detail_request(
        self, url: str, column: Column | None, fields: dict | None = None
    ) -> scrapy.Request:
        family = column.family if column else None
        self.held_due.discard(url)  # requested: not unlisted
        return scrapy.Request(
            url,
            callback=self.parse_detail,
            errback=self.on_error,
            cb_kwargs={"column": column},
            headers=conditional_headers(self.validators.get(url)),
            meta={
                "handle_httpstatus_list": [304],
                "listing": fields,
                "listing_source": family.name if fields and family else None,
                "format": getattr(family, "detail_format", "html"),
            },
        )

    def recheck_unlisted_notices(self, spider=None) -> None:
        """Once the lists are walked (the spider is idle): request, by its own URL, each held
        notice due for a recheck that no list led to, once per run. A 404 or 410 marks it gone;
        a notice that answers again with its old content is live again (``returned``)."""
        if self._unlisted_done:
            return
        self._unlisted_done = True
        unlisted = sorted(self.held_due)
        if not unlisted:
            return
        self.crawler.stats.set_value("zwgk/pages/unlisted_rechecked", len(unlisted))
        self.logger.info("rechecking %d held notices no list showed", len(unlisted))
        for url in unlisted:
            self.crawler.engine.crawl(self._detail_request(url, column=None))
        raise DontCloseSpider

    def _kept(self, items: list[str], texts: dict[str, str]) -> list[str]:
        kept = [u for u in items if any(word in texts.get(u, "") for word in self.keep_words)]
        stats = getattr(getattr(self, "crawler", None), "stats", None)
        if stats is not None:
            stats.inc_value("zwgk/lists/filtered_out", len(items) - len(kept))
        return kept

    def _next_page_pays(self, items: list[str]) -> bool:
        """Go on to the next list page only if this one listed something in range that is new
        or due for a recheck.

        Lists are newest first: a page with nothing the archive lacks or must recheck
        (incremental re-crawl), or with nothing on or after ``since`` (items older than it were
        dropped above), ends the walk. Pages wholly newer than ``until`` do not get here.
        """
        if not items:
            return False
        return not self.known or any(u not in self.known or u not in self.fresh for u in items)

    # -- detail pages -----------------------------------------------------------------------
    def parse_detail(self, response: Response, column: Column | None):
        if response.status == 304:
            yield NotModifiedItem(url=response.url, site=self.site, fetched_at=self.clock.stamp())
            return
        yield PageItem(
            url=response.url,
            site=self.site,
            body=response.body,
            status=response.status,
            encoding=content_type_charset(response.headers.get(b"Content-Type")),
            content_type=_text(response.headers.get(b"Content-Type")),
            fetched_at=self.clock.stamp(),
            column=column.name if column else None,
            etag=_text(response.headers.get(b"ETag")),
            last_modified=_text(response.headers.get(b"Last-Modified")),
            format=response.meta.get("format", "html"),
            listing=response.meta.get("listing"),
            listing_source=response.meta.get("listing_source"),
            warc_record_id=response.meta.get("warc_record_id"),
        )
        yield from attachments.requests_for(self, response)

    def parse_attachment(self, response: Response, notice_url: str):
        if response.status == 304:  # revalidated: the stored file is current
            self.crawler.stats.inc_value("zwgk/attachments/not_modified")
            return
        yield attachments.item_of(self, response, notice_url)

    def on_attachment_error(self, failure):
        """A download that got no answer: recorded on the attachment, never a fetch failure
        (the notice itself is archived)."""
        request = failure.request
        _, reason = failures.describe(failure, self.attachment_cap)
        self.logger.info("attachment not downloaded %s: %s", request.url, reason)
        notice_url = request.meta.get("notice_url", "")
        yield attachments.failed_item(self, request.url, notice_url, reason)

    def on_error(self, failure):
        """A FailureItem for the URL the spider asked for (the first of a redirect chain), with
        the reason in words (see crawler.failures): every URL ends as a notice or a failure."""
        request = failure.request
        url = failures.original_url(request)
        maxsize = request.meta.get("download_maxsize", self.settings.getint("DOWNLOAD_MAXSIZE"))
        status, reason = failures.describe(failure, maxsize)
        if status == 404 and request.meta.get("end_on_404"):  # past what an API serves
            self.crawler.stats.inc_value("zwgk/lists/ended_by_404")
            self.logger.info("list ends at %s (404: past what the site serves)", url)
            return
        self.logger.warning("failed %s: %s", url, reason)
        yield FailureItem(
            url=url, site=self.site, reason=reason, status=status, failed_at=self.clock.stamp()
        )
        pending = request.cb_kwargs.get("pending") if request.callback == self.parse_list else ()
        if pending:  # a failed list page does not end the column's walk
            yield self._next_list_request(pending, request.cb_kwargs["column"])


def _text(value: bytes | None) -> str | None:
    return value.decode("latin-1") if value else None
