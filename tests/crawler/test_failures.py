"""Every failure that reaches the errback becomes a FailureItem for the URL the spider asked for,
with a reason in words."""

from __future__ import annotations

import dataclasses

import pytest
import scrapy
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.http import HtmlResponse
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils._compression import _DecompressionMaxSizeExceeded
from scrapy.utils.test import get_crawler
from twisted.internet.error import ConnectionLost
from twisted.python.failure import Failure

from crawler import failures
from crawler.blocking import NOT_SENT
from crawler.items import FailureItem
from crawler.middlewares import OffsiteRequest
from crawler.spiders.zjczj import ZjczjSpider

BASE = "http://127.0.0.1:8800/czj/"
DETAIL = BASE + "xxgk/tzgg/202401/t20240102_1.shtml"
MAXSIZE = 8 * 1024 * 1024


def _failure(exc: BaseException, request: scrapy.Request | None = None) -> Failure:
    try:
        raise exc
    except BaseException:
        failure = Failure()
    failure.request = request or scrapy.Request(DETAIL)
    return failure


def _redirected(url: str, *chain: str, reasons=(302,)) -> scrapy.Request:
    return scrapy.Request(
        url, meta={"redirect_urls": [DETAIL, *chain], "redirect_reasons": list(reasons)}
    )


def _bomb() -> IgnoreRequest:
    try:
        try:
            raise _DecompressionMaxSizeExceeded(8454144, MAXSIZE)
        except ValueError as cause:
            raise IgnoreRequest(
                f"Ignored response <200 {DETAIL}> because its body (156751 B compressed, "
                f"8454144 B decompressed so far) exceeded DOWNLOAD_MAXSIZE ({MAXSIZE} B) "
                "during decompression."
            ) from cause
    except IgnoreRequest as exc:
        return exc


@pytest.mark.parametrize(
    ("exc", "reason"),
    [
        (DownloadTimeoutError("Getting x took longer than 30 seconds."), "timeout"),
        (DownloadConnectionRefusedError("refused"), "connection refused"),
        (CannotResolveHostError("no such host"), "DNS lookup failed"),
        (ResponseDataLossError(), "incomplete response (connection closed early)"),
        (DownloadFailedError("lost"), "connection failed: DownloadFailedError: lost"),
        (
            ConnectionLost(),
            "connection failed: ConnectionLost: Connection to the other side was lost in a non-clean fashion.",
        ),
        (IgnoreRequest("Forbidden by robots.txt"), "blocked by robots.txt"),
        (IgnoreRequest("max redirections reached"), "too many redirects"),
        (IgnoreRequest(NOT_SENT), "not sent: the site blocks the crawl"),  # crawler/monitors.py
        (IgnoreRequest("something else"), "ignored: something else"),
        (
            DownloadCancelledError(
                f"Expected to receive 52439229 bytes which is larger than download max size "
                f"({MAXSIZE}) in request <GET {DETAIL}>."
            ),
            f"too large: Content-Length 52439229 bytes over DOWNLOAD_MAXSIZE ({MAXSIZE} bytes)",
        ),
        (
            DownloadCancelledError(""),
            f"too large: more than DOWNLOAD_MAXSIZE ({MAXSIZE} bytes) received",
        ),
        (
            _bomb(),
            f"too large: over DOWNLOAD_MAXSIZE ({MAXSIZE} bytes) when decompressed "
            "from 156751 bytes sent",
        ),
        (ValueError("odd"), "ValueError: odd"),
    ],
)
def test_reasons_in_words(exc, reason):
    assert failures.describe(_failure(exc), MAXSIZE) == (None, reason)


def test_http_errors_keep_their_status():
    response = HtmlResponse(DETAIL, status=404, request=scrapy.Request(DETAIL))
    failure = _failure(HttpError(response, "Ignoring non-200 response"))
    assert failures.describe(failure, MAXSIZE) == (404, "HTTP 404")


def test_a_failure_after_an_onsite_redirect_says_where_it_led():
    target = BASE + "moved.shtml"
    response = HtmlResponse(target, status=404)
    failure = _failure(HttpError(response, "x"), _redirected(target))
    assert failures.describe(failure, MAXSIZE) == (404, f"HTTP 404 (redirected to {target})")
    assert failures.original_url(failure.request) == DETAIL


def test_an_offsite_redirect_keeps_the_redirect_status():
    target = "http://127.0.0.1:9999/czj/moved.shtml"
    request = _redirected(target, BASE + "hop.shtml", reasons=(301, 302))
    failure = _failure(OffsiteRequest(target, DETAIL), request)
    assert failures.describe(failure, MAXSIZE) == (301, f"offsite redirect to {target}")


def test_a_meta_refresh_has_no_status():
    target = "http://127.0.0.1:9999/x"
    request = _redirected(target, reasons=("meta refresh",))
    failure = _failure(OffsiteRequest(target, DETAIL), request)
    assert failures.describe(failure, MAXSIZE)[0] is None


def test_a_blocked_request_of_the_spider_itself():
    url = "http://127.0.0.1:9999/czj/a.shtml"
    failure = _failure(OffsiteRequest(url, None, ["http://127.0.0.1:8800"]), scrapy.Request(url))
    assert failures.describe(failure, MAXSIZE) == (
        None,
        f"blocked: {url} is outside the spider's origins (http://127.0.0.1:8800)",
    )


@pytest.fixture
def spider() -> ZjczjSpider:
    crawler = get_crawler(ZjczjSpider, {"DOWNLOAD_MAXSIZE": MAXSIZE})
    spider = ZjczjSpider(base_url=BASE)
    spider._set_crawler(crawler)
    return spider


def test_on_error_records_the_original_url_of_an_offsite_redirect(spider):
    target = "http://127.0.0.1:9999/czj/moved.shtml"
    failure = _failure(OffsiteRequest(target, DETAIL), _redirected(target))
    (item,) = spider.on_error(failure)
    assert item.failed_at  # on the crawl's clock: a gone notice's gone_since
    assert dataclasses.replace(item, failed_at=None) == FailureItem(
        url=DETAIL, site="zjczj", reason=f"offsite redirect to {target}", status=302
    )


def test_on_error_names_the_size_limit_in_force(spider):
    request = scrapy.Request(DETAIL, meta={"download_maxsize": 1000})
    [item] = spider.on_error(_failure(DownloadCancelledError(""), request))
    assert item.reason == "too large: more than DOWNLOAD_MAXSIZE (1000 bytes) received"
    [item] = spider.on_error(_failure(DownloadCancelledError("")))
    assert item.reason == f"too large: more than DOWNLOAD_MAXSIZE ({MAXSIZE} bytes) received"
