"""Why a request failed, in words for ``fetch_failures``: ``(status, reason)`` of a Failure.

Everything that reaches a request's errback in Scrapy 2.19 gets a reason a reader can act on:
HTTP errors (``HTTP 404``), timeouts, refused and lost connections, size limits (``too large:
…`` — ``DOWNLOAD_MAXSIZE`` exceeded by the announced length, by the bytes received, or while
decompressing), refused origins (``offsite redirect to URL``, ``blocked: URL …``), robots.txt
and redirect loops. ``status`` is the HTTP status the URL answered, where one did.
"""

from __future__ import annotations

import re

from scrapy import Request
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
    UnsupportedURLSchemeError,
)
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import (
    ConnectError,
    ConnectionLost,
    ConnectionRefusedError,
    DNSLookupError,
    TCPTimedOutError,
    TimeoutError,
)
from twisted.python.failure import Failure

from crawler.blocking import NOT_SENT
from crawler.middlewares import OffsiteRequest

_EXPECTED = re.compile(r"Expected to receive (\d+) bytes")
_COMPRESSED = re.compile(r"\((\d+) B compressed")
_IGNORED = {  # IgnoreRequest messages of Scrapy's middlewares, and the crawl monitors' one
    "Forbidden by robots.txt": "blocked by robots.txt",
    "max redirections reached": "too many redirects",
    NOT_SENT: NOT_SENT,  # a request held when the crawl monitors stopped a blocked spider
}
_SIMPLE: tuple[tuple[tuple[type[BaseException], ...], str], ...] = (
    ((DownloadTimeoutError, TimeoutError, TCPTimedOutError), "timeout"),
    ((DownloadConnectionRefusedError, ConnectionRefusedError), "connection refused"),
    ((CannotResolveHostError, DNSLookupError), "DNS lookup failed"),
    ((ResponseDataLossError,), "incomplete response (connection closed early)"),
    ((UnsupportedURLSchemeError,), "unsupported URL scheme"),
)


def original_url(request: Request) -> str:
    """The URL the spider asked for: the first of a redirect chain, else the request's own."""
    return (request.meta.get("redirect_urls") or [request.url])[0]


def describe(failure: Failure, maxsize: int) -> tuple[int | None, str]:
    """``(status, reason)`` for a failed request; ``maxsize`` is the DOWNLOAD_MAXSIZE in force."""
    exc = failure.value
    request: Request | None = getattr(failure, "request", None)
    if isinstance(exc, HttpError):
        status = exc.response.status
        return status, _after_redirect(f"HTTP {status}", request)
    if isinstance(exc, OffsiteRequest):
        return _redirect_status(request) if exc.redirected_from else None, str(exc)
    for types, reason in _SIMPLE:
        if isinstance(exc, types):
            return None, _after_redirect(reason, request)
    return None, _after_redirect(_other_reason(exc, maxsize), request)


def _other_reason(exc: BaseException, maxsize: int) -> str:
    if isinstance(exc, DownloadCancelledError):
        return too_large(str(exc), maxsize)
    if isinstance(exc, IgnoreRequest):
        cause = exc.__cause__
        if hasattr(cause, "decompressed_size"):  # HttpCompressionMiddleware's size guard
            return too_large_decompressed(str(exc), getattr(cause, "max_size", maxsize))
        message = str(exc)
        return _IGNORED.get(message, f"ignored: {message}")
    if isinstance(exc, DownloadFailedError | ConnectionLost | ConnectError):
        return f"connection failed: {type(exc).__name__}: {exc}".rstrip(": ")
    return f"{type(exc).__name__}: {exc}".rstrip(": ")


def too_large(message: str, maxsize: int) -> str:
    """The reason for a download Scrapy cancelled at DOWNLOAD_MAXSIZE.

    Scrapy 2.19's HTTP/1.1 handler cancels a download in two places only: when the announced
    Content-Length exceeds the limit (message "Expected to receive N bytes …") and when the
    bytes received pass it (an empty message; timeouts are turned into DownloadTimeoutError).
    """
    expected = _EXPECTED.search(message)
    if expected:
        return (
            f"too large: Content-Length {expected.group(1)} bytes over "
            f"DOWNLOAD_MAXSIZE ({maxsize} bytes)"
        )
    return f"too large: more than DOWNLOAD_MAXSIZE ({maxsize} bytes) received"


def too_large_decompressed(message: str, maxsize: int) -> str:
    """The reason for a compressed body that inflates past DOWNLOAD_MAXSIZE (a gzip bomb)."""
    compressed = _COMPRESSED.search(message)
    sent = f" from {compressed.group(1)} bytes sent" if compressed else ""
    return f"too large: over DOWNLOAD_MAXSIZE ({maxsize} bytes) when decompressed{sent}"


def _redirect_status(request: Request | None) -> int | None:
    """The HTTP status of the first redirect of the chain (301, 302 …; None for meta refresh)."""
    reasons = request.meta.get("redirect_reasons") if request is not None else None
    first = reasons[0] if reasons else None
    return first if isinstance(first, int) else None


def _after_redirect(reason: str, request: Request | None) -> str:
    """``reason``, naming where a redirect led when the failure is not the URL's own."""
    if request is not None and request.meta.get("redirect_urls"):
        return f"{reason} (redirected to {request.url})"
    return reason
