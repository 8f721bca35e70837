"""OriginMiddleware: requests stay on the spider's origins (scheme, host and port)."""

from __future__ import annotations

import pytest
import scrapy
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.utils.test import get_crawler

from crawler.config import project_settings
from crawler.middlewares import OffsiteRequest, OriginMiddleware, origin_of, spider_origins
from crawler.spiders.zjczj import ZjczjSpider

BASE = "http://127.0.0.1:8800/czj/"


def _middleware(spider_cls=ZjczjSpider, **settings) -> tuple[OriginMiddleware, object]:
    crawler = get_crawler(spider_cls, {"ZWGK_ORIGIN_FILTER": True, **settings})
    crawler.spider = spider_cls(base_url=BASE) if spider_cls is ZjczjSpider else spider_cls()
    crawler.stats.open_spider()
    return OriginMiddleware.from_crawler(crawler), crawler


@pytest.mark.parametrize(
    ("url", "origin"),
    [
        ("http://127.0.0.1:8800/czj/", ("http", "127.0.0.1", 8800)),
        ("http://WWW.Example.gov.cn/a", ("http", "www.example.gov.cn", 80)),
        ("https://www.example.gov.cn:443/a", ("https", "www.example.gov.cn", 443)),
        ("HTTPS://[::1]:8443/", ("https", "::1", 8443)),
        ("ftp://www.example.gov.cn/", None),
        ("javascript:alert(1)", None),
        ("http://127.0.0.1:99999/", None),
        ("http:///nohost", None),
    ],
)
def test_origin_of(url, origin):
    assert origin_of(url) == origin


@pytest.mark.parametrize(
    "url",
    [
        BASE + "xxgk/tzgg/index.shtml",
        "http://127.0.0.1:8800/robots.txt",
        "http://127.0.0.1:8800/other/site/",
    ],
)
def test_requests_on_the_origin_pass(url):
    middleware, crawler = _middleware()
    assert middleware.process_request(scrapy.Request(url)) is None
    assert crawler.stats.get_value("zwgk/offsite/blocked") is None


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8801/czj/index.shtml",  # same host, another port
        "https://127.0.0.1:8800/czj/index.shtml",  # another scheme
        "http://127.0.0.2:8800/czj/index.shtml",  # another host
        "http://localhost:8800/czj/index.shtml",
        "http://www.zjczj.gov.cn/",  # the real site, from a replica crawl
    ],
)
def test_requests_off_the_origin_are_refused_with_a_reason(url):
    middleware, crawler = _middleware()
    with pytest.raises(IgnoreRequest) as refused:
        middleware.process_request(scrapy.Request(url))
    assert isinstance(refused.value, OffsiteRequest)
    assert str(refused.value) == (
        f"blocked: {url} is outside the spider's origins (http://127.0.0.1:8800)"
    )
    assert refused.value.redirected_from is None
    assert crawler.stats.get_value("zwgk/offsite/blocked") == 1
    assert crawler.stats.get_value("zwgk/offsite/redirects") is None


def test_a_redirect_off_the_origin_names_where_it_led_and_where_it_came_from():
    middleware, crawler = _middleware()
    first = BASE + "xxgk/tzgg/202401/t20240102_1.shtml"
    request = scrapy.Request(
        "http://127.0.0.1:9999/moved.shtml",
        meta={"redirect_urls": [first, BASE + "hop.shtml"], "redirect_reasons": [302, 301]},
    )
    with pytest.raises(OffsiteRequest) as refused:
        middleware.process_request(request)
    assert str(refused.value) == "offsite redirect to http://127.0.0.1:9999/moved.shtml"
    assert refused.value.redirected_from == first
    assert crawler.stats.get_value("zwgk/offsite/blocked") == 1
    assert crawler.stats.get_value("zwgk/offsite/redirects") == 1


def test_default_ports_are_the_same_origin():
    class Site(ZjczjSpider):
        base_url = "http://www.example.gov.cn/"

    crawler = get_crawler(Site, {"ZWGK_ORIGIN_FILTER": True})
    crawler.spider = Site()
    middleware = OriginMiddleware.from_crawler(crawler)
    assert middleware.process_request(scrapy.Request("http://www.example.gov.cn:80/a")) is None
    with pytest.raises(OffsiteRequest):
        middleware.process_request(scrapy.Request("http://www.example.gov.cn:8080/a"))


def test_an_upgrade_to_https_on_the_default_port_stays_on_the_site():
    class Site(ZjczjSpider):
        base_url = "http://www.example.gov.cn/"

    crawler = get_crawler(Site, {"ZWGK_ORIGIN_FILTER": True})
    crawler.spider = Site()
    middleware = OriginMiddleware.from_crawler(crawler)
    assert middleware.process_request(scrapy.Request("https://www.example.gov.cn/a")) is None
    with pytest.raises(OffsiteRequest):
        middleware.process_request(scrapy.Request("https://www.example.gov.cn:8443/a"))
    with pytest.raises(OffsiteRequest):  # the replica's port is not a default one: no upgrade
        _middleware()[0].process_request(scrapy.Request("https://127.0.0.1/czj/a"))


def test_a_spider_may_declare_extra_origins():
    class Site(ZjczjSpider):
        base_url = "http://www.example.gov.cn/"
        extra_origins = ("https://www.example.gov.cn/",)

    crawler = get_crawler(Site, {"ZWGK_ORIGIN_FILTER": True})
    crawler.spider = Site()
    middleware = OriginMiddleware.from_crawler(crawler)
    assert middleware.process_request(scrapy.Request("https://www.example.gov.cn/a")) is None
    assert spider_origins(crawler.spider) == {
        ("http", "www.example.gov.cn", 80),
        ("https", "www.example.gov.cn", 443),
    }


def test_a_spider_without_origins_is_not_restricted():
    class Plain(scrapy.Spider):
        name = "plain"

    middleware, _ = _middleware(Plain)
    assert middleware.process_request(scrapy.Request("http://anywhere.example/")) is None


def test_the_setting_switches_it_off():
    crawler = get_crawler(ZjczjSpider, {"ZWGK_ORIGIN_FILTER": False})
    with pytest.raises(NotConfigured):
        OriginMiddleware.from_crawler(crawler)


def test_it_replaces_scrapys_host_only_offsite_filter():
    settings = project_settings()
    middlewares = settings.getdict("DOWNLOADER_MIDDLEWARES")
    assert middlewares["crawler.middlewares.OriginMiddleware"] == 50
    assert middlewares["scrapy.downloadermiddlewares.offsite.OffsiteMiddleware"] is None
    assert settings.getbool("ZWGK_ORIGIN_FILTER")
