"""Registry test: every spider is documented, bounded to its domains and starts somewhere."""

import asyncio

import pytest
from scrapy.spiderloader import SpiderLoader

from crawler.config import project_settings

LOADER = SpiderLoader.from_settings(project_settings())
NAMES = sorted(LOADER.list())


def test_there_are_spiders():
    assert "zjczj" in NAMES


async def _first_requests(spider):
    return [request async for request in spider.start()]


@pytest.mark.parametrize("name", NAMES)
def test_spider_contract(name):
    cls = LOADER.load(name)
    doc = cls.__doc__ or ""
    assert "Publisher" in doc
    assert "Source" in doc
    assert "Caveats" in doc
    spider = cls()
    assert spider.allowed_domains
    assert all(spider.allowed_domains)
    requests = asyncio.run(_first_requests(spider))
    assert len(requests) == len(cls.columns) >= 1
    assert all(r.url.startswith(cls.base_url) for r in requests)


@pytest.mark.parametrize("name", NAMES)
def test_replica_rebases_the_spider(name):
    cls = LOADER.load(name)
    base = cls.replica_base_url("http://127.0.0.1:9999")
    assert base == "http://127.0.0.1:9999/" + cls.replica_path
    spider = cls(base_url=base)
    assert spider.allowed_domains == ["127.0.0.1"]
    requests = asyncio.run(_first_requests(spider))
    assert all(r.url.startswith(base) for r in requests)
