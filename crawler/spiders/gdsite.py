"""Spider for the Guangdong government site group: NFCMS columns and the gkmlpt catalogue."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urljoin

import scrapy
from scrapy import signals
from scrapy.exceptions import DontCloseSpider

from crawler import apis
from crawler.families import GKMLPT, NFCMS
from crawler.profiles import DEFAULT, PROFILES, GdProfile
from crawler.scale.gate import AFTER, GATE, OPENS
from crawler.spiders.base import Column, ColumnSpider


def profile_columns(profile: GdProfile) -> tuple[Column, ...]:
    """The gkmlpt categories (walked first), then the NFCMS columns of a profile."""
    catalogue = tuple(
        Column(f"gkmlpt {category}", apis.gkmlpt_list_path(profile.sid, category), GKMLPT)
        for category in profile.gkmlpt_categories
    )
    return catalogue + tuple(Column(name, path, NFCMS) for name, path in profile.columns)


def profile_named(name: str) -> GdProfile:
    if name not in PROFILES:
        known = ", ".join(sorted(PROFILES))
        raise ValueError(f"unknown gdsite profile {name!r}; known: {known}")
    return PROFILES[name]


class GdsiteSpider(ColumnSpider):
    """Guangdong government site group (广东省政府网站集约化平台): one site per profile.

    Publisher: the site's departments (湛江市财政局 for the default profile). Source: the
    profile's base URL (crawler/profiles.py; default https://www.zhanjiang.gov.cn/ with the
    finance bureau's 财政预决算 columns and the portal's gkmlpt 政府信息公开目录, SID 759001;
    ``gdsite:zs-czj`` https://czj.zs.gov.cn/, ``gdsite:jiangmen``
    https://www.jiangmen.gov.cn/bmpd/jmsczj/). The gkmlpt list API is walked first: its catalogue
    fields (文号, 索引号, 发布机构, 成文日期, 发布日期) travel with each document; documents listed
    only in a column are fetched once the catalogue walk is done, and a document reached both
    ways is one request (the catalogue's, whichever list reached it first) and one notice.
    Caveats: nothing was seen live; the list pages and the non-budget column paths are inferred
    (docs/sites.md); gkmlpt serves a recent slice only (a 404 ends a category's walk, the stats
    say how much of ``post_count`` was served).
    """

    recheck_unlisted = False  # its detail requests carry the list's fields or format

    name = "gdsite"
    cms = "NFCMS + gkmlpt (Guangdong site group)"
    site_kind = "bureau"
    # The default profile's, at class level (the spider registry reads them there):
    site_title = PROFILES[DEFAULT].title
    base_url = PROFILES[DEFAULT].base_url
    replica_path = PROFILES[DEFAULT].replica_path
    columns = profile_columns(PROFILES[DEFAULT])

    def __init__(self, *args: Any, profile: str = DEFAULT, **kwargs: Any) -> None:
        self.profile = profile_named(profile)
        kwargs.setdefault("base_url", self.profile.base_url)
        super().__init__(*args, **kwargs)
        self.site_title = self.profile.title
        self.replica_path = self.profile.replica_path
        self.columns = profile_columns(self.profile)
        # Catalogue list pages not yet parsed: every category's first page counts from the
        # start, each further page from when its request is made, so the count reaches zero
        # only once every catalogue entry is known (however lazily start() is consumed).
        self._catalogue_open = sum(column.family is GKMLPT for column in self.columns)
        self._catalogue: dict[str, tuple[Column, dict | None]] = {}
        self._deferred: list[tuple[str, Column | None]] = []

    @classmethod
    def from_crawler(cls, crawler, *args: Any, **kwargs: Any):
        replica = crawler.settings.get("ZWGK_REPLICA_URL")
        if replica and not kwargs.get("base_url"):
            profile = profile_named(kwargs.get("profile", DEFAULT))
            kwargs["base_url"] = urljoin(replica.rstrip("/") + "/", profile.replica_path)
        # Scale-out workers share one queue (``shared_queue``): the catalogue-first order is
        # kept in Redis by the scheduler (crawler.scale.gate), not in this process's memory.
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.on_idle, signal=signals.spider_idle)
        return spider

    @property
    def site(self) -> str:
        return self.profile.name

    # -- the catalogue first, then what only the columns list -----------------------------
    # Scrapy schedules a callback's requests after its generator has run ahead (through a
    # queue of CONCURRENT_ITEMS), so the catalogue's requests may reach the scheduler after a
    # column's. The merge therefore lives in the requests, not in their order: once the catalogue
    # lists a document, every request for it is the catalogue's request, fields and all.
    def _list_request(
        self,
        url: str,
        column: Column,
        first: bool = False,
        pending: tuple[str, ...] = (),
        end_on_404: bool = False,
    ) -> scrapy.Request:
        if column.family is GKMLPT and not first:  # a first page is counted from the start
            self._catalogue_open += 1
        request = super()._list_request(url, column, first, pending, end_on_404)
        if column.family is GKMLPT:
            request.meta[GATE] = OPENS
        return request

    def parse_list(self, response, column: Column, first: bool, pending: tuple[str, ...] = ()):
        yield from super().parse_list(response, column, first, pending)
        if column.family is GKMLPT:
            yield from self._catalogue_page_done()

    def on_error(self, failure):
        yield from super().on_error(failure)
        column = failure.request.cb_kwargs.get("column")
        if failure.request.callback == self.parse_list and column and column.family is GKMLPT:
            yield from self._catalogue_page_done()

    def item_request(
        self, url: str, column: Column | None, fields: dict | None = None
    ) -> scrapy.Request | None:
        if column is not None and column.family is GKMLPT:
            self._catalogue.setdefault(url, (column, fields))
        elif self.shared_queue:  # held in Redis until the catalogue is walked, by every worker
            request = self._document_request(url, column)
            if request is not None:
                request.meta[GATE] = AFTER
            return request
        elif self._catalogue_open > 0:
            self._deferred.append((url, column))  # the catalogue may still list it
            return None
        return self._document_request(url, column)

    def _document_request(self, url: str, column: Column | None) -> scrapy.Request | None:
        """The one request for a document: the catalogue's entry when it lists the document
        (every copy equal, so the duplicate filter keeps the same one whichever comes first)."""
        column, fields = self._catalogue.get(url, (column, None))
        return super().item_request(url, column, fields)

    def _catalogue_page_done(self) -> Iterator[scrapy.Request]:
        self._catalogue_open -= 1
        if self._catalogue_open <= 0:
            yield from self._release_deferred()

    def _release_deferred(self) -> Iterator[scrapy.Request]:
        deferred, self._deferred = self._deferred, []
        for url, column in deferred:
            request = self._document_request(url, column)
            if request is not None:
                yield request

    def on_idle(self, spider) -> None:
        """Safety net: never close with column documents still waiting."""
        if self._deferred:
            for request in self._release_deferred():
                self.crawler.engine.crawl(request)
            raise DontCloseSpider
