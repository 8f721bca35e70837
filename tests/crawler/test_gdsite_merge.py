"""A document listed both in gkmlpt and in a column is one request carrying the catalogue fields,
whatever order Scrapy schedules the callbacks' requests in.

Scrapy consumes a callback's output through a bounded queue (CONCURRENT_ITEMS): the spider's
generator runs ahead of the scheduler, and another response's requests can reach the scheduler
before the tail of a catalogue page's. These tests run the real spider's callbacks on real
responses, then hand their requests to Scrapy's duplicate filter in the worst order, so the
request that wins is the one a crawl could archive.
"""

from __future__ import annotations

import asyncio
import itertools
import json
from collections.abc import Iterable

import pytest
from scrapy import Request
from scrapy.dupefilters import RFPDupeFilter
from scrapy.http import HtmlResponse, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.test import get_crawler
from twisted.python.failure import Failure

from crawler import apis
from crawler.spiders.gdsite import GdsiteSpider
from pipeline.sources import gkmlpt

BASE = "http://127.0.0.1:9/gd/www.jiangmen.gov.cn/bmpd/jmsczj/"
DOC = BASE + "zwgk/gzdt/content/post_2910726.html"
COLUMN_ONLY = BASE + "zwgk/gzdt/content/post_2800001.html"
IDENTIFIER = "11440700007062511E/2023-00008"


def article(post_id: int, column_path: str | None = "zwgk/gzdt") -> dict:
    """One gkmlpt list article, as the API answers it."""
    entry = {
        "id": post_id,
        "identifier": f"11440700007062511E/2023-{post_id % 100000:05d}",
        "title": "市财政局举办小额担保贷款贴息业务培训班",
        "date": 1681401600,
        "publisher": "江门市财政局",
        "classify_main_name": "工作动态",
        "url": f"/gd/www.jiangmen.gov.cn/bmpd/jmsczj/gkmlpt/content/2/2910/post_{post_id}.html",
        "created_at": "2023-04-21 16:55:20",
    }
    if column_path:
        entry["post_url"] = (
            f"/gd/www.jiangmen.gov.cn/bmpd/jmsczj/{column_path}/content/post_{post_id}.html"
        )
    return entry


DOC_ARTICLE = {**article(2910726), "identifier": IDENTIFIER}


def catalogue_page(request: Request, articles: list[dict]) -> TextResponse:
    body = {"classify": {"id": 0, "post_count": len(articles)}, "articles": articles}
    return TextResponse(
        request.url,
        body=json.dumps(body, ensure_ascii=False).encode(),
        encoding="utf-8",
        headers={"Content-Type": "application/json"},
        request=request,
    )


def column_page(request: Request, urls: Iterable[str]) -> HtmlResponse:
    items = "".join(f'<li><a href="{u}">工作动态</a><span>2023-04-21</span></li>' for u in urls)
    body = f'<html><body><ul class="list">{items}</ul></body></html>'
    return HtmlResponse(
        request.url,
        body=body.encode(),
        headers={"Content-Type": "text/html; charset=utf-8"},
        request=request,
    )


def not_found(request: Request) -> Failure:
    """What Scrapy hands the errback for a 404 (HttpErrorMiddleware's HttpError)."""
    response = TextResponse(request.url, status=404, body=b"", request=request)
    failure = Failure(HttpError(response, "Ignoring non-200 response"))
    failure.request = request
    return failure


@pytest.fixture
def make_spider(tmp_path):
    def make(profile: str = "jiangmen") -> GdsiteSpider:
        crawler = get_crawler(GdsiteSpider, {"ZWGK_DB": str(tmp_path / "absent.db")})
        spider = GdsiteSpider.from_crawler(crawler, profile=profile, base_url=BASE)
        crawler.spider = spider
        return spider

    return make


async def _all(requests) -> list[Request]:
    return [r async for r in requests]


def start_requests(spider: GdsiteSpider) -> dict[str, Request]:
    """The start requests by column name."""
    return {r.cb_kwargs["column"].name: r for r in asyncio.run(_all(spider.start()))}


def run(callback, response, request: Request) -> list:
    """The whole output of one callback: the spider's generator runs to its end before any of its
    requests is scheduled (what Scrapy's bounded output queue allows)."""
    return list(callback(response, **request.cb_kwargs))


def scheduled(*outputs: list) -> dict[str, Request]:
    """The request the scheduler keeps for each URL when the outputs reach it in this order."""
    dupefilter = RFPDupeFilter()
    kept: dict[str, Request] = {}
    for output in outputs:
        for request in output:
            if isinstance(request, Request) and not dupefilter.request_seen(request):
                kept[request.url] = request
    return kept


def assert_catalogue_fields(request: Request) -> None:
    assert request.meta["listing_source"] == gkmlpt.SOURCE
    assert request.meta["listing"]["identifier"] == IDENTIFIER
    assert request.meta["listing"]["publisher"] == "江门市财政局"


def test_a_column_page_parsed_before_the_catalogue_page_is_scheduled(make_spider):
    """The catalogue walk ended (its last page parsed) but its requests still wait in Scrapy's
    output queue when a column page lists the same document: the column's request goes first."""
    spider = make_spider()
    starts = start_requests(spider)
    catalogue = starts["gkmlpt 0"]
    column = starts["工作动态"]
    catalogue_out = run(spider.parse_list, catalogue_page(catalogue, [DOC_ARTICLE]), catalogue)
    column_out = run(spider.parse_list, column_page(column, [DOC, COLUMN_ONLY]), column)
    kept = scheduled(column_out, catalogue_out)
    assert_catalogue_fields(kept[DOC])
    assert kept[COLUMN_ONLY].meta["listing"] is None  # what the catalogue lacks stays plain


def test_deferred_column_requests_released_by_the_404_that_ends_the_walk(make_spider):
    """A full first page asks for page 2; its 404 ends the walk and releases the deferred column
    requests from the errback, whose output can reach the scheduler before page 1's tail."""
    spider = make_spider()
    starts = start_requests(spider)
    catalogue = starts["gkmlpt 0"]
    column = starts["工作动态"]
    filler = [article(3000000 + i, column_path=None) for i in range(apis.GKMLPT_PAGE_SIZE - 1)]
    column_out = run(spider.parse_list, column_page(column, [DOC]), column)
    page1_out = run(spider.parse_list, catalogue_page(catalogue, [*filler, DOC_ARTICLE]), catalogue)
    (page2,) = [r for r in page1_out if isinstance(r, Request) and "page=2" in r.url]
    errback_out = list(spider.on_error(not_found(page2)))
    kept = scheduled(column_out, errback_out, page1_out)
    assert_catalogue_fields(kept[DOC])
    assert not spider._deferred  # nothing left for the idle safety net


@pytest.mark.parametrize("order", list(itertools.permutations(range(3))))
def test_every_scheduling_order_keeps_the_same_requests(make_spider, order):
    """Column pages parsed before and after the catalogue page, their outputs scheduled in every
    order: each document's kept request is the same, with the catalogue's fields."""
    spider = make_spider()
    starts = start_requests(spider)
    catalogue, tzgg, gzdt = starts["gkmlpt 0"], starts["通知公告"], starts["工作动态"]
    notice = BASE + "zwgk/tzgg/content/post_2910800.html"
    articles = [DOC_ARTICLE, {**article(2910800, "zwgk/tzgg"), "identifier": IDENTIFIER}]
    outputs = [
        run(spider.parse_list, column_page(tzgg, [notice]), tzgg),
        run(spider.parse_list, catalogue_page(catalogue, articles), catalogue),
        run(spider.parse_list, column_page(gzdt, [DOC, COLUMN_ONLY]), gzdt),
    ]
    kept = scheduled(*(outputs[i] for i in order))
    for url in (DOC, notice):
        assert_catalogue_fields(kept[url])
        assert kept[url].cb_kwargs["column"].name == "gkmlpt 0"
    assert kept[COLUMN_ONLY].cb_kwargs["column"].name == "工作动态"
