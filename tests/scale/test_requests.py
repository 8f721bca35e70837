"""A request goes into Redis as Scrapy's own ``to_dict`` writes it (crawler.scale.scheduler
finds the callback's name without listing the spider's members), for every spider's callbacks."""

from __future__ import annotations

import pytest
from scrapy import Request
from scrapy.http import FormRequest, JsonRequest
from scrapy.spiderloader import SpiderLoader
from scrapy.utils.project import get_project_settings
from scrapy.utils.request import request_from_dict

from crawler.scale.scheduler import request_dict

LOADER = SpiderLoader.from_settings(get_project_settings())


def callbacks(spider) -> list:
    names = [n for n in dir(type(spider)) if n.startswith(("parse", "on_", "errback"))]
    return [getattr(spider, n) for n in names if callable(getattr(spider, n))]


@pytest.mark.parametrize("name", LOADER.list())
def test_every_callback_is_written_as_scrapy_writes_it(name):
    spider = LOADER.load(name)()
    methods = callbacks(spider)
    assert methods, f"{name} has no parse method"
    requests = [Request("http://127.0.0.1/a", meta={"k": [1]}, priority=-2, dont_filter=True)]
    for method in methods:
        requests += [
            Request("http://127.0.0.1/b", callback=method, cb_kwargs={"n": 1}),
            Request("http://127.0.0.1/c", callback=method, errback=methods[0]),
            JsonRequest("http://127.0.0.1/d", data={"page": 2}, callback=method),
            FormRequest("http://127.0.0.1/e", formdata={"q": "湛江"}, callback=method),
        ]
    for request in requests:
        data = request_dict(request, spider)
        assert data == request.to_dict(spider=spider)
        back = request_from_dict(data, spider=spider)
        assert (back.url, back.callback, back.errback) == (
            request.url,
            request.callback,
            request.errback,
        )


def test_a_callback_that_is_not_the_spiders_method_is_refused_as_scrapy_refuses_it():
    spider = LOADER.load("zjczj")()
    request = Request("http://127.0.0.1/a", callback=lambda response: None)
    with pytest.raises(ValueError, match="not an instance method"):
        request_dict(request, spider)


def test_a_method_also_held_under_another_name_comes_back_the_same():
    """Scrapy names the first of its names in sorted order (here ``alias``), this the method's
    own: either comes back as the same method."""
    spider = LOADER.load("zjczj")()
    spider.alias = spider.parse_detail
    request = Request("http://127.0.0.1/a", callback=spider.parse_detail)
    assert request_dict(request, spider)["callback"] == "parse_detail"
    assert request.to_dict(spider=spider)["callback"] == "alias"
    back = request_from_dict(request_dict(request, spider), spider=spider)
    assert back.callback == request.callback
