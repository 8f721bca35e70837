"""CMS families: each reads its own list pages, and the spider asks only its column's family."""

from __future__ import annotations

import asyncio
import datetime as dt
import pickle
from dataclasses import dataclass
from typing import ClassVar

import pytest
import scrapy
from scrapy.http import HtmlResponse, TextResponse

from crawler.families import HANWEB, TRS
from crawler.spiders.base import Column
from crawler.spiders.ccgp import CcgpSpider
from crawler.spiders.zjczj import ZjczjSpider
from tests.crawler.listpages import BASE, CCGP_PAGE, CCGP_URL, HANWEB_URL, TRS_PAGE
from tests.crawler.listpages import HANWEB as HANWEB_PAGE


def page(url: str, text: str, encoding: str = "utf-8") -> HtmlResponse:
    """A list page as the crawl gets it: bytes plus a Content-Type header naming the charset."""
    headers = {"Content-Type": f"text/html; charset={encoding}"}
    return HtmlResponse(url, body=text.encode(encoding), headers=headers)


TRS_LIST = page(BASE, TRS_PAGE)
CCGP_LIST = page(CCGP_URL, CCGP_PAGE)
HANWEB_LIST = page(HANWEB_URL, HANWEB_PAGE)
CZJ = "http://127.0.0.1:8800/czj/"


# -- TRS ------------------------------------------------------------------------------------
def test_trs_item_urls():
    assert TRS.item_urls(TRS_LIST) == [
        "http://127.0.0.1:8800/czj/xxgk/tzgg/200609/t20060907_10234.shtml",
        "http://127.0.0.1:8800/czj/xxgk/tzgg/200608/t20060801_10111.shtml",
    ]


def test_trs_more_urls_from_the_pager_call_bounded_by_limit():
    assert TRS.more_urls(TRS_LIST, 2000) == [
        "http://127.0.0.1:8800/czj/xxgk/tzgg/index_1.shtml",
        "http://127.0.0.1:8800/czj/xxgk/tzgg/index_2.shtml",
        "http://127.0.0.1:8800/czj/xxgk/tzgg/index_3.shtml",
    ]
    assert len(TRS.more_urls(TRS_LIST, 2)) == 1


def test_trs_item_dates():
    assert TRS.item_dates(TRS_LIST) == {
        "http://127.0.0.1:8800/czj/xxgk/tzgg/200609/t20060907_10234.shtml": dt.date(2006, 9, 7),
        "http://127.0.0.1:8800/czj/xxgk/tzgg/200608/t20060801_10111.shtml": dt.date(2006, 8, 1),
    }


def test_trs_reads_ccgp_lists():
    award = "http://127.0.0.1:8800/ccgp/cggg/dfgg/zbgg/202106/t20210610_16412345.htm"
    assert TRS.item_urls(CCGP_LIST) == [award]
    assert TRS.more_urls(CCGP_LIST, 2000) == [
        "http://127.0.0.1:8800/ccgp/cggg/dfgg/zbgg/index_1.htm",
        "http://127.0.0.1:8800/ccgp/cggg/dfgg/zbgg/index_2.htm",
    ]
    assert TRS.item_dates(CCGP_LIST) == {award: dt.date(2021, 6, 10)}


def test_trs_reads_a_gbk_list_page_by_its_charset():
    gbk = page(BASE, TRS_PAGE, encoding="gbk")
    assert TRS.item_urls(gbk) == TRS.item_urls(TRS_LIST)
    assert TRS.item_dates(gbk) == TRS.item_dates(TRS_LIST)


# -- Hanweb ---------------------------------------------------------------------------------
def test_hanweb_item_urls_from_the_cdata_records():
    assert HANWEB.item_urls(HANWEB_LIST) == [
        "http://127.0.0.1:8800/czj/art/2006/9/7/art_2801_4567.html",
        "http://127.0.0.1:8800/czj/art/2006/9/6/art_2801_4566.html",
    ]


def test_hanweb_more_urls_from_dataproxy_bounded_by_limit():
    proxy = "http://127.0.0.1:8800/czj/module/jpage/dataproxy.jsp"
    params = "&perpage=1&appid=1&webid=1&columnid=2801&unitid=5501"
    assert HANWEB.more_urls(HANWEB_LIST, 2000) == [
        f"{proxy}?startrecord=3&endrecord=5{params}",
        f"{proxy}?startrecord=6&endrecord=7{params}",
    ]
    assert HANWEB.more_urls(HANWEB_LIST, 1) == [f"{proxy}?startrecord=3&endrecord=5{params}"]


def test_hanweb_item_dates():
    assert HANWEB.item_dates(HANWEB_LIST) == {
        "http://127.0.0.1:8800/czj/art/2006/9/7/art_2801_4567.html": dt.date(2006, 9, 7)
    }


def test_a_family_finds_nothing_on_the_other_familys_page():
    assert HANWEB.item_urls(TRS_LIST) == []
    assert HANWEB.more_urls(TRS_LIST, 2000) == []
    assert TRS.item_urls(HANWEB_LIST) == []
    assert TRS.more_urls(HANWEB_LIST, 2000) == []


# -- every family, every column -------------------------------------------------------------
@pytest.mark.parametrize("family", [TRS, HANWEB], ids=lambda f: f.name)
def test_a_family_is_documented_and_survives_a_request_queue(family):
    assert family.name
    assert "Real" in type(family).__doc__
    assert "nferred" in type(family).__doc__
    column = Column("栏目", "col/index.html", family)
    assert pickle.loads(pickle.dumps(column)) == column  # disk and Redis queues pickle cb_kwargs


def test_family_names_are_unique():
    assert len({TRS.name, HANWEB.name}) == 2


@pytest.mark.parametrize("spider", [ZjczjSpider, CcgpSpider], ids=lambda s: s.name)
def test_every_column_has_a_family(spider):
    for column in spider.columns:
        for method in ("item_urls", "more_urls", "item_dates"):
            assert callable(getattr(column.family, method)), (column.name, method)


def test_the_bureau_has_both_families():
    assert {c.family for c in ZjczjSpider.columns} == {TRS, HANWEB}
    assert {c.family for c in CcgpSpider.columns} == {TRS}


# -- the spider asks the column's family ----------------------------------------------------
def _requests(spider, response, column, first=True) -> list[scrapy.Request]:
    return list(spider.parse_list(response, column=column, first=first))


def _urls(requests, callback) -> list[str]:
    return [r.url for r in requests if r.callback == callback]


@pytest.mark.parametrize(
    ("family", "response"), [(TRS, TRS_LIST), (HANWEB, HANWEB_LIST)], ids=["trs", "hanweb"]
)
def test_parse_list_follows_the_family(family, response):
    spider = ZjczjSpider(base_url=CZJ)
    column = Column("栏目", "x/index.html", family)
    requests = _requests(spider, response, column)
    more = family.more_urls(response, 2000)
    assert len(more) >= 2
    # one list page at a time: page 2, carrying the rest of the column's pages
    (page2,) = [r for r in requests if r.callback == spider.parse_list]
    assert page2.url == more[0]
    assert page2.cb_kwargs["pending"] == tuple(more[1:])
    assert _urls(requests, spider.parse_detail) == family.item_urls(response)
    assert all(r.cb_kwargs["column"] is column for r in requests)
    # one priority for lists and details: a list page's details are fetched before the next
    # list page, so the queue never holds the whole site's detail requests
    assert {r.priority for r in requests} == {0}
    # page 2 asks for page 3 only, and the walk ends after the last page
    later = list(spider.parse_list(response, column=column, first=False, pending=tuple(more[1:])))
    assert _urls(later, spider.parse_list) == more[1:2]
    last = list(spider.parse_list(response, column=column, first=False, pending=()))
    assert _urls(last, spider.parse_list) == []


def test_a_failed_list_page_does_not_end_the_columns_walk():
    from scrapy.utils.test import get_crawler
    from twisted.python.failure import Failure

    spider = ZjczjSpider.from_crawler(get_crawler(ZjczjSpider), base_url=CZJ)
    column = Column("栏目", "x/index.html", TRS)
    request = spider._list_request(CZJ + "x/index_1.html", column, pending=(CZJ + "p3", CZJ + "p4"))
    error = Failure(ValueError("connection refused"))
    error.request = request
    out = list(spider.on_error(error))
    assert [type(o).__name__ for o in out] == ["FailureItem", "Request"]
    assert out[1].url == CZJ + "p3"
    assert out[1].cb_kwargs["pending"] == (CZJ + "p4",)


def test_parse_list_drops_items_dated_before_since():
    spider = ZjczjSpider(base_url=CZJ)
    spider.since = dt.date(2006, 9, 1)
    requests = _requests(spider, HANWEB_LIST, Column("栏目", "x/index.html", HANWEB))
    assert _urls(requests, spider.parse_detail) == [  # the undated item is kept
        "http://127.0.0.1:8800/czj/art/2006/9/7/art_2801_4567.html",
        "http://127.0.0.1:8800/czj/art/2006/9/6/art_2801_4566.html",
    ]
    spider.since = dt.date(2006, 9, 8)
    requests = _requests(spider, HANWEB_LIST, Column("栏目", "x/index.html", HANWEB))
    assert _urls(requests, spider.parse_detail) == [
        "http://127.0.0.1:8800/czj/art/2006/9/6/art_2801_4566.html"
    ]


@dataclass(frozen=True)
class Fixed:
    """A family of one fixed list, to show that a new family needs nothing in the spider."""

    name: ClassVar[str] = "fixed"

    def item_urls(self, response: TextResponse) -> list[str]:
        return [response.urljoin("a.html")]

    def more_urls(self, response: TextResponse, limit: int) -> list[str]:
        return [response.urljoin("page2.html")][:limit]

    def item_dates(self, response: TextResponse) -> dict[str, dt.date]:
        return {}


def test_a_new_family_is_one_object():
    spider = ZjczjSpider(base_url=CZJ)
    column = Column("栏目", "new/index.html", Fixed())
    requests = _requests(spider, page(CZJ + "new/index.html", "<p>"), column)
    assert _urls(requests, spider.parse_list) == [CZJ + "new/page2.html"]
    assert _urls(requests, spider.parse_detail) == [CZJ + "new/a.html"]


def test_start_requests_carry_each_columns_family():
    spider = ZjczjSpider(base_url=CZJ)

    async def first():
        return [request async for request in spider.start()]

    families = [r.cb_kwargs["column"].family for r in asyncio.run(first())]
    assert families == [c.family for c in ZjczjSpider.columns]


def test_list_pages_go_first_only_in_a_shared_queue():
    from scrapy.utils.test import get_crawler

    from crawler.spiders.base import SHARED_LIST_PRIORITY

    local = ZjczjSpider.from_crawler(get_crawler(ZjczjSpider), base_url=CZJ)
    assert local.list_priority == 0
    settings = {"ZWGK_REDIS_URL": "redis://127.0.0.1:1/0"}
    shared = ZjczjSpider.from_crawler(get_crawler(ZjczjSpider, settings), base_url=CZJ)
    assert shared.list_priority == SHARED_LIST_PRIORITY > 0
    column = ZjczjSpider.columns[0]
    assert shared._list_request(CZJ, column).priority == SHARED_LIST_PRIORITY
    # every list page at once, last first (in a shared queue, order is by priority only)
    column = Column("栏目", "x/index.html", TRS)
    shared.max_list_pages = 2000
    requests = list(shared.parse_list(TRS_LIST, column=column, first=True))
    lists = [r for r in requests if r.callback == shared.parse_list]
    assert [r.url for r in lists] == TRS.more_urls(TRS_LIST, 2000)[::-1]
    assert all(r.cb_kwargs["pending"] == () for r in lists)
