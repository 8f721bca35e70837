"""Answers: the ``Page`` type, and detail, attachment and error pages as bytes with headers.

Static faults are applied here (the page a faulty notice always gets); the ones that depend on
request order (``flaky``), time (``slow``) or the running server (``offsite-redirect``) are
applied by the site when it answers.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import email.utils
import functools
import hashlib
import random
from collections.abc import Iterator
from dataclasses import dataclass

from replica import chrome, dirty, edits, faults, files, render_hanweb, render_trs
from replica.model import Attachment, Column, Notice

CST = dt.timezone(dt.timedelta(hours=8))
HTML_UTF8 = "text/html; charset=utf-8"


@dataclass(frozen=True)
class Stream:
    """A body too big to hold: ``head``, then ``filler`` ``count`` times, then ``tail``.

    ``sized``: announce its length in Content-Length; otherwise the body ends when the server
    closes the connection (HTTP/1.1 without Content-Length or chunking).
    """

    head: bytes
    filler: bytes
    count: int
    tail: bytes
    sized: bool = True

    @property
    def length(self) -> int:
        return len(self.head) + len(self.filler) * self.count + len(self.tail)

    def pieces(self) -> Iterator[bytes]:
        yield self.head
        for _ in range(self.count):
            yield self.filler
        yield self.tail


@dataclass(frozen=True)
class Page:
    """One answer: status, body, Content-Type, the path kind counted in stats, extra headers;
    a ``stream`` (written piece by piece) instead of ``body`` for the ``huge`` fault."""

    status: int
    body: bytes
    content_type: str
    kind: str  # list, detail, attachment, robots or other
    headers: tuple[tuple[str, str], ...] = ()
    delay: float = 0.0
    stream: Stream | None = None

    @functools.cached_property
    def etag(self) -> str:
        digest = hashlib.blake2b(self.body, digest_size=10)
        if self.stream is not None:
            digest.update(self.stream.head + self.stream.tail + str(self.stream.length).encode())
        return '"' + digest.hexdigest() + '"'

    def but(self, **changes: object) -> Page:
        """A copy with some attributes changed."""
        return dataclasses.replace(self, **changes)


def html_page(html: str, kind: str = "other", status: int = 200) -> Page:
    return Page(status, html.encode("utf-8"), HTML_UTF8, kind)


def error_page(status: int, kind: str) -> Page:
    return html_page(chrome.error(status), kind, status)


def redirect_page(location: str, kind: str, status: int = 302) -> Page:
    return Page(status, b"", "text/html", kind, (("Location", location),))


def list_page(html: str, column: Column) -> Page:
    """A column list page; the GBK column's pages go out as bytes with no charset header."""
    if column.charset == "utf-8":
        return html_page(html, "list")
    return Page(200, html.encode(column.charset), "text/html", "list")


def detail_page(
    notice: Notice, prefix: str, columns: tuple[Column, ...], redesigned: bool = False
) -> Page:
    """A notice's article page, with its fault (if any) applied; ``redesigned``: its column's
    template changed (the ``selector-change`` breakage, ``faults.redesign``)."""
    fault = notice.fault
    if fault in ("http404", "http500"):
        return error_page(int(fault[4:]), "detail")
    if fault == "challenge":
        return html_page(faults.challenge_page(notice.key), "detail")
    renderer = render_hanweb if notice.column.family == "hanweb" else render_trs
    html = renderer.detail(notice, prefix, columns, show_date=fault != "missing-date")
    if fault == "malformed":
        html = faults.malform(html)
    if redesigned:
        html = faults.redesign(html, chrome.SITE_TITLE)
    body = html.encode(notice.column.charset)
    if fault == "bad-bytes":
        body = faults.bad_bytes(body, dirty.title(notice.title, notice.key))
    headers = () if fault == "missing-date" else (("Last-Modified", http_date(notice)),)
    page = Page(200, body, _detail_type(notice), "detail", headers)
    return oversize(page, notice)


def oversize(page: Page, notice: Notice) -> Page:
    """The ``huge`` and ``gzip-bomb`` faults applied to an article page (others: unchanged)."""
    if notice.fault == "huge":
        head, tail = faults.huge_parts(page.body)
        stream = Stream(head, faults.HUGE_FILLER, faults.HUGE_COUNT, tail, faults.sized(notice))
        return page.but(body=b"", stream=stream)
    if notice.fault == "gzip-bomb":
        return page.but(
            body=faults.gzip_bomb(page.body), headers=(*page.headers, ("Content-Encoding", "gzip"))
        )
    return page


def file_page(notice: Notice, attachment: Attachment, download: str | None = None) -> Page:
    """An attachment; ``download`` names it in a Content-Disposition (Hanweb's downfile.jsp)."""
    words = notice.title.removesuffix(edits.TITLE_MARK)  # the file stays as first published
    body = files.content(attachment.name, notice.key + attachment.path, words)
    headers = [("Last-Modified", http_date(notice))]
    if download is None:
        return Page(200, body, files.mime(attachment.name), "attachment", tuple(headers))
    headers.append(("Content-Disposition", f'attachment; filename="{download}"'))
    return Page(200, body, "application/octet-stream", "attachment", tuple(headers))


def http_date(notice: Notice) -> str:
    """The notice's publication moment (China time), or its edit's, as an HTTP date."""
    hour, minute = map(int, (notice.publish_time or "09:00").split(":"))
    moment = dt.datetime.combine(notice.publish_date, dt.time(hour, minute))
    if notice.edited is not None:
        moment = edits.moment(notice.edited)
    return email.utils.format_datetime(moment.replace(tzinfo=CST).astimezone(dt.UTC), usegmt=True)


def _detail_type(notice: Notice) -> str:
    """Mostly a charset in the header; the GBK column mostly none, sometimes ``charset=gbk``."""
    roll = random.Random(notice.key + ":header").random()
    if notice.column.charset != "utf-8":
        return "text/html; charset=gbk" if roll < 0.2 else "text/html"
    return "text/html" if roll < 0.15 and notice.fault != "bad-bytes" else HTML_UTF8
