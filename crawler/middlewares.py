"""Downloader middlewares: keep every request on the spider's own origins.

Scrapy's ``OffsiteMiddleware`` compares host names only (any port, either scheme), and drops an
offsite request when it is *scheduled* — a redirect to another host then vanishes without
reaching the request's errback. ``OriginMiddleware`` takes its place (order 50) and compares
scheme, host and port; it refuses in ``process_request``, so the errback sees every refusal,
redirects included (``request.meta["redirect_urls"]`` keeps the URLs that led there).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from urllib.parse import ParseResult, SplitResult, urlsplit

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.utils.httpobj import urlparse_cached

log = logging.getLogger(__name__)

Origin = tuple[str, str, int]  # scheme, host, port
DEFAULT_PORTS = {"http": 80, "https": 443}


class OffsiteRequest(IgnoreRequest):
    """A request refused because its origin is not one of the spider's.

    ``url`` is the refused URL; ``redirected_from`` the URL whose redirect led to it (the first
    of the chain), or None for a request the spider made itself.
    """

    def __init__(
        self, url: str, redirected_from: str | None = None, allowed: Iterable[str] = ()
    ) -> None:
        self.url = url
        self.redirected_from = redirected_from
        if redirected_from:
            message = f"offsite redirect to {url}"
        else:
            message = f"blocked: {url} is outside the spider's origins ({', '.join(allowed)})"
        super().__init__(message)


def origin_of(url: str) -> Origin | None:
    """``(scheme, host, port)`` of an http(s) URL, the port made explicit; None otherwise."""
    try:
        return _origin(urlsplit(url))
    except ValueError:
        return None


def spider_origins(spider: Spider) -> frozenset[Origin] | None:
    """The origins a spider may fetch from: its ``origins`` (URLs), else its ``base_url``.

    None when it declares neither: such a spider is not restricted. An origin on its scheme's
    default port also admits the same host on the other scheme's default port: government
    sites move from http to https (and redirect) without becoming another site; a different
    port is another server and stays refused.
    """
    urls: Iterable[str] | None = getattr(spider, "origins", None)
    if urls is None:
        base = getattr(spider, "base_url", None)
        urls = [base] if base else None
    if urls is None:
        return None
    found = {o for o in map(origin_of, urls) if o is not None}
    return frozenset(found | {_other_scheme(o) for o in found if o[2] == DEFAULT_PORTS[o[0]]})


def _other_scheme(origin: Origin) -> Origin:
    scheme = "https" if origin[0] == "http" else "http"
    return scheme, origin[1], DEFAULT_PORTS[scheme]


class OriginMiddleware:
    """Refuses every request whose scheme + host + port is not one of the spider's origins.

    Refused requests raise :class:`OffsiteRequest` (an ``IgnoreRequest``) naming the URL, so the
    request's errback records them: ``offsite redirect to URL`` when a redirect led there,
    ``blocked: URL …`` otherwise. Requests are refused before robots.txt is consulted, so an
    offsite origin never sees even a robots.txt request.

    Setting ``ZWGK_ORIGIN_FILTER`` (False raises NotConfigured: no origin check at all, as this
    middleware replaces Scrapy's host-only ``OffsiteMiddleware``). Spider attribute ``origins``
    (URLs whose origins are allowed); without it the origin of ``base_url``.
    Stats: ``zwgk/offsite/blocked`` (every refusal), ``zwgk/offsite/redirects`` (those reached
    through a redirect).
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self._spider: Spider | None = None
        self._origins: frozenset[Origin] | None = None
        self._logged: set[Origin | None] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> OriginMiddleware:
        if not crawler.settings.getbool("ZWGK_ORIGIN_FILTER"):
            raise NotConfigured("ZWGK_ORIGIN_FILTER is off")
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        origins = self._current_origins()
        if origins is None:
            return
        try:
            origin = _origin(urlparse_cached(request))
        except ValueError:
            origin = None
        if origin in origins:
            return
        redirects = request.meta.get("redirect_urls") or []
        self.stats.inc_value("zwgk/offsite/blocked")
        if redirects:
            self.stats.inc_value("zwgk/offsite/redirects")
        if origin not in self._logged:
            self._logged.add(origin)
            log.info("refusing requests to %s: not one of the spider's origins", request.url)
        allowed = sorted(f"{scheme}://{host}:{port}" for scheme, host, port in origins)
        raise OffsiteRequest(request.url, redirects[0] if redirects else None, allowed)

    def _current_origins(self) -> frozenset[Origin] | None:
        spider = self.crawler.spider
        if spider is not self._spider:
            self._spider, self._origins = spider, spider_origins(spider)
        return self._origins


def _origin(parts: SplitResult | ParseResult) -> Origin | None:
    """The origin of split URL parts; ValueError for a port out of range."""
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not parts.hostname:
        return None
    return scheme, parts.hostname.lower(), parts.port or DEFAULT_PORTS[scheme]
